"""The summary's "Next session…" (issue 30.4): the client's next call from the calendar or a typed time, written
as an invite beside the recap and into the calendar folder marked writable, never into any other."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
from textual.pilot import Pilot
from textual.widgets import Input, Static

from sessionpal.core.invite import invite_path
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.timer import FakeClock
from sessionpal.ui.app import SessionPalApp
from sessionpal.ui.dialogs.next_session import NextSessionDialog
from sessionpal.ui.dialogs.summary import SummaryDialog

from .conftest import make_app, settle, until
from .test_today_flow import DAY_CALLS, ZONE, at, calendar_home, vevent

SIZE = (110, 36)
NEXT_WEEK = vevent("later", 10, 0, 50, "Ngozi Adeyemi").replace("20261123", "20261130")


async def end_session(app: SessionPalApp, pilot: Pilot[Any], minutes: int = 40) -> Path:
    """A note, `minutes`, F12: the summary on screen; the session's file."""
    await settle(pilot)
    await pilot.press(*"wants a new role", "enter")
    await settle(pilot)
    clock = app.clock
    assert isinstance(clock, FakeClock)
    clock.advance(minutes * 60)
    await pilot.press("f12", "enter")
    await pilot.pause()
    assert isinstance(app.screen, SummaryDialog)
    return session_paths(app.home, "ngozi-adeyemi")[-1]


async def next_session_form(app: SessionPalApp, pilot: Pilot[Any]) -> NextSessionDialog:
    """n in the summary: the next session's form."""
    await pilot.press("n")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, NextSessionDialog)
    return dialog


def the_event(path: Path) -> icalendar.Event:
    parsed = icalendar.Calendar.from_ical(path.read_bytes())
    events = [c for c in parsed.walk("VEVENT") if isinstance(c, icalendar.Event)]
    assert len(events) == 1
    return events[0]


async def test_the_next_call_in_the_calendar_is_written_as_an_invite_beside_the_recap_and_into_the_writable_folder(home: Home, tmp_path: Path) -> None:
    calendar_home(home, tmp_path / "work.ics", *DAY_CALLS, NEXT_WEEK)
    vdir = tmp_path / "coaching"
    vdir.mkdir()
    home.config_file.write_text(f'[calendar]\nsources = ["{tmp_path / "work.ics"}", "{vdir}"]\nwritable = "{vdir}"\n', encoding="utf-8")
    exported = (tmp_path / "work.ics").read_bytes()
    app = make_app(home, at(10, 0), client="Ngozi Adeyemi")
    async with app.run_test(size=SIZE) as pilot:
        session = await end_session(app, pilot)
        when = (await next_session_form(app, pilot)).query_one("#next-when", Input)
        assert await until(pilot, lambda: when.value == "2026-11-30 10:00"), "the calendar's next call, a week on"
        assert app.screen.query_one("#next-minutes", Input).value == "50"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryDialog)
        assert "Next session  Mon 30 Nov at 10:00 · invite written" in str(app.screen.query_one("#summary", Static).render())
        beside = invite_path(session)
        event = the_event(beside)
        assert event.decoded("DTSTART") == datetime(2026, 11, 30, 10, 0, tzinfo=ZONE) and event.decoded("DTEND").astimezone(UTC) == datetime(
            2026, 11, 30, 9, 50, tzinfo=UTC
        )
        assert str(event["SUMMARY"]) == "Coaching: Ngozi Adeyemi" and "sessionpal:ngozi-adeyemi" in str(event["DESCRIPTION"])
        assert "new role" not in beside.read_text(), "nothing of the session"
        assert list(vdir.iterdir()) == [], "the calendar has that call already: not added twice"
        # Another time typed: the calendar has no such call, so the invite goes into the writable folder too.
        dialog = await next_session_form(app, pilot)
        assert await until(pilot, lambda: dialog.query_one("#next-when", Input).value == "2026-11-30 10:00")
        dialog.query_one("#next-when", Input).value = "2026-12-01 11:00"
        await pilot.press("enter")
        await pilot.pause()
        assert the_event(beside).decoded("DTSTART") == datetime(2026, 12, 1, 11, 0, tzinfo=ZONE), "the same file, the new time"
        added = list(vdir.glob("*.ics"))
        assert len(added) == 1 and added[0].read_bytes() == beside.read_bytes()
        assert (tmp_path / "work.ics").read_bytes() == exported, "a source not marked writable is never written"
        await pilot.press("r")
        await pilot.pause()
        assert "## Our next session\n\nTuesday 01 December 2026 at 11:00" in session.with_name(f"{session.stem}.recap.md").read_text()
        assert session_paths(home, "ngozi-adeyemi")[-1] == session, "the invite is never taken for a session"


