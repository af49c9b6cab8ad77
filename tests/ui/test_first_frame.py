"""The session screen's first frame imports only what it draws (STYLE habit 11; issue 29.3).

A fresh process starts the app the way `sessionpal --home DIR --client NAME` does (the CLI's own path to it,
app_arguments, then the app in run_test) and looks at `sys.modules` when the session screen has drawn its
first frame: no command's parser, no other screen, no dialog but the two the opening may ask, no index or
SQLite, no browser, export, git or encryption. In a subprocess, so that what this test process has imported
(pytest, every other test's modules) does not count. Then, once the screen's work after the first frame is
done, the index is there: the look came before that work, not after it, so the test can fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TypedDict

import pytest

from sessionpal.core.clients import load_client
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import FakeClock
from sessionpal.ui.dialogs.confirm import ChoiceDialog
from sessionpal.ui.screens.session import SessionScreen
from sessionpal.ui.widgets.notes import NotesLog

from .conftest import build_demo_home, make_app, session_screen, settle

# Not needed for a session's first frame: each is imported when the coach first uses it, or in a worker after.
DEFERRED = (
    # the commands' parsers and handlers: the app's start reads its own options alone
    "sessionpal.cli.calendar",
    "sessionpal.cli.data",
    "sessionpal.cli.packs",
    "sessionpal.cli.practice",
    "sessionpal.cli.records",
    "sessionpal.cli.serve",
    "shtab",
    # the other screens
    "sessionpal.ui.screens.clients",
    "sessionpal.ui.screens.review",
    "sessionpal.ui.screens.packs",
    "sessionpal.ui.screens.alignment",
    "sessionpal.ui.screens.help",
    "sessionpal.ui.screens.conflicts",
    "sessionpal.ui.screens.session_view",
    "sessionpal.ui.widgets.paged_table",
    "markdown_it",
    # the browser server, export, git, the data-rights work, moving a session, the calendar, the client list's roster
    "sessionpal.browser.server",
    "sessionpal.core.export",
    "pyrage",
    "sessionpal.core.gitsync",
    "sessionpal.core.records",
    "sessionpal.core.moving",
    "sessionpal.core.pack_edit",
    "sessionpal.core.clipboard",
    "sessionpal.core.calendar",
    "sessionpal.core.roster",
    # psutil: the lock reads this process's own start from /proc on Linux (on another system, psutil it is)
    *(("psutil",) if sys.platform == "linux" else ()),
    # the search index, read by the last-time card's worker
    "sessionpal.core.index",
    "sessionpal.core.index_rows",
    "sqlite3",
)
# The opening flow (ui/opening_flow.py) imports these two as it opens a client, to ask when there is a choice.
OPENING_DIALOGS = ("sessionpal.ui.dialogs.confirm", "sessionpal.ui.dialogs.resume")

PROBE = """
import asyncio, json, sys

from sessionpal.cli.app import app_arguments
from sessionpal.cli.common import app_home
from sessionpal.ui.screens.session import SessionScreen

args = app_arguments(["--home", sys.argv[1], "--client", "Ana Pérez"])
assert args is not None, "the app's own options alone: no command parsers"
from sessionpal.ui.app import SessionPalApp

def loaded():
    return sorted(m for m in sys.modules if m in DEFERRED or (m.startswith("sessionpal.ui.dialogs.") and m not in OPENING_DIALOGS))

seen = {}
mount = SessionScreen.on_mount

def on_mount(screen):
    # Asked for before the screen's own after-the-first-frame work (the deck, the open actions), so it runs first.
    screen.call_after_refresh(lambda: seen.update(first=loaded(), screen=type(screen.app.screen).__name__, name=screen.header.name))
    mount(screen)

SessionScreen.on_mount = on_mount

async def main():
    app = SessionPalApp(app_home(args), client=args.client)
    async with app.run_test(size=(140, 45)) as pilot:
        while "first" not in seen:
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["later"] = loaded()
    print(json.dumps(seen))

asyncio.run(main())
"""


class Seen(TypedDict):
    screen: str  # the screen on top at the first frame
    name: str  # the header's name then
    first: list[str]  # the deferred modules imported by the first frame
    later: list[str]  # and once the work after it is done


def first_frame(home: Home) -> Seen:
    code = f"DEFERRED = {DEFERRED!r}\nOPENING_DIALOGS = {OPENING_DIALOGS!r}\n{PROBE}"
    done = subprocess.run([sys.executable, "-c", code, str(home.root)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: Seen = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_first_frame_of_a_session_imports_nothing_it_does_not_draw(home: Home) -> None:
    build_demo_home(home)  # an earlier session: the card is drawn from its file
    seen = first_frame(home)
    assert (seen["screen"], seen["name"]) == ("SessionScreen", "Ana Pérez")
    assert seen["first"] == []
    # The open actions of every earlier session come from the index, in a worker after the first frame.
    assert "sessionpal.core.index" in seen["later"] and "sqlite3" in seen["later"]


def test_every_module_watched_is_one_that_exists() -> None:
    """A module renamed or moved would make the test above pass for nothing: each name imports."""
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\nprint('ok')"
    done = subprocess.run([sys.executable, "-c", code, *DEFERRED, *OPENING_DIALOGS], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


async def test_a_resumed_sessions_log_is_filled_after_the_first_frame(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A resumed session's lines (hundreds, in a long call) are no part of the first frame: the log is drawn
    empty, and filled once the frame is on the screen."""
    ana = load_client(demo_home.client_dir("ana-perez") / "client.toml")
    left = LiveSession(demo_home, ana, clock, FALLBACK_MODEL, 45)
    for n in range(30):
        clock.advance(20)
        left.add_note(f"note {n}")  # then the app was closed: the session is left open, to be resumed
    seen: list[int] = []
    mount = SessionScreen.on_mount

    def on_mount(screen: SessionScreen) -> None:
        screen.call_after_refresh(lambda: seen.append(len(screen.query_one(NotesLog).entries)))  # the first frame
        mount(screen)

    monkeypatch.setattr(SessionScreen, "on_mount", on_mount)
    app = make_app(demo_home, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog), "asked to resume"
        await pilot.press("enter")
        await settle(pilot)
        assert seen == [0]
        assert len(session_screen(app).query_one(NotesLog).entries) == 30


REVIEW_PROBE = """
import asyncio, sys

from sessionpal.cli.app import app_arguments
from sessionpal.cli.common import app_home

args = app_arguments(["--home", sys.argv[1]])
assert args is not None
from sessionpal.ui.app import SessionPalApp

async def main():
    app = SessionPalApp(app_home(args))
    async with app.run_test(size=(140, 45)) as pilot:
        while type(app.screen).__name__ != "ClientPickerScreen":
            await pilot.pause(0.01)
        await pilot.press("ctrl+y")
        while type(app.screen).__name__ != "ReviewScreen":
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        print(type(app.screen).__name__, "sessionpal.ui.screens.session" in sys.modules)

asyncio.run(main())
"""


def test_everyone_s_review_imports_no_session_screen(home: Home) -> None:
    """From the client list, ctrl+y learned whether the screen below was a session by importing the session
    screen (its notes, deck and last-time card), a tenth of a second before everyone's first rows."""
    build_demo_home(home)
    done = subprocess.run([sys.executable, "-c", REVIEW_PROBE, str(home.root)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["ReviewScreen", "False"]
