"""A session file changed by another program (an editor, a sync tool) while a session has it open.

Nothing is overwritten silently and nothing the coach saw is dropped silently:
- their version still holds every line of ours: it becomes the session's file, as it is;
- their version lost lines of ours, or cannot be read: ours is written beside it as a
  conflict copy (named the way Dropbox names one, so the review's Problems tab and any
  sync tool recognise it), and the coach is told.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from msgspec import Struct

from . import fsio
from .model import Entry
from .problems import FileProblems
from .sessionfile import SessionDocument
from .sessions import file_fingerprint, read_session


class OutsideChange(Struct, frozen=True):
    path: Path
    adopted: bool  # their version is now the session's file
    lost: int = 0  # lines of ours their version does not have
    problem: str = ""  # why their version cannot be read
    copy: Path | None = None  # our version, kept beside theirs

    def message(self) -> str:
        name = self.path.name
        if self.problem:
            what = f"{name} was changed by another program and cannot be read now: {self.problem}."
        elif self.lost:
            what = f"{name} was changed by another program, which dropped {self.lost} line{'s' if self.lost != 1 else ''} of this session."
        else:
            return f"{name} was changed by another program; its changes are kept and shown, and new notes go on after them."
        kept = f" This session as you had it is kept beside it: {self.copy.name}." if self.copy else ""
        after = " New notes wait in memory until the file is fixed." if self.problem else " New notes go into the changed file."
        return what + kept + after


def missing_lines(ours: SessionDocument, theirs: SessionDocument) -> int:
    """Lines of ours their version dropped. A line is known by its section and time stamp, so a
    note the coach reworded in an editor is an edit, not a loss; a hand-written line without a
    stamp is known by its words."""

    def keys(document: SessionDocument) -> Counter[tuple[str, int | Entry]]:
        return Counter((line.section, line.entry.stamp if line.entry.stamp is not None else line.entry) for _, line in document.entries())

    return sum((keys(ours) - keys(theirs)).values())


def write_copy(ours: SessionDocument, now: datetime) -> Path:
    """Write our version beside the session file, under a name no session or sync tool reuses."""
    base = f"{ours.path.stem} (conflicted copy sessionpal {now:%Y-%m-%d %H%M%S})"
    text = ours.render()
    for n in range(1, 100):
        copy = ours.path.with_name(f"{base}{'' if n == 1 else f' {n}'}{ours.path.suffix}")
        if fsio.create_new(copy, text):
            return copy
    raise fsio.WriteError(ours.path.parent, "too many conflict copies of this session")


class OutsideWatch:
    """Notices a session file changed by someone else and reconciles it, once per change."""

    def __init__(self) -> None:
        self._seen: tuple[int, int, int] | None | str = "nothing yet"  # their last version already dealt with (None: gone)
        self._copied: str | None = None  # the text of ours last kept as a copy

    def check(self, ours: SessionDocument, now: datetime) -> tuple[SessionDocument, OutsideChange | None]:
        """(the document to go on with, what happened); ours as it was when nothing changed."""
        seen = file_fingerprint(ours.path)
        if seen == ours.fingerprint or seen == self._seen:
            return ours, None
        if ours.fingerprint is None:
            # Not known how ours looked on disk (it changed while it was read): the next save re-reads it.
            self._seen = seen
            return ours, None
        self._seen = seen
        try:
            theirs = read_session(ours.path) if seen is not None else None
        except FileProblems as error:
            return ours, OutsideChange(ours.path, adopted=False, problem=str(error.problems[0]), copy=self._keep(ours, now))
        if theirs is None:
            return ours, OutsideChange(ours.path, adopted=False, problem="the file is gone", copy=self._keep(ours, now))
        lost = missing_lines(ours, theirs)
        copy = self._keep(ours, now) if lost else None
        return theirs, OutsideChange(ours.path, adopted=True, lost=lost, copy=copy)

    def _keep(self, ours: SessionDocument, now: datetime) -> Path | None:
        text = ours.render()
        if text == self._copied:
            return None  # this very version is already kept
        try:
            copy = write_copy(ours, now)
        except fsio.WriteError:
            return None  # the disk refuses; the notes stay in memory and the coach is told why
        self._copied = text
        return copy
