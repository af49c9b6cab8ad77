"""Due dates on actions: what the coach types, and how a session file keeps it.

`!Draft the list by Friday` is due the coming Friday (counted from the session's day);
`!Draft the list due 2026-12-04` (or `due:2026-12-04`) on that day. The action keeps its
words; the file keeps the date as a todo.txt-style `due:YYYY-MM-DD` at the end of the line,
which plain-text task tools read too.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .dates import day_written

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = "|".join([*WEEKDAYS, *(d[:3] for d in WEEKDAYS)])
_EXPLICIT = re.compile(r"\s+due[:\s]\s*(\d{4}-\d{2}-\d{2})\s*$", re.IGNORECASE)
_BY = re.compile(rf"\bby\s+(?:(today|tomorrow)|(?:next\s+)?({_DAY})|(\d{{4}}-\d{{2}}-\d{{2}}))\b", re.IGNORECASE)
SUFFIX = re.compile(r" due:(\d{4}-\d{2}-\d{2})$")  # as the file keeps it


def due_from_text(text: str, today: date) -> tuple[str, date | None]:
    """The action's words and its due date, if it says one. An explicit `due DATE` at the end is taken off
    the words (it is kept as the date); "by Friday" stays in them, as the coach said it."""
    explicit = _EXPLICIT.search(text)
    # "due 2026-02-30" (or year 0001) is no date: the words stay as typed
    if explicit and (day := day_written(explicit.group(1))) is not None:
        return text[: explicit.start()].rstrip(), day
    said = list(_BY.finditer(text))
    if not said:
        return text, None
    relative, weekday, iso = said[-1].groups()
    if relative:
        return text, today + timedelta(days=0 if relative.casefold() == "today" else 1)
    if weekday:
        wanted = next(i for i, d in enumerate(WEEKDAYS) if d.startswith(weekday.casefold()[:3]))
        ahead = (wanted - today.weekday()) % 7 or 7  # "by Friday" said on a Friday: next week's
        return text, today + timedelta(days=ahead)
    return text, day_written(iso)


def split_due(line_text: str) -> tuple[str, date | None]:
    """An action's text as read from a file: its words, and the `due:` date at the end (if a real date)."""
    found = SUFFIX.search(line_text)
    if found and (day := day_written(found.group(1))) is not None:
        return line_text[: found.start()], day
    return line_text, None


def with_due(text: str, due: date | None) -> str:
    return f"{text} due:{due.isoformat()}" if due is not None else text


def describe_due(due: date, today: date) -> tuple[str, bool]:
    """("due Fri 04 Dec", False), or ("overdue since Fri 04 Dec", True): for the card and the review."""
    day = due.strftime("%a %d %b")
    if due < today:
        return f"overdue since {day}", True
    if due == today:
        return "due today", False
    return f"due {day}", False
