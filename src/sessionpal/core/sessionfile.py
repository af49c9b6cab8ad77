"""The session file: TOML front matter between `+++` lines, then Markdown.

    +++
    client = "jose-alvarez"
    started = 2026-11-23T10:00:00+01:00
    ...
    +++

    ## Notes

    - [00:03:12] wants to leave by spring
    - [00:05:40] "I always give up in March"
    - [00:09:02] **Insight:** the deadline is hers, not her manager's
    - [00:12:30] **Question:** what would make March different?

    ## Questions asked

    - [00:07:15] What matters most to you about this? `awareness/what-matters`

    ## Actions

    - [ ] [00:41:10] Send the draft to Ana by Friday

Parsing keeps every line: what it recognises becomes an entry, everything else
(a paragraph a person wrote, a heading of their own) stays as it was. Rendering a
parsed document gives back the exact text, so a change touches only its own lines
and whatever a person wrote by hand survives the app's saves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from .due import due_from_text, split_due, with_due
from .model import Action, ActionState, AskedQuestion, Entry, Note, NoteKind
from .problems import FileProblems, Problem, parse_toml, problem, read_user_bytes
from .safe_text import CONTROL_BUT_LINE_FEED, visible
from .schema import Checker
from .stamps import format_stamp

FENCE = "+++"

NOTES = "notes"
ASKED = "questions asked"
ACTIONS = "actions"
SECTION_TITLES = {NOTES: "Notes", ASKED: "Questions asked", ACTIONS: "Actions"}
SECTION_ORDER = (NOTES, ASKED, ACTIONS)

TIMER_STATES = ("running", "paused", "ended")

# Hours of two to four digits: a stamp of five or more is no time a session had (see _check_stamp).
_STAMP = r"\[(\d{2,4}):([0-5]\d):([0-5]\d)\]"
_NOTE_RE = re.compile(rf"^- {_STAMP} (.*)$", re.DOTALL)
_ASKED_RE = re.compile(rf"^- {_STAMP} (.*?)(?: `([a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*)`)?$", re.DOTALL)
_ACTION_RE = re.compile(rf"^- \[([ xX-])\] (?:{_STAMP} )?(.*)$", re.DOTALL)
_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")

INSIGHT_LABEL = "**Insight:** "
QUESTION_LABEL = "**Question:** "
SHARED_LABEL = "**For the client:** "

_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


def clean_text(text: str) -> str:
    """Notes are one line: pasted line breaks become spaces, so every word is kept; a pasted control
    character (ESC, say) is kept as its visible stand-in, never as something a terminal would act on."""
    return visible(_LINE_BREAKS.sub(" ", text))


def _stamp(groups: Sequence[str]) -> int:
    h, m, s = groups
    return int(h) * 3600 + int(m) * 60 + int(s)


# --- one line <-> one entry -------------------------------------------------


def render_note_text(kind: NoteKind, text: str) -> str:
    if kind is NoteKind.QUOTE:
        return f'"{text}"'
    if kind is NoteKind.INSIGHT:
        return INSIGHT_LABEL + text
    if kind is NoteKind.QUESTION:
        return QUESTION_LABEL + text
    if kind is NoteKind.SHARED:
        return SHARED_LABEL + text
    # A plain note that would read as another kind gets a Markdown backslash escape,
    # which Markdown viewers also hide.
    if text.startswith(("\\", '"', "**")):
        return "\\" + text
    return text


def parse_note_text(rest: str) -> tuple[NoteKind, str]:
    if rest.startswith("\\"):
        return NoteKind.NOTE, rest[1:]
    if rest.startswith(INSIGHT_LABEL):
        return NoteKind.INSIGHT, rest[len(INSIGHT_LABEL) :]
    if rest.startswith(QUESTION_LABEL):
        return NoteKind.QUESTION, rest[len(QUESTION_LABEL) :]
    if rest.startswith(SHARED_LABEL):
        return NoteKind.SHARED, rest[len(SHARED_LABEL) :]
    if len(rest) >= 2 and rest.startswith('"') and rest.endswith('"'):
        return NoteKind.QUOTE, rest[1:-1]
    return NoteKind.NOTE, rest


def _shown(entry: Entry) -> Entry:
    """The entry as a file written by the app holds it, and as reading it back gives it: no control characters."""
    if isinstance(entry, AskedQuestion):
        return replace(entry, text=visible(entry.text), ref=visible(entry.ref))
    return replace(entry, text=visible(entry.text))


def render_entry(entry: Entry) -> str:
    if isinstance(entry, Note):
        return f"- [{format_stamp(entry.stamp)}] {render_note_text(entry.kind, entry.text)}"
    if isinstance(entry, AskedQuestion):
        ref = f" `{entry.ref}`" if entry.ref else ""
        return f"- [{format_stamp(entry.stamp)}] {entry.text}{ref}"
    stamp = f"[{format_stamp(entry.stamp)}] " if entry.stamp is not None else ""
    return f"- [{entry.state.value}] {stamp}{with_due(entry.text, entry.due)}"


def parse_entry(section: str, line: str) -> Entry | None:
    if section == NOTES:
        found = _NOTE_RE.match(line)
        if found:
            # Shown as read, minus anything a terminal would act on (the line itself stays as it is).
            kind, text = parse_note_text(visible(found.group(4)))
            return Note(_stamp(found.groups()[:3]), text, kind)
    elif section == ASKED:
        found = _ASKED_RE.match(line)
        if found:
            return AskedQuestion(_stamp(found.groups()[:3]), visible(found.group(4)), visible(found.group(5) or ""))
    elif section == ACTIONS:
        found = _ACTION_RE.match(line)
        if found:
            state = ActionState.DONE if found.group(1) in "xX" else ActionState(found.group(1))
            stamp = _stamp(found.groups()[1:4]) if found.group(2) is not None else None
            text, due = split_due(found.group(5))
            return Action(visible(text), stamp, state, due)
    return None


# --- the whole file -----------------------------------------------------------


class EntryLine(Struct, frozen=True):
    """A recognised body line; `source` is the text as read, kept so it renders unchanged."""

    section: str
    entry: Entry
    source: str | None = None

    def render(self) -> str:
        return self.source if self.source is not None else render_entry(self.entry)


ENERGY_LOW, ENERGY_HIGH = 0, 10


def energy_level(text: str) -> int | None:
    """The number of an energy check-in (`~7`: what follows the ~), or None when it is not one: a whole number
    0-10 and nothing else, so "~20 people came" stays a note."""
    words = text.strip()
    if words.isascii() and words.isdigit() and ENERGY_LOW <= int(words) <= ENERGY_HIGH:
        return int(words)
    return None


class Energy(Struct, frozen=True):
    """The client's energy, 0-10 in their own number, as they said it at the start and at the end of a session
    (front matter `energy = { start = 6, end = 8 }`); None where it was not asked. Off unless the coach asks."""

    start: int | None = None
    end: int | None = None

    @staticmethod
    def part(stamp: float, planned_seconds: float) -> str:
        """Which check-in a number said at `stamp` is: the start's in the first half of the planned time, else the end's."""
        return "start" if stamp < planned_seconds / 2 else "end"

    def said(self, level: int, stamp: float, planned_seconds: float) -> Energy:
        """This check-in added, as the start's or the end's (see `part`); said again, it replaces the one
        before (a number misheard is typed again, not edited in the file)."""
        return replace(self, **{Energy.part(stamp, planned_seconds): level})

    def front(self) -> dict[str, int] | None:
        """As the front matter holds it; None (the key removed) when neither was said."""
        kept = {key: value for key, value in (("start", self.start), ("end", self.end)) if value is not None}
        return kept or None


class SessionInfo(Struct, frozen=True):
    """The front matter sessionpal reads; other keys a person adds are kept in the text."""

    client: str
    started: datetime | None
    ended: datetime | None
    planned_minutes: int
    elapsed_seconds: float
    timer: str
    saved: datetime | None
    model: str
    questions: tuple[str, ...]
    goals: tuple[str, ...]
    agreement: str = ""  # what the client wants from this session
    pro_bono: bool | None = None  # this session's own pro bono flag (None: the client's)
    ratings: dict[str, int] = field(default_factory=dict)  # goal id -> progress 1-10 this session
    focus_areas: tuple[str, ...] = ()  # for clients working without goals
    energy: Energy = Energy()  # the client's own check-ins, ~7 at the start and the end

    @property
    def is_finished(self) -> bool:
        return self.timer == "ended"


FRONT_KEYS = (
    "client",
    "started",
    "ended",
    "planned_minutes",
    "elapsed_seconds",
    "timer",
    "saved",
    "model",
    "questions",
    "goals",
    "agreement",
    "ratings",
    "focus_areas",
    "pro_bono",
    "energy",
)


def check_front(path: Path | str, front_text: str, data: dict[str, Any]) -> SessionInfo:
    check = Checker(path, front_text, line_offset=1)
    client = check.text(data, "client", (), required=True, blank_ok=False)
    started = check.moment(data, "started", ())
    ended = check.moment(data, "ended", ())
    saved = check.moment(data, "saved", ())
    planned = check.integer(data, "planned_minutes", (), low=1, high=24 * 60)
    elapsed = check.number(data, "elapsed_seconds", (), low=0, high=10 * 365 * 86400)
    timer = check.choice(data, "timer", (), TIMER_STATES, "timer state")
    model = check.text(data, "model", ()) or ""
    questions = check.text_list(data, "questions", ())
    goals = check.text_list(data, "goals", ())
    agreement = check.text(data, "agreement", ()) or ""
    pro_bono = check.boolean(data, "pro_bono", ())
    focus_areas = check.text_list(data, "focus_areas", ())
    ratings: dict[str, int] = {}
    for goal_id in check.table(data, "ratings", ()) or {}:
        rating = check.integer(data["ratings"], goal_id, ("ratings",), low=1, high=10)
        if rating is not None:
            ratings[goal_id] = rating
    energy = Energy()
    said = check.table(data, "energy", ())
    if said is not None:
        check.unknown_keys(said, ("start", "end"), ("energy",), "energy check-in")
        start = check.integer(said, "start", ("energy",), low=ENERGY_LOW, high=ENERGY_HIGH)
        end = check.integer(said, "end", ("energy",), low=ENERGY_LOW, high=ENERGY_HIGH)
        energy = Energy(start, end)
    check.raise_if_any()
    return SessionInfo(
        client=client or "",
        started=started,
        ended=ended,
        planned_minutes=planned or 60,
        elapsed_seconds=float(elapsed or 0),
        timer=timer or ("ended" if ended else "paused"),
        saved=saved,
        model=model,
        questions=questions,
        goals=goals,
        agreement=agreement,
        pro_bono=pro_bono,
        ratings=ratings,
        focus_areas=focus_areas,
        energy=energy,
    )


class SessionDocument:
    """A parsed session file that renders back to the same text, plus the edits the app makes."""

    def __init__(
        self,
        path: Path,
        front_text: str,
        front: dict[str, Any],
        info: SessionInfo,
        body: list[str | EntryLine],
        fences: tuple[str, str] = (FENCE, FENCE),
        newline: str = "\n",
    ):
        self.path = path
        self.front_text = front_text  # the TOML between the fences, each line ending in \n
        self.front = front
        self.info = info
        self.body = body  # every line after the closing fence
        self.fences = fences
        self.newline = newline
        self.fingerprint: tuple[int, int, int] | None = None  # (mtime_ns, size, inode) of the file as last read or written

    def copy(self) -> SessionDocument:
        """A copy to change: lines are immutable, so copying the list is enough."""
        twin = SessionDocument(self.path, self.front_text, self.front, self.info, list(self.body), self.fences, self.newline)
        twin.fingerprint = self.fingerprint
        return twin

    # reading ---------------------------------------------------------------

    @classmethod
    def parse(cls, path: Path, text: str) -> SessionDocument:
        newline = "\r\n" if "\r\n" in text else "\n"
        lines = text.replace("\r\n", "\n").split("\n")
        if lines[0].rstrip(" \t") != FENCE:
            raise problem(path, f"a session file starts with a line holding only {FENCE} (the front matter)")
        try:
            close = next(i for i in range(1, len(lines)) if lines[i].rstrip(" \t") == FENCE)
        except StopIteration:
            raise problem(path, f"the front matter is never closed: add a line holding only {FENCE}", len(lines), 1) from None
        front_text = "".join(line + "\n" for line in lines[1:close])
        front, info = _read_front(path, front_text)
        body: list[str | EntryLine] = []
        section = ""
        for number, line in enumerate(lines[close + 1 :], start=close + 2):
            if _is_section_break(line):
                title = _HEADING_RE.match(line).group(2).strip().casefold()  # type: ignore[union-attr]
                section = title if title in SECTION_TITLES else ""
                body.append(line)
                continue
            if section:
                _check_stamp(path, number, line)
            entry = parse_entry(section, line) if section else None
            body.append(EntryLine(section, entry, line) if entry is not None else line)
        return cls(path, front_text, front, info, body, (lines[0], lines[close]), newline)

    def render(self) -> str:
        lines = [self.fences[0], *self.front_text.split("\n")[:-1], self.fences[1]]
        for index, item in enumerate(self.body):
            if isinstance(item, EntryLine):
                source = item.source
                if source is None:
                    # Remember the rendering, so a long session is not re-rendered on every save.
                    source = item.render()
                    self.body[index] = replace(item, source=source)
                lines.append(source)
            else:
                lines.append(item)
        return self.newline.join(lines)

    def entries(self, section: str | None = None) -> Iterator[tuple[int, EntryLine]]:
        for index, item in enumerate(self.body):
            if isinstance(item, EntryLine) and (section is None or item.section == section):
                yield index, item

    @property
    def notes(self) -> list[Note]:
        return [item.entry for _, item in self.entries(NOTES)]  # type: ignore[misc]

    @property
    def asked(self) -> list[AskedQuestion]:
        return [item.entry for _, item in self.entries(ASKED)]  # type: ignore[misc]

    @property
    def actions(self) -> list[Action]:
        return [item.entry for _, item in self.entries(ACTIONS)]  # type: ignore[misc]

    @property
    def resume_seconds(self) -> float:
        """Where the timer of an unfinished session goes on from: the time it last saved, and never before the
        stamp of a line already written (a kill can come after a note and before the timer's next save)."""
        stamps = [float(stamp) for _, item in self.entries() if (stamp := getattr(item.entry, "stamp", None)) is not None]
        return max([self.info.elapsed_seconds, *stamps])

    # editing ---------------------------------------------------------------

    def set_front(self, **values: Any) -> None:
        """Change front matter keys through tomlkit, keeping comments and unknown keys; None removes."""
        import tomlkit

        document = tomlkit.parse(self.front_text)
        for key, value in values.items():
            if value is None:
                if key in document:
                    del document[key]
            elif isinstance(value, dict):
                from .tomledit import snippet_inline

                document[key] = snippet_inline(value)
            else:
                document[key] = list(value) if isinstance(value, tuple) else value
        text = tomlkit.dumps(document)
        if text and not text.endswith("\n"):
            text += "\n"
        data = parse_toml(self.path, text)  # re-parse what tomlkit wrote before trusting it
        self.info = check_front(self.path, text, data)
        self.front_text, self.front = text, data

    def _section_bounds(self, section: str) -> tuple[int, int] | None:
        """(heading index, index after the section's last line) in `body`."""
        start = None
        for index, item in enumerate(self.body):
            if isinstance(item, str) and _is_section_break(item):
                if start is not None:
                    return start, index
                if _HEADING_RE.match(item).group(2).strip().casefold() == section:  # type: ignore[union-attr]
                    start = index
        return (start, len(self.body)) if start is not None else None

    def _ensure_section(self, section: str) -> tuple[int, int]:
        bounds = self._section_bounds(section)
        if bounds is not None:
            return bounds
        # A missing section goes before the known sections that follow it, else at the end.
        insert_at = len(self.body) - 1 if self.body and self.body[-1] == "" else len(self.body)
        for later in SECTION_ORDER[SECTION_ORDER.index(section) + 1 :]:
            later_bounds = self._section_bounds(later)
            if later_bounds is not None:
                insert_at = later_bounds[0]
                break
        block: list[str | EntryLine] = [f"## {SECTION_TITLES[section]}", ""]
        if insert_at == 0 or self.body[insert_at - 1] != "":
            block.insert(0, "")
        self.body[insert_at:insert_at] = block
        return self._section_bounds(section)  # type: ignore[return-value]

    def add(self, section: str, entry: Entry) -> int:
        """Insert an entry after the last one of its section; return its index in `body`."""
        start, end = self._ensure_section(section)
        line = EntryLine(section, _shown(entry))
        # The section's last entry, looked for from its end: a note goes in after the one before it, and a long
        # session's notes are not walked through on every save.
        last = next((i for i in range(end - 1, start, -1) if isinstance(item := self.body[i], EntryLine) and item.section == section), None)
        if last is not None:
            at = last + 1
            self.body.insert(at, line)
        else:
            # The first entry goes after whatever the section already holds, a blank line before it.
            content_end = max((i for i in range(start, end) if self.body[i] != ""), default=start)
            at = content_end + 2
            self.body[content_end + 1 : content_end + 1] = ["", line]
        following = self.body[at + 1] if at + 1 < len(self.body) else None
        if following is None or (following != "" and not isinstance(following, EntryLine)):
            self.body.insert(at + 1, "")
        return at

    def add_note(self, note: Note) -> int:
        """File a typed note by kind; the agreement goes to the front matter (returns -1 then)."""
        if note.kind is NoteKind.AGREEMENT:
            self.set_front(agreement=note.text)
            return -1
        if note.kind is NoteKind.ENERGY:
            level = energy_level(note.text)
            if level is not None:  # parse_typed gives ENERGY only for a number 0-10
                self.set_front(energy=self.info.energy.said(level, note.stamp, self.info.planned_minutes * 60).front())
            return -1
        if note.kind is NoteKind.ACTION:
            today = self.info.started.date() if self.info.started else date.today()
            text, due = due_from_text(note.text, today)
            return self.add(ACTIONS, Action(text, note.stamp, due=due))
        return self.add(NOTES, note)

    def _checked(self, index: int, expected: Entry) -> EntryLine:
        item = self.body[index] if 0 <= index < len(self.body) else None
        if not isinstance(item, EntryLine) or item.entry != expected:
            raise LookupError("that line changed in the file since it was read")
        return item

    def replace_entry(self, index: int, expected: Entry, new: Entry) -> None:
        """Replace the entry at `index`, which must still be `expected`."""
        self.body[index] = replace(self._checked(index, expected), entry=_shown(new), source=None)

    def delete_entry(self, index: int, expected: Entry) -> None:
        self._checked(index, expected)
        del self.body[index]

    def find_entry(self, section: str, entry: Entry, near: int | None = None) -> int | None:
        """Index of an equal entry in `section`, preferring the one closest to `near`."""
        matches = [i for i, item in self.entries(section) if item.entry == entry]
        if not matches:
            return None
        return matches[0] if near is None else min(matches, key=lambda i: abs(i - near))


_LONG_STAMP = re.compile(r"^- (?:\[[ xX-]\] )?\[(\d{5,}):")


def _check_stamp(path: Path, number: int, line: str) -> None:
    """A note's time with five or more digits of hours is no time a session had (it once overflowed the
    search index): the file is reported, as any broken file is, and left as it is."""
    found = _LONG_STAMP.match(line)
    if found:
        hours = found.group(1)
        shown = hours if len(hours) <= 12 else hours[:12] + "…"
        raise problem(path, f"the time [{shown}:…] is out of range: a note's time has at most 4 digits of hours", number, found.start(1) + 1)


def _read_front(path: Path, front_text: str) -> tuple[dict[str, Any], SessionInfo]:
    """The front matter's TOML, checked: what parse and scan_session both read, with the same problems."""
    try:
        front = parse_toml(path, front_text)
    except FileProblems as error:
        found = error.problems[0]  # its line within the front matter; the file has the +++ line above
        raise FileProblems([Problem(found.path, found.line + 1, found.col, found.message)]) from None
    return front, check_front(path, front_text, front)


def _is_section_break(line: str) -> bool:
    """A level 1 or 2 heading ends a section; deeper headings stay inside it."""
    heading = _HEADING_RE.match(line)
    return bool(heading) and len(heading.group(1)) <= 2  # type: ignore[union-attr]


def read_front_matter(path: Path, head: int | None = None) -> dict[str, Any]:
    """A session file's front matter alone, without reading its body into a document; {} when it has
    none that parses. `head`: read at most that many bytes (a front matter past them counts as none)."""
    try:
        text = read_user_bytes(path, limit=head, links=False).decode("utf-8", "replace")
    except FileProblems:
        return {}
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE:
        return {}
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        return {}
    try:
        return parse_toml(path, "\n".join(lines[1:end]))
    except FileProblems:
        return {}


# --- reading for the search index: the same file, without a document to edit ---------------------------------


def _after_newline(pattern: str) -> re.Pattern[str]:
    """A line's pattern (`^...$`) as one that starts with the newline before the line: searched over a whole
    section at once, a literal first character is found by a fast scan, where `^` is tried at every character."""
    return re.compile("\n" + pattern.removeprefix("^"), re.MULTILINE)


_FENCE_LINE = re.compile(r"^\+\+\+[ \t]*$", re.MULTILINE)
_BREAK_LINE = _after_newline(r"^#{1,2}[ \t]+(.*?)[ \t#]*$")  # a level 1 or 2 heading, as _is_section_break
_SECTION_LINES = {NOTES: _after_newline(_NOTE_RE.pattern), ASKED: _after_newline(_ASKED_RE.pattern), ACTIONS: _after_newline(_ACTION_RE.pattern)}
_LONG_STAMP_LINE = _after_newline(_LONG_STAMP.pattern)
_KIND_TEXT = {kind: kind.value for kind in NoteKind}
_MARKED = ("\\", "*", '"')  # the first characters of every note label, the escape and a quote


class SessionText(Struct, frozen=True):
    """A session file as the search index reads it: the front matter, and every entry as plain values in file
    order. What SessionDocument.parse would read, with the same problems, at a fraction of its cost: one
    regular-expression pass per section instead of a Python step per line (a first index build reads every file)."""

    info: SessionInfo
    notes: int
    asked: int
    lines: list[tuple[int | None, str, str]]  # stamp, kind, text: a note (its kind), "asked" or "action"
    actions: list[tuple[int | None, ActionState, str, date | None]]  # stamp, state, text, due


def scan_session(path: Path, text: str) -> SessionText:
    """Read a session file's text as SessionDocument.parse does (raising the same FileProblems), keeping only
    its front matter and entries."""
    text = text.replace("\r\n", "\n")
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip(" \t") != FENCE:
        raise problem(path, f"a session file starts with a line holding only {FENCE} (the front matter)")
    close = _FENCE_LINE.search(text, first_end + 1) if first_end >= 0 else None
    if close is None:
        raise problem(path, f"the front matter is never closed: add a line holding only {FENCE}", text.count("\n") + 1, 1)
    _, info = _read_front(path, text[first_end + 1 : close.start()])
    # The body: from the newline that ends the closing fence's line (every pattern below starts with one).
    body = close.end()
    body_line = text.count("\n", 0, close.start()) + 2  # as SessionDocument.parse numbers the body's first line
    # Each level 1 or 2 heading starts a section; what comes before the first and in others is no entry's.
    headings = list(_BREAK_LINE.finditer(text, body))
    lines: list[tuple[int | None, str, str]] = []
    actions: list[tuple[int | None, ActionState, str, date | None]] = []
    notes = asked = 0
    for number, heading in enumerate(headings):
        section = heading.group(1).strip().casefold()
        if section not in SECTION_TITLES:
            continue
        start, end = heading.end(), headings[number + 1].start() if number + 1 < len(headings) else len(text)
        long = _LONG_STAMP_LINE.search(text, start, end)
        if long is not None:
            line_start = long.start() + 1
            _check_stamp(path, body_line + text.count("\n", body + 1, line_start), text[line_start : long.end()])
        found = _SECTION_LINES[section].findall(text, start, end)
        # Nearly every section holds no control character: its lines are then shown as they are, with no
        # `visible` a line (a tenth of a first build's reading).
        shown = visible if CONTROL_BUT_LINE_FEED.search(text, start, end) else str
        if section == NOTES:
            for hours, minutes, seconds, rest in found:
                stamp = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
                rest = shown(rest)
                # Only a note starting with one of these is of another kind (or escaped): see parse_note_text.
                if rest[:1] in _MARKED:
                    kind, rest = parse_note_text(rest)
                    lines.append((stamp, _KIND_TEXT[kind], rest))
                else:
                    lines.append((stamp, "note", rest))
            notes += len(found)
        elif section == ASKED:
            lines += [(int(h) * 3600 + int(m) * 60 + int(s), "asked", shown(words)) for h, m, s, words, _ in found]
            asked += len(found)
        else:
            for box, hours, minutes, seconds, rest in found:
                state = ActionState.DONE if box in "xX" else ActionState(box)
                stamped = int(hours) * 3600 + int(minutes) * 60 + int(seconds) if hours else None
                words, due = split_due(rest)
                words = shown(words)
                lines.append((stamped, "action", words))
                actions.append((stamped, state, words, due))
    return SessionText(info, notes, asked, lines, actions)


def new_session_text(front: dict[str, Any]) -> str:
    """The text of a new session file: front matter, then the three empty sections."""
    import tomlkit

    document = tomlkit.document()
    for key, value in front.items():
        if value is not None:
            document[key] = list(value) if isinstance(value, tuple) else value
    lines = [FENCE, tomlkit.dumps(document).rstrip("\n"), FENCE, ""]
    for section in SECTION_ORDER:
        lines += [f"## {SECTION_TITLES[section]}", ""]
    return "\n".join(lines)
