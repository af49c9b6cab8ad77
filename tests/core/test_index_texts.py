"""The index keeps no copy of a line in its full-text tables (their text lives once, in `texts`): a line changed,
removed or added is forgotten and learnt exactly, so an index refreshed after any edits holds, word for word and
position for position, what an index built afresh from the same files holds."""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from sessionpal.core.clients import create_client
from sessionpal.core.index import SearchIndex
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import FakeClock

from ..helpers import START

NOTES = ["José said the café was noisy", "学习中文 every morning", "ฉันอยากวิ่งมาราธอน", "!send the CV", "马拉松 and a half", "plain words", '"I want to leave']


def postings(index: SearchIndex, table: str) -> Counter[tuple[str, int, str, int]]:
    """Every (session file, line number, word, position) the table's index holds: its rowids made into files."""
    with sqlite3.connect(index.path) as connection:
        connection.execute(f"CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, {table}, 'instance')")
        files = dict(connection.execute("SELECT first_line, path FROM files WHERE first_line IS NOT NULL"))
        blocks = sorted(files)
        found: Counter[tuple[str, int, str, int]] = Counter()
        for term, doc, offset in connection.execute("SELECT term, doc, offset FROM temp.vocab"):
            base = max(b for b in blocks if b <= doc)
            found[(files[base], doc - base, term, offset)] += 1
        return found


@pytest.fixture
def practice(home: Home) -> Home:
    for c in range(2):
        client = create_client(home, f"Client {c}", 45, date(2026, 9, 1))
        for s in range(4):
            clock = FakeClock(START - timedelta(days=7 * (s + 1) + c))
            live = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
            for n, text in enumerate(NOTES):
                clock.advance(60)
                live.add_note(f"{text} {n} {s}" if n % 2 else text)
            live.end()
    return home


def test_an_index_refreshed_after_edits_holds_what_a_fresh_one_holds(practice: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refreshed = SearchIndex(practice)
    refreshed.refresh()
    first, second, *_ = session_paths(practice, "client-0")
    first.write_text(first.read_text().replace("马拉松", "全程马拉松").replace("José said", "José said twice"))
    second.write_text(second.read_text().replace("ฉันอยากวิ่งมาราธอน", "plain again"))
    (session_paths(practice, "client-1")[0]).unlink()
    clock = FakeClock(START)
    live = LiveSession(practice, create_client(practice, "Client 9", 45, date(2026, 9, 1)), clock, FALLBACK_MODEL, 45)
    clock.advance(60)
    live.add_note("学习 again, at the café")
    live.end()
    assert refreshed.refresh().indexed == 3
    monkeypatch.setenv("SESSIONPAL_CACHE", str(tmp_path / "fresh-cache"))
    fresh = SearchIndex(Home(practice.root))
    assert fresh.path != refreshed.path
    fresh.refresh()
    for table in ("lines", "spaceless"):
        held = postings(refreshed, table)
        assert held == postings(fresh, table), table
        assert any(word == "马" for _, _, word, _ in held) if table == "spaceless" else any(word == "twice" for _, _, word, _ in held)
    for query in ("cafe", "马拉松", "全程", "วิ่ง", "plain", '"said twice"', "send", "学习 cafe"):
        shown = [(h.path, h.stamp, h.text, h.marked) for h in refreshed.search(query)]
        assert shown == [(h.path, h.stamp, h.text, h.marked) for h in fresh.search(query)], query
    assert "全程\x01马拉松\x02 and a half" in {h.marked for h in refreshed.search("马拉松")}
    assert refreshed.search("cafe")[0].marked == "学习 again, at the \x01café\x02"
    assert os.stat(refreshed.path).st_size > 0
