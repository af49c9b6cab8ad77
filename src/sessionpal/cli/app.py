"""The entry point: the top-level parser, main() and its dispatch, and launching the app.

Each subcommand module adds its own parsers and sets `handler` on them;
main() calls whichever handler the parsed command set (the app, when there is none).
Launching the app builds none of them: `sessionpal --client NAME` is read by a parser of
the app's own options alone (app_arguments), and the subcommands are imported only when
a command line is more than that.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from datetime import date
from typing import Any, NoReturn

from .. import __version__
from .common import EXIT_OK, EXIT_USAGE, CommandError, CommandParser, Commands, VisibleText, app_home, filled, home_option

SHELLS = ("bash", "zsh", "tcsh", "fish")


class PrintCompletion(argparse.Action):
    """--print-completion SHELL: shtab writes the script from the parser, then the command ends.

    shtab is imported only here: every other start of sessionpal (a warm search) stays as quick."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None) -> None:
        import shtab

        print(shtab.complete(parser, shell=str(values)))
        parser.exit(EXIT_OK)


# `sessionpal --help` lists the commands in these groups, in this order; a test holds every command to a group
# (one left out is still listed, under "other commands").
COMMAND_GROUPS = (
    ("clients and sessions", ("clients", "engagement", "today", "invite", "move-session", "export-session")),
    ("review and records", ("search", "patterns", "log", "import-hours")),
    ("packs", ("packs",)),
    ("data and privacy", ("locate", "export", "versions", "restore", "erase", "retention", "sync")),
    ("browser", ("serve",)),
)

USAGE = """%(prog)s [--home DIR] [--client NAME [--code]]
       %(prog)s [--home DIR] COMMAND ...
       %(prog)s COMMAND --help"""

DESCRIPTION = "A calm companion for live coaching calls: timer, question deck, notes and goals, in plain files."
NO_COMMAND = "With no command: the client list, in this terminal (--client NAME: straight to that client's session screen)."

EXAMPLES = (
    ("", "the client list"),
    ('--client "Sam Lee"', "Sam Lee's session screen (created if new)"),
    ("search burnout", 'every note with a word starting "burnout"'),
    ("serve", "the same app, in a browser tab"),
    ("packs --help", "a command's options and examples"),
)


class AppParser(CommandParser):
    """The top-level parser, whose --help groups the commands (argparse lists them as one flat "positional
    argument" that looks required, when no command opens the app)."""

    commands: Commands  # its subparsers action: the commands' parsers are its choices

    def format_help(self) -> str:
        """The help of a parser made for it alone, from public argparse: a section of "arguments" per group
        of commands (each one's summary beside it, in argparse's columns), then the options, as this one has them."""
        shown = argparse.ArgumentParser(
            prog=self.prog,
            usage=self.usage,
            description=filled(f"{self.about}\n\n{NO_COMMAND}"),
            epilog=self.epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            add_help=False,
        )
        parsers: dict[str, CommandParser] = dict(self.commands.choices)
        grouped = [name for _, names in COMMAND_GROUPS for name in names]
        others = ("other commands", tuple(name for name in parsers if name not in grouped))
        for title, names in (*COMMAND_GROUPS, others):
            group = shown.add_argument_group(title)
            for name in names:
                if name in parsers:
                    group.add_argument(name, help=parsers[name].summary.replace("%", "%%"))
        add_app_options(shown.add_argument_group("options"), shown=True)
        return shown.format_help()


def add_app_options(container: argparse.ArgumentParser | argparse._ArgumentGroup, *, shown: bool = False) -> None:
    """The app's own options, on the parser (and on the one its help is printed from: `shown`)."""
    if shown:  # the parser's own -h comes with argparse
        container.add_argument("-h", "--help", action="help", help="show this help message and exit")
    container.add_argument("--version", action="version", version=f"sessionpal {__version__}")
    container.add_argument(
        "--print-completion",
        choices=SHELLS,
        action=PrintCompletion,
        help="print a completion script for this shell (where it goes: docs/commands.md, Shell completion)",
    )
    home_option(container, top=True)
    container.add_argument("--client", metavar="NAME", help="open this client's session screen (created if new)")
    container.add_argument("--code", action="store_true", help="a client created by --client is stored under a code: the name stays inside client.toml")


