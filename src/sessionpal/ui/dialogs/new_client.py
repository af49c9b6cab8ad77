"""The small form for a new client: name, session length, and whether to store them under a code."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from ...core.clients import SESSION_MINUTES_RANGE
from ..widgets.form_error import FormError
from ..widgets.ordered_input import OrderedInput
from ..widgets.tickbox import TickBox
from .form_keys import FORM_KEYS


class NewClientDialog(ModalScreen[tuple[str, int | None, bool] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="close", tooltip="Close without creating a client"), *FORM_KEYS]

    def __init__(self, name: str = "", default_minutes: int = 60, *, private: bool = False):
        super().__init__()
        self.initial_name = name
        self.default_minutes = default_minutes
        self.private = private  # behind the privacy blind: the name typed is masked

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New client", classes="dialog-title")
            yield Label("Name, as you would say it")
            yield OrderedInput(self.initial_name, placeholder="e.g. José Álvarez", id="name", password=self.private)
            yield Label(f"Session length in minutes (blank: {self.default_minutes}, your default)")
            yield OrderedInput(placeholder=str(self.default_minutes), id="minutes", type="integer", max_length=3)
            yield TickBox("Store under a code (the name stays out of file names)", id="coded")
            yield FormError(id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", variant="primary", id="create")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one(FormError).message = message

    @on(Input.Submitted)
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        name = " ".join(self.query_one("#name", Input).value.split())
        minutes_text = self.query_one("#minutes", Input).value.strip()
        if not name:
            self._error("A client needs a name.")
            self.query_one("#name", Input).focus()
            return
        minutes = None
        if minutes_text:
            low, high = SESSION_MINUTES_RANGE
            if not minutes_text.isdigit() or not low <= int(minutes_text) <= high:
                self._error(f"Session length is a number of minutes from {low} to {high}.")
                self.query_one("#minutes", Input).focus()
                return
            minutes = int(minutes_text)
        self.dismiss((name, minutes, self.query_one("#coded", Checkbox).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
