"""Prompt packs: TOML files of powerful questions, built in and the coach's own.

Built-in packs ship inside the package; the coach's packs live in `<home>/prompts/`
and load after them, a user pack with a built-in's id replacing it. A pack with a
problem is reported (path:line:col) and skipped; the others still load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TypeVar

from msgspec import Struct, field

from .model import PHASES, Pack, Phase, Question
from .paths import Home, builtin_prompts_dir
from .problems import FileProblems, Problem, parse_toml, problem, read_user_text
from .schema import ID_MAX, ID_RE, Checker, type_name

PACK_KEYS = ("id", "title", "description", "source")
QUESTION_KEYS = ("id", "text", "tags", "phase", "follow_ups")
TOP_KEYS = ("pack", "questions")


_QUESTION_KEY_SET = frozenset(QUESTION_KEYS)
_PHASE_BY_NAME = {phase.value: phase for phase in Phase}


def _text_items(value: object) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if type(value) is not list or any(type(v) is not str or not v.strip() for v in value):
        return None
    return tuple(value)


def _quick_question(pack_id: str, item: object, seen: dict[str, int]) -> Question | None:
    """A question that is clearly valid, checked without the Checker: the common case, kept fast
    for packs of thousands of questions. Anything else returns None and gets the full check,
    which alone writes problems; the two must agree (tests/core/test_packs.py)."""
    if type(item) is not dict or not item.keys() <= _QUESTION_KEY_SET:
        return None
    qid, text = item.get("id"), item.get("text")
    if type(qid) is not str or type(text) is not str or qid in seen or len(qid) > ID_MAX or not ID_RE.fullmatch(qid):
        return None
    text = text.strip()
    phase = item.get("phase")
    if phase is not None:
        phase = _PHASE_BY_NAME.get(phase) if type(phase) is str else None
        if phase is None:
            return None
    tags, follow_ups = _text_items(item.get("tags")), _text_items(item.get("follow_ups"))
    if not text or tags is None or follow_ups is None:
        return None
    return Question(pack_id, qid, text, tuple(t.strip() for t in tags), phase, follow_ups)


def parse_pack(path: Path, text: str, *, builtin: bool = False) -> Pack:
    """Validate a pack's text; raise FileProblems listing everything wrong with it."""
    if not text.strip():
        raise problem(path, "empty file: a pack needs a [pack] table with an id and title, then [[questions]]")
    data = parse_toml(path, text)
    check = Checker(path, text)
    check.unknown_keys(data, TOP_KEYS, (), "a pack file (it holds [pack] and [[questions]])")
    head = check.table(data, "pack", ())
    if "pack" not in data:
        check.add((), 'missing [pack] table: start the file with [pack], then id = "..." and title = "..."')
    pack_id = title = None
    description = source = ""
    if head is not None:
        check.unknown_keys(head, PACK_KEYS, ("pack",), "[pack]")
        pack_id = check.ident(head, "id", ("pack",))
        title = check.text(head, "title", ("pack",), required=True, blank_ok=False)
        description = check.text(head, "description", ("pack",)) or ""
        source = check.text(head, "source", ("pack",)) or ""

    questions: list[Question] = []
    seen: dict[str, int] = {}
    raw = data.get("questions", [])
    items = raw if type(raw) is list else check.table_list(data, "questions", ())
    for index, item in enumerate(items):
        quick = _quick_question(pack_id, item, seen) if pack_id else None
        if quick is not None:
            questions.append(quick)
            seen[quick.id] = index
            continue
        where = ("questions", index)
        if not isinstance(item, dict):
            check.add(where, f"'questions' item {index + 1} must be a table, not {type_name(item)}")
            continue
        check.unknown_keys(item, QUESTION_KEYS, where, "a question")
        qid = check.ident(item, "id", where)
        qtext = check.text(item, "text", where, required=True, blank_ok=False)
        tags = check.text_list(item, "tags", where)
        follow_ups = check.text_list(item, "follow_ups", where)
        phase_name = check.choice(item, "phase", where, PHASES, "phase")
        phase = Phase(phase_name) if phase_name else None
        if qid is not None:
            if qid in seen:
                check.add(where + ("id",), f"question id '{qid}' is used twice (first by question {seen[qid] + 1})")
            else:
                seen[qid] = index
        if qid and qtext and pack_id:
            questions.append(Question(pack_id, qid, qtext.strip(), tuple(t.strip() for t in tags), phase, follow_ups))
    check.raise_if_any()
    assert pack_id is not None and title is not None
    return Pack(pack_id, title.strip(), tuple(questions), path, builtin, description.strip(), source.strip())


