#!/usr/bin/env python3
"""Set up and run sessionpal from a fresh checkout, with nothing but python3.

    python3 dev.py run [sessionpal arguments...]   install what is needed, launch the app
    python3 dev.py test [pytest arguments...]      install what is needed, run the whole suite

Everything goes into ./.venv, created here; the one exception is the browser the browser
tests drive: `test` installs Debian's chromium with apt-get when it is missing (as root).
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


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium (Playwright cannot download its own browser on every
    machine): installed when missing, where that is possible (root and apt-get); else they are skipped."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print("dev.py: chromium is missing and only root with apt-get installs it here: the browser tests will be skipped", file=sys.stderr)
        return
    print("dev.py: installing chromium with apt-get, for the browser tests", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    quiet = {"stdout": subprocess.DEVNULL, "env": env}
    installed = (
        subprocess.run(["apt-get", "update", "-qq"], **quiet).returncode == 0
        and subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-dejavu-core"], **quiet).returncode == 0
    )
    if not installed:
        print("dev.py: apt-get could not install chromium: the browser tests will be skipped", file=sys.stderr)


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
        ensure_chromium()
        # -n auto spreads the suite over the machine's cores.
        args = rest or ["-n", "auto"]
        return subprocess.call([str(python), "-m", "pytest", *args], cwd=ROOT)
    except subprocess.CalledProcessError as error:
        print(f"dev.py: setup failed ({error})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
