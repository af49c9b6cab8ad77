"""Editing the coach's own packs, one question's lines at a time.

Each question is a block of lines: its [[questions]] header (with any comment
lines directly above it) down to its last key. An edit rewrites only that block
(through tomlkit, so the block's comments and quoting survive); a delete or a
move splices whole blocks; everything else in the file, comments between
questions included, stays byte for byte. The new text is parsed and checked as
a pack before it replaces the file; if it would not be a valid pack, the file
is left as it was. Built-in packs are never edited: "make it mine" copies.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from msgspec import Struct
from msgspec.structs import replace

from . import fsio
from .model import PHASES, Pack, Question
from .packs import load_pack_file, parse_pack
from .paths import Home
from .problems import FileProblems, decode_utf8, parse_toml, problem, read_user_bytes
from .safe_text import refuse_control
from .saving import SaveFailed
from .schema import ID_MAX, ID_RE
from .tomledit import toml_string
from .tomlpos import key_positions, lines_in_string
from .versions import before_rewrite, home_of


class PackEditError(SaveFailed):
    """An edit that cannot be made (a built-in pack, an unknown question, a taken id)."""


class Block(Struct, frozen=True):
    start: int  # first line (a comment directly above the header, or the header)
    header: int  # the [[questions]] or [pack] line
    keys_end: int  # one past the last line of the table's keys
    end: int  # one past the block, its own trailing comments included


Blocks = tuple[Block | None, list[Block]]  # the [pack] block and the question blocks


def _blocks(text: str) -> Blocks:
    """The [pack] block and every question's block, in file order."""
    lines = text.split("\n")
    in_string = lines_in_string(text)
    positions = key_positions(text)
    headers: list[tuple[str, int]] = []
    if ("pack",) in positions:
        headers.append(("pack", positions[("pack",)][0] - 1))
    index = 0
    while ("questions", index) in positions:
        headers.append(("question", positions[("questions", index)][0] - 1))
        index += 1
    # Any other table header also ends a block.
    table_lines = sorted({i for i, line in enumerate(lines) if not in_string[i] and line.lstrip().startswith("[")} | {h for _, h in headers})
    pack_block, question_blocks = None, []
    for kind, header in headers:
        after = bisect.bisect_right(table_lines, header)  # the next header: a search, not a scan (100,000 questions)
        end = table_lines[after] if after < len(table_lines) else len(lines)
        limit = end
        # The block ends at its last key; then comment lines right under it (no blank line) are its own,
        # unless they run straight into the next header, which they then introduce.
        while end > header + 1 and not in_string[end - 1] and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        keys_end = trailing = end
        while trailing < limit and not in_string[trailing] and lines[trailing].lstrip().startswith("#"):
            trailing += 1
        if trailing < limit and not lines[trailing].strip():
            end = trailing
        start = header
        while start > 0 and not in_string[start - 1] and lines[start - 1].lstrip().startswith("#"):
            start -= 1
        block = Block(start, header, keys_end, end)
        if kind == "pack":
            pack_block = block
        else:
            question_blocks.append(block)
    return pack_block, question_blocks


def _read(path: Path) -> tuple[str, bytes]:
    raw = read_user_bytes(path)
    return decode_utf8(path, raw), raw[:3] if raw.startswith(b"\xef\xbb\xbf") else b""


def edit_pack(path: Path, change: Callable[[list[str], Pack, Blocks], list[str]], *, appends: bool = False) -> Pack:
    """Apply a line-level change to a user pack; the result must be a valid pack, or nothing is written.

    `appends`: the change only adds one question at the end, so the blocks are not worked out and the
    new pack is checked by its last question alone (adding to a pack of 100,000 costs one reading of it)."""
    with fsio.exclusive(path):
        return _edit_pack(path, change, appends)


def _edit_pack(path: Path, change: Callable[[list[str], Pack, Blocks], list[str]], appends: bool = False) -> Pack:
    text, bom = _read(path)
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    pack = parse_pack(path, text)  # a broken pack is reported, never rewritten
    lines = change(text.split("\n"), pack, (None, []) if appends else _blocks(text))
    new_text = "\n".join(lines)
    try:
        new_pack = _with_last_question(path, pack, new_text) if appends else parse_pack(path, new_text)
    except FileProblems as error:
        raise problem(path, f"the edit would make this pack invalid, so it was not saved: {error.problems[0].message}") from None
    data = bom + new_text.replace("\n", newline).encode("utf-8")
    before_rewrite(home_of(path, 1), path, len(data))  # a user pack lives in <home>/prompts/
    fsio.atomic_write(path, data)
    return new_pack


