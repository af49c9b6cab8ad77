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
