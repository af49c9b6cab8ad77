from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.due import SUFFIX
from sessionpal.core.model import Action, ActionState, AskedQuestion, Note, NoteKind
from sessionpal.core.problems import FileProblems
from sessionpal.core.safe_text import visible
from sessionpal.core.sessionfile import ACTIONS, ASKED, NOTES, SessionDocument, clean_text, new_session_text, parse_entry, render_entry
from sessionpal.core.stamps import format_stamp

PATH = Path("clients/ana/sessions/2026-11-23T1000.md")
STARTED = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1)))
FRONT = {
    "client": "ana",
    "started": STARTED,
    "planned_minutes": 60,
    "elapsed_seconds": 0,
    "timer": "running",
    "model": "grow",
    "questions": (),
    "goals": (),
}

# Anything a person can type on one line: every character but line breaks and surrogates.
one_line = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), min_size=1, max_size=300)
stamps = st.integers(min_value=0, max_value=200 * 3600)
note_kinds = st.sampled_from([NoteKind.NOTE, NoteKind.QUOTE, NoteKind.INSIGHT, NoteKind.QUESTION, NoteKind.SHARED])
tricky = st.sampled_from(
    [
        "+++",
        "---",
        "# heading",
        "## Notes",
        "**Insight:** x",
        '"',
        '""',
        '"quoted"',
        "\\",
        "\\\\n",
        "\t\ttabs",
        "😀 emoji",
        "مرحبا بالعالم RTL",
        "- [ ] not an action",
        "- [00:00:01] nested",
        "x" * 5000,
        " leading space",
        "trailing space ",
        "`code` and *stars*",
        "[link](http://x)",
        "\u2028line sep",
        "\x00nul",
        "\x7fdel",
        "?",
        "!",
        "*",
    ]
)
note_text = st.one_of(one_line, tricky, st.tuples(tricky, one_line).map("".join))


def new_doc() -> SessionDocument:
    return SessionDocument.parse(PATH, new_session_text(FRONT))


@settings(max_examples=300)
@given(st.lists(st.tuples(stamps, note_kinds, note_text), max_size=20))
def test_notes_of_every_kind_come_back_identical(notes: list[tuple[int, NoteKind, str]]) -> None:
    document = new_doc()
    for stamp, kind, text in notes:
        document.add_note(Note(stamp, text, kind))
    text = document.render()
    again = SessionDocument.parse(PATH, text)
    # Identical, but for a control character, which comes back as its visible stand-in (never sent to a terminal).
    assert again.notes == [Note(s, visible(t), k) for s, k, t in notes]
    assert again.render() == text, "the file keeps what was written"


# An action's words never end in a due date of their own: typed, it becomes the date (core/due.py).
action_text = note_text.filter(lambda t: not SUFFIX.search(t))
due_dates = st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2199, 12, 31)))


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.one_of(st.none(), stamps), action_text, st.sampled_from(list(ActionState)), due_dates), max_size=10),
    st.lists(st.tuples(stamps, note_text, st.sampled_from(["", "awareness/what-else", "a-b/c-1"])), max_size=10),
)
def test_actions_and_asked_questions_come_back_identical(
    actions: list[tuple[int | None, str, ActionState, date | None]], asked: list[tuple[int, str, str]]
) -> None:
    document = new_doc()
    for stamp, text, state, due in actions:
        document.add(ACTIONS, Action(text, stamp, state, due))
    for stamp, text, ref in asked:
        document.add(ASKED, AskedQuestion(stamp, text, ref))
    again = SessionDocument.parse(PATH, document.render())
    assert again.actions == [Action(visible(t), s, st_, d) for s, t, st_, d in actions]
    # An asked question's text is the pack's; the reference rides after it in backticks.
    assert [(a.stamp, a.ref) for a in again.asked] == [(s, r) for s, _, r in asked]
    for got, (_, text, ref) in zip(again.asked, asked, strict=True):
        if ref or not text.rstrip().endswith("`"):
            assert got.text == visible(text)


@settings(max_examples=300)
@given(st.lists(st.one_of(one_line, tricky, st.just(""), st.sampled_from(["## Notes", "## Actions", "## Questions asked", "# Mine", "### sub"])), max_size=40))
def test_any_body_a_person_writes_renders_back_byte_for_byte(lines: list[str]) -> None:
    text = new_session_text(FRONT) + "\n".join(lines)
    document = SessionDocument.parse(PATH, text)
    assert document.render() == text


@settings(max_examples=200)
@given(st.lists(st.one_of(one_line, st.just(""), st.sampled_from(["## Notes", "## Actions", "Some prep."])), max_size=15), note_text)
def test_adding_a_note_keeps_every_hand_written_line(lines: list[str], text: str) -> None:
    original = new_session_text(FRONT) + "\n".join(lines)
    document = SessionDocument.parse(PATH, original)
    document.add_note(Note(61, text))
    rendered = document.render()
    again = SessionDocument.parse(PATH, rendered)
    assert Note(61, visible(text)) in again.notes
    # Every original line is still there, in order: the note was inserted, nothing rewritten.
    remaining = iter(rendered.split("\n"))
    for line in original.split("\n"):
        assert any(line == candidate for candidate in remaining), line


