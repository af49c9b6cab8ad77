"""Messages the app sends to its screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


class PacksChanged(Message):
    """The question packs or session models were reloaded (edited in the app or outside it)."""


class PastSessionsChanged(Message):
    """A past session file was changed in the app (an action ticked in the review): cards showing it re-read it."""


@dataclass
class News(Message):
    """Something to tell the coach that needs no answer (the app routes it to a session's status line)."""

    message: str
    title: str
    timeout: float | None
    markup: bool
