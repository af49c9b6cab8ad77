"""What the search index hands out (sessions, hits, open actions, what a refresh did) and the search
query language: the coach's words as FTS5 queries. No SQL here: see index.py for the store."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .paths import session_sort_key
from .spaceless import has_spaceless, spaced

if TYPE_CHECKING:
    from .model import Action

# Line numbers within a session's block of rowids: more than a 16 MB session file can hold (a line is at
# least 8 bytes), so every line is searchable; rowids stay far below SQLite's 2**63 until the year 9999.
LINES_PER_SESSION = 1 << 21
SEPARATOR = "\x1e"  # between a session's lines in the index's `texts` table: RS, which no line holds
LINES_TOKENIZER = "unicode61 remove_diacritics 2"  # of `lines`: words, their accents dropped
SLOTS_PER_MINUTE = 64  # sessions whose rowids start in one minute (see minute_block)


# A session's place in the index, from its file's name and start: computed where the file is read (in a build's
# worker processes), so the process that writes the index does arithmetic only.


def session_order(name: str, started: str | None) -> str:
    """Text whose order is the sessions' order: when it started (in UTC, so offsets compare as moments), or for a
    file that cannot be read the time in its name; then its name's minute and copy number (-2, -3)."""
    when = datetime.fromisoformat(started) if started else named_time(name)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    stamp, copy = session_sort_key(name)
    return f"{when:%Y-%m-%dT%H:%M:%S.%f}|{stamp}|{copy:06d}"


def named_time(name: str) -> datetime:
    """A session file's start minute, from its name: where a file that cannot be read sorts."""
    stamp = session_sort_key(name)[0]  # YYYY-MM-DDTHHMM, or "" for no session's name
    try:
        # The fields by position (the name's pattern fixes them): as strptime would read them, at a tenth of its cost.
        return datetime(int(stamp[:4]), int(stamp[5:7]), int(stamp[8:10]), int(stamp[11:13]), int(stamp[13:15]), tzinfo=UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def minute_block(name: str) -> tuple[int, int]:
    """The first rowid of the session's start minute (from its name: SLOTS_PER_MINUTE blocks of LINES_PER_SESSION
    rowids), and the slot within it its copy number asks for (a -2 copy the second)."""
    minute = int(named_time(name).timestamp() // 60)
    return max(minute, 0) * SLOTS_PER_MINUTE * LINES_PER_SESSION, min(session_sort_key(name)[1], SLOTS_PER_MINUTE - 1)


# The index's rows are named tuples, not Structs like the other records: `sessionpal search` imports this module,
# and msgspec's import (typing_extensions and inspect with it, which only Textual's start has already) would be 14
# ms of a warm search that takes 80 without it (bench/RESULTS.md). They compare and read as the Structs do.
class SessionRow(NamedTuple):
    path: Path
    client: str
    name: str
    started: datetime | None
    elapsed: int
    planned: int
    notes: int
    asked: int
    open_actions: int
    goals: tuple[str, ...]
    agreement: str
    finished: bool
    problem: str  # "path:line:col: message" for a file that cannot be read
    ratings: dict[str, int]  # goal id -> progress 1-10 this session


class SessionStory(NamedTuple):
    """One session of one client as the index holds it, for the patterns view: its lines in file order (stamp,
    kind, text: a note's kind, "asked", "action" or "agreement") and its actions (stamp, state, text, due)."""

    path: Path
    name: str  # the client's name as the index last read it
    started: datetime | None
    goals: tuple[str, ...]
    ratings: dict[str, int]
    energy: tuple[int | None, int | None]  # the client's check-ins at the start and the end
    areas: tuple[str, ...]  # focus areas touched
    lines: tuple[tuple[int | None, str, str], ...]
    actions: tuple[tuple[int | None, str, str, str | None], ...]
    problem: str = ""


class SessionLengths(NamedTuple):
    """Finished sessions' lengths for the review's chart: how many, their sum, and averages oldest to newest
    (seconds; one a session when there are few, one per equal share of them when there are many)."""

    sessions: int
    total: int
    averages: tuple[float, ...]


class Hit(NamedTuple):
    path: Path
    client: str
    name: str
    started: datetime | None
    stamp: int | None
    kind: str
    text: str
    marked: str  # the text with the match between \x01 and \x02


class OpenAction(NamedTuple):
    path: Path
    client: str
    started: datetime | None
    action: Action
    name: str = ""  # the client's name as the index last read it


class Refresh(NamedTuple):
    indexed: int = 0  # files read again
    removed: int = 0
    total: int = 0
    problems: tuple[str, ...] = ()  # "path:line:col: message" for every session file that cannot be read


class SearchQuery(NamedTuple):
    """The coach's words as FTS5 queries: for the `lines` table (words, prefixes, "quoted phrases") and for the
    `spaceless` table (a word in a script without spaces, as the phrase of its characters); "" where none."""

    lines: str
    spaceless: str
    terms: tuple[str, ...]  # what to mark in the results of a search with spaceless words
    prefixes: tuple[str, ...] = ()  # of `lines`: the words typed as the start of words (`"word"*`)
    phrases: tuple[str, ...] = ()  # and the "quoted phrases" (`"a phrase"`)

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        lines: list[str] = []
        spaceless: list[str] = []
        terms: list[str] = []
        prefixes: list[str] = []
        phrases: list[str] = []
        for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
            cleaned = (phrase or word).replace('"', "")
            if not re.search(r"\w", cleaned):
                continue  # only punctuation: FTS5 could not read it
            terms.append(cleaned.strip())
            if has_spaceless(cleaned):
                spaceless.append('"' + spaced(cleaned) + '"')
            elif phrase:
                lines.append('"' + cleaned + '"')
                phrases.append(cleaned)
            else:
                lines.append('"' + cleaned + '"*')
                prefixes.append(cleaned)
        return cls(" ".join(lines), " ".join(spaceless), tuple(terms), tuple(prefixes), tuple(phrases))
