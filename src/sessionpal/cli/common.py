"""What the subcommands share: exit codes, CommandError, their parser (a summary, examples: add_command), the --home
option, the home (and the app's), client lookup, writing a file.

Imports nothing else from the CLI, so every other module can import it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.paths import HOME_ENV, Home, resolve_home
from ..core.safe_text import visible

if TYPE_CHECKING:
    from ..core.clients import ClientEntry

# What add_parsers is handed: argparse's subparsers action (its class is private to argparse).
Commands = Any
# A command's examples: (its arguments, what that does), each shown as `sessionpal COMMAND ARGUMENTS  what`.
Examples = Sequence[tuple[str, str]]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A problem to print as one short line on stderr, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_PROBLEMS):
        super().__init__(message)
        self.code = code


class CommandParser(argparse.ArgumentParser):
    """A command's parser (and the top-level one's base): a one-line summary, its line in a list of commands; a
    description filled to the terminal; and examples, each on its own line, closing its --help.

    Every subcommand's parser is one (add_command makes it; argparse makes a command's own subcommands of the
    same class), so each --help ends with what to type."""

    def __init__(self, *args: Any, summary: str = "", examples: Examples = (), **options: Any) -> None:
        self.summary = summary
        self.about: str = options.pop("description", None) or ""
        options.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)  # the examples, line by line
        super().__init__(*args, **options)
        if examples:
            self.epilog = example_lines(self.prog, examples)

    def format_help(self) -> str:
        # Filled only when a help is asked for: RawDescriptionHelpFormatter would print it as one long line.
        self.description = filled(self.about) if self.about else None
        return super().format_help()


def add_command(commands: Commands, name: str, *, summary: str, examples: Examples, description: str = "", **options: Any) -> CommandParser:
    """A subcommand: `summary` is its line in a list of commands (`sessionpal --help`, the shell's completion),
    short enough for one line at 80 columns; `description` heads its own --help (default: the summary, as a
    sentence); its examples close it."""
    about = description or summary[0].upper() + summary[1:] + "."
    parser: CommandParser = commands.add_parser(name, help=summary, summary=summary, examples=examples, description=about, **options)
    return parser


def example_lines(prog: str, examples: Examples) -> str:
    """The examples, as a help's closing section: each command line with what it does in a column beside it,
    or, where that would not fit 80 columns, under each."""
    lines = [f"{prog} {arguments}".rstrip() for arguments, _ in examples]
    column = max(len(line) for line in lines) + 2
    if all(2 + column + len(what) <= 80 for _, what in examples):
        shown = [f"  {line:<{column}}{what}" for line, (_, what) in zip(lines, examples, strict=True)]
    else:
        shown = [f"  {line}\n      {what}" for line, (_, what) in zip(lines, examples, strict=True)]
    return "examples:\n" + "\n".join(shown)


def filled(text: str) -> str:
    """Each paragraph of `text` filled to the terminal's width, as argparse fills a help."""
    import shutil
    import textwrap

    width = max(shutil.get_terminal_size().columns - 2, 40)  # fsio-ok: reads the width (as argparse does), writes nothing
    return "\n\n".join(textwrap.fill(paragraph, width) for paragraph in text.split("\n\n"))


def home_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup, *, top: bool) -> None:
    # Accepted before and after a subcommand; SUPPRESS keeps a subcommand from hiding the top-level value.
    option = parser.add_argument(
        "--home",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help=f"data home (default: ${HOME_ENV}, else your user data folder)",
    )
    option.complete = FOLDERS  # type: ignore[attr-defined]  # for shtab (--print-completion)


# What shtab completes a folder argument with, in each shell (shtab.DIRECTORY, written out: shtab is
# imported only when a completion script is printed).
FOLDERS = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/", "tcsh": "d", "fish": "(__fish_complete_directories)"}
FILES = {"bash": "_shtab_compgen_files", "zsh": "_files", "tcsh": "f", "fish": "(__fish_complete_path (commandline -ct))"}


def path_argument(parser: argparse.ArgumentParser, *names: str, **options: Any) -> argparse.Action:
    """An argument naming a file: a Path, completed as a file name by the shell."""
    action = parser.add_argument(*names, type=Path, **options)
    action.complete = FILES  # type: ignore[attr-defined]
    return action


def iso_date(text: str) -> date:
    """An argument that is a day, YYYY-MM-DD."""
    from ..core.dates import WINDOW, day_written

    day = day_written(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23, {WINDOW}")
    return day


_FINISHED: set[Path] = set()  # the homes whose half-done moves this process has looked for


def open_home(args: argparse.Namespace, *, finish_moves: bool = True) -> Home:
    """The home a command works on; a move a kill left half done there is finished first (once a process;
    the app does it itself, to say so on its screen)."""
    home = Home(resolve_home(args.home))
    if finish_moves and home.root not in _FINISHED:
        _FINISHED.add(home.root)
        if home.moves_dir.is_dir():  # the move code is imported only when there is a record to read
            from datetime import UTC, datetime

            from ..core import moving

            for finished in moving.finish_moves(home, datetime.now(UTC)):
                print(f"sessionpal: {finished.message}", file=sys.stderr)
    return home


def app_home(args: argparse.Namespace) -> Home:
    """The home the app will run on: made if new, and writable."""
    from ..core import fsio

    home = open_home(args, finish_moves=False)
    try:
        fsio.ensure_dir(home.root)
    except fsio.WriteError as error:
        raise CommandError(f"cannot create the data home {home.root}: {error.reason}") from None
    if not os.access(home.root, os.W_OK):
        raise CommandError(f"the data home {home.root} is read-only, so notes could not be saved; choose another with --home DIR or ${HOME_ENV}")
    return home


def lookup_client(args: argparse.Namespace, query: str) -> ClientEntry:
    from ..core.clients import ClientNotFound, find_client

    try:
        entry = find_client(open_home(args), query)
    except ClientNotFound as error:
        raise CommandError(str(error)) from None
    if entry.client is None:
        raise CommandError("; ".join(str(p) for p in entry.problems))
    return entry


def write_file(path: Path, data: bytes | str, home: Home | None = None) -> None:
    """An export, a log or a recap written where the coach said; never into the data home, where a new file
    is read as the home's own (a zip named like a session became another client's "last session")."""
    from ..core import fsio

    target = path.expanduser().absolute()
    if home is not None and target.resolve().is_relative_to(home.root.resolve()):
        raise CommandError(f"{target} is inside the data home ({home.root}): write the output somewhere else (nothing was written)")
    # An earlier export killed mid-write left its temp file (all of a client's notes) beside the output,
    # outside the home where leftovers are cleaned at start: clean that folder's orphans of ours now.
    fsio.clean_temp_files(target.parent)
    try:
        fsio.atomic_write(target, data)
    except fsio.WriteError as error:
        raise CommandError(str(error)) from None


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` columns (as `f"{text:<width}"` would, counting columns, not characters)."""
    from rich.cells import cell_len  # the width rule Textual and the review use: one rule everywhere

    return text + " " * max(0, width - cell_len(text))


class VisibleText:
    """A text stream that shows control characters instead of sending them (see core.safe_text).

    Everything a subcommand prints (names, notes, titles, file names, link targets) goes through one of
    these, to a terminal or a pipe: nothing read from the data home can drive the terminal."""

    def __init__(self, stream: Any):
        self.stream = stream

    def write(self, text: str) -> int:
        return int(self.stream.write(visible(text, keep="\n\t")))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, close: as the stream's
        return getattr(self.stream, name)
