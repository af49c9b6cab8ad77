"""What the coach needs from past sessions while preparing or starting one."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .model import Action, ActionState, Note
from .paths import Home
from .problems import FileProblems, Problem, read_user_text
from .sessionfile import FENCE
from .sessions import previous_session, session_paths


@dataclass(frozen=True)
class LastTime:
    """The "last time" card: the previous session at a glance."""

    path: Path
    when: date | None
    open_actions: tuple[Action, ...]
    last_notes: tuple[Note, ...]
    problems: tuple[Problem, ...] = ()


def last_time(home: Home, slug: str, exclude: Path | None = None, notes: int = 4) -> LastTime | None:
    listing = previous_session(home, slug, exclude)
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


def _front_matter(path: Path) -> dict:
    text = read_user_text(path)
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        return {}
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        return {}
    try:
        return tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError:
        return {}


def asked_before(home: Home, slug: str, exclude: Path | None = None) -> dict[str, date]:
    """Every deck question asked of this client, with the date it was last asked.

    Reads only the front matter of each session; a broken file is skipped (it is
    reported where sessions are listed).
    """
    asked: dict[str, date] = {}
    for path in session_paths(home, slug):
        if path == exclude:
            continue
        try:
            front = _front_matter(path)
        except FileProblems:
            continue
        started = front.get("started")
        day = started.date() if hasattr(started, "date") else None
        questions = front.get("questions", [])
        if day is None or not isinstance(questions, list):
            continue
        for ref in questions:
            if isinstance(ref, str) and (ref not in asked or asked[ref] < day):
                asked[ref] = day
    return asked
