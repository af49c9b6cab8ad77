"""A session in progress: the timer, the session file, and every change to them.

The rule the screen relies on: a change is written durably (fsync'd) before the
method returns, so whatever the screen shows is already on disk. A note whose
write fails is kept in `pending` and written, in order, by the next successful
write or by `flush()`; nothing the coach typed is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from msgspec import Struct
from msgspec.structs import replace

from . import fsio
from .clients import load_client
from .due import due_from_text
from .model import (
    MOVE_WORDS,
    NOTE_PREFIXES,
    Action,
    ActionState,
    AskedQuestion,
    Client,
    Entry,
    Move,
    Note,
    NoteKind,
    Question,
    at_or_after,
)
from .outside import OutsideChange, OutsideWatch
from .paths import Home
from .problems import FileProblems
from .saving import SaveFailed, saving
from .session_goals import GoalChange, SessionGoals
from .session_models import SessionModel
from .sessionfile import ACTIONS, ASKED, NOTES, SessionDocument, clean_text, energy_level
from .sessions import create_session, file_fingerprint, find_unfinished, read_session, update_session
from .timer import Clock, SessionTimer, TimerState

SAVE_EVERY = 5.0  # seconds between timer saves while running
_LAST = float("inf")  # where a line without a time goes in the log

T = TypeVar("T")


def parse_typed(typed: str) -> tuple[NoteKind, str]:
    """What the coach typed -> (kind, text). `!` action, `"` quote, `*` insight, `?` question; `\\` keeps a prefix literal."""
    text = clean_text(typed).strip()
    if text.startswith("\\") and len(text) > 1 and text[1] in NOTE_PREFIXES:
        return NoteKind.NOTE, text[1:]
    kind = NOTE_PREFIXES.get(text[:1])
    rest = text[1:].strip() if kind else ""
    if kind is None or not rest:
        return NoteKind.NOTE, text
    if kind is NoteKind.QUOTE and rest.endswith('"') and len(rest) > 1:
        rest = rest[:-1].rstrip()
    if kind is NoteKind.ENERGY and energy_level(rest) is None:
        return NoteKind.NOTE, text  # "~20 people came": a note, not a check-in (only 0-10 is one)
    return kind, rest


def typed_form(entry: Entry) -> str:
    """The text that, typed again, gives back this entry (used to edit a note)."""
    if isinstance(entry, Action):
        return f"!{entry.text}"
    if isinstance(entry, AskedQuestion):
        return entry.text
    prefix = {NoteKind.QUOTE: '"', NoteKind.INSIGHT: "*", NoteKind.QUESTION: "?", NoteKind.SHARED: "+"}.get(entry.kind, "")
    if not prefix and entry.text[:1] in NOTE_PREFIXES:
        return "\\" + entry.text
    return prefix + entry.text


class LogEntry(Struct, frozen=True):  # a Struct's slots: a long session's log is made anew after every note
    """A line of the notes log: where it lives in the file and what it says."""

    index: int
    section: str
    entry: Entry

    @property
    def stamp(self) -> int | None:
        return self.entry.stamp


class Summary(Struct, frozen=True):
    elapsed: float
    planned: float
    notes: int
    asked: int
    actions: tuple[Action, ...]
    goal_changes: tuple[GoalChange, ...]
    path: Path | None
    ratings: tuple[tuple[str, int], ...] = ()  # (goal title, progress 1-10) rated this session
    moves: tuple[tuple[str, str], ...] = ()  # (goal title, what the playbook move did) this session
    focus_areas: tuple[str, ...] = ()  # for a client working without goals: the areas touched


class LiveSession:
    """One client's session as it is being held: its file, timer, goals and what waits to be saved. A plain
    class: it is one session's state, changed in place and never compared."""

    def __init__(
        self,
        home: Home,
        client: Client,
        clock: Clock,
        model: SessionModel,
        planned_minutes: int,
        document: SessionDocument | None = None,
        read_only: str = "",  # why this session cannot be written here (another sessionpal holds the client)
    ) -> None:
        self.home = home
        self.client = client
        self.clock = clock
        self.model = model
        self.planned_minutes = planned_minutes
        self.document = document
        self.read_only = read_only
        self.pending: list[Note] = []
        self._last_save = 0.0
        # Changes another program made to the session file, for the screen to tell the coach.
        self.outside: list[OutsideChange] = []
        self._watch = OutsideWatch()
        self._client_seen: tuple[int, int, int] | None = file_fingerprint(client.path)  # client.toml as last read
        # Goes up with every change to what a screen shows (the file, the client, the timer's state): the
        # screen redraws when it differs from the one it drew, whoever made the change.
        self.revision = 0
        self.goals = SessionGoals(self)
        self.timer = self._timer_for(document)

    def _timer_for(self, document: SessionDocument | None) -> SessionTimer:
        planned = self.planned_minutes * 60
        state, elapsed = TimerState.READY, 0.0
        if document is not None:
            elapsed = document.info.elapsed_seconds if document.info.is_finished else document.resume_seconds
            state = TimerState.ENDED if document.info.is_finished else TimerState.PAUSED
        return SessionTimer(self.clock, planned, self.model.schedule(planned), elapsed=elapsed, state=state)

    # state ------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self.document is not None

    @property
    def ended(self) -> bool:
        return self.timer.state is TimerState.ENDED

    @property
    def path(self) -> Path | None:
        return self.document.path if self.document else None

    def log(self) -> list[LogEntry]:
        """Notes, asked questions and actions, in session order."""
        if self.document is None:
            return []
        order = {NOTES: 0, ASKED: 1, ACTIONS: 2}
        # Hand-written actions have no stamp; they sort after everything. Sorted as plain tuples (the screen asks
        # after every note, and a long session has a thousand lines): no key function called per line.
        placed = sorted(
            (stamp if (stamp := item.entry.stamp) is not None else _LAST, order[item.section], i, item.section, item.entry)
            for i, item in self.document.entries()
        )
        return [LogEntry(i, section, entry) for _, _, i, section, entry in placed]

    def asked_refs(self) -> set[str]:
        return set(self.document.info.questions) if self.document else set()

    # writing ----------------------------------------------------------------

    def _check_writable(self) -> None:
        if self.read_only:
            raise SaveFailed(f"read-only here: {self.read_only}")

    def check_outside(self) -> OutsideChange | None:
        """Has another program changed the session file? Reconcile it (see outside.py) and say so."""
        if self.read_only and self.document is None:
            # The holder had not written a note when this one opened: follow its session once it has.
            holders = find_unfinished(self.home, self.client.slug, look_back=1)
            if holders is not None:
                self.document, self.timer = holders, self._timer_for(holders)
                self.revision += 1
            return None
        if self.document is None:
            return None
        if self.read_only:
            # The holder is writing it: follow along quietly, and never write a copy from here.
            if file_fingerprint(self.document.path) != self.document.fingerprint:
                try:
                    self.document = read_session(self.document.path)
                    self.revision += 1
                except FileProblems:
                    pass
            return None
        before = self.document
        self.document, found = self._watch.check(self.document, self.clock.now())
        if found is not None:
            self.outside.append(found)
        if self.document is not before:
            self.revision += 1
        return found

    def write_document(self, change: Callable[[SessionDocument], object], *, quiet: bool = False) -> object:
        """Change the session file (re-read first if another program changed it); saved before it returns.

        `quiet`: nothing a screen shows changed (the timer's periodic save), so the revision stays."""
        assert self.document is not None
        self._check_writable()
        self.check_outside()
        document = self.document
        with saving("the session file"):
            self.document, result = update_session(document.path, change, known=document)
        if not quiet:
            self.revision += 1
        return result

    def _timer_fields(self) -> dict[str, Any]:
        return {
            "elapsed_seconds": int(self.timer.elapsed),
            "timer": "ended" if self.ended else ("running" if self.timer.state is TimerState.RUNNING else "paused"),
            "saved": self.clock.now(),
        }

    def start(self) -> None:
        """Start the session (creating its file) or resume a paused timer."""
        if self.ended:
            return
        self._check_writable()
        if self.document is None:
            now = self.clock.now()
            self.timer.start()
            front = {
                "client": self.client.slug,
                "started": now,
                "planned_minutes": self.planned_minutes,
                "model": self.model.id,
                **self._timer_fields(),
                "questions": (),
                "goals": (),
            }
            try:
                self.document = create_session(self.home, self.client.slug, front)
            except fsio.WriteError as error:
                self.timer = SessionTimer(self.clock, self.timer.planned, self.timer.spans)
                raise SaveFailed(f"could not start the session file: {error.reason}") from None
            self._last_save = self.clock.monotonic()
            self.revision += 1
            return
        self.timer.start()
        self.save_timer()

    def set_model(self, model: SessionModel) -> None:
        """Use another session model: the phases change, the elapsed time does not."""
        self.model = model
        self.timer.set_plan(self.timer.planned, model.schedule(self.timer.planned))
        self.revision += 1
        if self.document is not None and self.document.info.model != model.id:
            self.write_document(lambda d: d.set_front(model=model.id))

    def add_time(self, seconds: float) -> None:
        """Count time the timer missed (the app was closed while the call went on)."""
        if self.timer.state is TimerState.PAUSED and seconds > 0:
            self.timer = SessionTimer(self.clock, self.timer.planned, self.timer.spans, elapsed=self.timer.elapsed + seconds, state=TimerState.PAUSED)
            self.save_timer()

    def toggle(self) -> None:
        if not self.started or self.timer.state is not TimerState.RUNNING:
            self.start()
        else:
            self.timer.pause()
            self.save_timer()

    def save_timer(self, *, if_due: bool = False) -> bool:
        """Write the timer's state; with if_due, only while running and SAVE_EVERY seconds after the last save."""
        if self.document is None or self.read_only:
            return False
        if if_due and (self.timer.state is not TimerState.RUNNING or self.clock.monotonic() - self._last_save < SAVE_EVERY):
            return False
        self._last_save = self.clock.monotonic()
        self.write_document(lambda d: d.set_front(**self._timer_fields()), quiet=if_due)
        return True

    def _stamp(self) -> int:
        return int(self.timer.elapsed)

    def add_note(self, typed: str) -> Note | None:
        """Save what the coach typed as a note of its kind; the first note also starts the session."""
        kind, text = parse_typed(typed)
        if not text:
            return None
        self._check_writable()
        if self.ended:
            raise SaveFailed("this session has ended and its file is final")
        note = Note(self._stamp(), text, kind)
        self.pending.append(note)  # from here on it is kept, and written by this flush or a later one
        self.flush()
        return note

    def flush(self) -> list[Note]:
        """Write every note still waiting, in order, in one write; the first note also starts the session."""
        if not self.pending:
            return []
        if self.document is None:
            self.start()
            assert self.document is not None, "start() makes the file or raises"
        batch = list(self.pending)

        def add_all(document: SessionDocument) -> None:
            for note in batch:
                document.add_note(note)

        self.write_document(add_all)
        del self.pending[: len(batch)]
        return batch

    def mark_asked(self, question: Question) -> AskedQuestion:
        if self.ended:
            raise SaveFailed("this session has ended and its file is final")
        if not self.started:
            self.start()
        asked = AskedQuestion(self._stamp(), question.text, question.ref)

        def record(document: SessionDocument) -> None:
            document.add(ASKED, asked)
            refs = document.info.questions
            document.set_front(questions=refs if question.ref in refs else (*refs, question.ref))

        self.write_document(record)
        return asked

    def edit(self, item: LogEntry, typed: str) -> None:
        """Replace a log entry with what the coach typed; a change of kind moves it to its section."""
        kind, text = parse_typed(typed)
        if not text:
            raise SaveFailed("a note cannot be empty; delete it instead")
        if kind is NoteKind.ENERGY:
            kind, text = NoteKind.NOTE, clean_text(typed).strip()  # a check-in is typed anew, not made from a note: "~7" stays
        old = item.entry
        if isinstance(old, AskedQuestion):
            new: Entry = replace(old, text=text)
        elif kind is NoteKind.ACTION:
            started = self.document.info.started if self.document else None
            text, due = due_from_text(text, started.date() if started else self.clock.now().date())
            kept = old.due if isinstance(old, Action) else None  # a date said once holds until the words say another
            new = Action(text, old.stamp, old.state if isinstance(old, Action) else ActionState.OPEN, due or kept)
        else:
            new = Note(old.stamp if old.stamp is not None else self._stamp(), text, kind)

        def apply(document: SessionDocument) -> None:
            index = self._locate(document, item)
            if isinstance(new, Action) == isinstance(old, Action):
                document.replace_entry(index, old, new)
            else:
                document.delete_entry(index, old)
                document.add_note(new if isinstance(new, Note) else Note(new.stamp or 0, new.text, NoteKind.ACTION))

        self.write_document(apply)

    def delete(self, item: LogEntry) -> None:
        def apply(document: SessionDocument) -> None:
            index = self._locate(document, item)
            document.delete_entry(index, item.entry)
            if isinstance(item.entry, AskedQuestion) and item.entry.ref:
                still = any(isinstance(e.entry, AskedQuestion) and e.entry.ref == item.entry.ref for _, e in document.entries(ASKED))
                if not still:
                    document.set_front(questions=tuple(r for r in document.info.questions if r != item.entry.ref))

        self.write_document(apply)

    def set_action_state(self, item: LogEntry, state: ActionState) -> None:
        if not isinstance(item.entry, Action):
            return
        new = replace(item.entry, state=state)
        self.write_document(lambda d: d.replace_entry(self._locate(d, item), item.entry, new))

    @staticmethod
    def _locate(document: SessionDocument, item: LogEntry) -> int:
        # The file was re-read: find the same line again, nearest to where it was.
        index = document.find_entry(item.section, item.entry, near=item.index)
        if index is None:
            raise LookupError("that line was changed in the file meanwhile; nothing was changed")
        return index

    def now(self) -> datetime:
        return self.clock.now()

    def edit_client(self, edit: Callable[[], T]) -> T:
        """Run a change to client.toml, then read the client again; saved before it returns."""
        self._check_writable()
        with saving("the client file"):
            result = edit()
            self.client = load_client(self.client.path, self.client.slug)
        self._client_seen = file_fingerprint(self.client.path)
        self.revision += 1
        return result

    def check_client_file(self) -> tuple[str, bool] | None:
        """client.toml changed by another program: read it again. (what to tell the coach, is it broken)"""
        seen = file_fingerprint(self.client.path)
        if seen == self._client_seen:
            return None
        self._client_seen = seen
        name = self.client.path.name
        try:
            self.client = load_client(self.client.path, self.client.slug)
            self.revision += 1
        except FileProblems as error:
            return (
                f"{name} was changed by another program and cannot be read now: {error.problems[0]}. "
                "The goals shown are its last good version; goal changes wait until the file is fixed.",
                True,
            )
        return f"{name} was changed by another program; the goals shown are its new version.", False

    # ending -----------------------------------------------------------------

    def goal_changes(self) -> tuple[GoalChange, ...]:
        """Goals touched in this session, from the files: its front matter and the goals' dated history."""
        document = self.document
        if document is None or document.info.started is None:
            return ()
        started = document.info.started
        changes = []
        for goal_id in document.info.goals:
            goal = self.client.goal(goal_id)
            if goal is None:
                continue
            since = [c for c in goal.history if at_or_after(c.date, started)]
            new = goal.created is not None and at_or_after(goal.created, started)
            if not since and not new:
                continue
            before = None if new else since[0].from_status
            notes = "; ".join(c.note for c in since if c.note)
            changes.append(GoalChange(goal_id, goal.title, before, goal.status, notes))
        return tuple(changes)

    def playbook_moves(self) -> tuple[tuple[str, str], ...]:
        """(goal title, what was done) for each playbook move made in this session, from the goals' history."""
        document = self.document
        if document is None or document.info.started is None:
            return ()
        started = document.info.started
        made = [
            (change.date if isinstance(change.date, datetime) else started, goal.title, change)  # a hand-written day: as the session began
            for goal in self.client.goals
            for change in goal.history
            if change.move is not None and at_or_after(change.date, started)
        ]
        made.sort(key=lambda item: item[0])  # in the order they were made
        return tuple((title, MOVE_WORDS[c.move] + (f": {c.note}" if c.move is Move.SUPPORT and c.note else "")) for _, title, c in made if c.move)

    def summary(self) -> Summary:
        document = self.document
        info = document.info if document else None
        ratings = tuple((goal.title if (goal := self.client.goal(g)) else g, r) for g, r in info.ratings.items()) if info else ()
        return Summary(
            elapsed=self.timer.elapsed,
            planned=self.timer.planned,
            notes=len(document.notes) if document else 0,
            asked=len(document.asked) if document else 0,
            actions=tuple(document.actions) if document else (),
            goal_changes=self.goal_changes(),
            path=document.path if document else None,
            ratings=ratings,
            moves=self.playbook_moves(),
            focus_areas=info.focus_areas if info else (),
        )

    def end(self) -> Summary:
        """End the session for good: the timer stops and the file is marked ended."""
        if self.document is None:
            self.timer.end()
            self.revision += 1
            return self.summary()
        self.flush()
        self.timer.end()
        now: datetime = self.clock.now()
        self.write_document(lambda d: d.set_front(ended=now, **self._timer_fields()))
        return self.summary()


def unsaved_gap(document: SessionDocument, now: datetime) -> float:
    """Seconds between the last timer save of a running session and `now` (0 if it was paused)."""
    info = document.info
    if info.timer != "running" or info.saved is None:
        return 0.0
    return max(0.0, (now - info.saved).total_seconds())


def close_unfinished(document: SessionDocument, now: datetime) -> SessionDocument:
    """Mark a session left unfinished as ended, as it stands, so a new one can start."""
    ended = document.info.saved or now
    updated, _ = update_session(document.path, lambda d: d.set_front(timer="ended", ended=ended))
    return updated
