"""Messages the app sends to its screens."""

from __future__ import annotations

from textual.message import Message


class PacksChanged(Message):
    """The question packs or session models were reloaded (edited in the app or outside it)."""


class PastSessionsChanged(Message):
    """A past session file was changed in the app (an action ticked in the review): cards showing it re-read it."""
