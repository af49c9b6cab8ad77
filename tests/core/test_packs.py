import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionpal.core.model import Phase
from sessionpal.core.packs import check_files, load_library, load_pack_file, parse_pack
from sessionpal.core.paths import Home, builtin_prompts_dir
from sessionpal.core.problems import FileProblems, Problem
from sessionpal.core.tomledit import toml_value

from ..helpers import REPO, TOML_TEST_INVALID

GOOD = """\
[pack]
id = "mine"
title = "My questions"

[[questions]]
id = "first"
text = "What do you want?"
tags = ["clarity"]
phase = "explore"
follow_ups = ["And?"]
"""

POSITION = re.compile(r"^.+:\d+:\d+: \S")


def problems_of(tmp_path: Path, content: bytes | str, name: str = "pack.toml") -> list[str]:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(FileProblems) as caught:
        load_pack_file(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "a broken pack must never be rewritten"
    lines = str(caught.value).splitlines()
    assert lines and all(POSITION.match(line) for line in lines), lines
    return lines


def test_builtin_packs_are_valid_and_grounded() -> None:
    library = load_library(None)
    assert library.problems == []
    assert set(library.packs) == {"opening", "relationship", "awareness", "values", "stalled-goal", "actions", "closing"}
    questions = library.questions()
    assert len(questions) >= 150
    assert {q.phase for q in questions} == set(Phase)
    assert len({q.text for q in questions}) == len(questions), "no question appears twice"
    assert all(q.text.strip() == q.text and q.text[-1] in "?." for q in questions)
    stalled = {t for q in library.packs["stalled-goal"].questions for t in q.tags}
    assert {"reason", "support", "shrink", "change", "drop", "values", "no-goals"} <= stalled


def test_a_good_pack_loads(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    pack = load_pack_file(path)
    assert pack.id == "mine" and pack.title == "My questions"
    question = pack.questions[0]
    assert question.ref == "mine/first"
    assert question.phase is Phase.EXPLORE and question.tags == ("clarity",) and question.follow_ups == ("And?",)


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_pack_file(path).id == "mine"


@pytest.mark.parametrize(
    "content, expected",
    [
        ("[pack\nid = 'x'", "pack.toml:1:6: invalid TOML"),
        ('[pack]\nid = "a"\nid = "b"\ntitle = "t"\n', "pack.toml:3:"),
        ('[[questions]]\nid = "a"\ntext = "b"\n', "pack.toml:1:1: missing [pack] table"),
        ('pack = "x"\n', "pack.toml:1:1: 'pack' must be a table"),
        ('[pack]\nid = 3\ntitle = "t"\n', "pack.toml:2:1: 'id' must be text"),
        ('[pack]\nid = "x"\ntitle = ["t"]\n', "pack.toml:3:1: 'title' must be text"),
        ('[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q"\n', "pack.toml:4:1: missing 'text' in questions[1]"),
        ('[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntext = "  "\n', "pack.toml:6:1: 'text' must not be blank"),
        ('[pack]\nid = "Bad Id"\ntitle = "t"\n', "pack.toml:2:1: 'id' = 'Bad Id' is not a valid id"),
        ('[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q_1"\ntext = "a"\n', "pack.toml:5:1: 'id' = 'q_1' is not a valid id"),
        ('[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntext = "a"\nphase = "middle"\n', "pack.toml:7:1: unknown phase 'middle'"),
        (
            '[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntext = "a"\n[[questions]]\nid = "q"\ntext = "b"\n',
            "pack.toml:8:1: question id 'q' is used twice",
        ),
        ('[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntext = "a"\ntags = "one"\n', "pack.toml:7:1: 'tags' must be a list"),
        ('[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntext = "a"\nfollow_ups = [1]\n', "pack.toml:7:1: 'follow_ups' item 1 must be text"),
        ('[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntext = "a"\nfolow_ups = []\n', "did you mean 'follow_ups'?"),
        ("", "pack.toml:1:1: empty file"),
        ("   \n\n", "pack.toml:1:1: empty file"),
        (b'[pack]\nid = "x"\ntitle = "caf\xe9"\n', "pack.toml:3:13: not valid UTF-8"),
        (b"\xff\xfe[\x00p\x00", "pack.toml:1:1: not valid UTF-8"),
        (bytes(range(256)), "pack.toml:2:118: not valid UTF-8"),
        (b"\x00\x01\x02binary", "pack.toml:1:1: invalid TOML"),
    ],
)
def test_every_bad_input_gets_one_clear_positioned_message(tmp_path: Path, content: bytes | str, expected: str) -> None:
    lines = problems_of(tmp_path, content)
    assert any(expected in line for line in lines), lines


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    lines = problems_of(tmp_path, '[pack]\nid = "Bad"\ntitle = ""\n[[questions]]\nid = "q"\n[[questions]]\ntext = "x"\nphase = "nope"\n')
    assert len(lines) == 5, lines


def test_too_large_files_are_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sessionpal.core.problems as problems

    monkeypatch.setattr(problems, "MAX_FILE_BYTES", 100)
    lines = problems_of(tmp_path, GOOD)
    assert "too large" in lines[0]


def test_user_packs_load_after_builtins_and_may_override(home: Home, tmp_path: Path) -> None:
    home.prompts_dir.mkdir()
    (home.prompts_dir / "closing.toml").write_text(GOOD.replace('id = "mine"', 'id = "closing"'))
    (home.prompts_dir / "mine.toml").write_text(GOOD)
    (home.prompts_dir / "broken.toml").write_text("[pack")
    (home.prompts_dir / "twin.toml").write_text(GOOD)
    library = load_library(home)
    assert list(library.packs)[-2:] == ["closing", "mine"]
    assert library.packs["closing"].title == "My questions" and not library.packs["closing"].builtin
    assert library.overridden["closing"].builtin
    assert "awareness" in library.packs, "a broken user pack does not stop the others"
    messages = [str(p) for p in library.problems]
    assert any("broken.toml:1:6: invalid TOML" in m for m in messages)
    assert any("twin.toml:1:1: pack id 'mine' is already used by" in m for m in messages)


def test_check_files_flags_duplicate_pack_ids(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD)
    (tmp_path / "b.toml").write_text(GOOD)
    packs, problems = check_files([tmp_path / "a.toml", tmp_path / "b.toml"])
    assert len(packs) == 1 and "already used by" in problems[0].message


def toml_test_files() -> list[Path]:
    if not TOML_TEST_INVALID.is_dir():
        pytest.skip(f"toml-test's invalid files are not at {TOML_TEST_INVALID}")
    return sorted(TOML_TEST_INVALID.rglob("*.toml"))


def test_every_toml_test_invalid_file_is_rejected_cleanly() -> None:
    files = toml_test_files()
    assert len(files) == 509
    packs, problems = check_files(files)
    assert packs == []
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, []).append(problem)
    assert set(by_file) == {str(f) for f in files}
    for path, found in by_file.items():
        assert len(found) == 1, (path, found)
        assert POSITION.match(str(found[0]))
        assert found[0].line >= 1 and found[0].col >= 1


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise_anything_but_a_clear_problem(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.toml"
    path.write_bytes(data)
    try:
        load_pack_file(path)
    except FileProblems as error:
        assert all(POSITION.match(line) for line in str(error).splitlines())


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_random_text_never_raises_anything_but_a_clear_problem(text: str) -> None:
    try:
        parse_pack(Path("x.toml"), text)
    except FileProblems as error:
        assert all(POSITION.match(line) for line in str(error).splitlines())


@settings(max_examples=100)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "text": st.text(st.characters(blacklist_categories=["Cs"]), min_size=1).filter(str.strip),
                "tags": st.lists(st.text(min_size=1).filter(str.strip), max_size=3),
                "phase": st.sampled_from([p.value for p in Phase]),
            }
        ),
        max_size=8,
    )
)
def test_pack_text_round_trips_through_the_documented_format(questions: list[dict[str, Any]]) -> None:
    from sessionpal.core.tomledit import toml_value

    lines = ["[pack]", 'id = "gen"', 'title = "Generated"']
    for n, q in enumerate(questions):
        lines += [
            "",
            "[[questions]]",
            f'id = "q{n}"',
            f"text = {toml_value(q['text'])}",
            f"tags = {toml_value(q['tags'])}",
            f"phase = {toml_value(q['phase'])}",
        ]
    pack = parse_pack(Path("gen.toml"), "\n".join(lines) + "\n")
    assert [q.text for q in pack.questions] == [q["text"].strip() for q in questions]
    assert [list(q.tags) for q in pack.questions] == [[t.strip() for t in q["tags"]] for q in questions]


