"""Clients: `clients/<slug>/client.toml` <-> Client.

Reading uses tomllib; every change goes through tomledit (tomlkit + the atomic
writer), so a coach's comments, layout and own keys survive. A client file that
does not parse is listed with its problems and never rewritten.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, MutableMapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field
from msgspec.structs import astuple

from . import fsio
from .model import GOAL_STATUSES, MOVES, Client, ClientCard, Engagement, Goal, GoalStatus, Move, StatusChange, card_of
from .paths import Home, fold_name, is_session_file_name, is_valid_slug, normalize_name, slugify
from .problems import FileProblems, Problem, close_matches, decode_utf8, parse_toml, read_user_bytes, read_user_text
from .safe_text import refuse_control, visible
from .saving import SaveFailed
from .schema import Checker
from .tomledit import edit_toml, toml_string
from .tomlpos import KeyPath

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

    from .roster import Roster

SESSION_MINUTES_RANGE = (5, 600)


class ClientNotFound(LookupError):
    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"no client called {query!r}{hint}")


class ClientEditError(SaveFailed):
    """A change the coach asked for that cannot be made (unknown goal, blank title...)."""


def _check_history(check: Checker, items: list[dict[str, Any]], where: KeyPath) -> tuple[StatusChange, ...]:
    changes = []
    for index, item in enumerate(items):
        at = where + ("history", index)
        day = check.stamp(item, "date", at, required=True)
        to = _status(check, item, "to", at, required=True)
        before = _status(check, item, "from", at)
        note = check.text(item, "note", at) or ""
        move_name = check.choice(item, "move", at, MOVES, "playbook move")
        move = Move(move_name) if move_name else None
        if day is not None and to is not None:
            changes.append(StatusChange(day, before, to, note, move))
    return tuple(changes)


def _status(check: Checker, table: dict[str, Any], key: str, where: KeyPath, required: bool = False) -> GoalStatus | None:
    value = check.choice(table, key, where, GOAL_STATUSES, "goal status", required=required)
    return GoalStatus(value) if value else None


def parse_client(path: Path, text: str, data: dict[str, Any], slug: str = "") -> Client:
    check = Checker(path, text)
    name = check.text(data, "name", (), required=True, blank_ok=False)
    minutes = check.integer(data, "session_minutes", (), low=SESSION_MINUTES_RANGE[0], high=SESSION_MINUTES_RANGE[1])
    created = check.day(data, "created", ())
    model = check.text(data, "model", ()) or ""
    values = check.text_list(data, "values", ())
    goals: list[Goal] = []
    seen: set[str] = set()
    for index, item in enumerate(check.table_list(data, "goals", ())):
        where: KeyPath = ("goals", index)
        gid = check.ident(item, "id", where)
        title = check.text(item, "title", where, required=True, blank_ok=False)
        status = _status(check, item, "status", where) or GoalStatus.ACTIVE
        history = _check_history(check, check.table_list(item, "history", where), where)
        # One value (value = "freedom", as files before several were possible) or several (values = [...]).
        one = check.text(item, "value", where) or ""
        goal_values = tuple(dict.fromkeys(v for v in (one.strip(), *(x.strip() for x in check.text_list(item, "values", where))) if v))
        goal_created = check.stamp(item, "created", where)
        target = check.day(item, "target", where)
        replaced_by = check.text(item, "replaced_by", where) or ""
        tags = check.text_list(item, "tags", where)
        if gid is not None:
            if gid in seen:
                check.add(where + ("id",), f"goal id '{gid}' is used twice")
            seen.add(gid)
        if gid and title:
            goals.append(Goal(gid, title.strip(), status, goal_values, goal_created, target, history, replaced_by, tags))
    no_goals = check.boolean(data, "no_goals", ())
    contact = check.text(data, "contact", ()) or ""
    code = check.text(data, "code", ()) or ""
    log_name = check.boolean(data, "log_name", ())
    pro_bono = check.boolean(data, "pro_bono", ())
    agreements = check.table(data, "agreements", ()) or {}
    agreed = check.text_list(agreements, "agreed", ("agreements",))
    ask_first = check.text_list(agreements, "ask_first", ("agreements",))
    engagement = None
    if "engagement" in data:
        table = check.table(data, "engagement", ()) or {}
        check.unknown_keys(table, ENGAGEMENT_KEYS, ("engagement",), "[engagement]")
        engagement = Engagement(
            check.integer(table, "sessions", ("engagement",), low=1, high=500),
            check.day(table, "ends", ("engagement",)),
            check.day(table, "next_session", ("engagement",)),
            check.day(table, "started", ("engagement",)),
        )
    aliases = check.text_list(data, "calendar_names", ())
    check.raise_if_any()
    return Client(
        slug=slug or path.parent.name,
        name=(name or "").strip(),
        path=path,
        session_minutes=minutes,
        values=values,
        goals=tuple(goals),
        model=model,
        created=created,
        no_goals=bool(no_goals),
        contact=contact.strip(),
        code=code.strip(),
        log_name=bool(log_name),
        pro_bono=bool(pro_bono),
        agreed=agreed,
        ask_first=ask_first,
        engagement=engagement,
        calendar_names=aliases,
    )


ENGAGEMENT_KEYS = ("sessions", "ends", "next_session", "started")


def load_client(path: Path, slug: str = "") -> Client:
    text = read_user_text(path)
    return parse_client(path, text, parse_toml(path, text), slug)


def _checker(slug: str) -> Callable[[Path, str, dict[str, Any]], Client]:
    def check(path: Path, text: str, data: dict[str, Any]) -> Client:
        return parse_client(path, text, data, slug)

    return check


class ClientEntry(Struct):
    """One folder under clients/: the client's card (what the list shows), or the problems that stop it loading.

    The whole client is read when first asked for (`client`: opening a session, the engagement form): a list of
    2,000 clients is drawn from cards the roster keeps, without parsing 2,000 files."""

    slug: str
    path: Path
    card: ClientCard | None  # None: client.toml cannot be read (the problems say why)
    problems: list[Problem] = field(default_factory=list)
    last_session: str = ""  # newest session file name, which sorts by date
    # The newest session was never ended: "unfinished" (the app was closed or killed mid-session, to be
    # resumed or closed on purpose), or "open elsewhere" (another sessionpal has the client open now).
    left_open: str = ""
    attention: str = ""  # the engagement nearly over, or longer than usual without a session (core/engagement.py)
    # The whole client, once read: kept with the entry (pickled with it from the first screen's reader), not
    # compared (see __eq__). Last, so that astuple(entry)[:-1] is everything else.
    read: Client | None = None

    def __eq__(self, other: object) -> bool:
        """Two entries of one card are equal whether or not either has read its whole client yet."""
        if not isinstance(other, ClientEntry):
            return NotImplemented
        return astuple(self)[:-1] == astuple(other)[:-1]

    @classmethod
    def of(cls, client: Client, last_session: str = "") -> ClientEntry:
        return cls(client.slug, client.path, card_of(client), [], last_session, read=client)

    @property
    def name(self) -> str:
        return self.card.name if self.card else self.slug

    @property
    def client(self) -> Client | None:
        """The whole client, read from its file the first time it is wanted; None if it cannot be read (then the
        entry says so from now on: its card goes, its problems come)."""
        if self.read is None and self.card is not None:
            try:
                self.read = load_client(self.path, self.slug)
            except FileProblems as error:
                self.card, self.problems = None, error.problems
        return self.read


def session_names(home: Home, slug: str) -> list[str]:
    try:
        return [e.name for e in os.scandir(home.sessions_dir(slug)) if is_session_file_name(e.name)]
    except OSError:
        return []


def last_session_name(home: Home, slug: str, names: list[str] | None = None) -> str:
    from .paths import session_sort_key

    return max(session_names(home, slug) if names is None else names, key=session_sort_key, default="")


FRONT_HEAD = 8192  # bytes read of a session to see its timer's state: its front matter comes first


def left_open(home: Home, slug: str, name: str, now: datetime | None = None) -> str:
    """Whether the client's session `name` was never ended ("unfinished"), or is under way in another
    sessionpal ("open elsewhere"); "" when it ended. Reads the file's front matter and, only for an
    unended one, the client's lock."""
    if not name:
        return ""
    from .sessionfile import read_front_matter  # not at the top: a warm search reads no session file

    timer = read_front_matter(home.sessions_dir(slug) / name, head=FRONT_HEAD).get("timer")
    return _left_open(home, slug, timer if isinstance(timer, str) else "", now)


