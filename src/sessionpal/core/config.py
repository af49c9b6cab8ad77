"""config.toml: the coach's preferences, all optional.

A problem in the file is reported (path:line:col) and only the bad keys fall back
to their defaults; the rest still apply.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field
from msgspec.structs import replace

from . import fsio
from .model import Config
from .paths import Home
from .problems import FileProblems, Problem, did_you_mean, parse_toml, problem, read_user_text
from .schema import Checker
from .tomledit import edit_toml
from .tomlpos import key_positions, locate

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

CONFIG_KEYS = (
    "session_minutes",
    "model",
    "bell",
    "theme",
    "keys",
    "starred",
    "hidden",
    "stalled_after",
    "focus_areas",
    "retention_years",
    "git",
    "calendar",
)

DEFAULT_CONFIG_TEXT = """\
# sessionpal preferences. Every key is optional; delete one to get its default back.

# Planned length of a session when the client has none of their own.
# session_minutes = 60

# Session model for the timer's phases (a file in prompts/models or <home>/models).
# model = "grow"

# Ring the terminal bell at 10 and 5 minutes left and when over time.
# bell = false

# theme = "textual-dark"

# Starred questions, as "pack/question" (the deck shows them first).
# starred = []

# Built-in packs ("pack") or questions ("pack/question") you do not want in the deck.
# hidden = []

# Sessions without a status change, a rising rating or a note naming it before a goal is
# flagged as possibly stalled.
# stalled_after = 3

# What the sidebar offers for clients working without goals.
# focus_areas = ["personal foundation", "skills", "personal evolution", "sounding board", "situational advice", "conceptual discussion"]

# How many years after a client's last session their records should go (your
# records policy, the law where you work). `sessionpal retention` and the review
# list the clients past it; nothing is ever erased without `sessionpal erase`.
# retention_years = 7

# With the data home a git repository: commit each ended session and each client
# change (`sessionpal sync` then pulls and pushes).
# [git]
# autocommit = true

# Your calendar, for today's calls and whose each one is (docs/calendar.md): .ics files your
# calendar app exports or keeps up to date, and vdir folders as vdirsyncer writes them. Invites
# go only into the folder named by writable; nothing is ever sent anywhere.
# [calendar]
# sources = ["~/.calendars/coaching", "~/Downloads/work.ics"]
# writable = "~/.calendars/coaching"

# Your own keys for the app's commands: command id = "keys" (the ids are in the
# docs/config.md and the help, F1). This one leaves the timer on F2 alone, without ctrl+t.
# [keys]
# timer = "f2"
"""


# What suits one computer's terminal rather than the coach's practice: machine.toml may set these,
# and wins over config.toml (which may be synced to the coach's other computers).
MACHINE_KEYS = ("bell", "theme", "keys", "calendar")

MACHINE_CONFIG_TEXT = """\
# sessionpal: this computer's own settings. They win over the data home's config.toml,
# which may be synced to your other computers. Only these keys belong here.

# Ring the terminal bell at 10 and 5 minutes left and when over time.
# bell = false

# The theme: the app remembers here the last one you picked (ctrl+p, "Change theme").
# $TEXTUAL_THEME, when set, wins over both files.
# theme = "textual-dark"

# This computer's calendar files (docs/calendar.md); a [calendar] here replaces config.toml's.
# [calendar]
# sources = ["~/.calendars/coaching"]
# writable = "~/.calendars/coaching"

# Keys for this terminal, command id = "keys"; they win over config.toml's [keys], one by one.
# [keys]
# timer = "f2"
"""


# Keys the note line takes for typing and editing (as Textual names them), besides single characters.
TYPING_KEYS = frozenset({"enter", "return", "space", "tab", "backspace", "delete", "left", "right", "home", "end", "ctrl+m", "ctrl+j", "ctrl+i", "ctrl+h"})


def takes_typing(key: str) -> bool:
    """The key types or edits text in the note line: "a", "A", "shift+a", "[", "left_square_bracket", "enter"..."""
    import unicodedata

    name = key.strip().casefold()
    if name.startswith("shift+"):
        name = name[len("shift+") :]  # shift+a types "A"; shift+f5 stays a command, below
    if len(name) == 1 or name in TYPING_KEYS or (name.startswith("upper_") and len(name) == len("upper_") + 1):
        return True
    try:
        char = unicodedata.lookup(name.replace("_", " "))  # Textual names punctuation: "full_stop", "comma"
    except KeyError:
        return False
    return char.isprintable()


class CalendarSource(Struct, frozen=True):
    """One place the coach's calendar is kept: an .ics file, or a vdir folder of them (vdirsyncer's, khal's)."""

    path: Path
    writable: bool = False  # sessionpal may add invites to it (a folder, and only the one the coach names)
    # Where the settings name it, for a source that is missing: the file, its line and column.
    named_in: str = ""
    line: int = 1
    col: int = 1


