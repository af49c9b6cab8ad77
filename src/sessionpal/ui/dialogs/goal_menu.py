"""Everything that can be done with one goal; the stalled-goal playbook first when it may be stalled."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import Goal
from ..widgets.goals import FLAG, goal_line

# The playbook, in the order a coach would usually reach for it: understand before changing anything.
PLAYBOOK = [
    ("reason", "Explore the real reason", "the playbook's questions, in the deck"),
    ("support", "Add support between sessions", "an action: check in by message on a day you choose"),
    ("shrink", "Shrink it to a step doable in a day or two", "the smaller goal takes its place; this one becomes changed"),
    ("replace", "Replace it with a different goal", "a goal that gets the client what this one was meant to"),
    ("value", "Connect it to a value", "which of the client's values could it serve?"),
    ("aside", "Set all goals aside for now", "the client works without goals; nothing is deleted"),
]

ACTIONS = [
    ("status", "s", "Change status…"),
    ("rate", "r", "Rate progress this session (1–10)…"),
    ("rename", "e", "Rename…"),
    ("value", "v", "Link to a value…"),
    ("tags", "t", "Areas of life it touches…"),
    ("up", "[", "Move up"),
    ("down", "]", "Move down"),
]


class GoalMenuDialog(ModalScreen[str | None]):
    """Returns an action ("status", "rate", ...) or a playbook move prefixed "move:"."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="close", tooltip="Close")]

    def __init__(self, goal: Goal, flag: str = ""):
        super().__init__()
        self.goal = goal
        self.flag = flag

    def compose(self) -> ComposeResult:
        options: list[Option | None] = []
        if self.flag:
            for key, label, hint in PLAYBOOK:
                options.append(Option(Content.from_markup("$label  [$text-muted]$hint[/]", label=label, hint=hint), id=f"move:{key}"))
            options.append(None)
        for key, letter, label in ACTIONS:
            options.append(Option(Content.from_markup("[$text-muted]$letter[/]  $label", letter=letter, label=label), id=key))
        with Vertical(classes="dialog wide"):
            yield Static(goal_line(self.goal), classes="dialog-title")
            if self.flag:
                yield Static(
                    Content.from_markup(
                        f"[$text-warning]{FLAG} This goal may be stalled[/] [$text-muted]($why)[/]. Pushing harder rarely helps; try one of these with the client:",
                        why=self.flag,
                    ),
                    classes="dialog-detail",
                )
            yield OptionList(*options, id="goal-actions")

    def on_mount(self) -> None:
        self.query_one("#goal-actions", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#goal-actions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
