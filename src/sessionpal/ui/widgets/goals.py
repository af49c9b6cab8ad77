"""The goals sidebar: each of the client's goals with a status glyph and colour."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import Goal, GoalStatus

# Glyphs of single width everywhere; colours come from the theme, so dark and light both read well.
STATUS_LOOK: dict[GoalStatus, tuple[str, str]] = {
    GoalStatus.ACTIVE: ("○", "$foreground"),
    GoalStatus.ON_TRACK: ("▲", "$success"),
    GoalStatus.AT_RISK: ("▼", "$warning"),
    GoalStatus.STALLED: ("■", "$error"),
    GoalStatus.ACHIEVED: ("✓", "$success"),
    GoalStatus.CHANGED: ("↻", "$text-secondary"),
    GoalStatus.PAUSED: ("‖", "$text-muted"),
    GoalStatus.DROPPED: ("✗", "$text-muted"),
}


def goal_line(goal: Goal, *, stacked: bool = False) -> Content:
    """Glyph, title and status; stacked puts the status on its own line (the narrow sidebar)."""
    glyph, colour = STATUS_LOOK[goal.status]
    title_style = "strike $text-muted" if goal.status is GoalStatus.DROPPED else ""
    markup = f"[{colour}]$glyph[/] [{title_style}]$title[/]" if title_style else f"[{colour}]$glyph[/] $title"
    markup += f"\n  [{colour}]$status[/]" if stacked else f"  [{colour}]$status[/]"
    return Content.from_markup(markup, glyph=glyph, title=goal.title, status=goal.status.label)


class GoalsPane(Vertical):
    class Chosen(Message):
        def __init__(self, goal_id: str):
            super().__init__()
            self.goal_id = goal_id

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.goals: tuple[Goal, ...] | None = None  # None: not shown yet, so the first show always draws

    def compose(self) -> ComposeResult:
        yield Static("Goals", classes="pane-title")
        yield OptionList(id="goal-list")
        yield Static("No goals: F7 adds one. Working without goals is fine too.", id="goals-empty")

    def show(self, goals: tuple[Goal, ...]) -> None:
        # Open goals first, in the client's order; finished ones after.
        ordered = tuple(g for g in goals if g.status.is_open) + tuple(g for g in goals if not g.status.is_open)
        if ordered == self.goals:
            return
        self.goals = ordered
        options = self.query_one("#goal-list", OptionList)
        options.clear_options()
        options.add_options([Option(goal_line(g, stacked=True), id=g.id) for g in ordered])
        self.set_class(not ordered, "-empty")

    @on(OptionList.OptionSelected, "#goal-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
