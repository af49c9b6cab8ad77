"""Between sessions, the practice around the call: a client's engagement, hours from before sessionpal, a
session moved to the right client."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError, Commands, add_command, home_option, iso_date, lookup_client, open_home, path_argument


def _sessions(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 500):
        raise argparse.ArgumentTypeError(f"{text!r}: a number of sessions from 1 to 500")
    return int(text)


def add_parsers(commands: Commands) -> None:
    engagement = add_command(
        commands,
        "engagement",
        summary="a client's sessions agreed, end date, next session",
        description="A client's engagement: sessions agreed, end date, next session. Without options, it shows it.",
        examples=[
            ('"Sam Lee"', "Sam Lee's engagement, as it stands"),
            ('"Sam Lee" --sessions 6 --ends 2026-12-18', "six sessions, until December 18"),
            ('"Sam Lee" --next 2026-10-02', "the next session's date"),
        ],
    )
    home_option(engagement, top=False)
    engagement.add_argument("client", metavar="CLIENT", help="the client's name or folder name")
    engagement.add_argument("--sessions", type=_sessions, metavar="N", help="sessions agreed")
    engagement.add_argument("--ends", type=iso_date, metavar="DATE", help="when the engagement ends (YYYY-MM-DD)")
    engagement.add_argument("--next", dest="next_session", type=iso_date, metavar="DATE", help="the next session's date (YYYY-MM-DD)")
    engagement.add_argument(
        "--start", dest="started", type=iso_date, metavar="DATE", help="when it started (default: the day it is set); earlier sessions do not count"
    )
    engagement.add_argument("--clear", action="store_true", help="remove the engagement from client.toml")
    engagement.set_defaults(handler=cmd_engagement)

    hours = add_command(
        commands,
        "import-hours",
        summary="hours from before sessionpal (CSV), for the ICF log",
        description="Sessions from before sessionpal, for the ICF log: a CSV file with the header date,client,minutes,kind "
        "(kind: paid or pro-bono). The whole file is checked before anything is imported.",
        examples=[("hours-2025.csv", "asks before it creates a client the file names"), ("hours-2025.csv --yes", "creates them without asking")],
    )
    home_option(hours, top=False)
    path_argument(hours, "file", metavar="FILE.csv", help="with the header date,client,minutes,kind")
    hours.add_argument("--yes", action="store_true", help="create the clients the file names that are not here yet, without asking")
    hours.set_defaults(handler=cmd_import_hours)

    move = add_command(
        commands,
        "move-session",
        summary="move a session to the right client",
        description="Move a session recorded under the wrong client to the right one; its goals follow it.",
        examples=[('clients/ana/sessions/2026-09-14T1000.md "Sam Lee"', "it was Sam Lee's session, not Ana's")],
    )
    home_option(move, top=False)
    path_argument(move, "file", metavar="FILE", help="the session file (clients/<client>/sessions/<date>.md)")
    move.add_argument("client", metavar="CLIENT", help="the right client's name or folder name")
    move.set_defaults(handler=cmd_move_session)


def cmd_engagement(args: argparse.Namespace) -> int:
    from msgspec.structs import replace

    from ..core.clients import set_engagement
    from ..core.engagement import session_days
    from ..core.model import Engagement
    from ..core.paths import session_paths
    from ..core.saving import ChangeFailed, saving

    entry = lookup_client(args, args.client)
    client = entry.client
    assert client is not None  # lookup_client refuses a client whose file cannot be read
    home = open_home(args)
    changes = {
        k: v for k, v in (("sessions", args.sessions), ("ends", args.ends), ("next_session", args.next_session), ("started", args.started)) if v is not None
    }
    if args.clear or changes:
        wanted = None if args.clear else replace(client.engagement or Engagement(), **changes)
        try:
            with saving("the client file"):
                client = set_engagement(home, entry.slug, wanted)
        except ChangeFailed as error:
            raise CommandError(str(error)) from None
    days = session_days([p.name for p in session_paths(home, entry.slug)])
    current = client.engagement
    if current is None:
        held = len(days)
        print(f"{client.name}: no engagement recorded ({held} session{'s' if held != 1 else ''} held)")
        return EXIT_OK
    held = len([d for d in days if current.counts(d)])
    agreed = f"{held} of {current.sessions} agreed sessions held" if current.sessions else f"{held} sessions held"
    ends = f", ends {current.ends.isoformat()}" if current.ends else ""
    after = f", next session {current.next_session.isoformat()}" if current.next_session else ""
    since = f" since {current.started.isoformat()}" if current.started else ""
    print(f"{client.name}: {agreed}{since}{ends}{after}")
    return EXIT_OK


def cmd_import_hours(args: argparse.Namespace) -> int:
    from ..core.clients import ClientNotFound, create_client, find_client, list_clients
    from ..core.past import plan_import, read_hours, record_past_session
    from ..core.saving import ChangeFailed, saving

    home = open_home(args)
    rows, problems = read_hours(args.file)
    for found in problems:
        print(found, file=sys.stderr)
    if problems:
        print(f"nothing was imported: {len(problems)} line{'s' if len(problems) != 1 else ''} to fix first", file=sys.stderr)
        return EXIT_PROBLEMS
    entries = list_clients(home)
    slugs: dict[str, str] = {}
    unknown: list[str] = []
    for row in rows:
        if row.client in slugs or row.client in unknown:
            continue
        try:
            slugs[row.client] = find_client(home, row.client, entries).slug
        except ClientNotFound:
            unknown.append(row.client)
    if unknown and not args.yes:
        names = ", ".join(unknown)
        if not sys.stdin.isatty():
            raise CommandError(f"not clients here yet: {names}; nothing was imported (--yes creates them)")
        answer = input(f"Create {len(unknown)} new client{'s' if len(unknown) != 1 else ''}: {names}? [y/N] ")
        if answer.strip().casefold() not in ("y", "yes"):
            raise CommandError("nothing was imported", EXIT_USAGE)
    added = 0
    try:
        with saving("the imported sessions"):
            for name in unknown:
                slugs[name] = create_client(home, name).slug
            new, old = plan_import(home, rows, slugs)
            for row in new:
                record_past_session(home, slugs[row.client], row.day, row.minutes, pro_bono=row.pro_bono, imported=f"{args.file.name}:{row.line}")
                added += 1
    except ChangeFailed as error:
        raise CommandError(f"{error} (after {added} session{'s' if added != 1 else ''} imported; running it again adds only the rest)") from None
    hours = sum(r.minutes for r in rows) / 60
    again = ""
    if old:  # what was added and what was here already add up to the file, always
        again = f"; {len(old)} already here ({sum(r.minutes for r in old) / 60:.2f} hours, the same client, day and minutes)"
    made = f"; {len(unknown)} new client{'s' if len(unknown) != 1 else ''}" if unknown else ""
    print(f"imported {added} session{'s' if added != 1 else ''}, {sum(r.minutes for r in new) / 60:.2f} hours ({hours:.2f} hours in the file){again}{made}")
    return EXIT_OK


def cmd_move_session(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from ..core.moving import move_session
    from ..core.saving import ChangeFailed, saving

    home = open_home(args)
    to = lookup_client(args, args.client)
    try:
        with saving("the session"):
            moved = move_session(home, args.file.expanduser(), to.slug, datetime.now(UTC))
    except ChangeFailed as error:
        raise CommandError(str(error)) from None
    print(f"moved to {moved.path}")
    if moved.copied:
        left = f"; they left {args.file.parent.parent.name}'s file" if moved.removed else ""
        print(f"goals that came with it: {', '.join(moved.copied)}{left}")
    if moved.kept_theirs:
        print(f"goals {to.name} has already, kept as they are: {', '.join(moved.kept_theirs)}")
    return EXIT_OK
