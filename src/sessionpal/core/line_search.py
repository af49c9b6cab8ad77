"""A search's lines: the sessions FTS5 found hold every word somewhere; these are their lines that hold them all.

`lines` and `spaceless` hold a row a session (a row a line made a first build's FTS5 inserts four times as
long), so a session with "goal" on one line and "week" on the next matches there. Its lines are looked at
here, first in Python: a line that, folded at least as far as the index's tokenizer folds it (accents off,
lower case), lacks one of the typed words as a substring cannot hold that word. That costs a few string
searches a session, so a search whose words are everywhere but never on one line looks at every session
holding them in well under a second at 100,000 sessions. The few lines left are then asked of FTS5 itself,
in tables of the same tokenizers holding those lines alone, which decides (phrases, prefixes, accents).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any

from .index_types import LINES_TOKENIZER, SEPARATOR, SearchQuery
from .spaceless import TOKENIZER, spaced_lines

# path, client, name, started (ISO), stamp, kind, text
HitRow = tuple[str, str, str, str | None, int | None, str, str]


def needles(wanted: SearchQuery) -> tuple[str, ...] | None:
    """What every line `lines` would match holds as a substring once folded: the typed words' tokens, for words
    in ASCII (whose tokens are exactly their runs of letters and digits, lower-cased); None where a typed word
    is not ASCII (its tokens are the tokenizer's to say), and no needles for a search without words for `lines`."""
    words = [*wanted.prefixes, *wanted.phrases]
    if not all(word.isascii() for word in words):
        return None
    found = {token for word in words for token in re.findall("[a-z0-9]+", word.lower())}
    return tuple(sorted(found, key=lambda token: (-len(token), token)))  # the longest first: the rarest, most often


def folded(text: str) -> str:
    """The text's ASCII once every character is folded at least as far as `unicode61 remove_diacritics 2` folds it
    (compatibility decomposition, then lower case): each ASCII run of the tokenizer's tokens is a substring of
    this (tests/core/test_line_search.py checks every character). Dropping the rest joins what it stood between,
    which can only let a line through that FTS5 then turns down."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


class LineFinder:
    """The lines that match among those of the sessions a search found, a batch of sessions at a time. Its tables
    are made before the search's query is run and dropped after it has ended: SQLite drops no table while a
    statement reads."""

    def __init__(self, connection: sqlite3.Connection, wanted: SearchQuery, lines_query: str) -> None:
        self.connection = connection
        self.wanted = wanted
        self.lines_query = lines_query
        self.needles = needles(wanted) if lines_query else ()
        # Without content: only which lines match is asked (the hits are marked after, see `marked`).
        if lines_query:
            connection.execute(f"CREATE VIRTUAL TABLE temp.found_lines USING fts5(text, content = '', columnsize = 0, tokenize = '{LINES_TOKENIZER}')")
        if wanted.spaceless:
            connection.execute(f"CREATE VIRTUAL TABLE temp.found_spaceless USING fts5(text, content = '', columnsize = 0, tokenize = \"{TOKENIZER}\")")

    def close(self) -> None:
        if self.lines_query:
            self.connection.execute("DROP TABLE temp.found_lines")
        if self.wanted.spaceless:
            self.connection.execute("DROP TABLE temp.found_spaceless")

    def matching(self, sessions: list[tuple[Any, ...]]) -> list[HitRow]:
        """Of these sessions (path, client, name, started, first_line; newest first), the lines that match, in the
        order a search shows them: the newest session first, its last line first."""
        if not sessions:
            return []
        bases = [row[4] for row in sessions]
        kept = self.connection.execute(f"SELECT first_line, texts, stamps, kinds FROM texts WHERE first_line IN ({', '.join('?' * len(bases))})", bases)
        held = {base: (texts, stamps, kinds) for base, texts, stamps, kinds in kept}
        candidates: list[tuple[tuple[Any, ...], int, str]] = []
        for row in sessions:
            if row[4] not in held:
                continue
            joined = held[row[4]][0]
            lines = joined.split(SEPARATOR)
            if not self.needles:
                candidates += [(row, n, lines[n]) for n in reversed(range(len(lines)))]
                continue
            first, *rest = self.needles
            shown = folded(joined)
            if first not in shown:
                continue
            candidates += [
                (row, n, lines[n]) for n, line in reversed(list(enumerate(shown.split(SEPARATOR)))) if first in line and all(word in line for word in rest)
            ]
        if not candidates:
            return []
        texts = [text for _, _, text in candidates]
        matched = set(range(1, len(texts) + 1))
        if self.lines_query:
            matched &= self._matched("found_lines", enumerate(texts, start=1), self.lines_query)
        if self.wanted.spaceless:
            matched &= self._matched("found_spaceless", ((n + 1, text) for n, text in spaced_lines(texts)), self.wanted.spaceless)
        hits: list[HitRow] = []
        for rowid, ((path, client, name, started, base), n, text) in enumerate(candidates, start=1):
            if rowid in matched:
                _, stamps, kinds = held[base]
                stamp = stamps.split(",")[n]
                hits.append((path, client, name, started, int(stamp) if stamp else None, kinds.split(",")[n], text))
        return hits

    def _matched(self, table: str, rows: Any, query: str) -> set[int]:
        # In rowid order 1, 2, 3...: a smaller rowid after a larger one makes FTS5 write out what it holds.
        self.connection.execute(f"INSERT INTO temp.{table} ({table}) VALUES ('delete-all')")
        self.connection.executemany(f"INSERT INTO temp.{table} (rowid, text) VALUES (?, ?)", rows)
        return {rowid for (rowid,) in self.connection.execute(f"SELECT rowid FROM temp.{table} WHERE {table} MATCH ?", (query,))}


def marked(connection: sqlite3.Connection, query: str, texts: list[str]) -> list[str | None]:
    """Each text with its matches between \x01 and \x02, as FTS5 marks them (words, prefixes, phrases, letters
    without their accents): `lines` keeps no text to mark, so the hits alone go into a table of the same kind."""
    if not texts:
        return []
    connection.execute(f"CREATE VIRTUAL TABLE temp.hits USING fts5(text, tokenize = '{LINES_TOKENIZER}')")
    connection.executemany("INSERT INTO temp.hits (rowid, text) VALUES (?, ?)", enumerate(texts, start=1))
    shown: list[str | None] = [None] * len(texts)
    for rowid, text in connection.execute("SELECT rowid, highlight(hits, 0, char(1), char(2)) FROM temp.hits WHERE hits MATCH ?", (query,)):
        shown[rowid - 1] = text
    connection.execute("DROP TABLE temp.hits")
    return shown