def _with_last_question(path: Path, pack: Pack, new_text: str) -> Pack:
    """The pack once one question was appended: the new text still parses with exactly one more question
    (say, an inline `questions = [...]` would break), and that question, alone in a pack, is valid."""
    questions = parse_toml(path, new_text).get("questions")  # the compiled parser: a pass over the text, no checks
    if not isinstance(questions, list) or len(questions) != len(pack.questions) + 1:
        raise problem(path, "the new question did not land as one more [[questions]] table")
    last = new_text[new_text.rindex("[[questions]]") :]
    alone = parse_pack(path, f"[pack]\nid = {toml_string(pack.id)}\ntitle = {toml_string(pack.title or pack.id)}\n\n{last}")
    return replace(pack, questions=(*pack.questions, *alone.questions))


def _index(pack: Pack, question_id: str) -> int:
    for index, question in enumerate(pack.questions):
        if question.id == question_id:
            return index
    raise PackEditError(f"no question {question_id!r} in pack {pack.id!r}")


def question_id_for(text: str, taken: set[str]) -> str:
    """An id from the first words of the question, unique in the pack."""
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded)[:6]
    base = "-".join(words)[:40].strip("-") or "question"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _value(new: object, old_source: str | None = None) -> str:
    """TOML for a value; a string keeps the literal quoting it had when it can."""
    if isinstance(new, str):
        if (
            old_source is not None
            and old_source.lstrip().startswith("'")
            and "'" not in new
            and not any(c in new for c in "\n\r\t")
            and not any(ord(c) < 32 or ord(c) == 127 for c in new)
        ):
            return f"'{new}'"
        return toml_string(new)
    # Not text, so one of the list fields (tags, follow_ups): a list of text.
    items = [toml_string(v) for v in cast("Iterable[str]", new)]
    if old_source is not None and "\n" in old_source.strip():
        # A list the coach wrote one item per line stays one item per line.
        indent = re.search(r"\n([ \t]+)\S", old_source)
        pad = indent.group(1) if indent else "    "
        return "[\n" + "".join(f"{pad}{item},\n" for item in items) + "]"
    return "[" + ", ".join(items) + "]"


def _set_keys(block_lines: list[str], values: dict[str, object]) -> list[str]:
    """Set (or, for None, remove) keys of one question's block, through tomlkit."""
    import tomlkit

    document = tomlkit.parse("\n".join(block_lines) + "\n")
    name = next(iter(document))  # "questions" (an array of one table) or "pack"
    table = document[name][0] if name == "questions" else document[name]
    for key, value in values.items():
        if value is None or value == () or value == []:
            if key in table:
                del table[key]
            continue
        old_source = table[key].as_string() if key in table else None
        table[key] = tomlkit.parse(f"x = {_value(value, old_source)}")["x"]
    return tomlkit.dumps(document).rstrip("\n").split("\n")


FIELDS = ("text", "tags", "phase", "follow_ups")


