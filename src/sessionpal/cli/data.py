"""Subcommands that read the data home and print: locate, clients, search, export, log icf, export-session."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.paths import builtin_prompts_dir, machine_config_file
from .common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    CommandError,
    Commands,
    add_command,
    home_option,
    iso_date,
    lookup_client,
    open_home,
    pad,
    path_argument,
    write_file,
)


def add_parsers(commands: Commands) -> None:
    locate = add_command(
        commands,
        "locate",
        summary="print where data, config and cache live",
        examples=[("", "every place, one a line"), ("data", 'only the data home (cd "$(sessionpal locate data)")')],
    )
    home_option(locate, top=False)
    locate.add_argument("what", nargs="?", choices=("data", "config", "machine", "cache", "packs", "models", "builtin"), help="print just this one path")
    locate.set_defaults(handler=cmd_locate)

    clients = add_command(
        commands,
        "clients",
        summary="list clients, most recent session first",
        description="List clients, most recent session first: folder name, name, code (as the ICF log names them), last session.",
        examples=[("", "every client in the data home"), ("--home ~/coaching-archive", "the clients of another data home")],
    )
    home_option(clients, top=False)
    clients.set_defaults(handler=cmd_clients)

    search = add_command(
        commands,
        "search",
        summary="search every note of every session (or one client's)",
        description="Search every note of every session, or one client's: each match with its client, date, time and file. Exit 1 when nothing matches.",
        examples=[("burnout", 'notes with a word starting "burnout"'), ('"next step" --client "Sam Lee"', "that phrase, in Sam Lee's sessions only")],
    )
    home_option(search, top=False)
    search.add_argument("query", nargs="+", help='words (each matches as a prefix) or "a quoted phrase"')
    search.add_argument("--client", metavar="NAME", help="only this client's sessions")
    search.add_argument(
        "--full",
        action="store_true",
        help="look at every session file, not only in client folders that changed (finds a note edited in place by an editor that does not replace the file)",
    )
    search.set_defaults(handler=cmd_search)

    export = add_command(
        commands,
        "export",
        summary="everything held about one client, as a zip",
        description="Everything held about one client, as a zip (for an access request), or as Markdown copies for Obsidian.",
        examples=[
            ('"Sam Lee"', "sessionpal-sam-lee-DATE.zip, here"),
            ('"Sam Lee" --encrypt', "the same zip, encrypted with a passphrase (age)"),
            ('"Sam Lee" --format obsidian --out ~/vault/sam', "the sessions, with YAML front matter"),
        ],
    )
    home_option(export, top=False)
    export.add_argument("client", metavar="CLIENT", help="the client's name or folder name")
    path_argument(export, "--out", metavar="PATH", help="the zip to write (default: sessionpal-SLUG-DATE.zip here), or the folder for --format obsidian")
    export.add_argument(
        "--format",
        choices=("zip", "obsidian"),
        default="zip",
        help="zip: every file as it is (default); obsidian: copies of the sessions with YAML front matter, "
        "for Obsidian and other Markdown tools, in a folder (default: sessionpal-SLUG-obsidian here)",
    )
    export.add_argument(
        "--encrypt", action="store_true", help="encrypt the zip with a passphrase, asked twice (the age format: *.zip.age, opened with age -d or rage -d)"
    )
    path_argument(export, "--passphrase-file", metavar="FILE", help="encrypt with the passphrase in this file (its first line) instead of asking")
    export.set_defaults(handler=cmd_export)

    year = [("icf --from 2026-01-01 --to 2026-12-31 --out icf-2026.csv", "the year's ICF log, as a CSV file")]
    log = add_command(commands, "log", summary="logs for credentialing bodies (the ICF coaching log)", examples=year)
    log_commands = log.add_subparsers(dest="log_command", metavar="KIND", required=True)
    icf = add_command(
        log_commands,
        "icf",
        summary="the ICF coaching log as CSV: clients, dates, paid and pro bono hours",
        examples=[("", "the whole log so far, printed"), (year[0][0].removeprefix("icf "), year[0][1])],
    )
    home_option(icf, top=False)
    icf.add_argument("--from", dest="start", metavar="DATE", type=iso_date, help="first day to count (YYYY-MM-DD)")
    icf.add_argument("--to", dest="end", metavar="DATE", type=iso_date, help="last day to count (YYYY-MM-DD)")
    path_argument(icf, "--out", metavar="FILE", help="write the CSV here (default: print it)")
    icf.set_defaults(handler=cmd_log_icf)

    share = add_command(
        commands,
        "export-session",
        summary="a session's recap for the client, as marked to share",
        description="A session's recap for the client: the agreement, the notes marked + and the actions; nothing else.",
        examples=[("clients/sam-lee/sessions/2026-09-14T1000.md --share", "the recap to send Sam Lee, printed")],
    )
    home_option(share, top=False)
    path_argument(share, "file", help="the session file")
    share.add_argument("--share", action="store_true", required=True, help="the client-facing recap (agreement, notes marked +, actions)")
    path_argument(share, "--out", metavar="FILE", help="write the recap here (default: print it)")
    share.set_defaults(handler=cmd_export_session)


def cmd_locate(args: argparse.Namespace) -> int:
    home = open_home(args)
    places = {
        "data": home.root,
        "config": home.config_file,
        "machine": machine_config_file(),
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
        "machine": "this computer",
        "cache": "cache",
        "packs": "your packs",
        "models": "your models",
        "builtin": "built-in packs",
    }
    for key, path in places.items():
        print(f"{labels[key]:<15}{path}")
    return EXIT_OK


def cmd_clients(args: argparse.Namespace) -> int:
    from ..core.clients import client_code, list_clients

    entries = list_clients(open_home(args))
    if not entries:
        print("no clients yet: run `sessionpal --client NAME` to start one")
        return EXIT_OK
    broken = 0
    for entry in entries:
        last = entry.last_session[:10] if entry.last_session else "no sessions"
        if entry.client is None:
            broken += 1
            print(f"{pad(entry.slug, 28)} {pad('(cannot be read)', 32)} {pad('', 9)} {last}")
            for found in entry.problems:
                print(f"  {found}", file=sys.stderr)
        else:
            # The code, as the ICF log names a client not named there (the log's only key back to them).
            print(f"{pad(entry.slug, 28)} {pad(entry.client.name, 32)} {pad(client_code(entry.client), 9)} {last}")
    return EXIT_PROBLEMS if broken else EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from ..core.index import SEARCH_LIMIT, IndexUnavailable, SearchIndex

    home = open_home(args)
    client = lookup_client(args, args.client).slug if args.client else None
    index = SearchIndex(home)
    progress = IndexingProgress()
    try:
        refreshed = index.refresh(progress.show if progress.stream else None, client=client, full=args.full)
        hits = index.search(" ".join(args.query), client)
    except IndexUnavailable as error:
        raise CommandError(str(error)) from None
    except KeyboardInterrupt:
        progress.stopped()
        raise
    if index.rebuilt:
        print(index.rebuilt, file=sys.stderr)
    for found in refreshed.problems:
        print(f"skipped: {found}", file=sys.stderr)
    from ..core.stamps import format_stamp

    for hit in hits:
        when = hit.started.strftime("%Y-%m-%d") if hit.started else "????-??-??"
        stamp = format_stamp(hit.stamp) if hit.stamp is not None else "--:--:--"
        marked = hit.marked.replace("\x01", "[").replace("\x02", "]")
        print(f"{hit.name}  {when}  {stamp}  {marked}  ({hit.path})")
    if not hits:
        print("no notes match", file=sys.stderr)
        return EXIT_PROBLEMS
    if len(hits) >= SEARCH_LIMIT:
        print(f"the newest {SEARCH_LIMIT} matching lines: add a word to narrow the search", file=sys.stderr)
    return EXIT_OK


class IndexingProgress:
    """A count on one line of a terminal while the index reads many session files (a first search of a large
    practice takes a while); nothing at all when stderr is a pipe or a file."""

    SHOWN_FROM = 1000  # files: fewer are read in a blink

    def __init__(self) -> None:
        stream = sys.__stderr__  # the real one: the line is redrawn with \r, which VisibleText would spell out
        self.stream = stream if stream is not None and stream.isatty() else None
        self.shown = False

    def show(self, done: int, total: int) -> None:
        if self.stream is None or total < self.SHOWN_FROM:
            return
        self.shown = True
        self.stream.write(f"\rIndexing session files: {done:,} of {total:,}" + ("\n" if done >= total else ""))
        self.stream.flush()

    def stopped(self) -> None:
        if self.stream is not None and self.shown:
            self.stream.write("\nStopped. The index keeps what was read; the next search goes on from there.\n")
            self.stream.flush()


def cmd_export(args: argparse.Namespace) -> int:
    from ..core.export import default_export_name, export_client

    entry = lookup_client(args, args.client)
    encrypt = args.encrypt or args.passphrase_file is not None
    if args.format == "obsidian":
        if encrypt:
            raise CommandError("--encrypt is for the zip: an Obsidian folder is read by Obsidian as it is", EXIT_USAGE)
        return _export_obsidian(args, entry.slug)
    secret = _passphrase(args) if encrypt else None
    out = args.out or Path(default_export_name(entry.slug) + (".age" if encrypt else ""))
    skipped: list[Path] = []
    data = export_client(open_home(args), entry.slug, skipped)
    if secret is not None:
        from ..core.export import EncryptionUnavailable, encrypt_with_passphrase

        try:
            data = encrypt_with_passphrase(data, secret)
        except EncryptionUnavailable as error:
            raise CommandError(str(error)) from None
    write_file(out, data, open_home(args))
    print(f"wrote {out}" + (" (encrypted: open it with `age -d` or `rage -d` and the passphrase)" if secret is not None else ""))
    for path in skipped:
        print(f"left out: {path} (a link or not a regular file: links are never followed into an export)", file=sys.stderr)
    return EXIT_OK


def _passphrase(args: argparse.Namespace) -> str:
    """From --passphrase-file (its first line), or asked twice on the terminal; never from an argument,
    which every account of the computer could read in the process list."""
    if args.passphrase_file is not None:
        from ..core.problems import FileProblems, read_user_text

        path = args.passphrase_file.expanduser()
        try:
            lines = read_user_text(path).splitlines()
        except FileProblems as error:
            raise CommandError(str(error)) from None
        _warn_if_others_can_read(path)
        secret = lines[0] if lines else ""
        if not secret:
            raise CommandError(f"{args.passphrase_file}: the first line is empty: an empty passphrase protects nothing")
        return secret
    if not sys.stdin.isatty():
        raise CommandError("--encrypt asks for the passphrase on a terminal; without one, use --passphrase-file FILE", EXIT_USAGE)
    import getpass

    first = getpass.getpass("Passphrase for the export: ")
    if not first:
        raise CommandError("an empty passphrase protects nothing; nothing was written")
    if getpass.getpass("The same again: ") != first:
        raise CommandError("the two passphrases differ; nothing was written")
    return first


def _warn_if_others_can_read(path: Path) -> None:
    """As ssh does for a key: a passphrase that other accounts of the computer can read protects little."""
    import os
    import stat

    from ..core.safe_text import visible

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if os.name != "nt" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(
            f"warning: {visible(str(path))} can be read by other accounts of this computer (mode {stat.S_IMODE(mode):04o}); "
            f"`chmod 600 {visible(str(path))}` keeps the passphrase yours",
            file=sys.stderr,
        )


def _export_obsidian(args: argparse.Namespace, slug: str) -> int:
    from ..core import fsio
    from ..core.export import obsidian_notes

    problems: list[str] = []
    home = open_home(args)
    folder = (args.out or Path(f"sessionpal-{slug}-obsidian")).expanduser().absolute()
    if folder.resolve().is_relative_to(home.root.resolve()):
        # Copies named like the sessions, inside the home, would replace the sessions themselves.
        raise CommandError(f"{folder} is inside the data home: the copies go to a folder of their own (an Obsidian vault, say)")
    notes = obsidian_notes(home, slug, problems)
    try:
        fsio.ensure_dir(folder)
        fsio.clean_temp_files(folder)  # an export cut short before: its half-written copies
        for name, text in notes.items():
            fsio.atomic_write(folder / name, text)
    except fsio.WriteError as error:
        raise CommandError(str(error)) from None
    sessions = len(notes) - 1
    print(f"wrote {folder}: {sessions} session{'s' if sessions != 1 else ''} and {slug}.md, which links them (copies: edits there do not come back)")
    for found in problems:
        print(f"left out: {found}", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_log_icf(args: argparse.Namespace) -> int:
    from ..core.export import icf_csv, icf_log

    rows, problems = icf_log(open_home(args), args.start, args.end)
    for found in problems:
        print(f"skipped: {found}", file=sys.stderr)
    text = icf_csv(rows)
    if args.out:
        write_file(args.out, text, open_home(args))
        print(f"wrote {args.out}: {len(rows)} client{'' if len(rows) == 1 else 's'}")
    else:
        sys.stdout.write(text)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_export_session(args: argparse.Namespace) -> int:
    from ..core.clients import load_client
    from ..core.export import share_recap
    from ..core.problems import FileProblems

    path = args.file.expanduser().absolute()
    client = None
    try:
        if path.parent.name == "sessions" and (path.parent.parent / "client.toml").exists():
            client = load_client(path.parent.parent / "client.toml")
        text = share_recap(path, client)
    except FileProblems as error:
        raise CommandError(str(error)) from None
    if args.out:
        write_file(args.out, text, open_home(args))
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK
