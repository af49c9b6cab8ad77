"""Every kind of file a coach can break: reported as path:line:col, left byte for byte as it
was, and the rest of the app keeps working (a session opens and a note is saved)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from textual.widgets import Static

from sessionpal.core.paths import Home
from sessionpal.core.sessions import read_session, session_paths
from sessionpal.ui.screens.session import SessionScreen

from ..ui.conftest import build_demo_home, make_app, settle, told

SIZE = (140, 45)


def pack(home: Home) -> tuple[Path, str]:
    return home.prompts_dir / "mine.toml", '[pack]\nid = "mine"\ntitle = "Mine"\n\n[[question]]\ntext = "What else?\n'


def model(home: Home) -> tuple[Path, str]:
    return home.models_dir / "short.toml", '[model]\nid = "short"\ntitle = "Short"\nphases = 3\n'


def client_file(home: Home) -> tuple[Path, str]:
    # Another client's file: Ana's sessions must not depend on it.
    return home.client_file("jose-alvarez"), 'name = "José Álvarez"\nsession_minutes = "an hour"\n'


def session_file(home: Home) -> tuple[Path, str]:
    # Ana's last session, the one the "last time" card reads.
    return session_paths(home, "ana-perez")[-1], "+++\nclient = 'ana-perez'\nplanned_minutes = [\n+++\n"


def config_file(home: Home) -> tuple[Path, str]:
    return home.config_file, "stalled_after = 3\nbell = maybe\n"


KINDS = {
    "pack": (pack, "mine.toml:6:19"),
    "model": (model, "short.toml:4:1"),
    "client.toml": (client_file, "client.toml:2:1"),
    "session": (session_file, "T1002.md:4:1"),
    "config.toml": (config_file, "config.toml:2:8"),
}


@pytest.fixture
def demo_home(home: Home) -> Home:
    build_demo_home(home)
    return home


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", KINDS)
async def test_a_broken_file_is_reported_kept_and_the_rest_works(demo_home, clock, kind):
    make, where = KINDS[kind]
    path, text = make(demo_home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    before = digest(path)
    sessions_before = len(session_paths(demo_home, "ana-perez"))
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.open_client_named("Ana Pérez")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        await pilot.press(*"still working", "enter")
        await settle(pilot)
        shown = [n.message for n in told(app)] + [str(app.screen.query_one("#last-time", Static).render())]
        app.screen.save_before_exit()
    assert any(where in message for message in shown), shown
    assert digest(path) == before, "a broken file is never rewritten"
    newest = session_paths(demo_home, "ana-perez")
    assert len(newest) == sessions_before + 1
    assert [note.text for note in read_session(newest[-1]).notes] == ["still working"]