def edit_question(path: Path, question_id: str, **values: object) -> Pack:
    """Change a question's text, tags, phase or follow-ups; None (or an empty list) removes the key."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a question field: {sorted(unknown)}")
    for key in ("text", "tags", "follow_ups"):
        given = values.get(key)
        if isinstance(given, (str, list, tuple)):
            texts = [str(v) for v in given] if isinstance(given, (list, tuple)) else [given]
            refuse_control([" ".join(t.split()) for t in texts], f"a question's {key.replace('_', '-')}", PackEditError)
    if "text" in values and not str(values["text"] or "").strip():
        raise PackEditError("a question needs its text")
    if "phase" in values and values["phase"] is not None and values["phase"] not in PHASES:
        raise PackEditError(f"unknown phase {values['phase']!r}: use one of {', '.join(PHASES)}")
    if "text" in values:
        values["text"] = " ".join(str(values["text"]).split())

    def change(lines: list[str], pack: Pack, blocks: Blocks) -> list[str]:
        block = blocks[1][_index(pack, question_id)]
        # Only the keys go through tomlkit, so a new key lands under the last one, above any trailing comment.
        return lines[: block.header] + _set_keys(lines[block.header : block.keys_end], values) + lines[block.keys_end :]

    return edit_pack(path, change)


def add_question(
    path: Path,
    text: str,
    *,
    tags: list[str] | None = None,
    phase: str | None = None,
    follow_ups: list[str] | None = None,
    question_id: str | None = None,
    pack_id: str | None = None,
) -> Question:
    """Append a question at the end of the pack; returns it (its id is made from its text if not given).

    `pack_id`: the pack the file must hold (WrongPack otherwise, and nothing is written)."""
    refuse_control([" ".join(t.split()) for t in (text, *(tags or []), *(follow_ups or []))], "a question's text, tags or follow-ups", PackEditError)
    text = " ".join(text.split())
    if not text:
        raise PackEditError("a question needs its text")
    if phase and phase not in PHASES:
        raise PackEditError(f"unknown phase {phase!r}: use one of {', '.join(PHASES)}")

    def block(qid: str) -> list[str]:
        lines = ["[[questions]]", f"id = {toml_string(qid)}", f"text = {toml_string(text)}"]
        if tags:
            lines.append(f"tags = {_value([t.strip() for t in tags if t.strip()])}")
        if phase:
            lines.append(f"phase = {toml_string(phase)}")
        if follow_ups:
            lines.append(f"follow_ups = {_value([f.strip() for f in follow_ups if f.strip()])}")
        return lines

    def appended(lines: list[str], qid: str) -> list[str]:
        while lines and lines[-1] == "":
            lines = lines[:-1]
        return [*lines, "", *block(qid), ""]

    holder: dict[str, str] = {}

    def change(lines: list[str], pack: Pack, blocks: Blocks) -> list[str]:
        if pack_id is not None and pack.id != pack_id:
            raise WrongPack(f"{path} holds the pack {pack.id!r}, not {pack_id!r}")
        taken = {q.id for q in pack.questions}
        qid = question_id or question_id_for(text, taken)
        if qid in taken:
            raise PackEditError(f"the pack already has a question with id {qid!r}")
        if not ID_RE.fullmatch(qid) or len(qid) > ID_MAX:
            raise PackEditError(f"{qid!r} is not a valid question id")
        holder["id"] = qid
        return appended(lines, qid)

    with fsio.exclusive(path):
        guess = question_id or question_id_for(text, set())
        quick = _append_in_one_reading(path, guess, appended, pack_id) if ID_RE.fullmatch(guess) and len(guess) <= ID_MAX else None
        if quick is not None:
            return quick
        pack = _edit_pack(path, change, appends=True)
    return pack.questions[_index(pack, holder["id"])]


class WrongPack(PackEditError):
    """The file holds another pack than the one named."""


def _append_in_one_reading(path: Path, qid: str, appended: Callable[[list[str], str], list[str]], pack_id: str | None) -> Question | None:
    """The common case of an append, at the cost of one reading: the new text, checked whole, is a valid
    pack whose last question is the new one (so the old text was a valid pack too: a TOML prefix that
    ends at a line, followed by one self-contained [[questions]] table). Anything else (a taken id, a
    broken pack, another pack) returns None, and the careful path says what is wrong."""
    text, bom = _read(path)
    newline = "\r\n" if "\r\n" in text else "\n"
    new_text = "\n".join(appended(text.replace("\r\n", "\n").split("\n"), qid))
    try:
        pack = parse_pack(path, new_text)
    except FileProblems:
        return None
    if not pack.questions or pack.questions[-1].id != qid or (pack_id is not None and pack.id != pack_id):
        return None
    data = bom + new_text.replace("\n", newline).encode("utf-8")
    before_rewrite(home_of(path, 1), path, len(data))
    fsio.atomic_write(path, data)
    return pack.questions[-1]


def delete_question(path: Path, question_id: str) -> Pack:
    def change(lines: list[str], pack: Pack, blocks: Blocks) -> list[str]:
        block = blocks[1][_index(pack, question_id)]
        before, after = lines[: block.start], lines[block.end :]
        # Do not leave two blank lines where the question was.
        if before and not before[-1].strip() and after and not after[0].strip():
            after = after[1:]
        return before + after

    return edit_pack(path, change)


def move_question(path: Path, question_id: str, delta: int) -> Pack:
    """Swap a question with its neighbour above (-1) or below (+1); the lines between them stay put."""

    def change(lines: list[str], pack: Pack, blocks: Blocks) -> list[str]:
        index = _index(pack, question_id)
        other = index + delta
        if not 0 <= other < len(blocks[1]):
            return lines
        first, second = sorted((blocks[1][index], blocks[1][other]), key=lambda b: b.start)
        return lines[: first.start] + lines[second.start : second.end] + lines[first.end : second.start] + lines[first.start : first.end] + lines[second.end :]

    return edit_pack(path, change)


def rename_pack(path: Path, title: str) -> Pack:
    title = " ".join(title.split())
    refuse_control(title, "a pack's title", PackEditError)
    if not title:
        raise PackEditError("a pack needs a title")

    def change(lines: list[str], pack: Pack, blocks: Blocks) -> list[str]:
        block = blocks[0]
        assert block is not None
        return lines[: block.header] + _set_keys(lines[block.header : block.keys_end], {"title": title}) + lines[block.keys_end :]

    return edit_pack(path, change)


STARTER = """\
# {title}: questions of your own. Edit this file freely; the app keeps your comments.
# Check it with `sessionpal packs check`; the format is in docs/formats.md.