async def test_without_a_calendar_the_time_is_typed_and_a_bad_one_is_told(home: Home, tmp_path: Path) -> None:
    calendar_home(home, tmp_path / "work.ics")
    home.config_file.write_text("", encoding="utf-8")
    app = make_app(home, at(10, 0), client="Ngozi Adeyemi")
    async with app.run_test(size=SIZE) as pilot:
        session = await end_session(app, pilot)
        dialog = await next_session_form(app, pilot)
        error = dialog.query_one("#form-error", Static)
        for typed, said in (
            ("next tuesday", "is not a date and time like 2026-12-08 10:00"),
            ("2026-02-30 10:00", "is not a date and time"),
            ("2026-11-01 10:00", "has passed"),
        ):
            dialog.query_one("#next-when", Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog and said in str(error.render()), typed
        assert not invite_path(session).exists()
        dialog.query_one("#next-when", Input).value = "2026-12-07 16:30"
        dialog.query_one("#next-minutes", Input).value = "45"
        await pilot.press("enter")
        await pilot.pause()
        event = the_event(invite_path(session))
        assert event.decoded("DTSTART") == datetime(2026, 12, 7, 16, 30, tzinfo=ZONE)
        assert (event.decoded("DTEND") - event.decoded("DTSTART")).total_seconds() == 45 * 60


async def test_nothing_goes_into_a_calendar_folder_not_marked_writable(home: Home, tmp_path: Path) -> None:
    vdir = tmp_path / "coaching"
    vdir.mkdir()
    (vdir / "call.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + NEXT_WEEK + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    calendar_home(home, tmp_path / "work.ics", *DAY_CALLS)
    home.config_file.write_text(f'[calendar]\nsources = ["{vdir}"]\n', encoding="utf-8")
    app = make_app(home, at(10, 0), client="Ngozi Adeyemi")
    async with app.run_test(size=SIZE) as pilot:
        session = await end_session(app, pilot)
        when = (await next_session_form(app, pilot)).query_one("#next-when", Input)
        assert await until(pilot, lambda: when.value == "2026-11-30 10:00")
        await pilot.press("enter")
        await pilot.pause()
        assert invite_path(session).is_file()
        assert sorted(p.name for p in vdir.iterdir()) == ["call.ics"]


async def test_the_call_this_session_was_for_is_not_offered_as_the_next(home: Home, tmp_path: Path) -> None:
    """Opened early for the 10:00 call (at 09:35) and ended at 09:40: the calendar's 10:00 call is the one just
    had, so the form offers the call a week on (seen in tmux: it offered the call the session was for)."""
    calendar_home(home, tmp_path / "work.ics", *DAY_CALLS, NEXT_WEEK)
    app = make_app(home, at(9, 35), client="Ngozi Adeyemi")
    async with app.run_test(size=SIZE) as pilot:
        await end_session(app, pilot, minutes=5)
        dialog = await next_session_form(app, pilot)
        assert await until(pilot, lambda: dialog.query_one("#next-when", Input).value == "2026-11-30 10:00")
