"""Finding words in scripts written without spaces: Chinese, Japanese, Korean, Thai, Lao, Khmer, Burmese.

SQLite's unicode61 tokenizer cuts text at spaces and punctuation, so
"我想跑半程马拉松" is one token and "马拉松" inside it is never found. The
search index keeps a second FTS5 table for lines in these scripts, where each
character (with the marks that belong to it, as Thai vowels and tone marks do)
is a token of its own; a word in such a script is searched as the phrase of its
characters, which finds it anywhere in a line, however short it is. (FTS5's
trigram tokenizer would need three characters: 我想 and 跑 would find nothing.)
The live deck needs none of this: its filter already looks for substrings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# Thai, Lao, Burmese, Khmer, Hiragana, Katakana, CJK ideographs (and extensions), Hangul syllables.
SPACELESS_CHARS = "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"

# For that table: letters, digits, private use and combining marks are parts of a token (unicode61's
# default leaves marks out, which would cut Thai words apart at every vowel sign).
TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"


def has_spaceless(text: str) -> bool:
    # ASCII text (most notes, most searches) has none: no regular expression for it, not even compiled.
    return not text.isascii() and _spaceless().search(text) is not None


def spaced(text: str) -> str:
    """The text with every spaceless character a word of its own (marks stay with their character)."""
    # Split around each character (the pattern's group keeps it), joined with spaces: as substituting " \g<0> "
    # would be, without a Python call per character for the template; then the spaces made single.
    return " ".join(" ".join(_unit().split(text)).split())


def spaced_lines(texts: Iterable[str]) -> list[tuple[int, str]]:
    """(number, spaced text) of each of the texts with a spaceless character: the lines of a session as the
    spaceless table holds them. One pass of the pattern per line (and none for an ASCII line), where
    has_spaceless and then spaced would make two."""
    unit = _unit()
    found = []
    for number, text in enumerate(texts):
        if not text.isascii():
            parts = unit.split(text)
            if len(parts) > 1:  # a character matched: as has_spaceless, since each unit starts with one
                found.append((number, " ".join(" ".join(parts).split())))
    return found


def spaceless_text(texts: list[str]) -> str:
    """A session's lines as the spaceless table holds them, one row a session: each line with a spaceless character,
    spaced, joined by RS (a separator to the table's tokenizer, as in `texts`). "" for none."""
    return "\x1e".join(text for _, text in spaced_lines(texts))


def units(run: str) -> list[str]:
    """A run of spaceless characters as its units: each character with the marks that belong to it (a Thai
    vowel sign stays with its letter), as the spaceless table's tokens are."""
    return [part for part in _unit().split(run) if part and not part.isspace()]


@functools.cache
def _spaceless() -> re.Pattern[str]:
    # Compiled when first needed (4 ms of a search's start otherwise).
    return re.compile(SPACELESS_CHARS)


@functools.cache
def _unit() -> re.Pattern[str]:
    # One spaceless character and the combining marks after it (Thai vowel signs and tone marks, kana's
    # voicing marks): one regular-expression pass per line, not a Python loop per character.
    import unicodedata

    marks = [c for c in range(0x300, 0x10000) if unicodedata.category(chr(c)).startswith("M")]
    ranges, start = [], marks[0]
    for previous, current in zip(marks, [*marks[1:], -1], strict=True):
        if current != previous + 1:
            ranges.append(f"\\u{start:04x}-\\u{previous:04x}" if previous > start else f"\\u{start:04x}")
            start = current
    return re.compile("(" + SPACELESS_CHARS + "[" + "".join(ranges) + "]*)")


def mark(text: str, terms: list[str]) -> str:
    """The text with each occurrence of each term between \\x01 and \\x02 (case-insensitively), as FTS5's highlight()."""
    folded = text.casefold()
    spans: list[tuple[int, int]] = []
    if len(folded) == len(text):  # casefold can change lengths (ß -> ss): then positions would not line up
        for term in terms:
            wanted = term.casefold()
            start = folded.find(wanted)
            while wanted and start >= 0:
                spans.append((start, start + len(wanted)))
                start = folded.find(wanted, start + len(wanted))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, at = [], 0
    for start, end in merged:
        out += [text[at:start], "\x01", text[start:end], "\x02"]
        at = end
    out.append(text[at:])
    return "".join(out)
