"""Between sessions, the practice around the call: a client's engagement."""

from __future__ import annotations

import argparse
from datetime import date

from .common import EXIT_OK, CommandError, home_option, lookup_client, open_home


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


def _sessions(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 500):
        raise argparse.ArgumentTypeError(f"{text!r}: a number of sessions from 1 to 500")
    return int(text)


def add_parsers(commands) -> None:
    engagement = commands.add_parser("engagement", help="a client's engagement: sessions agreed, end date, next session (shows it without options)")
    home_option(engagement, top=False)
    engagement.add_argument("client", metavar="CLIENT", help="the client's name or folder name")
    engagement.add_argument("--sessions", type=_sessions, metavar="N", help="sessions agreed")
    engagement.add_argument("--ends", type=_day, metavar="DATE", help="when the engagement ends (YYYY-MM-DD)")
    engagement.add_argument("--next", dest="next_session", type=_day, metavar="DATE", help="the next session's date (YYYY-MM-DD)")
    engagement.add_argument("--clear", action="store_true", help="remove the engagement from client.toml")
    engagement.set_defaults(handler=cmd_engagement)


def cmd_engagement(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from ..core.clients import set_engagement
    from ..core.engagement import session_days
    from ..core.model import Engagement
    from ..core.paths import session_paths
    from ..core.saving import ChangeFailed, saving

    entry = lookup_client(args, args.client)
    client = entry.client
    home = open_home(args)
    changes = {k: v for k, v in (("sessions", args.sessions), ("ends", args.ends), ("next_session", args.next_session)) if v is not None}
    if args.clear or changes:
        wanted = None if args.clear else replace(client.engagement or Engagement(), **changes)
        try:
            with saving("the client file"):
                client = set_engagement(home, entry.slug, wanted)
        except ChangeFailed as error:
            raise CommandError(str(error)) from None
    held = len(session_days([p.name for p in session_paths(home, entry.slug)]))
    current = client.engagement
    if current is None:
        print(f"{client.name}: no engagement recorded ({held} session{'s' if held != 1 else ''} held)")
        return EXIT_OK
    agreed = f"{held} of {current.sessions} agreed sessions held" if current.sessions else f"{held} sessions held"
    ends = f", ends {current.ends.isoformat()}" if current.ends else ""
    after = f", next session {current.next_session.isoformat()}" if current.next_session else ""
    print(f"{client.name}: {agreed}{ends}{after}")
    return EXIT_OK