def list_clients(home: Home, first: int | None = None, today: date | None = None, roster: Roster | None = None) -> list[ClientEntry]:
    """Every client folder, most recent session first, then by name; or just the `first` of them, reading only
    their client files (and those tied with the last of them): a long list's first screen, at once.

    What each client's sessions folder holds comes from the roster (core/roster.py): a few stats a client
    when nothing changed, so the list costs the same with ten sessions a client or a thousand. One `roster`
    shared by several calls (the first screen, then everyone) looks at each folder once; the call for everyone
    keeps what it learnt in roster.json."""
    from .roster import Roster

    entries: list[ClientEntry] = []
    try:
        folders = sorted((e for e in os.scandir(home.clients_dir) if e.is_dir(follow_symlinks=False)), key=lambda e: e.name)
    except OSError:
        return []
    roster = roster or Roster(home)
    found = []
    for folder in folders:
        slug = folder.name
        if not is_valid_slug(slug):
            continue  # not ours: a sync tool's conflict folder, a hidden folder, a stray name
        toml = os.path.join(folder.path, "client.toml")  # a string: a Path per folder cost more than the look
        try:
            seen = os.stat(toml)  # that it is there, and whether its card is still true (roster.card)
        except OSError:
            continue
        found.append((slug, toml, (seen.st_mtime_ns, seen.st_size, seen.st_ino), roster.folders(slug)))
    roster.keep_only({slug for slug, *_ in found})
    if first is not None and len(found) > first:
        found.sort(key=lambda item: item[3].last, reverse=True)
        cut = found[first - 1][3].last
        found = [item for item in found if item[3].last >= cut]
    from .engagement import attention

    day = today or date.today()
    for slug, toml, stamp, facts in found:
        path = Path(toml)
        card = roster.card(slug, stamp)
        client, problems = None, []
        if card is None:  # new or changed since last listed: read whole, and its card kept for next time
            try:
                client = load_client(path, slug)
                card = roster.remember(slug, stamp, client)
            except FileProblems as error:
                problems = error.problems
        heed = attention(card.engagement, [date.fromordinal(d) for d in facts.days], day) if card is not None else ""
        entries.append(ClientEntry(slug, path, card, problems, facts.last, _left_open(home, slug, facts.timer), heed, read=client))
    if first is None:
        # Kept once the whole list is read: the first screen's call (which shares its roster with the whole
        # list's) waited on writing every client's memory (1.4 MB at 2,000 clients) whenever one folder moved.
        roster.save()
    entries.sort(key=lambda e: normalize_name(e.name))
    entries.sort(key=lambda e: e.last_session, reverse=True)
    return entries[:first] if first is not None else entries


