"""Checking the shape of a parsed TOML document, collecting every problem at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from .dates import WINDOW, sane_day, sane_moment
from .problems import FileProblems, Problem, did_you_mean
from .safe_text import visible
from .tomlpos import KeyPath, Position, key_positions, locate

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX = 64


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def show_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Checker:
    """Collects positioned problems for one file; positions are looked up only when needed."""

    def __init__(self, path: Path | str, text: str, line_offset: int = 0):
        self.path = str(path)
        self.source = text
        self.line_offset = line_offset
        self.problems: list[Problem] = []
        self._positions: dict[KeyPath, Position] | None = None

    def add(self, where: KeyPath, message: str) -> None:
        if self._positions is None:
            self._positions = key_positions(self.source)
        line, col = locate(self._positions, where)
        self.problems.append(Problem(self.path, line + self.line_offset, col, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise FileProblems(self.problems)

    def unknown_keys(self, table: dict[str, Any], allowed: Iterable[str], where: KeyPath, what: str) -> None:
        allowed = list(allowed)
        for key in table:
            if key not in allowed:
                self.add(where + (key,), f"unknown key '{key}' in {what}{did_you_mean(key, allowed)}")

    def _typed(self, table: dict[str, Any], key: str, where: KeyPath, kinds: tuple[type, ...], wanted: str, required: bool) -> Any:
        if key not in table:
            if required:
                self.add(where, f"missing '{key}' in {show_path(where) or 'the file'}")
            return None
        value = table[key]
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if date in kinds and datetime not in kinds and isinstance(value, datetime):
            ok = False
        if not ok:
            self.add(where + (key,), f"'{key}' must be {wanted}, not {type_name(value)}")
            return None
        return value

    def text(self, table: dict[str, Any], key: str, where: KeyPath, *, required: bool = False, blank_ok: bool = True) -> str | None:
        value: str | None = self._typed(table, key, where, (str,), 'text in quotes, like "..."', required)
        if value is not None and not blank_ok and not value.strip():
            self.add(where + (key,), f"'{key}' must not be blank")
            return None
        # What the app shows cannot drive the terminal, whatever the file holds (a TOML \u001b is legal).
        return visible(value, keep="\n") if value is not None else None

    def ident(self, table: dict[str, Any], key: str, where: KeyPath, *, required: bool = True) -> str | None:
        value = self.text(table, key, where, required=required)
        if value is None:
            return None
        if not ID_RE.fullmatch(value) or len(value) > ID_MAX:
            self.add(
                where + (key,),
                f"'{key}' = {value!r} is not a valid id: use lowercase letters, digits and single dashes (like 'what-matters'), at most {ID_MAX} characters",
            )
            return None
        return value

    def choice(self, table: dict[str, Any], key: str, where: KeyPath, choices: tuple[str, ...], what: str, *, required: bool = False) -> str | None:
        """Text that must be one of `choices`; anything else is reported with the choices listed."""
        value = self.text(table, key, where, required=required)
        if value is not None and value not in choices:
            self.add(where + (key,), f"unknown {what} {value!r}: use one of {', '.join(choices)}")
            return None
        return value

    def integer(self, table: dict[str, Any], key: str, where: KeyPath, *, low: int, high: int, required: bool = False) -> int | None:
        value: int | None = self._typed(table, key, where, (int,), "a whole number", required)
        if value is not None and not low <= value <= high:
            self.add(where + (key,), f"'{key}' must be between {low} and {high}, not {value}")
            return None
        return value

    def number(self, table: dict[str, Any], key: str, where: KeyPath, *, low: float, high: float, required: bool = False) -> float | None:
        value: float | None = self._typed(table, key, where, (int, float), "a number", required)
        if value is not None and not low <= value <= high:
            self.add(where + (key,), f"'{key}' must be between {low:g} and {high:g}, not {value:g}")
            return None
        return value

    def boolean(self, table: dict[str, Any], key: str, where: KeyPath) -> bool | None:
        value: bool | None = self._typed(table, key, where, (bool,), "true or false", False)
        return value

    def day(self, table: dict[str, Any], key: str, where: KeyPath, *, required: bool = False) -> date | None:
        value: date | None = self._typed(table, key, where, (date,), "a date, like 2026-11-23", required)
        if value is not None and not sane_day(value):
            self.add(where + (key,), f"'{key}' must be a date {WINDOW}, not {value.isoformat()}")
            return None
        return value

    def stamp(self, table: dict[str, Any], key: str, where: KeyPath, *, required: bool = False) -> date | datetime | None:
        """A date, or a date and time with offset (a goal's history and creation)."""
        value = table.get(key)
        if isinstance(value, datetime):
            return self.moment(table, key, where, required=required)
        return self.day(table, key, where, required=required)

    def moment(self, table: dict[str, Any], key: str, where: KeyPath, *, required: bool = False) -> datetime | None:
        value: datetime | None = self._typed(table, key, where, (datetime,), "a date and time with offset, like 2026-11-23T10:00:00+01:00", required)
        if value is not None and value.tzinfo is None:
            self.add(where + (key,), f"'{key}' needs a UTC offset, like 2026-11-23T10:00:00+01:00")
            return None
        if value is not None and not sane_moment(value):
            self.add(where + (key,), f"'{key}' must be a moment {WINDOW} (in UTC), not {value.isoformat()}")
            return None
        return value

    def table(self, table: dict[str, Any], key: str, where: KeyPath, *, required: bool = False) -> dict[str, Any] | None:
        value: dict[str, Any] | None = self._typed(table, key, where, (dict,), "a table", required)
        return value

    def text_list(self, table: dict[str, Any], key: str, where: KeyPath, *, blank_ok: bool = False) -> tuple[str, ...]:
        value = self._typed(table, key, where, (list,), 'a list of text, like ["a", "b"]', False)
        if value is None:
            return ()
        out: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.add(where + (key,), f"'{key}' item {index + 1} must be text, not {type_name(item)}")
            elif not blank_ok and not item.strip():
                self.add(where + (key,), f"'{key}' item {index + 1} is blank")
            else:
                out.append(visible(item))
        return tuple(out)

    def table_list(self, table: dict[str, Any], key: str, where: KeyPath) -> list[dict[str, Any]]:
        value = self._typed(table, key, where, (list,), f"a list of tables, written [[{key}]]", False)
        if value is None:
            return []
        tables: list[dict[str, Any]] = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                tables.append(item)
            else:
                self.add(where + (key, index), f"'{key}' item {index + 1} must be a table, not {type_name(item)}")
        return tables
