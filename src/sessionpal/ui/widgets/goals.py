"""The goals sidebar: each goal with a status glyph and colour, its rating trend, and a gentle flag
when it may be stalled. For a client working without goals, the focus areas instead.

F7 arms the sidebar: the next key acts on the highlighted goal (the keys are in
the footer), arrows move the highlight, Esc disarms; the cursor stays in the note
line throughout. The pane draws and tells which goal is highlighted; the screen
makes each change through the core.
"""

from __future__ import annotations

import enum
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import Goal, GoalStatus
from ...core.stalled import sparkline

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

FLAG = "⚑"


def goal_line(goal: Goal, *, stacked: bool = False, trend: list[int] | None = None, flagged: bool = False, rated: int | None = None) -> Content:
    """Glyph, title and status; stacked puts the status, trend and flag on a second line (the sidebar)."""
    glyph, colour = STATUS_LOOK[goal.status]
    title_style = "strike $text-muted" if goal.status is GoalStatus.DROPPED else ""
    markup = f"[{colour}]$glyph[/] [{title_style}]$title[/]" if title_style else f"[{colour}]$glyph[/] $title"
    details = f"[{colour}]$status[/]"
    if trend:
        details += "  [$text-muted]$trend[/]"
    if rated is not None:
        details += "  [$text-muted]$rated today[/]"
    if flagged:
        details += f"  [$text-warning]{FLAG} may be stalled[/]"
    markup += ("\n  " if stacked else "  ") + details
    return Content.from_markup(markup, glyph=glyph, title=goal.title, status=goal.status.label, trend=sparkline(trend or []), rated=str(rated))


# The sidebar's keys, once F7 has armed it: each acts on the highlighted goal, once, and the note line has every
# key after it (see SessionScreen, "Keys"). They are the session screen's bindings, shown in its footer while
# the sidebar is armed, so that the cursor never leaves the note line.
class GoalIntent(enum.Enum):
    """What can be done with one goal: the sidebar's keys after F7 and the goal's menu name the same intents
    (a playbook move is a core.model.Move); the session screen's `action_goal` and GoalFlow.choose match them
    exhaustively, so an intent with no handler is a type error, never silence."""

    STATUS = "status"
    RATE = "rate"
    RENAME = "rename"
    VALUES = "value"
    AREAS = "tags"
    UP = "up"
    DOWN = "down"


def _intent(intent: GoalIntent) -> str:
    return f"goal({intent.value!r})"  # the session screen's action_goal, with the intent


GOAL_KEYS = [
    Binding("a", "add_goal", "Add", id="goal_add", tooltip="Add a goal in the client's own words"),
    Binding("s", _intent(GoalIntent.STATUS), "Status", id="goal_status", tooltip="Change the goal's status, with a one-line note"),
    Binding("r", _intent(GoalIntent.RATE), "Rate", id="goal_rate", tooltip="Rate progress on the goal this session, 1 to 10"),
    Binding("e", _intent(GoalIntent.RENAME), "Rename", id="goal_rename", tooltip="Rename the goal, in the client's words"),
    Binding("v", _intent(GoalIntent.VALUES), "Value", id="goal_value", tooltip="Link the goal to one of the client's values"),
    Binding("t", _intent(GoalIntent.AREAS), "Areas", id="goal_areas", tooltip="The areas of life the goal touches (an ask-first area reminds you to ask)"),
    Binding("left_square_bracket,shift+up", _intent(GoalIntent.UP), "Move up", id="goal_up", tooltip="Move the goal up the list", show=False),
    Binding("right_square_bracket,shift+down", _intent(GoalIntent.DOWN), "Move down", id="goal_down", tooltip="Move the goal down the list", show=False),
    Binding("l", "alignment", "Alignment", id="alignment", tooltip="Values and goals side by side: which goal serves which value"),
    Binding("enter", "goal_menu", "Menu", id="goal_menu", tooltip="Everything for this goal; the stalled-goal playbook first when it may be stalled"),
]


class GoalList(OptionList):
    """The sidebar's list: shown, highlighted and clicked, never focused (the note line keeps the cursor)."""

    can_focus = False


