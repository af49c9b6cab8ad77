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
from sessionpal.core.model import Client
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


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every client file read whole while listing (its cards trusted at once, as the folders are)."""
    from sessionpal.core import clients

    monkeypatch.setattr(roster, "TRUSTED_AFTER_NS", 0)
    calls: list[str] = []
    real = clients.load_client

    def counting(path: Path, slug: str = "") -> Client:
        calls.append(slug)
        return real(path, slug)

    monkeypatch.setattr(clients, "load_client", counting)
    return calls


def test_an_unchanged_client_file_is_listed_from_its_card(home: Home, parsed: list[str]) -> None:
    """2,000 clients listed without parsing 2,000 files: the card is trusted while client.toml is as it was."""
    from sessionpal.core.clients import set_engagement
    from sessionpal.core.model import Engagement

    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    create_client(home, "Ben Okafor", 60, date(2026, 9, 1))
    set_engagement(home, "ben-okafor", Engagement(8, date(2026, 12, 20)))
    bump(home.client_file("ben-okafor"))
    parsed.clear()
    first = {e.slug: e for e in list_clients(home, today=date(2026, 12, 10))}
    assert sorted(parsed) == ["ana-perez", "ben-okafor"]
    parsed.clear()
    again = {e.slug: e for e in list_clients(home, today=date(2026, 12, 10))}
    assert parsed == [], "nothing changed: no client file parsed"
    assert {s: (e.name, e.card, e.attention) for s, e in again.items()} == {s: (e.name, e.card, e.attention) for s, e in first.items()}
    assert again["ben-okafor"].attention == "engagement ends Sun 20 Dec", "the engagement comes from the card"
    assert again["ben-okafor"].client is not None and again["ben-okafor"].client.session_minutes == 60, "the whole client, when asked for"
    assert parsed == ["ben-okafor"]


def test_a_changed_or_broken_client_file_is_read_again(home: Home, parsed: list[str]) -> None:
    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    list_clients(home)
    toml = home.client_file("ana-perez")
    toml.write_text(toml.read_text(encoding="utf-8").replace("Ana Pérez", "Ana Pérez Ruiz"), encoding="utf-8")
    bump(toml)
    parsed.clear()
    [entry] = list_clients(home)
    assert entry.name == "Ana Pérez Ruiz" and parsed == ["ana-perez"]
    toml.write_text('name = "Ana\n', encoding="utf-8")
    bump(toml)
    [entry] = list_clients(home)
    assert entry.card is None and entry.client is None and entry.problems, "a broken file is listed broken, never from its old card"
    assert str(entry.problems[0]).startswith(str(toml))


def test_a_client_file_broken_after_listing_says_so_when_opened(home: Home, parsed: list[str]) -> None:
    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    list_clients(home)
    [entry] = list_clients(home)
    home.client_file("ana-perez").write_text("name = [", encoding="utf-8")
    assert entry.client is None and entry.card is None and entry.problems, "the card goes, the problems come"


def test_a_card_edited_by_someone_else_cannot_drive_the_terminal(home: Home, parsed: list[str]) -> None:
    import json

    create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    list_clients(home)
    path = home.cache_dir / roster.NAME
    data = json.loads(path.read_text())
    data["cards"]["ana-perez"]["name"] = "Ana\x1b]52;c;aGk=\x07"
    path.write_text(json.dumps(data))
    parsed.clear()
    [entry] = list_clients(home)
    assert entry.name == "Ana␛]52;c;aGk=␇" and parsed == []
    for hostile in (
        {"name": 7},
        {"name": ""},
        {"stamp": [1]},
        {"engagement": ["many", None, None, None]},
        {"engagement": [1, "soon", None, None]},
        {"calendar_names": "x"},
    ):
        data = json.loads(path.read_text())
        data["cards"]["ana-perez"].update(hostile)
        path.write_text(json.dumps(data))
        parsed.clear()
        [entry] = list_clients(home)
        assert entry.name == "Ana Pérez" and parsed == ["ana-perez"], hostile


def test_client_files_swapped_with_the_same_time_and_size_are_read_again(home: Home, parsed: list[str]) -> None:
    """A restore from an archive keeps mtimes; two files of one size swapped between folders kept their cards,
    and the list named each client with the other's name (an attacker's read): the inode tells them apart."""
    create_client(home, "Anna Lee", 45, date(2026, 9, 1))
    create_client(home, "Bobo Kim", 45, date(2026, 9, 1))
    first, second = home.client_file("anna-lee"), home.client_file("bobo-kim")
    first.write_text(first.read_text(encoding="utf-8").replace("Anna Lee", "Anna Lie"), encoding="utf-8")
    second.write_text(second.read_text(encoding="utf-8").replace("Bobo Kim", "Bobo Kym"), encoding="utf-8")
    assert first.stat().st_size == second.stat().st_size
    stamp = time.time_ns() - 10**12
    for path in (first, second):
        os.utime(path, ns=(stamp, stamp))
    assert {e.slug: e.name for e in list_clients(home)} == {"anna-lee": "Anna Lie", "bobo-kim": "Bobo Kym"}
    held = first.read_bytes()
    first.write_bytes(second.read_bytes())
    second.write_bytes(held)
    os.rename(first, first.with_suffix(".tmp"))  # a new inode for each, as a restore makes
    os.rename(first.with_suffix(".tmp"), first)
    swapped = first.with_name("client.toml.new")
    swapped.write_bytes(first.read_bytes())
    os.replace(swapped, first)
    swapped = second.with_name("client.toml.new")
    swapped.write_bytes(second.read_bytes())
    os.replace(swapped, second)
    for path in (first, second):
        os.utime(path, ns=(stamp, stamp))
    parsed.clear()
    assert {e.slug: e.name for e in list_clients(home)} == {"anna-lee": "Bobo Kym", "bobo-kim": "Anna Lie"}
    assert sorted(parsed) == ["anna-lee", "bobo-kim"]
