"""The calendar's commands: today's calls and whose each one is (`today`), and the next session as an invite
(`invite`). Both read [calendar] from config.toml, with this computer's machine.toml over it."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from .common import EXIT_OK, EXIT_PROBLEMS, CommandError, Commands, add_command, home_option, lookup_client, open_home, pad, path_argument, write_file

if TYPE_CHECKING:
    from ..core.calendar import Agenda, Call
    from ..core.config import LoadedConfig
    from ..core.paths import Home

NO_CALENDAR = 'no calendar: add [calendar] with sources = ["..."] (.ics files or vdir folders) to config.toml; docs/calendar.md says how'


def _moment(text: str) -> datetime:
    """--at: a date and time, YYYY-MM-DDTHH:MM (an offset may follow: 2026-12-08T10:00+01:00)."""
    from ..core.dates import WINDOW, sane_moment

    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time like 2026-12-08T10:00") from None
    if "T" not in text.strip().replace(" ", "T", 1):
        raise argparse.ArgumentTypeError(f"{text!r} has no time: write it like 2026-12-08T10:00")
    if not sane_moment(moment):
        raise argparse.ArgumentTypeError(f"{text!r} is not {WINDOW}")
    return moment


def _zone(text: str) -> tzinfo:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(text.strip())
    except (ValueError, KeyError, OSError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a time zone's name, like Europe/Lisbon or America/New_York") from None


def _minutes(text: str) -> int:
    from ..core.clients import SESSION_MINUTES_RANGE

    low, high = SESSION_MINUTES_RANGE
    if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
        raise argparse.ArgumentTypeError(f"{text!r}: a session is {low} to {high} minutes long")
    return int(text)


def _weeks(text: str) -> int:
    from ..core.invite import MAX_WEEKS

    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_WEEKS):
        raise argparse.ArgumentTypeError(f"{text!r}: a weekly series is 1 to {MAX_WEEKS} sessions")
    return int(text)


def add_commands(commands: Commands) -> None:
    today = add_command(
        commands,
        "today",
        summary="today's calls from your calendar, and whose each one is",
        description="Today's calls from the calendar files [calendar] names (config.toml), each with its time and the client it "
        "belongs to, or 'ambiguous' (it names two clients) or 'not matched' (it names none). Exit 1 when a calendar "
        "could not be read, or not wholly (each such one is a line on stderr; the calls read are still listed).",
        examples=[("", "today's calls, each with its client"), ("--week", "this week's, Monday to Sunday")],
    )
    home_option(today, top=False)
    today.add_argument("--week", action="store_true", help="this week's calls, Monday to Sunday")
    today.set_defaults(handler=cmd_today)

    invite = add_command(
        commands,
        "invite",
        summary="the next session as a calendar invite (.ics)",
        description="The next session as a calendar invite: an .ics file with the time, the client's name (or code) as its "
        "title and nothing of the session. Written to --out, else into the calendar folder [calendar] marks writable, "
        "else here. Nothing is sent: you import it, or your sync tool takes it from the folder. The same session "
        "written again replaces its invite.",
        examples=[
            ('"Sam Lee" --at 2026-12-08T10:00', "Sam Lee's next session, as long as theirs usually are"),
            ('"Sam Lee" --at 2026-12-08T10:00 --minutes 50 --out next.ics', "50 minutes, into next.ics"),
            ('"Sam Lee" --at 2026-12-08T16:00 --zone Asia/Tokyo --code', "16:00 in Tokyo, titled with the code"),
            ('"Sam Lee" --at 2026-12-08T10:00 --weekly 6', "six sessions, one a week, as one repeating invite"),
        ],
    )
    home_option(invite, top=False)
    invite.add_argument("client", metavar="CLIENT", help="the client's name or folder name")
    invite.add_argument("--at", required=True, type=_moment, metavar="WHEN", help="when the session starts, like 2026-12-08T10:00")
    invite.add_argument("--zone", type=_zone, metavar="ZONE", help="the time zone --at is in, like Europe/Lisbon (default: this computer's)")
    invite.add_argument("--minutes", type=_minutes, metavar="N", help="how long (default: the client's session length, else config.toml's)")
    invite.add_argument("--weekly", type=_weeks, metavar="N", default=1, help="N sessions, one a week from --at, as one repeating invite")
    title = invite.add_mutually_exclusive_group()
    title.add_argument("--name", dest="code", action="store_false", default=None, help="the title says the client's name")
    title.add_argument(
        "--code", dest="code", action="store_true", default=None, help="the title says the client's code (the default for a client stored under a code)"
    )
    path_argument(invite, "--out", metavar="FILE", help="write the invite here (default: the writable calendar folder, else a file here)")
    invite.set_defaults(handler=cmd_invite)


def _loaded(home: Home) -> LoadedConfig:
    """config.toml with this computer's machine.toml over it; what is wrong in [calendar] is said on stderr."""
    from ..core.config import load_config
    from ..core.paths import machine_config_file

    loaded = load_config(home, machine_config_file())
    for found in loaded.calendar.problems:
        print(found, file=sys.stderr)
    return loaded


