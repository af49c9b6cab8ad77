"""The real app in a pseudo-terminal: SIGTERM (shutdown) and SIGHUP (terminal closed) save and exit cleanly."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sessionpal.core.paths import Home
from sessionpal.core.sessions import read_session, session_paths

from ..helpers import env_without_home

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


def wait_for(condition, timeout: float = 60.0) -> bool:  # bounds a stall; the suite shares two cores
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_session_saves_and_exits(tmp_path, signum):
    home = Home(tmp_path / "home")
    master, slave = os.openpty()
    env = env_without_home() | {"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    app = subprocess.Popen(
        [sys.executable, "-m", "sessionpal", "--home", str(home.root), "--client", "Ana"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    screen = bytearray()

    def drain() -> None:  # someone must read the terminal, or the app blocks writing to it
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        assert wait_for(lambda: b"Ana" in screen), "the session screen never appeared"
        assert (home.client_dir("ana") / "session.lock").exists(), "the open session holds the client"
        os.write(master, b"the last thing she said\r")
        assert wait_for(lambda: bool(session_paths(home, "ana")) and read_session(session_paths(home, "ana")[0]).notes)
        time.sleep(1.2)
        app.send_signal(signum)
        assert app.wait(timeout=20) == 0
    finally:
        if app.poll() is None:
            app.kill()
        os.close(master)
    document = read_session(session_paths(home, "ana")[0])
    assert [n.text for n in document.notes] == ["the last thing she said"]
    assert document.info.timer == "running" and document.info.elapsed_seconds >= 1, "the timer state was saved on the way out"
    assert b"Traceback" not in bytes(screen)
    assert not (home.client_dir("ana") / "session.lock").exists(), "the client's lock is given back on the way out"


@pytest.fixture(scope="module")
def large_home(tmp_path_factory) -> tuple[Home, str]:
    """200 clients, 10,000 sessions (300 for the busiest), 2,000 questions, as in the hardening issue: the app is busy
    in its first seconds (clients read, the deck loaded, the busiest client's index built)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate

    root = tmp_path_factory.mktemp("large") / "home"
    busiest = generate(root, clients=200, sessions=10_000, questions=2000, seed=3)
    return Home(root), busiest[0]


TRIALS = 50


@pytest.mark.slow
def test_closing_the_terminal_at_any_moment_ends_the_app_within_two_seconds(large_home):
    """SIGHUP (the terminal closed, as tmux kill-session does) or SIGTERM at a random moment of the first
    three seconds, on the client list or a busy client's session: gone within 2 s, lock given back."""
    home, client = large_home
    rng = random.Random(11)
    env = env_without_home() | {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "36"}
    slow: list[str] = []
    for trial in range(TRIALS):
        args = ["--client", client] if trial % 2 else []
        if trial % 2:  # a cold cache: the first index build runs in a worker while the signal comes
            shutil.rmtree(home.cache_dir, ignore_errors=True)
        master, slave = os.openpty()
        app = subprocess.Popen(
            [sys.executable, "-m", "sessionpal", "--home", str(home.root), *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        reader = threading.Thread(target=lambda fd=master: _drain(fd), daemon=True)
        reader.start()
        time.sleep(rng.uniform(0, 3))
        signum = signal.SIGHUP if trial % 5 else signal.SIGTERM
        os.close(master)  # the terminal is gone first, as when its window closes
        sent = time.monotonic()
        app.send_signal(signum)
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()
            slow.append(f"trial {trial}: still running 30 s after {signum.name}")
            continue
        took = time.monotonic() - sent
        if took > 2.0:
            slow.append(f"trial {trial}: {took:.1f} s after {signum.name}")
    assert slow == [], slow
    leftover = sorted(str(p) for p in home.clients_dir.rglob("session.lock"))
    assert leftover == [], "every lock was given back"


def _drain(fd: int) -> None:
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return
