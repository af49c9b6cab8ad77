"""The search index: every session's notes in SQLite FTS5, in the cache folder.

Derived data only. Session files stay the source of truth: the index is brought
up to date from their mtimes and sizes (only changed files are read again),
rebuilt from scratch when it is missing, from an older version or corrupt, and
can be deleted at any time. It holds note text, so it is created 0600 in a 0700
folder, like everything else of the coach's.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import fsio
from .index_types import (
    LINES_PER_SESSION,
    LINES_TOKENIZER,
    SEPARATOR,
    SLOTS_PER_MINUTE,
    Hit,
    OpenAction,
    Refresh,
    SearchQuery,
    SessionLengths,
    SessionRow,
    SessionStory,
)
from .paths import Home, is_valid_slug, session_paths, session_sort_key

if TYPE_CHECKING:
    from .index_rows import SessionRows
from .spaceless import TOKENIZER, mark, spaceless_text

SEARCH_LIMIT = 100  # lines a search shows at most, the newest
FIRST_SESSIONS = 25  # matching sessions whose lines a search looks at first (a hundred hits come from a few dozen)
MOST_SESSIONS = 800  # and at most at a time after that, twice as many each time
PEEK_SECONDS = 0.25  # the most a screen's first frame waits for its rows from the index (newest_sessions)
# 16: energy check-ins and focus areas, for the patterns view; 17: the words of `lines` (terms); 18: a row of `lines` a
# session, not a line (a first build's FTS5 inserts a quarter of the time); 19: folders without their latest session
SCHEMA_VERSION = 19
HOME_NOTE = "home.txt"  # in each index's folder: the real path of the home it indexes (for erase)
T = TypeVar("T")
MANY_FILES = 500  # a refresh reading more files than this is a build: its bases held, a larger cache, no lookups while empty
BATCH = 1000  # files per transaction while indexing: FTS5 writes its new segments at each commit, fewer and larger
TRIP = 200  # files per trip to a worker process (at most BATCH): the first trip is the only wait for one
BUILD_CACHE_KIB = 65536  # SQLite's page cache while many files are indexed (2 MB otherwise): merges read back what they wrote
PARALLEL_FROM = 2000  # files: fewer are read here, as starting the workers would take longer than they save
WORKERS = 3  # at most; with this process, which writes the index, one more process than cores on a small machine
TRUSTED_AFTER_NS = 2_000_000_000  # a folder's mtime this much older than now is trusted (FAT's mtimes step by 2 s)
RECENT_SESSIONS = 200  # the newest sessions a quick refresh looks at each of, whatever their folders say
TERMS_FROM_FILES = 500  # files at most: a refresh reading more takes their words from `lines` at its end, in one pass
MOST_TERMS = 300  # words a prefix may stand for in a search; more, and FTS5's own prefix query is as quick

# A session's lines are kept in one row of `texts` (their texts, stamps and kinds, each joined); `lines` and
# `spaceless` are FTS5 indexes over them that keep no content of their own (a copy of every note otherwise),
# one row a session, its lines joined by RS as in `texts`: a row a line made a first build's FTS5 inserts four
# times as long (13.7 s against 3.3 s at 50,000 sessions) and `lines` twice the size. A search finds the
# sessions, and then their lines that hold every word (see line_search.py). `columnsize = 0`: no per-row token
# counts, which only ranking by relevance would read. A table without content forgets a row only when told its
# text again, which `texts` holds (see _forget). A session's rowid is its files.first_line, which encodes when
# the session started (see _free_base), so FTS5's own rowid order is newest first and a search with LIMIT stops
# early instead of sorting every match.
FOLDERS = "folders (client TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, files INTEGER NOT NULL)"
SCHEMA = f"""
CREATE TABLE files (
    path TEXT PRIMARY KEY, client TEXT NOT NULL, name TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
    started TEXT, elapsed INTEGER, planned INTEGER, notes INTEGER, asked INTEGER,
    open_actions INTEGER, goals TEXT, agreement TEXT, finished INTEGER, problem TEXT, first_line INTEGER,
    ratings TEXT,  -- JSON: goal id -> 1..10
    sort_key TEXT NOT NULL,  -- newest first is this, descending: see index_types.session_order
    energy TEXT,  -- the client's energy check-ins, "start,end" ("6,8", "6,"), or NULL
    areas TEXT  -- the focus areas touched, joined by RS
);
CREATE TABLE actions (
    path TEXT NOT NULL, client TEXT NOT NULL, started TEXT, stamp INTEGER, state TEXT NOT NULL, text TEXT NOT NULL,
    due TEXT  -- YYYY-MM-DD, or NULL
);
-- texts: each line's text, joined by RS (\x1e, which no line holds: see SessionRows); stamps and kinds, by commas.
CREATE TABLE texts (first_line INTEGER PRIMARY KEY, texts TEXT NOT NULL, stamps TEXT NOT NULL, kinds TEXT NOT NULL);
CREATE VIRTUAL TABLE lines USING fts5(text, content = '', columnsize = 0, tokenize = "{LINES_TOKENIZER}");
-- Lines in scripts without spaces, spaced (see core/spaceless.py): the index alone, no copy of their text.
CREATE VIRTUAL TABLE spaceless USING fts5(text, content = '', columnsize = 0, tokenize = "{TOKENIZER}");
-- FTS5 merges its segments as it goes, 4 of a size by default; 16 at a time rewrites the index half as often
-- (the inserts of a first build of 50,000 sessions took 28% less time), and searches stay as quick.
INSERT INTO lines (lines, rank) VALUES ('automerge', 16);
INSERT INTO spaceless (spaceless, rank) VALUES ('automerge', 16);
-- Each client's sessions/ folder as last listed: its mtime (0: too recent to trust) and how many session files it held.
CREATE TABLE {FOLDERS};
"""
# Every word `lines` holds, as its tokenizer made it: a word typed as the start of words ("courage" for
# "courageous" too) is looked up here and asked of FTS5 as the words it stands for, which FTS5 reads newest
# first and stops at the search's LIMIT; its own prefix query reads every match of every such word first
# (30 ms at 100,000 sessions for "courage", half a second for "c"). Never fewer words than `lines` holds; more
# after sessions are forgotten, which match nothing. `terms_complete` is 0 while a large refresh adds files
# (their words come in one pass at its end) or after a refresh stopped midway: searches then ask FTS5's way.
TERMS_SCHEMA = """
CREATE TABLE terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE terms_complete (complete INTEGER NOT NULL);
INSERT INTO terms_complete VALUES (0);
"""
SCHEMA += TERMS_SCHEMA
# The lookups of `files` and `actions`. A first build makes them once its rows are in (sorting them once takes a
# fraction of keeping them in order row by row: 4 s of a 50,000-session build); every refresh makes any missing,
# as after a first build that was stopped.
LOOKUPS = {  # name -> the statement that makes it
    "files_client": "CREATE INDEX IF NOT EXISTS files_client ON files (client, sort_key, path)",
    "files_order": "CREATE INDEX IF NOT EXISTS files_order ON files (sort_key, path)",  # the review's pages without reading every row
    "files_first_line": "CREATE UNIQUE INDEX IF NOT EXISTS files_first_line ON files (first_line)",
    "files_problems": "CREATE INDEX IF NOT EXISTS files_problems ON files (path) WHERE problem != ''",  # every refresh lists them: a few rows, not a scan
    "actions_client": "CREATE INDEX IF NOT EXISTS actions_client ON actions (client, state)",
    "actions_path": "CREATE INDEX IF NOT EXISTS actions_path ON actions (path)",
    "actions_open": "CREATE INDEX IF NOT EXISTS actions_open ON actions (due IS NULL, due, started DESC, stamp) WHERE state = ' '",  # the review's pages, unsorted
}
SCHEMA += "".join(f"{lookup};\n" for lookup in LOOKUPS.values())
# An index of an older version is made current in place where it can be (a rebuild reads every session file).
# version -> the script that brings an index of it to the next, in one transaction with its new user_version
# (_current commits both). 17 -> 18 could not be; 18 -> 19: folders keep no latest session (see _folders_to_list).
UPGRADES: dict[int, str] = {
    18: f"""BEGIN; CREATE TABLE kept_{FOLDERS}; INSERT INTO kept_folders SELECT client, mtime_ns, files FROM folders;
    DROP TABLE folders; ALTER TABLE kept_folders RENAME TO folders;"""
}


class IndexUnavailable(Exception):
    def __init__(self, path: Path, error: Exception):
        self.path = path
        super().__init__(
            f"The search index {path} cannot be used ({error}). It is derived data: delete it and it is built again; your session files are untouched."
        )


def session_files(home: Home, client: str | None = None) -> Iterator[tuple[str, Path]]:
    """(client slug, path) of every session file, clients and files in name order; leftovers skipped."""
    for slug in client_folders(home, client):
        for path in session_paths(home, slug, only_files=False):
            yield slug, path


def client_folders(home: Home, client: str | None = None, known: Container[str] = ()) -> list[str]:
    """The slugs of the client folders in the home (or just `client`'s), in name order; leftovers skipped.
    `known`: names already found to be slugs (the index's folders), not checked again."""
    try:
        folders = sorted(e.name for e in os.scandir(home.clients_dir) if e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    return [slug for slug in folders if (client is None or slug == client) and (slug in known or is_valid_slug(slug))]


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


def _session_rows(connection: sqlite3.Connection, client: str | None, limit: int | None, offset: int) -> list[SessionRow]:
    sql = "SELECT path, client, name, started, elapsed, planned, notes, asked, open_actions, goals, agreement, finished, problem, ratings FROM files"
    where, order = (" WHERE client = ?" if client else ""), " ORDER BY sort_key DESC, path DESC"
    if limit is not None:  # the page's rows found in the index alone, then read: OFFSET skips index entries, not rows
        where += f"{' AND' if client else ' WHERE'} rowid IN (SELECT rowid FROM files{where}{order} LIMIT ? OFFSET ?)"
    sql += where + order
    params = ((client,) if client else ()) + ((client,) if client and limit is not None else ()) + ((limit, offset) if limit is not None else ())
    rows = connection.execute(sql, params).fetchall()
    # Rows as this module writes them; anything else (a damaged or crafted index: a path that is bytes, a count
    # that is text) is left out rather than drawn into a traceback. Damage SQLite itself sees is healed elsewhere.
    return [row for r in rows if (row := _session_row(r)) is not None]


def _whole(value: object) -> int:
    return value if type(value) is int else 0


def _session_row(r: tuple[Any, ...]) -> SessionRow | None:
    import json  # here: a search needs none of it (1.5 ms of its start)

    if not all(isinstance(r[i], str) for i in (0, 1, 2)):
        return None
    try:
        started = _when(r[3]) if isinstance(r[3], str) or r[3] is None else None
        ratings = json.loads(r[13]) if isinstance(r[13], str) and r[13] else {}
    except (ValueError, RecursionError):
        return None
    goals = tuple(g for g in r[9].split(",") if g) if isinstance(r[9], str) else ()
    return SessionRow(
        Path(r[0]),
        r[1],
        r[2],
        started,
        _whole(r[4]),
        _whole(r[5]),
        _whole(r[6]),
        _whole(r[7]),
        _whole(r[8]),
        goals,
        r[10] if isinstance(r[10], str) else "",
        bool(r[11]),
        r[12] if isinstance(r[12], str) else "",
        ratings if isinstance(ratings, dict) else {},
    )


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
            connection = self._current(upgrade=True)  # another process may have built it while this one waited
            if connection is not None:
                return connection
            self.delete()
            connection = self._connect()
            connection.executescript(SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.commit()
            fsio.atomic_write(self.path.parent / HOME_NOTE, os.path.realpath(self.home.root))
            return connection

    def _current(self, upgrade: bool = False) -> sqlite3.Connection | None:
        """The index open if it is of this version; with `upgrade` (under the lock), one a step older is
        brought up to it first."""
        if not self.path.exists():
            # Made under the lock only (connect): an empty file made here, outside it, could replace the one
            # another process is building the index in, which would then build into a file no longer there.
            return None
        try:
            connection = self._connect()
        except sqlite3.DatabaseError:
            return None
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if upgrade and version in UPGRADES and version + 1 == SCHEMA_VERSION:
                connection.executescript(UPGRADES[version])
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.commit()
                version = SCHEMA_VERSION
            if version == SCHEMA_VERSION:
                connection.execute("SELECT 1 FROM files LIMIT 1").fetchone()  # the table is there (not: count 50,000 rows)
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
    def refresh(
        self,
        progress: Callable[[int, int], None] | None = None,
        names: dict[str, str] | None = None,
        client: str | None = None,
        full: bool = True,
    ) -> Refresh:
        """Read again every session file that is new or changed since it was indexed; forget removed ones.

        With `client`, only that client's files are looked at: one client's review need not stat everyone's.
        With `full=False`, a client folder whose sessions/ folder has not changed since it was last listed is
        trusted without a look at its files: a stat per client, not per session. Every write by sessionpal,
        a sync tool or most editors replaces a file (a rename), which changes the folder; a file edited in
        place is seen only among the practice's newest sessions (RECENT_SESSIONS), the others at a full refresh.
        One refresh at a time (the cache folder's lock): two at once would each add the same changed file.
        """
        # Opened first: making a new index takes the same lock, and a second flock in one process would wait forever.
        with self.opened() as connection, fsio.exclusive(self.path):
            for lookup in LOOKUPS.values():
                connection.execute(lookup)
            where, params = (" WHERE client = ?", (client,)) if client is not None else ("", ())
            listed = {row[0]: row[1:] for row in connection.execute("SELECT client, mtime_ns, files FROM folders" + where, params)}
            slugs = client_folders(self.home, client, known=listed)
            folders, trusted_files = self._folders_to_list(connection, slugs, listed, full, where, params)
            present = set(slugs)
            gone = [key for key in listed if key not in present]  # client folders erased or renamed
            removed = [row[0] for slug in gone for row in connection.execute("SELECT path FROM files WHERE client = ?", (slug,))]
            connection.executemany("DELETE FROM folders WHERE client = ?", [(slug,) for slug in gone])
            known: dict[str, tuple[int, int]] = {}
            sql = "SELECT path, mtime_ns, size, client FROM files"
            if len(folders) > 50:  # many folders (a full refresh): one pass over the table
                known = {row[0]: (row[1], row[2]) for row in connection.execute(sql + where, params) if row[3] in folders}
            else:  # a few that changed: their rows alone, through the client index
                known = {row[0]: (row[1], row[2]) for slug in folders for row in connection.execute(sql + " WHERE client = ?", (slug,))}
            seen: set[str] = set()
            stale: list[tuple[str, Path, os.stat_result]] = []
            listings: list[tuple[str, int, int]] = []
            for slug in folders:
                files = session_paths(self.home, slug, only_files=False)
                for path in files:
                    key = str(path)
                    seen.add(key)
                    try:
                        stat = path.stat()
                    except OSError:
                        continue
                    if known.get(key) != (stat.st_mtime_ns, stat.st_size):
                        stale.append((slug, path, stat))
                listings.append((slug, folders[slug], len(files)))
            removed += [key for key in known if key not in seen]
            for key in removed:
                self._forget(connection, key)
            stale.sort(key=lambda item: session_sort_key(item[1].name))  # oldest first: rowids grow with time
            if names is None and stale:  # only the clients whose files are read again: usually none at all
                names = self._client_names({slug for slug, _, _ in stale})
            # Every client with files in the index has a row here (so an erased folder is noticed), untrusted (0)
            # until all its files are indexed: a build stopped midway leaves these folders to be listed again.
            connection.executemany("INSERT OR REPLACE INTO folders VALUES (?, 0, ?)", [(slug, n) for slug, _, n in listings])
            many = len(stale) > MANY_FILES
            taken = _TakenBases(connection, many=many)
            first_build = many and not taken.held and not known  # an empty index: see LOOKUPS
            if many:
                connection.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")  # this connection's, for this build
            if first_build:
                for name in LOOKUPS:
                    connection.execute(f"DROP INDEX IF EXISTS {name}")
            terms_complete = _terms_complete(connection)
            many_words = len(stale) > TERMS_FROM_FILES
            if many_words and terms_complete:
                connection.execute("UPDATE terms_complete SET complete = 0")  # committed with the first batch
            new_texts: list[str] = []
            for done, (read, (slug, _, stat)) in enumerate(zip(_read_all(stale), stale, strict=True), start=1):
                assert names is not None  # filled in above whenever `stale` has a file
                if read.path in known:
                    self._forget(connection, read.path)
                _store(connection, slug, names.get(slug, slug), read, stat, taken)
                if read.lines and not many_words:
                    new_texts.append(read.texts)
                if done % BATCH == 0:
                    connection.commit()
                    if progress:
                        progress(done, len(stale))
            if many_words or not terms_complete:
                _all_terms(connection)
            elif new_texts:
                _add_terms(connection, new_texts)  # in the same transaction as their lines
            if first_build:
                for lookup in LOOKUPS.values():
                    connection.execute(lookup)
            connection.executemany("INSERT OR REPLACE INTO folders VALUES (?, ?, ?)", listings)  # now trusted
            connection.commit()
            if progress:
                progress(len(stale), len(stale))
            sql = "SELECT problem FROM files WHERE problem != ''" + (" AND client = ?" if client is not None else "") + " ORDER BY path"
            problems = tuple(row[0] for row in connection.execute(sql, params))
            return Refresh(indexed=len(stale), removed=len(removed), total=trusted_files + len(seen), problems=problems)

    def _folders_to_list(
        self, connection: sqlite3.Connection, slugs: list[str], listed: dict[str, tuple[int, int]], full: bool, where: str, params: tuple[str, ...]
    ) -> tuple[dict[str, int], int]:
        """The client folders whose files must be looked at (slug -> the folder's mtime to record), and how many
        session files the others hold. A quick refresh trusts a folder whose mtime has not moved, unless one of
        the practice's newest sessions in it changed: a stat per client, and RECENT_SESSIONS more."""
        now = time.time_ns()
        folders: dict[str, int] = {}
        trusted: dict[str, int] = {}  # slug -> its session files
        clients = os.fspath(self.home.clients_dir)
        for slug in slugs:
            try:
                # A string, not home.sessions_dir(slug): the slugs are checked already, and a search at 100,000
                # sessions looks at 2,000 folders before its query.
                mtime = os.stat(f"{clients}/{slug}/sessions").st_mtime_ns
            except OSError:
                mtime = 0
            if not full and mtime and slug in listed and listed[slug][0] == mtime:
                trusted[slug] = listed[slug][1]
                continue
            # A folder changed within the file system's timestamp granularity of now could change again
            # without its mtime moving: recorded as 0, it is listed again next time.
            folders[slug] = mtime if now - mtime > TRUSTED_AFTER_NS else 0
        if trusted:
            # An editor that writes a file in place leaves its folder's mtime as it was. The sessions a coach
            # corrects by hand are the last few, so the newest are each looked at (through files_order or
            # files_client, not a scan): however large the practice, the same few hundred stats.
            sql = "SELECT path, mtime_ns, size, client FROM files" + where + " ORDER BY sort_key DESC, path DESC LIMIT ?"
            for path, mtime_ns, size, slug in connection.execute(sql, (*params, RECENT_SESSIONS)):
                if slug in trusted and not _unchanged(path, mtime_ns, size):
                    del trusted[slug]
                    folders[slug] = listed[slug][0]  # the folder's mtime as recorded: it has not moved
        return folders, sum(trusted.values())

    def _client_names(self, slugs: set[str]) -> dict[str, str]:
        from .clients import load_client
        from .problems import FileProblems

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
            base = row[0]
            kept = connection.execute("SELECT texts FROM texts WHERE first_line = ?", (base,)).fetchone()
            if kept:
                # Tables without content forget a row when told the very text they were given: the lines joined
                # for `lines`, their spaced form (as index_rows made it) for `spaceless`.
                connection.execute("INSERT INTO lines (lines, rowid, text) VALUES ('delete', ?, ?)", (base, kept[0]))
                spaced = spaceless_text(kept[0].split(SEPARATOR))
                if spaced:
                    connection.execute("INSERT INTO spaceless (spaceless, rowid, text) VALUES ('delete', ?, ?)", (base, spaced))
                connection.execute("DELETE FROM texts WHERE first_line = ?", (base,))
        connection.execute("DELETE FROM files WHERE path = ?", (key,))
        connection.execute("DELETE FROM actions WHERE path = ?", (key,))

    # reading ------------------------------------------------------------------------

    @_healing
    def search(self, query: str, client: str | None = None, limit: int = SEARCH_LIMIT, stop: Callable[[], bool] | None = None) -> list[Hit]:
        """The newest `limit` lines that match, newest session first and its last line first. `stop` is asked
        between batches of sessions: once it says so, the lines found so far (a search whose words were typed
        on: words in most sessions but never on one line have it look at every session, seconds at 100,000)."""
        wanted = SearchQuery.parse(query)
        if not wanted.lines and not wanted.spaceless:
            return []
        with self.opened() as connection:
            lines_query = _lines_query(connection, wanted) if wanted.lines else ""
            if lines_query is None:
                return []
            from .line_search import HitRow, LineFinder, marked

            # The sessions that match, newest first through FTS5's own rowid order (read as far as needed instead
            # of sorting every match), a few at a time and more each time, until their lines hold `limit` hits.
            found = "spaceless" if wanted.spaceless else "lines"  # a word without spaces drives it: the rarer
            sql = f"SELECT f.path, f.client, f.name, f.started, f.first_line FROM {found} JOIN files AS f ON f.first_line = {found}.rowid WHERE {found} MATCH ?"
            params: list[object] = [wanted.spaceless or lines_query]
            if wanted.spaceless and lines_query:
                sql += " AND +spaceless.rowid IN (SELECT rowid FROM lines WHERE lines MATCH ?)"  # a set to look in: as a constraint, FTS5 would run its query once a row
                params.append(lines_query)
            if client is not None:
                sql += " AND f.client = ?"
                params.append(client)
            finder = LineFinder(connection, wanted, lines_query)
            hits: list[HitRow] = []
            try:
                sessions = connection.execute(sql + f" ORDER BY {found}.rowid DESC", params)
            except sqlite3.OperationalError:
                finder.close()
                return []  # a query FTS5 cannot read: no results, not an error
            try:
                batch = FIRST_SESSIONS
                while len(hits) < limit and not (stop and stop()) and (rows := sessions.fetchmany(batch)):
                    hits += finder.matching(rows)
                    batch = min(batch * 2, MOST_SESSIONS)
            finally:
                sessions.close()
                finder.close()
            del hits[limit:]
            shown = marked(connection, lines_query, [hit[6] for hit in hits]) if not wanted.spaceless else [None] * len(hits)
        # One Path and one moment a session, not a hit (a hundred Paths were a tenth of a search).
        sessions_of = {path: (Path(path), _when(started)) for path, _, _, started, *_ in hits}
        return [
            Hit(
                sessions_of[path][0],
                client_slug,
                name,
                sessions_of[path][1],
                stamp,
                kind,
                text,
                text_shown if text_shown is not None else mark(text, list(wanted.terms)),
            )
            for (path, client_slug, name, started, stamp, kind, text), text_shown in zip(hits, shown, strict=True)
        ]

    @_healing
    def sessions(self, client: str | None = None, limit: int | None = None, offset: int = 0) -> list[SessionRow]:
        """Sessions newest first (broken files too, with their problem); `limit` of them from `offset` when given
        (the review reads the rows it shows, a page at a time, through the index on sort_key)."""
        with self.opened() as connection:
            return _session_rows(connection, client, limit, offset)

    def _peek(self, read: Callable[[sqlite3.Connection], T]) -> T | None:
        """`read` of an index already built, or None: for the UI's thread, before a screen's first frame. Nothing
        made, healed, locked or written (read-only, never through a link), and no longer than PEEK_SECONDS:
        whatever is amiss is the worker's to find and say."""
        try:
            if not stat.S_ISREG(os.lstat(self.path).st_mode):
                return None  # a link (opening it could write where it points) or stranger: the worker's path decides
        except OSError:
            return None
        deadline = time.monotonic() + PEEK_SECONDS
        try:
            connection = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=0)  # never made, never written
            try:
                # However the file was made (a `files` that is an endless view), the UI's thread waits no longer.
                connection.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
                return read(connection)
            finally:
                connection.close()
        except (sqlite3.Error, ValueError, TypeError, OverflowError, RecursionError):
            return None  # a damaged or crafted index: the worker finds it, heals it and says so

    def holds_everyone(self, client: str | None) -> bool:
        """Whether the index has looked at these sessions at least once: every client folder of the home (or
        `client`'s) has its row in `folders`. A session screen's look builds one client's part of a new index, and
        everyone's review showing that part would read as the whole practice. A peek (see _peek): anything amiss
        is False (the worker builds, with its bar)."""
        where, params = (" WHERE client = ?", (client,)) if client is not None else ("", ())
        listed = self._peek(lambda connection: {row[0] for row in connection.execute("SELECT client FROM folders" + where, params)})
        return listed is not None and all(slug in listed for slug in client_folders(self.home, client, known=listed))

    def newest_sessions(self, client: str | None, limit: int) -> list[SessionRow] | None:
        """The newest `limit` sessions of an index already built, or None: read on the UI's thread for a screen's
        first frame (in a worker, the same query waited a tenth of a second for the GIL while that frame was
        composed). A peek (see _peek)."""

        def newest(connection: sqlite3.Connection) -> list[SessionRow] | None:
            if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return None
            return _session_rows(connection, client, limit, 0)

        return self._peek(newest)

    @_healing
    def open_actions(self, client: str | None = None, limit: int | None = None, offset: int = 0) -> list[OpenAction]:
        """Open actions: those with a due date first, soonest (so most overdue) first; then the rest, newest
        session first. `limit` of them from `offset` when given, through actions_open (no sort of them all)."""
        with self.opened() as connection:
            where = " WHERE state = ' '" + (" AND client = ?" if client else "")
            order = " ORDER BY due IS NULL, due, started DESC, stamp, rowid"
            # The page's actions found in actions_open alone, then joined to their session's client name: an
            # OFFSET over the join would look up every skipped action's file (half a second at 50,000).
            page = f"SELECT rowid FROM actions{where}{order}" + (" LIMIT ? OFFSET ?" if limit is not None else "")
            sql = f"SELECT a.path, a.client, a.started, a.stamp, a.text, a.due, f.name FROM ({page}) AS p JOIN actions AS a ON a.rowid = p.rowid"
            sql += " JOIN files AS f ON f.path = a.path ORDER BY a.due IS NULL, a.due, a.started DESC, a.stamp, a.rowid"
            params = ((client,) if client else ()) + ((limit, offset) if limit is not None else ())
            rows = connection.execute(sql, params).fetchall()
        from .model import Action, ActionState

        return [OpenAction(Path(r[0]), r[1], _when(r[2]), Action(r[4], r[3], ActionState.OPEN, date.fromisoformat(r[5]) if r[5] else None), r[6]) for r in rows]

    @_healing
    def counts(self, client: str | None = None) -> tuple[int, int]:
        """How many sessions and open actions (everyone's, or one client's): the review's sizes, without its rows."""
        where, params = (" AND client = ?", (client,)) if client else ("", ())
        with self.opened() as connection:
            sessions = connection.execute("SELECT COUNT(*) FROM files WHERE 1" + where, params).fetchone()[0]
            actions = connection.execute("SELECT COUNT(*) FROM actions WHERE state = ' '" + where, params).fetchone()[0]
        return sessions, actions

    @_healing
    def lengths(self, client: str | None = None, buckets: int = 200) -> SessionLengths:
        """Finished sessions' lengths, oldest to newest, as at most `buckets` averages (a sparkline a few dozen
        cells wide needs no more), with their count and sum: one pass in SQLite, no row per session in Python."""
        where, params = (" AND client = ?", (client,)) if client else ("", ())
        finished = f"SELECT elapsed, sort_key, path FROM files WHERE finished AND COALESCE(problem, '') = ''{where}"
        with self.opened() as connection:
            count, total = connection.execute(f"SELECT COUNT(*), COALESCE(SUM(elapsed), 0) FROM ({finished})", params).fetchone()
            averages = connection.execute(
                f"SELECT AVG(COALESCE(elapsed, 0)) FROM (SELECT elapsed, ROW_NUMBER() OVER (ORDER BY sort_key, path) - 1 AS place "
                f"FROM ({finished})) GROUP BY place * ? / ? ORDER BY place * ? / ?",
                (*params, buckets, max(count, 1), buckets, max(count, 1)),
            ).fetchall()
        return SessionLengths(count, total, tuple(row[0] for row in averages))

    @_healing
    def client_energy(self, client: str) -> list[tuple[datetime | None, Path, int | None, int | None]]:
        """One client's energy check-ins (their own 0-10 at a session's start and end), oldest first: the sessions
        that had one only. What the review's energy line shows."""
        with self.opened() as connection:
            sql = (
                "SELECT started, path, energy FROM files WHERE client = ? AND COALESCE(energy, '') != '' AND COALESCE(problem, '') = '' ORDER BY sort_key, path"
            )
            rows = connection.execute(sql, (client,)).fetchall()
        return [(_when(started), Path(path), *_energy(energy)) for started, path, energy in rows]

    @_healing
    def client_ratings(self, client: str) -> list[tuple[datetime | None, dict[str, int]]]:
        """One client's sessions oldest first with their goal ratings: the review's goal trends, from the index."""
        with self.opened() as connection:
            sql = "SELECT started, ratings FROM files WHERE client = ? AND started IS NOT NULL AND COALESCE(problem, '') = '' ORDER BY sort_key, path"
            rows = connection.execute(sql, (client,)).fetchall()
        import json

        return [(_when(r[0]), json.loads(r[1]) if r[1] else {}) for r in rows]

    @_healing
    def client_stories(self, client: str) -> list[SessionStory]:
        """One client's sessions oldest first, each with its lines and actions as the file has them: what the
        patterns view reads (three queries through the client's index, no session file opened)."""
        with self.opened() as connection:
            files = connection.execute(
                "SELECT path, name, started, goals, ratings, energy, areas, problem, first_line FROM files WHERE client = ? ORDER BY sort_key, path",
                (client,),
            ).fetchall()
            texts = {
                row[0]: row[1:]
                for row in connection.execute(
                    "SELECT t.first_line, t.texts, t.stamps, t.kinds FROM files AS f JOIN texts AS t ON t.first_line = f.first_line WHERE f.client = ?",
                    (client,),
                )
            }
            actions: dict[str, list[tuple[int | None, str, str, str | None]]] = {}
            for path, stamp, state, text, due in connection.execute(
                "SELECT path, stamp, state, text, due FROM actions WHERE client = ? ORDER BY rowid", (client,)
            ):
                actions.setdefault(path, []).append((stamp, state, text, due))
        import json

        stories = []
        for path, name, started, goals, ratings, energy, areas, problem, first_line in files:
            kept = texts.get(first_line)
            lines: tuple[tuple[int | None, str, str], ...] = ()
            if kept is not None:
                words, stamps, kinds = kept[0].split(SEPARATOR), kept[1].split(","), kept[2].split(",")
                lines = tuple((int(stamp) if stamp else None, kind, text) for text, stamp, kind in zip(words, stamps, kinds, strict=True))
            stories.append(
                SessionStory(
                    Path(path),
                    name,
                    _when(started),
                    tuple(g for g in (goals or "").split(",") if g),
                    json.loads(ratings) if ratings else {},
                    _energy(energy),
                    tuple(a for a in (areas or "").split(SEPARATOR) if a),
                    lines,
                    tuple(actions.get(path, ())),
                    problem or "",
                )
            )
        return stories


def _energy(column: str | None) -> tuple[int | None, int | None]:
    """The energy column as index_rows writes it ("6,8", "6,", ",8"; NULL for none): (start, end)."""
    start, _, end = (column or "").partition(",")
    return (int(start) if start.isdigit() else None, int(end) if end.isdigit() else None)


def _unchanged(path: str, mtime_ns: int, size: int) -> bool:
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return (stat.st_mtime_ns, stat.st_size) == (mtime_ns, size)


def _terms_complete(connection: sqlite3.Connection) -> bool:
    row = connection.execute("SELECT complete FROM terms_complete").fetchone()
    return bool(row and row[0] == 1)


def _all_terms(connection: sqlite3.Connection) -> None:
    """Every word of `lines` into `terms`: one pass over the index (1.8 s at 100,000 sessions), at the end of a
    refresh that read many files or after one stopped midway."""
    connection.execute("CREATE VIRTUAL TABLE temp.all_terms USING fts5vocab(main, lines, row)")
    connection.execute("INSERT OR IGNORE INTO terms SELECT term FROM temp.all_terms")
    connection.execute("DROP TABLE temp.all_terms")
    connection.execute("UPDATE terms_complete SET complete = 1")


def _add_terms(connection: sqlite3.Connection, texts: list[str]) -> None:
    """The words of a few sessions' lines into `terms`, as `lines` tokenized them: through a table of the same
    tokenizer holding just those lines (its vocabulary is theirs)."""
    connection.execute(f"CREATE VIRTUAL TABLE temp.new_lines USING fts5(text, content = '', columnsize = 0, tokenize = '{LINES_TOKENIZER}')")
    connection.execute("CREATE VIRTUAL TABLE temp.new_terms USING fts5vocab(temp, new_lines, row)")
    connection.executemany("INSERT INTO temp.new_lines (rowid, text) VALUES (?, ?)", enumerate(texts, start=1))
    connection.execute("INSERT OR IGNORE INTO terms SELECT term FROM temp.new_terms")
    connection.execute("DROP TABLE temp.new_terms")
    connection.execute("DROP TABLE temp.new_lines")


def _lines_query(connection: sqlite3.Connection, wanted: SearchQuery) -> str | None:
    """The query for `lines` with each word typed as the start of words asked as the words it stands for
    (see TERMS_SCHEMA); FTS5's own prefix query for a word that stands for too many, or while `terms` is being
    filled. None when a word starts no word the index holds: nothing can match."""
    if not wanted.prefixes or not _terms_complete(connection):
        return wanted.lines
    connection.execute(f"CREATE VIRTUAL TABLE temp.typed USING fts5(text, tokenize = '{LINES_TOKENIZER}')")
    connection.execute("CREATE VIRTUAL TABLE temp.typed_terms USING fts5vocab(temp, typed, instance)")
    connection.executemany("INSERT INTO temp.typed (rowid, text) VALUES (?, ?)", enumerate(wanted.prefixes, start=1))
    tokens: dict[int, list[str]] = {}
    for doc, term in connection.execute("SELECT doc, term FROM temp.typed_terms ORDER BY doc, offset"):
        tokens.setdefault(doc, []).append(term)
    connection.execute("DROP TABLE temp.typed_terms")
    connection.execute("DROP TABLE temp.typed")
    parts = [f'"{phrase}"' for phrase in wanted.phrases]
    for number, word in enumerate(wanted.prefixes, start=1):
        words = tokens.get(number)
        if not words:
            parts.append(f'"{word}"*')  # nothing FTS5 would read as a word: as it was typed
            continue
        *before, last = words
        found = []
        for (term,) in connection.execute("SELECT term FROM terms WHERE term >= ? ORDER BY term LIMIT ?", (last, MOST_TERMS + 1)):
            if not term.startswith(last):
                break
            found.append(term)
        if not found:
            return None
        if len(found) > MOST_TERMS:
            parts.append(f'"{word}"*')
        else:
            # Doubled quotes: the words come from the index file, which anyone could have written.
            parts.append("(" + " OR ".join('"' + " ".join([*before, term]).replace('"', '""') + '"' for term in found) + ")")
    return " AND ".join(parts)


def _read_all(stale: list[tuple[str, Path, os.stat_result]]) -> Iterator[SessionRows]:
    """Each stale file's rows, in order: read in worker processes for a build (see index_rows.read_rows)."""
    if not stale:
        return  # a current index: the session file reader is not even imported
    from .index_rows import read_rows

    paths = [path for _, path, _ in stale]
    # Reading a file costs more than writing its rows: on two cores, one worker kept this process waiting for
    # rows a fifth of the time, and two workers (taking turns with it on the cores) built 10,000 sessions 20%
    # sooner. One core: everything is read here.
    cpus = os.cpu_count() or 1
    workers = min(WORKERS, cpus) if cpus > 1 and len(paths) >= PARALLEL_FROM else 0
    yield from read_rows(paths, workers, min(TRIP, BATCH))


class _TakenBases:
    """The first rowids of the sessions already indexed: asked of SQLite per file, or (for many files) held."""

    def __init__(self, connection: sqlite3.Connection, many: bool) -> None:
        self.connection = connection
        self.held: set[int] | None = {row[0] for row in connection.execute("SELECT first_line FROM files WHERE first_line IS NOT NULL")} if many else None

    def holds(self, base: int) -> bool:
        if self.held is not None:
            return base in self.held
        return self.connection.execute("SELECT 1 FROM files WHERE first_line = ?", (base,)).fetchone() is not None

    def top(self) -> int:
        return self.connection.execute("SELECT max(first_line) FROM files").fetchone()[0] or 0

    def add(self, base: int) -> None:
        if self.held is not None:
            self.held.add(base)


def _store(connection: sqlite3.Connection, slug: str, name: str, rows: SessionRows, stat: os.stat_result, taken: _TakenBases) -> None:
    key = rows.path
    if rows.problem:
        connection.execute(
            "INSERT INTO files (path, client, name, mtime_ns, size, problem, sort_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, slug, name, stat.st_mtime_ns, stat.st_size, rows.problem, rows.order),
        )
        return
    base = _free_base(rows.block, rows.slot, taken)
    taken.add(base)
    summary = rows.summary
    connection.execute(
        "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)",
        (
            key,
            slug,
            name,
            stat.st_mtime_ns,
            stat.st_size,
            rows.started,
            *summary[:-1],
            base,
            summary[-1],
            rows.order,
            rows.energy or None,
            rows.areas,
        ),
    )
    connection.executemany("INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?)", [(key, slug, rows.started, *action) for action in rows.actions])
    if rows.lines:  # a session without lines has no row in `texts` (its "" would read as one empty line)
        connection.execute("INSERT INTO texts VALUES (?, ?, ?, ?)", (base, rows.texts, rows.stamps, rows.kinds))
        connection.execute("INSERT INTO lines (rowid, text) VALUES (?, ?)", (base, rows.texts))
        if rows.spaceless:
            connection.execute("INSERT INTO spaceless (rowid, text) VALUES (?, ?)", (base, rows.spaceless))


def _free_base(block: int, first: int, taken: _TakenBases) -> int:
    """A block of rowids no other session holds: the one for its start minute and copy number (see minute_block).
    Two clients can have a session in the same minute, and one client a -2, -3 copy: each takes the next free slot
    of that minute."""
    for n in range(SLOTS_PER_MINUTE):
        base = block + (first + n) % SLOTS_PER_MINUTE * LINES_PER_SESSION  # from `first` to the last slot, then the first
        if not taken.holds(base):
            return base
    # 64 sessions in one minute: the order of their lines in results no longer matters. Past every real minute.
    return taken.top() + LINES_PER_SESSION


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
