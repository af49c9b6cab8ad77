"""The next session as a calendar invite: one VEVENT in an `.ics` file, written through fsio.

What it holds is what a calendar needs and nothing of the session: a UID sessionpal can find again
(derived from the client and the start, so writing the same session again replaces its invite rather
than adding a second), the start and end with their time zone, a title with the client's name or code
(the coach's choice), and `sessionpal:<folder or code>` in the description so core/calendar.py places
it without a guess. No notes, no goals, no attendees: nothing is ever sent anywhere.

It is written to a file the coach names (beside a recap, say), or into the calendar folder [calendar]
marks writable (a vdir: vdirsyncer syncs it from there, khal shows it); never into any other source.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from msgspec import Struct

from . import fsio
from .calendar import MARK, local_zone
from .clients import SESSION_MINUTES_RANGE, client_code
from .config import CalendarSettings, CalendarSource
from .model import Client
from .problems import FileProblems, read_user_bytes
from .saving import SaveFailed, saving

PRODID = "-//sessionpal//invite//EN"
UID_DOMAIN = "sessionpal"
MAX_WEEKS = 52  # a weekly series of sessions: a year of them at most


class InviteRefused(SaveFailed):
    """An invite that was not written: no writable calendar folder, a time that cannot be, a bad length."""


class Invite(Struct, frozen=True):
    uid: str
    start: datetime  # aware, in the zone the session was set in
    end: datetime
    summary: str
    description: str
    weeks: int = 1  # sessions in the series: one a week from `start` (1: just this one)

    @property
    def file_name(self) -> str:
        """The invite's file in a vdir folder: its UID, so it is found again by name."""
        return re.sub(r"[^A-Za-z0-9@._-]", "-", self.uid) + ".ics"


def uses_code(client: Client) -> bool:
    """By default an invite says the code of a client whose folder is their code (created with --code: their
    name is only inside client.toml), and the name of every other."""
    return bool(client.code) and client.slug == client.code.casefold()


def invite_uid(mark: str, start: datetime) -> str:
    """The UID of the invite for the session of `mark` (the client's folder or code) starting at `start`:
    the same session gives the same UID, and the UID names neither the client nor the time."""
    moment = start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return hashlib.sha256(f"{mark}|{moment}".encode()).hexdigest()[:24] + "@" + UID_DOMAIN


def make_invite(client: Client, start: datetime, minutes: int, *, code: bool | None = None, weeks: int = 1) -> Invite:
    """The invite for `client`'s session at `start` (aware: a naive time is this computer's), `minutes` long;
    titled with their code (`code=True`), their name (`False`), or as uses_code says (None)."""
    low, high = SESSION_MINUTES_RANGE
    if not low <= minutes <= high:
        raise InviteRefused(f"a session is {low} to {high} minutes long, not {minutes}")
    if not 1 <= weeks <= MAX_WEEKS:
        raise InviteRefused(f"a weekly series is 1 to {MAX_WEEKS} sessions, not {weeks}")
    if start.tzinfo is None:
        start = start.replace(tzinfo=local_zone())
    coded = uses_code(client) if code is None else code
    label = client_code(client) if coded else client.name
    # Coded, the mark is the code too: the invite must not carry a folder name made from the name.
    mark = label.casefold() if coded else client.slug
    return Invite(
        uid=invite_uid(mark, start),
        start=start,
        end=start + timedelta(minutes=minutes),
        summary=f"Coaching: {label}",
        description=f"{MARK}{mark}",
        weeks=weeks,
    )


def _writable_zone(moment: datetime) -> datetime:
    """A time as an invite can carry it: in a named zone (TZID, with its VTIMEZONE), else in UTC. A bare
    offset (+01:00) has no rules for the next DST change, and no calendar reads a TZID made of one."""
    zone: tzinfo | None = moment.tzinfo
    if zone is not None and getattr(zone, "key", None):
        return moment
    return moment.astimezone(UTC)


def invite_text(invite: Invite, now: datetime | None = None) -> str:
    """The invite as an iCalendar file (RFC 5545): one VEVENT, the VTIMEZONE its times need."""
    import icalendar

    calendar = icalendar.Calendar.new(prodid=PRODID)
    calendar.pop("UID", None)  # Calendar.new gives the file a random UID of its own: the event's is the one kept
    event = icalendar.Event.new(
        uid=invite.uid,
        start=_writable_zone(invite.start),
        end=_writable_zone(invite.end),
        summary=invite.summary,
        description=invite.description,
        stamp=(now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
    )
    if invite.weeks > 1:
        event.add("RRULE", {"FREQ": "WEEKLY", "COUNT": invite.weeks})
    calendar.add_component(event)
    calendar.add_missing_timezones()
    text: str = calendar.to_ical().decode("utf-8")
    return text


def invite_path(session: Path) -> Path:
    """Where the invite for the session after `session` is kept: beside it and its recap (so a moved session
    takes it along, core/moving.py), named so it is never read as a session."""
    return session.with_name(f"{session.stem}.invite.ics")


def write_next_session(invite: Invite, session: Path, settings: CalendarSettings, now: datetime | None = None, *, add: bool = True) -> tuple[Path, Path | None]:
    """The invite for the next session, written beside `session`, and added to the calendar folder marked
    writable when there is one and `add` (False: the calendar has that call already); None when it was not
    added. Nothing goes into a source not marked writable."""
    beside = write_invite(invite, invite_path(session), now)
    added = add_to_calendar(invite, settings, now) if add and settings.writable is not None else None
    return beside, added


def write_invite(invite: Invite, path: Path, now: datetime | None = None) -> Path:
    """Write the invite to `path` (atomically, through fsio): beside a recap, or where the coach said."""
    with saving("the invite"):
        fsio.atomic_write(path, invite_text(invite, now))
    return path


def add_to_calendar(invite: Invite, settings: CalendarSettings, now: datetime | None = None) -> Path:
    """Write the invite into the calendar folder [calendar] marks writable (a vdir: one .ics per event,
    named by its UID), replacing the invite of the same session if it is there. Refused, with nothing
    written, when no source is marked writable or the one marked is not a folder."""
    source = settings.writable
    if source is None:
        raise InviteRefused('no calendar folder is marked writable: set writable = "<folder>" in [calendar] (docs/calendar.md)')
    return add_to_source(invite, source, now)


def add_to_source(invite: Invite, source: CalendarSource, now: datetime | None = None) -> Path:
    """Write the invite into `source`, which must be a folder marked writable; refused otherwise."""
    if not source.writable:
        raise InviteRefused(f"{source.path} is not marked writable in [calendar]: nothing was written there")
    if not source.path.is_dir():
        raise InviteRefused(f"{source.path} is not a folder (a vdir), so no invite is added to it; nothing was written")
    target = find_invite(source.path, invite.uid) or source.path / invite.file_name
    return write_invite(invite, target, now)


def find_invite(folder: Path, uid: str) -> Path | None:
    """The file in a vdir folder holding the event `uid`: by its name first, as sessionpal writes it, then by
    looking inside each `.ics` (a sync tool may have renamed it)."""
    named = folder / (re.sub(r"[^A-Za-z0-9@._-]", "-", uid) + ".ics")
    if named.is_file():
        return named
    wanted = f"UID:{uid}".encode()
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".ics") and not e.name.startswith(".") and e.is_file()]
    except OSError:
        return None
    for entry in entries:
        try:
            data = read_user_bytes(Path(entry.path))
        except FileProblems:
            continue
        if any(line.strip() == wanted for line in data.splitlines()):
            return Path(entry.path)
    return None
