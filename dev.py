#!/usr/bin/env python3
"""Set up and run sessionpal from a fresh checkout, with nothing but python3.

    python3 dev.py run [sessionpal arguments...]   install what is needed, launch the app
    python3 dev.py test [pytest arguments...]      install what is needed, run the whole suite

Everything goes into ./.venv, created here; the exceptions are two programs some tests drive:
`test` installs Debian's chromium and age with apt-get when they are missing (as root), unless the
tests that use them are left out (`--ignore=tests/browser`: no chromium). `test` runs pytest with
-n auto unless you pass -n, --numprocesses or -p no:xdist yourself.
The venv is refreshed when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)
# Exact versions for the tests (snapshots change with rich and friends); the app itself installs with ranges.
TEST_CONSTRAINTS = ROOT / "constraints" / "test.txt"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def installed_stamp(extras: str) -> str:
    """What an install with `extras` was made from: pyproject.toml, and the test constraints for the tests."""
    made_from = (ROOT / "pyproject.toml").read_bytes() + (TEST_CONSTRAINTS.read_bytes() if extras == "test" else b"")
    return hashlib.sha256(made_from + extras.encode()).hexdigest()


def ensure_venv(extras: str) -> Path:
    """Create the venv and install the project (with `extras`) unless already current."""
    python = venv_python()
    stamp = VENV / f".installed-{extras or 'app'}"
    wanted = installed_stamp(extras)
    # The test install includes the app, so it serves `run` too.
    current = [(stamp, wanted)] + ([] if extras else [(VENV / ".installed-test", installed_stamp("test"))])
    if python.exists() and any(s.exists() and s.read_text() == w for s, w in current):
        return python
    if not python.exists():
        print(f"dev.py: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    target = f".[{extras}]" if extras else "."
    print(f"dev.py: installing sessionpal{f'[{extras}]' if extras else ''} into {VENV}", flush=True)
    constraints = ["-c", str(TEST_CONSTRAINTS)] if extras == "test" else []
    subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *constraints, "-e", target],
        cwd=ROOT,
        check=True,
    )
    stamp.write_text(wanted)
    return python


# Programs some tests drive, from Debian's packages: the browser tests' chromium (Playwright cannot
# download its own browser on every machine) and age, which must open an encrypted export.
SYSTEM_PACKAGES = {"chromium": ["chromium", "fonts-dejavu-core"], "age": ["age"]}
# The test file that drives each program: it is installed only for a run that may collect that file.
DRIVEN_BY = {"chromium": "tests/browser/test_in_a_browser.py", "age": "tests/cli/test_cli.py"}


def xdist_chosen(args: list[str]) -> bool:
    """Whether the caller chose the suite's processes: -n N (-nN), --numprocesses N, or -p no:xdist."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("-n") or arg.startswith("--numprocesses"):
            return True
        plugin = args[i + 1] if arg == "-p" and i + 1 < len(args) else arg[2:].lstrip("=") if arg.startswith("-p") else ""
        if plugin == "no:xdist":
            return True
    return False


def pytest_args(rest: list[str]) -> list[str]:
    """The caller's arguments, with -n auto (the suite over every core) unless they chose themselves."""
    return rest if xdist_chosen(rest) else ["-n", "auto", *rest]


def _covers(path: str, test_file: str) -> bool:
    """Whether the path given to pytest (a folder, a file, or a file::test) takes in test_file."""
    given = (ROOT / path.split("::")[0]).resolve()
    target = ROOT / test_file
    return target == given or given in target.parents


def collects(args: list[str], test_file: str) -> bool:
    """Whether a pytest run with these arguments may collect test_file (a path of the repository).

    Paths are the arguments that exist (so -k's or -m's words never count as one); none means the
    whole suite. --ignore=PATH (or --ignore PATH) leaves a path out."""
    paths: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--ignore" and i + 1 < len(args) or arg.startswith("--ignore="):
            ignored = args[i + 1] if arg == "--ignore" else arg.split("=", 1)[1]
            if _covers(ignored, test_file):
                return False
        elif not arg.startswith("-") and (i == 0 or args[i - 1] != "--ignore") and (ROOT / arg.split("::")[0]).exists():
            paths.append(arg)
    return not paths or any(_covers(path, test_file) for path in paths)


def ensure_system_packages(args: list[str]) -> None:
    """Install what is missing and the run may use, where that is possible (root and apt-get); else those
    tests are skipped."""
    missing = [name for name in SYSTEM_PACKAGES if not shutil.which(name) and collects(args, DRIVEN_BY[name])]
    if not missing:
        return
    packages = [p for name in missing for p in SYSTEM_PACKAGES[name]]
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"dev.py: {', '.join(missing)} missing, and only root with apt-get installs them here: their tests will be skipped", file=sys.stderr)
        return
    print(f"dev.py: installing {', '.join(missing)} with apt-get, for the tests that use them", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    installed = (
        subprocess.run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL, env=env).returncode == 0
        and subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], stdout=subprocess.DEVNULL, env=env).returncode == 0
    )
    if not installed:
        print(f"dev.py: apt-get could not install {', '.join(packages)}: their tests will be skipped", file=sys.stderr)


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        print(f"dev.py: sessionpal needs Python {'.'.join(map(str, MIN_PYTHON))} or newer", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        if command == "run":
            python = ensure_venv("")
            return subprocess.call([str(python), "-m", "sessionpal", *rest], cwd=os.getcwd())
        python = ensure_venv("test")
        ensure_system_packages(rest)
        # -n auto spreads the suite over the machine's cores, whatever else is asked, unless -n is.
        return subprocess.call([str(python), "-m", "pytest", *pytest_args(rest)], cwd=ROOT)
    except subprocess.CalledProcessError as error:
        print(f"dev.py: setup failed ({error})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
