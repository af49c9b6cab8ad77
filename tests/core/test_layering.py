"""The core never imports Textual: it must run (and be tested) without a UI."""

import pkgutil
import subprocess
import sys

import sessionpal.core


def test_no_core_module_pulls_in_textual_or_rich():
    modules = [f"sessionpal.core.{m.name}" for m in pkgutil.iter_modules(sessionpal.core.__path__)]
    assert len(modules) >= 15
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint(sorted(n for n in ('textual', 'rich') if n in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ---- the import graph of the whole package runs one way -------------------------------------------

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

PACKAGE = Path(sessionpal.core.__file__).resolve().parent.parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Every package module `path` imports, at module level or inside a function; not under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    return {name: _imports(path, name, known) for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_import_cycle_in_the_package_counting_imports_inside_functions():
    graph = import_graph()
    assert len(graph) > 60 and "sessionpal.ui.screens.session" in graph
    assert find_cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_private_textual_name_is_used():
    """The exact pin of Textual is for snapshots, not a licence for its private names. The one override
    Textual offers for unhandled errors (App._handle_exception) is the only exception."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "textual." in line and "._" in line.split("textual.", 1)[1].split()[0]:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
            for private in ("._return_code", "._exception", "._close_messages", "._driver", "._notifications"):
                if private in line:
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