def _left_open(home: Home, slug: str, timer: str, now: datetime | None = None) -> str:
    """left_open, from the newest session's timer state ("" for none): the lock is read only for an unended one."""
    if timer in ("", "ended"):
        return ""
    from .lock import is_free

    return "unfinished" if is_free(home, slug, now or datetime.now(UTC)) else "open elsewhere"


def clients_fingerprint(home: Home) -> tuple[int, ...]:
    """What the client list depends on, cheaply: the mtimes of clients/, each client.toml and sessions/ folder.

    A client added or erased changes clients/; an edit to client.toml (in place or by a rename) changes its
    mtime; a new session changes sessions/. Two stats per client, no file read: polled to notice another
    terminal, a script or a sync tool changing the practice.
    """
    stamps: list[int] = []
    try:
        stamps.append(home.clients_dir.stat().st_mtime_ns)
        folders = sorted(e.path for e in os.scandir(home.clients_dir) if e.is_dir(follow_symlinks=False))
    except OSError:
        return tuple(stamps)
    for folder in folders:
        for path in (os.path.join(folder, "client.toml"), os.path.join(folder, "sessions")):
            try:
                stamps.append(os.stat(path, follow_symlinks=False).st_mtime_ns)
            except OSError:
                stamps.append(0)
    return tuple(stamps)


def find_client(home: Home, query: str, entries: list[ClientEntry] | None = None) -> ClientEntry:
    """A client by display name or slug, case-insensitively; ClientNotFound lists close matches."""
    if entries is None:
        direct = _client_at_slug(home, query)
        if direct is not None:
            return direct
        entries = list_clients(home)
    wanted = normalize_name(query)
    for entry in entries:
        if entry.client and normalize_name(entry.client.name) == wanted:
            return entry
    slug = query.strip().casefold()
    for entry in entries:
        if entry.slug == slug or entry.slug == slugify(query):
            return entry
    # Typos of a name (accents aside), then names that contain what was typed.
    by_fold = {fold_name(e.name): e.name for e in entries}
    wanted_fold = fold_name(query)
    suggestions = [by_fold[m] for m in close_matches(wanted_fold, list(by_fold))]
    suggestions += [n for f, n in by_fold.items() if wanted_fold and wanted_fold in f and n not in suggestions]
    raise ClientNotFound(query, suggestions[:5])


