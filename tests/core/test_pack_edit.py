"""Editing the coach's packs: golden files for every edit kind on a pack full of comments and odd
formatting, and the promise behind them: an edit changes only the lines of the question it touches."""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionpal.core import pack_edit as E
from sessionpal.core.config import load_config, set_hidden
from sessionpal.core.model import PHASES, Phase, Question
from sessionpal.core.packs import load_library, load_pack_file, reload_library
from sessionpal.core.paths import Home
from sessionpal.core.problems import FileProblems
from sessionpal.core.session_models import load_models, reload_models

GOLDEN = Path(__file__).parent / "golden"
SOURCE = GOLDEN / "odd-pack.toml"

EDITS: dict[str, Callable[[Path], object]] = {
    "edit-text": lambda p: E.edit_question(p, "first", text="What brings you here, today?"),
    "edit-tags": lambda p: E.edit_question(p, "first", tags=["opening"]),
    "add-phase": lambda p: E.edit_question(p, "second", phase="explore"),
    "remove-phase": lambda p: E.edit_question(p, "first", phase=None),
    "edit-follow-ups": lambda p: E.edit_question(p, "second", follow_ups=["And what else?", "What else matters?"]),
    "edit-multiline-text": lambda p: E.edit_question(p, "third", text="What would you try if you could not fail?"),
    "add-tags-under-comment": lambda p: E.edit_question(p, "third", tags=["courage"]),
    "delete": lambda p: E.delete_question(p, "second"),
    "move-up": lambda p: E.move_question(p, "third", -1),
    "move-down": lambda p: E.move_question(p, "first", 1),
    "rename-pack": lambda p: E.rename_pack(p, "Mine"),
    "add": lambda p: E.add_question(p, "Who else could help?", tags=["support"], phase="options", follow_ups=["When could you ask them?"]),
    "copy": lambda p: E.copy_question(p, Question("awareness", "what-else", "What else?", ("depth",), Phase.EXPLORE, ("And what else?",))),
}


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    shutil.copy(SOURCE, path)
    return path


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_kind_matches_its_golden_file(pack: Path, name: str) -> None:
    EDITS[name](pack)
    assert pack.read_text() == (GOLDEN / f"odd-pack.{name}.toml").read_text()
    load_pack_file(pack)  # and it is still a valid pack


def test_golden_files_show_small_diffs() -> None:
    """Each golden file differs from the source only inside one question (or the [pack] table)."""
    import difflib

    source = SOURCE.read_text().splitlines()
    for path in GOLDEN.glob("odd-pack.*.toml"):
        changed = [line for line in difflib.unified_diff(source, path.read_text().splitlines(), n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        assert 0 < len(changed) <= 20, (path.name, changed)


def blocks_by_id(text: str) -> dict[str, str]:
    lines = text.split("\n")
    _, blocks = E._blocks(text)
    ids = [q["id"] for q in tomllib.loads(text)["questions"]]
    return {qid: "\n".join(lines[b.start : b.end]) for qid, b in zip(ids, blocks, strict=True)}


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)
tag_lists = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=10).filter(str.strip), max_size=3)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["first", "second", "third", "fourth"]),
    st.fixed_dictionaries({}, optional={"text": texts, "tags": tag_lists, "phase": st.one_of(st.none(), st.sampled_from(PHASES)), "follow_ups": tag_lists}),
)
def test_an_edit_leaves_every_other_question_byte_for_byte(tmp_path: Path, question_id: str, values: dict[str, Any]) -> None:
    path = tmp_path / "mine.toml"
    shutil.copy(SOURCE, path)
    before = blocks_by_id(path.read_text())
    E.edit_question(path, question_id, **values)
    text = path.read_text()
    after = blocks_by_id(text)
    for qid in before:
        if qid != question_id:
            assert after[qid] == before[qid], qid
    assert text.startswith(SOURCE.read_text().split("# --- opening ---")[0]), "the [pack] table is untouched"
    question = next(q for q in load_pack_file(path).questions if q.id == question_id)
    if "text" in values:
        assert question.text == " ".join(values["text"].split())
    if "tags" in values:
        assert list(question.tags) == [t.strip() for t in values["tags"]]
    if "phase" in values:
        assert (question.phase.value if question.phase else None) == values["phase"]


def test_crlf_and_bom_survive_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "win.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SOURCE.read_text().replace("\n", "\r\n").encode())
    E.edit_question(path, "fourth", text="Who else could help?")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert load_pack_file(path).questions[-1].text == "Who else could help?"


def test_a_broken_pack_is_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(SOURCE.read_text().replace('phase = "options"', 'phase = "nope"'))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for edit in (lambda: E.edit_question(path, "first", text="x"), lambda: E.add_question(path, "x?"), lambda: E.delete_question(path, "first")):
        with pytest.raises(FileProblems):
            edit()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_bad_edits_are_refused_and_change_nothing(pack: Path) -> None:
    before = pack.read_bytes()
    with pytest.raises(E.PackEditError):
        E.edit_question(pack, "first", text="   ")
    with pytest.raises(E.PackEditError):
        E.edit_question(pack, "first", phase="middle")
    with pytest.raises(E.PackEditError):
        E.edit_question(pack, "nope", text="x")
    with pytest.raises(E.PackEditError):
        E.add_question(pack, "x", question_id="first")
    with pytest.raises(E.PackEditError):
        E.add_question(pack, "x", question_id="Bad Id")
    assert pack.read_bytes() == before
    assert E.move_question(pack, "first", -1) and pack.read_bytes() == before, "the first question cannot go higher"


