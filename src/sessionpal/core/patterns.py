"""What keeps coming up with one client, across their sessions: their own words, the actions that keep coming
back, the themes of each month, the goals nobody names any more, and their energy, if the coach asks for it.

When a client stops progressing, the first move is to find the real reason rather than push, and a coach
listens for the client's own words: both need what recurs across sessions, which no single session shows.
Everything here is read from the search index (core/index.py: `client_stories`), never by opening every
session file, so a client with hundreds of sessions opens at once. Pure over what the index hands back:
`patterns_of` takes plain values, and the tests build them by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from .carried import ActionSeen, Carried, carried_over
from .index_types import SessionStory
from .model import Action, ActionState, Client, GoalStatus, NoteKind
from .stalled import WATCHED, SessionFacts, mentions, sessions_unnamed, stalled_goals
from .words import content_words, language_of, tags_in

if TYPE_CHECKING:
    from .paths import Home

NOTE_KINDS = frozenset(kind.value for kind in (NoteKind.NOTE, NoteKind.QUOTE, NoteKind.INSIGHT, NoteKind.QUESTION, NoteKind.SHARED))
THEMES_SHOWN = {"tag": 8, "area": 6, "word": 10}  # rows of each kind in the themes table: a glance, not a report
_SAID = frozenset((NoteKind.QUOTE.value, NoteKind.SHARED.value))  # the kinds of line a quote or a + note is
RECENT = 2  # months (up to the latest session) that count as "lately" for rising and quiet themes


class Quote(Struct, frozen=True):
    """A line in the client's own words (a `"` note), or a note for the client (`+`): when, where, its tags."""

    when: datetime | None
    path: Path
    stamp: int | None
    text: str
    tags: tuple[str, ...] = ()  # the #tags it holds
    goals: tuple[str, ...] = ()  # the titles of the goals it names
    shareable: bool = False  # a quote the coach marked for the client (`+"…"`): the only quotes --share shows

    @property
    def day(self) -> str:
        return self.when.date().isoformat() if self.when else self.path.stem[:10]


class Theme(Struct, frozen=True):
    """A tag, area or word of the client's, counted in each month from their first session to their last (oldest first)."""

    kind: str  # "tag", "area" or "word"
    name: str
    counts: tuple[int, ...]
    trend: str = ""  # "rising", "quiet" (went quiet lately) or ""

    @property
    def total(self) -> int:
        return sum(self.counts)


class QuietGoal(Struct, frozen=True):
    """An open goal no note has named for `sessions` sessions (the stalled rule's evidence), and the rule's
    verdict on it ("" when its ratings or status moved meanwhile)."""

    goal_id: str
    title: str
    sessions: int
    stalled: str = ""


class EnergyPoint(Struct, frozen=True):
    """One session's energy check-ins, the client's own 0-10 numbers."""

    when: datetime | None
    path: Path
    start: int | None
    end: int | None


class Patterns(Struct, frozen=True):
    client: str  # the client's name
    slug: str
    sessions: int  # sessions read (from `since` on)
    since: date | None
    quotes: tuple[Quote, ...]  # newest first
    for_client: tuple[Quote, ...]  # the + notes, newest first
    carried: tuple[Carried, ...]
    months: tuple[str, ...]  # YYYY-MM, oldest first: the themes' columns
    themes: tuple[Theme, ...]
    quiet_goals: tuple[QuietGoal, ...]
    energy: tuple[EnergyPoint, ...]  # oldest first, sessions with a check-in only
    language: str = ""  # whose stop words were left out ("en", "es", ...; "" for none found)
    problems: tuple[str, ...] = field(default=())  # "path:line:col: message" of session files that cannot be read


def _quote_of(story: SessionStory, stamp: int | None, kind: str, text: str, client: Client) -> Quote | None:
    shareable = kind == NoteKind.SHARED.value and len(text) >= 2 and text.startswith('"') and text.endswith('"')
    if kind != NoteKind.QUOTE.value and not shareable:
        return None
    words = text[1:-1] if shareable else text
    if not words.strip():
        return None  # `""`: nothing the client said
    goals = tuple(goal.title for goal in client.goals if mentions(goal, words))
    return Quote(story.started, story.path, stamp, words, tags_in(words), goals, shareable)


