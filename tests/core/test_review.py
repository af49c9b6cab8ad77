"""The search index, exports, the ICF log and the shared recap."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NoReturn

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionpal.core.clients import client_code, create_client, edit_client, load_client
from sessionpal.core.conflicts import conflict_copies
from sessionpal.core.export import export_client, icf_csv, icf_log, share_recap
from sessionpal.core.index import SearchIndex
from sessionpal.core.index_types import SearchQuery
from sessionpal.core.live import LiveSession
from sessionpal.core.model import ActionState, Client
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import set_action_state
from sessionpal.core.timer import FakeClock

from ..helpers import START, present


def session(home: Home, client: Client, days_ago: int, notes: list[str], minutes: int = 50, **front: Any) -> Path:
    clock = FakeClock(START - timedelta(days=days_ago))
    live = LiveSession(home, client, clock, FALLBACK_MODEL, 60)
    live.start()
    for text in notes:
        clock.advance(60)
        live.add_note(text)
    if front:
        live.write_document(lambda d: d.set_front(**front))
    clock.advance(minutes * 60 - 60 * len(notes))
    live.end()
    assert live.path is not None
    return live.path


@pytest.fixture
def practice(home: Home) -> Home:
    ana = create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    li = create_client(home, "李雷", 60, date(2026, 9, 1))
    session(home, ana, 14, ["José said the café was noisy", '"I want to leave before the summer', "!send the CV draft"])
    session(home, ana, 7, ["she compared the offer with staying", "*the deadline is hers", "!book the physio"], minutes=45, pro_bono=True)
    session(home, li, 3, ["学习中文 every morning", "talked about the new café"], minutes=90)
    return home


def search(home: Home, query: str, client: str | None = None) -> list[tuple[str, str]]:
    index = SearchIndex(home)
    index.refresh()
    return [(h.client, h.text) for h in index.search(query, client)]


def test_search_words_prefixes_phrases_and_accents(practice: Home) -> None:
    assert search(practice, "jose") == [("ana-perez", "José said the café was noisy")]
    assert {c for c, _ in search(practice, "cafe")} == {"ana-perez", "李雷"}
    assert search(practice, "cafe", client="李雷") == [("李雷", "talked about the new café")]
    assert search(practice, "compar offer") == [("ana-perez", "she compared the offer with staying")]
    assert search(practice, '"leave before the summer"') == [("ana-perez", "I want to leave before the summer")]
    assert search(practice, '"before leave"') == []
    assert search(practice, "学习") == [("李雷", "学习中文 every morning")]
    assert search(practice, "deadline")[0][1] == "the deadline is hers"
    assert search(practice, "physio")[0][1] == "book the physio", "actions are searched too"
    for odd in ('"', "*", "NOT", "(", "AND OR", ":", "-"):
        search(practice, odd)  # never an error


def test_words_inside_scripts_written_without_spaces_are_found(home: Home) -> None:
    li = create_client(home, "李雷", 60, date(2026, 9, 1))
    session(home, li, 3, ["我想跑半程马拉松", "フルマラソンを走りたい", "ฉันอยากวิ่งมาราธอน", "Ana说她想跑步 every morning", "마라톤을 완주하고 싶다"])
    assert search(home, "马拉松") == [("李雷", "我想跑半程马拉松")], "a word in the middle of a line"
    assert search(home, "我想") == [("李雷", "我想跑半程马拉松")]
    assert {t for _, t in search(home, "想")} == {"我想跑半程马拉松", "Ana说她想跑步 every morning"}, "one character is enough"
    assert search(home, "マラソン") == [("李雷", "フルマラソンを走りたい")]
    assert search(home, "วิ่ง") == [("李雷", "ฉันอยากวิ่งมาราธอน")], "a Thai word with its vowel and tone marks"
    assert search(home, "마라톤") == [("李雷", "마라톤을 완주하고 싶다")], "a Korean word with its particle attached"
    assert search(home, "morn 跑步") == [("李雷", "Ana说她想跑步 every morning")], "words of both kinds, together"
    assert search(home, "跑 马拉松 ana") == [], "every word must match"
    assert search(home, "拉马") == [], "the characters in their order"
    assert search(home, "marathon") == []
    index = SearchIndex(home)
    assert index.search("马拉松")[0].marked == "我想跑半程\x01马拉松\x02"
    # A changed file leaves no trace of its old lines.
    path = session_paths(home, "李雷")[0]
    path.write_text(path.read_text().replace("马拉松", "全程"))
    index.refresh()
    assert search(home, "马拉松") == [] and search(home, "跑半程全程") == [("李雷", "我想跑半程全程")]


def test_results_come_newest_first_with_the_match_marked(practice: Home) -> None:
    index = SearchIndex(practice)
    index.refresh()
    hits = index.search("the")
    assert [h.started for h in hits] == sorted((present(h.started) for h in hits), reverse=True)
    hit = index.search("noisy")[0]
    assert hit.marked == "José said the café was \x01noisy\x02" and hit.stamp == 60 and hit.name == "Ana Pérez"


def test_fts_query_shapes() -> None:
    assert SearchQuery.parse('leave "the bank" now').lines == '"leave"* "the bank" "now"*'
    assert SearchQuery.parse('say "x"y').lines == '"say"* "x" "y"*'
    assert SearchQuery.parse("  ") == SearchQuery.parse('"') == SearchQuery("", "", ())
    mixed = SearchQuery.parse("Ana 马拉松 ฉันอยาก")
    assert (mixed.lines, mixed.spaceless) == ('"Ana"*', '"马 拉 松" "ฉั น อ ย า ก"')


def test_a_hand_edited_file_shows_up_after_a_refresh(practice: Home) -> None:
    path = session_paths(practice, "ana-perez")[0]
    assert search(practice, "lighthouse") == []
    path.write_text(path.read_text().replace("- [00:01:00] José said", "- [00:01:00] lighthouse! José said"))
    assert search(practice, "lighthouse") == [("ana-perez", "lighthouse! José said the café was noisy")]
    # the old wording is gone from the index, not found twice
    assert search(practice, "noisy") == [("ana-perez", "lighthouse! José said the café was noisy")]


def test_two_clients_with_a_session_in_the_same_minute_are_both_found(practice: Home) -> None:
    ana = session_paths(practice, "ana-perez")[0]
    ben = create_client(practice, "Ben", 60, date(2026, 9, 1))
    twin = practice.sessions_dir(ben.slug) / ana.name
    twin.parent.mkdir(parents=True, exist_ok=True)
    twin.write_text(ana.read_text().replace('client = "ana-perez"', 'client = "ben"'))
    assert sorted(search(practice, "noisy")) == [("ana-perez", "José said the café was noisy"), ("ben", "José said the café was noisy")]
    twin.write_text(twin.read_text().replace("noisy", "quiet"))
    assert search(practice, "noisy") == [("ana-perez", "José said the café was noisy")]


def test_refresh_reads_only_what_changed(practice: Home) -> None:
    index = SearchIndex(practice)
    first = index.refresh()
    assert (first.indexed, first.total) == (3, 3)
    assert index.refresh().indexed == 0
    path = session_paths(practice, "李雷")[0]
    path.write_text(path.read_text() + "\nA line of my own.\n")
    assert index.refresh().indexed == 1
    path.unlink()
    again = index.refresh()
    assert again.removed == 1 and search(practice, "学习") == []


def _age(folder: Path, seconds: float = 60) -> None:
    """Make a folder look last changed a while ago, as a folder untouched since yesterday's session does."""
    then = folder.stat().st_mtime - seconds
    os.utime(folder, (then, then))


