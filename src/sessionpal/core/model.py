"""What sessionpal knows about, in the coach's words: clients, goals, packs, questions, notes."""

from __future__ import annotations

import enum
import re
from datetime import date, datetime
from pathlib import Path

from msgspec import Struct, field

# When a goal was made or changed: a date and time with UTC offset as written
# since 2026-11-29; a plain date in files written before, or by hand.
Stamp = date | datetime


def moment_now() -> datetime:
    """Local wall-clock time with its UTC offset, to the second, as the files write it."""
    return datetime.now().astimezone().replace(microsecond=0)


def at_or_after(stamp: Stamp, moment: Stamp) -> bool:
    """`stamp` is no earlier than `moment`; by the day when either is a plain date (it has no time to compare)."""
    if isinstance(stamp, datetime) and isinstance(moment, datetime):
        return stamp >= moment
    return _day(stamp) >= _day(moment)


def _day(stamp: Stamp) -> date:
    return stamp.date() if isinstance(stamp, datetime) else stamp


class Phase(enum.StrEnum):
    """The part of a session a question belongs to."""

    OPENING = "opening"
    EXPLORE = "explore"
    OPTIONS = "options"
    ACTION = "action"
    CLOSING = "closing"


PHASES: tuple[str, ...] = tuple(p.value for p in Phase)


class Question(Struct, frozen=True):
    pack: str
    id: str
    text: str
    tags: tuple[str, ...] = ()
    phase: Phase | None = None
    follow_ups: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        """Stable reference used in session files: `pack-id/question-id`."""
        return f"{self.pack}/{self.id}"


class Pack(Struct, frozen=True):
    id: str
    title: str
    questions: tuple[Question, ...]
    path: Path
    builtin: bool
    description: str = ""
    source: str = ""


class GoalStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    STALLED = "stalled"
    ACHIEVED = "achieved"
    CHANGED = "changed"
    PAUSED = "paused"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")

    @property
    def is_open(self) -> bool:
        """Still being worked on (not achieved, changed or dropped)."""
        return self in (GoalStatus.ACTIVE, GoalStatus.ON_TRACK, GoalStatus.AT_RISK, GoalStatus.STALLED, GoalStatus.PAUSED)


GOAL_STATUSES: tuple[str, ...] = tuple(s.value for s in GoalStatus)


class Move(enum.StrEnum):
    """The stalled-goal playbook: what to try instead of pushing harder."""

    REASON = "reason"  # explore the real reason
    SUPPORT = "support"  # add support between sessions
    SHRINK = "shrink"  # a step doable within a day or two
    REPLACE = "replace"  # a different goal
    DROP_ALL = "drop-all"  # set all goals aside for now
    VALUE = "value"  # connect the goal to a value


MOVES: tuple[str, ...] = tuple(m.value for m in Move)

# What a move did, in the words of the end-of-session summary.
MOVE_WORDS = {
    Move.REASON: "explored the real reason",
    Move.SUPPORT: "added support between sessions",
    Move.SHRINK: "shrunk to a smaller step",
    Move.REPLACE: "replaced by another goal",
    Move.DROP_ALL: "all goals set aside for now",
    Move.VALUE: "connected to a value",
}


class StatusChange(Struct, frozen=True):
    """A line of a goal's history: a status change, or a playbook move (then from and to may be equal)."""

    date: Stamp
    from_status: GoalStatus | None
    to_status: GoalStatus
    note: str = ""
    move: Move | None = None


class Goal(Struct, frozen=True):
    id: str
    title: str
    status: GoalStatus = GoalStatus.ACTIVE
    values: tuple[str, ...] = ()  # the client's values it serves (client.toml: values = [...], or one value = "...")
    created: Stamp | None = None
    target: date | None = None
    history: tuple[StatusChange, ...] = ()
    replaced_by: str = ""
    tags: tuple[str, ...] = ()  # areas of life the goal touches, e.g. "family"

    @property
    def value(self) -> str:
        """The first value it serves ("" for none), where one is shown."""
        return self.values[0] if self.values else ""


class Engagement(Struct, frozen=True):
    """What the coach and the client agreed: a number of sessions, perhaps an end date; and, if the coach
    keeps it here, the date of the next session."""

    sessions: int | None = None
    ends: date | None = None
    next_session: date | None = None
    started: date | None = None  # sessions from this day on count ("session 1 of 8" at the first of a new agreement)

    def counts(self, day: date) -> bool:
        """A session held on `day` is one of this engagement's (every one, for an engagement with no start)."""
        return self.started is None or day >= self.started


