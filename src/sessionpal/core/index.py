"""The search index: every session's notes in SQLite FTS5, in the cache folder.

Derived data only. Session files stay the source of truth: the index is brought
up to date from their mtimes and sizes (only changed files are read again),
rebuilt from scratch when it is missing, from an older version or corrupt, and
can be deleted at any time. It holds note text, so it is created 0600 in a 0700
folder, like everything else of the coach's.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from . import fsio
from .index_types import Hit, OpenAction, Refresh, SearchQuery, SessionRow
from .model import Action, ActionState, AskedQuestion, Note
from .paths import Home, is_session_file_name, is_valid_slug, session_sort_key
from .problems import FileProblems
from .sessionfile import SessionDocument
from .sessions import read_session
from .spaceless import TOKENIZER, has_spaceless, mark, spaced

SCHEMA_VERSION = 8
HOME_NOTE = "home.txt"  # in each index's folder: the real path of the home it indexes (for erase)
T = TypeVar("T")
BATCH = 200  # files per transaction while indexing
# Line numbers within a session's block of rowids: more than a 16 MB session file can hold (a line is at
# least 8 bytes), so every line is searchable; rowids stay far below SQLite's 2**63 until the year 9999.
LINES_PER_SESSION = 1 << 21

# Lines live in `notes`; `lines` is an FTS5 index over them, kept in step by _index_file and _forget
# (not by triggers: row-by-row triggers made a full build four times slower). Each session owns a block
# of LINES_PER_SESSION rowids starting at its files.first_line, so a line finds its file by arithmetic
# and `notes` needs no path column or index (they were two thirds of the index's size). The block's
# start encodes when the session started (see _base_rowid), so FTS5's own rowid order is newest first
# and a search with LIMIT stops early instead of sorting every match.
SCHEMA = f"""
CREATE TABLE files (
    path TEXT PRIMARY KEY, client TEXT NOT NULL, name TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
    started TEXT, elapsed INTEGER, planned INTEGER, notes INTEGER, asked INTEGER,
    open_actions INTEGER, goals TEXT, agreement TEXT, finished INTEGER, problem TEXT, first_line INTEGER,
    ratings TEXT  -- JSON: goal id -> 1..10
);
CREATE INDEX files_client ON files (client, started);
CREATE UNIQUE INDEX files_first_line ON files (first_line);
CREATE TABLE actions (
    path TEXT NOT NULL, client TEXT NOT NULL, started TEXT, stamp INTEGER, state TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX actions_client ON actions (client, state);
CREATE INDEX actions_path ON actions (path);
CREATE TABLE notes (id INTEGER PRIMARY KEY, stamp INTEGER, kind TEXT, text TEXT NOT NULL);
CREATE VIRTUAL TABLE lines USING fts5(text, content = 'notes', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE spaceless USING fts5(text, tokenize = "{TOKENIZER}");  -- lines in scripts without spaces, see core/spaceless.py
"""


class IndexUnavailable(Exception):
    def __init__(self, path: Path, error: Exception):
        self.path = path
        super().__init__(
            f"The search index {path} cannot be used ({error}). It is derived data: delete it and it is built again; your session files are untouched."
        )


def session_files(home: Home, client: str | None = None) -> Iterator[tuple[str, Path]]:
    """(client slug, path) of every session file, clients and files in name order; leftovers skipped."""
    try:
        folders = sorted(e.name for e in os.scandir(home.clients_dir) if e.is_dir(follow_symlinks=False))
    except OSError:
        return
    for slug in folders:
        if not is_valid_slug(slug) or (client is not None and slug != client):
            continue
        try:
            names = [e.name for e in os.scandir(home.sessions_dir(slug)) if is_session_file_name(e.name)]
        except OSError:
            continue
        for name in sorted(names, key=session_sort_key):
            yield slug, home.sessions_dir(slug) / name


def damaged(error: BaseException | None) -> bool:
    """An SQLite error that says the index file is damaged or half made (not: locked, read-only, disk full)."""
    if isinstance(error, sqlite3.IntegrityError):
        return True  # UNIQUE constraint failed: rows left by a write that was cut short
    if isinstance(error, sqlite3.OperationalError):
        return any(word in str(error) for word in ("malformed", "no such table", "no such column", "already exists", "corrupt"))
    return isinstance(error, sqlite3.DatabaseError)  # "file is not a database", "database disk image is malformed"


def _healing(method: Callable[..., T]) -> Callable[..., T]:
    """Run an index method; if the index turns out damaged, build it again from the session files and run it
    once more. The index is derived data: damage is never the coach's problem, only a one-line notice."""

    @functools.wraps(method)
    def run(self: SearchIndex, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except IndexUnavailable as error:
            if not damaged(error.__cause__):
                raise
            with fsio.exclusive(self.path):
                self.delete()
            self.rebuilt = f"The search index was damaged ({error.__cause__}); it is being built again from your session files, which are untouched."
            if method.__name__ != "refresh":
                self.refresh()
            return method(self, *args, **kwargs)

    return run


class SearchIndex:
    def __init__(self, home: Home):
        self.home = home
        self.path = home.cache_dir / "index.sqlite3"
        self.rebuilt = ""  # set when damage was found and the index built again: what to tell the coach

    # opening ----------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        fsio.ensure_dir(self.path.parent)
        if not self.path.exists():
            fsio.atomic_write(self.path, b"")  # SQLite takes an empty file as a new database, and keeps its 0600
        connection = sqlite3.connect(self.path, timeout=60)  # another process's build: wait for it
        # A write-ahead log: a process killed mid-write leaves the index whole (the log's unfinished part is
        # dropped at the next open). Derived data, so no fsync: after a power cut, damage is found and healed.
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = OFF")
        return connection

    def connect(self) -> sqlite3.Connection:
        """An open, current index; a corrupt one or one of an older version is thrown away and started afresh.

        Making it happens under the cache folder's lock, so two processes starting on an empty cache
        (say, after an erase) build one index, not two halves of one."""
        connection = self._current()
        if connection is not None:
            return connection
        with fsio.exclusive(self.path):
            connection = self._current()  # another process may have built it while this one waited
            if connection is not None:
                return connection
            self.delete()
            connection = self._connect()
            connection.executescript(SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.commit()
            fsio.atomic_write(self.path.parent / HOME_NOTE, os.path.realpath(self.home.root))
            return connection

    def _current(self) -> sqlite3.Connection | None:
        try:
            connection = self._connect()
        except sqlite3.DatabaseError:
            return None
        try:
            if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                connection.execute("SELECT count(*) FROM files").fetchone()
                return connection
        except sqlite3.DatabaseError:
            pass
        connection.close()
        return None

    @contextmanager
    def opened(self) -> Iterator[sqlite3.Connection]:
        """The index, open; any failure (a cache folder that cannot be written, a full or damaged disk)
        comes out as IndexUnavailable, with what to do about it."""
        try:
            connection = self.connect()
        except (sqlite3.Error, OSError, fsio.WriteError) as error:
            raise IndexUnavailable(self.path, error) from error
        try:
            yield connection
        except (sqlite3.Error, OSError, fsio.WriteError) as error:
            raise IndexUnavailable(self.path, error) from error
        finally:
            connection.close()

    def delete(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            fsio.remove_file(self.path.with_name(self.path.name + suffix))

    # keeping it current ----------------------------------------------------------

    @_healing
    def refresh(self, progress: Callable[[int, int], None] | None = None, names: dict[str, str] | None = None, client: str | None = None) -> Refresh:
        """Read again every session file that is new or changed since it was indexed; forget removed ones.

        With `client`, only that client's files are looked at: one client's review need not stat everyone's.
        One refresh at a time (the cache folder's lock): two at once would each add the same changed file.
        """
        # Opened first: making a new index takes the same lock, and a second flock in one process would wait forever.
        with self.opened() as connection, fsio.exclusive(self.path):
            sql = "SELECT path, mtime_ns, size FROM files" + (" WHERE client = ?" if client is not None else "")
            known = {row[0]: (row[1], row[2]) for row in connection.execute(sql, (client,) if client is not None else ())}
            files = list(session_files(self.home, client))
            result = Refresh(total=len(files))
            seen: set[str] = set()
            stale: list[tuple[str, Path, os.stat_result]] = []
            for slug, path in files:
                key = str(path)
                seen.add(key)
                try:
                    stat = path.stat()
                except OSError:
                    continue
                if known.get(key) != (stat.st_mtime_ns, stat.st_size):
                    stale.append((slug, path, stat))
            gone = [key for key in known if key not in seen]
            for key in gone:
                self._forget(connection, key)
            stale.sort(key=lambda item: session_sort_key(item[1].name))  # oldest first: rowids grow with time
            if names is None and stale:  # only the clients whose files are read again: usually none at all
                names = self._client_names({slug for slug, _, _ in stale})
            result.removed = len(gone)
            for done, (slug, path, stat) in enumerate(stale, start=1):
                assert names is not None  # filled in above whenever `stale` has a file
                if str(path) in known:
                    self._forget(connection, str(path))
                self._index_file(connection, slug, names.get(slug, slug), path, stat)
                if done % BATCH == 0:
                    connection.commit()
                    if progress:
                        progress(done, len(stale))
            connection.commit()
            if progress:
                progress(len(stale), len(stale))
            result.indexed = len(stale)
            sql = "SELECT problem FROM files WHERE problem != ''" + (" AND client = ?" if client is not None else "") + " ORDER BY path"
            result.problems = tuple(row[0] for row in connection.execute(sql, (client,) if client is not None else ()))
            return result

    def _client_names(self, slugs: set[str]) -> dict[str, str]:
        from .clients import load_client

        names = {}
        for slug in slugs:
            try:
                names[slug] = load_client(self.home.client_file(slug), slug).name
            except FileProblems:
                names[slug] = slug  # as the client list shows a client whose file cannot be read
        return names

    @staticmethod
    def _forget(connection: sqlite3.Connection, key: str) -> None:
        row = connection.execute("SELECT first_line FROM files WHERE path = ?", (key,)).fetchone()
        if row and row[0] is not None:
            block = (row[0], row[0] + LINES_PER_SESSION - 1)
            # The FTS5 index forgets a line only when told its old text, so tell it before the text goes.
            connection.execute("INSERT INTO lines (lines, rowid, text) SELECT 'delete', id, text FROM notes WHERE id BETWEEN ? AND ?", block)
            connection.execute("DELETE FROM notes WHERE id BETWEEN ? AND ?", block)
            connection.execute("DELETE FROM spaceless WHERE rowid BETWEEN ? AND ?", block)
        connection.execute("DELETE FROM files WHERE path = ?", (key,))
        connection.execute("DELETE FROM actions WHERE path = ?", (key,))

    def _index_file(self, connection: sqlite3.Connection, slug: str, name: str, path: Path, stat: os.stat_result) -> None:
        key = str(path)
        try:
            document = read_session(path)
        except FileProblems as error:
            first = error.problems[0]
            connection.execute(
                "INSERT INTO files (path, client, name, mtime_ns, size, problem) VALUES (?, ?, ?, ?, ?, ?)",
                (key, slug, name, stat.st_mtime_ns, stat.st_size, str(first)),
            )
            return
        info = document.info
        started = info.started.isoformat() if info.started else None
        actions = document.actions
        base = _free_base(connection, path)
        connection.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)",
            (
                key,
                slug,
                name,
                stat.st_mtime_ns,
                stat.st_size,
                started,
                int(info.elapsed_seconds),
                info.planned_minutes,
                len(document.notes),
                len(document.asked),
                sum(a.state is ActionState.OPEN for a in actions),
                ",".join(info.goals),
                info.agreement,
                int(info.is_finished),
                base,
                json.dumps(info.ratings),
            ),
        )
        connection.executemany(
            "INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?)",
            [(key, slug, started, a.stamp, a.state.value, a.text) for a in actions],
        )
        rows = [(base + n, stamp, kind, text) for n, (stamp, kind, text) in enumerate(_lines(document)) if n < LINES_PER_SESSION]
        connection.executemany("INSERT INTO notes VALUES (?, ?, ?, ?)", rows)
        connection.executemany("INSERT INTO lines (rowid, text) VALUES (?, ?)", [(row[0], row[3]) for row in rows])
        connection.executemany("INSERT INTO spaceless (rowid, text) VALUES (?, ?)", [(row[0], spaced(row[3])) for row in rows if has_spaceless(row[3])])

    # reading ------------------------------------------------------------------------

    @_healing
    def search(self, query: str, client: str | None = None, limit: int = 100) -> list[Hit]:
        wanted = SearchQuery.parse(query)
        if not wanted.lines and not wanted.spaceless:
            return []
        join = f"JOIN files AS f ON f.first_line = n.id / {LINES_PER_SESSION} * {LINES_PER_SESSION}"
        params: list[object] = []
        if not wanted.spaceless:  # the common case: FTS5 marks the matches itself
            sql = f"SELECT f.path, f.client, f.name, f.started, n.stamp, n.kind, n.text, highlight(lines, 0, char(1), char(2)) FROM lines JOIN notes AS n ON n.id = lines.rowid {join} WHERE lines MATCH ?"
            params.append(wanted.lines)
            order = "lines.rowid"  # FTS5's own order: a LIMIT stops early instead of sorting every match
        else:
            order = "n.id"
            sql = f"SELECT f.path, f.client, f.name, f.started, n.stamp, n.kind, n.text, NULL FROM notes AS n {join} WHERE n.id IN (SELECT rowid FROM spaceless WHERE spaceless MATCH ?)"
            params.append(wanted.spaceless)
            if wanted.lines:
                sql += " AND n.id IN (SELECT rowid FROM lines WHERE lines MATCH ?)"
                params.append(wanted.lines)
        if client is not None:
            sql += " AND f.client = ?"
            params.append(client)
        sql += f" ORDER BY {order} DESC LIMIT ?"
        params.append(limit)
        with self.opened() as connection:
            try:
                rows = connection.execute(sql, params).fetchall()
            except sqlite3.OperationalError:
                return []  # a query FTS5 cannot read: no results, not an error
        return [Hit(Path(r[0]), r[1], r[2], _when(r[3]), r[4], r[5], r[6], r[7] if r[7] is not None else mark(r[6], list(wanted.terms))) for r in rows]

    @_healing
    def sessions(self, client: str | None = None) -> list[SessionRow]:
        """Sessions newest first (broken files too, with their problem)."""
        with self.opened() as connection:
            sql = "SELECT path, client, name, started, elapsed, planned, notes, asked, open_actions, goals, agreement, finished, problem, ratings FROM files"
            rows = connection.execute(sql + (" WHERE client = ?" if client else ""), (client,) if client else ()).fetchall()
        result = [
            SessionRow(
                Path(r[0]),
                r[1],
                r[2],
                _when(r[3]),
                r[4] or 0,
                r[5] or 0,
                r[6] or 0,
                r[7] or 0,
                r[8] or 0,
                tuple(g for g in (r[9] or "").split(",") if g),
                r[10] or "",
                bool(r[11]),
                r[12] or "",
                json.loads(r[13] or "{}"),
            )
            for r in rows
        ]
        return sorted(result, key=lambda row: (row.started or _named_time(row.path), session_sort_key(row.path.name)), reverse=True)

    @_healing
    def open_actions(self, client: str | None = None) -> list[OpenAction]:
        with self.opened() as connection:
            sql = "SELECT path, client, started, stamp, text FROM actions WHERE state = ' '"
            rows = connection.execute(sql + (" AND client = ?" if client else "") + " ORDER BY started DESC, stamp", (client,) if client else ()).fetchall()
        return [OpenAction(Path(r[0]), r[1], _when(r[2]), Action(r[4], r[3], ActionState.OPEN)) for r in rows]


SLOTS_PER_MINUTE = 64


def _base_rowid(path: Path, slot: int = 0) -> int:
    """The first rowid of a session's lines: its start minute (from its name), then a slot within that minute."""
    minute = int(_named_time(path).timestamp() // 60)
    return (max(minute, 0) * SLOTS_PER_MINUTE + slot) * LINES_PER_SESSION


def _free_base(connection: sqlite3.Connection, path: Path) -> int:
    """A block of rowids no other session holds. Two clients can have a session in the same minute, and one
    client a -2, -3 copy: each takes the next free slot of that minute."""
    first = min(session_sort_key(path.name)[1], SLOTS_PER_MINUTE - 1)
    for slot in [*range(first, SLOTS_PER_MINUTE), *range(first)]:
        base = _base_rowid(path, slot)
        if connection.execute("SELECT 1 FROM files WHERE first_line = ?", (base,)).fetchone() is None:
            return base
    # 64 sessions in one minute: the order of their lines in results no longer matters. Past every real minute.
    top = connection.execute("SELECT max(first_line) FROM files").fetchone()[0] or 0
    return top + LINES_PER_SESSION


def _named_time(path: Path) -> datetime:
    """A session file's start minute, from its name: where a file that cannot be read sorts."""
    stamp = session_sort_key(path.name)[0]
    try:
        return datetime.strptime(stamp, "%Y-%m-%dT%H%M").replace(tzinfo=UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _lines(document: SessionDocument) -> Iterator[tuple[int | None, str, str]]:
    for _, item in document.entries():
        entry = item.entry
        if isinstance(entry, Note):
            yield entry.stamp, entry.kind.value, entry.text
        elif isinstance(entry, AskedQuestion):
            yield entry.stamp, "asked", entry.text
        elif isinstance(entry, Action):
            yield entry.stamp, "action", entry.text
    if document.info.agreement:
        yield None, "agreement", document.info.agreement
