"""The client list's memory of each client's folders, so that listing 2,000 clients costs a few stats each,
not a listing of their 100,000 session files.

For each client: its sessions/ folder as last listed (mtime, the newest session, the days held, the newest
session's timer) and the sync tools' copies in it and in the client's folder; and its card, what the list
shows of its client.toml (the name, the code, the calendar's names, the engagement), trusted while that
file's mtime, size and inode are as they were when it was read whole. Kept in the cache folder as
roster.json: derived data, rebuilt when missing, damaged or of another version, and only ever trusted
for a folder whose mtime has not moved (every write by sessionpal, a sync tool or most editors replaces a
file, which moves its folder's mtime) and whose newest session is as it was (an editor saving in place).
A folder changed within the last TRUSTED_AFTER_NS is listed again next time: its mtime could move again
without changing.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import asdict

from . import fsio
from .model import Client, ClientCard, Engagement, card_of
from .paths import Home, is_session_file_name, is_valid_slug, session_sort_key
from .problems import FileProblems, read_user_bytes
from .safe_text import visible
from .sync_copies import CONFLICT_COPY

VERSION = 4  # 2: cards; 3: days as ordinals; 4: a card stamped with the file's inode too
NAME = "roster.json"
TRUSTED_AFTER_NS = 2_000_000_000  # FAT's mtimes step by 2 s
CardStamp = tuple[int, int, int]  # client.toml's mtime (ns), size and inode: a file swapped in for another is not it
LAST_DAY = 3_652_059  # date.max.toordinal()
HEAD = 8192  # bytes read of the newest session to see its timer: its front matter comes first


class Folders(Struct):
    """What one client's folders held when last listed."""

    sessions_mtime: int = 0  # 0: not to be trusted (changed too recently); -1: missing
    client_mtime: int = 0
    last: str = ""  # the newest session file's name ("" when none)
    last_stamp: tuple[int, int] = (0, 0)  # its mtime and size, as read
    timer: str = ""  # its timer's state ("" when it has none)
    days: list[int] = field(default_factory=list)  # the days of its session files, sorted, as ordinals (date.toordinal)
    copies: list[str] = field(default_factory=list)  # conflict copies, relative to the client's folder ("sessions/…")


