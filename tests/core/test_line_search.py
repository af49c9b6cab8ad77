"""A search's lines (core/line_search.py): what its look in Python lets through, FTS5 decides, and it never turns
down a line FTS5 would match."""

from __future__ import annotations

import re
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.index_types import LINES_TOKENIZER, SEPARATOR, SearchQuery
from sessionpal.core.line_search import LineFinder, folded, needles


def test_every_character_folds_at_least_as_far_as_the_tokenizer_folds_it() -> None:
    """Each ASCII run of the tokens `unicode61 remove_diacritics 2` makes of "a<c>b" is a substring of folded("a<c>b"),
    for every character c: so a line holding a typed ASCII word as a token holds it as a substring once folded."""
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize = '{LINES_TOKENIZER}')")
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    characters = [chr(code) for code in range(0x80, 0x30000) if not 0xD800 <= code < 0xE000]
    connection.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", [(n, f"a{c}b") for n, c in enumerate(characters, start=1)])
    tokens: dict[int, list[tuple[int, str]]] = {}
    for term, doc, offset in connection.execute("SELECT term, doc, offset FROM v"):
        tokens.setdefault(doc, []).append((offset, term))
    short = []
    for n, character in enumerate(characters, start=1):
        mine = folded(f"a{character}b")
        runs = re.findall("[a-z0-9]+", " ".join(term for _, term in sorted(tokens.get(n, []))))
        if not all(run in mine for run in runs):
            short.append(f"U+{ord(character):04X}")
    assert short == []
    assert folded("José ÉCOLE ﬁne") == "jose ecole fine" and folded("马拉松 half") == " half"


def test_needles_are_the_ascii_words_tokens() -> None:
    assert needles(SearchQuery.parse('Re-sa "said, Twice" cv')) == ("twice", "said", "cv", "re", "sa")
    assert needles(SearchQuery.parse("josé")) is None, "a word not in ASCII: the tokenizer's to say"
    assert needles(SearchQuery.parse("马拉松")) == (), "no word for `lines`"


WORDS = ["goal", "goals", "week", "José", "jose", "CAFÉ", "cafe", "ﬁne", "fine", "马拉松", "half", "re-sa", "x_y", "Øre", "ore"]


def session_table(sessions: list[list[str]]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE texts (first_line INTEGER PRIMARY KEY, texts TEXT NOT NULL, stamps TEXT NOT NULL, kinds TEXT NOT NULL)")
    for base, lines in enumerate(sessions, start=1):
        connection.execute(
            "INSERT INTO texts VALUES (?, ?, ?, ?)", (base, SEPARATOR.join(lines), ",".join(str(n) for n in range(len(lines))), ",".join("note" for _ in lines))
        )
    return connection


def truth(sessions: list[list[str]], query: str) -> list[tuple[int, int]]:
    """(session, line) of every line FTS5 matches when it holds the lines one a row, newest session first."""
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize = '{LINES_TOKENIZER}')")
    rows = [(base * 1000 + n, line) for base, lines in enumerate(sessions, start=1) for n, line in enumerate(lines)]
    connection.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", rows)
    return [(rowid // 1000, rowid % 1000) for (rowid,) in connection.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid DESC", (query,))]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.lists(st.sampled_from([*WORDS, "and", ",", "-", ""]), max_size=5).map(" ".join), min_size=1, max_size=4), min_size=1, max_size=4),
    st.lists(st.sampled_from([w for w in WORDS if w != "马拉松"]), min_size=1, max_size=3),
    st.booleans(),
)
def test_the_lines_found_are_those_fts5_matches_a_line_at_a_time(sessions: list[list[str]], typed: list[str], as_phrase: bool) -> None:
    query = SearchQuery.parse(f'"{" ".join(typed)}"' if as_phrase else " ".join(typed))
    if not query.lines:
        return
    connection = session_table(sessions)
    finder = LineFinder(connection, query, query.lines)
    newest_first = [("path", "client", "name", None, base) for base in reversed(range(1, len(sessions) + 1))]
    found = [(int(stamp or 0), text) for *_, stamp, _, text in finder.matching(newest_first)]
    finder.close()
    expected = [(n, sessions[base - 1][n]) for base, n in truth(sessions, query.lines)]
    assert found == expected