[pack]
id = {id}
title = {title_toml}
description = ""   # what this pack is for (optional)

# Each question: id (lowercase, digits, dashes) and text; tags, phase and follow_ups are optional.
# phase is one of: opening, explore, options, action, closing.
[[questions]]
id = "what-matters-now"
text = "What matters most to you right now?"
tags = ["values"]
phase = "explore"
follow_ups = ["And what else?"]
"""


def new_pack(home: Home, pack_id: str, title: str = "") -> Pack:
    """Write a commented starter pack into the coach's packs folder; never over an existing file."""
    if not ID_RE.fullmatch(pack_id) or len(pack_id) > ID_MAX:
        raise PackEditError(f"{pack_id!r} is not a valid pack id: use lowercase letters, digits and single dashes")
    title = " ".join(title.split()) or pack_id.replace("-", " ").capitalize()
    refuse_control(title, "a pack's title", PackEditError)
    path = home.prompts_dir / f"{pack_id}.toml"
    text = STARTER.format(title=title, id=toml_string(pack_id), title_toml=toml_string(title))
    if not fsio.create_new(path, text):
        raise PackEditError(f"{path} already exists")
    return load_pack_file(path)


def make_pack_mine(home: Home, pack: Pack) -> Pack:
    """Copy a built-in pack, comments and all, into the coach's folder, where it replaces the built-in."""
    path = home.prompts_dir / f"{pack.id}.toml"
    text, _ = _read(pack.path)
    header = f"# Copied from sessionpal's built-in pack {pack.id!r}; this copy is yours and replaces it.\n"
    if not fsio.create_new(path, header + text):
        raise PackEditError(f"{path} already exists: it is already yours")
    return load_pack_file(path)


def copy_question(target: Path, question: Question) -> Question:
    """Copy a question (text, tags, phase, follow-ups) into one of the coach's packs."""
    pack = load_pack_file(target)
    taken = {q.id for q in pack.questions}
    qid = question.id if question.id not in taken else None
    return add_question(
        target,
        question.text,
        tags=list(question.tags),
        phase=question.phase.value if question.phase else None,
        follow_ups=list(question.follow_ups),
        question_id=qid,
    )


def user_pack_path(home: Home, pack: Pack) -> Path:
    """Where a pack lives if it is the coach's own; PackEditError for a built-in one."""
    if pack.builtin:
        raise PackEditError(f"'{pack.title}' is built in and read-only: make it yours first (it is copied into your packs)")
    return pack.path


__all__ = [
    "PackEditError",
    "WrongPack",
    "add_question",
    "copy_question",
    "delete_question",
    "edit_question",
    "make_pack_mine",
    "move_question",
    "new_pack",
    "question_id_for",
    "rename_pack",
    "user_pack_path",
]
