"""Fixtures shared by every test: an isolated data home and cache, and a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock

from .helpers import START

# No deadline for a single example: on a loaded machine (a shared CI host, the suite's other worker) one
# example of a round trip can take 400 ms, and what the tests check is the result, not the machine's speed.
settings.register_profile("sessionpal", deadline=None)
settings.load_profile("sessionpal")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data home, cache or this computer's settings."""
    monkeypatch.delenv("SESSIONPAL_HOME", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.setenv("SESSIONPAL_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("SESSIONPAL_MACHINE_CONFIG", str(tmp_path_factory.mktemp("machine") / "machine.toml"))
    # Nor fills this computer's clipboard (a recap): no display for xclip, xsel or wl-copy, and no pbcopy.
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sessionpal.core.clipboard.PLATFORM", "linux")


@pytest.fixture
def home(tmp_path: Path) -> Home:
    root = tmp_path / "home"
    root.mkdir(mode=0o700)
    return Home(root)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)
