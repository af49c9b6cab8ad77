"""A client's goals as they stood at the end of one of their sessions, for a session that moves to another client.

A goal block in client.toml holds its whole life: its status now, a history line for every change. A session
that moves takes the goal as it was then: the status it had at the session's end, only the history lines
made during the session (from its start to a little after its end), and `replaced_by` only when it was
replaced then, with the goal that replaced it. Title, values, tags and target are as they are now: they are
the client's own wording, which no history records.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from .paths import Home

if TYPE_CHECKING:
    from tomlkit.items import AbstractTable

    from .sessionfile import SessionInfo

AFTER_THE_END = timedelta(minutes=15)  # goal changes this soon after a session's end are still that session's


class _Window(Struct, frozen=True):
    start: datetime
    end: datetime


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.astimezone()  # a time written without offset is this computer's


def _window(started: datetime | None, ended: datetime | None, elapsed: float) -> _Window | None:
    """When the session was held, as its front matter says; None when it does not say when it started."""
    if started is None:
        return None
    try:
        start = _aware(started)
        end = max(_aware(ended or started), start + timedelta(seconds=max(0.0, elapsed)))
        return _Window(start, end + AFTER_THE_END)
    except (OverflowError, TypeError, ValueError):  # a year 1 or 9999 moment, an offset at the edge
        return None


def session_window(session: SessionInfo) -> _Window | None:
    """When a session was held (from its start to a little after its end); None when it does not say."""
    return _window(session.started, session.ended, session.elapsed_seconds)


def made_during(value: Any, window: _Window) -> bool:
    """A goal's `created` or a history line's date falls within the session."""
    return _when(value, window)[0]


def _when(value: Any, window: _Window | None) -> tuple[bool, bool]:
    """(during the session, at or before its end) for a history line's date: a moment, or a plain date
    written by hand, which counts for its whole day. Neither, for a date that cannot be placed."""
    if window is None:
        return False, False
    value = value.unwrap() if hasattr(value, "unwrap") else value  # tomlkit's own date types, as plain ones
    try:
        if isinstance(value, datetime):
            first = last = _aware(value)
        elif isinstance(value, date):
            first = datetime(value.year, value.month, value.day, tzinfo=window.start.tzinfo)
            last = first + timedelta(days=1) - timedelta(microseconds=1)
        else:
            return False, False
        return last >= window.start and first <= window.end, first <= window.end
    except (OverflowError, TypeError, ValueError):
        return False, False


def goals_as_they_stood(home: Home, slug: str, goal_ids: list[str], session: SessionInfo) -> dict[str, str]:
    """Goal id -> its [[goals]] block (TOML text) as it stood at the end of `session`, for each of `goal_ids`
    the client has and each goal that replaced one of them during the session."""
    import tomlkit

    from .problems import read_user_text

    window = session_window(session)
    client = tomlkit.parse(read_user_text(home.client_file(slug)))
    tables = {str(g.get("id")): g for g in client.get("goals", [])}
    blocks: dict[str, str] = {}
    wanted = [gid for gid in goal_ids if gid in tables]
    while wanted:
        gid = wanted.pop(0)
        if gid in blocks:
            continue
        goal = tomlkit.parse("[[goals]]\n" + tables[gid].as_string())["goals"][0]
        successor = _as_it_stood(goal, window)
        blocks[gid] = "[[goals]]\n" + goal.as_string()
        if successor and successor in tables:
            wanted.append(successor)
    return blocks


def _as_it_stood(goal: AbstractTable, window: _Window | None) -> str:
    """Bring `goal` (a copy) back to how it stood at the end of the session; the goal that replaced it then, or ""."""
    from .tomledit import snippet_array

    history = [e for e in goal.get("history", []) if hasattr(e, "get")]
    placed = [_when(e.get("date"), window) for e in history]
    during = [e for e, (now, _) in zip(history, placed, strict=True) if now]
    before_end = [e for e, (_, before) in zip(history, placed, strict=True) if before]
    if before_end:
        status = str(before_end[-1].get("to", goal.get("status", "active")))
    elif history:
        status = str(history[0].get("from", "active"))  # every change came later
    else:
        status = str(goal.get("status", "active"))
    goal["status"] = status
    if "history" in goal:
        del goal["history"]
    if during:
        goal["history"] = snippet_array("history", [dict(e.unwrap()) for e in during])
    successor = str(goal.get("replaced_by", "")) if status == "changed" else ""
    if "replaced_by" in goal and not successor:
        del goal["replaced_by"]
    return successor