def test_a_quick_refresh_trusts_a_client_folder_that_has_not_changed(practice: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sessionpal.core.index.RECENT_SESSIONS", 2)  # of the three: 李雷's and Ana's last
    index = SearchIndex(practice)
    index.refresh()
    for slug in ("ana-perez", "李雷"):
        _age(practice.sessions_dir(slug))
    index.refresh(full=False)  # records the folders' (now old) mtimes
    path = session_paths(practice, "李雷")[0]
    ana_last, ana_older = sorted(session_paths(practice, "ana-perez"), reverse=True)
    looked_at: list[str] = []
    real_stat = os.stat

    def watched_stat(path: Any, *args: Any, **kw: Any) -> os.stat_result:
        if str(path).endswith(".md"):
            looked_at.append(Path(path).name)
        return real_stat(path, *args, **kw)

    with monkeypatch.context() as watching:
        watching.setattr(os, "stat", watched_stat)
        quick = index.refresh(full=False)
    assert (quick.indexed, quick.total) == (0, 3)
    assert sorted(looked_at) == sorted([path.name, ana_last.name]), "a stat per client, and one per newest session"
    # Edited in place, the folder unchanged: the practice's newest sessions are looked at even so (those a coach
    # corrects by hand); an older one only by a full refresh.
    folder_before = practice.sessions_dir("李雷").stat().st_mtime_ns
    path.write_text(path.read_text().replace("every morning", "every morning by the harbour"))
    assert practice.sessions_dir("李雷").stat().st_mtime_ns == folder_before
    assert index.refresh(full=False).indexed == 1 and [h.client for h in index.search("harbour")] == ["李雷"]
    _age(practice.sessions_dir("ana-perez"))
    index.refresh(full=False)
    folder_before = practice.sessions_dir("ana-perez").stat().st_mtime_ns
    ana_older.write_text(ana_older.read_text().replace("the café", "the lighthouse café").replace("noisy", "noisy, the lighthouse"))
    assert practice.sessions_dir("ana-perez").stat().st_mtime_ns == folder_before
    assert index.refresh(full=False).indexed == 0 and index.search("lighthouse") == [], "an older session edited in place"
    assert index.refresh(full=True).indexed == 1 and len(index.search("lighthouse")) == 1
    ana_last.write_text(ana_last.read_text().replace("the offer", "the offer from the lighthouse"))
    assert practice.sessions_dir("ana-perez").stat().st_mtime_ns == folder_before
    assert index.refresh(full=False).indexed == 1 and len(index.search("lighthouse")) == 2, "Ana's last, among the newest"


def test_a_quick_refresh_sees_files_written_replaced_or_removed(practice: Home) -> None:
    index = SearchIndex(practice)
    index.refresh()
    ana = practice.sessions_dir("ana-perez")
    _age(ana)
    index.refresh(full=False)
    first, second = sorted(session_paths(practice, "ana-perez"), key=lambda p: "José" not in p.read_text())
    # Written as sessionpal and sync tools write: a new file renamed into place changes the folder.
    replacement = ana / ".edit.tmp"
    replacement.write_text(first.read_text().replace("the café", "the lighthouse café"))
    os.replace(replacement, first)
    assert index.refresh(full=False).indexed == 1 and len(index.search("lighthouse")) == 1
    second.unlink()
    assert index.refresh(full=False).removed == 1
    # A folder changed just now is listed again next time too: its mtime may not move for a second change.
    first.write_text(first.read_text().replace("lighthouse", "breakwater"))
    assert index.refresh(full=False).indexed == 1, "changed within the last two seconds: looked at again"
    assert len(index.search("breakwater")) == 1


def test_a_quick_refresh_forgets_an_erased_client(practice: Home) -> None:
    index = SearchIndex(practice)
    index.refresh(full=False)
    assert index.search("学习")
    import shutil

    shutil.rmtree(practice.client_dir("李雷"))
    assert index.refresh(full=False).removed == 1 and index.search("学习") == []


def test_one_clients_refresh_looks_at_their_files_only(practice: Home) -> None:
    index = SearchIndex(practice)
    assert index.refresh(client="李雷").total == 1
    assert [h.client for h in index.search("cafe")] == ["李雷"], "Ana's files are not read yet"
    assert index.refresh(client="ana-perez").indexed == 2
    assert index.refresh(client="李雷").indexed == 0, "and Ana's are not forgotten by Li's refresh"
    assert {h.client for h in index.search("cafe")} == {"ana-perez", "李雷"}


@pytest.mark.parametrize("damage", ["delete", "garbage", "truncate", "old-version"])
def test_the_index_is_rebuilt_when_missing_corrupt_or_old(practice: Home, damage: str) -> None:
    index = SearchIndex(practice)
    index.refresh()
    if damage == "delete":
        index.path.unlink()
    elif damage == "garbage":
        index.path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncate":
        index.path.write_bytes(index.path.read_bytes()[:500])
    else:
        import sqlite3

        with sqlite3.connect(index.path) as connection:
            connection.execute("PRAGMA user_version = 1")
    assert search(practice, "physio")[0][1] == "book the physio"
    assert oct(os.stat(index.path).st_mode & 0o777) == "0o600"


def test_broken_files_are_listed_and_sync_leftovers_ignored(practice: Home) -> None:
    folder = practice.sessions_dir("ana-perez")
    (folder / "2026-11-30T1000.md").write_text("+++\nclient = \n+++\n")
    (folder / "2026-11-23T1000.sync-conflict-20261123-101010-ABCDEFG.md").write_text("+++\nclient='x'\n+++\n## Notes\n\n- [00:00:01] conflict text\n")
    (folder / "2026-11-09T1000.md~").write_text("backup")
    (folder / ".#2026-11-09T1000.md").write_text("lock")
    (practice.clients_dir / "ana-perez (conflicted copy 2026-11-23)").mkdir()
    index = SearchIndex(practice)
    refreshed = index.refresh()
    assert len(refreshed.problems) == 1 and "2026-11-30T1000.md:2:10: invalid TOML" in refreshed.problems[0]
    rows = index.sessions("ana-perez")
    assert rows[0].problem and len(rows) == 3, "the broken file is listed, not hidden"
    assert search(practice, "conflict") == []
    names = {p.name for p in conflict_copies(practice)}
    assert names == {"ana-perez (conflicted copy 2026-11-23)", "2026-11-23T1000.sync-conflict-20261123-101010-ABCDEFG.md"}


def test_open_actions_across_sessions_and_ticking_one_changes_one_line(practice: Home) -> None:
    index = SearchIndex(practice)
    index.refresh()
    actions = index.open_actions("ana-perez")
    assert [a.action.text for a in actions] == ["book the physio", "send the CV draft"]
    target = actions[1]
    before = target.path.read_text().split("\n")
    set_action_state(target.path, target.action, ActionState.DONE)
    after = target.path.read_text().split("\n")
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert changed == [("- [ ] [00:03:00] send the CV draft", "- [x] [00:03:00] send the CV draft")]
    index.refresh()
    assert [a.action.text for a in index.open_actions("ana-perez")] == ["book the physio"]
    with pytest.raises(LookupError):
        set_action_state(target.path, target.action, ActionState.DROPPED)  # it is no longer open


def test_the_review_reads_pages_counts_and_chart_buckets_from_the_index(practice: Home) -> None:
    ana = load_client(practice.client_file("ana-perez"), "ana-perez")
    for days in range(20, 45):
        session(practice, ana, days, [f"!call number {days}"], minutes=30 + days)
    index = SearchIndex(practice)
    index.refresh()
    everyone = index.sessions()
    assert len(everyone) == 28
    pages = [index.sessions(limit=5, offset=start) for start in range(0, 30, 5)]
    assert [row for page in pages for row in page] == everyone, "pages, joined, are the whole list in its order"
    assert index.sessions("ana-perez", limit=3, offset=25) == index.sessions("ana-perez")[25:]
    assert index.counts() == (28, len(index.open_actions())) and index.counts("李雷") == (1, 0)
    actions = index.open_actions()
    assert [a for start in range(0, 30, 7) for a in index.open_actions(limit=7, offset=start)] == actions
    finished = [r.elapsed for r in reversed(everyone) if r.finished and not r.problem]
    few = index.lengths(buckets=200)
    assert (few.sessions, few.total) == (len(finished), sum(finished)) and few.averages == tuple(finished), "few sessions: one a session"
    many = index.lengths(buckets=4)
    assert len(many.averages) == 4 and many.averages[0] == sum(finished[:7]) / 7 and many.averages[-1] == sum(finished[21:]) / 7
    ratings = index.client_ratings("ana-perez")
    assert len(ratings) == 27 and [when for when, _ in ratings] == sorted(when for when, _ in ratings if when)


def test_a_first_screenful_is_read_without_making_healing_or_writing_anything(practice: Home) -> None:
    """The review's first frame reads its rows on the UI's thread: from an index that is there and current, the
    same rows as a page; from none, a damaged one or one of another version, nothing, and nothing changed."""
    index = SearchIndex(practice)
    assert index.newest_sessions(None, 40) is None and not index.path.exists(), "no index is made here"
    index.refresh()
    assert index.newest_sessions(None, 2) == index.sessions(limit=2) and len(index.sessions(limit=2)) == 2
    assert index.newest_sessions("ana-perez", 40) == index.sessions("ana-perez", limit=40)
    index.path.write_bytes(b"not a database, as a full disk or a crash may leave it")
    assert index.newest_sessions(None, 40) is None
    assert index.path.read_bytes().startswith(b"not a database"), "left for the worker to find, heal and say"


def test_a_first_screenful_from_a_crafted_index_is_nothing_and_never_a_hang_or_a_write(practice: Home, tmp_path: Path) -> None:
    """The cache is the coach's, but what is in it may not hang the UI's thread, write through a link, or draw a
    traceback (an attacker's read of the change): each of these is refused or left out."""
    import sqlite3
    import time

    from sessionpal.core.index import SCHEMA_VERSION

    index = SearchIndex(practice)
    index.refresh()
    elsewhere = tmp_path / "elsewhere.sqlite3"
    index.path.rename(elsewhere)
    index.path.symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    assert index.newest_sessions(None, 40) is None and elsewhere.read_bytes() == before, "a link is not opened here"
    index.path.unlink()
    with sqlite3.connect(index.path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute(
            "CREATE VIEW files AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT '/x' AS path, 'a' AS client, "
            "'A' AS name, NULL AS started, 0 AS elapsed, 0 AS planned, 0 AS notes, 0 AS asked, 0 AS open_actions, '' AS goals, '' AS agreement, "
            "0 AS finished, '' AS problem, NULL AS ratings, 'z' AS sort_key, n AS rowid FROM r WHERE n < 0"
        )
    began = time.monotonic()
    assert index.newest_sessions(None, 40) is None and time.monotonic() - began < 2, "an endless view is stopped"
    index.delete()
    index.refresh()
    with sqlite3.connect(index.path) as connection:
        paths = [row[0] for row in connection.execute("SELECT path FROM files ORDER BY sort_key DESC")]
        connection.execute("UPDATE files SET path = CAST(path AS BLOB) WHERE path = ?", (paths[0],))
        connection.execute("UPDATE files SET elapsed = 'lots', ratings = ? WHERE path = ?", ("[" * 100_000, paths[1]))
    shown = index.newest_sessions(None, 40)
    assert shown is not None and [str(row.path) for row in shown] == paths[2:], "rows not as this module writes them are left out"


def test_export_holds_everything_about_one_client(practice: Home) -> None:
    (practice.client_dir("ana-perez") / "intake form.pdf").write_bytes(b"%PDF fake")
    (practice.sessions_dir("ana-perez") / ".sessionpal-x.md.1.abc.tmp").write_text("temp")
    archive = zipfile.ZipFile(io.BytesIO(export_client(practice, "ana-perez")))
    names = sorted(archive.namelist())
    assert names == [
        "ana-perez/client.toml",
        "ana-perez/intake form.pdf",
        *[f"ana-perez/sessions/{p.name}" for p in session_paths(practice, "ana-perez")],
    ]
    assert archive.read(names[-1]) == session_paths(practice, "ana-perez")[-1].read_bytes()
    assert not any("李雷" in n for n in names)


def test_icf_log_names_codes_hours_and_totals(practice: Home) -> None:
    edit_client(practice, "ana-perez", lambda d: d.update({"log_name": True, "contact": "ana@example.org"}))
    rows, problems = icf_log(practice)
    assert problems == []
    text = icf_csv(rows)
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["Client", "Contact", "First session", "Last session", "Sessions", "Paid hours", "Pro bono hours"]
    assert table[1] == ["Ana Pérez", "ana@example.org", "2026-11-09", "2026-11-16", "2", "0.83", "0.75"]
    li = load_client(practice.client_file("李雷"))
    assert table[2] == [client_code(li), "", "2026-11-20", "2026-11-20", "1", "1.50", "0.00"]
    assert table[3] == ["Total", "2 clients", "", "", "3", "2.33", "0.75"]
    assert table[4] == ["Total hours", "", "", "", "", "3.08", ""]
    rows, _ = icf_log(practice, start=date(2026, 11, 10), end=date(2026, 11, 19))
    assert [(r.client, r.sessions) for r in rows] == [("Ana Pérez", 1)]


def test_the_shared_recap_has_only_what_is_marked_for_the_client(practice: Home, clock: FakeClock) -> None:
    ana = load_client(practice.client_file("ana-perez"))
    path = session(
        practice,
        ana,
        1,
        [
            "=Decide about Lisbon",
            "+Remember: you said yes to yourself first",
            "private: worried about her health",
            '"I am scared',
            "!call the recruiter",
            "!Coach: check in by message on Thursday about: Lisbon",
            "!Check in by message on Friday about: Lisbon",  # as the playbook wrote it before "Coach:"
        ],
    )
    recap = share_recap(path, ana)
    assert "Decide about Lisbon" in recap and "Remember: you said yes to yourself first" in recap and "- [ ] call the recruiter" in recap
    assert "health" not in recap and "scared" not in recap
    assert "check in" not in recap.casefold(), "the coach's own actions are not the client's to do"
    assert recap.startswith("# Ana Pérez: our session,")


def test_a_build_read_by_worker_processes_holds_what_one_read_here_holds(practice: Home, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from sessionpal.core import index as index_module

    here = SearchIndex(practice)
    here.refresh()
    expected = ([(h.client, h.text, h.stamp) for h in here.search("cafe OR noisy OR 学习")], here.sessions(), here.open_actions())
    monkeypatch.setenv("SESSIONPAL_CACHE", str(tmp_path / "other-cache"))
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(index_module, "BATCH", 1)  # a batch per file: three trips to the workers
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    from sessionpal.core import index_rows

    def not_here(paths: object) -> NoReturn:
        raise AssertionError("read here, not by a worker")

    monkeypatch.setattr(index_rows, "many_session_rows", not_here)
    workers = SearchIndex(type(practice)(practice.root))
    assert workers.path != here.path
    assert workers.refresh().indexed == 3
    assert ([(h.client, h.text, h.stamp) for h in workers.search("cafe OR noisy OR 学习")], workers.sessions(), workers.open_actions()) == expected


def test_a_build_stopped_midway_keeps_what_was_read_and_goes_on_from_there(practice: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from sessionpal.core import index as index_module

    monkeypatch.setattr(index_module, "BATCH", 1)
    index = SearchIndex(practice)
    calls = []

    def stop_after_the_first(done: int, total: int) -> None:
        calls.append(done)
        if done == 1:
            raise KeyboardInterrupt  # Ctrl+C while the second file is read

    for slug in ("ana-perez", "李雷"):
        _age(practice.sessions_dir(slug))  # folders a quick refresh would trust, had they been read to the end
    with pytest.raises(KeyboardInterrupt):
        index.refresh(stop_after_the_first)
    again = index.refresh(full=False)
    assert (again.indexed, again.total) == (2, 3), "the first file stayed indexed; the other two are read now"
    assert len(index.sessions()) == 3 and index.search("学习")


@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
            st.integers(-12 * 60, 14 * 60),  # the offset, in minutes
            st.integers(1, 3),  # a -2, -3 copy
            st.booleans(),  # a file that cannot be read: only its name's time
        ),
        min_size=2,
        max_size=20,
    )
)
def test_the_order_the_index_keeps_is_newest_first_by_the_moment(sessions: list[tuple[datetime, int, int, bool]]) -> None:
    """The review's first page comes from SQLite's ORDER BY; it must be the order of the moments themselves."""
    from sessionpal.core.index_types import named_time, session_order
    from sessionpal.core.paths import session_sort_key

    items = []
    for naive, offset, copy, broken in sessions:
        started = naive.replace(tzinfo=timezone(timedelta(minutes=offset)))
        path = Path(f"{naive:%Y-%m-%dT%H%M}{'' if copy == 1 else f'-{copy}'}.md")
        items.append((path, None if broken else started.isoformat()))
    expected = sorted(
        items, key=lambda item: (datetime.fromisoformat(item[1]) if item[1] else named_time(item[0].name), session_sort_key(item[0].name)), reverse=True
    )
    by_key = sorted(items, key=lambda item: session_order(item[0].name, item[1]), reverse=True)
    assert [session_order(p.name, s) for p, s in by_key] == [session_order(p.name, s) for p, s in expected]


def test_a_client_erased_after_a_stopped_build_is_forgotten(practice: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from sessionpal.core import index as index_module

    monkeypatch.setattr(index_module, "BATCH", 1)
    index = SearchIndex(practice)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.refresh(stop_after_two)  # oldest first: Ana's two sessions are in, Li's is not
    assert {h.client for h in index.search("cafe")} == {"ana-perez"}
    import shutil

    shutil.rmtree(practice.client_dir("ana-perez"))
    index.refresh(full=False)
    assert index.sessions() and {row.client for row in index.sessions()} == {"李雷"}, "Ana's rows went with her folder"


def lookups(index: SearchIndex) -> set[str]:
    with sqlite3.connect(index.path) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_a_first_build_makes_its_lookups_once_its_rows_are_in_and_a_stopped_one_has_them_made_next_time(
    practice: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sessionpal.core import index as index_module

    every = set(index_module.LOOKUPS)
    monkeypatch.setattr(index_module, "MANY_FILES", 0)  # every refresh of these few files reads "many"
    monkeypatch.setattr(index_module, "BATCH", 1)
    index = SearchIndex(practice)
    during: list[set[str]] = []

    def stop_after_two(done: int, total: int) -> None:
        during.append(lookups(index))
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.refresh(stop_after_two)
    assert during == [set(), set()] and lookups(index) == set(), "none while the rows go in, and the stopped build left none"
    assert index.refresh(full=False).indexed == 1 and lookups(index) == every, "the next refresh makes them"
    index.delete()
    assert index.refresh().indexed == 3 and lookups(index) == every, "a whole first build ends with them"
    assert {row.client for row in index.sessions()} == {"ana-perez", "李雷"} and search(practice, "physio") == [("ana-perez", "book the physio")]


@pytest.mark.parametrize("started", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "1969-12-31T23:00:00+00:00"])
def test_a_session_started_at_an_impossible_moment_is_one_problem_line(practice: Home, started: str) -> None:
    folder = practice.sessions_dir("ana-perez")
    good = folder / "2026-11-30T1000.md"
    good.write_text(f'+++\nclient = "ana-perez"\nstarted = {started}\n+++\n## Notes\n\n- [00:00:01] odd date words\n')
    index = SearchIndex(practice)
    refreshed = index.refresh()
    assert len(refreshed.problems) == 1 and "2026-11-30T1000.md:3:1" in refreshed.problems[0], refreshed.problems
    assert "between 1970 and 2199" in refreshed.problems[0]
    assert search(practice, "physio") == [("ana-perez", "book the physio")], "every other session still searches"
    assert index.sessions("ana-perez")[0].problem


def test_an_index_not_there_yet_is_made_only_under_the_lock(home: Home) -> None:
    """A look at the index from outside the lock never makes the file: while another process builds it (under the
    lock), an empty file made beside it would have replaced the one being built."""
    from sessionpal.core import fsio

    index = SearchIndex(home)
    with fsio.exclusive(index.path):  # another process is about to build it
        assert index._current() is None
        assert not index.path.exists(), "nothing made outside the lock"
    index.refresh()
    assert index.path.exists() and index._current() is not None
