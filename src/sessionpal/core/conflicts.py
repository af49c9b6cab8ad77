"""Copies a sync tool (Syncthing, Dropbox, iCloud, OneDrive, Nextcloud) leaves when two devices
changed the same file, paired with the file they are a copy of, and their resolution.

A copy is never read as a session or a client and never removed without the coach's say; when
the coach chooses, the version given up is kept in the version history all the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from . import fsio
from .paths import Home, is_valid_slug
from .problems import FileProblems, read_user_bytes
from .safe_text import visible
from .saving import SaveFailed, saving
from .sync_copies import CONFLICT_COPY, original_name
from .versions import keep

if TYPE_CHECKING:
    from .roster import Roster


class Conflict(Struct, frozen=True):
    original: Path  # may be gone (the sync tool kept only the copy)
    copy: Path

    def describe(self, home: Home) -> str:
        return visible(f"{_relative(home, self.original)}  ↔  {self.copy.name}")  # a sync tool's file name, as shown


def _relative(home: Home, path: Path) -> str:
    try:
        return str(path.relative_to(home.root))
    except ValueError:
        return str(path)


def conflict_copies(home: Home, client: str | None = None, roster: Roster | None = None) -> list[Path]:
    """Conflict copies beside the sessions or clients (one client's, or everyone's); copies of whole client
    folders too for everyone's. A client's own folders are looked at through the roster: listed only when
    their mtime moved, so everyone's review does not list every sessions folder of the practice."""
    from .roster import Roster

    found: list[Path] = []
    try:
        folders = sorted(os.scandir(home.clients_dir), key=lambda e: e.name)
    except OSError:
        return found
    roster = roster or Roster(home)
    for folder in folders:
        if CONFLICT_COPY.search(folder.name):
            if client is None:
                found.append(Path(folder.path))
            continue
        if not folder.is_dir() or (client is not None and folder.name != client):
            continue
        if is_valid_slug(folder.name):
            found += [Path(folder.path) / copy for copy in roster.folders(folder.name).copies]
        else:  # not a client's (a stray folder): looked at as it is, never remembered
            found += _copies_in(Path(folder.path)) + _copies_in(Path(folder.path) / "sessions")
    roster.save()
    return found


def _copies_in(folder: Path) -> list[Path]:
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if CONFLICT_COPY.search(e.name) and e.is_file())
    except OSError:
        return []


def find_conflicts(home: Home, roster: Roster | None = None) -> list[Conflict]:
    """Every conflict copy of a file in the home (clients, sessions, packs, models, config), paired."""
    copies = [p for p in conflict_copies(home, roster=roster) if p.is_file()]
    for folder in (home.root, home.prompts_dir, home.models_dir):
        copies += _copies_in(folder)
    pairs = []
    for copy in copies:
        name = original_name(copy.name)
        if name is not None:
            pairs.append(Conflict(copy.with_name(name), copy))
    return pairs


def read_version(path: Path) -> str:
    """A side of a conflict as text, for showing; a missing or unreadable one says so."""
    try:
        return visible(read_user_bytes(path).decode("utf-8", errors="replace"), keep="\n\t")
    except FileProblems as error:
        if not os.path.lexists(path):
            return ""
        return f"(cannot be read: {error.problems[0].message})"


@contextmanager
def _resolving(conflict: Conflict) -> Iterator[None]:
    """A resolution that cannot be made fails as every change of the core does: one SaveFailed saying why."""
    name = visible(conflict.original.name)
    try:
        with saving(name):
            yield
    except OSError as error:
        raise SaveFailed(f"could not resolve {name}: {error.strerror or error}") from None


def keep_original(home: Home, conflict: Conflict) -> None:
    """The original stays; the copy goes (into the version history of the original)."""
    with _resolving(conflict), fsio.exclusive(conflict.original):
        keep(home, conflict.original, fsio.read_present(conflict.copy, "the copy"))
        fsio.remove_file(conflict.copy)


def keep_copy(home: Home, conflict: Conflict) -> None:
    """The copy's bytes become the file; the original's are kept in its version history."""
    with _resolving(conflict):
        data = fsio.read_present(conflict.copy, "the copy")
    with _resolving(conflict), fsio.exclusive(conflict.original):
        if (current := fsio.read_current(conflict.original)) is not None:
            keep(home, conflict.original, current)
        fsio.atomic_write(conflict.original, data)
        fsio.remove_file(conflict.copy)
