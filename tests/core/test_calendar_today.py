"""What the app's calendar views ask of the core (issue 30's UI): a client's next call, whether the sources
changed on disk, the next session's invite beside a session and in the writable folder, the recap naming it."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar

from sessionpal.core.calendar import CalendarClient, next_call, sources_fingerprint
from sessionpal.core.clients import create_client
from sessionpal.core.config import CalendarSettings, CalendarSource
from sessionpal.core.export import share_recap
from sessionpal.core.invite import invite_path, make_invite, write_next_session
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import FakeClock

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CLIENTS = [CalendarClient("ngozi-adeyemi", "Ngozi Adeyemi"), CalendarClient("sam-lee", "Sam Lee")]


def vevent(uid: str, start: datetime, minutes: int, summary: str) -> str:
    end = start + timedelta(minutes=minutes)
    return f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"


def calendar(path: Path, *events: str) -> CalendarSettings:
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n", encoding="utf-8")
    return CalendarSettings((CalendarSource(path),))


def test_a_clients_next_call_is_their_first_from_then_on_and_never_a_shared_one(tmp_path: Path) -> None:
    settings = calendar(
        tmp_path / "c.ics",
        vevent("today", NOW + timedelta(minutes=10), 50, "Ngozi Adeyemi"),
        vevent("both", NOW + timedelta(days=2), 60, "Ngozi Adeyemi and Sam Lee"),
        vevent("weekly", NOW + timedelta(days=7), 45, "Coaching: Ngozi Adeyemi"),
        vevent("far", NOW + timedelta(days=120), 45, "Ngozi Adeyemi"),
    )
    found = next_call(settings, CLIENTS, "ngozi-adeyemi", NOW + timedelta(minutes=50))
    assert found is not None and found.event.start == NOW + timedelta(days=7) and found.event.minutes == 45, "past today's, and the shared one"
    assert next_call(settings, CLIENTS, "ngozi-adeyemi", NOW) is not None
    assert next_call(settings, CLIENTS, "ngozi-adeyemi", NOW + timedelta(days=8)) is None, "more than three months on is not looked for"
    assert next_call(settings, CLIENTS, "sam-lee", NOW) is None
    assert next_call(CalendarSettings(), CLIENTS, "ngozi-adeyemi", NOW) is None, "no calendar, no call"


def test_the_sources_fingerprint_changes_with_a_file_and_with_a_vdir_folder_inside(tmp_path: Path) -> None:
    exported = tmp_path / "c.ics"
    calendar(exported, vevent("a", NOW, 50, "Sam Lee"))
    vdir = tmp_path / "coaching"
    (vdir / "work").mkdir(parents=True)
    settings = CalendarSettings((CalendarSource(exported), CalendarSource(vdir), CalendarSource(tmp_path / "missing.ics")))
    seen = sources_fingerprint(settings)
    assert sources_fingerprint(settings) == seen, "nothing changed, nothing read again"
    (vdir / "work" / "event.ics").write_text("x", encoding="utf-8")
    after_vdir = sources_fingerprint(settings)
    assert after_vdir != seen, "an event added inside a calendar of the folder"
    stat = exported.stat()
    calendar(exported, vevent("a", NOW, 50, "Sam Lee"), vevent("b", NOW, 50, "Sam Lee"))
    os.utime(exported, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert sources_fingerprint(settings) != after_vdir
    calendar(tmp_path / "missing.ics")
    assert sources_fingerprint(settings)[-1][1] != -1, "a source that appears is seen"


def test_the_next_session_goes_beside_the_session_and_into_the_writable_folder_only(home: Home, tmp_path: Path) -> None:
    client = create_client(home, "Sam Lee", 50, NOW.date())
    clock = FakeClock(NOW)
    live = LiveSession(home, client, clock, FALLBACK_MODEL, 50)
    live.add_note("+Your plan is yours")
    clock.advance(50 * 60)
    live.end()
    session = session_paths(home, "sam-lee")[-1]
    invite = make_invite(client, NOW + timedelta(days=7), 50)
    readonly = tmp_path / "work.ics"
    calendar(readonly, vevent("x", NOW, 30, "Team sync"))
    kept = readonly.read_bytes()
    beside, added = write_next_session(invite, session, CalendarSettings((CalendarSource(readonly),)))
    assert beside == invite_path(session) == session.with_name(f"{session.stem}.invite.ics") and added is None
    assert readonly.read_bytes() == kept
    parsed = icalendar.Calendar.from_ical(beside.read_bytes())
    event = next(c for c in parsed.walk("VEVENT"))
    assert event.decoded("DTSTART") == NOW + timedelta(days=7) and str(event["SUMMARY"]) == "Coaching: Sam Lee"
    assert session_paths(home, "sam-lee") == [session], "the invite is no session"
    vdir = tmp_path / "coaching"
    vdir.mkdir()
    both = CalendarSettings((CalendarSource(readonly), CalendarSource(vdir, writable=True)))
    assert write_next_session(invite, session, both, add=False)[1] is None and list(vdir.iterdir()) == [], "a call the calendar has already"
    _, added = write_next_session(invite, session, CalendarSettings((CalendarSource(readonly), CalendarSource(vdir, writable=True))))
    assert added is not None and added.parent == vdir and added.read_bytes() == beside.read_bytes()
    recap = share_recap(session, client, invite.start)
    assert recap.endswith("## Our next session\n\nTuesday 08 December 2026 at 09:00\n") and "Your plan is yours" in recap
    assert "next session" not in share_recap(session, client).casefold()