def _areas_of(client: Client) -> dict[str, str]:
    """The client's areas by the tag that names one (#career, #personal-foundation): agreed, ask first, goals' tags."""
    names = [*client.agreed, *client.ask_first, *(tag for goal in client.goals for tag in goal.tags)]
    return {name.casefold().replace(" ", "-"): name for name in names}


def _trend(counts: Sequence[int]) -> str:
    """ "rising": more in the last RECENT session months than in the RECENT before, twice at least; "quiet":
    none lately, after twice at least before. Once is no pattern."""
    recent, before = sum(counts[-RECENT:]), sum(counts[:-RECENT])
    if len(counts) <= RECENT or recent + before < 2:
        return ""
    if recent == 0 and before >= 2:
        return "quiet"
    earlier = sum(counts[-2 * RECENT : -RECENT])
    if recent >= 2 and recent > earlier:
        return "rising"
    return ""


def _every_month(first: str, last: str) -> list[str]:
    """The months from `first` to `last` (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while (found := f"{year:04d}-{month:02d}") <= last:
        months.append(found)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _newest(quote: Quote) -> tuple[float, int]:
    return (quote.when.timestamp() if quote.when else 0.0, quote.stamp or 0)


def _themes(rows: dict[str, list[Counter[str]]]) -> list[Theme]:
    themes = []
    for kind, per_month in rows.items():
        totals: Counter[str] = Counter()
        for counter in per_month:
            totals.update(counter)
        top = sorted(totals, key=lambda name: (-totals[name], name))[: THEMES_SHOWN[kind]]
        for name in top:
            counts = tuple(counter[name] for counter in per_month)
            themes.append(Theme(kind, name, counts, _trend(counts)))
    return themes


def patterns_of(
    client: Client,
    stories: Sequence[SessionStory],
    today: date,
    stalled_after: int = 3,
    since: date | None = None,
    current: Path | None = None,
) -> Patterns:
    """The patterns of a client's sessions (oldest first, as the index hands them). `since`: quotes, themes
    and energy from that day on (carried actions and quiet goals look at every session: they are about now).
    `current`: the session in progress, whose own actions are not "carried over" yet."""
    held = [s for s in stories if not s.problem and s.started is not None]
    problems = tuple(s.problem for s in stories if s.problem)
    shown = [s for s in held if since is None or (s.started is not None and s.started.date() >= since)]
    quotes: list[Quote] = []
    for_client: list[Quote] = []
    for story in shown:
        for stamp, kind, text in story.lines:
            if kind not in _SAID:
                continue
            quote = _quote_of(story, stamp, kind, text, client)
            if quote is not None:
                quotes.append(quote)
            elif kind == NoteKind.SHARED.value:
                for_client.append(Quote(story.started, story.path, stamp, text, tags_in(text), shareable=True))
    language = language_of(q.text for q in quotes) or language_of(t for s in shown for _, k, t in s.lines if k in NOTE_KINDS)
    # Themes: a column for each month.
    areas = _areas_of(client)
    month_of = {story.path: f"{story.started:%Y-%m}" for story in shown if story.started is not None}
    # Every month from the first session to the last, those without one too: a gap in the calls shows as a gap.
    months = _every_month(min(month_of.values()), max(month_of.values())) if month_of else []
    place = {month: n for n, month in enumerate(months)}
    rows: dict[str, list[Counter[str]]] = {kind: [Counter() for _ in months] for kind in THEMES_SHOWN}
    for story in shown:
        column = place[month_of[story.path]]
        rows["area"][column].update(dict.fromkeys(story.areas, 1))
        for _, kind, text in story.lines:
            if kind not in NOTE_KINDS and kind != "action":
                continue
            for tag in tags_in(text):
                if tag in areas:
                    rows["area"][column][areas[tag]] += 1
                else:
                    rows["tag"][column]["#" + tag] += 1
    for quote in quotes:
        # Each word once a quote: a word said over and over in one breath is one time it came up, not a theme.
        rows["word"][place[month_of[quote.path]]].update(dict.fromkeys(content_words(quote.text, language), 1))
    # Carried actions and quiet goals: every session, the one in progress aside.
    past = [s for s in held if s.path != current]
    carried = carried_of(client, past, today, language=language)
    # A session's notes as one text, folded once: a goal is named in it exactly when it is named in one of them
    # (no title holds a line break), and the stalled rule looks at every session for every goal.
    facts = [SessionFacts(s.started, dict(s.ratings), ("\n".join(t for _, k, t in s.lines if k in NOTE_KINDS),)) for s in past if s.started is not None]
    flagged = stalled_goals(client, facts, stalled_after)
    quiet = []
    for goal in client.goals:
        if goal.status not in (*WATCHED, GoalStatus.STALLED):
            continue
        unnamed = sessions_unnamed(goal, facts)
        if unnamed >= stalled_after:
            quiet.append(QuietGoal(goal.id, goal.title, unnamed, flagged.get(goal.id, "")))
    quiet.sort(key=lambda q: (-q.sessions, q.title.casefold()))
    energy = tuple(EnergyPoint(s.started, s.path, *s.energy) for s in shown if s.energy != (None, None))
    quotes.sort(key=_newest, reverse=True)
    for_client.sort(key=_newest, reverse=True)
    return Patterns(
        client.name,
        client.slug,
        len(shown),
        since,
        tuple(quotes),
        tuple(for_client),
        tuple(carried),
        tuple(months),
        tuple(_themes(rows)),
        tuple(quiet),
        energy,
        language,
        problems,
    )


def carried_of(client: Client, stories: Sequence[SessionStory], today: date, current: Path | None = None, language: str | None = None) -> list[Carried]:
    """The client's actions carried over (core/carried.py), from their sessions as the index holds them: what the
    last-time card flags, without the rest of the patterns. `language`: the client's, if known already."""
    past = [s for s in stories if not s.problem and s.started is not None and s.path != current]
    if language is None:
        language = language_of(t for s in past for _, k, t in s.lines if k == NoteKind.QUOTE.value)
    seen = [
        ActionSeen(n, Action(text, stamp, ActionState(state), date.fromisoformat(due) if due else None), story.path, story.started)
        for n, story in enumerate(past)
        for stamp, state, text, due in story.actions
    ]
    return carried_over(seen, len(past), today, client.goals, language)


