"""A real full disk (a 256 KiB tmpfs) and a real read-only data home (a read-only bind mount).

Both need a private mount namespace (`unshare -rm`, no root needed where user namespaces are
allowed); where the machine refuses one, the tests are skipped and the injected-error tests in
tests/core/test_fsio.py and tests/ui/test_session_flow.py still cover the same paths.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ..helpers import REPO, env_without_home


def namespaces_work() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "mount", "-t", "tmpfs", "tmpfs", "/mnt"], capture_output=True)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not namespaces_work(), reason="needs a private mount namespace (unshare -rm)")


def in_namespace(tmp_path: Path, script: str) -> dict[str, Any]:
    """Run a Python script as root of its own mount namespace; it prints one JSON object."""
    source = tmp_path / "script.py"
    source.write_text(textwrap.dedent(script), encoding="utf-8")
    env = env_without_home() | {"PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(["unshare", "-rm", sys.executable, str(source), str(tmp_path)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_a_full_disk_keeps_the_file_and_the_note_and_a_retry_saves_it(tmp_path: Path) -> None:
    found = in_namespace(
        tmp_path,
        """
        import json, os, subprocess, sys
        from datetime import datetime, timedelta, timezone
        from pathlib import Path
        from sessionpal.core.clients import create_client, load_client
        from sessionpal.core.goals import add_goal
        from sessionpal.core.live import LiveSession
        from sessionpal.core.paths import Home
        from sessionpal.core.saving import SaveFailed
        from sessionpal.core.session_models import FALLBACK_MODEL
        from sessionpal.core.timer import FakeClock

        root = Path(sys.argv[1]) / "disk"
        root.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(root)], check=True)
        home = Home(root / "home")
        client = create_client(home, "Ana Pérez", 45)
        clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1))))
        live = LiveSession(home, load_client(client.path, client.slug), clock, FALLBACK_MODEL, 45)
        for n in range(20):
            clock.advance(30)
            live.add_note(f"note {n}: " + "ñ" * 200)
        session, before = live.path, live.path.read_bytes()
        client_before = client.path.read_bytes()

        # Fill what is left of the disk.
        filler = root / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        for size in (4096, 1):  # then byte by byte, so not one byte is left
            try:
                while os.write(fd, b"x" * size):
                    pass
            except OSError:
                pass
        os.close(fd)
        errors = []
        clock.advance(30)
        try:
            live.add_note("said during the full disk")
        except SaveFailed as error:
            errors.append(str(error))
        try:
            add_goal(home, client.slug, "A goal while the disk is full")
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
        intact = session.read_bytes() == before and client.path.read_bytes() == client_before
        waiting = [note.text for note in live.pending]
        temp = [p.name for p in root.rglob("*.tmp")]

        filler.unlink()
        saved = [note.text for note in live.flush()]
        on_disk = "said during the full disk" in session.read_text()
        print(json.dumps(dict(errors=errors, intact=intact, waiting=waiting, temp=temp, saved=saved, on_disk=on_disk)))
    """,
    )
    assert found["errors"][0].endswith("the disk is full")
    assert "the disk is full" in found["errors"][1]
    assert found["intact"], "the session file and client.toml are as they were before the full disk"
    assert found["waiting"] == ["said during the full disk"], "the note stays in memory"
    assert found["temp"] == [], "no half-written temp file is left behind"
    assert found["saved"] == ["said during the full disk"] and found["on_disk"]


def test_a_read_only_home_is_explained_and_nothing_is_written(tmp_path: Path) -> None:
    found = in_namespace(
        tmp_path,
        """
        import hashlib, json, os, subprocess, sys
        from pathlib import Path
        from sessionpal.core.clients import create_client
        from sessionpal.core.paths import Home

        home = Home(Path(sys.argv[1]) / "home")
        create_client(home, "Ana Pérez", 45)
        subprocess.run(["mount", "--bind", str(home.root), str(home.root)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(home.root)], check=True)

        def tree():
            return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir" for p in sorted(home.root.rglob("*"))}

        before = tree()
        cli = [sys.executable, "-m", "sessionpal", "--home", str(home.root)]
        app = subprocess.run(cli + ["--client", "Ana"], capture_output=True, text=True)
        listing = subprocess.run([sys.executable, "-m", "sessionpal", "clients", "--home", str(home.root)], capture_output=True, text=True)
        print(json.dumps(dict(code=app.returncode, stderr=app.stderr, listing=listing.stdout, listed=listing.returncode, same=tree() == before)))
    """,
    )
    assert found["code"] == 1
    assert "is read-only, so notes could not be saved; choose another with --home DIR" in found["stderr"]
    assert "Traceback" not in found["stderr"]
    assert found["listed"] == 0 and "Ana Pérez" in found["listing"], "reading still works"
    assert found["same"], "nothing in the home was written"
