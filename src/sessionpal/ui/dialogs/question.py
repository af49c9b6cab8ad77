"""A question's text, tags, phase and follow-ups, for adding or editing one in a pack of the coach's."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ...core.model import PHASES, Question
from ..widgets.form_error import FormError
from ..widgets.ordered_input import OrderedInput
from .form_keys import FORM_KEYS


class QuestionDialog(ModalScreen[dict[str, Any] | None]):
    """Returns {"text", "tags", "phase", "follow_ups"} or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="close", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="question_save", tooltip="Save the question"),
        *FORM_KEYS,
    ]

    def __init__(self, title: str, question: Question | None = None):
        super().__init__()
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        q = self.question
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Label("The question, as you would ask it")
            yield OrderedInput(q.text if q else "", id="question-text", placeholder="What matters most to you about this?", select_on_focus=False)
            yield Label("Tags (comma-separated, optional)")
            yield OrderedInput(", ".join(q.tags) if q else "", id="question-tags", placeholder="values, career", select_on_focus=False)
            yield Label("Phase of the session (optional)")
            options = [(phase, phase) for phase in PHASES]
            yield Select(options, value=q.phase.value if q and q.phase else Select.NULL, id="question-phase", prompt="any phase")
            yield Label("Follow-up questions, one per line (optional)")
            yield TextArea("\n".join(q.follow_ups) if q else "", id="question-follow-ups")
            yield FormError(id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        text = self.query_one("#question-text", Input)
        text.focus()
        text.cursor_position = len(text.value)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_save(self) -> None:
        text = " ".join(self.query_one("#question-text", Input).value.split())
        if not text:
            self.query_one(FormError).message = "A question needs its text."
            self.query_one("#question-text", Input).focus()
            return
        phase = self.query_one("#question-phase", Select).value
        self.dismiss(
            {
                "text": text,
                "tags": [t.strip() for t in self.query_one("#question-tags", Input).value.split(",") if t.strip()],
                "phase": phase if isinstance(phase, str) else None,
                "follow_ups": [f.strip() for f in self.query_one("#question-follow-ups", TextArea).text.split("\n") if f.strip()],
            }
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
