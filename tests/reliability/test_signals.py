"""The real app in a pseudo-terminal: SIGTERM (shutdown) and SIGHUP (terminal closed) save and exit cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

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
