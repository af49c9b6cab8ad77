"""dev.py test: -n auto stays unless the caller picks the processes, and chromium and age are installed only
for a run that may use them (so `--ignore=tests/browser` installs no chromium)."""

from __future__ import annotations

import pytest

import dev  # dev.py, at the top of the repository (pytest puts it on sys.path, beside the tests package)


@pytest.mark.parametrize(
    "given",
    [
        [],
        ["tests/test_docs.py"],
        ["-q", "-x", "tests/core"],
        ["-k", "not slow", "--snapshot-update"],
        ["-p", "no:randomly"],
        ["--pdb"],
    ],
)
def test_n_auto_is_kept_with_any_other_arguments(given: list[str]) -> None:
    assert dev.pytest_args(given) == ["-n", "auto", *given]


@pytest.mark.parametrize(
    "given",
    [
        ["-n", "0"],
        ["-n0"],
        ["-nauto", "tests/ui"],
        ["tests/ui", "--numprocesses", "2"],
        ["--numprocesses=4"],
        ["-p", "no:xdist"],
        ["-pno:xdist", "-q"],
    ],
)
def test_the_callers_choice_of_processes_stands(given: list[str]) -> None:
    assert dev.pytest_args(given) == given


BROWSER = dev.DRIVEN_BY["chromium"]
AGE = dev.DRIVEN_BY["age"]


def test_the_driven_test_files_exist() -> None:
    assert (dev.ROOT / BROWSER).is_file() and (dev.ROOT / AGE).is_file()


@pytest.mark.parametrize(
    ("given", "browser", "age"),
    [
        ([], True, True),
        (["-q", "-k", "tests"], True, True),  # -k's words are not a path, even one that exists
        (["--ignore=tests/browser"], False, True),
        (["--ignore", "tests/browser/", "-q"], False, True),
        ([f"--ignore={BROWSER}"], False, True),
        (["tests/browser"], True, False),
        ([f"{BROWSER}::test_a_session_in_a_tab"], True, False),
        (["tests/cli", "tests/core"], False, True),
        (["tests/test_docs.py", "-n", "0"], False, False),
        (["tests"], True, True),
        (["tests", "--ignore=tests/cli"], True, False),
    ],
)
def test_programs_are_installed_only_for_the_tests_that_use_them(given: list[str], browser: bool, age: bool) -> None:
    assert dev.collects(given, BROWSER) is browser
    assert dev.collects(given, AGE) is age
