"""One writer per client: a session lock file naming who holds it.

The lock is `clients/<slug>/session.lock`, a small TOML file with the host, the process id and
the time it was taken. A second sessionpal on the same client opens it read-only and says who
holds it. A lock whose process is gone (same host), or one from another machine older than
STALE_AFTER (no session lasts that long), was left by a crash and is taken over.
"""

from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from . import fsio
from .paths import Home

LOCK_FILE = "session.lock"
LOCK_FILES = (LOCK_FILE, fsio.WRITE_LOCK)  # bookkeeping, not records: never exported or counted
STALE_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    started: datetime

    def describe(self) -> str:
        where = "this computer" if self.host == socket.gethostname() else self.host
        return f"another sessionpal has this client open (on {where}, process {self.pid}, since {self.started:%a %d %b %H:%M})"

    def render(self) -> str:
        return f'host = "{_escape(self.host)}"\npid = {self.pid}\nstarted = {self.started.isoformat(timespec="seconds")}\n'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


class Locked(Exception):
    def __init__(self, holder: Holder):
        self.holder = holder
        super().__init__(holder.describe())


def read_holder(path: Path) -> Holder | None:
    """Who holds the lock; None when there is no lock or it is not one of ours (taken over)."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
        started = data["started"]
        if not isinstance(started, datetime):
            return None
        return Holder(str(data["host"]), int(data["pid"]), started)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
        return None


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: alive
    return True


def is_stale(holder: Holder, now: datetime) -> bool:
    if holder.host == socket.gethostname():
        return not process_alive(holder.pid)
    started = holder.started if holder.started.tzinfo else holder.started.astimezone()
    return now - started > STALE_AFTER


@dataclass(eq=False)  # one lock is one hold: compared (and kept in _HELD) by identity
class SessionLock:
    path: Path
    holder: Holder

    def release(self) -> None:
        """Remove the lock if it is still ours (never another process's)."""
        _HELD.discard(self)
        if read_holder(self.path) == self.holder:
            fsio.remove_file(self.path)


_HELD: set[SessionLock] = set()  # the locks this process holds, for release_all on the way out


def release_all() -> None:
    """Give back every lock this process holds (it is about to end, perhaps before its screens can)."""
    for lock in list(_HELD):
        try:
            lock.release()
        except fsio.WriteError:
            pass  # a lock left behind names a process that is gone: the next start takes it over


def is_free(home: Home, slug: str, now: datetime) -> bool:
    """No live sessionpal holds the client (its lock is gone, or was left by a crash)."""
    holder = read_holder(home.client_dir(slug) / LOCK_FILE)
    return holder is None or is_stale(holder, now)


def acquire(home: Home, slug: str, now: datetime) -> SessionLock:
    """Take the client's session lock, taking over a stale one; Locked names the live holder."""
    path = home.client_dir(slug) / LOCK_FILE
    me = Holder(socket.gethostname(), os.getpid(), now.replace(microsecond=0))
    # The folder's write lock makes "is it stale? then take it" one step for every process here.
    with fsio.exclusive(path):
        if not fsio.create_new(path, me.render()):
            holder = read_holder(path)
            ours = holder is not None and (holder.host, holder.pid) == (me.host, me.pid)  # this process again
            if holder is not None and not ours and not is_stale(holder, now):
                raise Locked(holder)
            fsio.atomic_write(path, me.render())
        lock = SessionLock(path, me)
        _HELD.add(lock)
        return lock
