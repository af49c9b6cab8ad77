"""`sessionpal patterns CLIENT`: what keeps coming up with a client across sessions, for a prep or supervision note."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_OK, EXIT_USAGE, CommandError, Commands, add_command, home_option, iso_date, lookup_client, open_home, path_argument, write_file

FORMATS = ("text", "json", "md")


def add_parsers(commands: Commands) -> None:
    patterns = add_command(
        commands,
        "patterns",
        summary="what keeps coming up with a client across sessions",
        description='What keeps coming up with a client across sessions: their own words (" notes), actions carried over, '
        "themes by month, goals no note has named lately, energy check-ins. For a prep or supervision note; the Markdown "
        "form is for the client only with --share (then only the notes marked + and the quotes marked for them).",
        examples=[
            ('"Sam Lee"', "on the terminal"),
            ('"Sam Lee" --since 2026-09-01 --format md --out sam-prep.md', "a prep note since September"),
            ('"Sam Lee" --format md --share', "what is marked for Sam, to send"),
        ],
    )
    home_option(patterns, top=False)
    patterns.add_argument("client", metavar="CLIENT", help="the client's name or folder name")
    patterns.add_argument("--since", type=iso_date, metavar="DATE", help="only sessions from this day on (YYYY-MM-DD) for words, themes and energy")
    patterns.add_argument("--format", choices=FORMATS, default="text", help="text (default), json, or md (Markdown)")
    patterns.add_argument("--share", action="store_true", help='with --format md: only what is marked for the client (+ notes, quotes typed +"…")')
    path_argument(patterns, "--out", metavar="FILE", help="write it here (default: print it)")
    patterns.set_defaults(handler=cmd_patterns)


def cmd_patterns(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from ..core.config import load_config
    from ..core.index import IndexUnavailable
    from ..core.patterns import as_json, read_patterns
    from ..core.patterns_text import as_markdown, as_text

    if args.share and args.format != "md":
        raise CommandError("--share goes with --format md: the text and json forms are the coach's own", EXIT_USAGE)
    entry = lookup_client(args, args.client)
    client = entry.client
    assert client is not None  # lookup_client refuses a client whose file cannot be read
    home = open_home(args)
    after = load_config(home).config.stalled_after
    try:
        found = read_patterns(home, client, date.today(), after, since=args.since)
    except IndexUnavailable as error:
        raise CommandError(str(error)) from None
    for problem in found.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    if args.format == "json":
        text = json.dumps(as_json(found), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "md":
        text = as_markdown(found, share=args.share)
    else:
        text = as_text(found)
    if args.out:
        write_file(args.out, text, home)
        print(f"written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
