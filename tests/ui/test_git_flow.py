"""git.autocommit in the app: an ended session and a new client are committed; a home that is not a
repository is explained."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sessionpal.core.paths import Home, session_paths
from sessionpal.core.timer import FakeClock
from sessionpal.ui.screens.clients import ClientPickerScreen

from .conftest import make_app, settle, told
from .test_session_flow import SIZE, type_note

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


async def test_an_ended_session_and_a_new_client_are_committed(demo_home: Home, clock: FakeClock) -> None:
    demo_home.config_file.write_text("[git]\nautocommit = true\n")
    git(demo_home.root, "init", "--quiet", "--initial-branch=main")
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await type_note(pilot, "!call the recruiter")
        clock.advance(600)
        await pilot.press("f12", "enter")  # end the session
        await settle(pilot)
        await pilot.press("enter")  # close the summary
        await settle(pilot)
        assert isinstance(app.screen, ClientPickerScreen)
        app.opener.create("Marta Ruiz", 50)
        await settle(pilot)
        assert not [n for n in told(app) if n.title == "git"], [n.message for n in told(app)]
    session = session_paths(demo_home, "ana-perez")[-1]
    assert git(demo_home.root, "log", "--format=%s").splitlines() == ["New client marta-ruiz", f"Session with ana-perez: {session.stem}"]
    tracked = git(demo_home.root, "ls-files").splitlines()
    assert f"clients/ana-perez/sessions/{session.name}" in tracked and "clients/marta-ruiz/client.toml" in tracked
    assert "call the recruiter" not in git(demo_home.root, "log", "--format=%B"), "no note text in commit messages"


async def test_autocommit_outside_a_repository_is_explained(demo_home: Home, clock: FakeClock) -> None:
    demo_home.config_file.write_text("[git]\nautocommit = true\n")
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        [said] = [n.message for n in told(app) if n.title == "git"]
        assert said.startswith("git.autocommit is on, but the data home is not a git repository: git init")


async def test_a_commit_git_refuses_is_reported_and_the_session_goes_on(demo_home: Home, clock: FakeClock) -> None:
    demo_home.config_file.write_text("[git]\nautocommit = true\n")
    git(demo_home.root, "init", "--quiet", "--initial-branch=main")
    (demo_home.root / ".git" / "index.lock").write_text("")  # another git command, stuck
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.opener.create("Marta Ruiz", 50)
        await settle(pilot)
        [said] = [n.message for n in told(app) if n.title == "git"]
        assert said.startswith("Not committed: git add failed:") and "index.lock" in said
        await type_note(pilot, "still taking notes")
        assert session_paths(demo_home, "marta-ruiz")
