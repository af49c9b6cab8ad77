"""Where each key of a TOML document stands, so schema problems get a line:col.

tomllib gives positions only for syntax errors. For a wrong type or a misspelt key
we scan the source once, recording the position of every table header and every
`key =`. It is a locator, not a parser: the text has already parsed with tomllib, so
only the shapes a valid document can take need handling. Lookups fall back to the
nearest enclosing table, then to 1:1.
"""

from __future__ import annotations

PathPart = str | int
KeyPath = tuple[PathPart, ...]
Position = tuple[int, int]

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _read_key(s: str, i: int) -> tuple[list[str], int] | None:
    """Read a dotted key starting at s[i]; return its parts and the index after it."""
    parts: list[str] = []
    n = len(s)
    while True:
        while i < n and s[i] in " \t":
            i += 1
        if i >= n:
            return None
        c = s[i]
        if c == '"':
            j = i + 1
            buf = []
            while j < n and s[j] != '"':
                if s[j] == "\\" and j + 1 < n:
                    buf.append(s[j : j + 2])
                    j += 2
                    continue
                buf.append(s[j])
                j += 1
            if j >= n:
                return None
            raw = "".join(buf)
            import json  # only for a key with escapes: the import is a millisecond of every start

            try:
                parts.append(json.loads(f'"{raw}"'))
            except ValueError:
                parts.append(raw)
            i = j + 1
        elif c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return None
            parts.append(s[i + 1 : j])
            i = j + 1
        elif c in _BARE:
            j = i
            while j < n and s[j] in _BARE:
                j += 1
            parts.append(s[i:j])
            i = j
        else:
            return None
        while i < n and s[i] in " \t":
            i += 1
        if i < n and s[i] == ".":
            i += 1
            continue
        return parts, i


def _skip_value(s: str, i: int) -> str | None:
    """Scan a value to the end of the line; return a multi-line string delimiter left open."""
    n = len(s)
    while i < n:
        if s.startswith('"""', i) or s.startswith("'''", i):
            delim = s[i : i + 3]
            end = _find_close(s, i + 3, delim)
            if end is None:
                return delim
            i = end
            continue
        c = s[i]
        if c == "#":
            return None
        if c == '"':
            i += 1
            while i < n and s[i] != '"':
                i += 2 if s[i] == "\\" else 1
            i += 1
        elif c == "'":
            j = s.find("'", i + 1)
            i = n if j < 0 else j + 1
        else:
            i += 1
    return None


def _find_close(s: str, i: int, delim: str) -> int | None:
    """Index just after the closing delimiter of a multi-line string, or None if not on this line."""
    while True:
        j = s.find(delim, i)
        if j < 0:
            return None
        if delim == '"""':
            backslashes = 0
            k = j - 1
            while k >= i and s[k] == "\\":
                backslashes += 1
                k -= 1
            if backslashes % 2:
                i = j + 1
                continue
        # Up to two extra quotes may belong to the string's content.
        end = j + 3
        while end < len(s) and s[end] == delim[0] and end - j < 5:
            end += 1
        return end


def key_positions(text: str) -> dict[KeyPath, Position]:
    positions: dict[KeyPath, Position] = {}
    array_counts: dict[tuple[str, ...], int] = {}
    current: KeyPath = ()
    open_string: str | None = None

    def resolve(parts: list[str]) -> KeyPath:
        # Insert the current index of every array of tables along the path.
        path: list[PathPart] = []
        names: list[str] = []
        for part in parts:
            names.append(part)
            path.append(part)
            count = array_counts.get(tuple(names))
            if count:
                path.append(count - 1)
        return tuple(path)

    for number, line in enumerate(text.split("\n"), start=1):
        start = 0
        if open_string is not None:
            end = _find_close(line, 0, open_string)
            if end is None:
                continue
            open_string = None
            open_string = _skip_value(line, end)
            continue
        while start < len(line) and line[start] in " \t":
            start += 1
        if start >= len(line) or line[start] == "#":
            continue
        col = start + 1
        if line.startswith("[[", start):
            read = _read_key(line, start + 2)
            if read is None:
                continue
            names = tuple(read[0])
            array_counts[names] = array_counts.get(names, 0) + 1
            current = resolve(list(names))
            positions.setdefault(current, (number, col))
            positions.setdefault(current[:-1], (number, col))
            continue
        if line[start] == "[":
            read = _read_key(line, start + 1)
            if read is None:
                continue
            current = resolve(read[0])
            positions.setdefault(current, (number, col))
            continue
        read = _read_key(line, start)
        if read is None:
            continue
        parts, after = read
        if after >= len(line) or line[after] != "=":
            continue
        positions.setdefault(current + tuple(parts), (number, col))
        open_string = _skip_value(line, after + 1)
    return positions


def lines_in_string(text: str) -> list[bool]:
    """For each line: does it start inside a multi-line string (so a leading # is not a comment)?"""
    inside: list[bool] = []
    open_string: str | None = None
    for line in text.split("\n"):
        inside.append(open_string is not None)
        if open_string is not None:
            end = _find_close(line, 0, open_string)
            if end is None:
                continue
            open_string = _skip_value(line, end)
            continue
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith(("#", "[")):
            continue
        read = _read_key(line, len(line) - len(stripped))
        if read is not None and read[1] < len(line) and line[read[1]] == "=":
            open_string = _skip_value(line, read[1] + 1)
        else:
            open_string = _skip_value(line, 0)  # a line of a multi-line array
    return inside


def locate(positions: dict[KeyPath, Position], path: KeyPath) -> Position:
    for cut in range(len(path), 0, -1):
        found = positions.get(path[:cut])
        if found:
            return found
    return (1, 1)