def cmd_today(args: argparse.Namespace, now: datetime | None = None) -> int:
    """`now` (aware): when "today" is, and the zone the times are shown in; a test gives its own."""
    from ..core.calendar import agenda, calendar_clients, day_window, week_window
    from ..core.clients import list_clients

    home = open_home(args)
    settings = _loaded(home).calendar
    if not settings.sources:
        raise CommandError(NO_CALENDAR)
    zone = now.tzinfo if now is not None else None
    moment = now or datetime.now().astimezone()
    start, end = (week_window if args.week else day_window)(moment.date(), zone)
    entries = list_clients(home, today=moment.date())
    found = agenda(settings, calendar_clients(entries), start, end, zone=zone)
    names = {e.slug: e.name for e in entries}
    for line in agenda_lines(found, names, week=args.week, today=moment):
        print(line)
    for problem in found.problems:
        print(problem, file=sys.stderr)
    return EXIT_PROBLEMS if found.problems or settings.problems else EXIT_OK


def whose(call: Call, names: dict[str, str]) -> str:
    """The client a call belongs to, as the coach reads it: a name, 'ambiguous: A, B', or 'not matched'."""
    if call.client is not None:
        return names.get(call.client, call.client)
    if call.ambiguous:
        return "ambiguous: " + ", ".join(names.get(slug, slug) for slug in call.clients)
    return "not matched"


def agenda_lines(found: Agenda, names: dict[str, str], *, week: bool, today: datetime) -> list[str]:
    """The calls, one a line: time, whose, title; under a line for each day when it is a week."""
    if not found.calls:
        return ["no calls this week" if week else "no calls today"]
    from rich.cells import cell_len  # the columns pad() counts: a name in a wide script takes two a character

    rows = [(call, f"{call.event.start:%H:%M}-{call.event.end:%H:%M}", whose(call, names)) for call in found.calls]
    width = max(cell_len(who) for _, _, who in rows)
    lines: list[str] = []
    day = None
    for call, when, who in rows:
        if week and call.event.start.date() != day:
            day = call.event.start.date()
            if lines:
                lines.append("")
            lines.append(f"{day:%A} {day.day} {day:%B %Y}" + (" (today)" if day == today.date() else ""))
        title = call.event.summary or call.event.location
        lines.append(f"{'  ' if week else ''}{when}  {pad(who, width)}  {title}".rstrip())
    return lines


def cmd_invite(args: argparse.Namespace) -> int:
    from ..core.invite import add_to_calendar, invite_text, make_invite
    from ..core.saving import ChangeFailed

    home = open_home(args)
    entry = lookup_client(args, args.client)
    client = entry.client
    assert client is not None  # lookup_client refuses a client whose file cannot be read
    start: datetime = args.at
    if start.tzinfo is None:
        from ..core.calendar import local_zone

        start = start.replace(tzinfo=args.zone or local_zone())
    elif args.zone is not None:
        raise CommandError("--at has an offset already: give --zone or the offset, not both")
    loaded = _loaded(home)
    minutes = args.minutes or client.session_minutes or loaded.config.session_minutes
    try:
        invite = make_invite(client, start, minutes, code=args.code, weeks=args.weekly)
        if args.out is None and loaded.calendar.writable is not None:
            target = add_to_calendar(invite, loaded.calendar)
        else:
            target = (args.out or Path(f"invite-{start:%Y-%m-%dT%H%M}.ics")).expanduser().absolute()
            write_file(target, invite_text(invite), home)  # never into the data home
    except ChangeFailed as error:
        raise CommandError(str(error)) from None
    series = f", then weekly: {args.weekly} sessions in all" if args.weekly > 1 else ""
    print(f"{invite.summary}, {start:%A %Y-%m-%d} at {start:%H:%M} ({start.tzname()}), {minutes} minutes{series}")
    print(f"written to {target}")
    return EXIT_OK
