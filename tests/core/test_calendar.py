"""The calendar: [calendar] in the settings, reading .ics files and vdir folders (repeats, moved and removed
instances, DST, bounded cost on hostile files), placing each call with its client, and the invite's round trip."""

from __future__ import annotations

import time
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events  # type: ignore[import-untyped]  # it ships no type hints
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionpal.core import calendar as cal
from sessionpal.core import fsio
from sessionpal.core.calendar import Agenda, CalendarClient, CalendarEvent, Call, Placer, agenda, calendar_clients, day_window, read_events, week_window
from sessionpal.core.clients import ClientEditError, add_calendar_name, calendar_names, create_client, list_clients, load_client
from sessionpal.core.config import CalendarSettings, CalendarSource, load_config
from sessionpal.core.invite import InviteRefused, add_to_calendar, add_to_source, find_invite, invite_text, make_invite, write_invite
from sessionpal.core.model import Client
from sessionpal.core.paths import Home
from sessionpal.core.problems import FileProblems
from sessionpal.core.safe_text import has_control
from sessionpal.core.saving import SaveFailed
from sessionpal.core.versions import list_versions

from ..helpers import present

LISBON = ZoneInfo("Europe/Lisbon")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = ("Europe/Lisbon", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata", "UTC")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def ics(*events: str, header: str = "") -> str:
    """A calendar file: each event is the lines between BEGIN:VEVENT and END:VEVENT, written with \\n."""
    body = "".join(f"BEGIN:VEVENT\n{event.strip()}\nEND:VEVENT\n" for event in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{header}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n")


def event(uid: str, start: str, end: str, summary: str, *more: str) -> str:
    return "\n".join((f"UID:{uid}", "DTSTAMP:20260101T000000Z", f"DTSTART{start}", f"DTEND{end}", f"SUMMARY:{summary}", *more))


def source(path: Path, writable: bool = False) -> CalendarSettings:
    return CalendarSettings((CalendarSource(path, writable),))


def written(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def starts(found: tuple[CalendarEvent, ...], zone: tzinfo = LISBON) -> list[str]:
    return [f"{e.start.astimezone(zone):%Y-%m-%d %H:%M}" for e in found]


# ---- [calendar] in config.toml and machine.toml ------------------------------------------------------


def test_calendar_sources_are_read_from_the_file_that_names_them(home: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    home.config_file.write_text(
        'bell = true\n\n[calendar]\nsources = ["~/.calendars/coaching", "exports/work.ics", "/srv/cal.ics", "exports/work.ics"]\nwritable = "~/.calendars/coaching"\n'
    )
    loaded = load_config(home)
    assert loaded.problems == [] and loaded.config.bell
    paths = [s.path for s in loaded.calendar.sources]
    assert paths == [tmp_path / "me" / ".calendars" / "coaching", home.root / "exports" / "work.ics", Path("/srv/cal.ics")], (
        "~, relative to the home, once each"
    )
    assert present(loaded.calendar.writable).path == paths[0] and [s.writable for s in loaded.calendar.sources] == [True, False, False]
    assert (loaded.calendar.sources[0].named_in, loaded.calendar.sources[0].line) == (str(home.config_file), 4)
    # This computer's machine.toml replaces [calendar] whole; without one there, config.toml's stands.
    machine = tmp_path / "machine" / "machine.toml"
    machine.parent.mkdir()
    machine.write_text('[calendar]\nsources = ["here.ics"]\n')
    mine = load_config(home, machine)
    assert [s.path for s in mine.calendar.sources] == [machine.parent / "here.ics"] and mine.calendar.writable is None
    machine.write_text("bell = false\n")
    assert [s.path for s in load_config(home, machine).calendar.sources] == paths


@pytest.mark.parametrize(
    ("table", "message", "line"),
    [
        ('sources = "~/cal.ics"', "'sources' must be a list of text", 2),
        ("sources = [3]", "'sources' item 1 must be text", 2),
        ('sources = ["a"]\nwritable = "b"', "writable = 'b' is not one of [calendar] sources", 3),
        ('sources = ["a.ics"]\nwritable = "a.ics"', "is an .ics file: invites are added to a vdir folder only", 3),
        ('sources = ["webcal://example.org/cal.ics", "a"]', "is an address: sessionpal reads calendar files only", 2),
        ('source = ["a"]', "unknown key 'source' in [calendar]; did you mean 'sources'?", 2),
        ("writable = 3", "'writable' must be text", 2),
    ],
)
def test_a_wrong_calendar_setting_is_one_positioned_problem_and_the_rest_stands(home: Home, table: str, message: str, line: int) -> None:
    home.config_file.write_text(f"[calendar]\n{table}\n\n[git]\nautocommit = true\n")
    loaded = load_config(home)
    assert [p.message for p in loaded.problems if message in p.message], loaded.problems
    found = next(p for p in loaded.problems if message in p.message)
    assert (found.path, found.line) == (str(home.config_file), line)
    assert found in loaded.calendar.problems and loaded.config.git_autocommit, "only [calendar] is at fault"
    assert loaded.calendar.writable is None


def test_a_calendar_that_is_not_a_table_is_reported(home: Home) -> None:
    home.config_file.write_text('calendar = "~/cal.ics"\n')
    loaded = load_config(home)
    assert [str(p) for p in loaded.problems] == [f"{home.config_file}:1:1: 'calendar' must be a table, not text"]
    assert loaded.calendar.sources == () and loaded.calendar.problems == tuple(loaded.problems)


# ---- reading: repeats, moved and removed instances, zones ------------------------------------------


WEEKLY = event(
    "weekly-ngozi",
    ";TZID=Europe/Lisbon:20261201T100000",
    ";TZID=Europe/Lisbon:20261201T105000",
    "Ngozi Adeyemi",
    "RRULE:FREQ=WEEKLY;BYDAY=TU",
    "EXDATE;TZID=Europe/Lisbon:20261208T100000",
)
MOVED = event(
    "weekly-ngozi",
    ";TZID=Europe/Lisbon:20261216T140000",
    ";TZID=Europe/Lisbon:20261216T150000",
    "Ngozi Adeyemi (moved)",
    "RECURRENCE-ID;TZID=Europe/Lisbon:20261215T100000",
)


def test_a_weekly_call_with_a_week_off_and_a_moved_instance(tmp_path: Path) -> None:
    path = written(tmp_path, "cal.ics", ics(WEEKLY, MOVED))
    found = read_events(source(path), datetime(2026, 12, 1, tzinfo=LISBON), datetime(2026, 12, 29, tzinfo=LISBON), zone=LISBON)
    assert found.problems == ()
    assert starts(found.events) == ["2026-12-01 10:00", "2026-12-16 14:00", "2026-12-22 10:00"], "the 8th removed, the 15th moved to the 16th"
    assert [e.summary for e in found.events] == ["Ngozi Adeyemi", "Ngozi Adeyemi (moved)", "Ngozi Adeyemi"]
    assert [e.minutes for e in found.events] == [50, 60, 50] and all(e.repeats and e.line == 4 for e in found.events)
    # The moved instance is read even when the window holds only its new day, and not on its old one.
    assert starts(read_events(source(path), *day_window(date(2026, 12, 16), LISBON), zone=LISBON).events) == ["2026-12-16 14:00"]
    assert read_events(source(path), *day_window(date(2026, 12, 15), LISBON), zone=LISBON).events == ()


def test_a_call_keeps_its_zone_across_each_country_s_dst_change(tmp_path: Path) -> None:
    """10:00 in New York every Monday, seen from Lisbon: Europe leaves summer time on 25 October 2026, the
    United States on 1 November, so for one week the call is an hour earlier in Lisbon."""
    text = ics(event("ny", ";TZID=America/New_York:20261019T100000", ";TZID=America/New_York:20261019T110000", "Weekly with Sam", "RRULE:FREQ=WEEKLY;COUNT=3"))
    found = read_events(source(written(tmp_path, "ny.ics", text)), datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC), zone=LISBON)
    assert starts(found.events) == ["2026-10-19 15:00", "2026-10-26 14:00", "2026-11-02 15:00"]
    assert [f"{e.start.astimezone(NEW_YORK):%H:%M}" for e in found.events] == ["10:00"] * 3, "written as 10:00 in New York, it stays so"
    assert all(e.minutes == 60 for e in found.events)
    # The days the clocks change are 23 and 25 hours long.
    spring, autumn = day_window(date(2026, 3, 29), LISBON), day_window(date(2026, 10, 25), LISBON)
    assert [end.astimezone(UTC) - start.astimezone(UTC) for start, end in (spring, autumn)] == [timedelta(hours=23), timedelta(hours=25)]


def test_a_google_export_keeps_its_calendar_s_wall_time(tmp_path: Path) -> None:
    """Google writes times in UTC and the calendar's zone as X-WR-TIMEZONE: a weekly 10:00 in Lisbon stays
    10:00 after the clocks go back, though its UTC start says 09:00."""
    text = ics(event("g", ":20261019T090000Z", ":20261019T095000Z", "Weekly", "RRULE:FREQ=WEEKLY;COUNT=3"), header="X-WR-TIMEZONE:Europe/Lisbon\n")
    found = read_events(source(written(tmp_path, "google.ics", text)), datetime(2026, 10, 1, tzinfo=LISBON), datetime(2026, 11, 30, tzinfo=LISBON), zone=LISBON)
    assert starts(found.events) == ["2026-10-19 10:00", "2026-10-26 10:00", "2026-11-02 10:00"]


def test_what_is_not_a_call(tmp_path: Path) -> None:
    text = ics(
        "UID:allday\nDTSTART;VALUE=DATE:20261208\nDTEND;VALUE=DATE:20261209\nSUMMARY:Ngozi's birthday",
        event("cancelled", ":20261208T090000Z", ":20261208T093000Z", "Sam", "STATUS:CANCELLED"),
        event("workshop", ":20261207T090000Z", ":20261209T170000Z", "Three-day workshop"),
        event("call", ":20261208T110000Z", ":20261208T115000Z", "Ana"),
        event("floating", ":20261208T160000", ":20261208T163000", "Floating"),
        "UID:no-end\nDTSTART:20261208T180000Z\nSUMMARY:Quick check-in",
    )
    found = read_events(source(written(tmp_path, "c.ics", text)), *day_window(date(2026, 12, 8), LISBON), zone=LISBON)
    assert found.problems == ()
    assert [(e.summary, f"{e.start:%H:%M}", e.minutes) for e in found.events] == [
        ("Ana", "11:00", 50),
        ("Floating", "16:00", 30),
        ("Quick check-in", "18:00", 0),
    ]


def test_a_vdir_folder_and_its_collections(tmp_path: Path) -> None:
    vdir = tmp_path / "calendars"
    written(vdir / "work", "a.ics", ics(event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana")))
    written(vdir / "work", ".hidden.ics", ics(event("h", ":20261208T110000Z", ":20261208T115000Z", "Hidden")))
    written(vdir / "work", "notes.txt", "not a calendar")
    written(vdir / "home", "b.ics", ics(event("b", ":20261208T120000Z", ":20261208T125000Z", "Sam")))
    written(vdir / "home" / "deeper", "c.ics", ics(event("c", ":20261208T130000Z", ":20261208T135000Z", "Too deep")))
    written(vdir, "top.ics", ics(event("t", ":20261208T090000Z", ":20261208T095000Z", "Top")))
    found = read_events(source(vdir), *day_window(date(2026, 12, 8), UTC), zone=UTC)
    assert [e.summary for e in found.events] == ["Top", "Ana", "Sam"] and found.problems == ()
    # The same event in a source and an export of it is one call.
    both = CalendarSettings((CalendarSource(vdir), CalendarSource(vdir / "work" / "a.ics")))
    assert [e.summary for e in read_events(both, *day_window(date(2026, 12, 8), UTC), zone=UTC).events] == ["Top", "Ana", "Sam"]


# The bounded reader hands icalendar only the events that can fall in the window: it must find exactly
# what the libraries find reading the whole file.
single = st.tuples(st.integers(0, 60), st.integers(0, 23), st.sampled_from((15, 30, 50, 60, 90)), st.sampled_from(ZONES))
series = st.tuples(st.integers(0, 400), st.integers(6, 20), st.sampled_from(ZONES), st.integers(1, 3), st.one_of(st.none(), st.integers(1, 30)))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(singles=st.lists(single, max_size=25), repeating=st.lists(series, max_size=4), first=st.integers(0, 60), days=st.integers(1, 14))
def test_the_window_s_filter_finds_what_reading_the_whole_file_finds(
    tmp_path: Path, singles: list[tuple[int, int, int, str]], repeating: list[tuple[int, int, str, int, int | None]], first: int, days: int
) -> None:
    base = datetime(2026, 10, 1)
    events = []
    for n, (day, hour, minutes, zone) in enumerate(singles):
        begin = base + timedelta(days=day, hours=hour)
        events.append(event(f"s{n}", f";TZID={zone}:{begin:%Y%m%dT%H%M%S}", f";TZID={zone}:{begin + timedelta(minutes=minutes):%Y%m%dT%H%M%S}", f"single {n}"))
    for n, (back, hour, zone, interval, count) in enumerate(repeating):
        begin = base - timedelta(days=back) + timedelta(hours=hour)
        rule = f"RRULE:FREQ=WEEKLY;INTERVAL={interval}" + (f";COUNT={count}" if count else "")
        events.append(event(f"r{n}", f";TZID={zone}:{begin:%Y%m%dT%H%M%S}", f";TZID={zone}:{begin + timedelta(minutes=50):%Y%m%dT%H%M%S}", f"series {n}", rule))
    text = ics(*events)
    path = written(tmp_path, "whole.ics", text)
    start = datetime(2026, 10, 1, tzinfo=LISBON) + timedelta(days=first)
    end = start + timedelta(days=days)
    found = read_events(source(path), start, end, zone=LISBON)
    assert found.problems == ()
    everything = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(start - timedelta(days=1), end + timedelta(days=1))
    expected = sorted(
        (component.start.astimezone(LISBON), str(component["SUMMARY"])) for component in everything if start <= component.start.astimezone(LISBON) < end
    )
    assert [e.start for e in found.events] == sorted(e.start for e in found.events), "in order of their start"
    assert sorted((e.start, e.summary) for e in found.events) == expected  # ties: the reader orders by end too


# ---- a source that cannot be read, or not wholly --------------------------------------------------


def test_a_missing_source_is_one_line_naming_where_it_is_set_and_the_others_are_read(home: Home, tmp_path: Path) -> None:
    good = written(tmp_path, "good.ics", ics(event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana")))
    home.config_file.write_text(f'# my calendars\n[calendar]\nsources = ["{tmp_path / "gone.ics"}", "{good}"]\n')
    found = read_events(load_config(home).calendar, *day_window(date(2026, 12, 8), UTC), zone=UTC)
    assert [e.summary for e in found.events] == ["Ana"]
    assert [str(p) for p in found.problems] == [f"{home.config_file}:3:1: calendar {tmp_path / 'gone.ics'} not found (named in [calendar] sources)"]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("<html><body>Sign in to see this calendar</body></html>", "not a calendar: no BEGIN:VCALENDAR in it", 1),
        ("BEGIN:VEVENT\r\nEND:VEVENT\r\n", "BEGIN:VEVENT outside a calendar", 1),
        ("BEGIN:VCALENDAR\r\nEND:VEVENT\r\n", "END:VEVENT where END:VCALENDAR was expected", 2),
        (ics(event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana")).removesuffix("END:VCALENDAR\r\n"), "the calendar ends before its END:VCALENDAR", 10),
        (
            ics(event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana")).removesuffix("END:VEVENT\r\nEND:VCALENDAR\r\n"),
            "the calendar ends inside a VEVENT",
            4,
        ),
        (ics("UID:x\nDTSTART:2026-12-08 10:00\nSUMMARY:Ana"), "an event's DTSTART cannot be read", 4),
        (ics("UID:x\nSUMMARY:no start"), "an event's DTSTART cannot be read", 4),
    ],
)
def test_a_malformed_file_is_one_line_saying_where(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = written(tmp_path, "bad.ics", text)
    found = read_events(source(path), *day_window(date(2026, 12, 8), UTC), zone=UTC)
    assert len(found.problems) == 1 and message in found.problems[0].message, found.problems
    assert (found.problems[0].path, found.problems[0].line) == (str(path), line)


def test_a_broken_event_costs_only_itself(tmp_path: Path) -> None:
    text = ics(
        event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana"),
        event("bad", ":20261208T110000Z", ":20261208T120000Z", "Broken rule", "RRULE:FREQ=SOMETIMES"),
        "UID:nostart\nSUMMARY:No start",
        event("b", ":20261208T130000Z", ":20261208T135000Z", "Sam"),
    )
    path = written(tmp_path, "mixed.ics", text)
    found = read_events(source(path), *day_window(date(2026, 12, 8), UTC), zone=UTC)
    assert [e.summary for e in found.events] == ["Ana", "Sam"]
    assert [str(p) for p in found.problems] == [f"{path}:11:1: an event's RRULE cannot be read: the event is left out (and 1 more problem in this calendar)"]


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.ics"
    with path.open("wb") as out:
        out.write(ics(event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana")).encode())
        out.truncate(50 * 1024 * 1024)
    began = time.monotonic()
    found = read_events(source(path), *day_window(date(2026, 12, 8), UTC), zone=UTC)
    assert time.monotonic() - began < 1.0
    assert found.events == () and [p.message for p in found.problems] == ["file is too large (50.0 MB; the limit is 16 MB)"]


def test_a_rule_without_an_end_is_expanded_for_the_window_only(tmp_path: Path) -> None:
    text = ics(event("daily", ":19700101T100000Z", ":19700101T103000Z", "Every day since 1970", "RRULE:FREQ=DAILY"))
    found = read_events(source(written(tmp_path, "d.ics", text)), *week_window(date(2026, 12, 8), UTC), zone=UTC)
    assert starts(found.events, UTC) == [f"2026-12-{d:02d} 10:00" for d in range(7, 14)] and found.problems == ()


def test_a_rule_repeating_within_the_day_is_refused(tmp_path: Path) -> None:
    text = ics(
        event("minutely", ":19700101T100000Z", ":19700101T100001Z", "Every minute", "RRULE:FREQ=MINUTELY"),
        event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana"),
    )
    path = written(tmp_path, "m.ics", text)
    began = time.monotonic()
    found = read_events(source(path), *day_window(date(2026, 12, 8), UTC), zone=UTC)
    assert time.monotonic() - began < 2.0
    assert [e.summary for e in found.events] == ["Ana"]
    assert [str(p) for p in found.problems] == [f"{path}:4:1: an event repeats more often than daily (FREQ=MINUTELY): no call does, so it is not read"]


def test_a_rule_no_day_fits_is_stopped_by_the_time_limit_and_the_other_sources_are_read(tmp_path: Path) -> None:
    # dateutil follows it, day by day, to the year 9999 without yielding once (about 5 s unchecked).
    never = written(
        tmp_path, "never.ics", ics(event("never", ":19700101T100000Z", ":19700101T103000Z", "30 February", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"))
    )
    good = written(tmp_path, "good.ics", ics(event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana")))
    settings_ = CalendarSettings((CalendarSource(never), CalendarSource(good)))
    began = time.monotonic()
    found = read_events(settings_, *day_window(date(2026, 12, 8), UTC), zone=UTC, seconds=0.3)
    assert time.monotonic() - began < 2.5
    assert [e.summary for e in found.events] == ["Ana"]
    assert [p.message for p in found.problems] == ["took more than 0.3 s to read (a repeating event no day fits?): only what was read by then is shown"]
    assert found.problems[0].path == str(never)
    assert __import__("sys").getprofile() is None, "the time limit's hook is gone"


def test_too_many_events_are_cut_with_a_line_saying_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cal, "MAX_EVENTS", 3)
    text = ics(*(event(f"e{n}", f":20261208T{10 + n:02d}0000Z", f":20261208T{10 + n:02d}3000Z", f"Call {n}") for n in range(5)))
    path = written(tmp_path, "many.ics", text)
    found = read_events(source(path), *day_window(date(2026, 12, 8), UTC), zone=UTC)
    assert [e.summary for e in found.events] == ["Call 0", "Call 1", "Call 2"]
    assert [p.message for p in found.problems] == ["more than 3 events could fall in these days: only the first 3 are read"]


def test_control_characters_in_a_title_are_shown_never_sent(tmp_path: Path) -> None:
    text = ics(
        event("esc", ":20261208T100000Z", ":20261208T105000Z", "Ana\x1b]0;owned\x07\x1b[2J\u202e"),
        event("newline", ":20261208T110000Z", ":20261208T115000Z", "Two\\nlines\x08", "LOCATION:room\x1b[31m", "DESCRIPTION:a\\nb\x1b"),
    )
    found = read_events(source(written(tmp_path, "esc.ics", text)), *day_window(date(2026, 12, 8), UTC), zone=UTC)
    shown = [(e.summary, e.location, e.description) for e in found.events]
    assert shown == [("Ana␛]0;owned␇␛[2J⟨U+202E⟩", "", ""), ("Two lines␈", "room␛[31m", "a\nb␛")]
    assert not any(has_control(text) for e in found.events for text in (e.summary, e.location, e.uid))


# ---- whose call -------------------------------------------------------------------------------------


def call(summary: str, location: str = "", description: str = "") -> CalendarEvent:
    return CalendarEvent(NOW, NOW + timedelta(minutes=50), summary, location, description)


CLIENTS = [
    CalendarClient("jose-alvarez", "José Álvarez"),
    CalendarClient("ana-perez", "Ana Pérez", "C-014"),
    CalendarClient("sam-lee", "Sam Lee"),
    CalendarClient("sam-lee-jones", "Sam Lee-Jones"),
    CalendarClient("c-7f3a9b", "Ngozi Adeyemi", "C-7F3A9B", ("NA weekly", "Zoom with N.")),
]


@pytest.mark.parametrize(
    ("summary", "location", "description", "whose"),
    [
        ("Call with jose alvarez", "", "", ("jose-alvarez",)),
        ("JOSÉ ÁLVAREZ", "", "", ("jose-alvarez",)),
        ("Coaching", "", "notes: jose-alvarez", ("jose-alvarez",)),
        ("c-014 session", "", "", ("ana-perez",)),
        ("Session", "Office of Ana Perez", "", ("ana-perez",)),
        ("Banana bread", "Anatomy class", "", ()),
        ("Sam Lee-Jones", "", "", ("sam-lee-jones",)),
        ("Sam Lee", "", "", ("sam-lee",)),
        ("Sam Lee and Ana Pérez", "", "", ("ana-perez", "sam-lee")),
        ("Sam Lee", "", "Moved from José's slot", ("sam-lee",)),  # "José" alone is not José Álvarez's name
        ("NA weekly", "", "", ("c-7f3a9b",)),
        ("zoom with n", "", "", ("c-7f3a9b",)),
        ("Dentist", "", "", ()),
        ("Sam Lee and Ana", "", "sessionpal:jose-alvarez", ("jose-alvarez",)),
        ("Coaching: C-7F3A9B", "", "SESSIONPAL:c-7f3a9b", ("c-7f3a9b",)),
        ("Coaching", "", "sessionpal:c-014", ("ana-perez",)),
        ("Sam Lee", "", "sessionpal:someone-erased", ("sam-lee",)),
        ("Two of ours", "", "sessionpal:sam-lee sessionpal:ana-perez", ("ana-perez", "sam-lee")),
    ],
)
def test_whose_call_it_is(summary: str, location: str, description: str, whose: tuple[str, ...]) -> None:
    assert Placer(CLIENTS).place(call(summary, location, description)) == whose


@given(
    first=st.sampled_from(("José", "Zoë", "Ngozi", "Łukasz", "Søren", "Ana", "İlker")),
    last=st.sampled_from(("Álvarez", "Adeyemi", "Nowak", "Müller", "Ørsted")),
)
def test_a_name_is_found_however_the_calendar_spells_its_accents_and_case(first: str, last: str) -> None:
    import unicodedata

    name = f"{first} {last}"
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    placer = Placer([CalendarClient("them", name), CalendarClient("other", "Sam Lee")])
    for written_as in (name.upper(), name.casefold(), plain, plain.upper(), unicodedata.normalize("NFD", name)):
        assert placer.place(call(f"Call: {written_as} (weekly)")) == ("them",), written_as
    assert placer.place(call(f"{first}{last}")) == (), "whole words only"


def test_a_long_title_is_cut_to_one_line(tmp_path: Path) -> None:
    text = ics(event("long", ":20261208T100000Z", ":20261208T105000Z", "Ana " + "very " * 300 + "long"))
    (found,) = read_events(source(written(tmp_path, "l.ics", text)), *day_window(date(2026, 12, 8), UTC), zone=UTC).events
    assert len(found.summary) == cal.SUMMARY_CHARS and found.summary.startswith("Ana very very") and found.summary.endswith("…")


def test_a_call_s_state_for_the_client_list() -> None:
    one, two, none = Call(call("x"), ("sam-lee",)), Call(call("x"), ("ana-perez", "sam-lee")), Call(call("x"))
    assert (one.client, one.ambiguous) == ("sam-lee", False)
    assert (two.client, two.ambiguous) == (None, True)
    assert (none.client, none.ambiguous) == (None, False)
    early = Call(CalendarEvent(NOW, NOW + timedelta(minutes=50), "Sam"), ("sam-lee",))
    late = Call(CalendarEvent(NOW + timedelta(hours=2), NOW + timedelta(hours=3), "Ana"), ("ana-perez",))
    day = Agenda((early, late))
    assert day.current_or_next(NOW + timedelta(minutes=10)) is early and early.under_way(NOW + timedelta(minutes=10))
    assert day.current_or_next(NOW + timedelta(minutes=50)) is late and day.current_or_next(NOW + timedelta(hours=3)) is None
    assert day.next_for("ana-perez", NOW) is late and day.next_for("sam-lee", NOW + timedelta(minutes=1)) is None
    assert day.on(NOW.date()) == (early, late)


def test_today_s_calls_placed_among_the_clients_on_file(home: Home, tmp_path: Path) -> None:
    create_client(home, "José Álvarez", today=date(2026, 11, 1))
    create_client(home, "Ana Pérez", today=date(2026, 11, 1))
    (home.clients_dir / "broken").mkdir()
    (home.clients_dir / "broken" / "client.toml").write_text("name = \n")
    add_calendar_name(home, "ana-perez", "Weekly A.P.")
    text = ics(
        event("1", ":20261208T100000Z", ":20261208T105000Z", "Jose Alvarez"),
        event("2", ":20261208T120000Z", ":20261208T125000Z", "weekly a.p."),
        event("3", ":20261208T140000Z", ":20261208T145000Z", "José and Ana Pérez"),
    )
    found = agenda(source(written(tmp_path, "c.ics", text)), calendar_clients(list_clients(home)), *day_window(date(2026, 12, 8), UTC), zone=UTC)
    assert [c.clients for c in found.calls] == [("jose-alvarez",), ("ana-perez",), ("ana-perez",)]


# ---- calendar names in client.toml -------------------------------------------------------------------


def test_a_calendar_name_is_added_through_the_client_file_s_edit(home: Home) -> None:
    create_client(home, "Ana Pérez", today=date(2026, 11, 1))
    path = home.client_file("ana-perez")
    path.write_text(path.read_text().replace("values = []", "values = []  # hers"))
    add_calendar_name(home, "ana-perez", "  Weekly   with A.P. ")
    add_calendar_name(home, "ana-perez", "WEEKLY WITH Á.P.")  # the same name, accents and case aside
    add_calendar_name(home, "ana-perez", "Zoom: Ana")
    text = path.read_text()
    assert calendar_names(path) == ("Weekly with A.P.", "Zoom: Ana")
    assert "values = []  # hers" in text and text.index("calendar_names") < text.index("# [[goals]]"), "above the commented goals, comments kept"
    assert tomllib.loads(text)["calendar_names"] == ["Weekly with A.P.", "Zoom: Ana"]
    assert load_client(path).name == "Ana Pérez"
    assert list_versions(home, path), "the file before each change is kept, as for any client edit"
    for bad in ("", "   ", "a\x1b[2Jb", "x" * 201):
        with pytest.raises(ClientEditError):
            add_calendar_name(home, "ana-perez", bad)
    assert calendar_names(path) == ("Weekly with A.P.", "Zoom: Ana")


def test_calendar_names_of_the_wrong_kind_are_the_client_file_s_problem(home: Home) -> None:
    create_client(home, "Ana Pérez", today=date(2026, 11, 1))
    path = home.client_file("ana-perez")
    path.write_text(path.read_text() + 'calendar_names = "Ana weekly"\n')
    with pytest.raises(FileProblems, match=r"client.toml:\d+:1: 'calendar_names' must be a list of text"):
        load_client(path)
    assert calendar_names(path) == ()
    with pytest.raises(FileProblems, match="must be a list"):
        add_calendar_name(home, "ana-perez", "Ana weekly")
    assert path.read_text().endswith('calendar_names = "Ana weekly"\n'), "left as it was"
    assert calendar_names(home.client_file("ana-perez").parent / "missing.toml") == ()


# ---- the invite ----------------------------------------------------------------------------------


def ana(code: str = "", slug: str = "ana-perez") -> Client:
    return Client(slug, "Ana Pérez", Path("client.toml"), code=code)


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(lambda t: t.strip() == t and " ".join(t.split()) == t)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=texts,
    zone=st.sampled_from(ZONES),
    day=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    # Calls start between 5:00 and 23:00: the clocks change in the night, where a wall time may not exist.
    at=st.integers(5 * 60, 23 * 60),
    minutes=st.integers(5, 600),
    weeks=st.integers(1, 12),
)
def test_an_invite_round_trips_through_icalendar_and_the_reader(tmp_path: Path, name: str, zone: str, day: date, at: int, minutes: int, weeks: int) -> None:
    tz = ZoneInfo(zone)
    begin = datetime.combine(day, datetime.min.time(), tz) + timedelta(minutes=at)
    client = Client("client-x", name, Path("client.toml"))
    invite = make_invite(client, begin, minutes, code=False, weeks=weeks)
    text = invite_text(invite, NOW)
    parsed = icalendar.Calendar.from_ical(text)
    (component,) = parsed.events
    assert str(component["UID"]) == invite.uid and str(component["SUMMARY"]) == f"Coaching: {name}"
    assert str(component["DESCRIPTION"]) == "sessionpal:client-x"
    assert component.start == begin and component.end == begin + timedelta(minutes=minutes)
    assert component["DTSTART"].params.get("TZID") == (None if zone == "UTC" else zone)
    assert (component.get("RRULE") or {}).get("COUNT", [1]) == [weeks]
    # Read back as the coach's calendar: every session of the series, at the same wall time in its zone.
    path = written(tmp_path / f"vdir-{invite.uid}", invite.file_name, text)
    window = (begin - timedelta(hours=1), begin + timedelta(weeks=weeks))
    found = agenda(source(path.parent), [CalendarClient("client-x", name)], *window, zone=LISBON)
    assert [c.event.start.astimezone(tz).replace(tzinfo=None) for c in found.calls] == [begin.replace(tzinfo=None) + timedelta(weeks=n) for n in range(weeks)]
    assert all(c.client == "client-x" and c.event.minutes == minutes and c.event.uid == invite.uid for c in found.calls)


def test_an_invite_says_nothing_of_the_session(tmp_path: Path) -> None:
    start = datetime(2026, 12, 8, 10, 0, tzinfo=LISBON)
    named = make_invite(ana(code="C-014"), start, 50)
    assert (named.summary, named.description) == ("Coaching: Ana Pérez", "sessionpal:ana-perez")
    coded = make_invite(ana(code="C-014", slug="c-014"), start, 50)
    assert (coded.summary, coded.description) == ("Coaching: C-014", "sessionpal:c-014"), "a client stored under a code: the code by default"
    chosen = make_invite(ana(code="C-014"), start, 50, code=True)
    assert (chosen.summary, chosen.description) == ("Coaching: C-014", "sessionpal:c-014"), "nothing in it names her, not even her folder"
    assert not {"ana", "perez", "pérez"} & set(invite_text(chosen, NOW).casefold().replace(":", " ").split())
    assert "ana" not in invite_text(chosen, NOW).casefold()
    lines = invite_text(named, NOW).split("\r\n")
    names = {line.split(":", 1)[0].split(";", 1)[0] for line in lines if line and not line.startswith(" ")}
    in_event = lines[lines.index("BEGIN:VEVENT") + 1 : lines.index("END:VEVENT")]
    assert {line.split(":", 1)[0].split(";", 1)[0] for line in in_event if not line.startswith(" ")} == {
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "DESCRIPTION",
    }
    assert not names & {"ATTENDEE", "ORGANIZER", "METHOD", "ATTACH", "URL"}
    # The same session has the same UID, another time another; naive times are this computer's.
    assert make_invite(ana(), start, 60).uid == named.uid != make_invite(ana(), start + timedelta(days=7), 50).uid
    assert make_invite(ana(), datetime(2026, 12, 8, 10, 0), 50).start.tzinfo is not None
    with pytest.raises(InviteRefused, match="5 to 600 minutes"):
        make_invite(ana(), start, 601)
    with pytest.raises(InviteRefused, match="1 to 52 sessions"):
        make_invite(ana(), start, 50, weeks=53)
    # A time with a bare offset is written in UTC: a TZID made of an offset is read by no calendar.
    fixed = invite_text(make_invite(ana(), datetime(2026, 12, 8, 10, 0, tzinfo=timezone(timedelta(hours=1))), 50), NOW)
    assert "DTSTART:20261208T090000Z" in fixed and "VTIMEZONE" not in fixed


def test_an_invite_goes_only_into_the_folder_marked_writable(tmp_path: Path) -> None:
    invite = make_invite(ana(), datetime(2026, 12, 8, 10, 0, tzinfo=LISBON), 50)
    vdir = tmp_path / "coaching"
    vdir.mkdir()
    export = written(tmp_path, "work.ics", ics(event("a", ":20261208T100000Z", ":20261208T105000Z", "Ana")))
    before = export.read_bytes()
    with pytest.raises(InviteRefused, match="no calendar folder is marked writable"):
        add_to_calendar(invite, CalendarSettings((CalendarSource(vdir), CalendarSource(export))))
    with pytest.raises(InviteRefused, match="is not marked writable"):
        add_to_source(invite, CalendarSource(vdir))
    with pytest.raises(InviteRefused, match="is not a folder"):
        add_to_source(invite, CalendarSource(export, writable=True))
    with pytest.raises(InviteRefused, match="is not a folder"):
        add_to_source(invite, CalendarSource(tmp_path / "missing", writable=True))
    assert list(vdir.iterdir()) == [] and export.read_bytes() == before and not (tmp_path / "missing").exists()
    settings_ = CalendarSettings((CalendarSource(export), CalendarSource(vdir, writable=True)))
    path = add_to_calendar(invite, settings_, NOW)
    assert path == vdir / invite.file_name and (path.stat().st_mode & 0o777) == 0o600
    # Written again (a sync tool renamed it meanwhile), the same session replaces its invite.
    renamed = vdir / "from-the-server.ics"
    path.rename(renamed)
    assert find_invite(vdir, invite.uid) == renamed
    again = add_to_calendar(make_invite(ana(), invite.start, 60), settings_, NOW)
    assert again == renamed and [p.name for p in vdir.iterdir()] == ["from-the-server.ics"]
    assert "DTEND;TZID=Europe/Lisbon:20261208T110000" in renamed.read_text()
    assert find_invite(vdir, "someone-else@sessionpal") is None and find_invite(tmp_path / "nowhere", invite.uid) is None


def test_an_invite_is_written_through_fsio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    invite = make_invite(ana(), datetime(2026, 12, 8, 10, 0, tzinfo=LISBON), 50)
    target = tmp_path / "recap" / "next-session.ics"
    assert write_invite(invite, target, NOW) == target and target.read_bytes() == invite_text(invite, NOW).encode()
    assert (target.stat().st_mode & 0o777) == 0o600

    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsio, "_os_write", full)
    with pytest.raises(SaveFailed, match="the disk is full"):
        write_invite(make_invite(ana(), invite.start + timedelta(days=7), 50), target, NOW)
    assert target.read_bytes() == invite_text(invite, NOW).encode(), "the old file is there, whole"
    assert [p.name for p in target.parent.iterdir()] == ["next-session.ics"], "no temp file left"


def test_reading_is_independent_of_the_process_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a zone, what is read does not depend on the computer's; given none, it is in the computer's."""
    path = written(tmp_path, "c.ics", ics(event("a", ";TZID=Asia/Tokyo:20261208T190000", ";TZID=Asia/Tokyo:20261208T195000", "Ana")))
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        mine = read_events(source(path), *day_window(date(2026, 12, 8)))
        given_zone = read_events(source(path), *day_window(date(2026, 12, 8), LISBON), zone=LISBON)
        assert [f"{e.start:%H:%M %z}" for e in mine.events] == ["05:00 -0500"]
        assert [f"{e.start:%H:%M %z}" for e in given_zone.events] == ["10:00 +0000"]
        assert str(cal.local_zone()) == "America/New_York"
    finally:
        monkeypatch.undo()  # $TZ as it was, then the process's zone from it
        time.tzset()
