"""Sessions from before sessionpal, or written up after the fact: hours for the ICF log, and notes.

A past session is an ordinary session file, ended, whose timer holds the minutes it lasted: the
review lists it and `sessionpal log icf` counts it like any other. One imported from a CSV file
says where from (`imported = "FILE:LINE"`). Importing again adds nothing twice, and keeps a genuine
second session: a row is already here when the home holds as many imported sessions of that client,
day and minutes as the file has rows for them, up to and including it (`plan_import`).

Days are refused outside 1970 to a year after today (core/dates.py): a year below 1000 does not fit
a session file's name, and year 1 or 9999 overflows the moment's arithmetic.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

from msgspec import Struct

from .dates import past_window
from .live import parse_typed
from .model import Note
from .paths import Home, session_paths
from .problems import FileProblems, read_user_text
from .safe_text import control_named, has_control
from .sessionfile import SessionDocument
from .sessions import create_session, read_session, update_session

HEADER = ["date", "client", "minutes", "kind"]
KINDS = {"paid": False, "pro-bono": True}
MAX_MINUTES = 24 * 60


class PastSession(Struct, frozen=True):
    """One row of an hours file: a session on `day` with `client` (a name or folder name, as written)."""

    day: date
    client: str
    minutes: int
    pro_bono: bool
    line: int


def read_hours(path: Path, today: date | None = None) -> tuple[list[PastSession], list[str]]:
    """The rows of a CSV file `date,client,minutes,kind` (header required), and one `FILE:LINE: what is wrong`
    for each bad row: nothing is to be imported until there are none."""
    window = past_window(today or date.today())
    try:
        text = read_user_text(path)
    except FileProblems as error:
        return [], [str(p) for p in error.problems]
    rows: list[PastSession] = []
    problems: list[str] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader, None)
        if header is None or [h.strip().casefold() for h in header] != HEADER:
            return [], [f"{path}:1: the first line must be the header {','.join(HEADER)}"]
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue  # a blank line
            found = _row(fields, line, window)
            if isinstance(found, str):
                problems.append(f"{path}:{line}: {found}")
            else:
                rows.append(found)
    except csv.Error as error:
        problems.append(f"{path}:{reader.line_num}: not CSV as expected ({error})")
    return rows, problems


def day_problem(day: date, window: tuple[date, date]) -> str | None:
    """Why a past session cannot be on this day, or None."""
    first, last = window
    if not first <= day <= last:
        return f"the date {day.isoformat()} is outside {first.isoformat()} to {last.isoformat()}"
    return None


def _row(fields: list[str], line: int, window: tuple[date, date]) -> PastSession | str:
    if len(fields) != len(HEADER):
        return f"{len(fields)} fields where {len(HEADER)} are expected ({','.join(HEADER)})"
    day_text, client, minutes_text, kind = (f.strip() for f in fields)
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return f"date {day_text!r} is not a date like 2026-11-23"
    if (wrong := day_problem(day, window)) is not None:
        return wrong
    if not client:
        return "the client is empty"
    if has_control(client):
        return f"the client's name holds a control character ({control_named(client)})"
    if not (minutes_text.isascii() and minutes_text.isdigit()) or not 1 <= int(minutes_text) <= MAX_MINUTES:
        return f"minutes {minutes_text!r} is not a number from 1 to {MAX_MINUTES}"
    if kind.casefold() not in KINDS:
        return f"kind {kind!r} is neither paid nor pro-bono"
    return PastSession(day, client, int(minutes_text), KINDS[kind.casefold()], line)


def recorded_count(home: Home, slug: str, day: date, minutes: int) -> int:
    """How many imported sessions of this client, that day, that long, are here (from any file)."""
    count = 0
    for path in session_paths(home, slug):
        if not path.name.startswith(day.isoformat()):
            continue  # session files are named by their day: only that day's are read
        try:
            document = read_session(path)
        except FileProblems:
            continue
        if "imported" in document.front and document.info.elapsed_seconds == minutes * 60:
            count += 1
    return count


def plan_import(home: Home, rows: list[PastSession], slugs: dict[str, str]) -> tuple[list[PastSession], list[PastSession]]:
    """The rows to add and the rows already here. What is compared is the client, the day and the minutes:
    the n-th row of the file with those three is already here when the home holds n or more imported
    sessions with them (a second session that day is kept; the same file, or another, imported again adds
    nothing). `slugs` maps each row's client as written to its folder name."""
    here: dict[tuple[str, date, int], int] = {}
    seen: dict[tuple[str, date, int], int] = {}
    new: list[PastSession] = []
    old: list[PastSession] = []
    for row in rows:
        key = (slugs[row.client], row.day, row.minutes)
        if key not in here:
            here[key] = recorded_count(home, *key)
        seen[key] = seen.get(key, 0) + 1
        (old if seen[key] <= here[key] else new).append(row)
    return new, old


def record_past_session(
    home: Home, slug: str, day: date, minutes: int, *, pro_bono: bool = False, notes: list[str] | None = None, imported: str = "", now: datetime | None = None
) -> Path:
    """Write an ended session of `minutes` on `day` (at midnight, local time: the hour is not known), with
    its notes; its path. Nothing about the client changes. A day outside 1970 to a year after today is
    refused with ValueError (the callers check it first, with the coach's words)."""
    if (wrong := day_problem(day, past_window((now or datetime.now()).date()))) is not None:
        raise ValueError(wrong)
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError(f"minutes {minutes} is not from 1 to {MAX_MINUTES}")
    started = datetime.combine(day, time(0, 0)).astimezone()
    front: dict[str, object] = {
        "client": slug,
        "started": started,
        "ended": started + timedelta(minutes=minutes),
        "planned_minutes": minutes,
        "elapsed_seconds": minutes * 60,
        "timer": "ended",
        "saved": (now or datetime.now()).astimezone().replace(microsecond=0),
        "questions": (),
        "goals": (),
        "pro_bono": pro_bono,
    }
    if imported:
        front["imported"] = imported
    document = create_session(home, slug, front)
    if notes:

        def write(doc: SessionDocument) -> None:
            for typed in notes:  # with the note line's prefixes: ! an action, " their words, * an insight...
                kind, text = parse_typed(typed)
                if text:
                    doc.add_note(Note(0, text, kind))

        update_session(document.path, write, known=document)
    return document.path
