"""config.toml: the coach's preferences, all optional.

A problem in the file is reported (path:line:col) and only the bad keys fall back
to their defaults; the rest still apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import fsio
from .model import Config
from .paths import Home
from .problems import FileProblems, Problem, parse_toml, problem, read_user_text
from .schema import Checker
from .tomledit import edit_toml

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

CONFIG_KEYS = ("session_minutes", "model", "bell", "theme", "keys", "starred", "hidden", "stalled_after", "focus_areas", "retention_years", "git")

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

# Your own keys for the app's commands: command id = "keys" (the ids are in the
# docs/config.md and the help, F1). This one leaves the timer on F2 alone, without ctrl+t.
# [keys]
# timer = "f2"
"""


# What suits one computer's terminal rather than the coach's practice: machine.toml may set these,
# and wins over config.toml (which may be synced to the coach's other computers).
MACHINE_KEYS = ("bell", "theme", "keys")

MACHINE_CONFIG_TEXT = """\
# sessionpal: this computer's own settings. They win over the data home's config.toml,
# which may be synced to your other computers. Only these keys belong here.

# Ring the terminal bell at 10 and 5 minutes left and when over time.
# bell = false

# The theme: the app remembers here the last one you picked (ctrl+p, "Change theme").
# $TEXTUAL_THEME, when set, wins over both files.
# theme = "textual-dark"

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


@dataclass
class LoadedConfig:
    config: Config
    problems: list[Problem] = field(default_factory=list)
    # Keys that type or edit text (a letter, Enter), by command id, with where the file says so: a command that
    # works while the coach types cannot have one (the UI knows which commands those are, and refuses them).
    typing_keys: dict[str, Problem] = field(default_factory=dict)


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
    return LoadedConfig(config, check.problems, typing)


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
    if machine is None or not machine.exists():
        return loaded
    try:
        text = read_user_text(machine)
        data = parse_toml(machine, text)
    except FileProblems as error:
        return LoadedConfig(loaded.config, loaded.problems + error.problems, loaded.typing_keys)
    local = parse_config(machine, text, data, allowed=MACHINE_KEYS, name="machine.toml")
    # A key this file gets wrong is reported, and config.toml's stands (not the default).
    mine = replace(
        loaded.config,
        bell=local.config.bell if isinstance(data.get("bell"), bool) else loaded.config.bell,
        theme=local.config.theme if isinstance(data.get("theme"), str) and data["theme"].strip() else loaded.config.theme,
        keys={**loaded.config.keys, **local.config.keys},
    )
    typing = {k: v for k, v in loaded.typing_keys.items() if k not in local.config.keys} | local.typing_keys
    return LoadedConfig(mine, loaded.problems + local.problems, typing)


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