class CalendarSettings(Struct, frozen=True):
    """[calendar]: where the coach's calendar is (core/calendar.py reads it, core/invite.py writes invites)."""

    sources: tuple[CalendarSource, ...] = ()
    problems: tuple[Problem, ...] = ()  # those of [calendar] itself (LoadedConfig.problems has them too)

    @property
    def writable(self) -> CalendarSource | None:
        return next((s for s in self.sources if s.writable), None)


class LoadedConfig(Struct):
    config: Config
    problems: list[Problem] = field(default_factory=list)
    # Keys that type or edit text (a letter, Enter), by command id, with where the file says so: a command that
    # works while the coach types cannot have one (the UI knows which commands those are, and refuses them).
    typing_keys: dict[str, Problem] = field(default_factory=dict)
    # Kept here rather than in Config: paths, resolved against the file that names them.
    calendar: CalendarSettings = field(default_factory=CalendarSettings)
    keys_from: dict[str, Path] = field(default_factory=dict)  # command id -> the file whose [keys] set its key


CALENDAR_KEYS = ("sources", "writable")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _calendar_path(settings_file: Path, text: str) -> Path:
    """A path as the coach writes it: ~ for their home folder; a relative one from the file that names it."""
    path = Path(text.strip()).expanduser()
    return Path(os.path.normpath(path if path.is_absolute() else settings_file.parent / path))


def parse_calendar(check: Checker, path: Path, data: dict[str, Any]) -> CalendarSettings:
    """[calendar]'s sources and the one that is writable; a source that cannot be one is reported, the rest kept.

    Nothing is looked at on disk here: a source missing when the calendar is read is told then (core/calendar.py)."""
    before = len(check.problems)
    table = check.table(data, "calendar", ())
    if table is None:
        return CalendarSettings(problems=tuple(check.problems[before:]))
    check.unknown_keys(table, CALENDAR_KEYS, ("calendar",), "[calendar]")
    where = ("calendar", "sources")
    written = check.text_list(table, "sources", ("calendar",))
    if "sources" not in table:
        check.add(("calendar",), '[calendar] needs sources = ["..."]: .ics files or vdir folders')
    writable_text = check.text(table, "writable", ("calendar",), blank_ok=False)
    line, col = locate(key_positions(check.source), where)
    paths: list[Path] = []
    for item in written:
        if _URL.match(item.strip()):
            check.add(where, f"{item!r} is an address: sessionpal reads calendar files only (let your calendar app or vdirsyncer keep a copy)")
        elif _calendar_path(path, item) not in paths:
            paths.append(_calendar_path(path, item))
    writable = _calendar_path(path, writable_text) if writable_text else None
    if writable is not None and writable not in paths:
        check.add(("calendar", "writable"), f"writable = {writable_text!r} is not one of [calendar] sources: add it there too")
        writable = None
    elif writable is not None and writable.suffix.casefold() == ".ics":
        check.add(
            ("calendar", "writable"),
            f"writable = {writable_text!r} is an .ics file: invites are added to a vdir folder only, never into a file your calendar app keeps",
        )
        writable = None
    return CalendarSettings(tuple(CalendarSource(p, p == writable, str(path), line, col) for p in paths), tuple(sorted(check.problems[before:])))


def parse_config(path: Path, text: str, data: dict[str, Any], *, allowed: tuple[str, ...] = CONFIG_KEYS, name: str = "config.toml") -> LoadedConfig:
    check = Checker(path, text)
    check.unknown_keys(data, allowed, (), name)
    defaults = Config()
    minutes = check.integer(data, "session_minutes", (), low=5, high=600)
    model = check.text(data, "model", (), blank_ok=False)
    bell = check.boolean(data, "bell", ())
    theme = check.text(data, "theme", (), blank_ok=False)
    starred = check.text_list(data, "starred", ())
    hidden = check.text_list(data, "hidden", ())
    stalled_after = check.integer(data, "stalled_after", (), low=1, high=50)
    focus_areas = check.text_list(data, "focus_areas", ())
    retention_years = check.integer(data, "retention_years", (), low=1, high=100)
    git = check.table(data, "git", ()) or {}
    check.unknown_keys(git, ("autocommit",), ("git",), "[git]")
    autocommit = check.boolean(git, "autocommit", ("git",))
    calendar = parse_calendar(check, path, data)
    keys: dict[str, str] = {}
    typing: dict[str, Problem] = {}
    table = check.table(data, "keys", ())
    for action, key in (table or {}).items():
        if not (isinstance(key, str) and key.strip()):
            check.add(("keys", action), f'keys.{action} must be a key name in quotes, like "f5" or "ctrl+s"')
        else:
            keys[action] = key.strip()
            typed = next((k for k in key.split(",") if takes_typing(k)), None)
            if typed is not None:  # refused by the UI where that command works while the coach types
                before = len(check.problems)
                check.add(
                    ("keys", action),
                    f"keys.{action} = {key.strip()!r}: {typed.strip()!r} is typed into the note line, so it cannot be a command "
                    "there; use an F-key or a ctrl+ or alt+ key (the default stands)",
                )
                typing[action] = check.problems.pop(before)
    config = Config(
        session_minutes=minutes if minutes is not None else defaults.session_minutes,
        model=(model or defaults.model).strip(),
        bell=bell if bell is not None else defaults.bell,
        theme=(theme or defaults.theme).strip(),
        keys=keys,
        starred=starred,
        hidden=hidden,
        stalled_after=stalled_after if stalled_after is not None else defaults.stalled_after,
        focus_areas=tuple(a.strip() for a in focus_areas) or defaults.focus_areas,
        retention_years=retention_years,
        git_autocommit=bool(autocommit),
    )
    return LoadedConfig(config, check.problems, typing, calendar)


