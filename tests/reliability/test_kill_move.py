"""kill -9 while a session is being moved between two clients: the next start finishes the move, never a
session left in both folders, in neither, or saying the wrong client.

A child process moves one session (with its recap, a kept version and a goal) from Ana to Ben and back, over
and over, printing a line after each move. The parent waits for a random number of moves (0 to 2) and the start of the
next one, then kills the child a random few milliseconds into it (counted from that start, not from the fork:
the same test however busy the machine is), then does what the next start of any sessionpal does
(`finish_moves`) and checks the home. The normal suite runs 200 trials; SESSIONPAL_LONG=1 runs 2,000.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sessionpal.core.clients import create_client, load_client
from sessionpal.core.fsio import is_temp_file
from sessionpal.core.live import LiveSession
from sessionpal.core.model import Note
from sessionpal.core.moving import finish_moves, move_session
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session, update_session
from sessionpal.core.timer import FakeClock
from sessionpal.core.versions import list_versions

from ..helpers import START, env_without_home
from .test_kill import alive

# One process imports the move code once, then forks a fresh mover for each trial.
ZYGOTE = r"""
import os, signal, sys
from datetime import UTC, datetime
from pathlib import Path
from sessionpal.core.moving import move_session
from sessionpal.core.paths import Home, session_paths

def keep_moving(root, out):
    home = Home(Path(root))
    n = 0
    while True:
        here = "ana" if session_paths(home, "ana") else "ben"
        out.write("start\n")  # a move begins: the kill is timed from here, not from the fork
        out.flush()
        move_session(home, session_paths(home, here)[0], "ben" if here == "ana" else "ana", datetime.now(UTC))
        n += 1
        out.write(f"{n}\n")
        out.flush()

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed movers are reaped by the system
for line in sys.stdin:
    root, out = line.rstrip("\n").split("\t")
    pid = os.fork()
    if pid == 0:
        with open(out, "w", encoding="utf-8") as progress:
            keep_moving(root, progress)
        os._exit(0)
    print(pid, flush=True)
"""

TRIALS = 2000 if os.environ.get("SESSIONPAL_LONG") else 200
TIMEOUT = 120.0  # bounds a stall, not the machine's speed


def lines_of(progress: Path) -> list[str]:
    text = progress.read_text("utf-8") if progress.exists() else ""
    return [line for line in text.splitlines(keepends=True) if line.endswith("\n")]


def moves_done(progress: Path) -> int:
    return len([line for line in lines_of(progress) if line != "start\n"])


def moves_begun(progress: Path) -> int:
    return len([line for line in lines_of(progress) if line == "start\n"])


def where_it_is(home: Home) -> list[str]:
    """Every file of the session (by its recap's and its own names) in either client's folder."""
    found = []
    for slug in ("ana", "ben"):
        folder = home.sessions_dir(slug)
        found += [f"{slug}/{p.name}" for p in sorted(folder.iterdir()) if not p.name.startswith(".")] if folder.is_dir() else []
    return found


@pytest.fixture
def moving_home(tmp_path: Path) -> Home:
    home = Home(tmp_path / "home")
    ana, _ = create_client(home, "Ana", 45), create_client(home, "Ben", 45)
    from sessionpal.core.goals import add_goal

    goal = add_goal(home, "ana", "Run 5 km", value="health", at=START)
    live = LiveSession(home, load_client(ana.path, "ana"), FakeClock(START), FALLBACK_MODEL, 45)
    live.add_note("typed under Ana: it was Ben's")
    live.goals.rate_goal(goal.id, 5)
    live.end()
    assert live.path is not None
    update_session(live.path, lambda d: d.add_note(Note(30, "a correction after the end")))  # a kept version
    live.path.with_name(live.path.stem + ".recap.md").write_text("# Recap\n")
    return home


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a fresh mover for each trial")
def test_kill_9_during_a_move_never_leaves_it_half_done_or_doubled(moving_home: Home, tmp_path: Path) -> None:
    home = moving_home
    rng = random.Random(7)
    env = env_without_home() | {"PYTHONUNBUFFERED": "1"}
    zygote = subprocess.Popen([sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert zygote.stdin is not None and zygote.stdout is not None
    finished = moves = 0
    try:
        for trial in range(TRIALS):
            progress = tmp_path / f"moves-{trial}.txt"
            zygote.stdin.write(f"{home.root}\t{progress}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            wanted = rng.randint(0, 2)
            deadline = time.monotonic() + TIMEOUT
            while moves_begun(progress) < wanted + 1:  # the moves wanted done, and the next one begun
                assert alive(pid), f"trial {trial}: the mover stopped: {where_it_is(home)}"
                assert time.monotonic() < deadline, f"trial {trial}: {moves_done(progress)} of {wanted} moves in {TIMEOUT:.0f} s"
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.04))  # then kill whatever step of that move is in flight (or just after it)
            os.kill(pid, signal.SIGKILL)
            while alive(pid):
                time.sleep(0.001)
            moves += moves_done(progress)
            now = datetime.now(UTC) + timedelta(seconds=1)
            finished += len(finish_moves(home, now))  # what the next start of any sessionpal does
            files = where_it_is(home)
            sessions = [f for f in files if f.endswith(".md") and not f.endswith(".recap.md")]
            assert len(sessions) == 1, f"trial {trial}: one session, in one place: {files}"
            owner, name = sessions[0].split("/")
            assert files == [sessions[0], f"{owner}/{name.removesuffix('.md')}.recap.md"], f"trial {trial}: the recap beside it: {files}"
            assert read_session(home.sessions_dir(owner) / name).info.client == owner, f"trial {trial}: it names its client"
            assert list_versions(home, home.sessions_dir(owner) / name), f"trial {trial}: its kept versions with it"
            other = "ben" if owner == "ana" else "ana"
            assert not list_versions(home, home.sessions_dir(other) / name), f"trial {trial}: none left behind"
            assert load_client(home.client_file(owner), owner).goal("run-5-km") is not None, f"trial {trial}: its goal with it"
            assert load_client(home.client_file(other), other).goal("run-5-km") is None, f"trial {trial}: and gone from the other"
            assert not list(home.moves_dir.glob("*.json")), f"trial {trial}: no record left"
            assert session_paths(home, other) == []
    finally:
        zygote.kill()
        zygote.wait()
    # The next start after the last kill: one more move, as the mover would have made (a kill while a lock was
    # being taken, before any record, leaves its temp file for the next move to clean up).
    here = "ana" if session_paths(home, "ana") else "ben"
    move_session(home, session_paths(home, here)[0], "ben" if here == "ana" else "ana", datetime.now(UTC) + timedelta(seconds=2))
    temp = [p for p in home.root.rglob("*") if is_temp_file(p.name)]
    print(f"{TRIALS} kills during moves, {moves} moves done, {finished} found half done and finished, {len(temp)} temp files")
    assert temp == [], f"what a killed write left was cleaned up by the next start: {sorted(str(p.relative_to(home.root)) for p in temp)}"
    assert finished > TRIALS // 10, "many kills landed inside a move"
    assert moves > TRIALS // 2, "the mover moved between kills"
