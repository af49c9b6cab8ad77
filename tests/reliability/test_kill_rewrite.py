"""kill -9 while client.toml or a pack is being rewritten: the file is byte for byte the old or the new one.

A child process flips a client's session model and a pack question's text between
two values as fast as it can, through the same core calls the app makes; the
parent kills it at random moments. Every file on disk must then be exactly one of
the two versions the child could have written, never a mix, never empty.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from sessionpal.core.clients import create_client, set_model
from sessionpal.core.pack_edit import add_question, edit_question, new_pack, user_pack_path
from sessionpal.core.paths import Home

CHILD = r"""
import sys
from pathlib import Path
from sessionpal.core.clients import set_model
from sessionpal.core.pack_edit import edit_question
from sessionpal.core.paths import Home

home, pack = Home(Path(sys.argv[1])), Path(sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    set_model(home, "ana", ("grow", "check-in")[n % 2])
    edit_question(pack, "first", text=("What matters most?", "What would make this worth it?")[n % 2])
    n += 1
"""

TRIALS = 200 if os.environ.get("SESSIONPAL_LONG") else 15


def versions(home: Home, pack_path: Path, client_path: Path) -> tuple[set[bytes], set[bytes]]:
    """Every version the child can leave: the files after each of its two states."""
    clients, packs = set(), set()
    for model, text in (("grow", "What matters most?"), ("check-in", "What would make this worth it?")):
        set_model(home, "ana", model)
        edit_question(pack_path, "first", text=text)
        clients.add(client_path.read_bytes())
        packs.add(pack_path.read_bytes())
    return clients, packs


@pytest.mark.slow
def test_kill_9_mid_rewrite_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    client = create_client(home, "Ana", 45, date(2026, 11, 23))
    pack = new_pack(home, "mine", "Mine")
    pack_path = user_pack_path(home, pack)
    add_question(pack_path, "What matters most?", question_id="first")
    client_versions, pack_versions = versions(home, pack_path, client.path)
    assert len(client_versions) == 2 and len(pack_versions) == 2
    rng = random.Random(4)
    for _ in range(TRIALS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(home.root), str(pack_path)], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.3))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert client.path.read_bytes() in client_versions
        assert pack_path.read_bytes() in pack_versions
    leftovers = [p.name for p in (*client.path.parent.iterdir(), *pack_path.parent.iterdir()) if p.name.endswith(".tmp")]
    # What a kill leaves is a temp file of a dead process: the app's next start removes it (test_kill.py).
    assert all(name.startswith(".sessionpal-") for name in leftovers)