def load_config(home: Home, machine: Path | None = None) -> LoadedConfig:
    """config.toml, with this computer's machine.toml (when given) over it for the keys, theme and bell."""
    loaded = LoadedConfig(Config())
    path = home.config_file
    if path.exists():
        try:
            text = read_user_text(path)
            loaded = parse_config(path, text, parse_toml(path, text))
        except FileProblems as error:
            loaded = LoadedConfig(Config(), error.problems)
    loaded.keys_from = dict.fromkeys(loaded.config.keys, path)
    if machine is None or not machine.exists():
        return loaded
    try:
        text = read_user_text(machine)
        data = parse_toml(machine, text)
    except FileProblems as error:
        return LoadedConfig(loaded.config, loaded.problems + error.problems, loaded.typing_keys, loaded.calendar, loaded.keys_from)
    local = parse_config(machine, text, data, allowed=MACHINE_KEYS, name="machine.toml")
    # A key this file gets wrong is reported, and config.toml's stands (not the default).
    mine = replace(
        loaded.config,
        bell=local.config.bell if isinstance(data.get("bell"), bool) else loaded.config.bell,
        theme=local.config.theme if isinstance(data.get("theme"), str) and data["theme"].strip() else loaded.config.theme,
        keys={**loaded.config.keys, **local.config.keys},
    )
    typing = {k: v for k, v in loaded.typing_keys.items() if k not in local.config.keys} | local.typing_keys
    # This computer's [calendar] replaces the synced one whole: its files are where this computer keeps them.
    calendar = local.calendar if isinstance(data.get("calendar"), dict) else loaded.calendar
    return LoadedConfig(mine, loaded.problems + local.problems, typing, calendar, loaded.keys_from | dict.fromkeys(local.config.keys, machine))


def unknown_keys(keys: dict[str, str], known: set[str], keys_from: dict[str, Path], fallback: Path) -> list[str]:
    """A line for each [keys] entry that names no command, with the file that set it (config.toml, or this
    computer's machine.toml) and the command it was most likely meant to be."""
    return [
        f"{keys_from.get(command, fallback)}: [keys] {command!r} is not a command{did_you_mean(command, known)}" for command in keys if command not in known
    ]


def remember_theme(machine: Path, theme: str) -> None:
    """The theme the coach picked, kept in this computer's machine.toml for the next start."""

    def edit(document: TOMLDocument) -> None:
        document["theme"] = theme

    fsio.ensure_dir(machine.parent)
    # top_level: a missing key is first made where it belongs (in place of the template's example,
    # above the commented [keys]), then given its value; appended, it would fall into [keys] once
    # the coach uncomments that table.
    edit_toml(machine, edit, _parses, create=MACHINE_CONFIG_TEXT, top_level="theme")


def _parses(path: Path, text: str, data: dict[str, Any]) -> None:
    """Edits need only a file that parses: a key the app does not know is the coach's to keep."""


def _toggle(home: Home, key: str, ref: str, on: bool) -> tuple[str, ...]:
    """Add or remove `ref` in a list in config.toml (created from a commented template if missing)."""

    def edit(document: TOMLDocument) -> tuple[str, ...]:
        if not isinstance(document[key], list):
            raise problem(home.config_file, f"'{key}' must be a list, like [\"pack/question\"]; it was left as it is")
        current = [str(v) for v in document[key]]
        if on and ref not in current:
            document[key].append(ref)
        elif not on and ref in current:
            del document[key][current.index(ref)]
        return tuple(str(v) for v in document[key])

    # A new list goes above every table, real or commented out (appended, it would land in `# [keys]`).
    return edit_toml(home.config_file, edit, _parses, create=DEFAULT_CONFIG_TEXT, top_level=key)


def set_starred(home: Home, ref: str, starred: bool) -> tuple[str, ...]:
    """Star or unstar a question ("pack/question"); starred questions come first in the deck."""
    return _toggle(home, "starred", ref, starred)


def set_hidden(home: Home, ref: str, hidden: bool) -> tuple[str, ...]:
    """Hide or show a pack ("pack") or a question ("pack/question") in the deck; no pack file is touched."""
    return _toggle(home, "hidden", ref, hidden)
