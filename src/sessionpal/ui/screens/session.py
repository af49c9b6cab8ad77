"""The live session screen: timer, question deck, notes and goals, for the length of a call.

State. What the screen shows comes from its LiveSession: the session counts its changes (`live.revision`),
the screen mirrors the count in its `revision` reactive, and that watcher sets the reactives the panes are
bound to (header, agreement, timer, notes, sidebar, what waits unsaved); only the panes' watchers draw. A
change goes through `change()`, the one funnel (core change, error told, shrink asked). The timer's tick
syncs too, so a change another program made shows within half a second.

Keys. The note line is home; where a key goes is decided by `armed`, in key order, not by focus (F7 and F8
arm one key for the sidebar or the log: session_keys.py, KeyRouter). Privacy: while the blind is down (F9)
the client's words are hidden. docs/architecture.md walks through all three.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.widgets import Static

from ...core.live import LiveSession
from ...core.lock import SessionLock
from ...core.timer import TimerReading, TimerState
from ..changes import attempt
from ..privacy import Redactor
from ..widgets.deck import DeckFilter, DeckPane
from ..widgets.footer import CompactFooter
from ..widgets.goals import GoalIntent, GoalsPane
from ..widgets.header import AgreementLine, HeaderFacts, SessionHeader
from ..widgets.notes import LogIntent, NoteInput, NotesLog, NotesPane, Unsaved
from ..widgets.status import StatusLine
from ..widgets.timer import TimerLine, TimerPane, TimerView
from .client_flow import ClientFlow
from .deck_flow import DeckFlow
from .goal_flow import GoalFlow
from .last_time_flow import LastTimeFlow
from .note_flow import NoteFlow
from .session_keys import GOAL_ACTIONS, LOG_ACTIONS, SESSION_BINDINGS, Armed, KeyRouter, allowed, session_commands
from .session_state import SessionState
from .upkeep import SessionUpkeep

__all__ = ["Armed", "SessionScreen"]  # Armed is the screen's word for what the next key acts on


class SessionScreen(SessionState):
    BINDINGS = SESSION_BINDINGS
    # The note line is home. Textual's default focuses the first focusable widget (the deck's filter) as the
    # screen composes, and moving from there restyles both inputs (and validates the filter on blur) before
    # the first frame.
    AUTO_FOCUS = "#note"

    def __init__(self, live: LiveSession, lock: SessionLock | None = None, news: str = ""):
        super().__init__()
        self.live = live
        self.news = news  # what brought the coach here ("New client"), told on the status line once shown
        self.client_lock = lock  # this app's hold on the client; None when read-only here (Widget.lock is Textual's)
        self._bindings_for: TimerState | None = None  # the timer state the footer's keys were worked out for
        self._drawn = False  # the first frame is on the screen: the log's lines are drawn from then on
        self.goal_flow = GoalFlow(self)
        self.note_flow = NoteFlow(self)
        self.last_time = LastTimeFlow(self)
        self.deck_flow = DeckFlow(self)
        self.client_flow = ClientFlow(self)
        self.upkeep = SessionUpkeep(self)  # the tick, retries, outside changes, reading in threads
        self.router = KeyRouter(self)  # where the next key goes, by `armed`
        self.classes_before_styling(live.started)

    # layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="session-top"):
            yield SessionHeader(id="session-header").data_bind(facts=SessionScreen.header)
            yield StatusLine(id="session-status")
        with Horizontal(id="columns"):
            with Vertical(id="side"):
                yield TimerPane(id="timer").data_bind(agreement=SessionScreen.agreement, view=SessionScreen.timer_view)
                yield GoalsPane(id="goals").data_bind(armed=SessionScreen.goals_armed, sidebar=SessionScreen.sidebar)
            with Vertical(id="work"):
                yield TimerLine(id="timer-line").data_bind(view=SessionScreen.timer_view)
                yield AgreementLine(id="agreement-line").data_bind(agreement=SessionScreen.agreement)
                yield DeckPane(id="deck").data_bind(offer=SessionScreen.offer, timer_phase=SessionScreen.phase)
                # Before the notes, so in privacy mode the note line stays at the bottom where it always is.
                yield Static("Private: names, notes and goals are hidden. F9 shows them again.", id="private-note")
                yield NotesPane(id="notes").data_bind(
                    armed=SessionScreen.log_armed,
                    reminder=SessionScreen.reminder,
                    lines=SessionScreen.note_lines,
                    unsaved=SessionScreen.unsaved,
                    last_time=SessionScreen.last_card,
                    stalled=SessionScreen.stalled,
                )
        # No palette hint here: with the sidebar's keys the footer overflows, and the hint would cover
        # the last keys. ctrl+p still opens the palette, and F1 says so.
        yield CompactFooter(
            left_out_when_narrow=("star", "log"), armed=GOAL_ACTIONS | LOG_ACTIONS, left_out_when_armed=("ask", "draw", "find", "star", "log", "private")
        )

    def on_mount(self) -> None:
        if self.pal.seed is not None:
            self.deck_flow.rng.seed(self.pal.seed)
        self.last_time.show()
        note_input = self.query_one(NoteInput)
        if self.live.read_only:
            note_input.placeholder = f"Read-only here: {self.live.read_only}"
            note_input.disabled = True
            self.query_one(DeckPane).query_one("#deck-filter").focus()
        else:
            self.focus_note()
        self.follow(self.pal.privacy_signal, self._privacy_changed, immediate=True)
        self._privacy_changed(self.pal.private)
        if self.news:
            self.status.say(self.news)
        self.deck.keys = {"widen": self.pal.key_for("filter", "f5"), "clear": self.pal.key_for("to_note", "escape")}
        self.call_after_refresh(self._first_frame)  # before the upkeep's own: the lines come before the deck
        self.sync()
        self.upkeep.start()

    def _first_frame(self) -> None:
        """The screen is drawn, the log still empty: a resumed session's lines (hundreds, each an option of the
        list to measure) now, after the first paint rather than before it."""
        self._drawn = True
        self.note_lines = tuple(self.live.log())

    # state and drawing ------------------------------------------------------------

    def sync(self) -> None:
        """Draw again if the session changed since it was last drawn (by us, a worker or another program)."""
        self.revision = self.live.revision

    def watch_revision(self) -> None:
        self.draw_timer()
        self._draw_header()
        if self._drawn:
            self.note_lines = tuple(self.live.log())
        self.goal_flow.show()
        self.set_class(self.live.started, "-started")
        # Which keys the footer offers depends on the timer's state only; redrawing it on every note
        # would cost the keystroke a footer layout.
        if self.live.timer.state != self._bindings_for:
            self._bindings_for = self.live.timer.state
            self.refresh_bindings()

    def watch_past(self) -> None:
        self.goal_flow.show()

    def _privacy_changed(self, private: bool) -> None:
        if private:
            self.status.clear()  # news told before the blind came down may hold the client's words
        self.set_class(private, "-private")
        self.query_one(NoteInput).password = private
        self.query_one(NoteInput).tag_suggester.muted = private
        self._draw_header()
        self.tally_unsaved()

    def draw_timer(self) -> TimerReading:
        """The timer's reading into its reactive: the two timers (bound to it) and the deck's phase follow."""
        reading = self.live.timer.read()
        self.timer_view = TimerView(reading, self.live.timer.spans)
        return reading

    def watch_timer_view(self, view: TimerView | None) -> None:
        if view is not None and view.reading.span is not None:  # between phases, the deck keeps the last one
            self.phase = view.reading.span.phase.questions

    def watch_last_card(self) -> None:
        self._draw_header()  # "session 5 of 12" counts the sessions the card was read with

    def _draw_header(self) -> None:
        """The header's and the agreement's reactives, from the session (their widgets draw, if they changed)."""
        self.header = HeaderFacts.of_session(self.live, self.pal.private, self.last_time.standing())
        self.agreement = self.live.document.info.agreement if self.live.document and not self.pal.private else ""

    def tally_unsaved(self) -> None:
        """The notes waiting for the disk, into their reactive (their words hidden behind the blind)."""
        waiting = () if self.pal.private else tuple(n.text for n in self.live.pending)
        self.unsaved = Unsaved(len(self.live.pending), self.note_flow.unsaved_reason, waiting)

    # the public face the goal flow and the tests use ---------------------------------

    @property
    def deck(self) -> DeckPane:
        return self.query_one(DeckPane)

    @property
    def goals_pane(self) -> GoalsPane:
        return self.query_one(GoalsPane)

    @property
    def note_line(self) -> NoteInput:
        return self.query_one("#note", NoteInput)

    def focus_note(self) -> None:
        """The cursor home, at once (Widget.focus waits for the next idle: a key typed before then would land elsewhere)."""
        note_input = self.query_one(NoteInput)
        if not note_input.disabled:
            self.set_focus(note_input)

    def change(self, title: str, change: Callable[[], object], *, done: Callable[[], object] | None = None) -> bool:
        """The one funnel: make a change through the LiveSession, tell the coach if it failed, redraw what moved."""

        def made() -> None:
            self.sync()
            if done is not None:
                done()

        made_it = attempt(self, title, change, done=made)
        self.note_flow.tell_outside()
        self.sync()  # a failed change may still have moved something (the timer paused before its save failed)
        return made_it

    def blind(self, what: str) -> bool:
        """True (and the coach told why) while the privacy blind is down: `what` stays hidden."""
        if self.pal.private:
            self.notify(f"Private is on: {what} stay hidden. F9 shows them.", timeout=4, markup=False)
        return self.pal.private

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None, markup: bool = True) -> None:
        # While the blind is down, nothing the coach is told shows the client's words.
        if self.pal.private:
            redact = Redactor.for_client(self.live.client, self.live.document)
            message, title = redact(message), redact(title)
        if severity == "information":  # news: on the status line, where it covers nothing the coach reads
            self.status.say(message, title, timeout)
            return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_screen_resume(self) -> None:
        # Back from a dialog, the values view, the review or the palette: the cursor goes home.
        self.focus_note()

    def action_model(self) -> None:
        self.client_flow.choose_model()

    def action_engagement(self) -> None:
        self.client_flow.engagement()

    def action_past_session(self) -> None:
        self.client_flow.past_session()

    def on_key(self, event: events.Key) -> None:
        self.router.stray(event)

    # notes --------------------------------------------------------------------

    @on(NoteInput.Submitted, "#note")
    def _note_typed(self, event: NoteInput.Submitted) -> None:
        event.stop()
        self.note_flow.save_typed(event.value)

    @on(NotesLog.Opened)
    def _log_clicked(self, event: NotesLog.Opened) -> None:
        self.note_flow.edit(event.item)

    # goals: the sidebar posts, the flow acts ---------------------------------------------

    @on(GoalsPane.Opened)
    def _goal_clicked(self, event: GoalsPane.Opened) -> None:
        self.goal_flow.menu(event.goal_id)

    @on(GoalsPane.AreaToggled)
    def _area_toggled(self, event: GoalsPane.AreaToggled) -> None:
        self.goal_flow.toggle_area(event.area)

    def action_goals(self) -> None:
        self.goal_flow.open()

    def action_alignment(self) -> None:
        self.goal_flow.alignment()

    def action_toggle_no_goals(self) -> None:
        self.goal_flow.toggle_no_goals()

    def action_areas(self) -> None:
        self.goal_flow.areas()

    def action_agreement(self) -> None:
        self.note_flow.agreement()

    # actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return allowed(self, action)

    def action_start(self) -> None:
        self.change("Timer not saved", self.live.toggle)

    action_pause = action_resume = action_start  # one toggle, three names: the footer says which it does now

    def action_ask(self) -> None:
        self.deck_flow.ask()

    def action_draw(self) -> None:
        self.deck_flow.draw()

    def action_deck_move(self, delta: int) -> None:
        self.router.steer(delta)

    def action_find(self) -> None:
        self.deck_flow.find()

    @on(DeckFilter.Done)
    @on(DeckFilter.Clear)
    def _filter_left(self) -> None:
        self.focus_note()

    def action_star(self) -> None:
        self.deck_flow.star()

    def action_log(self) -> None:
        self.router.arm_log()

    def action_to_note(self) -> None:
        self.router.home()

    # keys: the armed sidebar or log ----------------------------------------------------

    def watch_armed(self) -> None:
        self.refresh_bindings()  # the footer shows the armed list's keys

    def arm_goals(self) -> None:
        self.router.arm(Armed.GOALS)

    def on_note_input_armed_key(self, message: NoteInput.ArmedKey) -> None:
        self.router.took(message.act)

    def on_note_input_steer(self, message: NoteInput.Steer) -> None:
        self.router.steer(message.delta)

    def on_note_input_disarmed(self, message: NoteInput.Disarmed) -> None:
        self.armed = Armed.NOTE

    def action_add_goal(self) -> None:
        self.goal_flow.add()

    def action_goal_menu(self) -> None:
        self.router.goal_menu()

    def action_goal(self, intent: str) -> None:
        """The sidebar's key after F7 (GOAL_KEYS), on the highlighted goal."""
        self.router.goal(GoalIntent(intent))

    def action_log_line(self, intent: str) -> None:
        """The log's key after F8 (LOG_KEYS), on the highlighted line."""
        self.router.log_line(LogIntent(intent))

    def action_private(self) -> None:
        self.pal.private = not self.pal.private

    def action_patterns(self) -> None:
        self.client_flow.patterns()

    def action_close(self) -> None:
        self.dismiss()

    def action_switch_client(self) -> None:
        self.note_flow.switch_client()

    def action_end(self) -> None:
        self.note_flow.end()

    # leaving ------------------------------------------------------------------

    def on_unmount(self) -> None:
        self.upkeep.stop()

    def save_before_exit(self) -> bool:
        """Save whatever is waiting (the note line's words too); False if some notes could not be saved."""
        return self.note_flow.save_all()

    def palette_commands(self) -> Iterable[SystemCommand]:
        return session_commands(self)