def read_patterns(home: Home, client: Client, today: date, stalled_after: int = 3, since: date | None = None, current: Path | None = None) -> Patterns:
    """The client's patterns from the search index, brought up to date for their folder first (a first build
    reads their files once). Raises IndexUnavailable when the index cannot be used."""
    from .index import SearchIndex

    index = SearchIndex(home)
    index.refresh(names={client.slug: client.name}, client=client.slug)
    return patterns_of(client, index.client_stories(client.slug), today, stalled_after, since, current)


def carried_counts(patterns: Patterns) -> dict[str, int]:
    """Each carried action's latest wording -> how many sessions it has stayed open across (the last-time card)."""
    return {c.text: c.times for c in patterns.carried}


def as_json(patterns: Patterns) -> dict[str, Any]:
    """Plain values for `sessionpal patterns --format json`: dates as YYYY-MM-DD, paths as text."""

    def when(moment: datetime | None) -> str | None:
        return moment.date().isoformat() if moment else None

    def quote(q: Quote) -> dict[str, Any]:
        return {"date": q.day, "text": q.text, "tags": list(q.tags), "goals": list(q.goals), "shareable": q.shareable, "file": str(q.path), "stamp": q.stamp}

    return {
        "client": patterns.client,
        "sessions": patterns.sessions,
        "since": patterns.since.isoformat() if patterns.since else None,
        "language": patterns.language,
        "quotes": [quote(q) for q in patterns.quotes],
        "for_client": [quote(q) for q in patterns.for_client],
        "carried_over": [
            {
                "text": c.text,
                "times": c.times,
                "first": when(c.first),
                "wordings": list(c.wordings),
                "tags": list(c.tags),
                "due": c.due.isoformat() if c.due else None,
                "file": str(c.path) if c.path else None,
            }
            for c in patterns.carried
        ],
        "months": list(patterns.months),
        "themes": [{"kind": t.kind, "name": t.name, "counts": list(t.counts), "total": t.total, "trend": t.trend} for t in patterns.themes],
        "quiet_goals": [{"goal": q.goal_id, "title": q.title, "sessions_unnamed": q.sessions, "stalled": q.stalled} for q in patterns.quiet_goals],
        "energy": [{"date": when(e.when), "start": e.start, "end": e.end} for e in patterns.energy],
        "problems": list(patterns.problems),
    }
