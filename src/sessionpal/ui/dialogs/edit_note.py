"""Editing one line of the notes log: change it (prefixes work as when typing), tick, or delete."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ...core.live import LogEntry, typed_form
from ...core.model import Action, ActionState
from ...core.stamps import format_stamp
from ..widgets.notes import NOTE_PLACEHOLDER, NoteInput


class EditNoteDialog(ModalScreen[tuple[str, str] | None]):
    """Returns ("save", text), ("delete", ""), ("tick", "") or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="close", tooltip="Close without changing the note")]

    def __init__(self, item: LogEntry):
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        stamp = format_stamp(self.item.stamp) if self.item.stamp is not None else "no time"
        with Vertical(classes="dialog"):
            yield Static(f"Edit the note from {stamp}", classes="dialog-title")
            # No select-all on focus: the first key must not wipe the note being corrected.
            yield NoteInput(typed_form(self.item.entry), placeholder=NOTE_PLACEHOLDER, id="edit", select_on_focus=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                if isinstance(self.item.entry, Action):
                    done = self.item.entry.state is ActionState.DONE
                    yield Button("Mark open" if done else "Mark done", id="tick")
                yield Button("Delete", variant="error", id="delete")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        edit = self.query_one("#edit", Input)
        edit.focus()
        edit.cursor_position = len(edit.value)

    @on(Input.Submitted, "#edit")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.dismiss(("save", self.query_one("#edit", Input).value))

    @on(Button.Pressed, "#tick")
    def _tick(self) -> None:
        self.dismiss(("tick", ""))

    @on(Button.Pressed, "#delete")
    def _delete(self) -> None:
        self.dismiss(("delete", ""))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
