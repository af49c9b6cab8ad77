"""The client list's first screen, read in a child process while the app's own process imports Textual.

Reading it costs a look at every client's folders (the roster's 1.4 MB and a stat or three a client: 0.15 s
at 2,000 clients), which the list's first rows had to wait for after the first frame, taking turns with it
for the GIL. Importing Textual takes longer than that and uses one core; a child forked before it reads on
the other, so the rows come with the first frame, whatever the size of the practice. The child only reads
(its roster keeps nothing: the list's own look after its first screen writes it), hands its result over a
pipe and ends; the app takes it on its first look at the list, or reads everything itself if the child
failed, was too slow, or could not be started (no fork here).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import threading
import time
from datetime import date
from typing import NamedTuple

# Imported here, not in the child: a lock another thread held at the fork (the import lock among them) would
# stay held there forever.
from .clients import ClientEntry, list_clients
from .conflicts import Conflict, find_conflicts
from .paths import Home
from .roster import Roster

FIRST_SCREEN = 60  # clients read before the list first shows: more than a tall terminal holds


class FirstScreen(NamedTuple):
    entries: list[ClientEntry]
    conflicts: list[Conflict]


def read_first_screen(home: Home, today: date, roster: Roster) -> FirstScreen:
    """The clients a first screen holds, most recent first, and every sync conflict (its banner, above them).
    Through `roster`, which the list's look at everyone after it can share (one look at each folder)."""
    return FirstScreen(list_clients(home, first=FIRST_SCREEN, today=today, roster=roster), find_conflicts(home, roster))


class Prefetch:
    """A child reading the first screen."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.data = bytearray()

    def read(self, timeout: float) -> bool:
        """Read what the child has written, waiting at most `timeout` seconds for the rest: whether it is all in."""
        deadline = time.monotonic() + timeout
        while self.fd >= 0:
            if not select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
                return False
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return True
            self.data += chunk
        return False

    def result(self) -> FirstScreen | None:
        """What the child read (None if it failed); the child is gone after."""
        try:
            # From this process's own child, which pickled what read_first_screen returned.
            found = pickle.loads(self.data)  # noqa: S301
            return found if isinstance(found, FirstScreen) else None
        except Exception:
            return None
        finally:
            self.discard()

    def discard(self) -> None:
        if self.fd < 0:
            return
        os.close(self.fd)
        self.fd = -1
        try:
            os.kill(self.pid, signal.SIGKILL)  # done already, as a rule; killed if it was not
            os.waitpid(self.pid, 0)
        except OSError:
            pass


_started: Prefetch | None = None  # this process's child, until the list takes what it read
_taking = threading.Lock()  # the list's first frame asks without waiting, its worker waits: one at a time


def take_prefetched(timeout: float) -> FirstScreen | None:
    """The first screen this process's child read, waiting at most `timeout` seconds for it. With a timeout of 0,
    None while the child is still at it, to be asked again; else once only (None after, and where none was
    started or it failed)."""
    global _started
    if not _taking.acquire(blocking=timeout > 0):
        return None  # the other thread is taking it
    try:
        started = _started
        if started is None:
            return None
        try:
            complete = started.read(timeout)
        except OSError:
            complete = False
        if not complete and timeout == 0 and started.fd >= 0:
            return None
        _started = None
        if not complete:
            started.discard()
            return None
        return started.result()
    finally:
        _taking.release()


def prefetch(home: Home, today: date) -> Prefetch | None:
    """Start a child reading the first screen, for take_prefetched; None where this system cannot fork. Called
    before any thread exists (the CLI's start)."""
    global _started
    if not hasattr(os, "fork") or _started is not None:
        return None
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: read, hand over, end without running anything of the parent's (atexit, buffers)
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps(read_first_screen(home, today, Roster(home, keeps=False)), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
            status = 0
        except BaseException:
            pass
        finally:
            os._exit(status)
    os.close(write_end)
    _started = Prefetch(pid, read_end)
    return _started
