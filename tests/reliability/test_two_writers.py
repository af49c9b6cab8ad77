"""Two processes appending notes to the same session through the app's own code: none lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sessionpal.core.clients import create_client, load_client
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock

from ..helpers import REPO, env_without_home

WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from sessionpal.core.clients import load_client
    from sessionpal.core.live import LiveSession
    from sessionpal.core.paths import Home
    from sessionpal.core.session_models import FALLBACK_MODEL
    from sessionpal.core.sessions import read_session
    from sessionpal.core.timer import FakeClock

    root, session, who, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    home = Home(Path(root))
    document = read_session(session)
    client = load_client(home.client_file(document.info.client), document.info.client)
    live = LiveSession(home, client, FakeClock(datetime(2026, 11, 23, 10, 1, tzinfo=timezone.utc)), FALLBACK_MODEL, 45, document=document)
    sys.stdin.readline()  # start together
    for n in range(count):
        live.add_note(f"{who} {n}")
""")

COUNT = 500


def test_two_processes_appending_500_notes_each_give_exactly_1000(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    client = create_client(home, "Ana Pérez", 45, date(2026, 11, 1))
    live = LiveSession(home, load_client(client.path, client.slug), FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(0)))), FALLBACK_MODEL, 45)
    live.add_note("opening")
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = env_without_home() | {"PYTHONPATH": str(REPO / "src")}
    writers = [
        subprocess.Popen([sys.executable, str(script), str(home.root), str(live.path), who, str(COUNT)], stdin=subprocess.PIPE, env=env, text=True)
        for who in ("first", "second")
    ]
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    assert live.path is not None
    texts = [note.text for note in read_session(live.path).notes]
    assert len(texts) == 1 + 2 * COUNT
    for who in ("first", "second"):
        assert [t for t in texts if t.startswith(who)] == [f"{who} {n}" for n in range(COUNT)], "each writer's notes, all, in its order"
