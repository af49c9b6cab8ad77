"""The live session screen: timer, question deck, notes and goals, for the length of a call.

The note input keeps focus; every command has a key that works while typing.
Every change goes through LiveSession, which writes it durably before the
screen shows it.
"""

from __future__ import annotations

import gc
import random
from typing import Callable, Iterable

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...core.clients import set_model
from ...core.config import set_starred
from ...core.deck import Deck
from ...core.fsio import WriteError
from ...core.history import ClientHistory, client_history, last_time
from ...core.index import IndexUnavailable, SearchIndex
from ...core.live import LiveSession, LogEntry, SaveFailed
from ...core.lock import SessionLock, is_free
from ...core.model import Action, ActionState
from ...core.packs import PackLibrary, load_library
from ...core.problems import FileProblems
from ...core.timer import Level, TimerState, format_clock
from ...core.versions import WouldShrink
from ..dialogs.confirm import ChoiceDialog, ConfirmDialog
from ..messages import PacksChanged
from ..dialogs.edit_note import EditNoteDialog
from ..dialogs.summary import SummaryDialog
from ..widgets.deck import DeckFilter, DeckPane
from ..widgets.goals import GoalsPane
from ..widgets.notes import LastTimeCard, NoteInput, NotesLog, NotesPane
from ..widgets.timer import TimerLine, TimerPane
from .goal_actions import GoalActions

TICK = 0.5  # seconds between timer readings; the display changes only when a second turns over
RETRY_EVERY = 5.0
WATCH_EVERY = 2.0  # seconds between looks at the session file and client.toml for outside changes


