"""A session file or client.toml changed by another program while a session has it open."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from sessionpal.core.clients import create_client, load_client
from sessionpal.core.conflicts import conflict_copies
from sessionpal.core.goals import add_goal
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.saving import SaveFailed
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session
from sessionpal.core.sync_copies import CONFLICT_COPY
from sessionpal.core.timer import FakeClock

from ..helpers import as_moment


@pytest.fixture
def live(home: Home, clock: FakeClock) -> LiveSession:
    client = create_client(home, "Ana Pérez", 45, date(2026, 11, 1))
    add_goal(home, client.slug, "Leave the bank by spring", at=as_moment(date(2026, 11, 1)))
    live = LiveSession(home, load_client(client.path, client.slug), clock, FALLBACK_MODEL, 45)
    for text in ("first", "second"):
        clock.advance(60)
        live.add_note(text)
    return live


def note_texts(path: Path) -> list[str]:
    return [note.text for note in read_session(path).notes]


def copies(live: LiveSession) -> list[Path]:
    assert live.path is not None
    return sorted(p for p in live.path.parent.iterdir() if CONFLICT_COPY.search(p.name))


def test_our_own_saves_are_not_taken_for_outside_changes(live: LiveSession, clock: FakeClock) -> None:
    clock.advance(60)
    live.add_note("third")
    live.save_timer()
    assert live.check_outside() is None and live.check_client_file() is None
    assert live.outside == [] and copies(live) == []


def test_an_edit_that_keeps_our_lines_is_taken_as_it_is(live: LiveSession, clock: FakeClock) -> None:
    assert live.path is not None
    text = live.path.read_text()
    live.path.write_text(text.replace("- [00:01:00] second", "- [00:01:00] second, as the coach corrected it in her editor\n- [00:01:30] added by hand"))
    found = live.check_outside()
    assert found is not None and found.adopted and found.lost == 0 and found.copy is None
    assert "its changes are kept" in found.message()
    clock.advance(60)
    live.add_note("after the edit")
    assert note_texts(live.path) == ["first", "second, as the coach corrected it in her editor", "added by hand", "after the edit"]
    assert live.check_outside() is None, "reported once"


def test_lines_of_ours_dropped_outside_are_kept_in_a_conflict_copy(live: LiveSession, clock: FakeClock) -> None:
    assert live.path is not None
    ours = live.path.read_text()
    # A sync tool brings back the other machine's older version: "second" is missing.
    live.path.write_text(ours.replace("- [00:01:00] second\n", ""))
    clock.advance(60)
    live.add_note("third")  # the save is where the change is noticed
    [change] = live.outside
    assert change.adopted and change.lost == 1 and change.copy is not None
    assert "dropped 1 line of this session" in change.message() and change.copy.name in change.message()
    assert change.copy.read_text() == ours, "our version, byte for byte"
    assert note_texts(live.path) == ["first", "third"]
    assert session_paths(live.home, live.client.slug) == [live.path], "a copy is never counted as a session"
    assert conflict_copies(live.home, live.client.slug) == [change.copy], "the review's Problems tab lists it"
    assert change.copy.stat().st_mode & 0o777 == 0o600


def test_a_file_broken_outside_is_left_alone_and_notes_wait_until_it_is_fixed(live: LiveSession, clock: FakeClock) -> None:
    assert live.path is not None
    ours = live.path.read_text()
    broken = ours.replace("+++\n", "+++\n[[[\n", 1)
    live.path.write_text(broken)
    digest = hashlib.sha256(live.path.read_bytes()).hexdigest()
    clock.advance(60)
    with pytest.raises(SaveFailed):
        live.add_note("said while the file was broken")
    [change] = live.outside
    assert not change.adopted and f"{live.path.name}:2:" in change.problem
    assert change.copy is not None and change.copy.read_text() == ours
    assert hashlib.sha256(live.path.read_bytes()).hexdigest() == digest, "a broken file is never rewritten"
    assert [n.text for n in live.pending] == ["said while the file was broken"]
    with pytest.raises(SaveFailed):
        live.flush()
    assert len(live.outside) == 1 and len(copies(live)) == 1, "one change, one copy, however many saves fail"
    live.path.write_text(ours)  # the coach mends it
    assert [n.text for n in live.flush()] == ["said while the file was broken"]
    assert note_texts(live.path) == ["first", "second", "said while the file was broken"]
    assert len(copies(live)) == 1


def test_a_session_file_removed_outside_is_kept_as_a_copy(live: LiveSession, clock: FakeClock) -> None:
    assert live.path is not None
    ours = live.path.read_text()
    live.path.unlink()
    change = live.check_outside()
    assert change is not None and change.problem == "the file is gone"
    assert change.copy is not None and change.copy.read_text() == ours


def test_client_file_changed_outside_is_read_again_and_a_broken_one_is_reported(live: LiveSession) -> None:
    path = live.client.path
    path.write_text(path.read_text().replace("Leave the bank by spring", "Leave the bank by the summer"))
    checked = live.check_client_file()
    assert checked is not None
    message, broken = checked
    assert not broken and "the goals shown are its new version" in message
    assert [g.title for g in live.client.goals] == ["Leave the bank by the summer"]
    path.write_text(path.read_text() + "\n[[goals]\n")
    checked = live.check_client_file()
    assert checked is not None
    message, broken = checked
    assert broken and f"{path}:" in message and "cannot be read now" in message
    assert [g.title for g in live.client.goals] == ["Leave the bank by the summer"], "the last good version stays"
    assert live.check_client_file() is None, "reported once"