def test_the_documented_example_pack_is_valid() -> None:
    pack = load_pack_file(REPO / "docs" / "example-pack.toml")
    assert pack.questions and all(q.phase for q in pack.questions)


def test_builtin_dir_points_at_the_packs() -> None:
    assert (builtin_prompts_dir() / "awareness.toml").is_file()
    assert (builtin_prompts_dir() / "models" / "grow.toml").is_file()


question_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=12),
    st.sampled_from(["explore", "closing", "middle", "ok-id", "Bad Id", "x\n", "  ", "q1"]),
    st.lists(st.one_of(st.text(max_size=6), st.integers(), st.just("  ")), max_size=3),
)


@settings(max_examples=500)
@given(st.lists(st.dictionaries(st.sampled_from(["id", "text", "tags", "phase", "follow_ups", "colour"]), question_values), max_size=4))
def test_the_fast_path_and_the_full_check_agree(items: list[dict[str, object]]) -> None:
    """Whatever the fast path accepts, the full check accepts too, as the same question."""
    from sessionpal.core.packs import _quick_question

    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        quick = _quick_question("p", item, seen)
        if quick is None:
            continue
        seen[quick.id] = index
        lines = ["[pack]", 'id = "p"', 'title = "t"', "[[questions]]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in item.items() if v is not None]
        try:
            full = parse_pack(Path("p.toml"), "\n".join(lines) + "\n")
        except FileProblems as error:
            raise AssertionError(f"fast path accepted {item!r}, full check says {error}") from None
        assert full.questions == (quick,)
