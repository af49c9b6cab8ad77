"""The `sessionpal` command: launches the app, or runs one of the subcommands.

Only argparse and the core are imported here; Textual is imported when (and only
when) the app is launched, so `sessionpal packs check` and friends start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from . import __version__, cli_records
from .core.model import PHASES
from .core.paths import HOME_ENV, Home, builtin_prompts_dir, resolve_home

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A problem to print as one short line on stderr, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_PROBLEMS):
        super().__init__(message)
        self.code = code


def _home_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Accepted before and after a subcommand; SUPPRESS keeps a subcommand from hiding the top-level value.
    parser.add_argument(
        "--home",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help=f"data home (default: ${HOME_ENV}, else your user data folder)",
    )


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sessionpal",
        description="A calm companion for live coaching calls: timer, question deck, notes and goals, in plain files.",
    )
    parser.add_argument("--version", action="version", version=f"sessionpal {__version__}")
    _home_option(parser, top=True)
    parser.add_argument("--client", metavar="NAME", help="open this client's session screen (created if new)")
    parser.add_argument("--code", action="store_true", help="a client created by --client is stored under a code: the name stays inside client.toml")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    locate = commands.add_parser("locate", help="print where data, config and cache live")
    _home_option(locate, top=False)
    locate.add_argument("what", nargs="?", choices=("data", "config", "cache", "packs", "models", "builtin"), help="print just this one path")

    clients = commands.add_parser("clients", help="list clients, most recent session first")
    _home_option(clients, top=False)

    search = commands.add_parser("search", help="search every note of every session (or one client's)")
    _home_option(search, top=False)
    search.add_argument("query", nargs="+", help='words (each matches as a prefix) or "a quoted phrase"')
    search.add_argument("--client", metavar="NAME", help="only this client's sessions")

    export = commands.add_parser("export", help="everything held about one client, as a zip (for an access request)")
    _home_option(export, top=False)
    export.add_argument("client", metavar="CLIENT", help="the client's name or folder name")
    export.add_argument("--out", metavar="PATH", type=Path, help="the zip to write (default: sessionpal-SLUG-DATE.zip here)")

    log = commands.add_parser("log", help="logs for credentialing bodies")
    log_commands = log.add_subparsers(dest="log_command", metavar="KIND", required=True)
    icf = log_commands.add_parser("icf", help="the ICF coaching log as CSV: clients, dates, paid and pro bono hours")
    _home_option(icf, top=False)
    icf.add_argument("--from", dest="start", metavar="DATE", type=_date, help="first day to count (YYYY-MM-DD)")
    icf.add_argument("--to", dest="end", metavar="DATE", type=_date, help="last day to count (YYYY-MM-DD)")
    icf.add_argument("--out", metavar="FILE", type=Path, help="write the CSV here (default: print it)")

    share = commands.add_parser("export-session", help="a session recap for the client: only what is marked for sharing")
    _home_option(share, top=False)
    share.add_argument("file", type=Path, help="the session file")
    share.add_argument("--share", action="store_true", required=True, help="the client-facing recap (agreement, notes marked +, actions)")
    share.add_argument("--out", metavar="FILE", type=Path, help="write the recap here (default: print it)")

    packs = commands.add_parser("packs", help="check and list question packs")
    pack_commands = packs.add_subparsers(dest="packs_command", metavar="ACTION", required=True)
    check = pack_commands.add_parser("check", help="validate packs (default: all built-in and your own); exit 1 on problems")
    _home_option(check, top=False)
    check.add_argument("paths", nargs="*", metavar="PATH", type=Path, help="pack files to check")
    listing = pack_commands.add_parser("list", help="list packs and session models: id, title, size, file")
    _home_option(listing, top=False)
    new = pack_commands.add_parser("new", help="write a commented starter pack into your packs folder")
    _home_option(new, top=False)
    new.add_argument("id", help="the pack's id: lowercase letters, digits and dashes")
    new.add_argument("--title", default="", help="the pack's title (default: from the id)")
    add = pack_commands.add_parser("add", help="append a question to one of your packs")
    _home_option(add, top=False)
    add.add_argument("pack", help="the id of one of your packs")
    add.add_argument("text", help="the question")
    add.add_argument("--tags", default="", help="comma-separated tags, e.g. values,career")
    add.add_argument("--phase", choices=PHASES, help="when in a session it fits")
    add.add_argument("--follow-up", dest="follow_ups", action="append", default=[], metavar="TEXT", help="a follow-up question (repeat for more)")
    cli_records.add_parsers(commands, _home_option)
    return parser


def _home(args: argparse.Namespace) -> Home:
    return Home(resolve_home(args.home))


def cmd_locate(args: argparse.Namespace) -> int:
    home = _home(args)
    places = {
        "data": home.root,
        "config": home.config_file,
        "cache": home.cache_dir,
        "packs": home.prompts_dir,
        "models": home.models_dir,
        "builtin": builtin_prompts_dir(),
    }
    if args.what:
        print(places[args.what])
        return EXIT_OK
    labels = {
        "data": "data home",
        "config": "config",
        "cache": "cache",
        "packs": "your packs",
        "models": "your models",
        "builtin": "built-in packs",
    }
    for key, path in places.items():
        print(f"{labels[key]:<15}{path}")
    return EXIT_OK


def cmd_clients(args: argparse.Namespace) -> int:
    from .core.clients import list_clients

    entries = list_clients(_home(args))
    if not entries:
        print("no clients yet: run `sessionpal --client NAME` to start one")
        return EXIT_OK
    broken = 0
    for entry in entries:
        last = entry.last_session[:10] if entry.last_session else "no sessions"
        if entry.client is None:
            broken += 1
            print(f"{entry.slug:<28} {'(cannot be read)':<32} {last}")
            for found in entry.problems:
                print(f"  {found}", file=sys.stderr)
        else:
            print(f"{entry.slug:<28} {entry.client.name:<32} {last}")
    return EXIT_PROBLEMS if broken else EXIT_OK


def cmd_packs_check(args: argparse.Namespace) -> int:
    from .core.packs import check_files, load_library
    from .core.session_models import load_models

    if args.paths:
        packs, problems = check_files(args.paths)
        models = []
    else:
        home = _home(args)
        library = load_library(home)
        model_library = load_models(home)
        packs = list(library.packs.values()) + list(library.overridden.values())
        models = list(model_library.models.values())
        problems = library.problems + model_library.problems
    for found in sorted(problems):
        print(found, file=sys.stderr)
    if problems:
        files = len({p.path for p in problems})
        print(f"{files} file{'s' if files != 1 else ''} with problems", file=sys.stderr)
        return EXIT_PROBLEMS
    questions = sum(len(p.questions) for p in packs)
    summary = f"all valid: {len(packs)} pack{'s' if len(packs) != 1 else ''} ({questions} questions)"
    if models:
        summary += f", {len(models)} session model{'s' if len(models) != 1 else ''}"
    print(summary)
    return EXIT_OK


def _table(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}")


def cmd_packs_list(args: argparse.Namespace) -> int:
    from .core.packs import load_library
    from .core.session_models import load_models

    home = _home(args)
    library = load_library(home)
    rows = [("ID", "TITLE", "QUESTIONS", "FILE")]
    for pack in library.packs.values():
        where = str(pack.path) + ("" if pack.builtin else "  (yours)")
        if pack.id in library.overridden:
            where += " (replaces the built-in)"
        rows.append((pack.id, pack.title, str(len(pack.questions)), where))
    _table(rows)
    models = load_models(home)
    print()
    rows = [("MODEL", "TITLE", "PHASES", "FILE")]
    for model in models.models.values():
        rows.append((model.id, model.title, str(len(model.phases)), str(model.path) + ("" if model.builtin else "  (yours)")))
    _table(rows)
    problems = library.problems + models.problems
    for found in problems:
        print(found, file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_packs_new(args: argparse.Namespace) -> int:
    from .core import fsio
    from .core.pack_edit import PackEditError, new_pack

    try:
        pack = new_pack(_home(args), args.id, args.title)
    except (PackEditError, fsio.WriteError) as error:
        raise CommandError(str(error)) from None
    print(f"wrote {pack.path}: edit it in your editor, then `sessionpal packs check`")
    return EXIT_OK


def cmd_packs_add(args: argparse.Namespace) -> int:
    from .core import fsio
    from .core.pack_edit import PackEditError, add_question, user_pack_path
    from .core.packs import load_library
    from .core.problems import FileProblems

    library = load_library(_home(args))
    pack = library.packs.get(args.pack)
    if pack is None:
        from .core.problems import close_matches

        near = close_matches(args.pack, list(library.packs))
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise CommandError(f"no pack {args.pack!r}{hint} (`sessionpal packs new {args.pack}` makes one)")
    if pack.builtin:
        raise CommandError(
            f"'{pack.id}' is built in and read-only: add the question to a pack of yours "
            f"(`sessionpal packs new ID` makes one), or copy this one in the app's pack editor (ctrl+o, m)"
        )
    try:
        question = add_question(
            user_pack_path(_home(args), pack),
            args.text,
            tags=[t for t in args.tags.split(",") if t.strip()],
            phase=args.phase,
            follow_ups=args.follow_ups,
        )
    except (PackEditError, fsio.WriteError) as error:
        raise CommandError(str(error)) from None
    except FileProblems as error:
        raise CommandError(str(error)) from None
    print(f"added {question.ref} to {pack.path}")
    return EXIT_OK


def _client(args: argparse.Namespace, query: str):
    from .core.clients import ClientNotFound, find_client

    try:
        entry = find_client(_home(args), query)
    except ClientNotFound as error:
        raise CommandError(str(error)) from None
    if entry.client is None:
        raise CommandError("; ".join(str(p) for p in entry.problems))
    return entry


def _write(path: Path, data: bytes | str) -> None:
    from .core import fsio

    try:
        fsio.atomic_write(path.expanduser().absolute(), data)
    except fsio.WriteError as error:
        raise CommandError(str(error)) from None


def cmd_search(args: argparse.Namespace) -> int:
    from .core.index import IndexUnavailable, SearchIndex

    home = _home(args)
    client = _client(args, args.client).slug if args.client else None
    index = SearchIndex(home)
    try:
        refreshed = index.refresh(client=client)
        hits = index.search(" ".join(args.query), client)
    except IndexUnavailable as error:
        raise CommandError(str(error)) from None
    for found in refreshed.problems:
        print(f"skipped: {found}", file=sys.stderr)
    from .core.sessionfile import format_stamp

    for hit in hits:
        when = hit.started.strftime("%Y-%m-%d") if hit.started else "????-??-??"
        stamp = format_stamp(hit.stamp) if hit.stamp is not None else "--:--:--"
        marked = hit.marked.replace("\x01", "[").replace("\x02", "]")
        print(f"{hit.name}  {when}  {stamp}  {marked}  ({hit.path})")
    if not hits:
        print("no notes match", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .core.export import default_export_name, export_client

    entry = _client(args, args.client)
    out = args.out or Path(default_export_name(entry.slug))
    _write(out, export_client(_home(args), entry.slug))
    print(f"wrote {out}")
    return EXIT_OK


def cmd_log_icf(args: argparse.Namespace) -> int:
    from .core.export import icf_csv, icf_log

    rows, problems = icf_log(_home(args), args.start, args.end)
    for found in problems:
        print(f"skipped: {found}", file=sys.stderr)
    text = icf_csv(rows)
    if args.out:
        _write(args.out, text)
        print(f"wrote {args.out}: {len(rows)} clients")
    else:
        sys.stdout.write(text)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_export_session(args: argparse.Namespace) -> int:
    from .core.clients import load_client
    from .core.export import share_recap
    from .core.problems import FileProblems

    path = args.file.expanduser().absolute()
    client = None
    try:
        if path.parent.name == "sessions" and (path.parent.parent / "client.toml").exists():
            client = load_client(path.parent.parent / "client.toml")
        text = share_recap(path, client)
    except FileProblems as error:
        raise CommandError(str(error)) from None
    if args.out:
        _write(args.out, text)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    from .core import fsio

    home = _home(args)
    try:
        fsio.ensure_dir(home.root)
    except fsio.WriteError as error:
        raise CommandError(f"cannot create the data home {home.root}: {error.reason}") from None
    if not os.access(home.root, os.W_OK):
        raise CommandError(
            f"the data home {home.root} is read-only, so notes could not be saved; "
            f"choose another with --home DIR or ${HOME_ENV}"
        )
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise CommandError("the app needs a terminal to run in (stdin or stdout is not one)", EXIT_USAGE)
    from .ui.app import run_app

    return run_app(home, client=args.client, coded=args.code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "locate": cmd_locate,
        "clients": cmd_clients,
        "search": cmd_search,
        "export": cmd_export,
        "log": cmd_log_icf,
        "export-session": cmd_export_session,
        "packs": lambda a: {"check": cmd_packs_check, "list": cmd_packs_list, "new": cmd_packs_new, "add": cmd_packs_add}[a.packs_command](a),
        None: cmd_app,
        **cli_records.handlers(),
    }
    try:
        return handlers[args.command](args)
    except CommandError as error:
        print(f"sessionpal: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `sessionpal packs list | head` closed the pipe early: not an error.
        sys.stderr.close()
        return EXIT_OK
