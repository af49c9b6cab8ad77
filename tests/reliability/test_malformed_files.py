"""Every kind of file a coach can break: reported as path:line:col, left byte for byte as it
was, and the rest of the app keeps working (a session opens and a note is saved)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from textual.widgets import Static

from sessionpal.core.paths import Home, session_paths
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock
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


DEEP = "x = " + "[" * 1000 + "\n"  # tomli recurses once per level: a RecursionError, caught


def deep_pack(home: Home) -> tuple[Path, str]:
    return home.prompts_dir / "deep.toml", DEEP


def deep_client_file(home: Home) -> tuple[Path, str]:
    return home.client_file("jose-alvarez"), DEEP


def deep_config_file(home: Home) -> tuple[Path, str]:
    return home.config_file, DEEP


KINDS = {
    "deep pack": (deep_pack, "deep.toml:1:1: invalid TOML: arrays or tables are nested too deeply"),
    "deep client.toml": (deep_client_file, "client.toml:1:1: invalid TOML: arrays or tables are nested too deeply"),
    "deep config.toml": (deep_config_file, "config.toml:1:1: invalid TOML: arrays or tables are nested too deeply"),
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
async def test_a_broken_file_is_reported_kept_and_the_rest_works(demo_home: Home, clock: FakeClock, kind: str) -> None:
    make, where = KINDS[kind]
    path, text = make(demo_home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    before = digest(path)
    sessions_before = len(session_paths(demo_home, "ana-perez"))
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.opener.named("Ana Pérez")
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


def make_session(home: Home, notes: list[str]) -> Path:
    from sessionpal.core.live import LiveSession
    from sessionpal.core.session_models import FALLBACK_MODEL
    from sessionpal.core.timer import FakeClock

    from ..helpers import START

    ana = next(e.client for e in __import__("sessionpal.core.clients", fromlist=["list_clients"]).list_clients(home) if e.slug == "ana-perez")
    live = LiveSession(home, ana, FakeClock(START), FALLBACK_MODEL, 45)
    live.start()
    for text in notes:
        live.add_note(text)
    live.end()
    assert live.path is not None
    return live.path


@pytest.mark.parametrize("command", [["clients"], ["search", "clarity"], ["log", "icf"], ["export", "ana-perez", "--out", "OUT"], ["retention"]])
def test_deep_nesting_is_one_clear_line_in_every_command(demo_home: Home, tmp_path: Path, command: list[str]) -> None:
    from ..cli.test_cli import run

    demo_home.client_file("jose-alvarez").write_text(DEEP)
    result = run(*[str(tmp_path / "x.zip") if part == "OUT" else part for part in command], home=demo_home.root)  # run() fails on a traceback
    output = result.stdout + result.stderr
    if command[0] == "clients":
        assert "client.toml:1:1: invalid TOML: arrays or tables are nested too deeply" in output


def test_a_stamp_too_large_to_be_a_time_is_one_clear_line_and_breaks_nothing_else(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.core.history import last_time
    from sessionpal.core.index import SearchIndex

    from ..cli.test_cli import run

    path = session_paths(demo_home, "ana-perez")[-1]
    text = path.read_text()
    line = text.split("\n").index("- [00:00:00] wants clarity about leaving") + 1
    path.write_text(text.replace("- [00:00:00] wants clarity", "- [99999999999999999999:00:00] overflow here\n- [00:00:00] wants clarity"))
    before = digest(path)
    index = SearchIndex(demo_home)
    refreshed = index.refresh()
    where = f"{path}:{line}:4: the time [999999999999…:…] is out of range"
    assert [p for p in refreshed.problems if p.startswith(where)], refreshed.problems
    card = last_time(demo_home, "ana-perez")
    assert card is not None and str(card.problems[0]).startswith(where), "the card says which line, and the rest works"
    result = run("search", "clarity", home=demo_home.root)  # once: OverflowError in every search
    assert f"skipped: {where}" in result.stderr
    assert digest(path) == before, "reported, never rewritten"


def test_a_pipe_named_like_a_session_never_hangs_a_command(demo_home: Home, tmp_path: Path) -> None:
    import os

    from ..cli.test_cli import run

    fifo = demo_home.sessions_dir("ana-perez") / "2026-11-20T1000.md"
    os.mkfifo(fifo)
    for command in (["search", "clarity"], ["log", "icf"], ["export", "ana-perez", "--out", str(tmp_path / "x.zip")]):
        result = run(*command, home=demo_home.root)  # a hang would time out (60 s) and fail here
        assert "Traceback" not in result.stderr
    assert "is not a regular file" in run("log", "icf", home=demo_home.root).stderr


def test_every_line_of_a_long_session_is_searchable_and_nul_truncates_nothing(demo_home: Home) -> None:
    from sessionpal.core.index import SearchIndex

    path = make_session(demo_home, ["first"])
    # 17,000 notes written as a script would (saving each through the app would take a minute of fsyncs).
    lines = [f"- [00:{n // 60 % 60:02d}:{n % 60:02d}] line {n}" for n in range(17_000)] + [
        "- [01:00:00] the very last insight",
        "- [01:00:01] before\x00after the nul",
    ]
    path.write_text(path.read_text().replace("- [00:00:00] first", "\n".join(lines)))
    index = SearchIndex(demo_home)
    index.refresh()
    assert [h.text for h in index.search("very last insight")] == ["the very last insight"], "line 17,001 is found"
    [hit] = index.search("nul")
    assert hit.text == "before␀after the nul" and "after" in hit.marked, "nothing cut at the NUL"
