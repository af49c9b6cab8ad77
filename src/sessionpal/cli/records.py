"""Record-keeping subcommands: version history, erase, retention, sync."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from ..core.paths import Home
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError, Commands, add_command, home_option, lookup_client, open_home, path_argument


def add_parsers(commands: Commands) -> None:
    versions = add_command(
        commands,
        "versions",
        summary="the kept earlier versions of a file in the data home",
        description="The kept earlier versions of a client.toml, a pack or a finished session file, numbered for `sessionpal restore`.",
        examples=[("clients/sam-lee/client.toml", "Sam Lee's client.toml as it was, version by version")],
    )
    home_option(versions, top=False)
    path_argument(versions, "path", help="the file (as it is named in the data home)")
    versions.set_defaults(handler=cmd_versions)

    restore = add_command(
        commands,
        "restore",
        summary="bring back an earlier version of a file",
        description="Bring back an earlier version of a file; the current one is kept as a version too.",
        examples=[("clients/sam-lee/client.toml 2", "version 2, as `sessionpal versions` numbers it")],
    )
    home_option(restore, top=False)
    path_argument(restore, "path", help="the file")
    restore.add_argument("version", type=int, help="the version's number, as `sessionpal versions PATH` lists it")
    restore.set_defaults(handler=cmd_restore)

    erase = add_command(
        commands,
        "erase",
        summary="remove everything held about a client, for good",
        description="Remove every file of a client, their kept versions and search index entries. audit.log keeps the date and folder name.",
        examples=[('"Sam Lee"', "asks for the name typed back, then removes it all")],
    )
    home_option(erase, top=False)
    erase.add_argument("client", metavar="CLIENT", help="the client's name or folder name")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(handler=cmd_erase)

    sync = add_command(
        commands,
        "sync",
        summary="git pull --rebase and git push the data home",
        description="git pull --rebase and git push, when the data home is a git repository with a remote.",
        examples=[("", "bring this computer's notes and the remote's together")],
    )
    home_option(sync, top=False)
    sync.set_defaults(handler=cmd_sync)

    retention = add_command(
        commands,
        "retention",
        summary="clients whose last session is past retention_years",
        description="Clients whose last session is older than retention_years (config.toml), to erase or keep.",
        examples=[("", "as config.toml's retention_years says"), ("--years 7", "older than seven years")],
    )
    home_option(retention, top=False)
    retention.add_argument("--years", type=int, help="instead of retention_years from config.toml")
    retention.set_defaults(handler=cmd_retention)


def _file_in_home(args: argparse.Namespace) -> tuple[Home, Path]:
    home = open_home(args)
    path = args.path.expanduser()
    # A path as the coach copies it (absolute or from here), or as it is named inside the home.
    candidates = [path.absolute(), home.root / path]
    for candidate in candidates:
        try:
            candidate.resolve().relative_to(home.root.resolve())
        except ValueError:
            continue
        if candidate.exists() or candidate is candidates[-1]:
            return home, candidate
    raise CommandError(f"{args.path} is not a file in the data home {home.root}")


def cmd_versions(args: argparse.Namespace) -> int:
    from ..core.versions import list_versions

    home, path = _file_in_home(args)
    found = list_versions(home, path)
    if not found:
        print(f"no earlier versions of {path} are kept", file=sys.stderr)
        return EXIT_OK
    for version in found:
        print(f"{version.number:>3}  {version.saved.astimezone():%Y-%m-%d %H:%M:%S}  {version.size:>9,} bytes")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from ..core import fsio
    from ..core.versions import list_versions, restore

    home, path = _file_in_home(args)
    found = {v.number: v for v in list_versions(home, path)}
    if args.version not in found:
        raise CommandError(f"no version {args.version} of {path}: `sessionpal versions {args.path}` lists them")
    try:
        restore(home, path, found[args.version])
    except fsio.WriteError as error:
        raise CommandError(str(error)) from None
    print(f"{path} is version {args.version} again (from {found[args.version].saved.astimezone():%Y-%m-%d %H:%M}); the one it replaced is version 1 now")
    return EXIT_OK


def cmd_erase(args: argparse.Namespace) -> int:
    from ..core import fsio
    from ..core.lock import Locked
    from ..core.paths import session_paths
    from ..core.records import erase_client

    home = open_home(args)
    entry = lookup_client(args, args.client)
    assert entry.client is not None  # lookup_client refuses a client whose file cannot be read
    name = entry.client.name
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("erase asks for confirmation: run it in a terminal, or add --yes", EXIT_USAGE)
        sessions = len(session_paths(home, entry.slug))
        print(f"This removes everything held about {name}: client.toml, {sessions} session file(s), their kept versions and search entries.")
        answer = input(f"Type the name ({name}) to erase, anything else to stop: ")
        if answer.strip() != name:
            print("Nothing was erased.")
            return EXIT_PROBLEMS
    try:
        erased = erase_client(home, entry.slug, datetime.now().astimezone())
    except Locked as held:
        raise CommandError(f"not erased: {held.holder.describe()}; close it there first") from None
    except fsio.WriteError as error:
        raise CommandError(f"not wholly erased: {error}") from None
    print(f"Erased {name}: {erased.files} file(s). audit.log records the date and the folder name ({erased.slug}) only.")
    for link, target in erased.links:
        print(f"Not erased: {link} was a link to {target}; the link is gone, what it pointed at was left as it is.", file=sys.stderr)
    if erased.audit_problem:
        print(f"Warning: the erasure is not in audit.log: {erased.audit_problem}", file=sys.stderr)
    _commit_erase(home, erased.slug)
    if erased.in_git:
        print(
            "Warning: the data home is a git repository, and its history still holds this client's files.\n"
            f"To purge them: git filter-repo --invert-paths --path clients/{erased.slug} (then force-push any remote,\n"
            "and ask anyone with a clone to clone again).",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_retention(args: argparse.Namespace) -> int:
    from ..core.config import load_config
    from ..core.records import past_retention

    home = open_home(args)
    years = args.years or load_config(home).config.retention_years
    if not years:
        raise CommandError("no retention period: set retention_years in config.toml, or give --years N")
    today = datetime.now().astimezone().date()
    for past in past_retention(home, years, today):
        when = past.last.isoformat() if past.last else "no session"
        print(f"{when}  {past.entry.name}  ({past.entry.slug})")
    return EXIT_OK


def _commit_erase(home: Home, slug: str) -> None:
    """With git.autocommit on, the removal is committed too (the history still holds the files)."""
    from ..core.config import load_config
    from ..core.gitsync import GitProblem, check_autocommit, commit

    if not load_config(home).config.git_autocommit:
        return
    try:
        problem = check_autocommit(home)
        if not problem:
            commit(home, [home.client_dir(slug), home.root / "audit.log"], f"Erase client {slug}")
    except GitProblem as error:
        problem = str(error)
    if problem:
        print(f"Not committed: {problem}", file=sys.stderr)


def cmd_sync(args: argparse.Namespace) -> int:
    from ..core.gitsync import GitProblem, sync

    home = open_home(args)
    try:
        result = sync(home)
    except GitProblem as error:
        raise CommandError(str(error)) from None
    for text in (result.pulled, result.pushed):
        if text:
            print(text)
    print("Synced: pulled and pushed.")
    return EXIT_OK
