"""The session lock: one writer per client, a live holder named, a crashed one taken over."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

import psutil
import pytest

from sessionpal.core.clients import create_client, load_client
from sessionpal.core.live import LiveSession
from sessionpal.core.lock import LOCK_FILE, Holder, Locked, acquire, process_start, read_holder
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.saving import SaveFailed
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import FakeClock, TimerState

from ..helpers import REPO, START, env_without_home, present


@pytest.fixture
def slug(home: Home) -> str:
    return create_client(home, "Ana Pérez", 45, date(2026, 11, 1)).slug


def plant(home: Home, slug: str, holder: Holder) -> None:
    (home.client_dir(slug) / LOCK_FILE).write_text(holder.render())


def test_taken_released_and_taken_again(home: Home, slug: str) -> None:
    lock = acquire(home, slug, START)
    assert read_holder(lock.path) == Holder(socket.gethostname(), os.getpid(), START, process_start(os.getpid()))
    assert oct(lock.path.stat().st_mode & 0o777) == "0o600"
    lock.release()
    assert not lock.path.exists()
    assert acquire(home, slug, START).holder.pid == os.getpid()


@pytest.mark.skipif(sys.platform != "linux", reason="read from /proc without psutil on Linux only")
def test_this_process_s_start_is_psutil_s_without_its_import() -> None:
    """The lock's own start is read from /proc (the import is 10 ms of a first paint); holder_alive compares it
    with psutil's create_time(), so the two must agree."""
    own = process_start(os.getpid())
    assert own is not None and abs(own - psutil.Process().create_time()) < 1e-6 and own <= time.time()


def test_a_live_holder_elsewhere_is_named(home: Home, slug: str) -> None:
    plant(home, slug, Holder("laptop", 4242, START - timedelta(minutes=30)))
    with pytest.raises(Locked) as caught:
        acquire(home, slug, START)
    assert "on laptop, process 4242, since Mon 23 Nov 09:30" in str(caught.value)