class SessionScreen(GoalActions, Screen):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]

    # F-keys first (they reach the app in every terminal and never clash with typing),
    # then a ctrl key that Input, tmux (ctrl+b) and flow control (ctrl+s/q) leave alone.
    BINDINGS = [
        Binding("f2,ctrl+t", "start", "Start", id="timer", tooltip="Start the session and its timer"),
        Binding("f2,ctrl+t", "pause", "Pause", id="timer", tooltip="Pause the timer"),
        Binding("f2,ctrl+t", "resume", "Resume", id="timer", tooltip="Resume the timer"),
        Binding("f3,ctrl+r", "ask", "Asked", id="ask", tooltip="Mark the current question asked: it goes into the notes with its time"),
        Binding("f4,ctrl+n", "draw", "Draw", id="draw", tooltip="Draw a random question not yet asked of this client"),
        Binding("up", "deck_move(-1)", "Previous question", id="previous_question", show=False, tooltip="Previous question in the deck"),
        Binding("down", "deck_move(1)", "Next question", id="next_question", show=False, tooltip="Next question in the deck"),
        Binding("f5,ctrl+f", "find", "Filter", id="filter", tooltip="Filter the deck: words, #tag, @phase, @all"),
        Binding("f6", "star", "Star", id="star", tooltip="Star or unstar the current question (starred ones come first)"),
        Binding("f7,ctrl+g", "goals", "Goals", id="goals", tooltip="The goals sidebar (or focus areas): its keys act on the highlighted goal"),
        Binding("f8,ctrl+l", "log", "Notes", id="log", tooltip="Move to the notes log to edit, tick or delete a note"),
        Binding("f9", "private", "Private", id="private", tooltip="Hide the client's name, notes and goals (for screen sharing); again to show"),
        Binding("f12", "end", "End", id="end", tooltip="End the session (asks first)"),
        Binding("f12", "close", "Back", id="end", tooltip="Back to the client list (nothing was started)"),
        Binding("escape", "to_note", "Back to the note", id="to_note", show=False, tooltip="Put the cursor back in the note line"),
    ]

    def __init__(self, live: LiveSession, lock: SessionLock | None = None):
        super().__init__()
        self.live = live
        self.lock = lock  # this app's hold on the client; None when read-only here
        self._told_free = False  # read-only here: the coach was told the holder let go
        self.rng = random.Random()
        self.private = False
        self._level: Level | None = None
        self._timer_error = ""
        self._pending_text = ""
        self.past: tuple = ()  # what earlier sessions say about the goals (loaded with the deck)
        self.asked_before: dict = {}  # deck questions asked of this client before, with the last date
        self.flags: dict[str, str] = {}  # goal id -> why it may be stalled
        self.reminded: set[str] = set()  # ask-first areas already pointed out this session

    # layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="session-header")
        with Horizontal(id="columns"):
            with Vertical(id="side"):
                yield TimerPane(id="timer")
                yield GoalsPane(id="goals")
            with Vertical(id="work"):
                yield TimerLine(id="timer-line")
                yield Static(id="agreement-line", classes="agreement")
                yield DeckPane(id="deck")
                # Before the notes, so in privacy mode the note line stays at the bottom where it always is.
                yield Static("Private: names, notes and goals are hidden. F9 shows them again.", id="private-note")
                yield NotesPane(id="notes")
        # No palette hint here: with the sidebar's keys the footer overflows, and the hint would cover
        # the last keys. ctrl+p still opens the palette, and F1 says so.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.app.seed is not None:
            self.rng.seed(self.app.seed)
        self.query_one(LastTimeCard).show(self.live.client, last_time(self.app.home, self.live.client.slug, exclude=self.live.path))
        self.refresh_goals()
        self._show_log()
        self._show_state()
        note_input = self.query_one(NoteInput)
        note_input.save = self._note_entered
        if self.live.read_only:
            note_input.placeholder = f"Read-only here: {self.live.read_only}"
            note_input.disabled = True
            self.query_one(DeckPane).query_one("#deck-filter").focus()
        else:
            note_input.focus()
        self.set_interval(TICK, self.tick)
        self.set_interval(RETRY_EVERY, self.retry_pending)
        self.set_interval(WATCH_EVERY, self.watch_files)
        # Reading packs and past sessions starts once the screen is painted: threads share the
        # interpreter with the first paint, and the coach wants the note line before the deck.
        self.call_after_refresh(self.load_deck)
        self.call_after_refresh(self.load_open_actions)

    # timer --------------------------------------------------------------------

    def tick(self) -> None:
        reading = self.live.timer.read()
        spans = self.live.timer.spans
        self.query_one(TimerPane).show(reading, spans)
        self.query_one(TimerLine).show(reading, spans)
        if reading.span is not None:
            self.query_one(DeckPane).set_timer_phase(reading.span.phase.questions)
        level = reading.level if reading.state is TimerState.RUNNING else None
        if level is not None and self._level is not None and level != self._level and self.app.config.bell:
            self.app.bell()
        if level is not None:
            self._level = level
        try:
            self.live.save_timer(if_due=True)
            self._timer_error = ""
        except SaveFailed as error:
            if not self._timer_error:  # say it once, not every five seconds
                self.notify(f"{error}. The timer keeps running and saving is retried.", title="Timer not saved", severity="warning", markup=False)
            self._timer_error = str(error)

    def _show_state(self) -> None:
        client = self.live.client
        state = self.live.timer.state
        words = {TimerState.READY: "not started", TimerState.RUNNING: "in session", TimerState.PAUSED: "paused", TimerState.ENDED: "ended"}[state]
        if self.live.read_only:
            words = "read-only: open in another sessionpal"
        name = "Private" if self.private else client.name
        header = Content.from_markup(
            "[b]$name[/b]  [$text-muted]$minutes min · $model · $state[/]",
            name=name, minutes=str(self.live.planned_minutes), model=self.live.model.title, state=words,
        )
        self.query_one("#session-header", Static).update(header)
        agreement = self.live.document.info.agreement if self.live.document else ""
        shown = Content.from_markup("[$text-muted]Agreement:[/] $agreement", agreement=agreement) if agreement else Content("")
        for widget in self.query(".agreement"):
            widget.update(shown)
            widget.set_class(bool(agreement), "-visible")
        self.set_class(self.live.started, "-started")
        self.tick()
        self.refresh_bindings()

    # deck ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="deck")
    def load_deck(self) -> None:
        # Packs and the client's question history are read off the UI thread: first paint never waits for them.
        packs = self.app.packs or load_library(self.app.home)
        history = client_history(self.app.home, self.live.client.slug, exclude=self.live.path, with_notes=self.app.config.stalled_after)
        self.app.call_from_thread(self._deck_loaded, packs, history)

    def _deck_loaded(self, packs: PackLibrary, history: ClientHistory) -> None:
        first_time = self.app.packs is None
        if first_time:
            # What is loaded now (modules, thousands of questions) lives as long as the app: out of the
            # collector's sight, a full collection no longer stalls a keystroke for tens of milliseconds.
            gc.freeze()
        self.app.packs = packs
        if packs.problems and first_time:
            files = sorted({p.path for p in packs.problems})
            self.notify("\n".join(str(p) for p in packs.problems), title=f"{len(files)} pack file(s) skipped; the rest are loaded", severity="warning", timeout=20, markup=False)
        self.past = history.sessions
        self.asked_before = history.asked
        self._build_deck()
        self.refresh_goals()
        self.tick()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="open-actions")
    def load_open_actions(self) -> None:
        # Open actions from every earlier session, through the search index (built here if need be),
        # in a worker of its own so a first build on a large practice never holds up the deck.
        index = SearchIndex(self.app.home)
        try:
            slug = self.live.client.slug
            index.refresh(names={slug: self.live.client.name}, client=slug)
            actions = [a for a in index.open_actions(slug) if a.path != self.live.path]
        except IndexUnavailable:
            return  # the card keeps the previous session's open actions
        self.app.call_from_thread(self._open_actions_loaded, actions)

    def _open_actions_loaded(self, actions) -> None:
        card = self.query_one(LastTimeCard)
        card.show(self.live.client, card.last, actions)

    def _build_deck(self) -> None:
        packs = self.app.packs
        deck = Deck(
            packs.questions(self.app.config.hidden),
            starred=set(self.app.config.starred),
            asked_before=self.asked_before,
            asked_now=self.live.asked_refs(),
        )
        titles = {pack.id: pack.title for pack in packs.packs.values()}
        self.query_one(DeckPane).set_deck(deck, self.app.clock.now().date(), titles)

    def on_packs_changed(self, message: PacksChanged) -> None:
        """Packs or models were reloaded: rebuild the deck (keeping the current question) and the phases."""
        if self.deck.deck is not None and self.app.packs is not None:
            current = self.deck.current.ref if self.deck.current else None
            self._build_deck()
            if current:
                self.deck.show_question(current)
        if self.app.models is not None:
            model = self.app.models.get(self.live.model.id)
            if model != self.live.model:
                self._set_model(model)

    def _set_model(self, model) -> None:
        try:
            self.live.set_model(model)
        except SaveFailed as error:
            self._failed("Model not saved", error)
        self._show_state()

    def action_model(self) -> None:
        """Choose the session model (the timer's phases); or make the current one this client's default."""
        models = self.app.model_library().models
        current = self.live.model
        choices = [(m.id, f"{'● ' if m.id == current.id else '  '}{m.title}  ({', '.join(p.title for p in m.phases)})") for m in models.values()]
        if self.live.client.model != current.id:
            choices.append(("+default", f"Make “{current.title}” {self.live.client.name}'s default model"))

        def chosen(model_id: str | None) -> None:
            if model_id == "+default":
                try:
                    self.live._edit_client(lambda: set_model(self.app.home, self.live.client.slug, current.id))
                except SaveFailed as error:
                    self._failed("Default not saved", error)
                    return
                self.app.autocommit([self.live.client.path], f"Client {self.live.client.slug}: default session model")
                self.notify(f"{current.title} is now {self.live.client.name}'s default.", markup=False)
            elif model_id and model_id != current.id:
                self._set_model(models[model_id])

        self.app.push_screen(ChoiceDialog("Session model: the phases of this session", choices), chosen)

    @property
    def deck(self) -> DeckPane:
        return self.query_one(DeckPane)

    # notes --------------------------------------------------------------------

    def _show_log(self) -> None:
        self.query_one(NotesPane).show_log(self.live.log())

    # files changed by another program -----------------------------------------------

    def watch_files(self) -> None:
        """An editor or a sync tool changed the session file or client.toml: reconcile and tell."""
        shown = self.live.document
        self.live.check_outside()
        self._tell_outside()
        if self.live.document is not shown:  # read-only here: following what the holder writes
            self._show_log()
        if self.live.read_only and not self._told_free and is_free(self.app.home, self.live.client.slug, self.app.clock.now()):
            self._told_free = True
            self.notify("The other sessionpal has let go of this client: F12, then open the client again to take notes here.", title="Free now", markup=False)
        changed = self.live.check_client_file()
        if changed is not None:
            message, broken = changed
            self.notify(message, title="Client file changed outside sessionpal", severity="error" if broken else "information", timeout=20, markup=False)
            if not broken:
                self.refresh_goals()

    def _tell_outside(self) -> None:
        if not self.live.outside:
            return
        changes = list(self.live.outside)
        self.live.outside.clear()
        for change in changes:
            quiet = change.adopted and not change.lost
            self.notify(change.message(), title="Session file changed outside sessionpal", severity="information" if quiet else "error", timeout=20, markup=False)
        self._show_log()

    def _failed(self, title: str, error: Exception) -> None:
        self.notify(str(error), title=title, severity="error", timeout=15, markup=False)

    def _note_entered(self, text: str) -> None:
        # The line is already empty (NoteInput clears it in keystroke order); put the text back only on failure.
        self.save_typed(text, from_input=True)

    def save_typed(self, text: str, *, from_input: bool = False) -> None:
        """Save what the coach typed (a note of any kind, or =the agreement); shown only once on disk."""
        if not text.strip():
            return
        note_input = self.query_one(NoteInput)
        was_started = self.live.started
        try:
            if self.live.pending and text == self._pending_text:
                self.live.flush()  # the same note again: retry it, do not add it twice
            else:
                self.live.add_note(text)
        except SaveFailed as error:
            self._tell_outside()
            self._pending_text = text
            if from_input and not note_input.value:
                note_input.value = text
            self._show_unsaved(str(error))
            self._failed("Note not saved yet", error)
            if self.live.started != was_started:
                self._show_state()
            return
        self._pending_text = ""
        self._show_unsaved("")
        self._tell_outside()
        self._show_log()
        self.refresh_goals()
        self.remind_permission(text)
        if self.live.started != was_started or text.lstrip().startswith("="):
            self._show_state()

    def _show_unsaved(self, reason: str) -> None:
        self.query_one(NotesPane).show_unsaved(len(self.live.pending), reason)

    def retry_pending(self) -> None:
        if not self.live.pending:
            return
        try:
            saved = self.live.flush()
        except SaveFailed as error:
            self._show_unsaved(str(error))
            return
        note_input = self.query_one(NoteInput)
        if self._pending_text and note_input.value == self._pending_text:
            note_input.value = ""
        self._pending_text = ""
        self._show_unsaved("")
        self._show_log()
        self.notify(f"Saved {len(saved)} note{'s' if len(saved) != 1 else ''} that were waiting.", title="Saved")

    @on(NotesLog.Chosen)
    def _log_chosen(self, event: NotesLog.Chosen) -> None:
        item = event.item
        if event.what == "tick":
            self._tick_action(item)
        elif event.what == "delete":
            self._confirm_delete(item)
        else:
            self.app.push_screen(EditNoteDialog(item), lambda result: self._edited(item, result))

    def _edited(self, item: LogEntry, result: tuple[str, str] | None) -> None:
        if result is None:
            return
        what, text = result
        if what == "delete":
            self._confirm_delete(item)
            return
        if what == "tick":
            self._tick_action(item)
            return
        if not self._attempt("Note not changed", lambda: self.live.edit(item, text)):
            # The coach's wording is not thrown away: it waits in the note line.
            note_input = self.query_one(NoteInput)
            if not note_input.value.strip():
                note_input.value = text
                note_input.focus()
                self.notify("Your wording is in the note line: Enter saves it as a new note.", markup=False)

    def _tick_action(self, item: LogEntry) -> None:
        if isinstance(item.entry, Action):
            new = ActionState.OPEN if item.entry.state is ActionState.DONE else ActionState.DONE
            self._attempt("Action not changed", lambda: self.live.set_action_state(item, new))

    def _confirm_delete(self, item: LogEntry) -> None:
        def answered(answer: str | None) -> None:
            if answer == "yes":
                self._attempt("Note not deleted", lambda: self.live.delete(item))

        preview = getattr(item.entry, "text", "")
        self.app.push_screen(ConfirmDialog("Delete this note from the session file?", "Delete it", "Keep it", detail=preview), answered)

    def _attempt(self, title: str, change: Callable[[], object]) -> bool:
        try:
            change()
        except WouldShrink as error:
            self.app.confirm_shrink(error, lambda: self._attempt(title, change))
            return False
        except SaveFailed as error:
            self._tell_outside()
            self._failed(title, error)
            return False
        self._tell_outside()
        self._show_log()
        return True

    # actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.live.timer.state
        if self.live.read_only:
            # Looking only: the timer and the session belong to the sessionpal that holds the client.
            if action in ("start", "pause", "resume", "end", "ask"):
                return False
            if action == "close":
                return True
        if action == "start":
            return state is TimerState.READY
        if action == "pause":
            return state is TimerState.RUNNING
        if action == "resume":
            return state is TimerState.PAUSED
        if action == "end":
            return self.live.started and state is not TimerState.ENDED
        if action == "close":
            return not self.live.started
        if action in ("ask", "draw", "star", "find", "deck_move"):
            return True if self.deck.deck is not None else None
        return True

    def action_start(self) -> None:
        self._toggle_timer()

    def action_pause(self) -> None:
        self._toggle_timer()

    def action_resume(self) -> None:
        self._toggle_timer()

    def _toggle_timer(self) -> None:
        try:
            self.live.toggle()
        except SaveFailed as error:
            self._failed("Timer not saved", error)
        self._show_state()

    def action_ask(self) -> None:
        question = self.deck.current
        if question is None:
            self.notify("No question is showing: change the filter (F5).", markup=False)
            return
        was_started = self.live.started
        if self._attempt("Question not recorded", lambda: self.live.mark_asked(question)):
            self.deck.mark_asked(question)
            if not was_started:
                self._show_state()

    def action_draw(self) -> None:
        if self.deck.draw(self.rng) is None:
            self.notify("Every question in this filter has been asked this session. Widen it with F5 (@all).", markup=False)

    def action_deck_move(self, delta: int) -> None:
        self.deck.move(delta)

    def action_find(self) -> None:
        self.query_one(DeckFilter).focus()

    @on(DeckFilter.Done)
    def _filter_done(self) -> None:
        self.query_one(NoteInput).focus()

    def action_star(self) -> None:
        question, deck = self.deck.current, self.deck.deck
        if question is None or deck is None:
            return
        starred = question.ref not in deck.starred
        try:
            refs = set_starred(self.app.home, question.ref, starred)
        except (WriteError, FileProblems) as error:
            self._failed("Star not saved", error)
            return
        self.app.update_config(starred=refs)  # the next session's deck starts from this
        self.deck.set_starred(set(refs))
        self.notify(("Starred: " if starred else "Unstarred: ") + question.text, markup=False)

    def action_log(self) -> None:
        log = self.query_one(NotesLog)
        if not log.items:
            self.notify("No notes yet.", markup=False)
            return
        log.focus()

    def action_to_note(self) -> None:
        self.query_one(NoteInput).focus()

    def action_private(self) -> None:
        self.private = not self.private
        self.set_class(self.private, "-private")
        self.query_one(NoteInput).password = self.private
        self._show_state()

    def action_close(self) -> None:
        self.dismiss()

    def action_end(self) -> None:
        elapsed = self.live.timer.read()
        detail = f"{len(self.live.document.notes) if self.live.document else 0} notes so far. The session file is then final."

        def answered(answer: str | None) -> None:
            if answer != "yes":
                return
            try:
                summary = self.live.end()
            except SaveFailed as error:
                self._failed("Session not ended", error)
                return
            self._show_state()
            if summary.path is not None:
                self.app.autocommit([summary.path, self.live.client.path], f"Session with {self.live.client.slug}: {summary.path.stem}")
            self.app.push_screen(SummaryDialog(summary, self.live.client.name), lambda _: self.dismiss())

        self.app.push_screen(
            ConfirmDialog(f"End the session now, at {format_clock(elapsed.elapsed)}?", "End the session", "Keep going", detail=detail),
            answered,
        )

    # leaving ------------------------------------------------------------------

    def on_unmount(self) -> None:
        if self.lock is not None:
            try:
                self.lock.release()
            except WriteError:
                pass  # a lock left behind is taken over at the next start (its process is gone)

    def save_before_exit(self) -> bool:
        """Save whatever is waiting; False if some notes could not be saved."""
        try:
            self.live.flush()
            if self.live.started and not self.live.ended:
                self.live.save_timer()
        except SaveFailed:
            return False
        return not self.live.pending

    # command palette -------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or binding.action in ("to_note",) or binding.action.startswith("deck_move"):
                continue
            if not self.check_action(binding.action, ()):
                continue
            yield SystemCommand(binding.description, binding.tooltip, lambda action=binding.action: self.run_action(action))
        yield SystemCommand("Review this client", "Past sessions, open actions across sessions, search (ctrl+y)", self.app.action_review)
        yield SystemCommand("Session model", f"The timer's phases (now {self.live.model.title}); or make it the client's default", self.action_model)
        yield from self.goal_commands()
