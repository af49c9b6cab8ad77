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
    """Every (session file, rowid past its first line, word, position) the table's index holds (a row a session,
    so 0): its rowids made into files."""
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


# --- a search finds the sessions that hold its words, then the lines that hold them all ------------------------------


def test_words_on_two_lines_of_one_session_make_no_hit(practice: Home) -> None:
    """`lines` holds a row a session: its lines joined, so "half" ending one line and "plain" starting the next
    are neighbours there, and the session matches. The lines themselves are looked at after."""
    index = SearchIndex(practice)
    index.refresh()
    assert shown(index, "half") and shown(index, "plain"), "each word on its own line"
    assert shown(index, '"half plain"') == [] and shown(index, "half plain") == []
    assert shown(index, "马拉松 plain") == [], "a word without spaces and another, on two lines"
    both = shown(index, "马拉松 half")
    assert len(both) == 8 and {text for _, _, text, _ in both} == {"马拉松 and a half"}
    assert [h.text for h in index.search("words 5")] == [f"plain words 5 {s}" for s in range(4) for _ in range(2)]


def test_the_newest_hits_whatever_the_sessions_looked_at_a_time(practice: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    index = SearchIndex(practice)
    index.refresh()
    queries = ("cafe", "plain", "马拉松", "send", "words", "caf", "said")
    everything = {query: index.search(query) for query in queries}
    for query, hits in everything.items():
        assert hits, query
        order = [(-(h.started.timestamp() if h.started else 0), str(h.path), -(h.stamp or 0)) for h in hits]
        assert order == sorted(order), f"{query}: newest session first, its last line first"
    monkeypatch.setattr("sessionpal.core.index.FIRST_SESSIONS", 1)
    monkeypatch.setattr("sessionpal.core.index.MOST_SESSIONS", 2)
    for query, hits in everything.items():
        assert index.search(query) == hits, query
        for limit in (1, 3, 5):
            assert index.search(query, limit=limit) == hits[:limit], (query, limit)
    assert index.search("cafe", client="client-1") == [h for h in everything["cafe"] if h.client == "client-1"] != []


# --- a word typed as the start of words: looked up in `terms`, asked of FTS5 as the words it stands for -----------


def vocabulary(index: SearchIndex, table: str = "lines") -> set[str]:
    with sqlite3.connect(index.path) as connection:
        connection.execute(f"CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, {table}, 'row')")
        return {term for (term,) in connection.execute("SELECT term FROM temp.vocab")}


def terms_of(index: SearchIndex) -> tuple[set[str], int]:
    with sqlite3.connect(index.path) as connection:
        terms = {term for (term,) in connection.execute("SELECT term FROM terms")}
        return terms, connection.execute("SELECT complete FROM terms_complete").fetchone()[0]


def set_complete(index: SearchIndex, complete: int) -> None:
    with sqlite3.connect(index.path) as connection:
        connection.execute("UPDATE terms_complete SET complete = ?", (complete,))


def shown(index: SearchIndex, query: str) -> list[tuple[Path, int | None, str, str]]:
    return [(h.path, h.stamp, h.text, h.marked) for h in index.search(query)]


@pytest.mark.parametrize("from_files", [True, False], ids=["words-of-the-files-read", "words-from-lines-at-the-end"])
def test_every_start_of_a_word_finds_what_fts5s_own_prefix_query_finds(practice: Home, monkeypatch: pytest.MonkeyPatch, from_files: bool) -> None:
    if not from_files:
        monkeypatch.setattr("sessionpal.core.index.TERMS_FROM_FILES", 0)  # as a build of more than 500 files does
    index = SearchIndex(practice)
    index.refresh()
    terms, complete = terms_of(index)
    assert complete == 1 and terms == vocabulary(index), "every word of `lines`, no other"
    typed = {term[:n] for term in terms for n in (1, 2, 3, len(term))} | {"CAFÉ", "Cafe", "josé", "re-sa", "cv 1", "send-the", "_", "café 学习", "nothing"}
    asked = {query: shown(index, query) for query in sorted(typed)}
    set_complete(index, 0)  # searches ask FTS5's way (its prefix query), as while `terms` is being filled
    for query, hits in asked.items():
        assert hits == shown(index, query), query
    assert asked["caf"] and asked["nothing"] == [] and asked["CAFÉ"] == asked["cafe"]


def test_a_few_files_read_again_add_their_words(practice: Home) -> None:
    index = SearchIndex(practice)
    index.refresh()
    clock = FakeClock(START)
    live = LiveSession(practice, create_client(practice, "Client 9", 45, date(2026, 9, 1)), clock, FALLBACK_MODEL, 45)
    clock.advance(60)
    live.add_note("The zebrafish idea, and Übermut")
    live.end()
    assert shown(index, "zebra") == [], "not indexed yet: the session was never looked at"
    assert index.refresh().indexed == 1
    terms, complete = terms_of(index)
    assert complete == 1 and {"zebrafish", "ubermut"} <= terms and terms == vocabulary(index)
    assert [h.marked for h in index.search("zebra")] == ["The \x01zebrafish\x02 idea, and Übermut"]
    assert [h.marked for h in index.search("uber")] == ["The zebrafish idea, and \x01Übermut\x02"]


def test_a_refresh_stopped_midway_leaves_searches_right_and_the_next_one_fills_the_words(practice: Home) -> None:
    index = SearchIndex(practice)
    index.refresh()
    expected = shown(index, "caf")
    with sqlite3.connect(index.path) as connection:
        connection.execute("DELETE FROM terms")  # a large refresh killed after its first batches
        connection.execute("UPDATE terms_complete SET complete = 0")
    assert shown(index, "caf") == expected, "FTS5's own prefix query meanwhile"
    assert index.refresh(full=False).indexed == 0
    terms, complete = terms_of(index)
    assert complete == 1 and terms == vocabulary(index)
    assert shown(index, "caf") == expected


def test_an_index_a_version_before_is_brought_up_to_date_in_place_where_it_can_be(practice: Home) -> None:
    """18 kept each folder's latest session beside its mtime; 19 does not: the folders' rows are kept as they were,
    so the next quick refresh trusts them at once, and no session file is read again."""
    index = SearchIndex(practice)
    index.refresh()
    expected = shown(index, "jos")
    with sqlite3.connect(index.path) as connection:
        folders = connection.execute("SELECT * FROM folders ORDER BY client").fetchall()
        connection.executescript(
            """CREATE TABLE old (client TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, files INTEGER NOT NULL,
                latest TEXT NOT NULL, latest_mtime_ns INTEGER NOT NULL, latest_size INTEGER NOT NULL);
            INSERT INTO old SELECT client, mtime_ns, files, 'a path', 1, 2 FROM folders;
            DROP TABLE folders; ALTER TABLE old RENAME TO folders; PRAGMA user_version = 18;"""
        )
    assert index.refresh(full=False).indexed == 0, "brought up to date in place: no file read again"
    assert not index.rebuilt
    with sqlite3.connect(index.path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (19,)
        assert connection.execute("SELECT * FROM folders ORDER BY client").fetchall() == folders != []
    assert shown(index, "jos") == expected != []


def test_an_index_of_a_row_a_line_is_built_again_once(practice: Home) -> None:
    """Version 17 held a row of `lines` a line: its rows cannot be made a row a session in place."""
    index = SearchIndex(practice)
    index.refresh()
    expected = shown(index, "cafe")
    with sqlite3.connect(index.path) as connection:
        connection.execute("PRAGMA user_version = 17")
    assert index.refresh().indexed == 8, "every session file read again"
    assert index.refresh().indexed == 0, "and only once"
    assert shown(index, "cafe") == expected != []


def test_an_index_holds_everyone_once_every_client_folder_was_looked_at(practice: Home) -> None:
    """A session screen's look builds one client's part of a new index: everyone's review shows that part as the
    whole practice only once the rest is in (found by a coach's look: "all clients" listed one client's sessions)."""
    index = SearchIndex(practice)
    assert not index.holds_everyone(None) and not index.holds_everyone("client-0"), "no index yet"
    index.refresh(client="client-0")
    assert index.holds_everyone("client-0") and not index.holds_everyone("client-1") and not index.holds_everyone(None)
    index.refresh()
    assert index.holds_everyone(None) and index.holds_everyone("client-1")
    create_client(practice, "Client 9", 45, date(2026, 9, 1))
    assert not index.holds_everyone(None), "a client added since"
    index.refresh()
    assert index.holds_everyone(None)
    index.path.unlink()
    index.path.symlink_to(practice.root / "elsewhere.sqlite3")
    assert not index.holds_everyone(None), "never read through a link"
