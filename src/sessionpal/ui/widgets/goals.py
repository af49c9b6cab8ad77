"""The goals sidebar: each goal with a status glyph and colour, its rating trend, and a gentle flag
when it may be stalled. For a client working without goals, the focus areas instead.

F7 arms the sidebar: the next key acts on the highlighted goal (the keys are in
the footer), arrows move the highlight, Esc disarms; the cursor stays in the note
line throughout. The pane draws and tells which goal is highlighted; the screen
makes each change through the core.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from msgspec import Struct, field
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


class Sidebar(Struct, frozen=True):
    """What the sidebar shows, as one value the session screen holds and binds into the pane: the goals (open
    ones first, in the client's order) with their rating trends, stalled flags and today's ratings; or, for a
    client working without goals (`areas` not None), the focus areas and those this session touched. Equal
    values draw nothing, so the screen may set it on every change."""

    goals: tuple[Goal, ...] = ()
    trends: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    flagged: frozenset[str] = frozenset()
    rated: Mapping[str, int] = field(default_factory=dict)
    areas: tuple[str, ...] | None = None
    touched: tuple[str, ...] = ()

    @classmethod
    def of_goals(cls, goals: tuple[Goal, ...], trends: Mapping[str, tuple[int, ...]], flagged: frozenset[str], rated: Mapping[str, int]) -> Sidebar:
        ordered = tuple(g for g in goals if g.status.is_open) + tuple(g for g in goals if not g.status.is_open)
        return cls(ordered, dict(trends), flagged, dict(rated))

    def options(self) -> list[Option]:
        if self.areas is not None:
            return [
                Option(Content.from_markup("[$success]✓[/] $area" if a in self.touched else "[$text-muted]·[/] $area", area=a), id=f"area:{a}")
                for a in self.areas
            ]
        return [
            Option(goal_line(g, stacked=True, trend=list(self.trends.get(g.id, ())), flagged=g.id in self.flagged, rated=self.rated.get(g.id)), id=g.id)
            for g in self.goals
        ]


class GoalsPane(Vertical):
    """Goals (or focus areas), drawn from `sidebar`; `armed` is on while F7's one key is awaited: the
    highlighted goal then stands out. Both are bound from the session screen. A click posts Opened or
    AreaToggled."""

    # The highlight only matters while F7 has armed the list (the cursor stays in the note line); otherwise
    # it would pull the eye.
    DEFAULT_CSS = """
    GoalsPane {
        height: 1fr;
        margin-top: 1;
        #goal-list { height: 1fr; border: none; background: transparent; }
        #goals-empty { display: none; padding: 0 1; color: $text-muted; }
        &.-empty #goals-empty { display: block; }
        &.-empty #goal-list { display: none; }
        #goal-list > .option-list--option-highlighted { background: transparent; text-style: none; }
        &.-armed #goal-list > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    armed: var[bool] = var(False)
    sidebar: var[Sidebar | None] = var(None)

    class Opened(Message):
        """The coach clicked a goal: its menu."""

        def __init__(self, goal_id: str):
            super().__init__()
            self.goal_id = goal_id

    class AreaToggled(Message):
        def __init__(self, area: str):
            super().__init__()
            self.area = area

    def compose(self) -> ComposeResult:
        yield Static("Goals", id="goals-title", classes="pane-title")
        yield GoalList(id="goal-list")
        yield Static("No goals: F7 adds one. Working without goals is fine too.", id="goals-empty")

    def watch_armed(self, armed: bool) -> None:
        self.set_class(armed, "-armed")

    def watch_sidebar(self, before: Sidebar | None, sidebar: Sidebar | None) -> None:
        """The list again; the highlight stays put unless the list switched between goals and areas."""
        if sidebar is None:
            return
        areas = sidebar.areas is not None
        goal_list = self.query_one(GoalList)
        highlighted = goal_list.highlighted if before is not None and (before.areas is not None) == areas else 0
        options = sidebar.options()
        goal_list.clear_options()
        goal_list.add_options(options)
        if options:
            goal_list.highlighted = min(highlighted or 0, len(options) - 1)
        self.query_one("#goals-title", Static).update("Focus areas · working without goals" if areas else "Goals")
        self.set_class(not areas and not sidebar.goals, "-empty")
        self.set_class(areas, "-no-goals")

    @property
    def no_goals(self) -> bool:
        """The focus areas are shown: the client works without goals."""
        return self.sidebar is not None and self.sidebar.areas is not None

    @property
    def goals(self) -> tuple[Goal, ...]:
        return self.sidebar.goals if self.sidebar is not None and not self.no_goals else ()

    @property
    def areas(self) -> tuple[str, ...]:
        return (self.sidebar.areas or ()) if self.sidebar is not None else ()

    def current_goal(self) -> str | None:
        highlighted = self.query_one(GoalList).highlighted
        if not self.goals or highlighted is None or highlighted >= len(self.goals):
            return None
        return self.goals[highlighted].id

    def current_area(self) -> str | None:
        highlighted = self.query_one(GoalList).highlighted
        if not self.areas or highlighted is None or highlighted >= len(self.areas):
            return None
        return self.areas[highlighted]

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