def _client_at_slug(home: Home, query: str) -> ClientEntry | None:
    """The client whose folder the query names (or its name's slug): found without reading every client,
    which on a practice of hundreds is most of the time `sessionpal --client NAME` takes to start."""
    wanted = normalize_name(query)
    for slug in dict.fromkeys((query.strip().casefold(), slugify(query))):
        if not is_valid_slug(slug):
            continue
        path = home.client_file(slug)
        try:
            client = load_client(path, slug)
        except FileProblems:
            continue  # missing or broken: the full search below lists it properly
        if slug == query.strip().casefold() or normalize_name(client.name) == wanted:
            return ClientEntry.of(client, last_session_name(home, slug))
    return None


def client_file_text(name: str, session_minutes: int | None, today: date, code: str = "") -> str:
    lines = [
        "# sessionpal client file. Edit freely: the app keeps your comments, layout and any keys of your own.",
        f"name = {toml_string(name)}",
        f"created = {today.isoformat()}",
    ]
    if code:
        lines.append(f"code = {toml_string(code)}   # the folder and exports use this code, never the name")
    if session_minutes is not None:
        lines.append(f"session_minutes = {session_minutes}")
    lines += [
        "# The client's values, in their own words.",
        "values = []",
        "",
        "# Goals are the client's own; add them from the session screen or by hand:",
        "# [[goals]]",
        '# id = "run-a-half"',
        '# title = "Run a half marathon"',
        '# status = "active"   # active, on-track, at-risk, stalled, achieved, changed, paused, dropped',
        "",
    ]
    return "\n".join(lines)


def new_code() -> str:
    import secrets  # here: with hashlib and hmac, 4 ms of every start that makes no coded client

    return "C-" + secrets.token_hex(3).upper()


def create_client(home: Home, name: str, session_minutes: int | None = None, today: date | None = None, *, coded: bool = False) -> Client:
    """Create a client folder and client.toml; the slug gets -2, -3... if taken.

    `coded`: the folder is named for a random code (C-1A2B3C) kept in client.toml, so the
    name is written only inside that file, never in a path or an export's file name.
    """
    name = " ".join(unicodedata.normalize("NFC", name).split())  # pasted line breaks and tabs become spaces
    refuse_control(name, "a client's name", ClientEditError)
    if not name:
        raise ClientEditError("a client needs a name")
    if len(name) > 200:
        raise ClientEditError("that name is too long (200 characters at most)")
    if session_minutes is not None and not SESSION_MINUTES_RANGE[0] <= session_minutes <= SESSION_MINUTES_RANGE[1]:
        raise ClientEditError(f"session length must be {SESSION_MINUTES_RANGE[0]} to {SESSION_MINUTES_RANGE[1]} minutes")
    today = today or date.today()
    base = slugify(name)
    text = client_file_text(name, session_minutes, today)
    for n in range(1, 1000):
        slug = base if n == 1 else f"{base}-{n}"
        if coded:
            code = new_code()
            slug, text = code.lower(), client_file_text(name, session_minutes, today, code)
        folder = home.client_dir(slug)
        if not fsio.create_dir(folder):
            continue  # another client (or a leftover folder) has this name: never share it
        if fsio.create_new(folder / "client.toml", text):
            return load_client(folder / "client.toml", slug)
    raise ClientEditError("too many clients share this name")


def edit_client(home: Home, slug: str, edit: Callable[[TOMLDocument], object]) -> Client:
    """Apply a tomlkit edit to a client's file (checked before and after) and return the client as saved."""
    path = home.client_file(slug)
    edit_toml(path, edit, _checker(slug), versions=home)
    return load_client(path, slug)


def _set_list(document: MutableMapping[str, Any], key: str, items: list[str]) -> None:
    if items:
        document[key] = items
    elif key in document:
        del document[key]


def set_values(home: Home, slug: str, values: list[str]) -> Client:
    """The client's values, in their own words and in their order."""
    cleaned = _unique(values)
    return edit_client(home, slug, lambda document: document.__setitem__("values", cleaned))


