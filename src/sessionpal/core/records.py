"""Data rights and privacy: erasing a client, the clients kept past the retention period, and
what in the home others on this computer could read."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from msgspec import Struct

from . import fsio
from .clients import ClientEntry, list_clients
from .lock import LOCK_FILES, acquire
from .paths import Home
from .problems import FileProblems, read_user_bytes
from .versions import folder_for

AUDIT_LOG = "audit.log"


class Erased(Struct, frozen=True):
    slug: str
    files: int
    in_git: bool  # the home is a git repository: its history still holds the files
    links: tuple[tuple[Path, str], ...] = ()  # links removed (never followed): their targets were not erased
    audit_problem: str = ""  # why audit.log could not record the erasure ("" when it did)


def erase_client(home: Home, slug: str, now: datetime) -> Erased:
    """Remove every file of a client, their versions and the search index; log the date and slug only.

    Refused (Locked) while another sessionpal has the client open. A link in their folders is
    removed, never followed: what it pointed at is named in the result, not erased.
    """
    folder = home.client_dir(slug)
    # A client folder that is itself a link cannot hold a lock (nothing is created through a link).
    lock = None if os.path.islink(folder) else acquire(home, slug, now)
    # Logged before anything goes: an erase cut short (killed, a full disk) still leaves its line, and the
    # "erased" line below says it finished.
    audit_problem = ""
    try:
        fsio.append_line(home.root / AUDIT_LOG, f"{now.date().isoformat()} erasing {slug}")
    except fsio.WriteError as error:
        audit_problem = str(error)
    files = 0
    links: list[tuple[Path, str]] = []
    try:
        versions = folder_for(home, folder)
        if os.path.lexists(versions):
            removed = fsio.remove_tree(versions, LOCK_FILES)
            files, links = files + removed.files, links + removed.links
        # The index holds their words too; it is rebuilt from the files when next needed. Every index of
        # this home goes, under whatever path it was reached (see index.HOME_NOTE).
        for cache in home_caches(home):
            fsio.remove_tree(cache)
        if lock is not None:
            lock.release()  # before the folder goes: the lock file is bookkeeping, not a record
            lock = None
        removed = fsio.remove_tree(folder, LOCK_FILES)
        files, links = files + removed.files, links + removed.links
    finally:
        if lock is not None:
            lock.release()
    try:
        fsio.append_line(home.root / AUDIT_LOG, f"{now.date().isoformat()} erased {slug}")
    except fsio.WriteError as error:
        audit_problem = str(error)
    return Erased(slug, files, (home.root / ".git").exists(), tuple(links), audit_problem)


def home_caches(home: Home) -> list[Path]:
    """The cache folders of every index of this home: its own, and any other whose note names the same home."""
    from .index import HOME_NOTE
    from .paths import cache_root

    real = os.path.realpath(home.root)
    found = [home.cache_dir] if home.cache_dir.exists() else []
    try:
        folders = [Path(e.path) for e in os.scandir(cache_root()) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return found
    for folder in folders:
        try:
            noted = read_user_bytes(folder / HOME_NOTE, 64 * 1024).decode("utf-8", errors="replace").strip()
        except FileProblems:
            continue
        if noted == real and folder not in found:
            found.append(folder)
    return found


class PastRetention(Struct, frozen=True):
    entry: ClientEntry
    last: date | None  # the last session's day (or the day the client was added)


def last_day(entry: ClientEntry) -> date | None:
    if entry.last_session:
        try:
            return date.fromisoformat(entry.last_session[:10])
        except ValueError:
            pass
    return entry.client.created if entry.client is not None else None


def past_retention(home: Home, years: int, today: date, entries: list[ClientEntry] | None = None) -> list[PastRetention]:
    """Clients whose last session is more than `years` ago, oldest first."""
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    found = [PastRetention(e, last_day(e)) for e in (entries if entries is not None else list_clients(home))]
    # Only dated entries are kept, so `or date.min` never applies: it tells mypy the key is a date.
    return sorted((p for p in found if p.last is not None and p.last < cutoff), key=lambda p: p.last or date.min)


def exposed_paths(home: Home, limit: int = 1000) -> list[Path]:
    """Folders and files in the home that others on this computer could open (group or other bits).

    A folder others cannot enter (no group or other x bit) hides all it holds, so the walk does
    not go into it: with the home at 0700, as the app makes it, this is one stat. Files the app
    writes are 0600 anyway; others come from elsewhere (a copy, an unzip, a sync tool, git).
    """
    found: list[Path] = []
    folders = [home.root]
    while folders and len(found) < limit:
        folder = folders.pop()
        try:
            mode = folder.lstat().st_mode
        except OSError:
            continue
        if mode & 0o077:
            found.append(folder)
        if not mode & 0o011:
            continue  # nobody else can get past this folder
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mode & 0o077:
                    found.append(Path(entry.path))
            except OSError:
                continue
    return found[:limit]


def exposure_warning(home: Home, found: list[Path]) -> str:
    more = f" and {len(found) - 1:,} more" if len(found) > 1 else ""
    return f'Others on this computer may read your notes: {found[0]}{more} can be read or entered by other users. To fix it: chmod -R go-rwx "{home.root}"'
