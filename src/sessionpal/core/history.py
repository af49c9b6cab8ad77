"""What the coach needs from past sessions while preparing or starting one."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from msgspec import Struct

from .model import Action, ActionState, Note
from .paths import Home, session_paths
from .problems import FileProblems, Problem
from .sessionfile import read_front_matter
from .sessions import previous_session, read_session
from .stalled import SessionFacts


class LastTime(Struct, frozen=True):
    """The "last time" card: the previous session at a glance."""

    path: Path
    when: date | None
    open_actions: tuple[Action, ...]
    last_notes: tuple[Note, ...]
    problems: tuple[Problem, ...] = ()


def last_time(home: Home, slug: str, exclude: Path | None = None, notes: int = 4, paths: list[Path] | None = None) -> LastTime | None:
    listing = previous_session(home, slug, exclude, paths)
    if listing is None:
        return None
    if listing.document is None:
        return LastTime(listing.path, None, (), (), tuple(listing.problems))
    document = listing.document
    started = document.info.started
    return LastTime(
        listing.path,
        started.date() if started else None,
        tuple(a for a in document.actions if a.state is ActionState.OPEN),
        tuple(document.notes[-notes:]),
    )


class ClientHistory(Struct, frozen=True):
    """What past sessions say, gathered in one pass: questions asked (with the last date) and goal facts."""

    asked: dict[str, date]
    sessions: tuple[SessionFacts, ...]  # oldest first; notes read only for the last few


def client_history(home: Home, slug: str, exclude: Path | None = None, with_notes: int = 3) -> ClientHistory:
    """Read the front matter of every past session, and the notes of the last `with_notes`.

    A file that cannot be read is skipped here; it is reported where sessions are listed.
    """
    asked: dict[str, date] = {}
    facts: list[SessionFacts] = []
    paths = [p for p in session_paths(home, slug) if p != exclude]
    for index, path in enumerate(paths):
        try:
            front = read_front_matter(path)
        except FileProblems:
            continue
        started = front.get("started")
        if not isinstance(started, datetime):
            continue
        day = started.date()
        questions = front.get("questions", [])
        for ref in questions if isinstance(questions, list) else []:
            if isinstance(ref, str) and (ref not in asked or asked[ref] < day):
                asked[ref] = day
        raw = front.get("ratings", {})
        ratings = {k: v for k, v in raw.items() if isinstance(v, int) and not isinstance(v, bool)} if isinstance(raw, dict) else {}
        notes: tuple[str, ...] = ()
        if index >= len(paths) - with_notes:
            try:
                notes = tuple(n.text for n in read_session(path).notes)
            except FileProblems:
                pass
        facts.append(SessionFacts(started, ratings, notes))
    return ClientHistory(asked, tuple(facts))
