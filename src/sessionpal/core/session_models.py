"""Session models: the phases of a session and how its time divides between them.

    [model]
    id = "grow"
    title = "GROW"

    [[phases]]
    id = "opening"        # what the timer shows
    title = "Goal"        # optional, a friendlier label
    questions = "opening" # which questions the deck offers (default: the id, if it is a question phase)
    share = 10            # percent of the session ... or: minutes = 5

Shares are of the time left after any phases given in minutes, and add up to 100.
Built-in models ship in prompts/models/; the coach's own live in <home>/models/.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct, field

from .model import PHASES, Phase
from .packs import load_unique, pack_files
from .paths import Home, builtin_prompts_dir
from .problems import Problem, parse_toml, problem, read_user_text
from .schema import Checker

MODEL_KEYS = ("id", "title", "description")
PHASE_KEYS = ("id", "title", "questions", "share", "minutes")
DEFAULT_MODEL_ID = "grow"


class ModelPhase(Struct, frozen=True):
    id: str
    title: str
    questions: Phase
    share: float | None = None
    minutes: float | None = None


class PhaseSpan(Struct, frozen=True):
    """A phase placed on the clock: from `start` to `end` seconds of elapsed time."""

    phase: ModelPhase
    start: float
    end: float


class SessionModel(Struct, frozen=True):
    id: str
    title: str
    phases: tuple[ModelPhase, ...]
    path: Path | None = None
    builtin: bool = True
    description: str = ""

    def schedule(self, planned_seconds: float) -> tuple[PhaseSpan, ...]:
        fixed = sum(p.minutes * 60 for p in self.phases if p.minutes is not None)
        scale = min(1.0, planned_seconds / fixed) if fixed else 1.0
        rest = max(0.0, planned_seconds - fixed * scale)
        spans, at = [], 0.0
        for phase in self.phases:
            length = phase.minutes * 60 * scale if phase.minutes is not None else rest * (phase.share or 0) / 100
            spans.append(PhaseSpan(phase, at, at + length))
            at += length
        return tuple(spans)


# The model the timer uses when no file can be read: opening 10%, explore 40%, options 20%, action 20%, closing 10%.
FALLBACK_MODEL = SessionModel(
    DEFAULT_MODEL_ID,
    "GROW",
    tuple(ModelPhase(p.value, p.value.capitalize(), p, share=s) for p, s in zip(Phase, (10, 40, 20, 20, 10), strict=True)),
)


def parse_model(path: Path, text: str, *, builtin: bool = False) -> SessionModel:
    if not text.strip():
        raise problem(path, "empty file: a session model needs a [model] table and [[phases]]")
    data = parse_toml(path, text)
    check = Checker(path, text)
    check.unknown_keys(data, ("model", "phases"), (), "a session model file (it holds [model] and [[phases]])")
    head = check.table(data, "model", ())
    if "model" not in data:
        check.add((), 'missing [model] table: start the file with [model], then id = "..." and title = "..."')
    model_id = title = None
    description = ""
    if head is not None:
        check.unknown_keys(head, MODEL_KEYS, ("model",), "[model]")
        model_id = check.ident(head, "id", ("model",))
        title = check.text(head, "title", ("model",), required=True, blank_ok=False)
        description = check.text(head, "description", ("model",)) or ""
    phases: list[ModelPhase] = []
    seen: set[str] = set()
    tables = check.table_list(data, "phases", ())
    if not tables and "phases" not in data:
        check.add((), "a session model needs at least one [[phases]] table")
    for index, item in enumerate(tables):
        where = ("phases", index)
        check.unknown_keys(item, PHASE_KEYS, where, "a phase")
        pid = check.ident(item, "id", where)
        ptitle = check.text(item, "title", where, blank_ok=False)
        share = check.number(item, "share", where, low=0.1, high=100)
        minutes = check.number(item, "minutes", where, low=0.1, high=600)
        if ("share" in item) == ("minutes" in item):
            check.add(where, "give each phase either share = (percent of the session) or minutes =, not both or neither")
        questions = check.choice(item, "questions", where, PHASES, "question phase")
        if questions is None and "questions" not in item:
            if pid in PHASES:
                questions = pid
            elif pid is not None:
                check.add(where + ("id",), f"phase '{pid}' needs questions = one of {', '.join(PHASES)}")
        if pid is not None:
            if pid in seen:
                check.add(where + ("id",), f"phase id '{pid}' is used twice")
            seen.add(pid)
        if pid and questions and (share is not None or minutes is not None):
            phases.append(ModelPhase(pid, (ptitle or pid.replace("-", " ").capitalize()).strip(), Phase(questions), share, minutes))
    shares = [p.share for p in phases if p.share is not None]
    if shares and abs(sum(shares) - 100) > 0.5:
        check.add(("phases",), f"the phases' shares add up to {sum(shares):g}, not 100")
    check.raise_if_any()
    assert model_id and title
    return SessionModel(model_id, title.strip(), tuple(phases), path, builtin, description.strip())


def load_model_file(path: Path, *, builtin: bool = False) -> SessionModel:
    return parse_model(path, read_user_text(path), builtin=builtin)


class ModelLibrary(Struct):
    models: dict[str, SessionModel] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, model_id: str) -> SessionModel:
        """The model with that id, else the default one, else the built-in fallback."""
        return self.models.get(model_id) or self.models.get(DEFAULT_MODEL_ID) or FALLBACK_MODEL


def load_models(home: Home | None, builtin_dir: Path | None = None) -> ModelLibrary:
    library = ModelLibrary()
    builtin = pack_files((builtin_dir or builtin_prompts_dir()) / "models")
    loaded = load_unique(builtin, lambda p: load_model_file(p, builtin=True), "model", library.problems)
    if home is not None:
        loaded += load_unique(pack_files(home.models_dir), load_model_file, "model", library.problems)
    library.models = {model.id: model for model in loaded}  # the coach's model replaces a built-in of the same id
    return library


def reload_models(old: ModelLibrary, home: Home) -> ModelLibrary:
    """Load the models again; a model whose file broke keeps its last good version."""
    new = load_models(home)
    broken = {p.path for p in new.problems}
    for model in old.models.values():
        if model.path is not None and str(model.path) in broken and (model.id not in new.models or new.models[model.id].builtin):
            new.models[model.id] = model
    return new
