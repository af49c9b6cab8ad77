"""What the session screen's panes show, as state: the reactives the panes are bound to (`data_bind` in
SessionScreen.compose), what is computed from them, and the classes the screen is styled with. SessionScreen
(screens/session.py) sets them; only the panes' watchers draw."""

from __future__ import annotations

from textual.reactive import var
from textual.screen import Screen

from ...core.live import LogEntry
from ...core.model import Phase
from ...core.stalled import SessionFacts
from ..context import TypedApp
from ..following import FollowsApp
from ..widgets.goals import Sidebar
from ..widgets.header import HeaderFacts
from ..widgets.last_time import LastTimeView
from ..widgets.notes import Unsaved
from ..widgets.timer import TimerView
from .session_keys import Armed


def _breakpoints(size: int, breakpoints: list[tuple[int, str]]) -> tuple[str, ...]:
    """The breakpoint class a screen of this width (or height) is given: the one of the largest breakpoint it
    reaches, as Textual's Screen chooses it at a Resize."""
    return next(((name,) for at, name in sorted(breakpoints, reverse=True) if size >= at), ())


class SessionState(Screen[None], FollowsApp):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]

    pal = TypedApp()
    revision: var[int] = var(-1, init=False)  # the LiveSession revision last drawn
    past: var[tuple[SessionFacts, ...]] = var((), init=False)  # earlier sessions' goal facts (read with the deck)
    armed: var[Armed] = var(Armed.NOTE, init=False)  # what the next key acts on (see "Keys"): shown, and in the footer
    goals_armed: var[bool] = var(False)  # bound into the sidebar
    log_armed: var[bool] = var(False)  # bound into the notes pane
    # (title, message) of the reminder above the note line (ask permission first): set by the goal flow, gone
    # with the next note; bound into the notes pane.
    reminder: var[tuple[str, str]] = var(("", ""))
    header: var[HeaderFacts | None] = var(None)  # bound into the header row
    timer_view: var[TimerView | None] = var(None)  # the timer's reading, bound into both timers
    agreement: var[str] = var("")  # the session agreement, bound into its two lines ("" behind the blind)
    sidebar: var[Sidebar | None] = var(None)  # the goals or focus areas, bound into the sidebar (GoalFlow.show sets it)
    note_lines: var[tuple[LogEntry, ...]] = var(())  # the session's notes, bound into the log
    unsaved: var[Unsaved] = var(Unsaved())  # the notes waiting for the disk, bound above the note line
    last_card: var[LastTimeView | None] = var(None)  # the "last time" card (LastTimeFlow sets it)
    offer: var[str] = var("")  # the deck's line for this moment (a goal that may be stalled)
    phase: var[Phase | None] = var(None)  # whose questions the deck follows, bound into it
    stalled: var[frozenset[str]] = var(frozenset())  # goals that may be stalled (from the sidebar), bound into the card

    def compute_stalled(self) -> frozenset[str]:
        return self.sidebar.flagged if self.sidebar is not None else frozenset()

    def compute_goals_armed(self) -> bool:
        return self.armed is Armed.GOALS

    def compute_log_armed(self) -> bool:
        return self.armed is Armed.LOG

    def classes_before_styling(self, started: bool) -> None:
        """The classes the screen's state gives it, given before it is styled: Textual sets the breakpoints' at
        the first Resize and the watchers set the rest after mount, and each change of a screen's class restyles
        every widget on it and repaints them all (~15 ms just after the first frame). Set now, those find
        nothing to change."""
        width, height = self.app.size
        self.add_class(*_breakpoints(width, self.HORIZONTAL_BREAKPOINTS), *_breakpoints(height, self.VERTICAL_BREAKPOINTS), update=False)
        self.set_class(started, "-started", update=False)
        self.set_class(self.pal.private, "-private", update=False)
