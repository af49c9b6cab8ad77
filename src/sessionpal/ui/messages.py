"""Messages the app sends to its screens. (A change other screens show travels by the app's signals: packs_signal, past_sessions_signal.)"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class News(Message):
    """Something to tell the coach that needs no answer (the app routes it to a session's status line)."""

    message: str
    title: str
    timeout: float | None
    markup: bool
