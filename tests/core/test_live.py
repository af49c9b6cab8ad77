import errno
import random
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

import pytest

from sessionpal.core import fsio
from sessionpal.core.clients import create_client, load_client
from sessionpal.core.deck import Deck, DeckQuery, asked_ago
from sessionpal.core.goals import add_goal
from sessionpal.core.history import client_history, last_time
from sessionpal.core.live import LiveSession, close_unfinished, parse_typed, typed_form, unsaved_gap
from sessionpal.core.model import Action, ActionState, AskedQuestion, Client, GoalStatus, Note, NoteKind, Phase, Question
from sessionpal.core.packs import load_library
from sessionpal.core.paths import Home
from sessionpal.core.saving import SaveFailed
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessionfile import SessionDocument
from sessionpal.core.sessions import find_unfinished, read_session
from sessionpal.core.timer import FakeClock, TimerState

from ..helpers import as_moment, no_temp_files, present, state_now


@pytest.fixture
def client(home: Home) -> Client:
    client = create_client(home, "Ana Pérez", 45, date(2026, 11, 1))
    add_goal(home, client.slug, "Leave the bank by spring", value="freedom", at=as_moment(date(2026, 11, 1)))
    return load_client(client.path, client.slug)


@pytest.fixture
def live(home: Home, client: Client, clock: FakeClock) -> LiveSession:
    return LiveSession(home, client, clock, FALLBACK_MODEL, 45)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("plain note", (NoteKind.NOTE, "plain note")),
        ("! call mum", (NoteKind.ACTION, "call mum")),
        ('"I always give up', (NoteKind.QUOTE, "I always give up")),
        ('"I always give up"', (NoteKind.QUOTE, "I always give up")),
        ("*values freedom", (NoteKind.INSIGHT, "values freedom")),
        ("? what would it take", (NoteKind.QUESTION, "what would it take")),
        ("\\!not an action", (NoteKind.NOTE, "!not an action")),
        ("!", (NoteKind.NOTE, "!")),
        ("  spaced  ", (NoteKind.NOTE, "spaced")),
        ("line one\nline two", (NoteKind.NOTE, "line one line two")),
        ("", (NoteKind.NOTE, "")),
    ],
)
def test_parse_typed(typed: str, expected: tuple[NoteKind, str]) -> None:
    assert parse_typed(typed) == expected


@pytest.mark.parametrize(
    "entry", [Note(1, "x"), Note(1, "q", NoteKind.QUOTE), Note(1, "i", NoteKind.INSIGHT), Note(1, "?", NoteKind.QUESTION), Note(1, "!x"), Action("do")]
)
def test_typed_form_round_trips(entry: Note | Action) -> None:
    kind, text = parse_typed(typed_form(entry))
    assert text == entry.text
    assert kind == (NoteKind.ACTION if isinstance(entry, Action) else entry.kind)


def test_first_note_starts_the_session_and_is_on_disk(live: LiveSession, clock: FakeClock, home: Home) -> None:
    assert not live.started and live.timer.state is TimerState.READY
    clock.advance(3)
    note = live.add_note("wants to leave by spring")
    assert live.started and state_now(live.timer) is TimerState.RUNNING
    assert note == Note(0, "wants to leave by spring")
    on_disk = read_session(live.path)
    assert on_disk.notes == [note]
    assert live.path.name == "2026-11-23T1000.md"
    assert on_disk.info.client == "ana-perez" and on_disk.info.planned_minutes == 45


def test_every_kind_lands_in_its_section(live: LiveSession, clock: FakeClock) -> None:
    live.start()
    for typed in ("a note", '"their words', "*an insight", "?my question", "!an action"):
        clock.advance(10)
        live.add_note(typed)
    assert live.path is not None
    document = read_session(live.path)
    assert [(n.stamp, n.kind) for n in document.notes] == [(10, NoteKind.NOTE), (20, NoteKind.QUOTE), (30, NoteKind.INSIGHT), (40, NoteKind.QUESTION)]
    assert document.actions == [Action("an action", 50)]
    assert [e.stamp for e in live.log()] == [10, 20, 30, 40, 50]


def test_asked_questions_are_recorded_once_in_front_matter(live: LiveSession, clock: FakeClock) -> None:
    question = Question("awareness", "what-else", "What else?", phase=Phase.EXPLORE)
    clock.advance(65)
    live.mark_asked(question)
    clock.advance(60)
    live.mark_asked(question)
    assert live.path is not None
    document = read_session(live.path)
    assert document.asked == [AskedQuestion(0, "What else?", "awareness/what-else"), AskedQuestion(60, "What else?", "awareness/what-else")]
    assert document.info.questions == ("awareness/what-else",)
    assert live.asked_refs() == {"awareness/what-else"}