def load_pack_file(path: Path, *, builtin: bool = False) -> Pack:
    return parse_pack(path, read_user_text(path), builtin=builtin)


def pack_files(folder: Path) -> list[Path]:
    """The *.toml files directly in `folder`, in name order; hidden and temp files skipped."""
    try:
        return sorted(p for p in folder.glob("*.toml") if not p.name.startswith(".") and p.is_file())
    except OSError:
        return []


class PackLibrary(Struct):
    """Every pack that loaded, by id, and every problem with the ones that did not."""

    packs: dict[str, Pack] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    overridden: dict[str, Pack] = field(default_factory=dict)

    def questions(self, hidden: tuple[str, ...] | set[str] = ()) -> list[Question]:
        """Every question, less the hidden packs ("pack") and questions ("pack/question")."""
        hidden = set(hidden)
        return [q for pack in self.packs.values() if pack.id not in hidden for q in pack.questions if q.ref not in hidden]

    def question(self, ref: str) -> Question | None:
        pack_id, _, qid = ref.partition("/")
        pack = self.packs.get(pack_id)
        if pack is None:
            return None
        return next((q for q in pack.questions if q.id == qid), None)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...  # read-only, so frozen Structs match


T = TypeVar("T", bound=_HasId)


def load_unique(files: Iterable[Path], load: Callable[[Path], T], kind: str, problems: list[Problem]) -> list[T]:
    """Load each file, collecting its problems; a file whose id an earlier file has is skipped."""
    claimed: dict[str, Path] = {}
    loaded: list[T] = []
    for path in files:
        try:
            item = load(path)
        except FileProblems as error:
            problems.extend(error.problems)
            continue
        if item.id in claimed:
            problems.append(Problem(str(path), 1, 1, f"{kind} id '{item.id}' is already used by {claimed[item.id]}; this file is skipped"))
            continue
        claimed[item.id] = path
        loaded.append(item)
    return loaded


def load_library(home: Home | None, builtin_dir: Path | None = None) -> PackLibrary:
    """Built-in packs, then the coach's; a user pack with a built-in's id overrides it."""
    library = PackLibrary()
    builtin = load_unique(pack_files(builtin_dir or builtin_prompts_dir()), lambda p: load_pack_file(p, builtin=True), "pack", library.problems)
    user = load_unique(pack_files(home.prompts_dir), load_pack_file, "pack", library.problems) if home is not None else []
    for pack in builtin + user:
        if pack.id in library.packs:
            library.overridden[pack.id] = library.packs.pop(pack.id)
        library.packs[pack.id] = pack
    return library


def check_files(paths: Iterable[Path]) -> tuple[list[Pack], list[Problem]]:
    """Validate the given files as packs, including ids repeated between them."""
    problems: list[Problem] = []
    return load_unique(paths, load_pack_file, "pack", problems), problems


def user_files(home: Home) -> dict[str, tuple[int, int]]:
    """The coach's pack and model files with their mtime and size: polled to notice outside edits."""
    found: dict[str, tuple[int, int]] = {}
    for folder in (home.prompts_dir, home.models_dir):
        for path in pack_files(folder):
            try:
                stat = path.stat()
            except OSError:
                continue
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def reload_library(old: PackLibrary, home: Home) -> PackLibrary:
    """Load the packs again; a pack whose file broke keeps its last good version (and its problems are reported)."""
    new = load_library(home)
    broken = {p.path for p in new.problems}
    for pack in old.packs.values():
        if str(pack.path) not in broken:
            continue
        current = new.packs.get(pack.id)
        if current is None or (current.builtin and not pack.builtin):
            if current is not None:
                new.overridden[pack.id] = new.packs.pop(pack.id)
            new.packs[pack.id] = pack
    return new
