"""Small modal questions: yes/no, and a choice between a few options."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class ChoiceDialog(ModalScreen[str | None]):
    """A question and a short list of answers; Enter picks, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="close", tooltip="Close without choosing")]

    def __init__(self, question: str, choices: list[tuple[str, str]], *, detail: str = ""):
        super().__init__()
        self.question = question
        self.detail = detail
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, classes="dialog-detail", markup=False)
            yield OptionList(*[Option(label, id=key) for key, label in self.choices], id="choices", markup=False)

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ChoiceDialog):
    """Yes or no; anything but yes is no."""

    def __init__(self, question: str, yes: str, no: str = "Cancel", *, detail: str = ""):
        super().__init__(question, [("yes", yes), ("no", no)], detail=detail)
