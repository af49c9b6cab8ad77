"""Today's calls on the client list (issue 30): the strip with a fake clock, Enter on a call, the blind, a call
that names no client said to be someone's, one that names two asking which."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App
from textual.pilot import Pilot

from sessionpal.core.calendar import CalendarEvent, Call
from sessionpal.core.clients import calendar_names, create_client, set_engagement
from sessionpal.core.model import Engagement
from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.dialogs.confirm import ChoiceDialog
from sessionpal.ui.screens.clients import ClientPickerScreen
from sessionpal.ui.widgets.today import TodayStrip, countdown

from .conftest import SnapCompare, build_demo_home, make_app, session_screen, settle, until

SIZE = (110, 36)
ZONE = timezone(timedelta(hours=1))
DAY = date(2026, 11, 23)


def vevent(uid: str, hour: int, minute: int, minutes: int, summary: str) -> str:
    start = datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=ZONE).astimezone(UTC)
    end = start + timedelta(minutes=minutes)
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{end:%Y%m%dT%H%M%SZ}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
    )


def calendar_home(home: Home, calendar: Path, *events: str) -> Home:
    """The demo home with Ngozi (50-minute sessions) and a calendar of today's calls."""
    build_demo_home(home)
    create_client(home, "Ngozi Adeyemi", 50, date(2026, 10, 1))
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n", encoding="utf-8")
    home.config_file.write_text(f'[calendar]\nsources = ["{calendar}"]\n', encoding="utf-8")
    return home


DAY_CALLS = (
    vevent("a", 8, 0, 45, "Coaching: Ana Pérez"),
    vevent("n", 10, 0, 30, "Ngozi Adeyemi check-in"),
    vevent("x", 12, 0, 30, "Intro call"),
    vevent("both", 15, 0, 60, "Ana Pérez and José Álvarez, three-way"),
)


@pytest.fixture
def day_home(home: Home, tmp_path: Path) -> Home:
    return calendar_home(home, tmp_path / "work.ics", *DAY_CALLS)


def at(hour: int, minute: int) -> FakeClock:
    return FakeClock(datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=ZONE))


def picker(app: App[Any]) -> ClientPickerScreen:
    screen = app.screen
    assert isinstance(screen, ClientPickerScreen), screen
    return screen


def strip_text(app: App[Any]) -> list[str]:
    """The strip's lines, as it draws them from what the screen bound into it."""
    return str(app.screen.query_one(TodayStrip).render()).splitlines()


async def read(pilot: Any) -> None:
    await settle(pilot)
    assert await until(pilot, lambda: (t := picker(pilot.app).today) is not None and t.read), "the calendar was read"