def build_parser() -> AppParser:
    # The subcommands are imported here, not at the top: the app's start (app_arguments) never needs them.
    from . import calendar, data, packs, patterns, practice, records, serve

    parser = AppParser(prog="sessionpal", usage=USAGE, description=DESCRIPTION, examples=EXAMPLES)
    add_app_options(parser)
    # A subcommand's own default replaces this one.
    parser.set_defaults(handler=cmd_app)
    # prog: each command's own usage starts `sessionpal COMMAND` (argparse would make it from the usage above).
    parser.commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="sessionpal", parser_class=CommandParser)
    # This order is the order the shell's completion offers them in; `sessionpal --help` groups them (COMMAND_GROUPS).
    data.add_parsers(parser.commands)
    patterns.add_parsers(parser.commands)
    packs.add_parsers(parser.commands)
    practice.add_parsers(parser.commands)
    calendar.add_commands(parser.commands)
    records.add_parsers(parser.commands)
    serve.add_parsers(parser.commands)
    return parser


class _NotTheAppAlone(Exception):
    """The command line is more than the app's own options: the whole parser reads it."""


class _AppOptionsParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheAppAlone(message)


def app_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments of a plain start of the app (`--home DIR`, `--client NAME`, `--code`, nothing else), read
    without building a parser for each of the 22 commands (importing their modules and building their parsers
    took 6 to 11 ms of a first paint); None for any other command line, which build_parser() reads as it always has. Only the exact
    option names count (no abbreviations): `--h` or `--cl` go to the whole parser, which reads them its way.
    Nothing is printed here, neither errors nor help: those are the whole parser's."""
    light = _AppOptionsParser(prog="sessionpal", add_help=False, allow_abbrev=False)
    light.add_argument("--home", default=None)
    light.add_argument("--client")
    light.add_argument("--code", action="store_true")
    light.set_defaults(handler=cmd_app, command=None)
    try:
        args, rest = light.parse_known_args(argv)
    except _NotTheAppAlone:
        return None
    return None if rest else args


def cmd_app(args: argparse.Namespace) -> int:
    home = app_home(args)
    # Textual told to use another driver (`sessionpal serve`, `textual serve`) needs no terminal.
    if not os.environ.get("TEXTUAL_DRIVER") and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise CommandError("the app needs a terminal to run in (stdin or stdout is not one); `sessionpal serve` runs it in a browser", EXIT_USAGE)
    # No garbage collection until the first frame is on the screen (SessionPalApp.on_ready turns it back on):
    # starting up allocates a great deal and frees next to nothing, yet each collection walks every object
    # made so far, Textual's and the app's modules included (80 to 100 ms of CPU by the first frame, measured;
    # a bare Textual app spends 25).
    gc.disable()
    if args.client is None:  # the client list comes first: its first screen read on the other core meanwhile
        from ..core.first_screen import prefetch

        prefetch(home, date.today())
    # Imported only now: Textual is slow to import, and no subcommand needs it.
    from ..ui.app import run_app

    return run_app(home, client=args.client, coded=args.code)


def main(argv: Sequence[str] | None = None) -> int:
    outputs = sys.stdout, sys.stderr
    # Every line a subcommand prints (argparse's errors too) shows control characters, never sends them.
    sys.stdout, sys.stderr = VisibleText(sys.stdout), VisibleText(sys.stderr)
    try:
        args = app_arguments(argv)
        if args is None:
            args = build_parser().parse_args(argv)  # --print-completion writes its script here
        if args.handler is cmd_app:
            sys.stdout, sys.stderr = outputs  # the app draws the screen itself, through Textual
        return _dispatch(args)
    except BrokenPipeError:
        return _reader_gone()
    finally:
        sys.stdout, sys.stderr = outputs


def _reader_gone() -> int:
    """`sessionpal … | head` closed the pipe early: not an error; end quietly, as grep and git do. What is still
    buffered for the pipe is dropped (else Python reports the failed flush as it exits)."""
    with suppress(OSError, ValueError, AttributeError):  # AttributeError: no stdout at all
        devnull = os.open(os.devnull, os.O_WRONLY)  # fsio-ok: /dev/null over a pipe gone, no file written
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]
    return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    if os.name == "nt":
        # Two writers are kept apart by flock, which Windows lacks: refuse rather than risk a lost note.
        print("sessionpal: runs on Linux and macOS; on Windows, run it inside WSL (Windows Subsystem for Linux)", file=sys.stderr)
        return EXIT_USAGE
    try:
        handled: int = args.handler(args)
        return handled
    except CommandError as error:
        print(f"sessionpal: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()