def set_model(home: Home, slug: str, model_id: str) -> Client:
    """The client's default session model."""
    return edit_client(home, slug, lambda document: document.__setitem__("model", model_id))


def set_agreements(home: Home, slug: str, agreed: list[str], ask_first: list[str]) -> Client:
    """Areas the client agreed to be coached on, and areas to ask about first."""
    import tomlkit

    def edit(document: TOMLDocument) -> None:
        table = document.get("agreements")
        if table is None:
            table = tomlkit.table()
            document.append("agreements", table)
        _set_list(table, "agreed", _unique(agreed))
        _set_list(table, "ask_first", _unique(ask_first))

    return edit_client(home, slug, edit)


def set_engagement(home: Home, slug: str, engagement: Engagement | None, today: date | None = None) -> Client:
    """The engagement in client.toml's [engagement] table (None, or nothing in it: the table goes). One set
    without a start date starts `today`: the sessions held before it are not its own."""
    import tomlkit

    if engagement is not None and engagement.sessions is not None and not 1 <= engagement.sessions <= 500:
        raise ClientEditError("sessions agreed: a number from 1 to 500")

    def edit(document: TOMLDocument) -> None:
        values = {} if engagement is None else {"sessions": engagement.sessions, "ends": engagement.ends, "next_session": engagement.next_session}
        values = {k: v for k, v in values.items() if v is not None}
        if values and engagement is not None:
            values["started"] = engagement.started or today or date.today()
        if not values:
            document.pop("engagement", None)
            return
        table = document.get("engagement")
        if table is None:
            table = tomlkit.table()
            document.append("engagement", table)
        for key in ENGAGEMENT_KEYS:
            if key in values:
                table[key] = values[key]
            elif key in table:
                del table[key]

    return edit_client(home, slug, edit)


def _unique(items: list[str]) -> list[str]:
    refuse_control([" ".join(item.split()) for item in items], "a value or area", ClientEditError)
    seen, out = set(), []
    for item in items:
        item = " ".join(item.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


def client_code(client: Client) -> str:
    """The client's code (theirs, or one made from their folder name that does not reveal it): how the ICF
    log names a client who has not agreed to be named, and what `sessionpal clients` maps back to them."""
    import hashlib

    return client.code or "C-" + hashlib.sha256(client.slug.encode("utf-8")).hexdigest()[:6].upper()


CALENDAR_NAME_MAX = 200


def calendar_names(path: Path) -> tuple[str, ...]:
    """The other names the coach's calendar gives a client (client.toml's `calendar_names`), by which
    core/calendar.py places an event that names none of their name, folder or code.

    Read apart from load_client, which checks them (Client has no field for them): the file is parsed
    again only when it holds the key, so placing a day's calls costs one small read per client."""
    try:
        raw = read_user_bytes(path)
    except FileProblems:
        return ()
    if b"calendar_names" not in raw:
        return ()
    try:
        data = parse_toml(path, decode_utf8(path, raw))
    except FileProblems:
        return ()
    names = data.get("calendar_names")
    if not isinstance(names, list):
        return ()
    return tuple(visible(" ".join(n.split())) for n in names if isinstance(n, str) and n.strip())


def add_calendar_name(home: Home, slug: str, name: str) -> Client:
    """Remember `name` (an event's title, say) as one of the client's calendar names: events that carry it
    are theirs from now on. Kept in client.toml's `calendar_names`, as a coach would write it by hand."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    refuse_control(name, "a calendar name", ClientEditError)
    if not name:
        raise ClientEditError("a calendar name cannot be blank")
    if len(name) > CALENDAR_NAME_MAX:
        raise ClientEditError(f"that calendar name is too long ({CALENDAR_NAME_MAX} characters at most)")

    def edit(document: TOMLDocument) -> None:
        names = document["calendar_names"]
        if not isinstance(names, list):
            raise ClientEditError('calendar_names in client.toml must be a list, like ["Ana weekly"]; it was left as it is')
        if fold_name(name) not in {fold_name(str(n)) for n in names}:
            names.append(name)

    path = home.client_file(slug)
    # top_level: a new list goes above the tables, and above the template's commented `# [[goals]]`.
    edit_toml(path, edit, _checker(slug), versions=home, top_level="calendar_names")
    return load_client(path, slug)
