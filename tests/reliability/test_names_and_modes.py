"""Hostile client names and any umask, through a whole practice: clients, sessions, exports.

Nothing escapes the data home, no client overwrites another, and every folder is 0700 and
every file 0600, the temp files of atomic writes and the exports included.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from sessionpal.core.clients import ClientEditError, create_client, find_client, list_clients, load_client
from sessionpal.core.goals import add_goal
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import FakeClock

from ..helpers import env_without_home

NFC = unicodedata.normalize("NFC", "Zoë Brontë")
NFD = unicodedata.normalize("NFD", "Zoë Brontë")
HOSTILE = ["../x", "a/b", "..", "CON", "nul", "trailing.", "x" * 199, NFC, NFD, "Ana", "ANA", "ana", ".hidden", "a\\b", "~root"]


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.lstat().st_mode) for p in root.rglob("*")}


@pytest.mark.parametrize("umask", [0o000, 0o077])
def test_hostile_names_and_any_umask_through_a_whole_practice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: int) -> None:
    home = Home(tmp_path / "home")
    temp_modes: list[int] = []
    real_replace = os.replace

    def replace_watching(src: str | os.PathLike[str], dst: str | os.PathLike[str], *args: Any, **kwargs: Any) -> None:
        temp_modes.append(stat.S_IMODE(os.stat(src).st_mode))  # the temp file, before it is renamed
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("sessionpal.core.fsio.os.replace", replace_watching)
    old = os.umask(umask)
    try:
        created = [create_client(home, name, 45, date(2026, 11, 1)) for name in HOSTILE]
        with pytest.raises(ClientEditError):
            create_client(home, "y" * 300)
        clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1))))
        for client in created:
            add_goal(home, client.slug, f"A goal of {client.name}"[:200])
            live = LiveSession(home, load_client(client.path, client.slug), clock, FALLBACK_MODEL, 45)
            clock.advance(60)
            live.add_note(f"note for {client.name}")
            live.add_note("+shared with the client")
            clock.advance(600)
            live.end()
        env = env_without_home()
        out = tmp_path / "out"
        out.mkdir(mode=0o755)
        os.chmod(out, 0o755)
        cli = [sys.executable, "-m", "sessionpal"]
        last = created[0]
        for args in (
            ["export", last.slug, "--out", str(out / "client.zip")],
            ["log", "icf", "--out", str(out / "icf.csv")],
            ["export-session", str(next(home.sessions_dir(last.slug).iterdir())), "--share", "--out", str(out / "share.md")],
        ):
            result = subprocess.run([*cli, *args, "--home", str(home.root)], capture_output=True, text=True, env=env)
            assert result.returncode == 0, result.stderr
    finally:
        os.umask(old)

    # Nothing escaped: every client's folder sits directly in clients/, and each is its own.
    slugs = [c.slug for c in created]
    assert len(set(slugs)) == len(HOSTILE), slugs
    assert all(c.path.resolve().parent.parent == home.clients_dir.resolve() for c in created)
    assert sorted(p.name for p in home.root.iterdir()) == [".versions", "clients"]
    assert sorted(e.slug for e in list_clients(home)) == sorted(slugs)
    for client in created:
        assert load_client(client.path, client.slug).name == client.name, "no client overwrote another"
        assert find_client(home, client.slug).slug == client.slug
    # Every mode, whatever the umask.
    wrong = {name: oct(mode) for name, mode in modes(home.root).items() if mode != (0o700 if (home.root / name).is_dir() else 0o600)}
    assert wrong == {}
    assert {name: oct(mode) for name, mode in modes(out).items()} == {"client.zip": "0o600", "icf.csv": "0o600", "share.md": "0o600"}
    assert temp_modes and set(temp_modes) == {0o600}, "temp files are 0600 from their first byte"
