"""Version history, erase and retention: what a coach answers for about their records."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest

from sessionpal.core import pack_edit
from sessionpal.core.clients import create_client, edit_client, list_clients, load_client, set_values
from sessionpal.core.export import export_client
from sessionpal.core.goals import add_goal
from sessionpal.core.index import SearchIndex
from sessionpal.core.live import LiveSession
from sessionpal.core.lock import LOCK_FILE, Holder, Locked
from sessionpal.core.model import ActionState
from sessionpal.core.paths import Home
from sessionpal.core.records import AUDIT_LOG, erase_client, past_retention
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import set_action_state
from sessionpal.core.timer import FakeClock
from sessionpal.core.versions import KEEP, SHRINK_CHECK_FROM, WouldShrink, list_versions, restore, shrinking_allowed

from ..helpers import START, env_without_home

NOW = START


def finished_session(home: Home, slug: str, when: datetime, note: str = "!send the CV") -> LiveSession:
    clock = FakeClock(when)
    live = LiveSession(home, load_client(home.client_file(slug), slug), clock, FALLBACK_MODEL, 45)
    live.add_note(note)
    clock.advance(600)
    live.end()
    return live


def test_client_file_versions_are_kept_pruned_and_restored(home: Home) -> None:
    client = create_client(home, "Ana Pérez", 45, date(2026, 1, 1))
    states = [client.path.read_bytes()]
    for n in range(KEEP + 3):
        set_values(home, client.slug, [f"value {n}"])
        states.append(client.path.read_bytes())
    kept = list_versions(home, client.path)
    assert len(kept) == KEEP, "the last 20 only"
    assert kept[0].path.read_bytes() == states[-2], "version 1 is the one before the current file"
    assert all(oct(v.path.stat().st_mode & 0o777) == "0o600" for v in kept)
    current = client.path.read_bytes()
    restore(home, client.path, kept[4])
    assert client.path.read_bytes() == states[-6]
    assert list_versions(home, client.path)[0].path.read_bytes() == current, "the replaced file is kept too"


def test_a_finished_session_and_a_pack_keep_their_versions_but_a_running_session_does_not(home: Home) -> None:
    create_client(home, "Ana Pérez", 45, date(2026, 1, 1))
    live = finished_session(home, "ana-perez", NOW)
    assert live.path is not None
    assert list_versions(home, live.path) == [], "writes during the session are not versions"
    before = live.path.read_bytes()
    assert live.document is not None
    set_action_state(live.path, live.document.actions[0], ActionState.DONE)
    assert [v.path.read_bytes() for v in list_versions(home, live.path)] == [before]
    pack = pack_edit.new_pack(home, "mine", "Mine")
    original = pack.path.read_bytes()
    pack_edit.rename_pack(pack.path, "Mine, renamed")
    assert [v.path.read_bytes() for v in list_versions(home, pack.path)] == [original]


def test_a_rewrite_leaving_less_than_half_asks_first(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45, date(2026, 1, 1))
    for n in range(12):
        add_goal(home, ana.slug, f"A goal worded with care, number {n}", value="freedom")
    big = ana.path.read_bytes()
    assert len(big) > SHRINK_CHECK_FROM
    with pytest.raises(WouldShrink) as caught:
        edit_client(home, ana.slug, lambda document: document.pop("goals"))
    assert caught.value.before == len(big) and caught.value.before > 2 * caught.value.after
    assert ana.path.read_bytes() == big, "nothing written without a yes"
    with shrinking_allowed():
        edit_client(home, ana.slug, lambda document: document.pop("goals"))
    assert load_client(ana.path).goals == ()
    assert list_versions(home, ana.path)[0].path.read_bytes() == big, "and the big one is kept"


def test_erase_removes_every_file_versions_and_index_and_logs_only_date_and_slug(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45, date(2026, 1, 1))
    ben = create_client(home, "Ben Okafor", 45, date(2026, 1, 1))
    add_goal(home, ana.slug, "Leave the bank")
    live = finished_session(home, ana.slug, NOW, "!call her sister about the illness")
    assert live.path is not None
    assert live.document is not None
    set_action_state(live.path, live.document.actions[0], ActionState.DONE)  # so a version is kept
    assert list_versions(home, live.path)
    finished_session(home, ben.slug, NOW, "ben's words")
    index = SearchIndex(home)
    index.refresh()
    assert index.search("illness")
    erased = erase_client(home, ana.slug, NOW)
    assert erased.files >= 2 and not erased.in_git
    assert not home.client_dir(ana.slug).exists()
    assert not (home.root / ".versions" / "clients" / ana.slug).exists()
    assert [e.slug for e in list_clients(home)] == [ben.slug]
    index = SearchIndex(home)
    index.refresh()
    assert index.search("illness") == [] and index.search("ben's")
    day = NOW.date().isoformat()
    assert (home.root / AUDIT_LOG).read_text() == f"{day} erasing ana-perez\n{day} erased ana-perez\n", "begun, then done"
    leftovers = [p for p in home.root.rglob("*") if "illness" in (p.read_text(errors="replace") if p.is_file() else "")]
    assert leftovers == []


def test_erase_is_refused_while_another_sessionpal_holds_the_client(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45, date(2026, 1, 1))
    (home.client_dir(ana.slug) / LOCK_FILE).write_text(Holder("laptop", 4242, NOW).render())
    with pytest.raises(Locked):
        erase_client(home, ana.slug, NOW)
    assert ana.path.exists()


def test_retention_lists_clients_past_it_oldest_first(home: Home) -> None:
    for name, last in (
        ("Old Client", datetime(2016, 5, 1, 10, tzinfo=UTC)),
        ("Older", datetime(2015, 2, 1, 10, tzinfo=UTC)),
        ("Recent", NOW - timedelta(days=30)),
    ):
        client = create_client(home, name, 45, date(2014, 1, 1))
        finished_session(home, client.slug, last)
    create_client(home, "Never Seen", 45, date(2013, 1, 1))
    found = past_retention(home, 7, NOW.date())

    def day(last: date | None) -> str:
        assert last is not None
        return last.isoformat()

    assert [(p.entry.name, day(p.last)) for p in found] == [("Never Seen", "2013-01-01"), ("Older", "2015-02-01"), ("Old Client", "2016-05-01")]


def test_export_includes_the_kept_versions(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45, date(2026, 1, 1))
    set_values(home, ana.slug, ["freedom"])
    names = zipfile.ZipFile(io.BytesIO(export_client(home, ana.slug))).namelist()
    assert "ana-perez/client.toml" in names
    assert any(n.startswith("ana-perez/.versions/client.toml/") for n in names)
    assert not any(n.endswith(".lock") for n in names)


def run(*args: str, home: Home) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sessionpal", *args, "--home", str(home.root)], capture_output=True, text=True, env=env_without_home(), stdin=subprocess.DEVNULL
    )


def test_the_commands(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45, date(2026, 1, 1))
    set_values(home, ana.slug, ["freedom"])
    set_values(home, ana.slug, ["freedom", "family"])
    listed = run("versions", "clients/ana-perez/client.toml", home=home)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2
    current = ana.path.read_text()
    restored = run("restore", str(ana.path), "2", home=home)
    assert restored.returncode == 0 and "version 2 again" in restored.stdout
    assert "freedom" not in ana.path.read_text() and len(list_versions(home, ana.path)) == 3
    assert list_versions(home, ana.path)[0].path.read_text() == current
    assert run("restore", str(ana.path), "9", home=home).returncode == 1
    outside = run("versions", "/etc/passwd", home=home)
    assert outside.returncode == 1 and "is not a file in the data home" in outside.stderr
    assert run("retention", home=home).stderr.startswith("sessionpal: no retention period")
    asks = run("erase", "Ana Pérez", home=home)
    assert asks.returncode == 2 and "add --yes" in asks.stderr and ana.path.exists()
    (home.root / ".git").mkdir()
    erased = run("erase", "Ana Pérez", "--yes", home=home)
    assert erased.returncode == 0 and "Erased Ana Pérez" in erased.stdout
    assert "git filter-repo" in erased.stderr and not ana.path.exists()
