"""What the README and the guide say about keys, commands and links is what the app and the files have.

- Every key they name (F-keys and ctrl/shift keys anywhere; every key in a table headed "Key") is bound
  by one of the app's screens, dialogs or widgets, or is listed below as another program's key.
- Every palette command they name (a quoted name in a sentence about the palette) is one the app lists.
- The other way: each main key of a session (the session screen's own bindings, and their second keys)
  is in the README's key table, once, and the app's own keys are named in the README.
- Every link between these files points at a file that exists (and at a heading that exists).

Nothing runs the app: the bindings are read from the classes and lists that declare them, the palette's
commands from the source that yields them.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

import sessionpal
import sessionpal.ui
from sessionpal.ui.app import SessionPalApp
from sessionpal.ui.keys import BROWSER_KEYS
from sessionpal.ui.screens.clients import ClientPickerScreen
from sessionpal.ui.screens.session_keys import SESSION_BINDINGS
from sessionpal.ui.widgets.goals import GOAL_KEYS
from sessionpal.ui.widgets.notes import LOG_KEYS

from .helpers import REPO

README = REPO / "README.md"
GUIDE = sorted((REPO / "docs").glob("*.md"))
# The files whose keys and commands are checked, and those whose links are.
NAMING = [README, REPO / "CHANGELOG.md", *GUIDE]
LINKED = [README, REPO / "CONTRIBUTING.md", REPO / "CHANGELOG.md", *GUIDE]

# Keys the docs name that are not the app's, each with why; none of them may be bound by the app.
NOT_OURS = {
    "ctrl+b": "tmux's prefix, which the app leaves alone",
    "ctrl+c": "stops `sessionpal serve`, or a first search build, in the terminal",
    "ctrl+w": "a browser's close-tab",
    "ctrl+tab": "a browser's next tab",
    "f10": "taken by some terminals, so nothing depends on it",
    "f11": "taken by some terminals, so nothing depends on it",
    "shift+a": "config.md's example of a key a command used while typing cannot take",
}

# How the docs write a key -> how Textual names it.
WRITTEN = {
    "esc": "escape",
    "enter": "enter",
    "delete": "delete",
    "space": "space",
    "tab": "tab",
    "↑": "up",
    "↓": "down",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
    "/": "slash",
    "\\": "backslash",
    "\\\\": "backslash",  # a backslash escaped in a Markdown table
}

# An F-key, or ctrl/shift/alt with a key, anywhere in the text (not inside a longer word).
KEY_IN_TEXT = re.compile(r"(?<![\w+])(?:F(?:1[0-2]|[1-9])(?![\w-])|(?i:(?:ctrl|shift|alt)\+(?:\\\\|\\|[a-z0-9]+\b|[\[\]/↑↓])))")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def read(path: Path) -> str:
    """The file's text without its fenced code blocks (their `[keys]` are TOML, not links or key names)."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def key_name(written: str) -> str:
    """ "F2" -> "f2", "ctrl+\\" -> "ctrl+backslash", "Esc" -> "escape", "[" -> "left_square_bracket"."""
    *modifiers, key = written.strip().strip("`").split("+") if len(written.strip()) > 1 else [written.strip()]
    if not key and modifiers:  # "ctrl++" never appears; "ctrl+\" splits as ["ctrl", "\"]
        key = "+"
    key = WRITTEN.get(key.lower(), WRITTEN.get(key, key.lower()))
    return "+".join([*(m.lower() for m in modifiers), key])


def binding_keys(bindings: Iterable[Binding | tuple[str, ...]]) -> set[str]:
    return {key.strip() for binding in bindings if isinstance(binding, Binding) for key in binding.key.split(",")}


@cache
def ui_modules() -> tuple[object, ...]:
    return tuple(importlib.import_module(found.name) for found in pkgutil.walk_packages(sessionpal.ui.__path__, "sessionpal.ui."))


@cache
def app_keys() -> frozenset[str]:
    """Every key bound anywhere in the UI: each screen's, dialog's and widget's BINDINGS, and the lists of
    bindings modules keep (the goals sidebar's, the notes log's, the forms'), the palette's and a tab's."""
    keys: set[str] = {App.COMMAND_PALETTE_BINDING, *BROWSER_KEYS.values()}
    for module in ui_modules():
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, DOMNode) and value.__module__.startswith("sessionpal."):
                keys |= binding_keys(vars(value).get("BINDINGS", []))
            elif isinstance(value, list) and value and all(isinstance(b, Binding) for b in value):
                keys |= binding_keys(value)
    return frozenset(keys)


def main_session_keys() -> set[str]:
    """The session screen's own keys (not the one key after F7 or F8): those its footer shows, and every
    other key of the same commands (ctrl+d for F4, ctrl+e for F12)."""
    armed = {b.id for b in [*GOAL_KEYS, *LOG_KEYS]}
    own = [b for b in SESSION_BINDINGS if isinstance(b, Binding) and b.id not in armed]
    shown = {b.id for b in own if b.show}
    return binding_keys(b for b in own if b.id in shown)


def tables(text: str) -> Iterator[tuple[list[str], list[list[str]]]]:
    """Each Markdown table: its header cells and its rows' cells."""
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if len(block) > 2:
            rows = [re.split(r"(?<!\\)\|", row.strip())[1:-1] for row in block]
            yield [c.strip() for c in rows[0]], [[c.strip() for c in row] for row in rows[2:]]
        block = []


def table_keys(cell: str) -> list[str]:
    """The keys a table's key cell names: "F3 / ctrl+r", "[ and ]", "↑ ↓", "`x`" and the like."""
    if cell.startswith("type"):  # "type, then Enter": the note line's own Enter
        return ["enter"]
    parts = re.split(r"\s*(?:/(?=\s)|\bor\b|\band\b|,|\s)\s*", cell.replace("`", ""))
    return [key_name(part) for part in parts if part]


