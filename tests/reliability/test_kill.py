"""kill -9 while notes are being saved: no note that was reported saved is lost, every file parses.

A child process saves notes through LiveSession (the same calls the screen makes)
and prints each note once add_note has returned, which is when the screen would
show it. The parent kills it at a random moment, then checks the file. The
normal suite runs 20 trials; SESSIONPAL_LONG=1 runs 300.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from sessionpal.core.fsio import clean_temp_files
from sessionpal.core.sessions import read_session, session_paths
from sessionpal.core.paths import Home

CHILD = r"""
import sys
from datetime import date
from pathlib import Path
from sessionpal.core.clients import create_client, load_client
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import find_unfinished
from sessionpal.core.timer import SystemClock

home = Home(Path(sys.argv[1]))
path = home.client_file("ana")
client = load_client(path) if path.exists() else create_client(home, "Ana", 45, date(2026, 11, 23))
live = LiveSession(home, client, SystemClock(), FALLBACK_MODEL, 45, document=find_unfinished(home, client.slug))
n = int(sys.argv[2])
while True:
    note = live.add_note(f"note {n} — “quoted” ünïcode 学习 " + "x" * (n % 50))
    print(note.text, flush=True)  # as the screen shows it: only once add_note has returned
    n += 1
"""

TRIALS = 300 if os.environ.get("SESSIONPAL_LONG") else 20


@pytest.mark.slow
def test_kill_9_while_saving_notes_loses_nothing(tmp_path):
    home = Home(tmp_path / "home")
    rng = random.Random(1)
    shown: list[str] = []
    lost = 0
    for trial in range(TRIALS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(home.root), str(len(shown))], stdout=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.3, 0.9))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        shown += [line for line in out.splitlines() if line]
        paths = session_paths(home, "ana")
        assert len(paths) == 1, "the killed sessions are resumed, never duplicated"
        saved = [n.text for n in read_session(paths[0]).notes]  # parses, or this raises
        lost += len(set(shown) - set(saved))
        clean_temp_files(paths[0].parent)
        assert not list(paths[0].parent.glob(".sessionpal-*.tmp"))
    print(f"{TRIALS} kills, {len(shown)} notes shown, {lost} lost")
    assert lost == 0
    assert len(shown) > TRIALS, "the child saved notes between kills"
