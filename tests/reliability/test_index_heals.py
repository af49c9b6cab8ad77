"""The search index is derived data: damage, a kill mid-refresh, two builds at once or a second path to the
same home never leave the coach with "delete it"; it heals, with a one-line notice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

import pytest

from sessionpal.core.clients import create_client
from sessionpal.core.index import SearchIndex
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home
from sessionpal.core.records import erase_client
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import FakeClock

from ..cli.test_cli import run
from ..helpers import START, env_without_home


def practice(home: Home, clients: int = 3, sessions: int = 20) -> None:
    for c in range(clients):
        client = create_client(home, f"Client {c}", 45, date(2026, 1, 1))
        for s in range(sessions):
            clock = FakeClock(START - timedelta(days=7 * (s + 1)))
            live = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
            for n in range(6):
                clock.advance(60)
                live.add_note(f"courage note {n} of session {s} with client {c}")
            live.end()


@pytest.fixture
def big(home: Home) -> Home:
    practice(home)
    return home


def test_a_damaged_index_is_rebuilt_with_a_one_line_notice(big: Home) -> None:
    index = SearchIndex(big)
    index.refresh()
    expected = len(index.search("courage", limit=1000))
    data = bytearray(index.path.read_bytes())
    data[4096:8192] = os.urandom(4096)  # a torn page, as a power cut or a bad disk leaves
    index.path.write_bytes(bytes(data))
    result = run("search", "courage", home=big.root)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == min(expected, 100)
    assert "The search index was damaged" in result.stderr and "session files, which are untouched" in result.stderr
    again = run("search", "courage", home=big.root)
    assert again.returncode == 0 and "damaged" not in again.stderr, "healed once, for good"


def test_kill_9_during_a_refresh_never_leaves_a_broken_index(big: Home) -> None:
    env = env_without_home()
    rng = random.Random(7)
    for trial in range(8):
        # Change some sessions, so the next refresh has work to do, then kill it part way.
        for path in sorted((big.root / "clients").rglob("*.md"))[trial::8]:
            # Replaced, as sessionpal, sync tools and most editors write (an edit in place needs `search --full`).
            edited = path.with_name(".edit.tmp")
            edited.write_text(path.read_text().replace("courage note 0 ", f"courage marker{trial}x note 0 ", 1))
            os.replace(edited, path)
        process = subprocess.Popen(
            [sys.executable, "-m", "sessionpal", "--home", str(big.root), "search", "courage"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        result = run("search", f"marker{trial}x", home=big.root)
        assert result.returncode == 0, result.stderr
        assert "delete it" not in result.stderr
        changed = len(sorted((big.root / "clients").rglob("*.md"))[trial::8])
        assert len(result.stdout.splitlines()) == changed, "the refresh after the kill found every change"


def test_two_first_searches_at_once_build_one_index(big: Home) -> None:
    env = env_without_home()
    for _ in range(3):
        erase_client(big, "client-2", START)  # an erase deletes the cache: the next searches build it
        big_client = create_client(big, "Client 2", 45, date(2026, 1, 1))
        live = LiveSession(big, big_client, FakeClock(START), FALLBACK_MODEL, 45)
        live.add_note("courage, again")
        live.end()
        command = [sys.executable, "-m", "sessionpal", "--home", str(big.root), "search", "courage"]
        both = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [p.communicate(timeout=120) for p in both]
        assert [p.returncode for p in both] == [0, 0], [err for _, err in outputs]
        assert outputs[0][0] == outputs[1][0] and "[courage], again" in outputs[0][0]
        assert not any("cannot be used" in err or "damaged" in err for _, err in outputs)


def test_one_home_one_index_whatever_the_path_and_erase_clears_them_all(tmp_path: Path, clock: FakeClock) -> None:
    real = tmp_path / "real-home"
    real.mkdir()
    os.symlink(real, tmp_path / "link")
    (tmp_path / "real-home" / "sub").mkdir()
    by_link, by_dots, by_path = Home(tmp_path / "link"), Home(real / "sub" / ".."), Home(real)
    assert by_link.cache_dir == by_dots.cache_dir == by_path.cache_dir
    client = create_client(by_path, "Ana", 45, date(2026, 1, 1))
    live = LiveSession(by_path, client, clock, FALLBACK_MODEL, 45)
    live.add_note("a secret worth erasing")
    live.end()
    index = SearchIndex(by_link)
    index.refresh()
    assert index.search("secret")
    # An index an older version named from another spelling of the home's path, with its note.
    stray = by_path.cache_dir.parent / "0123456789ab"
    stray.mkdir()
    (stray / "index.sqlite3").write_bytes(index.path.read_bytes())
    (stray / "home.txt").write_text(os.path.realpath(real))
    erase_client(by_dots, client.slug, clock.now())
    assert not by_path.cache_dir.exists() and not stray.exists(), "no index of this home keeps the erased client's words"


def test_an_export_killed_mid_write_leaves_no_copy_of_the_notes_behind(big: Home, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    orphan = out / ".sessionpal-client-0.zip.999999999.abcd1234.tmp"  # a dead writer's temp file
    orphan.write_bytes(b"PK every note")
    result = run("export", "client-0", "--out", str(out / "client-0.zip"), home=big.root)
    assert result.returncode == 0 and (out / "client-0.zip").exists()
    assert not orphan.exists()


def test_an_erase_cut_short_still_leaves_its_line(big: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from sessionpal.core import fsio
    from sessionpal.core.records import AUDIT_LOG

    def power_cut(folder: Path, *args: object, **kwargs: object) -> NoReturn:
        raise fsio.WriteError(folder, "the machine went down")

    monkeypatch.setattr(fsio, "remove_tree", power_cut)
    with pytest.raises(fsio.WriteError):
        erase_client(big, "client-1", START)
    assert (big.root / AUDIT_LOG).read_text().endswith("erasing client-1\n"), "begun, and it says so"
