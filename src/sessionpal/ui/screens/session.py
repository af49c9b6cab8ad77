"""The live session screen: timer, question deck, notes and goals, for the length of a call.

State. What the screen shows comes from its LiveSession: the session counts its changes
(`live.revision`) and the screen mirrors that count in the `revision` reactive, whose watcher sets the
reactives the panes are bound to (the header, the agreement, the reminder, what is armed) and hands the
log and the sidebar their lines. A change goes through `change()` (the one funnel: core change, error
told, shrink asked); `sync()` copies the revision. The timer's tick syncs too, so a change another
program made shows within half a second.

Focus and keys. The note line is home: every dialog and palette command ends with the cursor back in
it, and where a key goes is decided in key order, not by focus (F7 and F8 arm one key for the sidebar
or the log; session_keys.py holds the bindings). docs/architecture.md, "Keys", walks through it.

Privacy. While the blind is down (F9) the client's words are hidden and nothing opens that would show
them; docs/architecture.md, "Where state lives", says how.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, Static

from ...core.engagement import Standing
from ...core.fsio import WriteError
from ...core.live import LiveSession
from ...core.lock import SessionLock
from ...core.saving import SaveFailed
from ...core.stalled import SessionFacts
from ...core.timer import TimerReading, TimerState
from ..changes import attempt, when_answered
from ..context import TypedApp
from ..dialogs.text import TextDialog
from ..privacy import Redactor
from ..widgets.deck import DeckFilter, DeckPane
from ..widgets.footer import CompactFooter
from ..widgets.goals import GoalIntent, GoalsPane
from ..widgets.header import AgreementLine, HeaderFacts, SessionHeader
from ..widgets.notes import LastTimeCard, NoteInput, NotesLog, NotesPane
from ..widgets.status import StatusLine
from ..widgets.timer import TimerLine, TimerPane, TimerView
from .client_flow import ClientFlow
from .deck_flow import DeckFlow
from .goal_flow import GoalFlow
from .last_time_flow import LastTimeFlow
from .note_flow import NoteFlow
from .session_keys import GOAL_ACTIONS, LOG_ACTIONS, SESSION_BINDINGS, Armed, allowed, armed_keys, session_commands
from .upkeep import SessionUpkeep

__all__ = ["Armed", "SessionScreen"]  # Armed is the screen's word for what the next key acts on


class SessionScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]

    BINDINGS = SESSION_BINDINGS

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

    def __init__(self, live: LiveSession, lock: SessionLock | None = None, news: str = ""):
        super().__init__()
        self.live = live
        self.news = news  # what brought the coach here ("New client"), told on the status line once shown
        self.client_lock = lock  # this app's hold on the client; None when read-only here (Widget.lock is Textual's)
        self.flags: dict[str, str] = {}  # goal id -> why it may be stalled
        self._bindings_for: TimerState | None = None  # the timer state the footer's keys were worked out for
        self.goal_flow = GoalFlow(self)
        self.note_flow = NoteFlow(self)
        self.last_time = LastTimeFlow(self)
        self._arms = 0  # how many times a list was armed: an action that arms again keeps it armed
        self.deck_flow = DeckFlow(self)
        self.client_flow = ClientFlow(self)
        self.upkeep = SessionUpkeep(self)  # the tick, retries, outside changes, reading in threads

    # layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="session-top"):
            yield SessionHeader(id="session-header").data_bind(facts=SessionScreen.header)
            yield StatusLine(id="session-status")
        with Horizontal(id="columns"):
            with Vertical(id="side"):
                yield TimerPane(id="timer").data_bind(agreement=SessionScreen.agreement, view=SessionScreen.timer_view)
                yield GoalsPane(id="goals").data_bind(armed=SessionScreen.goals_armed)
            with Vertical(id="work"):
                yield TimerLine(id="timer-line").data_bind(view=SessionScreen.timer_view)
                yield AgreementLine(id="agreement-line").data_bind(agreement=SessionScreen.agreement)
                yield DeckPane(id="deck")
                # Before the notes, so in privacy mode the note line stays at the bottom where it always is.
                yield Static("Private: names, notes and goals are hidden. F9 shows them again.", id="private-note")
                yield NotesPane(id="notes").data_bind(armed=SessionScreen.log_armed, reminder=SessionScreen.reminder)
        # No palette hint here: with the sidebar's keys the footer overflows, and the hint would cover
        # the last keys. ctrl+p still opens the palette, and F1 says so.
        yield CompactFooter(
            left_out_when_narrow=("star", "log"), armed=GOAL_ACTIONS | LOG_ACTIONS, left_out_when_armed=("ask", "draw", "find", "star", "log", "private")
        )

    def on_mount(self) -> None:
        if self.pal.seed is not None:
            self.deck_flow.rng.seed(self.pal.seed)
        self.pal.packs_signal.subscribe(self, lambda _: self.packs_changed())
        self.pal.past_sessions_signal.subscribe(self, lambda _: self.reread_past())
        self.show_last_time()
        note_input = self.query_one(NoteInput)
        if self.live.read_only:
            note_input.placeholder = f"Read-only here: {self.live.read_only}"
            note_input.disabled = True
            self.query_one(DeckPane).query_one("#deck-filter").focus()
        else:
            self.focus_note()
        self.watch(self.app, "private", self._privacy_changed)
        if self.news:
            self.status.say(self.news)
        self.deck.keys = {"widen": self.pal.key_for("filter", "f5"), "clear": self.pal.key_for("to_note", "escape")}
        self.sync()
        self.upkeep.start()

    # state and drawing ------------------------------------------------------------

    def sync(self) -> None:
        """Draw again if the session changed since it was last drawn (by us, a worker or another program)."""
        self.revision = self.live.revision

    def watch_revision(self) -> None:
        self.draw_timer()
        self._draw_header()
        self.query_one(NotesPane).show_log(self.live.log())
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
        self.show_unsaved()

    def draw_timer(self) -> TimerReading:
        """The timer's reading into its reactive: the two timers (bound to it) and the deck's phase follow."""
        reading = self.live.timer.read()
        self.timer_view = TimerView(reading, self.live.timer.spans)
        return reading

    def watch_timer_view(self, view: TimerView | None) -> None:
        if view is not None and view.reading.span is not None:
            self.deck.set_timer_phase(view.reading.span.phase.questions)

    def _draw_header(self) -> None:
        """The header's and the agreement's reactives, from the session (their widgets draw, if they changed)."""
        state = self.live.timer.state
        words = {TimerState.READY: "not started", TimerState.RUNNING: "in session", TimerState.PAUSED: "paused", TimerState.ENDED: "ended"}[state]
        if self.live.read_only:
            words = "read-only: open in another sessionpal"
        name = "Private" if self.pal.private else self.live.client.name
        where = self.standing()
        self.header = HeaderFacts(name, self.live.planned_minutes, self.live.model.title, words, where.label() if where else "")
        self.agreement = self.live.document.info.agreement if self.live.document and not self.pal.private else ""

    def show_unsaved(self) -> None:
        """The notes waiting for the disk, above the note line (their words hidden behind the blind)."""
        waiting = [] if self.pal.private else [n.text for n in self.live.pending]
        self.query_one(NotesPane).show_unsaved(len(self.live.pending), self.note_flow.unsaved_reason, waiting)

    # the public face the goal flow and the tests use ---------------------------------

    @property
    def deck(self) -> DeckPane:
        return self.query_one(DeckPane)

    @property
    def goals_pane(self) -> GoalsPane:
        return self.query_one(GoalsPane)

    @property
    def card(self) -> LastTimeCard:
        return self.query_one(LastTimeCard)

    @property
    def note_line(self) -> NoteInput:
        return self.query_one("#note", NoteInput)

    def remind_permission(self, text: str) -> None:
        self.goal_flow.remind_permission(text)

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
        self.tell_outside()
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

    def load_open_actions(self) -> None:
        self.last_time.load_open_actions()

    def read_in_thread(self, read: Callable[[], None], group: str) -> None:
        """A flow's file reading, off the UI thread (one at a time per group)."""
        self.run_worker(read, thread=True, exclusive=True, group=group)

    def standing(self) -> Standing | None:
        return self.last_time.standing()

    def show_last_time(self) -> None:
        self.last_time.show()
        self._draw_header()  # "session 5 of 12" counts the sessions just listed

    def reread_past(self) -> None:
        """A past session changed (in the review, or in an editor): the card and its open actions again."""
        self.show_last_time()
        self.load_open_actions()

    def packs_changed(self) -> None:
        """Packs or models were reloaded: rebuild the deck (keeping the current question) and the phases."""
        self.deck_flow.packs_changed()
        if self.pal.models is not None:
            model = self.pal.models.get(self.live.model.id)
            if model != self.live.model:
                self.change("Model not saved", lambda: self.live.set_model(model))

    def action_model(self) -> None:
        self.client_flow.choose_model()

    def action_engagement(self) -> None:
        self.client_flow.engagement()

    def action_past_session(self) -> None:
        self.client_flow.past_session()

    def on_key(self, event: events.Key) -> None:
        """A printable key that reaches the screen itself (no text field had the cursor: a pane was clicked, or focus
        was still on its way home) is the note's: typed into the note line, never lost."""
        note = self.note_line
        if event.is_printable and event.character and not isinstance(self.focused, Input) and not note.disabled:
            event.stop()
            event.prevent_default()
            self.set_focus(note)
            note.insert_text_at_cursor(event.character)

    # notes --------------------------------------------------------------------

    @on(NoteInput.Submitted, "#note")
    def _note_typed(self, event: NoteInput.Submitted) -> None:
        event.stop()
        self.save_typed(event.value)

    def save_typed(self, text: str) -> None:
        self.note_flow.save_typed(text)

    def retry_pending(self) -> None:
        self.note_flow.retry_pending()

    def tell_outside(self) -> None:
        self.note_flow.tell_outside()

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
        if self.blind("the agreement"):
            return
        current = self.live.document.info.agreement if self.live.document else ""
        self.app.push_screen(
            TextDialog("The session agreement", "What does the client want from this session?", current),
            when_answered(lambda text: self.save_typed("=" + text)),
        )

    # actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return allowed(self, action)

    def action_start(self) -> None:
        self.change("Timer not saved", self.live.toggle)

    def action_pause(self) -> None:
        self.change("Timer not saved", self.live.toggle)

    def action_resume(self) -> None:
        self.change("Timer not saved", self.live.toggle)

    def action_ask(self) -> None:
        self.deck_flow.ask()

    def action_draw(self) -> None:
        self.deck_flow.draw()

    def action_deck_move(self, delta: int) -> None:
        """The arrows: the armed list's highlight, else the deck's question."""
        if self.armed is Armed.GOALS:
            self.goals_pane.steer(delta)
        elif self.armed is Armed.LOG:
            self.query_one(NotesLog).steer(delta)
        else:
            self.deck.move(delta)

    def action_find(self) -> None:
        self.deck_flow.find()

    @on(DeckFilter.Done)
    def _filter_done(self) -> None:
        self.focus_note()

    @on(DeckFilter.Clear)
    def _filter_cleared(self) -> None:
        self.focus_note()

    def action_star(self) -> None:
        self.deck_flow.star()

    def action_log(self) -> None:
        if self.blind("the notes"):
            return
        if not self.query_one(NotesLog).items:
            self.notify("No notes yet.", markup=False)
            return
        self.arm(Armed.LOG)

    def action_to_note(self) -> None:
        """Esc: the cursor home; from the note line itself, the deck's filter cleared (the deck follows the timer).
        An armed list is only disarmed."""
        if self.armed is not Armed.NOTE:
            self.armed = Armed.NOTE
        elif self.focused is self.query_one(NoteInput) and self.deck.filtered:
            self.deck.clear_filter()
        self.focus_note()

    # keys: the armed sidebar or log ----------------------------------------------------

    def compute_goals_armed(self) -> bool:
        return self.armed is Armed.GOALS

    def compute_log_armed(self) -> bool:
        return self.armed is Armed.LOG

    def watch_armed(self) -> None:
        self.refresh_bindings()  # the footer shows the armed list's keys

    def arm_goals(self) -> None:
        self.arm(Armed.GOALS)

    def arm(self, armed: Armed) -> None:
        """The next key acts on the sidebar or the log (see "Keys"); the cursor stays in the note line."""
        note = self.query_one(NoteInput)
        if note.disabled:
            return  # read-only here: nothing to change
        self.set_focus(note)  # at once: every later key goes to the note line, which routes it in order
        if armed is Armed.LOG and armed is not self.armed:
            self.query_one(NotesLog).steer(len(self.query_one(NotesLog).items))  # F8 starts at the newest line
        self._arms += 1
        self.armed = armed
        note.post_message(NoteInput.Arm(armed_keys(self, armed)))

    def on_note_input_armed_key(self, message: NoteInput.ArmedKey) -> None:
        arms = self._arms
        message.act()
        if self._arms == arms:  # the one key has acted (an action that armed again keeps it armed)
            self.armed = Armed.NOTE

    def on_note_input_steer(self, message: NoteInput.Steer) -> None:
        self.action_deck_move(message.delta)

    def on_note_input_disarmed(self, message: NoteInput.Disarmed) -> None:
        self.armed = Armed.NOTE

    def _highlighted(self) -> str:
        return self.goals_pane.current_goal() or ""

    def action_add_goal(self) -> None:
        self.goal_flow.add()

    def action_goal_menu(self) -> None:
        area = self.goals_pane.current_area()
        if area is not None:
            self.goal_flow.toggle_area(area)
        elif self._highlighted():
            self.goal_flow.menu(self._highlighted())

    def action_goal(self, intent: str) -> None:
        """The sidebar's key after F7 (GOAL_KEYS): one of the goal's intents, on the highlighted goal."""
        chosen, goal_id = GoalIntent(intent), self._highlighted()
        self.goal_flow.choose(goal_id, chosen)
        if chosen in (GoalIntent.UP, GoalIntent.DOWN):
            self.goals_pane.select(goal_id)  # the highlight follows the goal it moved
            self.arm(Armed.GOALS)  # moving a goal twice takes two keys, not F7 twice

    def action_log_line(self, what: str) -> None:
        """The log's key after F8 (LOG_KEYS), on the highlighted line: edit, tick or delete it."""
        item = self.query_one(NotesLog).current
        if item is None:
            return
        if what == "edit":
            self.note_flow.edit(item)
        elif what == "tick":
            self.note_flow.tick(item)
        elif what == "delete":
            self.note_flow.confirm_delete(item)
        else:
            raise ValueError(f"no such thing to do with a log line: {what!r}")

    def action_private(self) -> None:
        self.pal.private = not self.pal.private

    def action_close(self) -> None:
        self.dismiss()

    def action_switch_client(self) -> None:
        """Back to the client list with the session left open, as quitting leaves it: saved, its client let go,
        and offered to resume when the client is opened again (issue 26.18)."""
        if not self.live.read_only and not self.save_before_exit():
            self.notify("Some notes are not saved yet, so the session stays open here.", title="Not switched", severity="error", markup=False)
            return
        self.dismiss()

    def action_end(self) -> None:
        self.note_flow.end()

    # leaving ------------------------------------------------------------------

    def on_unmount(self) -> None:
        if self.client_lock is not None:
            try:
                self.client_lock.release()
            except WriteError:
                pass  # a lock left behind is taken over at the next start (its process is gone)

    def save_before_exit(self) -> bool:
        """Save whatever is waiting (the note line's words too); False if some notes could not be saved."""
        self.note_flow.keep_typed()
        try:
            self.live.flush()
            if self.live.started and not self.live.ended:
                self.live.save_timer()
        except SaveFailed:
            return False
        return not self.live.pending

    def palette_commands(self) -> Iterable[SystemCommand]:
        return session_commands(self)
