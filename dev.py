#!/usr/bin/env python3
"""Set up and run sessionpal from a fresh checkout, with nothing but python3.

    python3 dev.py run [sessionpal arguments...]   install what is needed, launch the app
    python3 dev.py test [pytest arguments...]      install what is needed, run the whole suite

Everything goes into ./.venv, created here; the exceptions are two programs some tests drive:
`test` installs Debian's chromium and age with apt-get when they are missing (as root).
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


def ensure_system_packages() -> None:
    """Install what is missing, where that is possible (root and apt-get); else those tests are skipped."""
    missing = [name for name in SYSTEM_PACKAGES if not shutil.which(name)]
    if not missing:
        return
    packages = [p for name in missing for p in SYSTEM_PACKAGES[name]]
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"dev.py: {', '.join(missing)} missing, and only root with apt-get installs them here: their tests will be skipped", file=sys.stderr)
        return
    print(f"dev.py: installing {', '.join(missing)} with apt-get, for the tests that use them", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    quiet = {"stdout": subprocess.DEVNULL, "env": env}
    installed = (
        subprocess.run(["apt-get", "update", "-qq"], **quiet).returncode == 0
        and subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], **quiet).returncode == 0
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
        ensure_system_packages()
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
