"""Version history: the previous bytes of client.toml, a pack or a finished session file are kept
under `<home>/.versions/<the file's path in the home>/` before the file is rewritten.

The last KEEP versions of each file are kept (0600, like everything else). A rewrite that would
leave less than half of a file asks first: the app confirms, then runs the change again inside
`shrinking_allowed()`.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from msgspec import Struct

from . import fsio
from .paths import Home
from .saving import ChangeFailed

VERSIONS_DIR = ".versions"
KEEP = 20
STAMP = "%Y%m%dT%H%M%S%fZ"  # a version's file name: when it was kept, UTC, sorting in time order
SHRINK_CHECK_FROM = 1024  # bytes: below this a file is too small for "half" to mean much

_shrink_allowed = contextvars.ContextVar("shrink_allowed", default=False)


class WouldShrink(ChangeFailed):
    """A rewrite would leave less than half of the file; nothing was written."""

    def __init__(self, path: Path, before: int, after: int):
        self.path, self.before, self.after = path, before, after
        super().__init__(f"this change would shrink {path.name} from {before:,} to {after:,} bytes")


@contextmanager
def shrinking_allowed() -> Iterator[None]:
    token = _shrink_allowed.set(True)
    try:
        yield
    finally:
        _shrink_allowed.reset(token)


class Version(Struct, frozen=True):
    number: int  # 1 is the newest
    path: Path
    saved: datetime
    size: int


def folder_for(home: Home, path: Path) -> Path:
    """Where the versions of `path` (a file or folder in the home) are kept. By the path as written, never
    resolved: a link in the home (which fsio will not write through) must not make this fail or point away."""
    relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(home.root))
    return home.root / VERSIONS_DIR / relative


LAYOUT = {1: ("prompts",), 3: ("sessions", None, "clients")}  # the folders above a pack, a session file


def home_of(path: Path, depth: int) -> Home | None:
    """The home of a file `depth` folders down in the known layout (a session file 3, a pack 1);
    None for a file elsewhere (a pack checked from another folder has no history)."""
    names = [p.name for p in path.parents[:depth]]
    if len(names) < depth or any(want is not None and name != want for name, want in zip(names, LAYOUT[depth], strict=False)):
        return None
    return Home(path.parents[depth])


def before_rewrite(home: Home | None, path: Path, new_size: int) -> None:
    """Check the shrink rule, then keep the file's current bytes as its newest version."""
    old = fsio.read_current(path)
    if old is None:
        return
    if len(old) >= SHRINK_CHECK_FROM and new_size * 2 < len(old) and not _shrink_allowed.get():
        raise WouldShrink(path, len(old), new_size)
    if home is not None:
        keep(home, path, old)


def keep(home: Home, path: Path, data: bytes) -> Path:
    folder = folder_for(home, path)
    stamp = datetime.now(UTC).strftime(STAMP)
    kept = folder / f"{stamp}{path.suffix}"
    fsio.clean_temp_files(folder)  # a version cut short by a kill, left beside the ones kept
    fsio.atomic_write(kept, data)
    for old in list_versions(home, path)[KEEP:]:
        fsio.remove_file(old.path)
    return kept


def list_versions(home: Home, path: Path) -> list[Version]:
    folder = folder_for(home, path)
    try:
        entries = sorted((p for p in folder.iterdir() if p.is_file() and not fsio.is_temp_file(p.name)), reverse=True)
    except OSError:
        return []
    found = []
    for number, entry in enumerate(entries, 1):
        try:
            saved = datetime.strptime(entry.stem, STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue
        found.append(Version(number, entry, saved, entry.stat().st_size))
    return found


def restore(home: Home, path: Path, version: Version) -> None:
    """Bring a version back; the current file (if any) is kept as a version first."""
    data = fsio.read_present(version.path, "the version")
    with fsio.exclusive(path):
        if (current := fsio.read_current(path)) is not None:
            keep(home, path, current)
        fsio.atomic_write(path, data)
