"""A session file as the search index stores it: the file's row, its actions, its lines.

Kept apart from index.py for two reasons: a search whose index is current never reads a
session file, so it need not import the session file reader (a quarter of a search's
start-up); and reading files into rows is pure, so a first build can read them in
another process while this one writes the rows already read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Action, ActionState, AskedQuestion, Note
from .problems import FileProblems
from .sessionfile import SessionDocument
from .sessions import read_session
from .spaceless import has_spaceless, spaced


@dataclass(frozen=True)
class SessionRows:
    """What the index holds of one session file; `problem` set (and nothing else) when it cannot be read."""

    path: Path
    problem: str = ""
    started: str | None = None
    # elapsed, planned, notes, asked, open actions, goals, agreement, finished, ratings (JSON): the files table's columns
    summary: tuple[object, ...] = ()
    actions: tuple[tuple[int | None, str, str], ...] = ()  # stamp, state, text
    lines: tuple[tuple[int | None, str, str], ...] = ()  # stamp, kind, text
    spaceless: tuple[tuple[int, str], ...] = ()  # line number, the line spaced for the spaceless table


def session_rows(path: Path) -> SessionRows:
    try:
        document = read_session(path)
    except FileProblems as error:
        return SessionRows(path, problem=str(error.problems[0]))
    info = document.info
    actions = document.actions
    lines = tuple(_lines(document))
    return SessionRows(
        path,
        started=info.started.isoformat() if info.started else None,
        summary=(
            int(info.elapsed_seconds),
            info.planned_minutes,
            len(document.notes),
            len(document.asked),
            sum(a.state is ActionState.OPEN for a in actions),
            ",".join(info.goals),
            info.agreement,
            int(info.is_finished),
            json.dumps(info.ratings),
        ),
        actions=tuple((a.stamp, a.state.value, a.text) for a in actions),
        lines=lines,
        spaceless=tuple((n, spaced(text)) for n, (_, _, text) in enumerate(lines) if has_spaceless(text)),
    )


def many_session_rows(paths: list[Path]) -> list[SessionRows]:
    """Several files' rows at once: one trip to a worker process for a batch of files, not one per file."""
    return [session_rows(path) for path in paths]


def _lines(document: SessionDocument) -> Iterator[tuple[int | None, str, str]]:
    for _, item in document.entries():
        entry = item.entry
        if isinstance(entry, Note):
            yield entry.stamp, entry.kind.value, entry.text
        elif isinstance(entry, AskedQuestion):
            yield entry.stamp, "asked", entry.text
        elif isinstance(entry, Action):
            yield entry.stamp, "action", entry.text
    if document.info.agreement:
        yield None, "agreement", document.info.agreement