def test_a_live_process_on_this_computer_holds_it(home: Home, slug: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        plant(home, slug, Holder(socket.gethostname(), holder.pid, START, process_start(holder.pid)))
        with pytest.raises(Locked) as caught:
            acquire(home, slug, START)
        assert "this computer" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()


def test_stale_locks_are_taken_over(home: Home, slug: str) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    plant(home, slug, Holder(socket.gethostname(), dead.pid, START))
    assert acquire(home, slug, START).holder.pid == os.getpid(), "its process is gone"
    plant(home, slug, Holder("laptop", 4242, START - timedelta(hours=13)))
    assert acquire(home, slug, START).holder.host == socket.gethostname(), "another machine's, older than any session"
    (home.client_dir(slug) / LOCK_FILE).write_text("not a lock at all")
    assert acquire(home, slug, START).holder.pid == os.getpid(), "garbage is not a holder"


def test_release_never_removes_another_process_lock(home: Home, slug: str) -> None:
    lock = acquire(home, slug, START)
    plant(home, slug, Holder("laptop", 4242, START))  # taken over meanwhile (say, after 12 hours)
    lock.release()
    assert present(read_holder(lock.path)).host == "laptop"


def test_kill_9_of_the_holder_leaves_a_lock_the_next_start_takes_over(home: Home, slug: str) -> None:
    code = textwrap.dedent(f"""
        import sys, time
        from datetime import datetime, timezone
        from pathlib import Path
        from sessionpal.core.lock import acquire
        from sessionpal.core.paths import Home
        acquire(Home(Path({str(home.root)!r})), {slug!r}, datetime.now(timezone.utc))
        print("held", flush=True)
        time.sleep(60)
    """)
    env = env_without_home() | {"PYTHONPATH": str(REPO / "src")}
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(Locked):
        acquire(home, slug, START)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert present(read_holder(home.client_dir(slug) / LOCK_FILE)).pid == holder.pid, "kill -9 left it behind"
    assert acquire(home, slug, START).holder.pid == os.getpid()


def test_a_read_only_session_writes_nothing(home: Home, slug: str, clock: FakeClock) -> None:
    client = load_client(home.client_file(slug), slug)
    live = LiveSession(home, client, clock, FALLBACK_MODEL, 45, read_only="another sessionpal has this client open")
    before = sorted(p.name for p in home.client_dir(slug).rglob("*"))
    for attempt in (lambda: live.add_note("hello"), live.start, lambda: live.goals.add_goal("A goal")):
        with pytest.raises(SaveFailed, match="read-only here: another sessionpal"):
            attempt()
    assert live.pending == [] and session_paths(home, slug) == []
    assert sorted(p.name for p in home.client_dir(slug).rglob("*")) == before


def test_a_read_only_session_follows_the_holder_s_session_once_it_is_written(home: Home, slug: str, clock: FakeClock) -> None:
    """Opened before the holder's first note: no session to follow yet; the holder's, once its file exists."""
    client = load_client(home.client_file(slug), slug)
    follower = LiveSession(home, client, clock, FALLBACK_MODEL, 45, read_only="another sessionpal has this client open")
    assert follower.check_outside() is None and follower.document is None
    holder = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
    holder.start()
    clock.advance(90)
    holder.add_note("She wants to lead the spring project")
    holder.flush()
    revision = follower.revision
    follower.check_outside()
    assert follower.path == holder.path and follower.revision > revision
    assert [e.entry.text for e in follower.log()] == ["She wants to lead the spring project"]
    assert follower.timer.state is TimerState.PAUSED, "the holder's session is under way (shown still here)"
    with pytest.raises(SaveFailed, match="read-only here"):
        follower.add_note("never written from here")


def test_a_zombie_holder_holds_nothing(home: Home, slug: str) -> None:
    """Killed and never reaped (a container's pid 1, a crashed terminal): os.kill(pid, 0) still succeeds."""
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        started = process_start(zombie.pid)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # it exits; not waited for, it stays a zombie
            if psutil.Process(zombie.pid).status() == psutil.STATUS_ZOMBIE:
                break
            time.sleep(0.05)
        os.kill(zombie.pid, 0)  # what the old check asked: "alive"
        plant(home, slug, Holder(socket.gethostname(), zombie.pid, START, started))
        assert acquire(home, slug, START).holder.pid == os.getpid()
    finally:
        zombie.wait()


def test_a_pid_reused_by_another_process_holds_nothing(home: Home, slug: str) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        real = process_start(sleeper.pid)
        assert real is not None
        plant(home, slug, Holder(socket.gethostname(), sleeper.pid, START, real - 3600))  # the holder started an hour before
        assert acquire(home, slug, START).holder.pid == os.getpid(), "same pid, another process"
        # An older lock with no start time, naming pid 1 and dated months ago: pid 1 started after it.
        plant(home, slug, Holder(socket.gethostname(), sleeper.pid, START - timedelta(days=120)))
        assert acquire(home, slug, START).holder.pid == os.getpid()
    finally:
        sleeper.kill()
        sleeper.wait()


T = TypeVar("T")


def finishes(call: Callable[[], T], seconds: float = 60.0) -> T:
    """The call's result, failing the test (not hanging it) when the call waits forever."""
    import threading

    out: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            out.append(call())
        except BaseException as error:  # noqa: BLE001 - handed to the test
            failed.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{call} was still waiting after {seconds} s"
    if failed:
        raise failed[0]
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_lock_that_is_a_pipe_or_a_device_is_replaced_never_read(home: Home, slug: str) -> None:
    path = home.client_dir(slug) / LOCK_FILE
    os.mkfifo(path)
    assert finishes(lambda: read_holder(path)) is None
    lock = finishes(lambda: acquire(home, slug, START))
    assert read_holder(path) == lock.holder and path.is_file(), "the pipe became an ordinary lock"
    lock.release()
    os.symlink("/dev/zero", path)  # read to the end, it never ends (MemoryError)
    assert finishes(lambda: read_holder(path)) is None


def test_a_lock_of_garbage_or_nested_too_deep_is_not_ours_and_is_taken_over(home: Home, slug: str) -> None:
    """A synced or hand-made lock file is read by the quicker TOML parser; `[[[[…` four thousand deep made it
    recurse past Python's limit (a RecursionError, not a ValueError), which reached the coach as a traceback."""
    path = home.client_dir(slug) / LOCK_FILE
    for text in ("x = " + "[" * 4000, "host = 'a'\npid = 'seven'", "not toml at all ]]", "host = 'a'\npid = inf\nstarted = 2026-01-01T10:00:00Z"):
        path.write_text(text, encoding="utf-8")
        assert read_holder(path) is None, text[:20]
        lock = acquire(home, slug, START)
        assert read_holder(path) == lock.holder
        lock.release()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_audit_log_that_is_a_pipe_stops_nothing(home: Home, slug: str) -> None:
    from sessionpal.core.records import erase_client

    os.mkfifo(home.root / "audit.log")
    erased = finishes(lambda: erase_client(home, slug, START))
    assert not home.client_dir(slug).exists(), "the client is erased"
    assert "not a regular file" in erased.audit_problem, erased


def test_a_foreign_lock_dated_in_the_future_is_taken_over_with_a_notice(home: Home, slug: str) -> None:
    plant(home, slug, Holder("other-laptop", 4242, START.replace(year=2099)))
    lock = acquire(home, slug, START)
    assert lock.holder.pid == os.getpid()
    assert "other-laptop" in lock.taken_over and "2099-11-23" in lock.taken_over and "clock is wrong" in lock.taken_over
    lock.release()
    for impossible in ("0001-01-01T00:00:00", "9999-12-31T23:59:59-23:59"):  # naive year 1; past datetime's reach in UTC
        (home.client_dir(slug) / LOCK_FILE).write_text(f'host = "other-laptop"\npid = 4242\nstarted = {impossible}\n')
        assert acquire(home, slug, START).taken_over, impossible
    plant(home, slug, Holder("other-laptop", 4242, START + timedelta(minutes=20)))  # clocks a little apart: still held
    with pytest.raises(Locked):
        acquire(home, slug, START)
