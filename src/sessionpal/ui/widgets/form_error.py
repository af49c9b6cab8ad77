"""The line under a dialog's fields that says what to fix ("A goal needs a title."): hidden while empty."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import var
from textual.widgets import Static


class FormError(Static):
    DEFAULT_CSS = """
    FormError {
        display: none;
        color: $text-error;
    }
    FormError.-visible {
        display: block;
    }
    """

    message: var[str] = var("", init=False)  # what to fix; "" hides the line

    def watch_message(self, message: str) -> None:
        self.update(Content(message))  # the coach's typing may be quoted in it: text, never markup
        self.set_class(bool(message), "-visible")
