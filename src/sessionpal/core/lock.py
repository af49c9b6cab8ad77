"""One writer per client: a session lock file naming who holds it.

The lock is `clients/<slug>/session.lock`, a small TOML file with the host, the process id, when
that process started and the time the lock was taken. A second sessionpal on the same client opens it
read-only and says who holds it. A lock was left by a crash, and is taken over, when on this host its
process is gone, is a zombie (killed, never reaped), or is another process that got the same pid
later (its start time differs); from another machine, when it is older than STALE_AFTER (no session
lasts that long), or dated more than CLOCK_SKEW ahead of now (a synced device with a wrong clock: such a
lock would otherwise never go stale), which the one taking it over is told. A lock that is not a small
regular file (a pipe, a device, a link to one) is not ours and is replaced, never read from.
Processes are looked at through psutil, the same on every system (this one's own start on Linux as psutil
reads it, without its import).
"""

from __future__ import annotations

import os
import socket
import sys
from datetime import datetime, timedelta
from pathlib import Path

from msgspec import Struct

from . import fsio
from .paths import Home
from .problems import FileProblems, read_user_bytes, toml_data

LOCK_FILE = "session.lock"
LOCK_FILES = (LOCK_FILE, fsio.WRITE_LOCK)  # bookkeeping, not records: never exported or counted
STALE_AFTER = timedelta(hours=12)
CLOCK_SKEW = timedelta(hours=1)  # a lock dated further ahead than this was written by a clock that is wrong
LOCK_BYTES = 4096  # a lock is four short lines; a larger one is not ours


class Holder(Struct, frozen=True):
    host: str
    pid: int
    started: datetime
    process_started: float | None = None  # the holder process's start (seconds since the epoch); None in older locks

    def describe(self) -> str:
        where = "this computer" if self.host == socket.gethostname() else self.host
        return f"another sessionpal has this client open (on {where}, process {self.pid}, since {self.started:%a %d %b %H:%M})"

    def render(self) -> str:
        text = f'host = "{_escape(self.host)}"\npid = {self.pid}\nstarted = {self.started.isoformat(timespec="seconds")}\n'
        if self.process_started is not None:
            text += f"process_started = {self.process_started!r}\n"
        return text


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


class Locked(Exception):
    def __init__(self, holder: Holder):
        self.holder = holder
        super().__init__(holder.describe())


def read_holder(path: Path) -> Holder | None:
    """Who holds the lock; None when there is no lock or it is not one of ours (taken over)."""
    try:
        data = toml_data(read_user_bytes(path, LOCK_BYTES).decode("utf-8"))
        started = data["started"]
        if not isinstance(started, datetime):
            return None
        process_started = data.get("process_started")
        return Holder(str(data["host"]), int(data["pid"]), started, float(process_started) if isinstance(process_started, (int, float)) else None)
    except FileProblems:
        return None  # none, or a pipe, a device, a folder: not a lock of ours, replaced by the next taker
    except (
        OSError,
        UnicodeDecodeError,
        KeyError,
        TypeError,
        ValueError,
        OverflowError,
        RecursionError,
    ):  # a TOML error is a ValueError; `[[[[…` recurses; pid = inf
        return None


SAME_START = 1.0  # seconds: two readings of one process's start time agree within this


def process_start(pid: int) -> float | None:
    """When the process started (seconds since the epoch); None if there is no such process."""
    if pid == os.getpid() and sys.platform == "linux":
        own = _own_start_on_linux()
        if own is not None:
            return own
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return None
    except psutil.Error:
        return None


def _own_start_on_linux() -> float | None:
    """This process's start as psutil's create_time() reckons it (the boot time in /proc/stat, plus the clock
    ticks from boot to the start in /proc/self/stat), read without importing psutil: the lock is taken before a
    session screen's first frame, and the import was 10 ms of it."""
    try:
        fields = Path("/proc/self/stat").read_bytes().rsplit(b")", 1)[1].split()  # the name may hold spaces and ")"
        ticks = int(fields[19])  # starttime, the 22nd field: the 3rd is the first after the name
        with open("/proc/stat", "rb") as stat:
            booted = next(float(line.split()[1]) for line in stat if line.startswith(b"btime"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return ticks / os.sysconf("SC_CLK_TCK") + booted


def holder_alive(holder: Holder) -> bool:
    """The process that took the lock is still running: not gone, not a zombie, not another one with its pid."""
    import psutil

    if holder.pid <= 0:
        return False
    try:
        process = psutil.Process(holder.pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False  # killed and never reaped (a container's pid 1, a crashed terminal): it holds nothing
        created = process.create_time()
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
    except psutil.AccessDenied:
        return True  # someone else's process we may not look at: alive
    if holder.process_started is not None:
        return bool(abs(created - holder.process_started) <= SAME_START)
    # An older lock without the start time: a process started after the lock was taken cannot be its holder.
    taken = holder.started if holder.started.tzinfo else holder.started.astimezone()
    return bool(created <= taken.timestamp() + SAME_START)


def impossible_time(holder: Holder, now: datetime) -> bool:
    """The lock says it was taken later than now can be (allowing for clocks a little apart), or at a moment
    no clock shows (year 1 or 9999 and an offset past what datetime holds)."""
    try:
        started = holder.started if holder.started.tzinfo else holder.started.astimezone()
        return started - now.astimezone() > CLOCK_SKEW
    except (OverflowError, ValueError):
        return True


def is_stale(holder: Holder, now: datetime) -> bool:
    if holder.host == socket.gethostname():
        return not holder_alive(holder)
    if impossible_time(holder, now):
        return True
    started = holder.started if holder.started.tzinfo else holder.started.astimezone()
    return now - started > STALE_AFTER  # both in range: impossible_time took it apart above


class SessionLock(Struct, eq=False):  # one lock is one hold: compared (and kept in _HELD) by identity
    path: Path
    holder: Holder
    taken_over: str = ""  # what the coach is told of a lock taken over that was not plainly left by a crash

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


def held_here(home: Home, slug: str) -> bool:
    """This very process holds the client (a session of theirs is open in this app)."""
    holder = read_holder(home.client_dir(slug) / LOCK_FILE)
    return holder is not None and (holder.host, holder.pid) == (socket.gethostname(), os.getpid())


def acquire(home: Home, slug: str, now: datetime) -> SessionLock:
    """Take the client's session lock, taking over a stale one; Locked names the live holder."""
    path = home.client_dir(slug) / LOCK_FILE
    me = Holder(socket.gethostname(), os.getpid(), now.replace(microsecond=0), process_start(os.getpid()))
    # The folder's write lock makes "is it stale? then take it" one step for every process here.
    notice = ""
    with fsio.exclusive(path):
        if not fsio.create_new(path, me.render()):
            holder = read_holder(path)
            ours = holder is not None and (holder.host, holder.pid) == (me.host, me.pid)  # this process again
            if holder is not None and not ours and not is_stale(holder, now):
                raise Locked(holder)
            if holder is not None and not ours and impossible_time(holder, now):
                notice = (
                    f"a lock from {holder.host} dated {holder.started:%Y-%m-%d %H:%M}, a time this computer's clock cannot be at, was taken over: "
                    "that device's clock is wrong; if sessionpal is open on this client there, close it"
                )
            fsio.atomic_write(path, me.render())
        lock = SessionLock(path, me, notice)
        _HELD.add(lock)
        return lock