async def test_the_strip_counts_down_to_the_next_call_then_says_it_is_under_way(day_home: Home) -> None:
    clock = at(9, 48)
    app = make_app(day_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        lines = strip_text(app)
        assert lines[1:] == [
            "  08:00–08:45  Ana Pérez",
            "  10:00–10:30  Ngozi Adeyemi · in 12 min",
            "  12:00–12:30  not matched · “Intro call” · Enter says whose",
            "  15:00–16:00  ambiguous: Ana Pérez or José Álvarez · Enter asks which",
        ], lines
        clock.advance(5 * 60)
        assert await until(pilot, lambda: "Ngozi Adeyemi · in 7 min" in strip_text(app)[2])
        clock.advance(22 * 60)  # 10:15
        assert await until(pilot, lambda: strip_text(app)[2].endswith("Ngozi Adeyemi · under way · 15 min left"))
        clock.advance(20 * 60)  # 10:35: Ngozi's is over, the next is the one at noon
        assert await until(pilot, lambda: strip_text(app)[3].endswith("Enter says whose · in 1 h 25 min"))
        assert "·" not in strip_text(app)[2].split("Ngozi Adeyemi")[1]


async def test_enter_on_the_next_call_opens_its_client_as_long_as_the_call_is_booked(day_home: Home) -> None:
    app = make_app(day_home, at(9, 48), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        assert picker(app).call_cursor is None
        await pilot.press("ctrl+t")
        assert picker(app).call_cursor == 1, "the call next is the one chosen"
        assert strip_text(app)[2].startswith("▸ 10:00")
        await pilot.press("enter")
        await settle(pilot)
        screen = session_screen(app)
        assert screen.live.client.name == "Ngozi Adeyemi"
        assert screen.live.timer.read().planned == 30 * 60, "the call is booked for 30 minutes, not her usual 50"


async def test_keys_typed_at_once_go_where_the_state_says(day_home: Home) -> None:
    """ctrl+t, ↑ and Enter with no pause: Enter opens the call above (Ana's), never the list's highlighted client."""
    app = make_app(day_home, at(9, 48), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        await pilot.press("ctrl+t", "up", "enter")
        await settle(pilot)
        screen = session_screen(app)
        assert screen.live.client.name == "Ana Pérez" and screen.live.timer.read().planned == 45 * 60, "her usual length: the call is as long"


async def test_typing_leaves_the_strip_for_the_list(day_home: Home) -> None:
    app = make_app(day_home, at(9, 48), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        await pilot.press("ctrl+t", *"jose")
        assert picker(app).call_cursor is None
        await pilot.press("enter")
        await settle(pilot)
        assert session_screen(app).live.client.name == "José Álvarez"


async def test_behind_the_blind_the_strip_shows_times_only(day_home: Home) -> None:
    app = make_app(day_home, at(9, 48), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        await pilot.press("f9")
        await pilot.pause()
        lines = strip_text(app)
        for name in ("Ana", "Ngozi", "José", "Intro"):
            assert all(name not in line for line in lines)
        assert lines[2] == "  10:00–10:30  a call · in 12 min"
        await pilot.press("ctrl+t", "down", "enter")  # the noon call names no one: saying whose needs the names
        await pilot.pause()
        assert picker(app).assigning is None


async def test_a_call_that_names_no_client_is_said_to_be_someones_and_remembered(day_home: Home) -> None:
    app = make_app(day_home, at(11, 0), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        await pilot.press("ctrl+t")
        assert picker(app).call_cursor == 2, "the noon call is next"
        await pilot.press("enter")
        assert picker(app).assigning is not None
        await pilot.press(*"ngozi", "enter")
        await settle(pilot)
        assert calendar_names(day_home.client_file("ngozi-adeyemi")) == ("Intro call",)
        assert "calendar_names" in day_home.client_file("ngozi-adeyemi").read_text(encoding="utf-8")
        assert await until(pilot, lambda: "Ngozi Adeyemi · in 1 h 00 min" in strip_text(app)[3]), strip_text(app)
        assert isinstance(app.screen, ClientPickerScreen), "said whose, not opened"


async def test_a_call_that_names_two_clients_asks_which(day_home: Home) -> None:
    app = make_app(day_home, at(14, 30), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        await pilot.press("ctrl+t", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert [c[0] for c in dialog.choices if c] == ["ana-perez", "jose-alvarez", "cancel"]
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = session_screen(app)
        assert screen.live.client.name == "José Álvarez" and screen.live.timer.read().planned == 60 * 60


async def test_no_calendar_no_strip(home: Home) -> None:
    build_demo_home(home)
    app = make_app(home, at(9, 48), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert picker(app).today is None and not app.screen.query_one(TodayStrip).display
        await pilot.press("ctrl+t", "enter")
        await settle(pilot)
        assert session_screen(app).live.client.name == "Ana Pérez", "Enter is the list's"


async def test_a_calendar_that_cannot_be_read_is_one_line_and_the_list_works(home: Home, tmp_path: Path) -> None:
    calendar_home(home, tmp_path / "work.ics", *DAY_CALLS)
    (tmp_path / "work.ics").write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026\r\n", encoding="utf-8")
    app = make_app(home, at(9, 48), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        lines = strip_text(app)
        assert lines[0] == "Today · no calls" and len(lines) == 2 and lines[1].startswith(str(tmp_path / "work.ics")), lines
        await pilot.press("enter")
        await settle(pilot)
        assert session_screen(app).live.client.name == "Ana Pérez"


# ---- the engagement's next session -------------------------------------------------------------------


def card_text(app: App[Any]) -> str:
    from sessionpal.ui.widgets.last_time import LastTimeCard

    return str(app.screen.query_one(LastTimeCard).render())


def engaged(home: Home) -> None:
    set_engagement(home, "ngozi-adeyemi", Engagement(sessions=8, next_session=date(2026, 12, 14)), DAY)


async def test_the_next_session_is_the_clients_next_call_in_the_calendar(home: Home, tmp_path: Path) -> None:
    next_week = vevent("later", 10, 0, 50, "Ngozi Adeyemi").replace("20261123", "20261130")
    calendar_home(home, tmp_path / "work.ics", *DAY_CALLS, next_week)
    engaged(home)
    app = make_app(home, at(9, 55), client="Ngozi Adeyemi")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Today's 10:00 call is this session: the next one is a week on, and it wins over the date typed in.
        assert await until(pilot, lambda: "next session Mon 30 Nov at 10:00" in card_text(app)), card_text(app)
        assert "14 Dec" not in card_text(app)


async def test_without_a_calendar_the_engagements_own_date_is_the_next_session(home: Home) -> None:
    build_demo_home(home)
    create_client(home, "Ngozi Adeyemi", 50, date(2026, 10, 1))
    engaged(home)
    app = make_app(home, at(9, 55), client="Ngozi Adeyemi")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "next session Mon 14 Dec" in card_text(app)


def test_the_client_list_with_todays_calls_100x30(snap_compare: SnapCompare, home: Home, tmp_path: Path) -> None:
    """At 10:15: Ana's call over, Ngozi's under way, then one not matched and one naming two; a call chosen."""
    calendar_home(home, tmp_path / "work.ics", *DAY_CALLS)

    async def run_before(pilot: Pilot[Any]) -> None:
        await read(pilot)
        await pilot.press("ctrl+t", "down")
        await pilot.pause()

    assert snap_compare(make_app(home, at(10, 15), client=None), terminal_size=(100, 30), run_before=run_before)


def in_words(minutes: int) -> str:
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


@given(st.integers(min_value=1, max_value=60 * 60 * 20), st.integers(min_value=1, max_value=600 * 60 - 1), st.integers(min_value=5, max_value=600))
def test_the_countdown_is_whole_minutes_rounded_up(before: int, into: int, minutes: int) -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)
    start = now + timedelta(seconds=before)
    call = Call(CalendarEvent(start, start + timedelta(minutes=minutes), "Sam Lee"))
    assert countdown(call, now) == f"in {in_words(math.ceil(before / 60))}"
    inside = start + timedelta(seconds=into % (minutes * 60))
    assert countdown(call, inside) == f"under way · {in_words(math.ceil((call.event.end - inside).total_seconds() / 60))} left"


FIRST_FRAME_PROBE = """
import asyncio, json, sys
from pathlib import Path

from sessionpal.core.paths import Home
from sessionpal.ui.app import SessionPalApp
from sessionpal.ui.screens.clients import ClientPickerScreen

seen = {}
mount = ClientPickerScreen.on_mount

def on_mount(screen):
    def look():
        today = screen.today
        seen["first"] = dict(calendar="sessionpal.core.calendar" in sys.modules, icalendar="icalendar" in sys.modules,
                             strip=None if today is None else today.read)
    screen.call_after_refresh(look)
    mount(screen)

ClientPickerScreen.on_mount = on_mount

async def main():
    app = SessionPalApp(Home(Path(sys.argv[1])))
    async with app.run_test(size=(110, 36)) as pilot:
        while "first" not in seen or not (app.screen.today and app.screen.today.read):
            await pilot.pause(0.01)
        seen["later"] = dict(icalendar="icalendar" in sys.modules, calls=len(app.screen.today.calls))
    print(json.dumps(seen))

asyncio.run(main())
"""


def test_the_calendar_is_read_after_the_lists_first_frame(day_home: Home) -> None:
    """In a fresh process: at the list's first frame the strip says it is reading, and neither the calendar's module
    nor icalendar is imported; then the worker reads the day's calls."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", FIRST_FRAME_PROBE, str(day_home.root)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["first"] == {"calendar": False, "icalendar": False, "strip": False}
    assert seen["later"]["icalendar"] is True, "the look came before the reading, so the test can fail"


async def test_the_coachs_keymap_moves_the_strips_key(day_home: Home) -> None:
    with day_home.config_file.open("a", encoding="utf-8") as config:
        config.write('\n[keys]\ntoday = "f6"\n')
    app = make_app(day_home, at(9, 48), client=None)
    async with app.run_test(size=SIZE) as pilot:
        await read(pilot)
        assert strip_text(app)[0] == "Today  F6 to choose a call"
        await pilot.press("ctrl+t")
        assert picker(app).call_cursor is None, "ctrl+t is no longer it"
        await pilot.press("f6", "enter")
        await settle(pilot)
        assert session_screen(app).live.client.name == "Ngozi Adeyemi"
