"""Goal dialogs: pick a goal, change its status with a one-line note, add a goal."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import Goal, GoalStatus
from ..widgets.form_error import FormError
from ..widgets.goals import STATUS_LOOK, goal_line
from ..widgets.ordered_input import OrderedInput
from .confirm import Choice, ChoiceDialog
from .form_keys import FORM_KEYS

NEW_GOAL = "+new"
ALIGNMENT = "+alignment"

STATUS_HELP = {
    GoalStatus.ACTIVE: "being worked on",
    GoalStatus.ON_TRACK: "moving as hoped",
    GoalStatus.AT_RISK: "may not happen as planned",
    GoalStatus.STALLED: "not moving: time to look at why, not to push",
    GoalStatus.ACHIEVED: "done",
    GoalStatus.CHANGED: "replaced by a different or smaller goal",
    GoalStatus.PAUSED: "set aside for now, by choice",
    GoalStatus.DROPPED: "let go",
}


class GoalPickerDialog(ChoiceDialog):
    """Which goal? Returns its id, NEW_GOAL, ALIGNMENT, or None."""

    def __init__(self, goals: tuple[Goal, ...], flagged: frozenset[str] = frozenset(), typed: Callable[[str], None] | None = None):
        choices: list[Choice] = [(g.id, goal_line(g, flagged=g.id in flagged)) for g in goals]
        choices.append((NEW_GOAL, Content.from_markup("[$accent]+[/] Add a goal…")))
        choices.append((ALIGNMENT, Content.from_markup("[$accent]≡[/] Values and goals side by side…")))
        super().__init__("Goals: choose one", choices, list_id="goals")
        self.typed = typed  # where words typed over the picker go (the note line): none is lost

    def on_key(self, event: events.Key) -> None:
        # F7 at 80 columns opens this picker; a coach typing on (F7 then "rate is slow") meant a note.
        if self.typed is not None and event.is_printable and event.character:
            event.stop()
            self.typed(event.character)
            if self.is_current:
                self.dismiss(None)


class GoalStatusDialog(ModalScreen[tuple[GoalStatus, str] | None]):
    """A new status for one goal, with an optional one-line note for its history."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="close", tooltip="Close without changing the goal"), *FORM_KEYS]

    def __init__(self, goal: Goal):
        super().__init__()
        self.goal = goal

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Status of [b]$title[/b]", title=self.goal.title), classes="dialog-title")
            options = []
            for status in GoalStatus:
                glyph, colour = STATUS_LOOK[status]
                current = "  [$text-muted](now)[/]" if status is self.goal.status else ""
                options.append(
                    Option(
                        Content.from_markup(
                            f"[{colour}]$glyph $label[/]  [$text-muted]$help[/]{current}", glyph=glyph, label=f"{status.label:<9}", help=STATUS_HELP[status]
                        ),
                        id=status.value,
                    )
                )
            yield OptionList(*options, id="statuses")
            yield Label("Note for the goal's history (optional)")
            yield OrderedInput(placeholder="e.g. busy month at work; shrinking it to one run a week", id="status-note", max_length=300)
            yield Static("↑↓ choose · Tab to the note · Enter saves · Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        statuses = self.query_one("#statuses", OptionList)
        statuses.highlighted = list(GoalStatus).index(self.goal.status)
        statuses.focus()

    def _save(self) -> None:
        statuses = self.query_one("#statuses", OptionList)
        if statuses.highlighted is None:
            return
        status = list(GoalStatus)[statuses.highlighted]
        self.dismiss((status, self.query_one("#status-note", Input).value.strip()))

    @on(OptionList.OptionSelected, "#statuses")
    def _chosen(self) -> None:
        self._save()

    @on(Input.Submitted, "#status-note")
    def _submitted(self) -> None:
        self._save()

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddGoalDialog(ModalScreen[tuple[str, str] | None]):
    """A goal in the client's own words, and optionally the value it expresses."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="close", tooltip="Close without adding a goal"), *FORM_KEYS]

    def __init__(self, values: tuple[str, ...]):
        super().__init__()
        self.values = values

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Add a goal, in the client's words", classes="dialog-title")
            yield OrderedInput(placeholder="e.g. Leave the bank by spring", id="goal-title", max_length=200)
            hint = f"Value it expresses (optional; theirs: {', '.join(self.values)})" if self.values else "Value it expresses (optional)"
            yield Label(hint, markup=False)
            yield OrderedInput(placeholder="e.g. freedom", id="goal-value", suggester=SuggestFromList(self.values, case_sensitive=False), max_length=100)
            yield FormError(id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#goal-title", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def _add(self) -> None:
        title = " ".join(self.query_one("#goal-title", Input).value.split())
        if not title:
            self.query_one(FormError).message = "A goal needs a title."
            self.query_one("#goal-title", Input).focus()
            return
        self.dismiss((title, " ".join(self.query_one("#goal-value", Input).value.split())))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
