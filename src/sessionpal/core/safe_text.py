"""Text from the data home, made harmless to show; control characters refused where the coach types.

A client name, note, title or file name can hold terminal control characters (a
synced file, a script, a paste): ESC starts sequences that clear the screen,
retitle the window or write the clipboard (OSC 52); BEL, BS and CR rewrite what
is shown; U+202E and friends reverse what follows. Everything read from the home
is shown through `visible`, which turns each such character into a visible stand-in
(␛ for ESC, ⟨U+202E⟩ for a bidi override) and changes nothing else; names, titles
and pack text the coach types are refused if they hold one (`refuse_control`).
"""

from __future__ import annotations

import re

# C0 controls (tab and line feed are handled by the caller's `keep`), DEL, C1 controls, and the
# bidirectional controls that reorder text: embeddings, overrides, isolates, marks.
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The same but line feed: a text of many lines without one needs no `visible` for any of its lines.
CONTROL_BUT_LINE_FEED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _stand_in(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "␡"
    return f"⟨U+{code:04X}⟩"


def visible(text: str, keep: str = "") -> str:
    """`text` with every control character shown as a visible stand-in; those in `keep` (say "\\n") stay."""
    if not CONTROL.search(text):
        return text  # the common case costs one scan
    return CONTROL.sub(lambda m: m.group() if m.group() in keep else _stand_in(m.group()), text)


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


def control_named(text: str) -> str:
    """The first control character in `text`, as a coach can look it up ("U+001B")."""
    found = CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else ""


def refuse_control(texts: str | list[str] | tuple[str, ...], what: str, error: type[Exception] = ValueError) -> None:
    """Raise `error`, saying what, if the coach typed a control character into a name, title or pack text."""
    for text in [texts] if isinstance(texts, str) else texts:
        if has_control(text):
            raise error(f"{what} cannot hold control characters ({control_named(text)}): they can change a terminal's screen")


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: one starting = + - @ (or tab, CR) would be run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


SHOWN_CHARS = 1000  # one note on screen: far more than a coach types; a pasted book is cut here, the file keeps it whole


def glimpse(text: str, limit: int = SHOWN_CHARS) -> str:
    """The text as a screen shows it: whole up to `limit` characters, then cut with a word of what is left
    (wrapping a 10 MB line took the screen half a minute)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters in the file)"
