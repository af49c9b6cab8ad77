"""A session recorded under the wrong client, moved to the right one: file, versions, goals, memory."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from sessionpal.core.clients import create_client, load_client
from sessionpal.core.goals import add_goal
from sessionpal.core.history import client_history
from sessionpal.core.live import LiveSession
from sessionpal.core.lock import LOCK_FILE, Holder, process_start
from sessionpal.core.model import Note, Question
from sessionpal.core.moving import MoveRefused, move_session
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session, session_paths, update_session
from sessionpal.core.timer import FakeClock
from sessionpal.core.versions import list_versions

from ..helpers import START


def test_a_session_moves_with_its_goals_versions_and_what_was_asked(home):
    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    clock = FakeClock(START)
    live = LiveSession(home, ana, clock, FALLBACK_MODEL, 45)  # typed under Ana: it was Ben's
    live.add_note("he wants to lead the spring project")
    live.goals.add_goal("Lead the spring project")
    live.mark_asked(Question("awareness", "what-matters", "What matters most?"))
    live.end()
    wrong = live.path
    update_session(wrong, lambda d: d.add_note(Note(60, "a correction after the end")))  # a finished session rewritten: a version kept
    assert list_versions(home, wrong), "there is a version to carry"
    moved = move_session(home, wrong, ben.slug, START)
    assert not wrong.exists() and moved.path == home.sessions_dir(ben.slug) / wrong.name
    document = read_session(moved.path)
    assert document.info.client == "ben-ode" and "he wants to lead the spring project" in [n.text for n in document.notes]
    assert list_versions(home, moved.path) and not list_versions(home, wrong), "its kept versions went with it"
    assert moved.copied == ["lead-the-spring-project"] and moved.removed == ["lead-the-spring-project"]
    assert load_client(ben.path, ben.slug).goal("lead-the-spring-project").title == "Lead the spring project"
    assert load_client(ana.path, ana.slug).goal("lead-the-spring-project") is None
    assert "awareness/what-matters" in client_history(home, ben.slug).asked, "what was asked now counts as asked of Ben"
    assert "awareness/what-matters" not in client_history(home, ana.slug).asked
    assert session_paths(home, ana.slug) == []


def test_a_goal_another_session_still_names_stays_and_a_taken_name_is_numbered(home):
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


def test_a_client_in_use_or_a_file_outside_is_refused(home, tmp_path):
    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    live = LiveSession(home, ana, FakeClock(START), FALLBACK_MODEL, 45)
    live.add_note("a note")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # another sessionpal, holding Ben
    try:
        lock = home.client_dir(ben.slug) / LOCK_FILE
        lock.write_text(Holder(socket.gethostname(), other.pid, START, process_start(other.pid)).render())
        with pytest.raises(MoveRefused, match="ben-ode is open in another sessionpal"):
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


def test_a_client_open_in_this_very_app_keeps_its_lock(home):
    """The review over a session under way: moving one of that client's past sessions must not give back
    the lock the session under way holds."""
    from sessionpal.core.lock import acquire

    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    past = LiveSession(home, ben, FakeClock(START), FALLBACK_MODEL, 45)
    past.add_note("typed under Ben: it was Ana's")
    past.end()
    held = acquire(home, ben.slug, START)  # this app has Ben open now
    try:
        move_session(home, past.path, ana.slug, START)
        assert (home.client_dir(ben.slug) / LOCK_FILE).exists(), "Ben is still held by the session under way"
        assert not (home.client_dir(ana.slug) / LOCK_FILE).exists(), "Ana's lock, taken for the move, is given back"
    finally:
        held.release()
