"""Due dates on actions: "by Friday", "due 2026-12-04", and the due:YYYY-MM-DD a session file keeps."""

from __future__ import annotations

from datetime import date

import pytest

from sessionpal.core.due import describe_due, due_from_text, split_due, with_due
from sessionpal.core.live import LiveSession
from sessionpal.core.model import ActionState
from sessionpal.core.paths import Home
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock

from ..helpers import START

MONDAY, FRIDAY = date(2026, 11, 23), date(2026, 11, 27)


@pytest.mark.parametrize(
    ("typed", "today", "words", "due"),
    [
        ("Draft the list by Friday", MONDAY, "Draft the list by Friday", FRIDAY),
        ("Draft the list by fri", MONDAY, "Draft the list by fri", FRIDAY),
        ("Draft the list by Friday", FRIDAY, "Draft the list by Friday", date(2026, 12, 4)),  # said on a Friday: next week's
        ("Call Marta by next Monday", MONDAY, "Call Marta by next Monday", date(2026, 11, 30)),
        ("Book the physio by tomorrow", MONDAY, "Book the physio by tomorrow", date(2026, 11, 24)),
        ("Send it by 2026-12-24", MONDAY, "Send it by 2026-12-24", date(2026, 12, 24)),
        ("Draft the list due 2026-12-04", MONDAY, "Draft the list", date(2026, 12, 4)),
        ("Draft the list due:2026-12-04", MONDAY, "Draft the list", date(2026, 12, 4)),
        ("Draft the list due 2026-02-30", MONDAY, "Draft the list due 2026-02-30", None),  # no such day: words as typed
        ("Draft the list due 0001-01-01", MONDAY, "Draft the list due 0001-01-01", None),  # outside 1970-2199: no date
        ("Send it by 9999-12-31", MONDAY, "Send it by 9999-12-31", None),
        ("Stand by her decision", MONDAY, "Stand by her decision", None),
        ("Go by bike", MONDAY, "Go by bike", None),
    ],
)
def test_what_a_coach_types_gives_a_due_date(typed: str, today: date, words: str, due: date | None) -> None:
    assert due_from_text(typed, today) == (words, due)


def test_the_file_keeps_the_date_at_the_end_of_the_line() -> None:
    assert with_due("Draft the list by Friday", FRIDAY) == "Draft the list by Friday due:2026-11-27"
    assert split_due("Draft the list by Friday due:2026-11-27") == ("Draft the list by Friday", FRIDAY)
    assert split_due("Pay due:2026-13-01") == ("Pay due:2026-13-01", None)
    assert split_due("Pay due:9999-12-31") == ("Pay due:9999-12-31", None), "a hand-typed year 9999 is words, not a date"
    assert describe_due(FRIDAY, MONDAY) == ("due Fri 27 Nov", False)
    assert describe_due(MONDAY, FRIDAY) == ("overdue since Mon 23 Nov", True)
    assert describe_due(FRIDAY, FRIDAY) == ("due today", False)


def test_an_action_typed_in_a_session_keeps_its_due_date_and_an_edit_keeps_it_too(home: Home) -> None:
    from sessionpal.core.clients import create_client

    ana = create_client(home, "Ana Pérez", 45)
    live = LiveSession(home, ana, FakeClock(START), FALLBACK_MODEL, 45)  # START is a Monday
    live.add_note("!Draft the list by Friday")
    live.add_note("!Call Marta due 2026-12-04")
    assert live.path is not None
    text = live.path.read_text()
    assert "- [ ] [00:00:00] Draft the list by Friday due:2026-11-27" in text and "Call Marta due:2026-12-04" in text
    actions = read_session(live.path).actions
    assert [(a.text, a.due) for a in actions] == [("Draft the list by Friday", FRIDAY), ("Call Marta", date(2026, 12, 4))]
    second = next(item for item in live.log() if getattr(item.entry, "text", "") == "Call Marta")
    live.edit(second, "!Call Marta and Lou")  # the words changed, the date was not said again: it holds
    assert read_session(live.path).actions[1].due == date(2026, 12, 4)
    assert read_session(live.path).actions[1].state is ActionState.OPEN


def test_the_client_s_recap_says_when(home: Home) -> None:
    from sessionpal.core.clients import create_client
    from sessionpal.core.export import share_recap

    ana = create_client(home, "Ana Pérez", 45)
    live = LiveSession(home, ana, FakeClock(START), FALLBACK_MODEL, 45)
    live.add_note("!Draft the list by Friday")
    live.add_note("!Call Marta due 2026-12-04")
    assert live.path is not None
    recap = share_recap(live.path, ana)
    assert "- [ ] Draft the list by Friday (27 November)\n" in recap, "the words say the weekday: the date says which (26.12)"
    assert "- [ ] Call Marta (by Friday 04 December)" in recap
    live.add_note("!Book the room by tomorrow")
    assert "- [ ] Book the room by tomorrow (Tuesday 24 November)" in share_recap(live.path), "one 'by', not two"


def test_the_recap_names_the_goals_this_session_made_or_changed(home: Home) -> None:
    """Issue 26.12: the recap names new and changed goals, in the client's words; earlier and later changes stay out."""
    from datetime import timedelta

    from sessionpal.core.clients import create_client, load_client
    from sessionpal.core.export import share_recap
    from sessionpal.core.goals import add_goal, change_goal_status
    from sessionpal.core.model import GoalStatus

    ana = create_client(home, "Ana Pérez", 45)
    add_goal(home, ana.slug, "Run 5 km", at=START - timedelta(days=30))
    add_goal(home, ana.slug, "Sleep by eleven", at=START - timedelta(days=30))
    clock = FakeClock(START)
    live = LiveSession(home, load_client(ana.path), clock, FALLBACK_MODEL, 45)
    live.start()
    clock.advance(600)
    live.goals.add_goal("Find a mentor in design", "")
    live.goals.change_goal("run-5-km", GoalStatus.ON_TRACK, "two runs this week")
    clock.advance(1800)
    live.end()
    change_goal_status(home, ana.slug, "sleep-by-eleven", GoalStatus.STALLED, "later", at=START + timedelta(days=3))
    assert live.path is not None
    recap = share_recap(live.path, load_client(ana.path))
    assert "## Your goals\n\n- Run 5 km: on track\n- New goal: Find a mentor in design\n" in recap
    assert "Sleep by eleven" not in recap, "a change made after the session is not this session's"
