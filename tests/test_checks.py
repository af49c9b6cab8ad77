"""The project's own checks, run with the tests so CI enforces them: ruff (lint and format) and mypy
(strict on the package and on the tests). Configured in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .helpers import REPO

CODE = ["src", "tests", "bench", "dev.py"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--no-cache", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted() -> None:
    result = run("ruff", "format", "--check", "--no-cache", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_nothing() -> None:
    # Its cache goes in .mypy_cache (ignored by git): a second run takes seconds.
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
