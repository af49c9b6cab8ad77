"""Editing a TOML file a person may also edit by hand.

The file is read fresh from disk (so a hand edit made meanwhile is kept), checked,
changed through tomlkit (comments, order, quoting and unknown keys survive), the new
text is re-parsed (tomli, else tomllib) and checked again, and only then written atomically.
A file that does not parse is reported and left exactly as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import fsio
from .paths import Home
from .problems import FileProblems, decode_utf8, parse_toml, problem, read_user_bytes, toml_data
from .versions import before_rewrite

if TYPE_CHECKING:
    from tomlkit.items import Array, InlineTable, Table

T = TypeVar("T")


def edit_toml(
    path: Path,
    edit: Callable[[Any], T],
    check: Callable[[Path, str, dict[str, Any]], object],
    *,
    create: str | None = None,
    versions: Home | None = None,
    top_level: str | None = None,
) -> T:
    """Apply `edit` to the tomlkit document of `path`; `check(path, text, data)` validates both versions.

    With `create`, a missing file starts from that text instead. With `versions`, the old file
    is kept in that home's version history first. With `top_level`, a list of that name is made
    first if missing, in its right place (see with_top_level_list), for `edit` to fill.
    """
    with fsio.exclusive(path):
        return _edit_toml(path, edit, check, create, versions, top_level)


_HEADER = re.compile(r"^\s*#?\s*\[")  # a table's header line, or one commented out for the coach to take in


def with_top_level_list(text: str, key: str) -> str:
    """`text` with `key = []` where a top-level key belongs: above the first table, and above the first
    table a comment offers (`# [keys]`), with that table's comments, so that uncommenting it as the
    template invites never pulls the key into the table. Checked by parsing: never a wrong guess."""
    lines = text.splitlines(keepends=True)
    expected = toml_data(text)

    def fits(candidate: str) -> bool:
        try:
            data = toml_data(candidate)
        except ValueError:  # TOML's errors are ValueErrors
            return False  # the line was inside a multi-line string or array
        return data.get(key) == [] and {k: v for k, v in data.items() if k != key} == expected

    # Where the template shows it as an example (`# starred = []`): taking that line in, it never doubles.
    example = re.compile(rf"^#\s*{re.escape(key)}\s*=")
    for at, line in enumerate(lines):
        if example.match(line):
            candidate = "".join(lines[:at]) + f"{key} = []\n" + "".join(lines[at + 1 :])
            if fits(candidate):
                return candidate
    for at in [i for i, line in enumerate(lines) if _HEADER.match(line)] + [len(lines)]:
        start = at
        while start > 0 and lines[start - 1].lstrip().startswith("#"):
            start -= 1  # the comments that introduce the table stay with it
        before = "".join(lines[:start])
        if before and not before.endswith("\n"):
            before += "\n"
        candidate = before + f"{key} = []\n" + ("\n" if start < len(lines) and lines[start].strip() else "") + "".join(lines[start:])
        if fits(candidate):
            return candidate
    raise ValueError(f"no place for a top-level {key!r}")  # cannot happen: the end of a table-free file always works


def _edit_toml(
    path: Path, edit: Callable[[Any], T], check: Callable[[Path, str, dict[str, Any]], object], create: str | None, versions: Home | None, top_level: str | None
) -> T:
    import tomlkit

    if create is not None and not path.exists():
        raw = create.encode("utf-8")
    else:
        raw = read_user_bytes(path)
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = decode_utf8(path, raw)
    old_data = parse_toml(path, text)
    check(path, text, old_data)
    if top_level is not None and top_level not in old_data:
        text = with_top_level_list(text, top_level)
    document = tomlkit.parse(text)
    result = edit(document)
    new_text = tomlkit.dumps(document)
    try:
        new_data = toml_data(new_text)
    except ValueError as error:  # TOML's errors are ValueErrors
        # tomlkit produced something invalid: keep the old file and say so.
        raise problem(path, f"the change could not be saved as valid TOML ({error}); the file is unchanged") from None
    check(path, new_text, new_data)
    data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
    if versions is not None:
        before_rewrite(versions, path, len(data))
    fsio.atomic_write(path, data)
    return result


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def toml_string(text: str) -> str:
    """A TOML basic string; control characters and DEL escaped, as TOML requires."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """A Python value as TOML source text, for building snippets that tomlkit lays out as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (int, float, date)):
        return value.isoformat() if isinstance(value, date) else repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def snippet_table(header: str, values: dict[str, Any]) -> Table:
    """An `[[header]]` table built from text, so a new block looks like a hand-written one."""
    import tomlkit

    lines = [f"[[{header}]]"] + [f"{key} = {toml_value(v)}" for key, v in values.items() if v is not None and v != ""]
    table: Table = tomlkit.parse("\n".join(lines) + "\n\n")[header][0]
    return table


def snippet_inline(values: dict[str, Any]) -> InlineTable:
    import tomlkit

    body = ", ".join(f"{key} = {toml_value(v)}" for key, v in values.items())
    inline: InlineTable = tomlkit.parse(f"x = {{ {body} }}\n")["x"]
    return inline


def snippet_array(key: str, items: list[dict[str, Any]]) -> Array:
    """A multi-line array of inline tables, one per line, two-space indent, trailing comma."""
    import tomlkit

    rows = "".join(f"  {{ {', '.join(f'{k} = {toml_value(v)}' for k, v in item.items())} }},\n" for item in items)
    array: Array = tomlkit.parse(f"{key} = [\n{rows}]\n")[key]
    return array


__all__ = ["edit_toml", "snippet_table", "snippet_inline", "snippet_array", "toml_value", "FileProblems"]
