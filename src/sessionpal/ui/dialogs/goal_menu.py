"""Everything that can be done with one goal; the stalled-goal playbook first when it may be stalled."""

from __future__ import annotations

from textual.content import Content

from ...core.model import Goal
from ..widgets.goals import FLAG, goal_line
from .confirm import Choice, ChoiceDialog

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


class GoalMenuDialog(ChoiceDialog):
    """Returns an action ("status", "rate", ...) or a playbook move prefixed "move:"; None when closed."""

    def __init__(self, goal: Goal, flag: str = ""):
        choices: list[Choice] = []
        detail = Content("")
        if flag:
            choices += [(f"move:{key}", Content.from_markup("$label  [$text-muted]$hint[/]", label=label, hint=hint)) for key, label, hint in PLAYBOOK]
            choices.append(None)
            detail = Content.from_markup(
                f"[$text-warning]{FLAG} This goal may be stalled[/] [$text-muted]($why)[/]. Pushing harder rarely helps; try one of these with the client:",
                why=flag,
            )
        choices += [(key, Content.from_markup("[$text-muted]$letter[/]  $label", letter=letter, label=label)) for key, letter, label in ACTIONS]
        super().__init__(goal_line(goal), choices, detail=detail, wide=True, list_id="goal-actions")
        self.goal = goal
        self.flag = flag
