"""Session files on disk: create, read, and change them one durable step at a time.

Every change reads the file fresh, applies itself to the parsed document and
writes the whole file back atomically. A hand edit made in another editor
meanwhile is therefore kept, and a file that no longer parses is reported and
left alone: the change is refused rather than written over the person's work.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from msgspec import Struct
from msgspec.structs import replace

from . import fsio
from .model import Action, ActionState
from .paths import Home, session_file_name, session_paths
from .problems import FileProblems, Problem, read_user_text
from .sessionfile import ACTIONS, SessionDocument, new_session_text, read_front_matter
from .versions import before_rewrite, home_of

T = TypeVar("T")
FRONT_HEAD = 64 * 1024  # bytes read for a front matter alone: sessionpal writes a few hundred


def file_stamp(started: datetime) -> str:
    return started.strftime("%Y-%m-%dT%H%M")


def fingerprint(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def read_session(path: Path) -> SessionDocument:
    before = _stat(path)
    document = SessionDocument.parse(path, read_user_text(path, links=False))
    # Only trust the fingerprint if nothing changed the file while it was read.
    document.fingerprint = fingerprint(before) if before is not None and _stat(path) == before else None
    return document


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def file_fingerprint(path: Path) -> tuple[int, int, int] | None:
    """The file's (mtime, size, inode) now; None when it cannot be looked at."""
    found = _stat(path)
    return fingerprint(found) if found is not None else None


def clean_leftovers(home: Home, slug: str | None = None) -> int:
    """Remove the temp files a killed process left: the home's own folders, or one client's."""
    folders = [home.root, home.prompts_dir, home.models_dir] if slug is None else [home.client_dir(slug), home.sessions_dir(slug)]
    return sum(fsio.clean_temp_files(folder) for folder in folders)


def create_session(home: Home, slug: str, front: dict[str, Any]) -> SessionDocument:
    """Write a new session file named for its start minute; `-2`, `-3` when that name is taken."""
    started: datetime = front["started"]
    folder = home.sessions_dir(slug)
    fsio.clean_temp_files(folder)
    text = new_session_text(front)
    for n in range(1, 1000):
        path = folder / session_file_name(file_stamp(started), n)
        if fsio.create_new(path, text):
            document = SessionDocument.parse(path, text)
            document.fingerprint = file_fingerprint(path)
            return document
    raise fsio.WriteError(folder, "too many sessions started in the same minute")


def update_session(path: Path, change: Callable[[SessionDocument], T], known: SessionDocument | None = None) -> tuple[SessionDocument, T]:
    """Change a session file and write it back atomically; returns the new document and change's result.

    `known` is the document as this process last wrote it: used as it is when the file is
    unchanged since (same mtime, size and inode), which keeps a save fast however long the
    session grows; re-read when anything else touched the file, so hand edits survive.
    The change is applied to a copy, so a failed write leaves `known` as it was.
    """
    with fsio.exclusive(path):
        if known is not None and known.fingerprint is not None and file_fingerprint(path) == known.fingerprint:
            document = known.copy()
        else:
            document = read_session(path)
        finished = document.info.is_finished
        result = change(document)
        text = document.render()
        if finished:  # a finished session is a record: its previous version is kept
            before_rewrite(home_of(path, 3), path, len(text.encode("utf-8")))
        fsio.atomic_write(path, text)
        document.fingerprint = file_fingerprint(path)
    return document, result


def set_action_state(path: Path, action: Action, state: ActionState) -> SessionDocument:
    """Tick an action done (or drop it, or open it again) in its session file; only that line changes."""

    def change(document: SessionDocument) -> None:
        index = document.find_entry(ACTIONS, action)
        if index is None:
            raise LookupError("that action was changed in its file since it was listed; nothing was changed")
        document.replace_entry(index, action, replace(action, state=state))

    return update_session(path, change)[0]


class SessionListing(Struct):
    path: Path
    document: SessionDocument | None
    problems: list[Problem]


def read_listing(path: Path) -> SessionListing:
    try:
        return SessionListing(path, read_session(path), [])
    except FileProblems as error:
        return SessionListing(path, None, error.problems)


def find_unfinished(home: Home, slug: str, look_back: int = 3) -> SessionDocument | None:
    """A session left running or paused (the app was closed or killed mid-session).

    A file whose front matter says `timer = "ended"` is finished whatever its body holds, so only its front
    matter is read: opening a client reads whole only a session it may resume (every call of theirs has
    ended but the last, usually)."""
    for path in reversed(session_paths(home, slug)[-look_back:]):
        if read_front_matter(path, head=FRONT_HEAD).get("timer") == "ended":
            continue
        listing = read_listing(path)
        if listing.document is not None and not listing.document.info.is_finished:
            return listing.document
    return None


def previous_session(home: Home, slug: str, exclude: Path | None = None, paths: list[Path] | None = None) -> SessionListing | None:
    """The newest session other than `exclude`, for the "last time" card (from `paths`, the client's session
    files as session_paths lists them, when the caller has them already)."""
    for path in reversed(session_paths(home, slug) if paths is None else paths):
        if path != exclude:
            return read_listing(path)
    return None