class Client(Struct, frozen=True):
    slug: str
    name: str
    path: Path
    session_minutes: int | None = None
    values: tuple[str, ...] = ()
    goals: tuple[Goal, ...] = ()
    model: str = ""
    created: date | None = None
    no_goals: bool = False  # working without goals for now; the goals are kept
    contact: str = ""  # email or phone, for the ICF log
    code: str = ""  # shown instead of the name where the client has not agreed to be named
    log_name: bool = False  # the client agreed to be named in the ICF log
    pro_bono: bool = False  # sessions are pro bono unless a session says otherwise
    agreed: tuple[str, ...] = ()  # areas the client has agreed to be coached on
    ask_first: tuple[str, ...] = ()  # areas to ask permission about before coaching in them
    engagement: Engagement | None = None
    calendar_names: tuple[str, ...] = ()  # other names the coach's calendar gives them (core/calendar.py)

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)


class ClientCard(Struct, frozen=True):
    """What the client list and today's calls show of a client: enough to list 2,000 clients without parsing
    2,000 client files. The whole client is read when one is opened."""

    name: str
    code: str = ""
    calendar_names: tuple[str, ...] = ()
    engagement: Engagement | None = None


def card_of(client: Client) -> ClientCard:
    """What the client list shows of this client."""
    return ClientCard(client.name, client.code, client.calendar_names, client.engagement)


class NoteKind(enum.StrEnum):
    """How a note is filed; the coach picks it with a prefix as they type."""

    NOTE = "note"
    QUOTE = "quote"  # the client's own words
    INSIGHT = "insight"
    QUESTION = "question"  # a question the coach asked in their own words
    ACTION = "action"  # becomes a task in the Actions section
    AGREEMENT = "agreement"  # what the client wants from this session; goes to the front matter
    SHARED = "shared"  # a note meant for the client: the only notes in a shared recap
    ENERGY = "energy"  # the client's own 0-10 energy check-in (~7); goes to the front matter


# What the coach types at the start of a note to file it by kind.
NOTE_PREFIXES: dict[str, NoteKind] = {
    "=": NoteKind.AGREEMENT,
    "+": NoteKind.SHARED,
    "!": NoteKind.ACTION,
    '"': NoteKind.QUOTE,
    "*": NoteKind.INSIGHT,
    "?": NoteKind.QUESTION,
    "~": NoteKind.ENERGY,
}


class Note(Struct, frozen=True):
    """A stamped line of the session's Notes section; `stamp` is elapsed session seconds."""

    stamp: int
    text: str
    kind: NoteKind = NoteKind.NOTE


class ActionState(enum.StrEnum):
    OPEN = " "
    DONE = "x"
    DROPPED = "-"


class Action(Struct, frozen=True):
    """A task from the Actions section, `- [ ] text`; stamp is None when a person wrote it by hand.

    An action that starts with "Coach:" is the coach's own (a check-in they promised, say): it stays out
    of the client's recap."""

    text: str
    stamp: int | None = None
    state: ActionState = ActionState.OPEN
    due: date | None = None  # "by Friday", "due 2026-12-04": kept as due:YYYY-MM-DD (see core/due.py)

    @property
    def for_coach(self) -> bool:
        # Also the check-ins the playbook wrote before it wrote "Coach:" in front of them.
        return self.text.casefold().startswith(COACH_PREFIX.casefold()) or _OLD_CHECK_IN.match(self.text) is not None


COACH_PREFIX = "Coach:"
_OLD_CHECK_IN = re.compile(r"^Check in by message on .+ about: ")


class AskedQuestion(Struct, frozen=True):
    """A question from the deck marked asked, with its `pack/question` reference."""

    stamp: int
    text: str
    ref: str = ""


Entry = Note | Action | AskedQuestion


# The areas a session can work on when a client works without goals.
FOCUS_AREAS: tuple[str, ...] = (
    "personal foundation",
    "skills",
    "personal evolution",
    "sounding board",
    "situational advice",
    "conceptual discussion",
)


class Config(Struct, frozen=True):
    """Preferences from config.toml; every key is optional."""

    session_minutes: int = 60
    model: str = "grow"
    bell: bool = False
    theme: str = "textual-dark"
    keys: dict[str, str] = field(default_factory=dict)
    starred: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()  # packs ("pack") and questions ("pack/question") left out of the deck
    stalled_after: int = 3  # sessions without movement before a goal is flagged as possibly stalled
    focus_areas: tuple[str, ...] = FOCUS_AREAS
    retention_years: int | None = None  # clients whose last session is older are listed for erasing
    git_autocommit: bool = False  # [git] autocommit: commit each ended session and client change