def test_new_pack_and_make_it_mine(home: Home) -> None:
    pack = E.new_pack(home, "career-moves", "Career moves")
    assert pack.title == "Career moves" and len(pack.questions) == 1 and "# Career moves" in pack.path.read_text()
    with pytest.raises(E.PackEditError, match="already exists"):
        E.new_pack(home, "career-moves")
    with pytest.raises(E.PackEditError, match="not a valid pack id"):
        E.new_pack(home, "Career Moves")
    closing = load_library(None).packs["closing"]
    mine = E.make_pack_mine(home, closing)
    assert not mine.builtin and mine.questions == tuple(q for q in closing.questions)
    assert "# Copied from sessionpal's built-in pack 'closing'" in mine.path.read_text()
    library = load_library(home)
    assert not library.packs["closing"].builtin and library.overridden["closing"].builtin
    E.edit_question(mine.path, "grateful", text="What are you grateful for today?")
    assert load_library(home).packs["closing"].questions[-1].text == "What are you grateful for today?"
    assert closing.path.read_text() == load_library(None).packs["closing"].path.read_text(), "the shipped file is untouched"


def test_hidden_packs_and_questions_stay_out_of_the_deck(home: Home) -> None:
    set_hidden(home, "stalled-goal", True)
    set_hidden(home, "awareness/what-else", True)
    hidden = load_config(home).config.hidden
    questions = load_library(home).questions(hidden)
    refs = {q.ref for q in questions}
    assert not any(r.startswith("stalled-goal/") for r in refs) and "awareness/what-else" not in refs
    assert "awareness/what-matters" in refs
    set_hidden(home, "stalled-goal", False)
    assert any(q.pack == "stalled-goal" for q in load_library(home).questions(load_config(home).config.hidden))


def test_reload_picks_up_edits_and_keeps_the_last_good_version(home: Home) -> None:
    mine = E.new_pack(home, "mine", "Mine")
    library = load_library(home)
    E.add_question(mine.path, "A second question?")
    library = reload_library(library, home)
    assert len(library.packs["mine"].questions) == 2 and not library.problems
    mine.path.write_text(mine.path.read_text() + "\n[[questions]\n")  # a typo in the coach's editor
    library = reload_library(library, home)
    assert len(library.packs["mine"].questions) == 2, "the last good version stays in use"
    assert "mine.toml" in str(library.problems[0]) and ":" in str(library.problems[0])


def test_a_broken_user_pack_that_replaces_a_built_in_keeps_its_last_good_version(home: Home) -> None:
    closing = E.make_pack_mine(home, load_library(None).packs["closing"])
    library = load_library(home)
    closing.path.write_text("[pack\n")
    library = reload_library(library, home)
    assert not library.packs["closing"].builtin, "the coach's version, not the built-in, stays in use"


def test_models_reload_too(home: Home) -> None:
    home.models_dir.mkdir()
    path = home.models_dir / "mine.toml"
    path.write_text('[model]\nid = "mine"\ntitle = "Mine"\n[[phases]]\nid = "explore"\nshare = 100\n')
    models = load_models(home)
    path.write_text("[model\n")
    models = reload_models(models, home)
    assert models.get("mine").title == "Mine" and models.problems


def test_adding_to_a_pack_written_with_an_inline_list_is_refused_not_broken(tmp_path: Path) -> None:
    path = tmp_path / "inline.toml"
    path.write_text('questions = [{ id = "a", text = "A?" }]\n\n[pack]\nid = "inline"\ntitle = "Inline"\n')
    before = path.read_bytes()
    with pytest.raises(FileProblems, match="would make this pack invalid"):
        E.add_question(path, "B?")
    assert path.read_bytes() == before
    assert [q.text for q in load_pack_file(path).questions] == ["A?"]


def test_adding_a_question_whose_id_is_taken_numbers_it(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[pack]\nid = "mine"\ntitle = "Mine"\n\n[[questions]]\nid = "what-else"\ntext = "What else?"\n\n[[questions]]\nid = "z"\ntext = "Z?"\n')
    added = E.add_question(path, "What else?")
    assert added.id == "what-else-2"
    assert [q.id for q in load_pack_file(path).questions] == ["what-else", "z", "what-else-2"]


def test_adding_to_a_broken_pack_reports_the_pack_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[pack]\nid = "mine"\ntitle = "Mine"\n\n[[questions]]\nid = "a"\ntext = "A?"\nphase = "middle"\n')
    before = path.read_bytes()
    with pytest.raises(FileProblems, match=r"mine.toml:8:\d+: .*phase") as raised:
        E.add_question(path, "B?")
    assert "would make this pack invalid" not in str(raised.value), "the pack was broken before the edit"
    assert path.read_bytes() == before


def test_an_added_question_is_checked_like_any_other(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[pack]\nid = "mine"\ntitle = "Mine"\n\n[[questions]]\nid = "a"\ntext = "A?"\n')
    added = E.add_question(path, "What else, really?", tags=["depth"], phase="explore", follow_ups=["And?"])
    assert added == load_pack_file(path).questions[-1] and added.pack == "mine"
    assert [q.id for q in load_pack_file(path).questions] == ["a", added.id]