def test_pause_resume_and_timer_saves(live: LiveSession, clock: FakeClock) -> None:
    live.start()
    clock.advance(100)
    live.toggle()
    assert live.timer.state is TimerState.PAUSED
    assert live.path is not None
    info = read_session(live.path).info
    assert (info.timer, info.elapsed_seconds) == ("paused", 100)
    clock.advance(500)
    live.toggle()
    clock.advance(4)
    assert not live.save_timer(if_due=True)
    clock.advance(1)
    assert live.save_timer(if_due=True)
    info = read_session(live.path).info
    assert (info.timer, info.elapsed_seconds) == ("running", 105)


def test_edit_delete_and_tick(live: LiveSession, clock: FakeClock) -> None:
    live.add_note("typo hre")
    clock.advance(5)
    live.add_note("!send draft")
    note_item, action_item = live.log()
    live.edit(note_item, '"what she said')
    live.set_action_state(action_item, ActionState.DONE)
    assert live.path is not None
    document = read_session(live.path)
    assert document.notes == [Note(0, "what she said", NoteKind.QUOTE)]
    assert document.actions == [Action("send draft", 5, ActionState.DONE)]
    live.edit(live.log()[0], "!now an action")
    document = read_session(live.path)
    assert document.notes == [] and Action("now an action", 0) in document.actions
    for item in live.log():
        live.delete(item)
    assert read_session(live.path).actions == []


def test_edit_refuses_when_the_line_changed_on_disk(live: LiveSession) -> None:
    live.add_note("original")
    item = live.log()[0]
    assert live.path is not None
    live.path.write_text(live.path.read_text().replace("original", "changed by hand"))
    with pytest.raises(SaveFailed, match="changed in the file"):
        live.edit(item, "mine")
    assert "changed by hand" in live.path.read_text()


def test_a_failed_write_keeps_the_note_and_retries(live: LiveSession, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, home: Home) -> None:
    live.add_note("first")
    real_write = fsio._os_write

    def disk_full(fd: int, data: bytes) -> NoReturn:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsio, "_os_write", disk_full)
    clock.advance(10)
    with pytest.raises(SaveFailed, match="disk is full"):
        live.add_note("second")
    clock.advance(10)
    with pytest.raises(SaveFailed):
        live.add_note("third")
    assert [n.text for n in live.pending] == ["second", "third"]
    assert live.path is not None
    assert [n.text for n in read_session(live.path).notes] == ["first"]
    assert no_temp_files(home.root) == []
    monkeypatch.setattr(fsio, "_os_write", real_write)
    assert [n.text for n in live.flush()] == ["second", "third"]
    assert live.pending == []
    assert [(n.stamp, n.text) for n in read_session(live.path).notes] == [(0, "first"), (10, "second"), (20, "third")]


def test_goal_changes_are_written_and_recorded(live: LiveSession, clock: FakeClock, home: Home) -> None:
    live.start()
    change = live.goals.change_goal("leave-the-bank-by-spring", GoalStatus.AT_RISK, "restructuring")
    assert (change.before, change.after) == (GoalStatus.ACTIVE, GoalStatus.AT_RISK)
    assert present(live.client.goal("leave-the-bank-by-spring")).status is GoalStatus.AT_RISK
    assert live.path is not None
    assert read_session(live.path).info.goals == ("leave-the-bank-by-spring",)
    assert present(load_client(live.client.path).goal("leave-the-bank-by-spring")).history[0].note == "restructuring"


def test_summary_goal_changes_survive_a_restart(home: Home, client: Client, clock: FakeClock) -> None:
    first = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
    first.start()
    first.goals.change_goal("leave-the-bank-by-spring", GoalStatus.AT_RISK, "restructuring")
    first.goals.add_goal("Run 5 km")
    assert first.path is not None
    # The app is closed and reopened: a new LiveSession on the same file.
    resumed = LiveSession(home, load_client(client.path), clock, FALLBACK_MODEL, 45, document=read_session(first.path))
    resumed.goals.change_goal("leave-the-bank-by-spring", GoalStatus.STALLED, "no energy")
    changes = {c.goal_id: c for c in resumed.end().goal_changes}
    leave = changes["leave-the-bank-by-spring"]
    assert (leave.before, leave.after, leave.note) == (GoalStatus.ACTIVE, GoalStatus.STALLED, "restructuring; no energy")
    assert (changes["run-5-km"].before, changes["run-5-km"].after) == (None, GoalStatus.ACTIVE)


