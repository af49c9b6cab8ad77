"""The coach's calendar, read from files: the calls in a window of time, and whose each one is.

Sources are `.ics` files (an export, or a subscription file a calendar app keeps up to date) and vdir
folders (one `.ics` per event, as vdirsyncer writes and khal reads), named in [calendar] (core/config.py).
Events are read with icalendar and repeating ones expanded with recurring-ical-events; times keep the zone
they were written in and are shown in this computer's. Nothing is ever sent anywhere, and nothing here writes.

A calendar is a file from elsewhere, so its cost is bounded whatever it holds: files over MAX_CALENDAR_BYTES
are refused; only the events that can fall in the window asked for are handed to icalendar (it parses about
1 MB a second: five years of calls is a 1.5 MB file), at most MAX_EVENTS of them; a series repeating more often
than daily is refused, and expansion stops at MAX_OCCURRENCES; and a source gets READ_SECONDS at most (an
impossible rule, FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30, sends dateutil through every day to the year 9999 without
yielding once). A source missing, unreadable or malformed is one Problem line (the first problem, and how many
more); the other sources are read all the same.

Which call is whose: an event is a client's when its summary, location or description names them (their
name, folder name, code or one of their calendar_names, accents and case ignored, whole words), or carries
`sessionpal:<folder or code>`, as the invites of core/invite.py do. Naming two clients it is ambiguous, and
naming none it is not matched: never a guess.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from .config import CalendarSettings, CalendarSource
from .paths import fold_name
from .problems import MAX_FILE_BYTES, FileProblems, Problem, read_user_bytes
from .safe_text import glimpse, visible

if TYPE_CHECKING:
    from .clients import ClientEntry
    from .paths import Home

MAX_CALENDAR_BYTES = MAX_FILE_BYTES  # one file, 16 MB: years of a busy calendar are a few MB
MAX_SOURCE_BYTES = 64 * 1024 * 1024  # every file of one vdir folder together
MAX_VDIR_FILES = 20_000
MAX_EVENTS = 5_000  # events that may fall in the window, parsed from one source
MAX_OCCURRENCES = 5_000  # calls one source may give in one window
READ_SECONDS = 5.0  # one source, read and expanded
LONGEST_CALL = timedelta(hours=24)  # longer (a conference, a holiday) is no call
# A DTSTART's day is compared with the window's as written, in its own zone: zones are at most 14 hours
# from UTC, and a call lasts less than a day, so two days either side keep every event that can fall in it.
SLACK = timedelta(days=2)
SUMMARY_CHARS = 200
DESCRIPTION_CHARS = 4_000  # read for the client's name or the sessionpal: mark, never shown
MARK = "sessionpal:"
_MARK = re.compile(r"sessionpal:([\w-]+)", re.IGNORECASE)
_WORDS = re.compile(r"\w+")
_SUB_DAILY = re.compile(r"(?:^|;)FREQ=(SECONDLY|MINUTELY|HOURLY)(?:;|$)", re.IGNORECASE)


class CalendarEvent(Struct, frozen=True):
    """One occurrence of an event with a start time, in this computer's zone. Its texts are safe to show
    (control characters made visible); the summary is one line."""

    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    uid: str = ""
    file: Path = Path()
    line: int = 1  # where the event begins in its file
    repeats: bool = False  # one occurrence of a repeating event

    @property
    def minutes(self) -> int:
        """How long the call is booked for, in whole minutes (what the session's timer can plan). In UTC: two
        times in one zone subtract as wall clocks, and a call across a DST change would be an hour off."""
        return int((self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() // 60)


class CalendarRead(Struct, frozen=True):
    events: tuple[CalendarEvent, ...] = ()
    problems: tuple[Problem, ...] = ()


def local_zone() -> tzinfo:
    """This computer's time zone by its IANA name where the system says it ($TZ, /etc/localtime's link,
    /etc/timezone), so a time written with it keeps its zone across a DST change; else its offset now."""
    from zoneinfo import ZoneInfo

    names = [os.environ.get("TZ", "").lstrip(":")]
    try:
        link = os.readlink("/etc/localtime")
        names.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except OSError:
        pass
    try:
        names.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        pass
    for name in names:
        if name and not name.startswith("/") and ".." not in name:
            try:
                return ZoneInfo(name)
            except (ValueError, KeyError, OSError):  # not a zone's name (ZoneInfoNotFoundError is a KeyError)
                continue
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None  # astimezone() always gives one
    return zone


def in_zone(moment: datetime, zone: tzinfo | None) -> datetime:
    """`moment` in `zone` (None: this computer's, with the offset of that day); a floating time is taken as wall time there."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
    return moment.astimezone(zone) if zone is not None else moment.astimezone()


def day_window(day: date, zone: tzinfo | None = None) -> tuple[datetime, datetime]:
    """From `day`'s midnight to the next one, in `zone` (23 or 25 hours on the day the clocks change)."""
    return in_zone(datetime.combine(day, datetime.min.time()), zone), in_zone(datetime.combine(day + timedelta(days=1), datetime.min.time()), zone)


def week_window(day: date, zone: tzinfo | None = None) -> tuple[datetime, datetime]:
    """The week `day` is in, Monday's midnight to the next Monday's."""
    monday = day - timedelta(days=day.weekday())
    return day_window(monday, zone)[0], day_window(monday + timedelta(days=7), zone)[0]


# ---- reading ----------------------------------------------------------------------------------------


class _TooSlow(BaseException):
    """Raised inside the calendar libraries when a source has run out of time. A BaseException, as
    KeyboardInterrupt is: a library's `except Exception` cannot swallow it."""


@contextmanager
def _time_limit(deadline: float) -> Iterator[None]:
    """Stop the calendar libraries at `deadline` (time.monotonic()), raising _TooSlow at their next Python call.

    dateutil can iterate for minutes inside one step of a generator without yielding (a rule no day fits
    is followed to the year 9999), so neither a count nor a clock looked at between occurrences can stop
    it. A profile hook is per thread (the UI reads in a worker) and looks at the clock once per 1,024 calls;
    it is on only while icalendar parses and recurring-ical-events expands, not while the files are scanned."""
    calls = 0

    def watch(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        if event == "call" and calls >= 0:
            calls += 1
            if not calls & 1023 and time.monotonic() > deadline:
                calls = -1  # once: the way out (the context managers' own calls) is not stopped again
                raise _TooSlow

    if time.monotonic() > deadline:
        raise _TooSlow
    before = sys.getprofile()
    sys.setprofile(watch)
    try:
        yield
    finally:
        sys.setprofile(before)


class _Told:
    """A source's problems, told as one line: the first, and how many more there were."""

    def __init__(self) -> None:
        self.first: Problem | None = None
        self.more = 0

    def add(self, path: Path | str, message: str, line: int = 1, col: int = 1) -> None:
        if self.first is None:
            self.first = Problem(str(path), line, col, message)
        else:
            self.more += 1

    def problem(self) -> Problem | None:
        if self.first is None or not self.more:
            return self.first
        first = self.first
        return Problem(first.path, first.line, first.col, f"{first.message} (and {self.more} more problem{'s' if self.more != 1 else ''} in this calendar)")


class _Block(Struct):
    """A component of a calendar file as written (its lines), with what the window's filter needs."""

    name: str
    line: int
    lines: list[str] = field(default_factory=list)
    start_day: date | None = None  # DTSTART's day as written; None when it cannot be told (the block is kept)
    repeats: bool = False  # RRULE, RDATE or RECURRENCE-ID: kept whatever its DTSTART says
    rule: str = ""
    uid: str = ""


class _Scanned(Struct):
    header: list[str] = field(default_factory=list)  # the calendar's own properties (X-WR-TIMEZONE, CALSCALE...)
    zones: list[_Block] = field(default_factory=list)
    events: list[_Block] = field(default_factory=list)


def _value(logical: str) -> tuple[str, str]:
    """A content line's name (upper case) and value: the value starts at the first colon outside quotes."""
    at = 0
    while True:
        colon = logical.find(":", at)
        quote = logical.find('"', at, colon if colon >= 0 else len(logical))
        if quote < 0:
            break
        close = logical.find('"', quote + 1)
        if close < 0:
            colon = -1
            break
        at = close + 1
    if colon < 0:
        return logical.split(";", 1)[0].strip().upper(), ""
    return logical[:colon].split(";", 1)[0].strip().upper(), logical[colon + 1 :]


def _day_of(value: str) -> date | None:
    digits = value.strip()[:8]
    if len(digits) == 8 and digits.isascii() and digits.isdigit():
        try:
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        except ValueError:
            return None
    return None


def _scan(text: str, path: Path, told: _Told) -> _Scanned:
    """The calendar's components, as written, without parsing their values: the window's filter reads only
    DTSTART, RRULE, RDATE, RECURRENCE-ID and UID. Structure that does not add up is told, with its line."""
    scanned = _Scanned()
    block: _Block | None = None
    depth = 0  # 0 outside VCALENDAR, 1 in it, 2 in one of its components, more inside that (an alarm)
    calendars = last = 0
    physical = text.split("\n")
    number = 0
    while number < len(physical):
        start = number
        raw = [physical[number].rstrip("\r")]
        number += 1
        while number < len(physical) and physical[number][:1] in (" ", "\t"):
            raw.append(physical[number].rstrip("\r"))  # a folded line goes on
            number += 1
        logical = raw[0] + "".join(part[1:] for part in raw[1:])
        if not logical.strip():
            continue
        last = number
        name, value = _value(logical)
        if name in ("BEGIN", "END"):
            kind = glimpse(value.strip().upper(), 40)
            if name == "BEGIN" and depth == 0:
                if kind != "VCALENDAR":
                    told.add(path, f"BEGIN:{kind} outside a calendar (BEGIN:VCALENDAR)", start + 1)
                    return scanned
                depth, calendars = 1, calendars + 1
            elif name == "BEGIN":
                if depth == 1:
                    block = _Block(kind, start + 1)
                elif depth >= 12:
                    told.add(path, "components nested too deeply to be a calendar", start + 1)
                    return scanned
                depth += 1
            elif depth == 0:
                told.add(path, f"END:{kind} without its BEGIN", start + 1)
                return scanned
            elif depth == 1:
                if kind != "VCALENDAR":
                    told.add(path, f"END:{kind} where END:VCALENDAR was expected", start + 1)
                    return scanned
                depth = 0
            else:
                depth -= 1
            if block is not None:
                block.lines.extend(raw)
            if name == "END" and depth == 1 and block is not None:
                if kind != block.name:
                    told.add(path, f"END:{kind} where END:{block.name} was expected", start + 1)
                elif block.name == "VEVENT":
                    scanned.events.append(block)
                elif block.name == "VTIMEZONE":
                    scanned.zones.append(block)
                block = None
            continue
        if depth == 1:
            scanned.header.extend(raw)
        elif block is not None:
            block.lines.extend(raw)
            if depth == 2 and block.name == "VEVENT":
                if name == "DTSTART":
                    block.start_day = _day_of(value)
                elif name in ("RRULE", "RDATE", "RECURRENCE-ID"):
                    block.repeats = True
                    block.rule = value.strip() if name == "RRULE" else block.rule
                elif name == "UID":
                    block.uid = value.strip()
    if not calendars:
        told.add(path, "not a calendar: no BEGIN:VCALENDAR in it (a web page saved instead of the .ics?)")
    elif block is not None:
        told.add(path, f"the calendar ends inside a {block.name} (a file cut short?): that one is not read", block.line)
    elif depth:
        told.add(path, "the calendar ends before its END:VCALENDAR (a file cut short?)", last)
    return scanned


class _Budget(Struct):
    """What one source may still cost."""

    deadline: float
    events: int
    occurrences: int
    told_events: bool = False
    told_occurrences: bool = False


class _Window(Struct):
    start: datetime
    end: datetime
    zone: tzinfo | None

    @property
    def days(self) -> tuple[date, date]:
        """The days a DTSTART may say, as written, for the event to fall in the window (see SLACK)."""
        return (in_zone(self.start, self.zone) - SLACK).date(), (in_zone(self.end, self.zone) + SLACK).date()


def _read_file(path: Path, data: bytes, window: _Window, told: _Told, budget: _Budget) -> list[CalendarEvent]:
    """The calls one calendar file has in the window."""
    # Leniently: a stray byte in one title (a file saved as Latin-1) must not cost the whole calendar.
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    scanned = _scan(text, path, told)
    first, last = window.days
    kept: list[_Block] = []
    for block in scanned.events:
        if not (block.repeats or block.start_day is None or first <= block.start_day <= last):
            continue
        found = _SUB_DAILY.search(block.rule)
        if found:
            told.add(path, f"an event repeats more often than daily (FREQ={found.group(1).upper()}): no call does, so it is not read", block.line)
            continue
        if budget.events <= 0:
            if not budget.told_events:
                told.add(path, f"more than {MAX_EVENTS:,} events could fall in these days: only the first {MAX_EVENTS:,} are read", block.line)
                budget.told_events = True
            break
        budget.events -= 1
        kept.append(block)
    if not kept:
        return []
    # Each series (a repeating event with its moved instances, sharing a UID) is parsed whole; a file that
    # does not parse is parsed again one series at a time, to keep the rest and tell the ones at fault.
    try:
        return _occurrences(path, _parse(scanned, kept, budget), kept, window, told, budget)
    except (ValueError, KeyError, IndexError, TypeError, RecursionError) as error:
        whole = error
    series: dict[str, list[_Block]] = {}
    for block in kept:
        series.setdefault(block.uid or f"line {block.line}", []).append(block)
    found_events: list[CalendarEvent] = []
    for blocks in series.values():
        try:
            parsed = _parse(scanned, blocks, budget)
        except (ValueError, KeyError, IndexError, TypeError, RecursionError) as error:
            told.add(path, f"an event cannot be read: {_reason(error)}", blocks[0].line)
            continue
        found_events.extend(_occurrences(path, parsed, blocks, window, told, budget))
    if not found_events and told.first is None:
        told.add(path, f"not a calendar that can be read: {_reason(whole)}", kept[0].line)
    return found_events


def _parse(scanned: _Scanned, blocks: list[_Block], budget: _Budget) -> Any:
    """icalendar's Calendar of the file's header and time zones with these events only."""
    import icalendar

    lines = ["BEGIN:VCALENDAR", *scanned.header]
    for block in (*scanned.zones, *blocks):
        lines.extend(block.lines)
    lines.append("END:VCALENDAR")
    with _time_limit(budget.deadline):
        return icalendar.Calendar.from_ical("\r\n".join(lines) + "\r\n")


def _reason(error: BaseException) -> str:
    return glimpse(" ".join(str(error).split()) or type(error).__name__, 120)


_TIMES = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


def _occurrences(path: Path, parsed: Any, blocks: list[_Block], window: _Window, told: _Told, budget: _Budget) -> list[CalendarEvent]:
    """The parsed events' occurrences that are calls in the window: timed, not cancelled, less than a day long."""
    import icalendar
    import recurring_ical_events  # type: ignore[import-untyped]  # it ships no type hints

    events = [c for c in parsed.subcomponents if isinstance(c, icalendar.Event)]
    left_out: set[str] = set()
    for component, block in zip(events, blocks, strict=False):
        broken = [name for name, _ in component.errors if name in _TIMES]
        try:
            component.start  # noqa: B018  # raises for a missing or broken DTSTART
        except ValueError:  # icalendar's errors (IncompleteComponent, InvalidCalendar...) are ValueErrors
            broken.append("DTSTART")
        if broken:
            told.add(path, f"an event's {broken[0]} cannot be read: the event is left out", block.line)
            parsed.subcomponents.remove(component)
            left_out.add(block.uid)
    lines = {block.uid: block.line for block in reversed(blocks)}
    repeating = {block.uid for block in blocks if block.repeats}
    # The library is asked for a day more each side: a floating time is compared in the series' own zone
    # there. Each occurrence is held to the window itself, in ours, by _call.
    wide_start, wide_end = window.start - timedelta(days=1), window.end + timedelta(days=1)
    found: list[CalendarEvent] = []
    with _time_limit(budget.deadline):
        try:
            query = recurring_ical_events.of(parsed, skip_bad_series=True)
        except Exception as error:  # the library's own family, and whatever a broken calendar raises inside it
            told.add(path, f"the repeating events cannot be read: {_reason(error)}", blocks[0].line if blocks else 1)
            return []
        # skip_bad_series drops a series whose rule the library cannot follow, silently: it is told here.
        for uid in sorted(repeating - left_out - {"", *(str(series.uid) for series in query.series)}):
            told.add(path, "a repeating event's rule cannot be followed: the event is left out", lines.get(uid, 1))
        for series in query.series:
            try:
                for occurrence in series.between(wide_start, wide_end):
                    event = _call(occurrence, path, lines, repeating, window)
                    if event is None:
                        continue
                    if budget.occurrences <= 0:
                        if not budget.told_occurrences:
                            told.add(path, f"more than {MAX_OCCURRENCES:,} calls in these days: only the first {MAX_OCCURRENCES:,} are shown", event.line)
                            budget.told_occurrences = True
                        return found
                    budget.occurrences -= 1
                    found.append(event)
            except Exception as error:  # one series that cannot be expanded; the others still are
                told.add(path, f"a repeating event cannot be read: {_reason(error)}", lines.get(str(getattr(series, "uid", "")), 1))
    return found


def _text(component: Any, key: str, limit: int, *, one_line: bool) -> str:
    value = component.get(key)
    if value is None:
        return ""
    if isinstance(value, list):  # the property written twice
        value = value[0] if value else ""
    text = str(value)[: limit * 4]  # enough for `limit` once the spaces are collapsed
    text = " ".join(text.split()) if one_line else text
    return visible(text if len(text) <= limit else text[: limit - 1] + "…", keep="" if one_line else "\n")


def _call(occurrence: Any, path: Path, lines: dict[str, int], repeating: set[str], window: _Window) -> CalendarEvent | None:
    """The occurrence as a CalendarEvent, if it is a call that starts in the window."""
    began, ended = occurrence.start, occurrence.end
    if not isinstance(began, datetime):
        return None  # an all-day event (a date, no time) is no call
    if not isinstance(ended, datetime):
        ended = began
    began, ended = in_zone(began, window.zone), in_zone(ended, window.zone)
    if ended < began:
        ended = began
    if ended - began >= LONGEST_CALL or not (window.start <= began < window.end):
        return None
    component = occurrence.as_component(False)
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return None
    uid = str(component.get("UID", ""))
    return CalendarEvent(
        start=began,
        end=ended,
        summary=_text(component, "SUMMARY", SUMMARY_CHARS, one_line=True),
        location=_text(component, "LOCATION", SUMMARY_CHARS, one_line=True),
        description=_text(component, "DESCRIPTION", DESCRIPTION_CHARS, one_line=False),
        uid=visible(glimpse(" ".join(uid.split()), SUMMARY_CHARS)),
        file=path,
        line=lines.get(uid, 1),
        repeats=uid in repeating,
    )


def _vdir_files(folder: Path, told: _Told) -> list[Path]:
    """A vdir's `.ics` files, and those of its collections one folder down (vdirsyncer's layout for the
    calendars of one account); hidden files and sessionpal's temporary ones are no events."""
    found: list[Path] = []

    def look(at: Path, deeper: bool) -> None:
        try:
            entries = sorted(os.scandir(at), key=lambda e: e.name)
        except OSError as error:
            told.add(at, f"cannot list this calendar folder ({error.strerror or error})")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_file() and entry.name.casefold().endswith(".ics"):
                    found.append(Path(entry.path))
                elif deeper and entry.is_dir():
                    look(Path(entry.path), False)
            except OSError:
                continue

    look(folder, True)
    if len(found) > MAX_VDIR_FILES:
        told.add(folder, f"{len(found):,} files: only the first {MAX_VDIR_FILES:,} are read")
        del found[MAX_VDIR_FILES:]
    return found


def _read_source(source: CalendarSource, window: _Window, seconds: float) -> tuple[list[CalendarEvent], Problem | None]:
    told = _Told()
    found: list[CalendarEvent] = []
    path = source.path
    try:
        folder = path.is_dir()
        present = folder or path.exists()
    except OSError:
        folder = present = False
    if not present:
        told.add(source.named_in or path, f"calendar {path} not found (named in [calendar] sources)", source.line, source.col)
        return found, told.problem()
    budget = _Budget(time.monotonic() + seconds, MAX_EVENTS, MAX_OCCURRENCES)
    total = 0
    try:
        for file in _vdir_files(path, told) if folder else [path]:
            try:
                data = read_user_bytes(file)  # refuses a file over MAX_CALENDAR_BYTES, a pipe, a device
            except FileProblems as error:
                told.add(error.problems[0].path, error.problems[0].message)
                continue
            total += len(data)
            if total > MAX_SOURCE_BYTES:
                told.add(path, f"more than {MAX_SOURCE_BYTES // 1_048_576} MB of calendar files: the rest are not read")
                break
            found.extend(_read_file(file, data, window, told, budget))
    except _TooSlow:
        told.add(path, f"took more than {seconds:g} s to read (a repeating event no day fits?): only what was read by then is shown")
    return found, told.problem()


def read_events(settings: CalendarSettings, start: datetime, end: datetime, *, zone: tzinfo | None = None, seconds: float = READ_SECONDS) -> CalendarRead:
    """Every call (a timed event) in the sources that starts in [start, end), in start order, in `zone` (None:
    this computer's); with one problem line for each source that could not be read, or not wholly."""
    # Imported before any time limit runs: a module cut off half imported would stay broken.
    import icalendar  # noqa: F401
    import recurring_ical_events  # noqa: F401

    window = _Window(in_zone(start, zone), in_zone(end, zone), zone)
    events: list[CalendarEvent] = []
    problems: list[Problem] = []
    for source in settings.sources:
        found, problem = _read_source(source, window, seconds)
        events.extend(found)
        if problem is not None:
            problems.append(problem)
    events.sort(key=lambda e: (e.start, e.end, e.summary))
    return CalendarRead(tuple(_unique(events)), tuple(problems))


def _unique(events: Iterable[CalendarEvent]) -> Iterator[CalendarEvent]:
    """Each occurrence once: a calendar both exported and synced as a folder names the same event twice."""
    seen: set[tuple[str, datetime]] = set()
    for event in events:
        key = (event.uid, event.start)
        if event.uid and key in seen:
            continue
        seen.add(key)
        yield event


# ---- whose call ------------------------------------------------------------------------------------


class CalendarClient(Struct, frozen=True):
    """What a client is called, for placing events: name, folder, code, and the coach's calendar names."""

    slug: str
    name: str
    code: str = ""
    calendar_names: tuple[str, ...] = ()


def calendar_clients(entries: Iterable[ClientEntry]) -> list[CalendarClient]:
    """The clients whose files can be read, as the calendar knows them."""
    return [CalendarClient(e.slug, e.card.name, e.card.code, e.card.calendar_names) for e in entries if e.card is not None]


def words(text: str) -> tuple[str, ...]:
    """The words of `text` as they are compared: accents and case dropped (core/paths.py's fold_name)."""
    return tuple(_WORDS.findall(fold_name(text)))


class Call(Struct, frozen=True):
    """An event, and the clients it names: one (theirs), several (ambiguous: the coach says whose), none."""

    event: CalendarEvent
    clients: tuple[str, ...] = ()  # folder names

    @property
    def client(self) -> str | None:
        return self.clients[0] if len(self.clients) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.clients) > 1

    def under_way(self, now: datetime) -> bool:
        return self.event.start <= now < self.event.end


class Placer:
    """Places events among clients; built once for many events (an index of each name's first word)."""

    def __init__(self, clients: Iterable[CalendarClient]):
        self.clients = {c.slug: c for c in clients}
        self._marks: dict[str, str] = {}
        self._names: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for client in self.clients.values():
            self._marks[client.slug.casefold()] = client.slug
            if client.code:
                self._marks.setdefault(client.code.casefold(), client.slug)
            for name in dict.fromkeys((client.name, client.slug, client.code, *client.calendar_names)):
                said = words(name)
                if said:
                    self._names.setdefault(said[0], []).append((said, client.slug))

    def place(self, event: CalendarEvent) -> tuple[str, ...]:
        """The folder names of the clients the event names (sorted); see the module's docstring."""
        texts = (event.summary, event.location, event.description)
        marked = {self._marks[m.casefold()] for text in texts for m in _MARK.findall(text) if m.casefold() in self._marks}
        if marked:
            return tuple(sorted(marked))
        spans: list[tuple[int, int, int, str]] = []  # (field, first word, past the last, client)
        for number, text in enumerate(texts):
            said = words(text)
            for at, word in enumerate(said):
                for name, slug in self._names.get(word, ()):
                    if said[at : at + len(name)] == name:
                        spans.append((number, at, at + len(name), slug))
        # A name inside a longer one of another client's is that one's: "Sam Lee-Jones" is not Sam Lee too.
        kept = {
            slug
            for number, first, past, slug in spans
            if not any(n == number and f <= first and past <= p and p - f > past - first and s != slug for n, f, p, s in spans)
        }
        return tuple(sorted(kept))


class Agenda(Struct, frozen=True):
    """The calls of a window of time, each placed, in start order; with the sources' problems."""

    calls: tuple[Call, ...] = ()
    problems: tuple[Problem, ...] = ()

    def current_or_next(self, now: datetime) -> Call | None:
        """The call under way at `now` (the earliest, if two overlap), else the next one to start."""
        return next((c for c in self.calls if now < c.event.end), None)

    def next_for(self, slug: str, after: datetime) -> Call | None:
        """The client's first call starting at or after `after`."""
        return next((c for c in self.calls if c.client == slug and c.event.start >= after), None)

    def on(self, day: date) -> tuple[Call, ...]:
        return tuple(c for c in self.calls if c.event.start.date() == day)


def agenda(
    settings: CalendarSettings,
    clients: Sequence[CalendarClient],
    start: datetime,
    end: datetime,
    *,
    zone: tzinfo | None = None,
    seconds: float = READ_SECONDS,
) -> Agenda:
    """The calls in [start, end) from the coach's calendar, each placed among `clients`. Blocking (files,
    parsing): the UI calls it from a worker."""
    read = read_events(settings, start, end, zone=zone, seconds=seconds)
    placer = Placer(clients)
    return Agenda(tuple(Call(event, placer.place(event)) for event in read.events), read.problems)


NEXT_CALL_DAYS = 92  # how far ahead a client's next call is looked for: a monthly client's is in it


def next_call(
    settings: CalendarSettings, clients: Sequence[CalendarClient], slug: str, after: datetime, *, zone: tzinfo | None = None, seconds: float = READ_SECONDS
) -> Call | None:
    """The client's first call starting at or after `after`, in the next NEXT_CALL_DAYS days; None without
    one (or without a calendar). Every client is placed, so an event naming two is nobody's. Blocking."""
    if not settings.sources:
        return None
    found = agenda(settings, clients, after, after + timedelta(days=NEXT_CALL_DAYS), zone=zone, seconds=seconds)
    return found.next_for(slug, after)


def next_session_call(settings: CalendarSettings, home: Home, slug: str, now: datetime, length: timedelta, *, zone: tzinfo | None = None) -> Call | None:
    """The client's next call after the session held now, `length` long: a call starting within that length of
    now is this session's own (under way, about to start, or just had, opened early from today's strip), not
    the next. Every client is read and placed. Blocking."""
    from .clients import list_clients

    clients = calendar_clients(list_clients(home, today=now.date()))
    return next_call(settings, clients, slug, now + length, zone=zone)


def sources_fingerprint(settings: CalendarSettings) -> tuple[tuple[str, int, int], ...]:
    """What the sources look like on disk, in a few stat calls: each source, and each folder inside a vdir
    (a sync tool adds, replaces and removes events by renaming, which changes its folder). A change means
    the calendar is read again; reading it costs far more than looking."""
    seen: list[tuple[str, int, int]] = []

    def stat(path: str) -> None:
        try:
            found = os.stat(path)
            seen.append((path, found.st_mtime_ns, found.st_size))
        except OSError:
            seen.append((path, -1, -1))

    for source in settings.sources:
        stat(str(source.path))
        try:
            inner = [e.path for e in os.scandir(source.path) if not e.name.startswith(".") and e.is_dir()]
        except OSError:
            continue  # a file, or not there: its own stat says when that changes
        for folder in sorted(inner)[:100]:
            stat(folder)
    return tuple(seen)


def calendar_name_for(event: CalendarEvent) -> str:
    """What to remember as a client's calendar name when the coach says an event is theirs: its title (or
    where it is, for one without), so the next event called so is placed too."""
    return event.summary or event.location


__all__ = [
    "MARK",
    "Agenda",
    "Call",
    "CalendarClient",
    "CalendarEvent",
    "CalendarRead",
    "Placer",
    "agenda",
    "calendar_clients",
    "calendar_name_for",
    "day_window",
    "in_zone",
    "local_zone",
    "next_call",
    "next_session_call",
    "read_events",
    "sources_fingerprint",
    "week_window",
    "words",
]