def named_keys(path: Path) -> Iterator[tuple[str, str]]:
    """(key, where) for every key the file names, in its text and in its key tables."""
    text = read(path)
    for found in KEY_IN_TEXT.finditer(text):
        yield key_name(found.group()), f"{path.name}: {found.group()!r}"
    for header, rows in tables(text):
        key_columns = [i for i, cell in enumerate(header) if cell.lower() in ("key", "second key")]
        for row in rows:
            for i in key_columns:
                for key in table_keys(row[i]) if row[i] else []:
                    yield key, f"{path.name}: table row {row[0]!r}"


def test_every_key_the_docs_name_is_bound() -> None:
    unknown = [where for path in NAMING for key, where in named_keys(path) if key not in app_keys() and key not in NOT_OURS]
    assert not unknown, f"keys named in the docs that no screen binds (bind them, fix the docs, or list them in NOT_OURS): {unknown}"


def test_the_keys_of_other_programs_are_not_the_apps() -> None:
    assert not NOT_OURS.keys() & app_keys()


def test_the_readme_key_table_has_every_main_session_key_once() -> None:
    (header, rows), *others = [table for table in tables(read(README)) if table[0][0].lower() == "key"]
    assert not others, "the README has one key table"
    listed = [key for row in rows for key in table_keys(row[0])]
    assert len(listed) == len(set(listed)), f"a key twice in the README's table: {listed}"
    missing = main_session_keys() - set(listed)
    assert not missing, f"main session keys missing from the README's key table: {sorted(missing)}"
    assert len(rows) == 10, "the ten keys that matter"


def test_the_readme_names_the_apps_own_keys() -> None:
    named = {key for key, _ in named_keys(README)}
    everywhere = binding_keys(SessionPalApp.BINDINGS) | {App.COMMAND_PALETTE_BINDING}
    assert everywhere <= named, sorted(everywhere - named)
    assert binding_keys(b for b in ClientPickerScreen.BINDINGS if isinstance(b, Binding) and b.id == "new_client") <= named


def command_titles_in(source: str) -> Iterator[str]:
    """The titles of the SystemCommand(...) calls in source: a literal, both sides of an `a if c else b`,
    or the fixed start of an f-string (the client list's "Engagement: NAME")."""
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "SystemCommand" and node.args):
            continue
        title = node.args[0]
        for part in (title.body, title.orelse) if isinstance(title, ast.IfExp) else (title,):
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                yield part.value
            elif isinstance(part, ast.JoinedStr) and part.values and isinstance(part.values[0], ast.Constant):
                yield str(part.values[0].value).rstrip(": ")


@cache
def palette_commands() -> frozenset[str]:
    """Every title the command palette can list: ours, the session's key commands (their descriptions)
    and Textual's own (Theme, Quit, Keys, Screenshot...)."""
    package = Path(sessionpal.__file__).parent
    titles = {title for path in package.rglob("*.py") for title in command_titles_in(path.read_text(encoding="utf-8"))}
    titles |= set(command_titles_in(inspect.cleandoc("\n" + inspect.getsource(App.get_system_commands))))
    # As session_commands lists them: not the note line's Esc, the deck's arrows or the key after F7/F8.
    armed = {b.action for b in [*GOAL_KEYS, *LOG_KEYS]}
    titles |= {
        b.description
        for b in SESSION_BINDINGS
        if isinstance(b, Binding) and b.action != "to_note" and b.action not in armed and not b.action.startswith("deck_move")
    }
    return frozenset(titles)


def named_commands(path: Path) -> Iterator[tuple[str, str]]:
    """(command, where) for each quoted name, starting with a capital, in a sentence about the palette, and
    each one quoted just after ctrl+p ("ctrl+p, "Quit"", "ctrl+p → "Theme"")."""
    text = re.sub(r"`[^`]*`", "", read(path))
    for name in re.findall(r"ctrl\+p(?:,|\s→)\s+\"([^\"]+)\"", text):
        yield name, f"{path.name}: ctrl+p, {name!r}"
    for paragraph in re.split(r"\n\s*\n|\n(?=\||\s*[-*] |\d+\. )", text):
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z\"(])", " ".join(paragraph.split())):
            if "palette" not in sentence:
                continue
            for name in re.findall(r"\"([A-Z][^\"]*)\"", sentence):
                yield name.rstrip(" …"), f"{path.name}: {sentence[:80]!r}"


def test_every_palette_command_the_docs_name_exists() -> None:
    named = [(name, where) for path in NAMING for name, where in named_commands(path)]
    assert len(named) >= 10, f'the docs name palette commands as "Name" in a sentence about the palette: {named}'
    unknown = [f"{name} ({where})" for name, where in named if name not in palette_commands()]
    assert not unknown, f"palette commands named in the docs that the app does not list: {unknown}"


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(line.lstrip("#")) for line in read(path).splitlines() if line.startswith("#")}


@pytest.mark.parametrize("path", LINKED, ids=lambda path: str(path.relative_to(REPO)))
def test_every_link_resolves(path: Path) -> None:
    broken = []
    for target in LINK.findall(read(path)):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target} (no such heading)")
    assert not broken, broken


def test_the_readme_keeps_the_checkout_commands() -> None:
    """.ci/run runs 'the README's test command'; a newcomer copies these two lines."""
    text = README.read_text(encoding="utf-8")
    assert "python3 dev.py run     # installs what is needed into ./.venv, then launches the app" in text
    assert "python3 dev.py test    # installs what is needed into ./.venv, then runs the whole test suite" in text
    assert "python3 dev.py test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