def test_end_and_summary(live: LiveSession, clock: FakeClock) -> None:
    live.add_note("a")
    live.add_note("!b")
    clock.advance(45 * 60 + 30)
    summary = live.end()
    assert live.path is not None
    info = read_session(live.path).info
    assert info.is_finished and info.ended == clock.now() and info.elapsed_seconds == 2730
    assert (summary.notes, summary.asked, [a.text for a in summary.actions]) == (1, 0, ["b"])
    assert live.ended
    before = live.path.read_bytes()
    with pytest.raises(SaveFailed, match="final"):
        live.add_note("too late")
    assert live.path.read_bytes() == before


def test_resume_after_a_crash(home: Home, client: Client, clock: FakeClock) -> None:
    first = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
    first.add_note("before the crash")
    clock.advance(300)
    first.save_timer()
    clock.advance(42)  # the process dies here; 42 s were never saved
    unfinished = find_unfinished(home, client.slug)
    assert unfinished is not None and first.path is not None
    assert unfinished.path == first.path
    assert unsaved_gap(unfinished, clock.now()) == 42
    resumed = LiveSession(home, client, clock, FALLBACK_MODEL, 45, document=unfinished)
    assert resumed.timer.state is TimerState.PAUSED and resumed.timer.elapsed == 300
    resumed.add_time(42)
    resumed.toggle()
    clock.advance(8)
    resumed.add_note("after")
    assert [(n.stamp, n.text) for n in read_session(first.path).notes] == [(0, "before the crash"), (350, "after")]


def test_close_unfinished(home: Home, client: Client, clock: FakeClock) -> None:
    live = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
    live.start()
    assert live.path is not None
    closed = close_unfinished(read_session(live.path), clock.now())
    assert closed.info.is_finished and find_unfinished(home, client.slug) is None


def test_last_time_and_asked_before(home: Home, client: Client, clock: FakeClock) -> None:
    live = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
    live.mark_asked(Question("awareness", "what-else", "What else?"))
    live.add_note("!book the meeting")
    live.add_note("one")
    live.add_note("two")
    live.end()
    card = last_time(home, client.slug)
    assert card is not None
    assert card.when == date(2026, 11, 23)
    assert [a.text for a in card.open_actions] == ["book the meeting"]
    assert [n.text for n in card.last_notes] == ["one", "two"]
    assert client_history(home, client.slug, with_notes=0).asked == {"awareness/what-else": date(2026, 11, 23)}


def test_deck_filters_by_phase_tag_and_words() -> None:
    library = load_library(None)
    deck = Deck(library.questions(), starred={"closing/sum-up"})
    explore = deck.matching(DeckQuery(), Phase.EXPLORE)
    assert explore and all(q.phase is Phase.EXPLORE for q in explore)
    assert deck.matching(DeckQuery.parse("@clos"), Phase.EXPLORE)[0].ref == "closing/sum-up"
    values = deck.matching(DeckQuery.parse("#values @all"))
    assert values and all("values" in q.tags for q in values)
    assert [q.ref for q in deck.matching(DeckQuery.parse("@all afraid"))] == ["awareness/afraid-might-happen", "awareness/if-not-afraid"]
    assert deck.matching(DeckQuery.parse("@all zzzz")) == []
    opening_values = DeckQuery.parse("values")
    assert deck.matching(opening_values, Phase.OPENING) == [] and deck.in_other_phases(opening_values, Phase.OPENING) == len(
        deck.matching(DeckQuery.parse("values @all"))
    )
    assert deck.in_other_phases(DeckQuery.parse("values @all"), Phase.OPENING) == 0


def test_the_deck_filter_finds_words_inside_scripts_written_without_spaces() -> None:
    questions = [Question("p", "a", "你想跑马拉松吗？", phase=Phase.EXPLORE), Question("p", "b", "ความฝันของคุณคืออะไร", phase=Phase.EXPLORE)]
    deck = Deck(questions)
    assert [q.id for q in deck.matching(DeckQuery.parse("马拉松"), Phase.EXPLORE)] == ["a"]
    assert [q.id for q in deck.matching(DeckQuery.parse("ฝัน"), Phase.EXPLORE)] == ["b"]


