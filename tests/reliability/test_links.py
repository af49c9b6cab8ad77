"""Links inside the data home: read through, never written, deleted or exported through (fsio's rule).

Each case is one the hardening issue found: an outside folder a link points at must come out of every
command exactly as it went in, and the command must say what it left alone, never a traceback.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from sessionpal.core import fsio
from sessionpal.core.clients import create_client, load_client
from sessionpal.core.export import export_client
from sessionpal.core.goals import add_goal
from sessionpal.core.live import LiveSession
from sessionpal.core.model import Client
from sessionpal.core.pack_edit import add_question, new_pack
from sessionpal.core.paths import Home
from sessionpal.core.problems import FileProblems
from sessionpal.core.records import AUDIT_LOG, erase_client
from sessionpal.core.saving import ChangeFailed, saving
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock

from ..cli.test_cli import run
from ..ui.conftest import session_file


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: what must not change."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "a.txt").write_text("not the coach's to erase\n")
    (folder / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    return folder


@pytest.fixture
def ana(home: Home) -> Client:
    return create_client(home, "Ana Pérez", 45, date(2026, 11, 1))


def a_session(home: Home, client: Client, clock: FakeClock, notes: tuple[str, ...] = ("first",)) -> Path:
    live = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
    for text in notes:
        clock.advance(60)
        live.add_note(text)
    live.end()
    assert live.path is not None
    return live.path


def test_erase_never_walks_a_linked_versions_folder(home: Home, ana: Client, clock: FakeClock, outside: Path) -> None:
    before = snapshot(outside)
    (home.root / ".versions" / "clients").mkdir(parents=True)
    os.symlink(outside, home.root / ".versions" / "clients" / ana.slug)
    erased = erase_client(home, ana.slug, clock.now())
    assert snapshot(outside) == before, "nothing outside the home was deleted"
    assert [str(link) for link, _ in erased.links] == [str(home.root / ".versions" / "clients" / ana.slug)]
    assert not home.client_dir(ana.slug).exists()


def test_erase_says_what_a_linked_sessions_folder_kept(home: Home, ana: Client, clock: FakeClock, outside: Path, tmp_path: Path) -> None:
    a_session(home, ana, clock)
    sessions = home.sessions_dir(ana.slug)
    moved = tmp_path / "elsewhere"
    sessions.rename(moved)
    os.symlink(moved, sessions)
    kept = snapshot(moved)
    result = run("erase", ana.slug, "--yes", home=home.root)
    assert result.returncode == 0
    assert snapshot(moved) == kept and kept, "the session files it pointed at are still there"
    assert f"Not erased: {sessions} was a link to {moved}" in result.stderr
    assert "Erased Ana Pérez: 1 file(s)" in result.stdout, "client.toml only: the sessions were not erased, and not counted"


def test_export_never_carries_what_a_link_points_at(home: Home, ana: Client, clock: FakeClock, outside: Path, tmp_path: Path) -> None:
    a_session(home, ana, clock)
    os.symlink(outside / "id_rsa", home.client_dir(ana.slug) / "notes.txt")
    os.symlink(outside, home.client_dir(ana.slug) / "attachments")
    os.mkfifo(home.client_dir(ana.slug) / "pipe")
    skipped: list[Path] = []
    names = zipfile.ZipFile(io.BytesIO(export_client(home, ana.slug, skipped))).namelist()
    assert not any(n.endswith(("notes.txt", "a.txt", "id_rsa", "pipe")) for n in names)
    assert any(n.endswith("client.toml") for n in names) and any("/sessions/" in n for n in names)
    assert {p.name for p in skipped} == {"notes.txt", "attachments", "pipe"}
    result = run("export", ana.slug, "--out", str(tmp_path / "out.zip"), home=home.root)
    assert result.returncode == 0 and result.stderr.count("left out: ") == 3
    assert "PRIVATE KEY" not in (tmp_path / "out.zip").read_bytes().decode("latin-1")


def test_a_linked_client_file_is_read_but_never_written_through(home: Home, ana: Client, outside: Path) -> None:
    target = outside / "client.toml"
    home.client_file(ana.slug).rename(target)
    os.symlink(target, home.client_file(ana.slug))
    before = target.read_bytes()
    assert load_client(home.client_file(ana.slug), ana.slug).name == "Ana Pérez", "read through the link"
    with pytest.raises(ChangeFailed, match="is a link, and sessionpal never writes"), saving("the client file"):
        add_goal(home, ana.slug, "Run 5 km")
    assert target.read_bytes() == before and os.path.islink(home.client_file(ana.slug))


def test_a_linked_pack_or_session_file_is_refused_with_a_clear_message(home: Home, ana: Client, clock: FakeClock, outside: Path) -> None:
    pack = new_pack(home, "mine", "Mine")
    (outside / "mine.toml").write_bytes(pack.path.read_bytes())
    pack.path.unlink()
    os.symlink(outside / "mine.toml", pack.path)
    with pytest.raises(fsio.LinkRefused):
        add_question(pack.path, "What else?")
    running = LiveSession(home, ana, clock, FALLBACK_MODEL, 45)
    running.add_note("first")
    path = running.path
    assert path is not None
    document = read_session(path)  # the session in progress, as read before a sync tool put a link in its place
    (outside / "session.md").write_bytes(path.read_bytes())
    path.unlink()
    os.symlink(outside / "session.md", path)
    with pytest.raises(FileProblems, match="is a link"):
        read_session(path)  # a link named like a session is never read: it could be any file on the computer
    live = LiveSession(home, load_client(ana.path, ana.slug), clock, FALLBACK_MODEL, 45, document=document)
    with pytest.raises(ChangeFailed, match="is a link"):
        live.add_note("a note for nowhere")
        live.flush()
    assert "a note for nowhere" not in (outside / "session.md").read_text()


def test_a_linked_client_folder_is_neither_erased_nor_locked_through(home: Home, ana: Client, clock: FakeClock, outside: Path, tmp_path: Path) -> None:
    folder = home.client_dir(ana.slug)
    moved = tmp_path / "ana-elsewhere"
    folder.rename(moved)
    os.symlink(moved, folder)
    kept = snapshot(moved)
    exported = run("export", ana.slug, "--out", str(tmp_path / "x.zip"), home=home.root)
    assert "Traceback" not in exported.stderr
    erased = erase_client(home, ana.slug, clock.now())
    assert snapshot(moved) == kept, "no .sessionpal.lock or anything else was made or removed there"
    assert erased.links and not os.path.lexists(folder)


def test_a_linked_audit_log_is_never_copied_into_the_home(home: Home, ana: Client, clock: FakeClock, outside: Path) -> None:
    os.symlink(outside / "id_rsa", home.root / AUDIT_LOG)
    erased = erase_client(home, ana.slug, clock.now())
    assert "is a link" in erased.audit_problem
    assert os.path.islink(home.root / AUDIT_LOG) and (outside / "id_rsa").read_text().startswith("-----BEGIN")
    assert not any(b"PRIVATE KEY" in p.read_bytes() for p in home.root.rglob("*") if p.is_file() and not p.is_symlink())


def test_a_linked_write_lock_makes_nothing_outside(home: Home, ana: Client, outside: Path) -> None:
    os.symlink(outside / "made-by-sessionpal", home.client_dir(ana.slug) / fsio.WRITE_LOCK)
    with pytest.raises(ChangeFailed, match="is a link"), saving("the client file"):
        add_goal(home, ana.slug, "Run 5 km")
    assert not (outside / "made-by-sessionpal").exists()


def test_the_home_itself_may_be_a_link(tmp_path: Path, clock: FakeClock) -> None:
    from sessionpal.core.paths import Home

    real = tmp_path / "Dropbox" / "coaching"
    real.mkdir(parents=True)
    os.symlink(real, tmp_path / "home-link")
    home = Home(tmp_path / "home-link")
    client = create_client(home, "Bo", 45, date(2026, 11, 1))
    add_goal(home, client.slug, "Sleep by eleven")
    assert (real / "clients" / client.slug / "client.toml").exists(), "a home kept in a synced folder by a link works as before"


async def test_the_app_says_no_to_a_goal_for_a_linked_client_file_and_keeps_going(home: Home, ana: Client, clock: FakeClock, outside: Path) -> None:
    from ..ui.conftest import make_app, settle, told

    target = outside / "client.toml"
    home.client_file(ana.slug).rename(target)
    os.symlink(target, home.client_file(ana.slug))
    app = make_app(home, clock, client="Ana Pérez")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f7")  # no goals yet: straight to "add a goal"
        await pilot.pause()
        await pilot.press(*"Run 5 km", "enter")
        await settle(pilot)
        refused = [t for t in told(app) if t.severity == "error"]
        assert refused and "is a link" in refused[0].message and "Run 5 km" in refused[0].title, "told why, with the words typed"
        await pilot.press(*"still taking notes", "enter")
        await settle(pilot)
        assert [n.text for n in read_session(session_file(app)).notes] == ["still taking notes"]
    assert "Run 5 km" not in target.read_text()