class Roster:
    def __init__(self, home: Home, keeps: bool = True) -> None:
        self.home = home
        self.keeps = keeps  # False: what it learns is not written (a process that only reads, see first_screen.py)
        self.path = home.cache_dir / NAME
        self._clients = os.fspath(home.clients_dir)  # strings, not Paths: pathlib was most of a 2,000-client look
        self.clients: dict[str, Folders] = {}
        self.cards: dict[str, tuple[CardStamp, ClientCard]] = {}  # slug -> (client.toml's mtime, size and inode; its card)
        self._read()
        self.changed = False
        self._looked: set[str] = set()  # looked at through this roster: one look each, however many asks

    def _read(self) -> None:
        try:
            data = json.loads(read_user_bytes(self.path))  # a regular file only: a FIFO here would wait forever
            if data.get("version") != VERSION:
                return
            clients = {slug: Folders(**{**facts, "last_stamp": tuple(facts["last_stamp"])}) for slug, facts in data["clients"].items()}
            cards = dict(data["cards"])
        except (OSError, FileProblems, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return  # missing or damaged: every folder is listed again, and the file written afresh
        # Names that came from disk are trusted only as names: a copy is a sync copy's name in the client's folder
        # or its sessions/, and the newest session a session file's name, never a path out of the folder.
        self.clients = {slug: facts for slug, facts in clients.items() if is_valid_slug(slug) and _plain(facts)}
        for slug, card in cards.items():
            read = _card(card) if is_valid_slug(slug) else None
            if read is not None:
                self.cards[slug] = read

    def card(self, slug: str, stamp: CardStamp) -> ClientCard | None:
        """The client's card, if its client.toml (`stamp`, as just seen) is the file it was made from, as it was."""
        known = self.cards.get(slug)
        return known[1] if known is not None and known[0] == stamp and stamp[0] else None

    def remember(self, slug: str, stamp: CardStamp, client: Client) -> ClientCard:
        """The card of a client just read whole, kept for next time: unless its file changed too recently to be
        sure (stamp taken before the read, so a change during it is seen next time)."""
        made = card_of(client)
        if stamp[0] and time.time_ns() - stamp[0] > TRUSTED_AFTER_NS and self.cards.get(slug) != (stamp, made):
            self.cards[slug] = (stamp, made)
            self.changed = True
        return made

    def folders(self, slug: str) -> Folders:
        """The client's folders as they are now: remembered if nothing moved, else listed (and remembered)."""
        if not is_valid_slug(slug):
            raise ValueError(f"not a client folder name: {slug!r}")  # one path component, never a way out
        if slug in self._looked:
            return self.clients[slug]
        self._looked.add(slug)
        client = os.path.join(self._clients, slug)
        sessions = os.path.join(client, "sessions")
        sessions_mtime, client_mtime = _mtime(sessions), _mtime(client)
        known = self.clients.get(slug)
        if (
            known is not None
            and known.sessions_mtime
            and known.client_mtime
            and (known.sessions_mtime, known.client_mtime) == (sessions_mtime, client_mtime)
            and _stamp(os.path.join(sessions, known.last) if known.last else None) == known.last_stamp
        ):
            return known
        facts = _list(sessions, client, sessions_mtime, client_mtime)
        self.clients[slug] = facts
        self.changed = True
        return facts

    def look_again(self) -> None:
        """Each folder is looked at again when next asked for (what was remembered is still the starting point)."""
        self._looked.clear()

    def keep_only(self, slugs: set[str]) -> None:
        """Forget clients no longer in the home (erased, renamed)."""
        gone = self.clients.keys() - slugs
        for slug in gone:
            del self.clients[slug]
        cards = self.cards.keys() - slugs
        for slug in cards:
            del self.cards[slug]
        self.changed = self.changed or bool(gone) or bool(cards)

    def save(self) -> None:
        """Written only when something changed; a cache folder that cannot be written costs the next list a listing."""
        if not self.changed or not self.keeps:
            return
        data: dict[str, Any] = {
            "version": VERSION,
            # Its fields as they are (numbers, names, lists of them), shallow: dataclasses.asdict copied each of
            # 100,000 days through its checks, 270 ms at 2,000 clients beside the list's first frame.
            "clients": {slug: asdict(facts) for slug, facts in self.clients.items()},
            "cards": {slug: _card_data(stamp, card) for slug, (stamp, card) in self.cards.items()},
        }
        try:
            fsio.ensure_dir(self.path.parent)
            fsio.atomic_write(self.path, json.dumps(data, separators=(",", ":")))
        except (OSError, fsio.WriteError):
            return
        self.changed = False


def _plain(facts: Folders) -> bool:
    """Whether a remembered entry is what this module writes: numbers, and plain names (see _read)."""

    def one_name(name: object) -> bool:
        return isinstance(name, str) and name not in ("", ".", "..") and not any(c in name for c in "/\\\0")

    try:
        numbers = all(isinstance(n, int) for n in (facts.sessions_mtime, facts.client_mtime, *facts.last_stamp)) and len(facts.last_stamp) == 2
        # Numbers, not ISO text: 100,000 days read and checked in a few milliseconds, not 60.
        days = isinstance(facts.days, list) and all(type(d) is int and 0 < d <= LAST_DAY for d in facts.days)
        copies = isinstance(facts.copies, list) and all(
            isinstance(c, str) and one_name(c.removeprefix("sessions/")) and CONFLICT_COPY.search(c) for c in facts.copies
        )
        last = facts.last == "" or (one_name(facts.last) and is_session_file_name(facts.last))
        return bool(numbers and days and copies and last and isinstance(facts.timer, str))
    except (TypeError, ValueError):
        return False


def _card_data(stamp: CardStamp, card: ClientCard) -> dict[str, Any]:
    e = card.engagement
    engagement = None if e is None else [e.sessions, *(d.isoformat() if d else None for d in (e.ends, e.next_session, e.started))]
    return {"stamp": list(stamp), "name": card.name, "code": card.code, "calendar_names": list(card.calendar_names), "engagement": engagement}


def _card(data: Any) -> tuple[CardStamp, ClientCard] | None:
    """A remembered card, if it is what _card_data writes; its texts shown through `visible`, as a client file's
    are (the cache folder is the coach's, but nothing read from disk may drive the terminal)."""

    def day(value: Any) -> date | None:
        return None if value is None else date.fromisoformat(value)

    try:
        stamp, name, code, aliases, engagement = data["stamp"], data["name"], data["code"], data["calendar_names"], data["engagement"]
        if not (len(stamp) == 3 and all(type(n) is int for n in stamp) and isinstance(name, str) and name and isinstance(code, str)):
            return None
        if not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
            return None
        agreed = None
        if engagement is not None:
            sessions, ends, next_session, started = engagement
            if not (sessions is None or (type(sessions) is int and 1 <= sessions <= 500)):  # as a client file allows
                return None
            agreed = Engagement(sessions, day(ends), day(next_session), day(started))
    except (TypeError, ValueError, KeyError):
        return None
    return (stamp[0], stamp[1], stamp[2]), ClientCard(visible(name, keep="\n"), visible(code, keep="\n"), tuple(visible(a, keep="\n") for a in aliases), agreed)


def _mtime(path: str) -> int:
    """The folder's mtime; -1 for a missing one (a client with no session yet is as sure as any), 0 for one
    changed so recently (or dated ahead) that it could change again without its mtime moving."""
    try:
        mtime = os.stat(path, follow_symlinks=False).st_mtime_ns
    except OSError:
        return -1
    return mtime if time.time_ns() - mtime > TRUSTED_AFTER_NS else 0


def _stamp(path: str | None) -> tuple[int, int]:
    if path is None:
        return (0, 0)
    try:
        stat = os.stat(path, follow_symlinks=False)
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def _list(sessions: str, client: str, sessions_mtime: int, client_mtime: int) -> Folders:
    names: list[str] = []
    copies: list[str] = []
    for folder, is_sessions in ((client, False), (sessions, True)):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if CONFLICT_COPY.search(entry.name):
                if entry.is_file():
                    copies.append(f"sessions/{entry.name}" if is_sessions else entry.name)
            elif is_sessions and is_session_file_name(entry.name):
                names.append(entry.name)
    last = max(names, key=session_sort_key, default="")
    timer = ""
    if last:
        from .sessionfile import read_front_matter  # not at the top: a warm search reads no session file

        state = read_front_matter(Path(sessions, last), head=HEAD).get("timer")
        timer = state if isinstance(state, str) else ""
    from .engagement import session_days

    days = [day.toordinal() for day in session_days(names)]
    return Folders(sessions_mtime, client_mtime, last, _stamp(os.path.join(sessions, last) if last else None), timer, days, sorted(copies))
