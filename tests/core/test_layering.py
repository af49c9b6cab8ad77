"""The core never imports Textual: it must run (and be tested) without a UI."""

import functools
import pkgutil
import subprocess
import sys

import sessionpal.core


def test_no_core_module_pulls_in_textual_or_rich() -> None:
    modules = [f"sessionpal.core.{m.name}" for m in pkgutil.iter_modules(sessionpal.core.__path__)]
    assert len(modules) >= 15
    code = f"import sys\nfor m in {modules!r}: __import__(m)\nprint(sorted(n for n in ('textual', 'rich') if n in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ---- the import graph of the whole package runs one way -------------------------------------------

import ast  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
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


def test_no_import_cycle_in_the_package_counting_imports_inside_functions() -> None:
    graph = import_graph()
    assert len(graph) > 60 and "sessionpal.ui.screens.session" in graph
    assert find_cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


# The private modules of Textual imported, each with why (and a test that it is still needed).
ALLOWED_PRIVATE_IMPORTS = {
    ("following.py", "from textual._styles_cache import StylesCache"): "Textual #6665: its lru_cache keeps every widget's drawn "
    "lines after the widget is gone; emptied when a screen closes (tests/ui/test_screens_let_go.py checks it still does)",
}


def test_no_private_textual_name_is_used() -> None:
    """The exact pin of Textual is for snapshots, not a licence for its private names. The one override
    Textual offers for unhandled errors (App._handle_exception) and the listed imports are the only exceptions."""
    offenders, seen = [], set()
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if (path.name, line.strip()) in ALLOWED_PRIVATE_IMPORTS:
                seen.add((path.name, line.strip()))
                continue
            if "textual." in line and "._" in line.split("textual.", 1)[1].split()[0]:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
            for private in ("._return_code", "._exception", "._close_messages", "._driver", "._notifications"):
                if private in line:
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
    assert seen == set(ALLOWED_PRIVATE_IMPORTS), "listed but no longer imported: take it off the list"


# The private names of Textual, textual-serve and aiohttp that sessionpal's classes override or read, each with
# why there is no public way. Anything else private is refused; each listed name must still be there, on the
# library's class, or the test fails (an upgrade that renames one is found here, not by a coach).
ALLOWED_PRIVATE = {
    ("SessionPalApp", "_handle_exception"): "Textual's one hook for an error no handler caught: the session is saved before the app ends",
    ("TabApp", "_build_environment"): "textual-serve's way to give the tab's app its environment (the web driver, the home)",
    ("TabApp", "_open_app_process"): "the tab's app in a process group of its own, so Ctrl+C reaches the server alone",
    ("TabApp", "_process"): "set as textual-serve's own _open_app_process sets it, read by its run()",
    ("TabApp", "_stdin"): "set as textual-serve's own _open_app_process sets it, written by its send_bytes()",
    ("TabApp", "_task"): "stop() waits for the app's task as textual-serve's own stop() does",
    ("TabApp", "_download_manager"): "stop() cancels the tab's downloads as textual-serve's own stop() does",
    ("SessionServer", "_make_app"): "the token guard goes in as aiohttp middleware when textual-serve builds its app",
    ("SessionServer", "_process_messages"): "the websocket's messages checked (size, shape, depth) before the app gets them",
    ("Runner", "_make_server"): "aiohttp's runner builds its server here: ours counts connections (idle ones closed, strangers capped)",
    ("Runner", "_kwargs"): "the server's settings as aiohttp's own _make_server passes them",
}
THIRD_PARTY = ("textual", "textual_serve", "aiohttp")


def _our_classes_on_third_party_bases() -> Iterator[type]:
    import importlib
    import inspect

    import sessionpal

    names = [info.name for info in pkgutil.walk_packages(sessionpal.__path__, "sessionpal.")]
    names.append("sessionpal.browser.server")  # browser/ is a folder without __init__.py: walk_packages passes it by
    for name in names:
        if name.startswith(("sessionpal.core", "sessionpal.cli", "sessionpal.__main__")):
            continue  # no Textual there (the test above), and no subclass of the server's
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and any(b.__module__.split(".")[0] in THIRD_PARTY for b in cls.__mro__[1:]):
                yield cls


@functools.cache
def _private_names_used(cls: type) -> tuple[set[str], set[str], set[str]]:
    """From the class's source: (private names it defines, in its body or as self._name = ..., the private
    methods it defines in its body, every self._name it reads or writes). Source, not vars(): Textual's
    metaclass gives every widget class private attributes of its own."""
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    defined = {n.name for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("_")}
    own = set(defined)
    for n in body:
        targets = n.targets if isinstance(n, ast.Assign) else [n.target] if isinstance(n, ast.AnnAssign) else []
        own |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.startswith("_")}
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr.startswith("_"):
            used.add(node.attr)
            if isinstance(node.ctx, ast.Store):
                own.add(node.attr)
    return own, defined, used


def test_no_private_name_of_textual_or_its_server_is_used_but_the_listed_few() -> None:
    offenders, seen = [], set()
    for cls in _our_classes_on_third_party_bases():
        theirs = [b for b in cls.__mro__[1:] if b.__module__.split(".")[0] in THIRD_PARTY]
        ours = [b for b in cls.__mro__ if b.__module__.startswith("sessionpal.")]
        own_everywhere: set[str] = set()
        for mine in ours:
            own_everywhere |= _private_names_used(mine)[0]
        _, defined, used = _private_names_used(cls)
        dunder: Callable[[str], bool] = lambda name: name.startswith("__") and name.endswith("__")  # noqa: E731
        # What their classes set on self (textual-serve's AppService sets self._task in its __init__, say).
        their_attrs: set[str] = set()
        for base in theirs:
            try:
                their_attrs |= _private_names_used(base)[0]
            except (OSError, TypeError, IndentationError, SyntaxError):
                continue  # a class without Python source
        overridden = {name for name in defined if not dunder(name) and any(hasattr(b, name) for b in theirs)}
        # Theirs: a private method the class overrides, or a self._name it reads or sets that one of their classes
        # has (or no class of ours defines: an instance attribute their __init__ sets).
        borrowed = {name for name in used if not dunder(name) and (name not in own_everywhere or name in their_attrs or any(hasattr(b, name) for b in theirs))}
        borrowed -= {name for name in defined if not any(hasattr(b, name) for b in theirs)}
        for name in sorted(overridden | borrowed):
            key = (cls.__name__, name)
            if key in ALLOWED_PRIVATE:
                seen.add(key)
            else:
                offenders.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert offenders == [], "private names of Textual, textual-serve or aiohttp: use a public way, or list one in ALLOWED_PRIVATE with why"
    assert seen == set(ALLOWED_PRIVATE), f"listed but no longer used (or renamed upstream): {sorted(set(ALLOWED_PRIVATE) - seen)}"


# ---- files a newcomer can change (issue 25.6) ----------------------------------------------------------------

UI_LINES_AT_MOST = 450
SESSION_SCREEN_LINES_UNDER = 400


def test_no_ui_file_is_too_long_to_read_and_the_session_screen_stays_small() -> None:
    """A screen file that keeps growing mixes concerns: past the limit, split it (the panes' state, a flow, the
    values it draws) before adding to it."""
    ui = Path(sessionpal.__file__).parent / "ui"
    lengths = {str(path.relative_to(ui)): len(path.read_text(encoding="utf-8").splitlines()) for path in ui.rglob("*.py")}
    assert {name: n for name, n in lengths.items() if n > UI_LINES_AT_MOST} == {}
    assert lengths["screens/session.py"] < SESSION_SCREEN_LINES_UNDER
