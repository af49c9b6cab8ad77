"""This computer's settings (machine.toml): the theme remembered, $TEXTUAL_THEME first, local keys over the home's."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.dialogs.new_client import NewClientDialog

from .conftest import make_app, settle, told


def machine() -> Path:
    return Path(os.environ["SESSIONPAL_MACHINE_CONFIG"])


async def test_a_theme_picked_is_remembered_on_this_computer_only(home: Home, clock: FakeClock) -> None:
    home.config_file.write_text('theme = "dracula"\n')
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "dracula", "config.toml's theme, when this computer has none"
        app.theme = "nord"  # as the palette's "Change theme" does
        await pilot.pause()
    assert tomllib.loads(machine().read_text())["theme"] == "nord"
    assert home.config_file.read_text() == 'theme = "dracula"\n', "the synced config.toml is left alone"
    again = make_app(home, clock, client=None)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "nord", "the last pick, at the next start"


async def test_textual_theme_wins_when_set(home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    machine().parent.mkdir(parents=True, exist_ok=True)
    machine().write_text('theme = "nord"\n')
    monkeypatch.setenv("TEXTUAL_THEME", "gruvbox")
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"
    assert tomllib.loads(machine().read_text())["theme"] == "nord", "starting with it is not picking it"


async def test_this_computer_s_keys_win_one_by_one(home: Home, clock: FakeClock) -> None:
    home.config_file.write_text('[keys]\nnew_client = "f4"\nreview = "f6"\n')
    machine().parent.mkdir(parents=True, exist_ok=True)
    machine().write_text('[keys]\nnew_client = "f3"\n')
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.active_keys == {"new_client": "f3", "review": "f6"}
        assert "F3 adds a client" in app.screen.query_one("#client-filter", Input).placeholder
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, NewClientDialog)


async def test_a_key_that_names_no_command_is_told_with_the_file_that_set_it(home: Home, clock: FakeClock) -> None:
    """Found by a look at every command: a bad key in machine.toml was reported as config.toml's."""
    home.config_file.write_text('[keys]\nreveiw = "f6"\n')
    machine().parent.mkdir(parents=True, exist_ok=True)
    machine().write_text('[keys]\nnew_clent = "f3"\n')
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        [warning] = [n for n in told(app) if "is not a command" in n.message]
        assert warning.title == "Settings: using defaults for these"
        assert warning.message.splitlines() == [
            f"{home.config_file}: [keys] 'reveiw' is not a command; did you mean 'review'?",
            f"{machine()}: [keys] 'new_clent' is not a command; did you mean 'new_client'?",
        ]


async def test_a_broken_machine_toml_is_reported_and_never_rewritten(home: Home, clock: FakeClock) -> None:
    from .conftest import told

    machine().parent.mkdir(parents=True, exist_ok=True)
    machine().write_text('theme = "nord\n')
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        assert any(f"{machine()}:1:" in n.message for n in told(app)), [n.message for n in told(app)]
        app.theme = "gruvbox"
        await pilot.pause()
        assert any(n.title == "Theme not remembered" for n in told(app))
    assert machine().read_text() == 'theme = "nord\n'


def test_a_key_machine_toml_gets_wrong_leaves_config_toml_s_standing(home: Home) -> None:
    from sessionpal.core.config import load_config

    home.config_file.write_text('theme = "dracula"\nbell = true\n')
    machine().parent.mkdir(parents=True, exist_ok=True)
    machine().write_text('theme = ""\nbell = "loud"\n')
    loaded = load_config(home, machine())
    assert (loaded.config.theme, loaded.config.bell) == ("dracula", True)
    assert len(loaded.problems) == 2 and all(str(machine()) in str(p) for p in loaded.problems)
