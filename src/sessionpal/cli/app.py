"""The entry point: the top-level parser, main() and its dispatch, and launching the app.

Each subcommand module adds its own parsers and sets `handler` on them;
main() calls whichever handler the parsed command set (the app, when there is none).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import Any

from .. import __version__
from . import data, packs, practice, records, serve
from .common import EXIT_OK, EXIT_USAGE, CommandError, VisibleText, app_home, home_option

SHELLS = ("bash", "zsh", "tcsh", "fish")


class PrintCompletion(argparse.Action):
    """--print-completion SHELL: shtab writes the script from the parser, then the command ends.

    shtab is imported only here: every other start of sessionpal (a warm search) stays as quick."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None) -> None:
        import shtab

        print(shtab.complete(parser, shell=str(values)))
        parser.exit(EXIT_OK)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sessionpal",
        description="A calm companion for live coaching calls: timer, question deck, notes and goals, in plain files.",
    )
    parser.add_argument("--version", action="version", version=f"sessionpal {__version__}")
    parser.add_argument(
        "--print-completion",
        choices=SHELLS,
        action=PrintCompletion,
        help="print a completion script for this shell (see the README: Shell completion)",
    )
    home_option(parser, top=True)
    parser.add_argument("--client", metavar="NAME", help="open this client's session screen (created if new)")
    parser.add_argument("--code", action="store_true", help="a client created by --client is stored under a code: the name stays inside client.toml")
    # A subcommand's own default replaces this one.
    parser.set_defaults(handler=cmd_app)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # This order is the order `sessionpal --help` lists them in.
    data.add_parsers(commands)
    packs.add_parsers(commands)
    practice.add_parsers(commands)
    records.add_parsers(commands)
    serve.add_parsers(commands)
    return parser


def cmd_app(args: argparse.Namespace) -> int:
    home = app_home(args)
    # Textual told to use another driver (`sessionpal serve`, `textual serve`) needs no terminal.
    if not os.environ.get("TEXTUAL_DRIVER") and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise CommandError("the app needs a terminal to run in (stdin or stdout is not one); `sessionpal serve` runs it in a browser", EXIT_USAGE)
    # Imported only now: Textual is slow to import, and no subcommand needs it.
    from ..ui.app import run_app

    return run_app(home, client=args.client, coded=args.code)


def main(argv: Sequence[str] | None = None) -> int:
    outputs = sys.stdout, sys.stderr
    # Every line a subcommand prints (argparse's errors too) shows control characters, never sends them.
    sys.stdout, sys.stderr = VisibleText(sys.stdout), VisibleText(sys.stderr)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)  # --print-completion writes its script here
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
