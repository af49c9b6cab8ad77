"""The wheel carries the built-in packs: build it, install it into a fresh venv, load them from there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from ..helpers import REPO, env_without_home


@pytest.mark.slow
def test_built_wheel_ships_the_packs(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        timeout=300,
    )
    wheel = next(wheels.glob("sessionpal-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", str(wheel)],
        check=True,
        timeout=600,
    )
    env = env_without_home()

    # Run from an empty folder so nothing from the checkout can be picked up.
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bindir / "sessionpal"), "--home", str(tmp_path / "home"), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )

    builtin = Path(run("locate", "builtin").stdout.strip())
    assert builtin.is_relative_to(env_dir), builtin
    assert (builtin / "awareness.toml").is_file() and (builtin / "models" / "grow.toml").is_file()
    listed = run("packs", "list")
    assert listed.returncode == 0, listed.stderr
    assert str(env_dir) in listed.stdout and "stalled-goal" in listed.stdout
    checked = run("packs", "check")
    assert checked.returncode == 0 and "all valid: 7 packs" in checked.stdout
    # Browser mode's page template is package data too.
    page = subprocess.run(
        [str(python), "-c", "from sessionpal.browser.server import TEMPLATES; print((TEMPLATES / 'app_index.html').is_file())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert page.stdout.strip() == "True", page.stderr
    # The license travels with the package, and every dependency is declared and satisfied.
    licenses = list(env_dir.glob("lib/python*/site-packages/sessionpal-*.dist-info/licenses/LICENSE"))
    assert len(licenses) == 1 and licenses[0].read_text().startswith("MIT License")
    checked_deps = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
    assert checked_deps.returncode == 0, checked_deps.stdout
    completion = run("--print-completion", "bash")
    assert completion.returncode == 0 and "_shtab_sessionpal" in completion.stdout
