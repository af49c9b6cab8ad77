"""Sync-conflict copies: recognised for each sync tool, paired with their file, resolved only on request."""

from __future__ import annotations

from datetime import date

import pytest

from sessionpal.core.clients import create_client, list_clients
from sessionpal.core.conflicts import find_conflicts, keep_copy, keep_original
from sessionpal.core.model import Client
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.saving import SaveFailed
from sessionpal.core.sync_copies import original_name
from sessionpal.core.versions import list_versions


@pytest.mark.parametrize(
    "copy, original",
    [
        ("2026-11-20T1000.sync-conflict-20261120-103000-LAPTOP.md", "2026-11-20T1000.md"),
        ("client.sync-conflict-20261120-103000-ABC1234.toml", "client.toml"),
        ("2026-11-20T1000 (conflicted copy 2026-11-20).md", "2026-11-20T1000.md"),
        ("client (Ana's conflicted copy 2026-11-20).toml", "client.toml"),
        ("2026-11-20T1000 (conflicted copy sessionpal 2026-11-20 103000).md", "2026-11-20T1000.md"),
        ("mine (Case Conflict).toml", "mine.toml"),
        ("mine (Case Conflict 1).toml", "mine.toml"),
        ("config--conflicted-copy-2026-11-20.toml", "config.toml"),
    ],
)
def test_each_tool_s_copy_names_its_file(copy: str, original: str) -> None:
    assert original_name(copy) == original


@pytest.mark.parametrize("name", ["2026-11-20T1000.md", "client.toml", "notes (draft).md", "conflicted.md"])
def test_ordinary_names_are_not_copies(name: str) -> None:
    assert original_name(name) is None


@pytest.fixture
def conflicted(home: Home) -> tuple[Home, Client]:
    ana = create_client(home, "Ana Pérez", 45, date(2026, 1, 1))
    copy = ana.path.with_name("client (conflicted copy 2026-11-20).toml")
    copy.write_text(ana.path.read_text().replace("values = []", 'values = ["freedom"]'))
    session = home.sessions_dir(ana.slug) / "2026-11-20T1000.md"
    session.parent.mkdir()
    session.write_text("+++\nclient = 'ana-perez'\n+++\n## Notes\n\n- [00:00:01] mine\n")
    (session.parent / "2026-11-20T1000.sync-conflict-20261120-1-X.md").write_text("+++\nclient = 'ana-perez'\n+++\n## Notes\n\n- [00:00:01] theirs\n")
    (home.prompts_dir).mkdir()
    (home.prompts_dir / "mine.sync-conflict-1-2-X.toml").write_text("[pack]\n")
    return home, ana


def test_every_copy_is_paired_and_none_counts_as_a_session_or_client(conflicted: tuple[Home, Client]) -> None:
    home, ana = conflicted
    pairs = {(c.original.name, c.copy.name) for c in find_conflicts(home)}
    assert pairs == {
        ("client.toml", "client (conflicted copy 2026-11-20).toml"),
        ("2026-11-20T1000.md", "2026-11-20T1000.sync-conflict-20261120-1-X.md"),
        ("mine.toml", "mine.sync-conflict-1-2-X.toml"),
    }
    assert [p.name for p in session_paths(home, ana.slug)] == ["2026-11-20T1000.md"]
    assert [e.slug for e in list_clients(home)] == [ana.slug]


def test_keeping_either_side_keeps_the_other_in_the_history(conflicted: tuple[Home, Client]) -> None:
    home, ana = conflicted
    by_name = {c.original.name: c for c in find_conflicts(home)}
    client, session = by_name["client.toml"], by_name["2026-11-20T1000.md"]
    theirs, mine = client.copy.read_bytes(), client.original.read_bytes()
    keep_copy(home, client)
    assert ana.path.read_bytes() == theirs and not client.copy.exists()
    assert list_versions(home, ana.path)[0].path.read_bytes() == mine
    copy_text = session.copy.read_bytes()
    keep_original(home, session)
    assert "mine" in session.original.read_text() and not session.copy.exists()
    assert list_versions(home, session.original)[0].path.read_bytes() == copy_text
    assert [c.original.name for c in find_conflicts(home)] == ["mine.toml"], "the pack's copy waits for the coach"


def test_a_resolution_that_cannot_be_made_fails_as_one_save_failed(conflicted: tuple[Home, Client], monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen runs it through the one funnel, which catches only the core's error family: a copy gone
    meanwhile, or a folder the system refuses, must arrive as SaveFailed, never as a raw OSError."""
    home, _ = conflicted
    by_name = {c.original.name: c for c in find_conflicts(home)}
    client, session = by_name["client.toml"], by_name["2026-11-20T1000.md"]
    client.copy.unlink()
    with pytest.raises(SaveFailed, match="copy"):
        keep_copy(home, client)

    def refused(path: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("sessionpal.core.conflicts.fsio.exclusive", refused)
    with pytest.raises(SaveFailed, match="could not resolve 2026-11-20T1000.md: Permission denied"):
        keep_original(home, session)
    assert session.copy.exists(), "nothing was given up"
