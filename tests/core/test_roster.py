"""The roster: the client list's memory of each client's folders, trusted only while nothing in them moved."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest

from sessionpal.core import roster
from sessionpal.core.clients import create_client, list_clients
from sessionpal.core.conflicts import find_conflicts
from sessionpal.core.paths import Home

SESSION = "+++\nclient = 'ana-perez'\nstarted = 2026-11-{day}T10:00:00+00:00\ntimer = '{timer}'\n+++\n\n## Notes\n"


@pytest.fixture
def listed(home: Home, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every folder the roster lists; its folders are trusted at once (no two-second wait in a test)."""
    monkeypatch.setattr(roster, "TRUSTED_AFTER_NS", 0)
    calls: list[str] = []
    real = roster._list

    def counting(sessions: str, client: str, *stamps: int) -> roster.Folders:
        calls.append(Path(client).name)
        return real(sessions, client, *stamps)

    monkeypatch.setattr(roster, "_list", counting)
    return calls


def write_session(home: Home, name: str, timer: str = "ended") -> Path:
    path = home.sessions_dir("ana-perez") / name
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    temp.write_text(SESSION.format(day=name[8:10], timer=timer))
    os.replace(temp, path)  # as every writer does: a rename, which moves the folder's mtime
    return path


BUMPS = iter(range(1, 10**6))


def bump(path: Path) -> None:
    """An mtime surely unlike any seen before (some file systems keep coarse times), and in the past."""
    os.utime(path, ns=(time.time_ns(), time.time_ns() - 10**12 + next(BUMPS) * 10**9))


def test_an_unchanged_home_is_listed_from_memory(home: Home, listed: list[str]) -> None:
    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    create_client(home, "Ben Okafor", 60, date(2026, 9, 1))
    write_session(home, "2026-11-02T1000.md")
    first = list_clients(home)
    assert sorted(listed) == ["ana-perez", "ben-okafor"] and (home.cache_dir / roster.NAME).exists()
    listed.clear()
    again = list_clients(home)
    assert listed == [], "nothing moved: no folder listed"
    assert [(e.slug, e.last_session, e.left_open) for e in again] == [(e.slug, e.last_session, e.left_open) for e in first]
    assert again[0].last_session == "2026-11-02T1000.md"


def test_a_new_session_an_edit_in_place_and_an_erased_client_are_seen(home: Home, listed: list[str]) -> None:
    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    create_client(home, "Ben Okafor", 60, date(2026, 9, 1))
    write_session(home, "2026-11-02T1000.md")
    list_clients(home)
    listed.clear()
    newest = write_session(home, "2026-11-09T1000.md", timer="running")
    bump(newest.parent)
    entries = {e.slug: e for e in list_clients(home)}
    assert listed == ["ana-perez"] and entries["ana-perez"].last_session == newest.name
    assert entries["ana-perez"].left_open == "unfinished"
    listed.clear()
    text = newest.read_text().replace("timer = 'running'", "timer = 'ended'  ")
    with open(newest, "r+") as file:  # an editor saving in place: the folder's mtime stays
        file.write(text)
    bump(newest)
    assert list_clients(home)[0].left_open == "" and listed == ["ana-perez"]
    for path in sorted(home.client_dir("ben-okafor").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    home.client_dir("ben-okafor").rmdir()
    assert [e.slug for e in list_clients(home)] == ["ana-perez"]
    assert "ben-okafor" not in (home.cache_dir / roster.NAME).read_text(), "an erased client is forgotten"


def test_a_damaged_roster_is_read_as_none(home: Home, listed: list[str]) -> None:
    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    write_session(home, "2026-11-02T1000.md")
    list_clients(home)
    for damage in (b"{not json", b'{"version": 1, "clients": {"ana-perez": {"bogus": 1}}}', b'{"version": 99}', b"[]"):
        (home.cache_dir / roster.NAME).write_bytes(damage)
        listed.clear()
        assert list_clients(home)[0].last_session == "2026-11-02T1000.md"
        assert listed == ["ana-perez"], damage


def test_conflict_copies_come_from_the_roster_and_follow_the_folders(home: Home, listed: list[str]) -> None:
    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    original = write_session(home, "2026-11-02T1000.md")
    assert find_conflicts(home) == []
    copy = original.with_name("2026-11-02T1000.sync-conflict-20261102-101010-ABC.md")
    copy.write_text("copy")
    bump(copy.parent)
    listed.clear()
    [conflict] = find_conflicts(home)
    assert (conflict.original, conflict.copy) == (original, copy) and listed == ["ana-perez"]
    listed.clear()
    assert len(find_conflicts(home)) == 1 and listed == [], "remembered while nothing moved"
    copy.unlink()
    bump(copy.parent)
    assert find_conflicts(home) == []


def test_a_folder_changed_just_now_is_not_trusted(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster, "TRUSTED_AFTER_NS", 3600 * 10**9)
    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    write_session(home, "2026-11-02T1000.md")
    list_clients(home)
    remembered = roster.Roster(home).clients["ana-perez"]
    assert remembered.sessions_mtime == 0, "changed within the hour: listed again next time"


def test_one_roster_shared_by_several_looks_lists_each_folder_once(home: Home, listed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The client list's worker asks three times (sync copies, its first screen, everyone): one look each."""
    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    write_session(home, "2026-11-02T1000.md")
    looks: list[str] = []
    real = roster._mtime

    def counted(path: str) -> int:
        looks.append(path)
        return real(path)

    monkeypatch.setattr(roster, "_mtime", counted)
    shared = roster.Roster(home)
    find_conflicts(home, shared)
    list_clients(home, first=60, roster=shared)
    list_clients(home, roster=shared)
    assert len(looks) == 2 and listed == ["ana-perez"], "the sessions folder and the client's folder, once"


def test_a_roster_edited_by_someone_else_names_nothing_outside_the_client_s_folder(home: Home, listed: list[str]) -> None:
    """The cache is derived data: what it says of a folder is taken only as names in that folder."""
    import json

    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    write_session(home, "2026-11-02T1000.md")
    list_clients(home)
    path = home.cache_dir / roster.NAME
    data = json.loads(path.read_text())
    for hostile in (
        {"copies": ["../../../etc/passwd (conflicted copy 2026-11-02)"]},
        {"copies": "sessions/x.sync-conflict-1.md"},
        {"last": "../../outside.md"},
        {"days": ["not a day"]},
        {"days": 7},
        {"last_stamp": [1, 2, 3]},
    ):
        data["clients"]["ana-perez"].update(hostile)
        path.write_text(json.dumps(data))
        listed.clear()
        assert find_conflicts(home) == [] and list_clients(home)[0].last_session == "2026-11-02T1000.md", hostile
        assert listed == ["ana-perez"], "a hostile entry is listed again, as if it were not there"
        data = json.loads(path.read_text())
