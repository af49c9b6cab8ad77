"""The session's status line: short news ("Goal added", "Starred: …") on the header row, for a few seconds.

A toast would cover what the coach reads during the call (the deck's question at
the top, the latest notes and the note line at the bottom). News that needs no
answer goes here instead, on one line beside the client's name; warnings and
errors still come as toasts, because they must be seen.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Static

SHOWN_FOR = 4.0  # seconds: long enough to read a line at a glance
LONGEST = 12.0


class StatusLine(Static):
    line: var[str] = var("", init=False)  # what the line says now; "" when it has faded

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.said: list[tuple[str, str]] = []  # (title, message) of everything shown, oldest first
        self._fade: Timer | None = None

    def say(self, message: str, title: str = "", seconds: float | None = None) -> None:
        line = " · ".join(part.strip() for part in f"{title}: {message}".split("\n") if part.strip()) if title else " · ".join(message.split("\n"))
        self.said.append((title, message))
        self.line = line
        if self._fade is not None:
            self._fade.stop()
        self._fade = self.set_timer(min(seconds or SHOWN_FOR, LONGEST), self.clear)

    def clear(self) -> None:
        self.line = ""

    def watch_line(self, line: str) -> None:
        self.update(Content(line))  # names and notes the coach typed: text, never markup
        self.set_class(bool(line), "-visible")
