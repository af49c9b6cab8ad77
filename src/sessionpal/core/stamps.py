"""A note's time into the session as files and screens write it ("00:12:05"): here, not in sessionfile, so a
search can print times without importing the session file reader and the model (a fifth of its start-up)."""

from __future__ import annotations


def format_stamp(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
