"""A session recorded under the wrong client, moved to the right one: file, versions, goals, memory."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from sessionpal.core.clients import create_client, load_client
from sessionpal.core.goals import add_goal
from sessionpal.core.history import client_history
from sessionpal.core.live import LiveSession
from sessionpal.core.lock import LOCK_FILE, Holder, process_start
from sessionpal.core.model import Client, Goal, Note, Question
from sessionpal.core.moving import MoveRefused, move_session
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session, update_session
from sessionpal.core.timer import FakeClock
from sessionpal.core.versions import list_versions

from ..helpers import START, present


def test_a_session_moves_with_its_goals_versions_and_what_was_asked(home: Home) -> None:
    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    clock = FakeClock(START)
    live = LiveSession(home, ana, clock, FALLBACK_MODEL, 45)  # typed under Ana: it was Ben's
    live.add_note("he wants to lead the spring project")
    live.goals.add_goal("Lead the spring project")
    live.mark_asked(Question("awareness", "what-matters", "What matters most?"))
    live.end()
    wrong = live.path
    assert wrong is not None
    update_session(wrong, lambda d: d.add_note(Note(60, "a correction after the end")))  # a finished session rewritten: a version kept
    assert list_versions(home, wrong), "there is a version to carry"
    moved = move_session(home, wrong, ben.slug, START)
    assert not wrong.exists() and moved.path == home.sessions_dir(ben.slug) / wrong.name
    document = read_session(moved.path)
    assert document.info.client == "ben-ode" and "he wants to lead the spring project" in [n.text for n in document.notes]
    assert list_versions(home, moved.path) and not list_versions(home, wrong), "its kept versions went with it"
    assert moved.copied == ["lead-the-spring-project"] and moved.removed == ["lead-the-spring-project"]
    assert present(load_client(ben.path, ben.slug).goal("lead-the-spring-project")).title == "Lead the spring project"
    assert load_client(ana.path, ana.slug).goal("lead-the-spring-project") is None
    assert "awareness/what-matters" in client_history(home, ben.slug).asked, "what was asked now counts as asked of Ben"
    assert "awareness/what-matters" not in client_history(home, ana.slug).asked
    assert session_paths(home, ana.slug) == []


def test_a_goal_another_session_still_names_stays_and_a_taken_name_is_numbered(home: Home) -> None:
    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    add_goal(home, ana.slug, "Run 5 km")
    clock = FakeClock(START)
    for _ in range(2):
        live = LiveSession(home, load_client(ana.path, ana.slug), clock, FALLBACK_MODEL, 45)
        live.goals.rate_goal("run-5-km", 6)
        live.end()
    first = session_paths(home, ana.slug)[0]
    (home.sessions_dir(ben.slug)).mkdir(parents=True, exist_ok=True)
    (home.sessions_dir(ben.slug) / first.name).write_text(first.read_text())  # Ben has a session that very minute
    moved = move_session(home, first, ben.slug, START)
    assert moved.path.name == first.stem + "-2.md"
    assert moved.copied == ["run-5-km"] and moved.removed == [], "Ana's other session still rates it: it stays hers too"
    assert load_client(ana.path, ana.slug).goal("run-5-km") is not None


def test_a_client_in_use_or_a_file_outside_is_refused(home: Home, tmp_path: Path) -> None:
    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    live = LiveSession(home, ana, FakeClock(START), FALLBACK_MODEL, 45)
    live.add_note("a note")
    assert live.path is not None
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # another sessionpal, holding Ben
    try:
        lock = home.client_dir(ben.slug) / LOCK_FILE
        lock.write_text(Holder(socket.gethostname(), other.pid, START, process_start(other.pid)).render())
        with pytest.raises(MoveRefused, match="ben-ode: another sessionpal has this client open"):
            move_session(home, live.path, ben.slug, START)
        assert lock.exists(), "the other's lock is left alone"
    finally:
        other.kill()
        other.wait()
    assert live.path.exists()
    stray = tmp_path / "2026-11-23T1000.md"
    stray.write_text(live.path.read_text())
    with pytest.raises(MoveRefused, match="not a session file of this data home"):
        move_session(home, stray, ben.slug, START)
    with pytest.raises(MoveRefused, match="that client's already"):
        move_session(home, live.path, ana.slug, START)


def test_a_client_open_in_this_very_app_keeps_its_lock(home: Home) -> None:
    """The review over a session under way: moving one of that client's past sessions must not give back
    the lock the session under way holds."""
    from sessionpal.core.lock import acquire

    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    past = LiveSession(home, ben, FakeClock(START), FALLBACK_MODEL, 45)
    past.add_note("typed under Ben: it was Ana's")
    past.end()
    assert past.path is not None
    held = acquire(home, ben.slug, START)  # this app has Ben open now
    try:
        move_session(home, past.path, ana.slug, START)
        assert (home.client_dir(ben.slug) / LOCK_FILE).exists(), "Ben is still held by the session under way"
        assert not (home.client_dir(ana.slug) / LOCK_FILE).exists(), "Ana's lock, taken for the move, is given back"
    finally:
        held.release()


# One recoverable transaction: stopped at any step, finished by the next start ------------------------------


class Crash(Exception):
    """A kill at a step of the move (the test's crash point): nothing after it happens."""


def _tomas_session_that_was_ngozis(home: Home) -> tuple[Client, Client, str, Path]:
    """Tomás's goal shrunk in a later session of his; the first session, rated on it, was really Ngozi's.
    The moved session has a recap and a kept version beside it."""
    from sessionpal.core.goals import succeed_goal
    from sessionpal.core.model import Move

    tomas, ngozi = create_client(home, "Tomás Ruiz", 45), create_client(home, "Ngozi Adeyemi", 45)
    goal = add_goal(home, tomas.slug, "Talk to his manager about the move", value="honesty", at=START)
    live = LiveSession(home, load_client(tomas.path, tomas.slug), FakeClock(START), FALLBACK_MODEL, 45)
    live.add_note("she wants to ask for the transfer")
    live.goals.rate_goal(goal.id, 4)
    live.end()
    wrong = live.path
    assert wrong is not None
    update_session(wrong, lambda d: d.add_note(Note(60, "a correction after the end")))  # a version is kept
    recap = wrong.with_name(wrong.stem + ".recap.md")
    recap.write_text("# Tomás Ruiz: our session, Monday 23 November 2026\n\nshe will ask for the transfer\n")
    later = START + timedelta(days=7)
    live2 = LiveSession(home, load_client(tomas.path, tomas.slug), FakeClock(later), FALLBACK_MODEL, 45)
    live2.add_note("he has not spoken to his manager")
    live2.goals.rate_goal(goal.id, 3)
    succeed_goal(home, tomas.slug, goal.id, "Book a 15-minute slot with his manager", Move.SHRINK, at=later + timedelta(minutes=10))
    live2.end()
    return tomas, ngozi, goal.id, wrong


def _only_in_ngozis(home: Home, tomas: Client, ngozi: Client, goal_id: str, wrong: Path) -> Goal:
    """Where a finished move leaves things: one copy, hers, saying so, with its recap and versions."""
    ngozis = session_paths(home, ngozi.slug)
    assert [p.name for p in ngozis] == [wrong.name], "the session is hers, once"
    assert [p.name for p in session_paths(home, tomas.slug)] != [wrong.name] and not wrong.exists()
    assert read_session(ngozis[0]).info.client == ngozi.slug
    recap = ngozis[0].with_name(wrong.stem + ".recap.md").read_text()
    assert recap == "# Ngozi Adeyemi: our session, Monday 23 November 2026\n\nshe will ask for the transfer\n", "hers, as the coach left it"
    assert not wrong.with_name(wrong.stem + ".recap.md").exists(), "the recap went with it"
    assert list_versions(home, ngozis[0]) and not list_versions(home, wrong)
    hers = load_client(ngozi.path, ngozi.slug).goal(goal_id)
    assert hers is not None and load_client(tomas.path, tomas.slug).goal(goal_id) is not None, "his later session still names it"
    assert not list(home.moves_dir.glob("*.json")), "no record left"
    return hers


def test_a_moved_goal_arrives_as_it_stood_in_that_session(home: Home) -> None:
    """Issue 26.1: nothing of Tomás's later sessions (the shrink, its successor, its history) reaches Ngozi."""
    from sessionpal.core.model import GoalStatus

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    assert present(load_client(tomas.path, tomas.slug).goal(goal_id)).status is GoalStatus.CHANGED
    move_session(home, wrong, ngozi.slug, START + timedelta(days=8))
    hers = _only_in_ngozis(home, tomas, ngozi, goal_id, wrong)
    assert hers.status is GoalStatus.ACTIVE and hers.replaced_by == "" and hers.history == ()
    text = ngozi.path.read_text()
    assert "15-minute" not in text and "shrunk" not in text and "replaced_by" not in text
    assert load_client(ngozi.path, ngozi.slug).values == ("honesty",), "the value the goal serves is hers now"
    assert [g.id for g in load_client(ngozi.path, ngozi.slug).goals] == [goal_id], "the successor made later stays his"


def test_history_made_in_the_moved_session_comes_with_it(home: Home) -> None:
    from sessionpal.core.goals import change_goal_status
    from sessionpal.core.model import GoalStatus

    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    goal = add_goal(home, ana.slug, "Run 5 km", at=START - timedelta(days=30))
    change_goal_status(home, ana.slug, goal.id, GoalStatus.AT_RISK, "before", at=START - timedelta(days=7))
    clock = FakeClock(START)
    live = LiveSession(home, load_client(ana.path, ana.slug), clock, FALLBACK_MODEL, 45)
    live.start()
    live.goals.rate_goal(goal.id, 6)
    clock.advance(20 * 60)
    change_goal_status(home, ana.slug, goal.id, GoalStatus.ON_TRACK, "in this session", at=clock.now())
    clock.advance(25 * 60)
    live.end()
    change_goal_status(home, ana.slug, goal.id, GoalStatus.STALLED, "a later one", at=START + timedelta(days=7))
    assert live.path is not None
    move_session(home, live.path, ben.slug, START + timedelta(days=8))
    bens = load_client(ben.path, ben.slug).goal(goal.id)
    assert bens is not None
    assert bens.status is GoalStatus.ON_TRACK
    assert [h.note for h in bens.history] == ["in this session"]


def _crash_at(monkeypatch: pytest.MonkeyPatch, k: int) -> list[str]:
    from sessionpal.core import moving

    seen: list[str] = []

    def step(name: str) -> None:
        seen.append(name)
        if len(seen) == k:
            raise Crash(name)

    monkeypatch.setattr(moving, "_step", step)
    return seen


STEPS = ["record written", "linked", "rewritten", "goals given", "old names removed", "goals taken", "recap renamed"]


@pytest.mark.parametrize("k", range(1, len(STEPS) + 1), ids=STEPS)
def test_a_move_stopped_at_any_step_is_finished_by_the_next_start(home: Home, monkeypatch: pytest.MonkeyPatch, k: int) -> None:
    from sessionpal.core import moving
    from sessionpal.core.moving import finish_moves

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    seen = _crash_at(monkeypatch, k)
    with pytest.raises(Crash):
        move_session(home, wrong, ngozi.slug, START + timedelta(days=8))
    assert seen[-1] == STEPS[k - 1] and len(list(home.moves_dir.glob("*.json"))) == 1, "the record is there"
    if STEPS[k - 1] == "linked":
        assert os.path.samefile(wrong, home.sessions_dir(ngozi.slug) / wrong.name), "the same file in both places"
    monkeypatch.setattr(moving, "_step", lambda name: None)
    finished = finish_moves(home, START + timedelta(days=8))
    assert len(finished) == 1 and "finished moving a session from tomas-ruiz to ngozi-adeyemi" in finished[0].message
    _only_in_ngozis(home, tomas, ngozi, goal_id, wrong)
    assert finish_moves(home, START + timedelta(days=8)) == [], "nothing is done twice"


def test_the_same_move_tried_again_finishes_the_first_and_never_makes_a_second_copy(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 1 as it was met: the move run again after a kill made `<name>-2.md`, a permanent duplicate."""
    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    _crash_at(monkeypatch, 2)  # after the links: the file in both folders
    with pytest.raises(Crash):
        move_session(home, wrong, ngozi.slug, START)
    monkeypatch.undo()
    moved = move_session(home, wrong, ngozi.slug, START)
    assert moved.path == home.sessions_dir(ngozi.slug) / wrong.name
    _only_in_ngozis(home, tomas, ngozi, goal_id, wrong)


def test_a_write_error_half_way_leaves_a_move_the_next_start_finishes(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 3: the front matter's rewrite fails after the links (disk full): the coach is told, and nothing is lost."""
    from sessionpal.core import fsio
    from sessionpal.core.moving import MoveUnfinished, finish_moves

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    real = fsio.atomic_write

    def full(path: Path, data: str | bytes) -> None:
        if path.parent == home.sessions_dir(ngozi.slug):
            raise fsio.WriteError(path, "No space left on device")
        return real(path, data)

    monkeypatch.setattr("sessionpal.core.moving.fsio.atomic_write", full)
    with pytest.raises(MoveUnfinished, match="stopped half way .*No space left.* finished the next time sessionpal starts"):
        move_session(home, wrong, ngozi.slug, START)
    assert wrong.exists() and read_session(wrong).info.client == tomas.slug, "still his, whole"
    monkeypatch.setattr("sessionpal.core.moving.fsio.atomic_write", real)
    assert len(finish_moves(home, START)) == 1
    _only_in_ngozis(home, tomas, ngozi, goal_id, wrong)


def test_a_new_name_taken_meanwhile_undoes_the_move(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync brought a file of that name into the new client's folder between the kill and the next start."""
    from sessionpal.core import moving
    from sessionpal.core.moving import finish_moves

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    _crash_at(monkeypatch, 1)  # the record written, nothing moved
    with pytest.raises(Crash):
        move_session(home, wrong, ngozi.slug, START)
    monkeypatch.setattr(moving, "_step", lambda name: None)
    theirs = home.sessions_dir(ngozi.slug) / wrong.name
    theirs.parent.mkdir(parents=True, exist_ok=True)
    theirs.write_text("+++\nclient = 'ngozi-adeyemi'\n+++\n")
    finished = finish_moves(home, START)
    assert len(finished) == 1 and "was not made" in finished[0].message
    assert read_session(wrong).info.client == tomas.slug and theirs.read_text().startswith("+++\nclient = 'ngozi")
    assert wrong.with_name(wrong.stem + ".recap.md").exists() and not list(home.moves_dir.glob("*.json"))


def test_a_record_not_written_by_sessionpal_is_reported_and_never_acted_on(home: Home) -> None:
    from sessionpal.core.moving import finish_moves

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    home.moves_dir.mkdir()
    forged = {"version": 1, "source": "tomas-ruiz", "to": "../../etc", "name": wrong.name, "target": "passwd", "goals": {}, "theirs": [], "leaving": []}
    (home.moves_dir / "x.json").write_text(json.dumps(forged))
    (home.moves_dir / "y.json").write_text("[" * 100_000)
    os.mkfifo(home.moves_dir / "z.json")
    finished = finish_moves(home, START)
    assert len(finished) == 3 and all("not acted on" in f.message for f in finished)
    assert wrong.exists() and read_session(wrong).info.client == tomas.slug


@pytest.mark.parametrize("where", ["X Y/sessions", "clients/Ana/sessions", "clients/ana/notes"])
def test_a_file_whose_folders_are_not_a_clients_is_refused_clearly(home: Home, where: str) -> None:
    """Item 4: a ValueError traceback before."""
    create_client(home, "Ben Ode", 45)
    path = home.root / where / "2026-11-23T1000.md"
    path.parent.mkdir(parents=True)
    path.write_text("+++\nclient = 'ana'\n+++\n")
    with pytest.raises(MoveRefused, match="not a session file of this data home"):
        move_session(home, path, "ben-ode", START)


def test_hand_written_dates_place_a_goal_s_history_without_failing(home: Home) -> None:
    """Plain dates count for their whole day, times without an offset are local, and a year-9999 moment or an
    offset at the edge is placed nowhere (never an OverflowError)."""
    from datetime import datetime

    from sessionpal.core.goals_then import goals_as_they_stood
    from sessionpal.core.sessionfile import SessionInfo

    create_client(home, "Ana Pérez", 45)
    home.client_file("ana-perez").write_text(
        'name = "Ana Pérez"\n\n[[goals]]\nid = "g"\ntitle = "G"\nstatus = "stalled"\nhistory = [\n'
        '  { date = 2026-11-23, from = "active", to = "at-risk", note = "that day" },\n'
        '  { date = 2026-11-23T10:30:00, from = "at-risk", to = "on-track", note = "local time" },\n'
        '  { date = 9999-12-31T23:59:59-23:59, from = "on-track", to = "stalled", note = "far away" },\n]\n'
    )
    for started in (datetime(2026, 11, 23, 10, 0), datetime(9999, 12, 31, 23, 0), datetime(1, 1, 1, 0, 0)):
        info = SessionInfo("ana-perez", started, None, 45, 2700.0, "ended", None, "", (), ("g",))
        block = goals_as_they_stood(home, "ana-perez", ["g"], info)["g"]
        if started.year == 2026:
            assert 'status = "on-track"' in block and "that day" in block and "local time" in block and "far away" not in block
        assert tomllib.loads(block)["goals"][0]["id"] == "g", "a block sessionpal can write, whatever the dates"


# An attacker's and a clumsy user's read of the transaction ----------------------------------------------


def test_a_move_that_leaves_the_old_client_file_much_smaller_is_no_question_and_no_stuck_record(home: Home) -> None:
    """The goal that left carried most of the file: step 5 raised WouldShrink, and every later start a traceback."""
    from sessionpal.core.goals import change_goal_status
    from sessionpal.core.model import GoalStatus
    from sessionpal.core.moving import finish_moves

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    for n in range(30):
        change_goal_status(home, tomas.slug, goal_id, GoalStatus.AT_RISK, f"a long note about the week, number {n} " * 3, at=START - timedelta(days=60 - n))
    for later in session_paths(home, tomas.slug)[1:]:
        later.unlink()  # only the moved session names the goal now
    move_session(home, wrong, ngozi.slug, START + timedelta(days=8))
    assert load_client(tomas.path, tomas.slug).goal(goal_id) is None and not list(home.moves_dir.glob("*.json"))
    assert finish_moves(home, START) == []


def test_whatever_a_record_holds_a_start_never_fails(home: Home) -> None:
    from sessionpal.core.moving import finish_moves

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    home.moves_dir.mkdir()
    good = {"version": 2, "source": tomas.slug, "to": ngozi.slug, "name": wrong.name, "target": wrong.name, "theirs": [], "source_sha": "", "target_sha": ""}
    for n, goals in enumerate(({"g": "this is not toml"}, {"g": "x = 1"}, {"g": "goals = 3"}, {"g": '[[goals]]\nid = "other"'})):
        (home.moves_dir / f"{n}.json").write_text(json.dumps(good | {"goals": goals, "host": socket.gethostname()}))
    (home.moves_dir / "elsewhere.json").write_text(json.dumps(good | {"goals": {}, "host": "other-laptop"}))
    finished = finish_moves(home, START)
    assert [f.record.name for f in finished] == ["0.json", "1.json", "2.json", "3.json", "elsewhere.json"]
    assert all("not acted on" in f.message for f in finished[:4]) and "begun on other-laptop" in finished[4].message
    assert wrong.exists() and read_session(wrong).info.client == tomas.slug, "nothing was moved by any of them"


def test_a_link_beside_the_session_stays_and_the_move_is_whole(home: Home, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not the home's")
    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    (wrong.with_name(wrong.stem + ".zz")).symlink_to(outside)
    moved = move_session(home, wrong, ngozi.slug, START + timedelta(days=8))
    assert read_session(moved.path).info.client == ngozi.slug and not wrong.exists()
    assert not list(home.moves_dir.glob("*.json")) and outside.read_text() == "not the home's"


def test_a_broken_client_file_or_a_session_under_way_is_refused_before_anything_moves(home: Home) -> None:
    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    good = tomas.path.read_text()
    tomas.path.write_text(good.replace('to = "changed"', 'to = "done"', 1))
    with pytest.raises(MoveRefused, match="nothing was moved"):
        move_session(home, wrong, ngozi.slug, START)
    tomas.path.write_text(good)
    live = LiveSession(home, load_client(tomas.path, tomas.slug), FakeClock(START + timedelta(days=9)), FALLBACK_MODEL, 45)
    live.add_note("under way")
    assert live.path is not None
    with pytest.raises(MoveRefused, match="not ended"):
        move_session(home, live.path, ngozi.slug, START)
    assert not home.moves_dir.exists() or not list(home.moves_dir.glob("*.json"))


def test_the_session_edited_while_the_move_waited_moves_as_it_is_now(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync or an editor replaced the file (a new inode) after the move's links: no stale copy stays."""
    from sessionpal.core import moving
    from sessionpal.core.moving import finish_moves

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    _crash_at(monkeypatch, 3)  # after the rewrite
    with pytest.raises(Crash):
        move_session(home, wrong, ngozi.slug, START + timedelta(days=8))
    monkeypatch.setattr(moving, "_step", lambda name: None)
    edited = wrong.with_name("edited.tmp")
    edited.write_text(wrong.read_text().replace("she wants to ask for the transfer", "she wants to ask for the transfer in March"))
    os.replace(edited, wrong)
    assert len(finish_moves(home, START + timedelta(days=8))) == 1
    hers = _only_in_ngozis(home, tomas, ngozi, goal_id, wrong)
    assert hers is not None
    notes = [n.text for n in read_session(home.sessions_dir(ngozi.slug) / wrong.name).notes]
    assert "she wants to ask for the transfer in March" in notes, "the edit moved with it"


def test_a_half_done_move_with_a_third_client_is_not_finished_without_that_client(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from sessionpal.core import moving
    from sessionpal.core.moving import ClientBusy

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    carol = create_client(home, "Carol Lee", 45)
    _crash_at(monkeypatch, 1)
    with pytest.raises(Crash):
        move_session(home, wrong, carol.slug, START)
    monkeypatch.setattr(moving, "_step", lambda name: None)
    with pytest.raises(ClientBusy, match="carol-lee"):
        move_session(home, wrong, ngozi.slug, START)
    assert session_paths(home, carol.slug) == [] and session_paths(home, ngozi.slug) == []


def test_temp_files_are_never_cleaned_through_a_link(home: Home, tmp_path: Path) -> None:
    from sessionpal.core.fsio import clean_temp_files

    outside = tmp_path / "outside"
    outside.mkdir()
    precious = outside / ".sessionpal-precious.tmp"
    precious.write_text("someone else's")
    (home.root / "clients").mkdir()
    (home.root / "clients" / "linked").symlink_to(outside)
    assert clean_temp_files(home.root / "clients" / "linked") == 0 and precious.exists()


def test_a_retried_move_keeps_no_needless_versions(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    from sessionpal.core import moving
    from sessionpal.core.moving import finish_moves
    from sessionpal.core.versions import list_versions

    tomas, ngozi, goal_id, wrong = _tomas_session_that_was_ngozis(home)
    _crash_at(monkeypatch, 4)  # after the goals were given
    with pytest.raises(Crash):
        move_session(home, wrong, ngozi.slug, START)
    kept = len(list_versions(home, ngozi.path))
    monkeypatch.setattr(moving, "_step", lambda name: None)
    finish_moves(home, START)
    assert len(list_versions(home, ngozi.path)) == kept, "the goals were there: her file was not written again"


def test_a_goal_the_new_client_has_already_leaves_the_old_client_too(home: Home) -> None:
    """Found by a coach's look: Priya had the goal's id already, and Maria's copy stayed in her sidebar."""
    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    add_goal(home, ben.slug, "Publish one article", at=START)
    add_goal(home, ana.slug, "Publish one article", at=START)
    live = LiveSession(home, load_client(ana.path, ana.slug), FakeClock(START), FALLBACK_MODEL, 45)
    live.goals.rate_goal("publish-one-article", 3)
    live.end()
    assert live.path is not None
    moved = move_session(home, live.path, ben.slug, START)
    assert moved.kept_theirs == ["publish-one-article"] and moved.removed == ["publish-one-article"]
    assert load_client(ana.path, ana.slug).goal("publish-one-article") is None
    assert load_client(ben.path, ben.slug).goal("publish-one-article") is not None
