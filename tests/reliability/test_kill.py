"""kill -9 while the coach takes notes: no note the log showed is lost, every file parses, no temp file stays.

A child process runs the real app (headless, through Textual's Pilot) on a client,
resumes the unfinished session when the app offers it, and types notes: each is
put in the note line and sent with Enter, and printed once the notes log shows
it. The parent kills the child at a random moment, then checks the file. The
next start must also have removed any temp file the killed write left. The
normal suite runs 50 trials; SESSIONPAL_LONG=1 runs 1,000.

The moment of each kill is counted in notes, not in seconds: the parent waits
until the app has shown a random number of notes (0 to 12), then kills it after
a random few milliseconds, while the next note is on its way to the disk. A
timed kill found a different test on a busy machine (fewer notes, or none, before
the kill); this one is the same test however slow the machine is.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sessionpal.core.fsio import is_temp_file
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.sessions import read_session

from ..helpers import env_without_home

# One process imports the app once, then forks a fresh app for each trial: a trial then costs the app's
# start and the typing, not Python's imports. Each app writes what its log showed to a file of its own
# (line by line, flushed: what was written survives the kill).
ZYGOTE = r"""
import asyncio, os, signal, sys
from pathlib import Path
from textual import events
from sessionpal.core.paths import Home
from sessionpal.ui.app import SessionPalApp
from sessionpal.ui.dialogs.resume import ResumeDialog
from sessionpal.ui.widgets.notes import NoteInput, NotesLog

async def take_notes(home, first, shown):
    app = SessionPalApp(Home(Path(home)), client="Ana")
    n = first
    async with app.run_test(size=(100, 30)) as pilot:
        answered = False
        waited = 0
        while type(app.screen).__name__ != "SessionScreen":
            waited += 1
            if waited % 200 == 0:  # what the app shows while it is not ready: for the failure message
                Path(shown.name + ".waiting").write_text(repr([type(s).__name__ for s in app.screen_stack]))
            if isinstance(app.screen, ResumeDialog) and not answered:
                answered = True
                app.screen.dismiss("resume")
            await asyncio.sleep(0.005)
        await pilot.pause()
        log = app.screen.query_one(NotesLog)
        note_line = app.screen.query_one(NoteInput)
        shown.write("ready\n")
        shown.flush()
        while True:
            text = f"note {n} — “quoted” ünïcode 学习 x" + "x" * (n % 50)
            note_line.value = text
            # Enter as the terminal driver delivers it (Pilot.press would also wait for the app to idle).
            enter = events.Key("enter", "\r")
            enter.set_sender(app)
            app._driver.send_message(enter)
            while not any(getattr(item.entry, "text", None) == text for item in log.items[-3:]):
                await asyncio.sleep(0.001)
            shown.write(text + "\n")  # the coach has seen it
            shown.flush()
            n += 1

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed apps are reaped by the system
for line in sys.stdin:
    home, first, out = line.split("\t")
    pid = os.fork()
    if pid == 0:
        with open(out.strip(), "w", encoding="utf-8") as shown:
            asyncio.run(take_notes(home, int(first), shown))
        os._exit(0)
    print(pid, flush=True)
"""

TRIALS = 1000 if os.environ.get("SESSIONPAL_LONG") else 50


def temp_files_not_of(pid: int, folder: Path) -> list[Path]:
    """Temp files in `folder` other than the running app's own writes in flight."""
    return [p for p in folder.iterdir() if is_temp_file(p.name) and f".{pid}." not in p.name]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def shown_notes(shown_file: Path) -> list[str]:
    """The notes the app's log has shown so far (a line cut by a kill is not one yet: it has no newline)."""
    text = shown_file.read_text("utf-8") if shown_file.exists() else ""
    return [line for line in text.splitlines(keepends=True) if line.startswith("note ") and line.endswith("\n")]


# Generous: these bound a stall, not the app's speed, and the suite shares two cores with other workers.
READY_TIMEOUT = 90.0
NOTES_TIMEOUT = 90.0


def wait_until_ready(shown_file: Path, pid: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if shown_file.exists() and shown_file.read_text("utf-8").startswith("ready\n"):
            return
        if not alive(pid):
            raise AssertionError("the app stopped before its session screen")
        time.sleep(0.01)
    waiting = shown_file.with_name(shown_file.name + ".waiting")
    raise AssertionError(f"the session screen never came up; screens: {waiting.read_text() if waiting.exists() else 'none yet'}")


def wait_for_notes(shown_file: Path, pid: int, count: int) -> None:
    deadline = time.monotonic() + NOTES_TIMEOUT
    while len(shown_notes(shown_file)) < count:
        if not alive(pid):
            raise AssertionError("the app stopped while taking notes")
        if time.monotonic() > deadline:
            raise AssertionError(f"the app showed {len(shown_notes(shown_file))} of {count} notes in {NOTES_TIMEOUT:.0f} s")
        time.sleep(0.002)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a fresh app for each trial")
def test_kill_9_while_taking_notes_in_the_app_loses_nothing(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    rng = random.Random(1)
    env = env_without_home() | {"PYTHONUNBUFFERED": "1"}
    zygote = subprocess.Popen([sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert zygote.stdin is not None and zygote.stdout is not None
    shown: list[str] = []
    lost = stray = waited_for = 0
    try:
        for trial in range(TRIALS):
            shown_file = tmp_path / f"shown-{trial}.txt"
            zygote.stdin.write(f"{home.root}\t{100_000 * trial}\t{shown_file}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            wait_until_ready(shown_file, pid)
            if home.sessions_dir("ana").is_dir():  # this start came after a kill: whatever temp file that kill left is gone
                stray += len(temp_files_not_of(pid, home.sessions_dir("ana")))
            notes = rng.randint(0, 12)
            wait_for_notes(shown_file, pid, notes)
            waited_for += notes
            time.sleep(rng.uniform(0, 0.03))  # then kill whatever is in flight: a note, a timer save, nothing
            os.kill(pid, signal.SIGKILL)
            while alive(pid):
                time.sleep(0.002)
            shown += [line.rstrip("\n") for line in shown_notes(shown_file)]
            paths = session_paths(home, "ana")
            assert len(paths) <= 1, "a killed session is resumed, never duplicated"
            # The session file is made with the first note: a kill before any note leaves none, and has lost nothing.
            assert paths or not shown, "the notes shown have a session file"
            if paths:
                saved = {n.text for n in read_session(paths[0]).notes}  # parses, or this raises
                lost += len(set(shown) - saved)
    finally:
        zygote.kill()
        zygote.wait()
    print(f"{TRIALS} kills of the app, {len(shown)} notes shown, {lost} lost, {stray} temp files left after a restart")
    assert lost == 0
    assert stray == 0
    assert len(shown) >= waited_for > TRIALS, "the app saved notes between kills"