def test_draw_prefers_questions_never_asked_of_this_client() -> None:
    questions = [Question("p", f"q{i}", f"Q{i}?") for i in range(5)]
    deck = Deck(questions, asked_before={"p/q0": date(2026, 1, 1), "p/q1": date(2026, 1, 1)}, asked_now={"p/q2"})
    drawn = {present(deck.draw(questions, random.Random(seed))).ref for seed in range(50)}
    assert drawn == {"p/q3", "p/q4"}
    deck.asked_now |= {"p/q3", "p/q4"}
    assert {present(deck.draw(questions, random.Random(s))).ref for s in range(50)} == {"p/q0", "p/q1"}
    deck.asked_now |= {"p/q0", "p/q1"}
    assert deck.draw(questions, random.Random(0)) is None


def test_asked_ago() -> None:
    today = date(2026, 11, 23)
    assert [asked_ago(today - timedelta(days=d), today) for d in (0, 1, 5, 21, 120, 800)] == [
        "today",
        "yesterday",
        "5 days ago",
        "3 weeks ago",
        "4 months ago",
        "2 years ago",
    ]


def test_a_hand_edit_between_two_saves_is_kept(live: LiveSession, clock: FakeClock) -> None:
    live.add_note("one")
    assert live.path is not None
    text = live.path.read_text()
    live.path.write_text(text.replace("## Questions asked", "Typed in my editor.\n\n## Questions asked"))
    live.add_note("two")
    again = live.path.read_text()
    assert "Typed in my editor." in again
    assert [n.text for n in read_session(live.path).notes] == ["one", "two"]


def test_saves_do_not_reread_an_unchanged_file(live: LiveSession, monkeypatch: pytest.MonkeyPatch) -> None:
    from sessionpal.core import sessions

    live.add_note("one")
    reads: list[Path] = []
    real = sessions.read_session

    def counted(path: Path) -> SessionDocument:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(sessions, "read_session", counted)
    for n in range(5):
        live.add_note(f"note {n}")
    assert reads == []
    assert live.path is not None
    assert len(read_session(live.path).notes) == 6


def test_two_sessions_on_one_day_keep_their_goal_changes_apart(home: Home, client: Client, clock: FakeClock) -> None:
    """A goal made in the morning's session is not "new" in the afternoon's, and its morning change is not repeated."""
    morning = LiveSession(home, client, clock, FALLBACK_MODEL, 45)
    morning.start()
    clock.advance(60)
    morning.goals.add_goal("Run 5 km")
    morning.goals.change_goal("leave-the-bank-by-spring", GoalStatus.AT_RISK, "restructuring")
    morning.end()
    clock.advance(3 * 3600)
    afternoon = LiveSession(home, load_client(client.path), clock, FALLBACK_MODEL, 45)
    afternoon.start()
    afternoon.goals.rate_goal("run-5-km", 6)
    afternoon.goals.change_goal("leave-the-bank-by-spring", GoalStatus.ON_TRACK, "found a mentor")
    changes = {c.goal_id: c for c in afternoon.end().goal_changes}
    assert "run-5-km" not in changes, "rated only: the goal was made in the morning, not in this session"
    leave = changes["leave-the-bank-by-spring"]
    assert (leave.before, leave.after, leave.note) == (GoalStatus.AT_RISK, GoalStatus.ON_TRACK, "found a mentor")
    stamp = present(load_client(client.path).goal("run-5-km")).created
    assert morning.document is not None and morning.document.info.started is not None
    assert stamp == morning.document.info.started + timedelta(seconds=60), "a goal's creation carries its time and offset"


def test_a_session_killed_after_a_note_resumes_no_earlier_than_that_note(home: Home, clock: FakeClock) -> None:
    """Issue 26.15: resume offered 00:05 when the last note was stamped 00:00:07 (the kill came before the timer's save)."""
    from sessionpal.core.clients import create_client
    from sessionpal.core.sessions import read_session, update_session
    from sessionpal.ui.dialogs.resume import ResumeDialog

    ana = create_client(home, "Ana Pérez", 45)
    live = LiveSession(home, ana, clock, FALLBACK_MODEL, 45)
    live.start()
    clock.advance(7)
    live.add_note("she arrived late")
    assert live.path is not None
    update_session(live.path, lambda d: d.set_front(elapsed_seconds=5))  # as the file stood when the kill came
    document = read_session(live.path)
    assert document.resume_seconds == 7
    again = LiveSession(home, ana, clock, FALLBACK_MODEL, 45, document=document)
    assert again.timer.elapsed == 7
    assert "Resume it at 00:07 " in str(ResumeDialog(document, gap=0).choices[0]), "the dialog offers the same"
