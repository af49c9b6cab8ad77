"""The `sessionpal packs ...` subcommands: check, list, new, add."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .common import EXIT_OK, EXIT_PROBLEMS, CommandError, Commands, add_command, home_option, open_home, pad, path_argument

if TYPE_CHECKING:
    from ..core.packs import PackLibrary
    from ..core.paths import Home

# core.model's PHASES, spelled out: importing the model costs every command 10 ms (a test keeps them equal).
PHASES = ("opening", "explore", "options", "action", "closing")


def add_parsers(commands: Commands) -> None:
    check_all = ("check", "validate every pack, built-in and your own")
    start = ("new my-questions --title 'My questions'", "a commented starter pack in your packs folder")
    add_one = ("add my-questions 'What went well?' --phase opening", "one more question in it")
    packs = add_command(commands, "packs", summary="check, list, start and add to question packs", examples=[check_all, start, add_one])
    pack_commands = packs.add_subparsers(dest="packs_command", metavar="ACTION", required=True)
    check = add_command(
        pack_commands,
        "check",
        summary="validate packs (default: all built-in and your own); exit 1 on problems",
        examples=[("", check_all[1]), ("~/Downloads/shared-pack.toml", "one file, before it goes into your packs folder")],
    )
    home_option(check, top=False)
    path_argument(check, "paths", nargs="*", metavar="PATH", help="pack files to check")
    check.set_defaults(handler=cmd_packs_check)
    listing = add_command(pack_commands, "list", summary="list packs and session models: id, title, size, file", examples=[("", "every pack and model")])
    home_option(listing, top=False)
    listing.set_defaults(handler=cmd_packs_list)
    new = add_command(
        pack_commands, "new", summary="write a commented starter pack into your packs folder", examples=[(start[0].removeprefix("new "), start[1])]
    )
    home_option(new, top=False)
    new.add_argument("id", help="the pack's id: lowercase letters, digits and dashes")
    new.add_argument("--title", default="", help="the pack's title (default: from the id)")
    new.set_defaults(handler=cmd_packs_new)
    add = add_command(
        pack_commands,
        "add",
        summary="append a question to one of your packs",
        examples=[
            (add_one[0].removeprefix("add "), "a question for the opening"),
            ("my-questions 'What matters?' --follow-up 'Why that one?'", "with a follow-up question"),
        ],
    )
    home_option(add, top=False)
    add.add_argument("pack", help="the id of one of your packs")
    add.add_argument("text", help="the question")
    add.add_argument("--tags", default="", help="comma-separated tags, e.g. values,career")
    add.add_argument("--phase", choices=PHASES, help="when in a session it fits")
    add.add_argument("--follow-up", dest="follow_ups", action="append", default=[], metavar="TEXT", help="a follow-up question (repeat for more)")
    add.set_defaults(handler=cmd_packs_add)


def cmd_packs_check(args: argparse.Namespace) -> int:
    from ..core.packs import check_files, load_library
    from ..core.session_models import load_models

    if args.paths:
        packs, problems = check_files(args.paths)
        models = []
    else:
        home = open_home(args)
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
    if not args.paths:
        print(_deck_count(home, library, questions))
    return EXIT_OK


def _deck_count(home: Home, library: PackLibrary, questions: int) -> str:
    """How many of them the app's deck offers, and why the others are not there (the deck then shows the
    timer's phase of these, or every phase with @all)."""
    from ..core.config import load_config

    hidden = set(load_config(home).config.hidden)
    offered = len(library.questions(hidden))
    replaced = sum(len(p.questions) for p in library.overridden.values())
    held_back = sum(len(p.questions) for p in library.packs.values()) - offered
    why = []
    if held_back:
        why.append(f"{held_back} hidden in config.toml")
    if replaced:
        why.append(f"{replaced} in built-in packs that packs of yours with the same id replace")
    because = f" ({'; '.join(why)})" if why else ""
    return f"the deck offers {offered} of the {questions}{because}; each phase of a session shows its own part of them, @all every one"


def _table(rows: list[tuple[str, str, str, str]]) -> None:
    from rich.cells import cell_len

    widths = [max(cell_len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print(f"{pad(row[0], widths[0])}  {pad(row[1], widths[1])}  {row[2]:>{widths[2]}}  {row[3]}")


def cmd_packs_list(args: argparse.Namespace) -> int:
    from ..core.packs import load_library
    from ..core.session_models import load_models

    home = open_home(args)
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
    from ..core import fsio
    from ..core.pack_edit import PackEditError, new_pack

    try:
        pack = new_pack(open_home(args), args.id, args.title)
    except (PackEditError, fsio.WriteError) as error:
        raise CommandError(str(error)) from None
    print(f"wrote {pack.path}: edit it in your editor, then `sessionpal packs check`")
    return EXIT_OK


def cmd_packs_add(args: argparse.Namespace) -> int:
    from ..core import fsio
    from ..core.pack_edit import PackEditError, WrongPack, add_question, user_pack_path
    from ..core.packs import load_library
    from ..core.problems import FileProblems
    from ..core.schema import ID_RE

    home = open_home(args)
    options = {"tags": [t for t in args.tags.split(",") if t.strip()], "phase": args.phase, "follow_ups": args.follow_ups}
    try:
        # Most packs live in prompts/<id>.toml: add there at the cost of one reading of that file,
        # rather than reading every pack first to find it (a pack of thousands takes a while to read).
        named = home.prompts_dir / f"{args.pack}.toml"
        if ID_RE.fullmatch(args.pack) and named.is_file():
            try:
                question = add_question(named, args.text, pack_id=args.pack, **options)
            except WrongPack:
                pass
            else:
                print(f"added {question.ref} to {named}")
                return EXIT_OK
        library = load_library(home)
        pack = library.packs.get(args.pack)
        if pack is None:
            from ..core.problems import close_matches

            near = close_matches(args.pack, list(library.packs))
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise CommandError(f"no pack {args.pack!r}{hint} (`sessionpal packs new {args.pack}` makes one)")
        if pack.builtin:
            raise CommandError(
                f"'{pack.id}' is built in and read-only: add the question to a pack of yours "
                f"(`sessionpal packs new ID` makes one), or copy this one in the app's pack editor (ctrl+o, m)"
            )
        question = add_question(user_pack_path(home, pack), args.text, **options)
    except (PackEditError, fsio.WriteError, FileProblems) as error:
        raise CommandError(str(error)) from None
    print(f"added {question.ref} to {pack.path}")
    return EXIT_OK
