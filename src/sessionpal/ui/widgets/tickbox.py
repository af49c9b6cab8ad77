"""A checkbox whose two states cannot be mistaken for each other: ✓ when ticked, an empty box when not.

Textual's Checkbox draws X in both states, dimmed when off: on many terminals and
themes an unticked box reads as ticked."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "✓" if self.value else " "  # per box: the class keeps the unticked look
        super().watch_value()  # the -on class and the Changed message
        self.refresh()
