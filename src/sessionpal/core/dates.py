"""The dates sessionpal accepts: a window wide enough for any real practice and narrow enough that no
addition of days, minutes or offsets can leave what `datetime` can hold (a year-9999 date plus a day, or
year 1 minus an offset, raises OverflowError; a year below 1000 does not fit a file name's four digits)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

FIRST_YEAR = 1970
LAST_YEAR = 2199
WINDOW = f"between {FIRST_YEAR} and {LAST_YEAR}"


def sane_day(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def sane_moment(moment: datetime) -> bool:
    """True when the moment, taken to UTC, falls in the window (a naive one is taken as it is)."""
    try:
        utc = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    except (OverflowError, ValueError):
        return False
    return sane_day(utc.date()) and sane_day(moment.date())


def day_written(text: str) -> date | None:
    """The day `text` says (YYYY-MM-DD), if it is a real one inside the window; None otherwise. The one parse of
    a typed day: due dates in notes, the CLI's DATE arguments, the app's date fields."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if sane_day(day) else None


def past_window(today: date) -> tuple[date, date]:
    """The days a past session may be entered for: from 1970 to a year after today."""
    return date(FIRST_YEAR, 1, 1), min(today + timedelta(days=366), date(LAST_YEAR, 12, 31))
