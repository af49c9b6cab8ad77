"""Everything that can be done with one goal; the stalled-goal playbook first when it may be stalled."""

# GoalIntent lives with the sidebar (widgets/goals.py), whose keys name the same intents.

from __future__ import annotations

from textual import events
from textual.content import Content

from ...core.model import MOVE_WORDS, Goal, Move
from ..widgets.goals import FLAG, GoalIntent, goal_line
from .confirm import Choice, ChoiceDialog

# The playbook, in the order a coach would usually reach for it: understand before changing anything.
PLAYBOOK = [
    (Move.REASON, "Explore the real reason", "the playbook's questions, in the deck"),
    (Move.SUPPORT, "Add support between sessions", "an action: check in by message on a day you choose"),
    (Move.SHRINK, "Shrink it to a step doable in a day or two", "the smaller goal takes its place; this one becomes changed"),
    (Move.REPLACE, "Replace it with a different goal", "a goal that gets the client what this one was meant to"),
    (Move.VALUE, "Connect it to a value", "which of the client's values could it serve?"),
    (Move.DROP_ALL, "Set all goals aside for now", "the client works without goals; nothing is deleted"),
]

ACTIONS = [
    (GoalIntent.STATUS, "s", "Change status…"),
    (GoalIntent.RATE, "r", "Rate progress this session (1–10)…"),
    (GoalIntent.RENAME, "e", "Rename…"),
    (GoalIntent.VALUES, "v", "Link to a value…"),
    (GoalIntent.AREAS, "t", "Areas of life it touches…"),
    (GoalIntent.UP, "[", "Move up"),
    (GoalIntent.DOWN, "]", "Move down"),
]


def menu_choice(option_id: str) -> GoalIntent | Move:
    """The menu's answer (an option's id) as what it means."""
    if option_id.startswith("move:"):
        return Move(option_id[5:])
    return GoalIntent(option_id)


class GoalMenuDialog(ChoiceDialog):
    """Returns an option id (menu_choice tells what it means); None when closed. The letters it lists act at once."""

    def __init__(self, goal: Goal, flag: str = "", tried: tuple[Move, ...] = ()):
        """`flag`: why the goal may be stalled; `tried`: playbook moves made on it this session (then the rest stay
        offered, though a move has made it look unstalled: a shrink's smaller goal is new, a reason explored is movement)."""
        choices: list[Choice] = []
        detail = Content("")
        if flag or tried:
            # Still stalled: the whole playbook. A move made it look otherwise: the moves not yet tried (support again too).
            offered = [(move, label, hint) for move, label, hint in PLAYBOOK if flag or move not in tried or move is Move.SUPPORT]
            choices += [(f"move:{move.value}", Content.from_markup("$label  [$text-muted]$hint[/]", label=label, hint=hint)) for move, label, hint in offered]
            choices.append(None)
        if flag:
            detail = Content.from_markup(
                f"[$text-warning]{FLAG} This goal may be stalled[/] [$text-muted]($why)[/]. Pushing harder rarely helps; try one of these with the client:",
                why=flag,
            )
        elif tried:
            detail = Content.from_markup("[$text-muted]The playbook this session: $done. Its other moves:[/]", done=", ".join(MOVE_WORDS[m] for m in tried))
        choices += [(intent.value, Content.from_markup("[$text-muted]$letter[/]  $label", letter=letter, label=label)) for intent, letter, label in ACTIONS]
        super().__init__(goal_line(goal), choices, detail=detail, wide=True, list_id="goal-actions")
        self.goal = goal
        self.flag = flag
        self.letters = {letter: intent.value for intent, letter, _ in ACTIONS}

    def on_key(self, event: events.Key) -> None:
        if event.character in self.letters:
            event.stop()
            self.dismiss(self.letters[event.character])