class GoalsPane(Vertical):
    """Goals (or focus areas). `armed` (bound from the session screen) is on while F7's one key is awaited:
    the highlighted goal then stands out. A click posts Opened or AreaToggled."""

    armed: var[bool] = var(False)

    class Opened(Message):
        """The coach clicked a goal: its menu."""

        def __init__(self, goal_id: str):
            super().__init__()
            self.goal_id = goal_id

    class AreaToggled(Message):
        def __init__(self, area: str):
            super().__init__()
            self.area = area

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.goals: tuple[Goal, ...] | None = None  # None: not shown yet, so the first show always draws
        self._shown: tuple[object, ...] | None = None
        self.areas: tuple[str, ...] = ()
        self.no_goals = False

    def compose(self) -> ComposeResult:
        yield Static("Goals", id="goals-title", classes="pane-title")
        yield GoalList(id="goal-list")
        yield Static("No goals: F7 adds one. Working without goals is fine too.", id="goals-empty")

    def watch_armed(self, armed: bool) -> None:
        self.set_class(armed, "-armed")

    def show(
        self,
        goals: tuple[Goal, ...],
        *,
        trends: dict[str, list[int]] | None = None,
        flagged: dict[str, str] | None = None,
        rated: dict[str, int] | None = None,
    ) -> None:
        trends, flagged, rated = trends or {}, flagged or {}, rated or {}
        # Open goals first, in the client's order; finished ones after.
        ordered = tuple(g for g in goals if g.status.is_open) + tuple(g for g in goals if not g.status.is_open)
        key = ("goals", ordered, tuple(sorted((k, tuple(v)) for k, v in trends.items())), tuple(sorted(flagged)), tuple(sorted(rated.items())))
        if key == self._shown:
            return
        self._fill(
            [Option(goal_line(g, stacked=True, trend=trends.get(g.id), flagged=g.id in flagged, rated=rated.get(g.id)), id=g.id) for g in ordered],
            key,
            areas=False,
        )
        self.goals = ordered
        self.query_one("#goals-title", Static).update("Goals")
        self.set_class(not ordered, "-empty")
        self.remove_class("-no-goals")

    def show_areas(self, areas: tuple[str, ...], touched: tuple[str, ...]) -> None:
        """Working without goals: the focus areas, ticked when this session touched them."""
        key = ("areas", areas, touched)
        if key == self._shown:
            return
        self._fill(
            [Option(Content.from_markup("[$success]✓[/] $area" if a in touched else "[$text-muted]·[/] $area", area=a), id=f"area:{a}") for a in areas],
            key,
            areas=True,
        )
        self.areas = areas
        self.query_one("#goals-title", Static).update("Focus areas · working without goals")
        self.remove_class("-empty")
        self.add_class("-no-goals")

    def _fill(self, options: list[Option], key: tuple[object, ...], *, areas: bool) -> None:
        """Replace the list; the highlight stays put unless the list switched between goals and areas."""
        same_mode = self.no_goals == areas
        self._shown, self.no_goals = key, areas
        goal_list = self.query_one(GoalList)
        highlighted = goal_list.highlighted if same_mode else 0
        goal_list.clear_options()
        goal_list.add_options(options)
        if options:
            goal_list.highlighted = min(highlighted or 0, len(options) - 1)

    def current_goal(self) -> str | None:
        options = self.query_one(GoalList)
        if self.no_goals or not self.goals or options.highlighted is None:
            return None
        return self.goals[options.highlighted].id

    def current_area(self) -> str | None:
        options = self.query_one(GoalList)
        if not self.no_goals or not self.areas or options.highlighted is None:
            return None
        return self.areas[options.highlighted]

    def select(self, goal_id: str) -> None:
        """Highlight this goal (after it moved in the list)."""
        if self.goals and goal_id in [g.id for g in self.goals]:
            self.query_one(GoalList).highlighted = [g.id for g in self.goals].index(goal_id)

    def steer(self, delta: int) -> None:
        """Move the highlight (the armed sidebar's arrows)."""
        goal_list = self.query_one(GoalList)
        if goal_list.option_count:
            goal_list.highlighted = max(0, min(goal_list.option_count - 1, (goal_list.highlighted or 0) + delta))

    @on(OptionList.OptionSelected, "#goal-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("area:"):
            self.post_message(self.AreaToggled(option_id[5:]))
        else:
            self.post_message(self.Opened(option_id))
