"""Problems found in files a person wrote, each reported as `path:line:col: message`.

A broken file is never rewritten; its problems are collected and shown, and the
rest of the app keeps working without it.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat

try:  # tomli is tomllib's upstream; its compiled wheels parse a large pack about 3x faster.
    from tomli import TOMLDecodeError as _TomliDecodeError
    from tomli import loads as _loads

    _TOML_ERRORS: tuple[type[Exception], ...] = (_TomliDecodeError,)
except ImportError:  # pragma: no cover - a platform without the dependency still works, slower
    import tomllib
    from tomllib import loads as _loads

    _TOML_ERRORS = (tomllib.TOMLDecodeError,)
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from msgspec import Struct

from .safe_text import visible

# Files larger than this are refused before reading: a pack or client file is a few hundred KB at most.
MAX_FILE_BYTES = 16 * 1024 * 1024


class Problem(Struct, frozen=True, order=True):
    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        # A file's name, or its text quoted in the message, may hold control characters: shown, never sent.
        return visible(f"{self.path}:{self.line}:{self.col}: {self.message}")


class FileProblems(Exception):
    """One or more problems that stop a file from being used."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def problem(path: Path | str, message: str, line: int = 1, col: int = 1) -> FileProblems:
    return FileProblems([Problem(str(path), line, col, message)])


def read_user_bytes(path: Path, limit: int | None = None, *, links: bool = True) -> bytes:
    """Read a person's file, refusing ones too large to be what they claim to be, and anything that is
    not a regular file: a FIFO named like a session would make the read wait forever. `links=False`: a
    symbolic link is refused too (a session file is the client's only where it is: a link named like one
    could show, and export, a file from anywhere on the computer as the client's words)."""
    no_links = 0 if links else getattr(os, "O_NOFOLLOW", 0)
    try:
        # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; then fstat says what it is.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | no_links)  # fsio-ok: reads only
        try:
            found = os.fstat(fd)
            if stat.S_ISDIR(found.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(found.st_mode):
                raise problem(path, "is not a regular file (a pipe or a device?), so it is not read")
            if found.st_size > MAX_FILE_BYTES:
                raise problem(path, f"file is too large ({found.st_size / 1_048_576:.1f} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB)")
            with os.fdopen(os.dup(fd), "rb") as opened:
                return opened.read(MAX_FILE_BYTES + 1 if limit is None else limit)
        finally:
            os.close(fd)
    except FileProblems:
        raise
    except IsADirectoryError:
        raise problem(path, "is a folder, not a file") from None
    except FileNotFoundError:
        raise problem(path, "file not found") from None
    except PermissionError:
        raise problem(path, "cannot read this file (permission denied)") from None
    except OSError as error:
        if not links and error.errno == errno.ELOOP:
            raise problem(path, "is a link to another file, so it is not read (keep the session file itself here)") from None
        raise problem(path, f"cannot read this file ({error.strerror or error})") from None


def decode_utf8(path: Path | str, data: bytes) -> str:
    """Decode UTF-8, accepting the BOM that Windows editors add; bad bytes get a line:col."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        hint = " (saved as UTF-16?)" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise problem(
            path,
            f"not valid UTF-8: byte 0x{data[error.start]:02x} cannot be read{hint}; save the file as UTF-8",
            line,
            col,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_user_text(path: Path, *, links: bool = True) -> str:
    return decode_utf8(path, read_user_bytes(path, links=links))


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def toml_data(text: str) -> dict[str, Any]:
    """TOML text parsed by the quicker parser there is (tomli, else tomllib); a broken text raises a ValueError."""
    return _loads(text)


def parse_toml(path: Path | str, text: str) -> dict[str, Any]:
    """Parse TOML, turning a syntax error into a positioned Problem."""
    try:
        return _loads(text)
    except _TOML_ERRORS as error:
        raise toml_problem(path, text, error) from None
    except RecursionError:
        # `x = [[[[…` a thousand deep: the parser recurses once per level.
        raise problem(path, "invalid TOML: arrays or tables are nested too deeply to read") from None


def toml_problem(path: Path | str, text: str, error: Exception) -> FileProblems:
    message = getattr(error, "msg", None) or str(error)
    line = getattr(error, "lineno", None)
    col = getattr(error, "colno", None)
    if line is None:
        found = _TOML_POSITION.search(message)
        if found:
            line, col = int(found.group(1)), int(found.group(2))
        elif _TOML_AT_END.search(message):
            lines = text.split("\n")
            line, col = len(lines), len(lines[-1]) + 1
        else:
            line, col = 1, 1
    message = _TOML_AT_END.sub("", _TOML_POSITION.sub("", message))
    return problem(path, f"invalid TOML: {message}", line, col or 1)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def close_matches(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.75) -> list[str]:
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)
