"""The search index's reader of session files (sessionfile.scan_session) reads what SessionDocument.parse reads:
the same front matter, the same entries in the same order, the same first problem for a file it cannot read."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.clients import create_client
from sessionpal.core.index_rows import SessionRows, session_rows
from sessionpal.core.live import LiveSession
from sessionpal.core.model import Action, AskedQuestion, Note
from sessionpal.core.paths import Home
from sessionpal.core.problems import FileProblems
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessionfile import SessionDocument, SessionText, scan_session
from sessionpal.core.timer import FakeClock

from ..helpers import START

PATH = Path("clients/ana/sessions/2026-11-23T1000.md")

FRONTS = [
    'client = "ana"\nstarted = 2026-11-23T10:00:00+01:00\nelapsed_seconds = 3000\ntimer = "ended"\ngoals = ["a", "b"]\n',
    'client = "ana"\nagreement = "leave by spring"\nratings = { a = 7 }\nplanned_minutes = 45\n',
    'client = "ana"\n# a comment\n',
    "client = \n",  # invalid TOML
    'client = ""\n',  # checked: blank
    'client = "ana"\nplanned_minutes = 0\n',  # checked: out of range
    'client = "ana"\nstarted = 9999-12-31T23:59:59-23:59\n',
    "",
]
HEADINGS = [
    "## Notes",
    "## notes",
    "# Notes",
    "##\tNotes ##",
    "## Notes \t#",
    "### Notes",
    "#Notes",
    "####### Notes",
    "## Questions asked",
    "##  QUESTIONS ASKED  ",
    "## Actions",
    "# Actions #",
    "## Other things",
    "##",
    "## ",
]
STAMPS = ["[00:01:02]", "[12:59:59]", "[1234:00:00]", "[0:00:01]", "[00:60:00]", "[00:00:1]", "[12345:00:00]", "[123456789012345:00:00]"]
WORDS = st.sampled_from(
    [
        "plain words",
        "",
        '"a quote"',
        '"',
        "**Insight:** seen",
        "**Question:** what now?",
        "**For the client:** yours",
        "\\**Insight:** escaped",
        "学习中文 every morning",
        "ฉันอยากวิ่ง",
        "send it due:2026-12-01",
        "due:2026-02-30",
        "x due:tomorrow",
        "What matters? `awareness/what-matters`",
        "odd `ref` `a/b`",
        "\x1b[31mred\x1b[0m",
        "\u202eevil",
        "tab\there",
        "\u2028sep",
        "\x0bvt\x0cff\x85nel",
        "- [00:00:01] nested",
        "+++",
        "trailing #",
    ]
)
LINE = st.one_of(
    st.sampled_from(HEADINGS),
    st.builds(lambda stamp, words: f"- {stamp} {words}", st.sampled_from(STAMPS), WORDS),
    st.builds(lambda box, stamp, words: f"- [{box}] {stamp}{words}", st.sampled_from(" xX-?"), st.sampled_from([*(s + " " for s in STAMPS), ""]), WORDS),
    st.sampled_from(["", "a paragraph of my own", "-  [00:00:01] two spaces", "- [00:00:01]no space", "\r", "+++", "  ## indented"]),
    WORDS,
)


def reference(text: str) -> SessionText | str:
    """What the index read through SessionDocument (before scan_session), or the file's first problem."""
    try:
        document = SessionDocument.parse(PATH, text)
    except FileProblems as error:
        return str(error.problems[0])
    lines: list[tuple[int | None, str, str]] = []
    for _, item in document.entries():
        entry = item.entry
        if isinstance(entry, Note):
            lines.append((entry.stamp, entry.kind.value, entry.text))
        elif isinstance(entry, AskedQuestion):
            lines.append((entry.stamp, "asked", entry.text))
        elif isinstance(entry, Action):
            lines.append((entry.stamp, "action", entry.text))
    actions = [(a.stamp, a.state, a.text, a.due) for a in document.actions]
    return SessionText(document.info, len(document.notes), len(document.asked), lines, actions)


def scanned(text: str) -> SessionText | str:
    try:
        return scan_session(PATH, text)
    except FileProblems as error:
        return str(error.problems[0])


# Mostly files that parse, so that most examples compare entries; sections of lines under headings of every sort.
FRONT = st.one_of(st.sampled_from(FRONTS[:3]), st.sampled_from(FRONTS))
FENCE = st.one_of(st.just("+++"), st.sampled_from(["+++ \t", "++", ""]))
BLOCKS = st.lists(st.tuples(st.sampled_from(HEADINGS), st.lists(LINE, max_size=12)).map(lambda block: [block[0], *block[1]]), max_size=6)


@settings(max_examples=800)
@given(FRONT, st.lists(LINE, max_size=4), BLOCKS, st.sampled_from(["\n", "\r\n"]), FENCE, st.sampled_from(["", "\n", "\r\n"]))
def test_the_index_reads_what_the_document_reads(front: str, before: list[str], blocks: list[list[str]], newline: str, fence: str, end: str) -> None:
    head = "+++" + newline + front.replace("\n", newline)
    body = [*before, *(line for block in blocks for line in block)]
    text = head + (fence + newline if fence else "") + newline.join(body) + end
    assert scanned(text) == reference(text)


def test_files_that_cannot_be_read_give_the_same_first_problem() -> None:
    texts = [
        "",
        "+++",
        "no front matter\n",
        '+++\nclient = "ana"\n',
        '+++\nclient = "ana"\n+++',
        "+++\nclient = \n+++\n## Notes\n",
        '+++\nclient = "ana"\n+++\n\n## Notes\n\n- [00:00:01] fine\n- [123456:00:00] too long\n',
        '+++\nclient = "ana"\n+++\n## Actions\n- [ ] [99999:00:00] too long\n## Notes\n- [11111:00:00] later\n',
    ]
    for text in texts:
        assert scanned(text) == reference(text), text
    assert "out of range" in str(scanned(texts[-1])) and ":5:8:" in str(scanned(texts[-1])), "the first such line, where it is"
    long_outside = '+++\nclient = "ana"\n+++\n- [123456:00:00] before any section\n## Other\n- [123456:00:00] in no section\n'
    assert isinstance(scanned(long_outside), SessionText) and scanned(long_outside) == reference(long_outside)


def test_a_session_written_by_the_app_gives_its_rows(home: Home) -> None:
    client = create_client(home, "Ana Pérez", 45, date(2026, 9, 1))
    clock = FakeClock(START - timedelta(days=3))
    live = LiveSession(home, client, clock, FALLBACK_MODEL, 60)
    for text in ["=leave by spring", "she compared the offer", '"I always give up in March', "*the deadline is hers", "!send the CV by Friday", "学习中文"]:
        clock.advance(60)
        live.add_note(text)
    live.end()
    assert live.path is not None
    rows = session_rows(live.path)
    assert isinstance(rows, SessionRows) and not rows.problem
    assert (rows.lines, rows.stamps, rows.kinds) == (6, "60,120,180,300,240,", "note,quote,insight,note,action,agreement")
    assert rows.texts.split("\x1e") == [
        "she compared the offer",
        "I always give up in March",
        "the deadline is hers",
        "学习中文",
        "send the CV by Friday",
        "leave by spring",
    ]
    assert rows.actions == ((240, " ", "send the CV by Friday", "2026-11-27"),)
    assert rows.spaceless == "学 习 中 文"
    assert rows.summary[2:5] == (4, 0, 1) and rows.summary[6:8] == ("leave by spring", 1)
