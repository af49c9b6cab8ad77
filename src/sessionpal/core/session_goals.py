"""Goal work during a live session: status, ratings, values, focus areas and the stalled-goal playbook.

SessionGoals is owned by a LiveSession (`live.goals`) and writes through the
small GoalWriter protocol the session offers: goal changes go to client.toml;
what belongs to the session (ratings, goals touched, focus areas) to its front
matter. Every call is saved before it returns, or raises SaveFailed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar

from msgspec import Struct

from . import goals as goal_edits
from .clients import set_agreements, set_values
from .due import due_from_text
from .model import COACH_PREFIX, Client, Goal, GoalStatus, Move, at_or_after
from .paths import Home
from .saving import SaveFailed
from .sessionfile import SessionDocument
from .stalled import SessionFacts, stalled_goals

T = TypeVar("T")


class GoalChange(Struct, frozen=True):
    goal_id: str
    title: str
    before: GoalStatus | None  # None for a goal added in this session
    after: GoalStatus
    note: str


class GoalWriter(Protocol):
    """What SessionGoals needs of the session that owns it."""

    home: Home
    client: Client
    document: SessionDocument | None

    @property
    def started(self) -> bool: ...

    def now(self) -> datetime: ...

    def start(self) -> None: ...

    def add_note(self, typed: str) -> object: ...

    def write_document(self, change: Callable[[SessionDocument], object]) -> object: ...

    def edit_client(self, edit: Callable[[], T]) -> T: ...


class SessionGoals:
    def __init__(self, session: GoalWriter):
        self.session = session

    @property
    def client(self) -> Client:
        return self.session.client

    @property
    def document(self) -> SessionDocument | None:
        return self.session.document

    @property
    def home(self) -> Home:
        return self.session.home

    def playbook_tried(self, goal_id: str) -> tuple[Move, ...]:
        """The playbook moves made this session on this goal, or on the goal it took the place of (shrunk or
        replaced into it): the coach may carry on with the rest once the goal no longer looks stalled."""
        document = self.document
        if document is None or document.info.started is None:
            return ()
        started = document.info.started
        lineage = [g for g in self.client.goals if g.id == goal_id or g.replaced_by == goal_id]
        tried: list[Move] = []
        for goal in lineage:
            tried += [c.move for c in goal.history if c.move is not None and at_or_after(c.date, started) and c.move not in tried]
        return tuple(tried)

    def _touch(self, goal_id: str) -> None:
        """Record in the session's front matter that this goal was worked on (if a session is running)."""
        if self.document is not None and goal_id not in self.document.info.goals:
            self.session.write_document(lambda d: d.set_front(goals=(*d.info.goals, goal_id)))

    def _goal(self, goal_id: str) -> Goal:
        goal = self.client.goal(goal_id)
        if goal is None:
            raise SaveFailed(f"no goal {goal_id!r}")
        return goal

    # the goal itself ----------------------------------------------------------

    def change_goal(self, goal_id: str, status: GoalStatus, note: str = "") -> GoalChange:
        before = self._goal(goal_id).status
        goal = self.session.edit_client(lambda: goal_edits.change_goal_status(self.home, self.client.slug, goal_id, status, note, at=self.session.now()))
        self._touch(goal_id)
        return GoalChange(goal_id, goal.title, before, goal.status, note)

    def add_goal(self, title: str, value: str = "") -> GoalChange:
        goal = self.session.edit_client(lambda: goal_edits.add_goal(self.home, self.client.slug, title, value=value, at=self.session.now()))
        self._touch(goal.id)
        return GoalChange(goal.id, goal.title, None, goal.status, "new goal")

    def rename_goal(self, goal_id: str, title: str) -> Goal:
        self._goal(goal_id)
        return self.session.edit_client(lambda: goal_edits.rename_goal(self.home, self.client.slug, goal_id, title))

    def link_value(self, goal_id: str, value: str) -> Goal:
        self._goal(goal_id)
        goal = self.session.edit_client(lambda: goal_edits.link_value(self.home, self.client.slug, goal_id, value, at=self.session.now()))
        self._touch(goal_id)
        return goal

    def set_goal_values(self, goal_id: str, values: list[str], *, playbook: bool = False) -> Goal:
        """`playbook`: the stalled-goal playbook's "connect it to a value", recorded as that move."""
        self._goal(goal_id)
        goal = self.session.edit_client(
            lambda: goal_edits.set_goal_values(self.home, self.client.slug, goal_id, values, at=self.session.now(), playbook=playbook)
        )
        self._touch(goal_id)
        return goal

    def tag_goal(self, goal_id: str, tags: list[str]) -> Goal:
        self._goal(goal_id)
        return self.session.edit_client(lambda: goal_edits.set_goal_tags(self.home, self.client.slug, goal_id, tags))

    def move_goal(self, goal_id: str, delta: int) -> None:
        self._goal(goal_id)
        self.session.edit_client(lambda: goal_edits.move_goal(self.home, self.client.slug, goal_id, delta))

    def rate_goal(self, goal_id: str, rating: int) -> None:
        """Progress on the goal this session, 1 to 10, in the front matter; rating starts the session if needed."""
        self._goal(goal_id)
        if not 1 <= rating <= 10:
            raise SaveFailed("a rating is a whole number from 1 to 10")
        if not self.session.started:
            self.session.start()
        self.session.write_document(lambda d: d.set_front(ratings={**d.info.ratings, goal_id: rating}))
        self._touch(goal_id)

    def ratings_now(self) -> dict[str, int]:
        return dict(self.document.info.ratings) if self.document else {}

    # the client's values, areas and mode -----------------------------------------

    def set_values(self, values: list[str]) -> None:
        self.session.edit_client(lambda: set_values(self.home, self.client.slug, values))

    def set_no_goals(self, no_goals: bool) -> None:
        """Work without goals for now (or with them again), noted in each open goal's history."""
        self.session.edit_client(lambda: goal_edits.work_without_goals(self.home, self.client.slug, no_goals, at=self.session.now()))

    def set_areas(self, agreed: list[str], ask_first: list[str]) -> None:
        self.session.edit_client(lambda: set_agreements(self.home, self.client.slug, agreed, ask_first))

    def toggle_focus_area(self, area: str) -> tuple[str, ...]:
        """Mark a focus area as touched in this session (or not); starts the session if needed."""
        if not self.session.started:
            self.session.start()
        # start() made the file; write_document below relies on the same (it asserts it too).
        assert self.document is not None
        areas = self.document.info.focus_areas
        new = tuple(a for a in areas if a != area) if area in areas else (*areas, area)
        self.session.write_document(lambda d: d.set_front(focus_areas=new))
        return new

    def ask_first_areas(self, text: str) -> list[str]:
        """The ask-first areas a note or goal names with #area."""
        words = {w[1:].casefold().strip(".,;:!?") for w in text.split() if w.startswith("#") and len(w) > 1}
        return [a for a in self.client.ask_first if a.casefold().replace(" ", "-") in words or a.casefold() in words]

    # the stalled-goal playbook -----------------------------------------------------

    def current_facts(self) -> SessionFacts | None:
        document = self.document
        if document is None:
            return None
        info = document.info
        if info.started is None:
            return None
        return SessionFacts(info.started, dict(info.ratings), tuple(n.text for n in document.notes))

    def stalled(self, past: tuple[SessionFacts, ...], after: int) -> dict[str, str]:
        return stalled_goals(self.client, list(past), after, self.current_facts())

    def explore_reason(self, goal_id: str) -> Goal:
        goal = self.session.edit_client(
            lambda: goal_edits.record_move(self.home, self.client.slug, goal_id, Move.REASON, "explored the real reason", at=self.session.now())
        )
        self._touch(goal_id)
        return goal

    def add_support(self, goal_id: str, when: str) -> Goal:
        """An action in this session ("check in by message on ..."), and the move in the goal's history."""
        goal = self._goal(goal_id)
        when = " ".join(when.split()) or "a day between sessions"
        # Due on the day named, as "by Friday" is in any action; kept as the file keeps every due date.
        _, due = due_from_text(f"by {when}", self.session.now().date())
        dated = f" due {due.isoformat()}" if due is not None else ""
        self.session.add_note(f"!{COACH_PREFIX} check in by message on {when} about: {goal.title}{dated}")  # the coach's, not the client's
        goal = self.session.edit_client(
            lambda: goal_edits.record_move(self.home, self.client.slug, goal_id, Move.SUPPORT, f"check in by message on {when}", at=self.session.now())
        )
        self._touch(goal_id)
        return goal

    def succeed_goal(self, goal_id: str, new_title: str, move: Move) -> tuple[Goal, Goal]:
        """Shrink or replace: the new goal is added and the old one marked changed, linked to it."""
        self._goal(goal_id)
        old, new = self.session.edit_client(lambda: goal_edits.succeed_goal(self.home, self.client.slug, goal_id, new_title, move, at=self.session.now()))
        self._touch(goal_id)
        self._touch(new.id)
        return old, new

    def set_goals_aside(self, goal_id: str) -> None:
        """Drop all goals for now: the client works without goals; nothing is deleted."""
        self._goal(goal_id)
        self.session.edit_client(lambda: goal_edits.work_without_goals(self.home, self.client.slug, True, at=self.session.now(), move_on=goal_id))
        self._touch(goal_id)