def test_layout_of_a_session_file() -> None:
    document = new_doc()
    document.add_note(Note(192, "wants to leave by spring"))
    document.add_note(Note(340, "I always give up in March", NoteKind.QUOTE))
    document.add_note(Note(542, "the deadline is hers", NoteKind.INSIGHT))
    document.add_note(Note(750, "what would make March different?", NoteKind.QUESTION))
    document.add_note(Note(2470, "Send the draft to Ana by Friday", NoteKind.ACTION))
    document.add(ASKED, AskedQuestion(435, "What matters most to you about this?", "awareness/what-matters"))
    document.set_front(elapsed_seconds=2500, questions=("awareness/what-matters",))
    assert document.render() == (
        "+++\n"
        'client = "ana"\n'
        "started = 2026-11-23T10:00:00+01:00\n"
        "planned_minutes = 60\n"
        "elapsed_seconds = 2500\n"
        'timer = "running"\n'
        'model = "grow"\n'
        'questions = ["awareness/what-matters"]\n'
        "goals = []\n"
        "+++\n"
        "\n"
        "## Notes\n"
        "\n"
        "- [00:03:12] wants to leave by spring\n"
        '- [00:05:40] "I always give up in March"\n'
        "- [00:09:02] **Insight:** the deadline is hers\n"
        "- [00:12:30] **Question:** what would make March different?\n"
        "\n"
        "## Questions asked\n"
        "\n"
        "- [00:07:15] What matters most to you about this? `awareness/what-matters`\n"
        "\n"
        "## Actions\n"
        "\n"
        "- [ ] [00:41:10] Send the draft to Ana by Friday due:2026-11-27\n"
    )


def test_plain_notes_that_look_like_other_kinds_are_escaped() -> None:
    for text in ['"quoted"', "**Insight:** not really", "**For the client:** no", "\\backslash", '"half']:
        line = render_entry(Note(1, text))
        assert line.startswith("- [00:00:01] \\")
        assert parse_entry(NOTES, line) == Note(1, text)


def test_front_matter_edits_keep_comments_and_unknown_keys() -> None:
    text = new_session_text(FRONT).replace('model = "grow"\n', 'model = "grow"  # chosen by hand\nlocation = "Zoom"\n# a note to self\n')
    document = SessionDocument.parse(PATH, text)
    document.set_front(elapsed_seconds=99, timer="paused", ended=None)
    rendered = document.render()
    assert 'model = "grow"  # chosen by hand' in rendered
    assert 'location = "Zoom"' in rendered and "# a note to self" in rendered
    assert document.info.elapsed_seconds == 99 and document.info.timer == "paused"


def test_missing_sections_are_created_in_order() -> None:
    text = new_session_text(FRONT).split("## Notes")[0] + "My own prep.\n"
    document = SessionDocument.parse(PATH, text)
    document.add_note(Note(5, "do it", NoteKind.ACTION))
    document.add_note(Note(6, "first note"))
    rendered = document.render()
    assert rendered.index("My own prep.") < rendered.index("## Notes") < rendered.index("## Actions")
    assert SessionDocument.parse(PATH, rendered).notes == [Note(6, "first note")]


def test_crlf_files_stay_crlf() -> None:
    text = new_session_text(FRONT).replace("\n", "\r\n") + "- stray line\r\n"
    document = SessionDocument.parse(PATH, text)
    assert document.render() == text
    document.add_note(Note(3, "hi"))
    assert "\r\n- [00:00:03] hi\r\n" in document.render()
    assert "\n" not in document.render().replace("\r\n", "")


def test_replace_and_delete_check_the_line_is_unchanged() -> None:
    document = new_doc()
    index = document.add_note(Note(5, "typo here"))
    document.replace_entry(index, Note(5, "typo here"), Note(5, "fixed"))
    assert document.notes == [Note(5, "fixed")]
    with pytest.raises(LookupError):
        document.delete_entry(index, Note(5, "typo here"))
    document.delete_entry(index, Note(5, "fixed"))
    assert document.notes == []


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("no front matter\n", (1, 1), "starts with a line holding only +++"),
        ("+++\nclient = 'a'\n", (3, 1), "never closed"),
        ("+++\nclient = \n+++\n", (2, 10), "invalid TOML"),
        ("+++\nstarted = 2026-11-23T10:00:00+01:00\n+++\n", (2, 1), "missing 'client'"),
        ("+++\nclient = 'a'\nplanned_minutes = 'sixty'\n+++\n", (3, 1), "'planned_minutes' must be a whole number"),
        ("+++\nclient = 'a'\nstarted = 2026-11-23T10:00:00\n+++\n", (3, 1), "needs a UTC offset"),
        ("+++\nclient = 'a'\ntimer = 'jogging'\n+++\n", (3, 1), "unknown timer state"),
    ],
)
def test_broken_session_files_are_reported_with_positions(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(FileProblems) as caught:
        SessionDocument.parse(PATH, text)
    found = caught.value.problems[0]
    assert (found.line, found.col) == where
    assert message in found.message
    assert str(found).startswith(f"{PATH}:{where[0]}:{where[1]}: ")


def test_clean_text_and_stamps() -> None:
    assert clean_text("a\nb\r\nc\rd") == "a b c d"
    assert format_stamp(0) == "00:00:00"
    assert format_stamp(3 * 3600 + 62) == "03:01:02"
    assert format_stamp(125 * 3600) == "125:00:00"
    assert parse_entry(NOTES, "- [125:00:00] long") == Note(125 * 3600, "long")
