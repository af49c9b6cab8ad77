"""Helpers and constants for the tests."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# toml-test's invalid files live beside the checkout (../shared); SESSIONPAL_TOML_TEST_INVALID points elsewhere.
TOML_TEST_INVALID = Path(os.environ.get("SESSIONPAL_TOML_TEST_INVALID") or REPO.parent / "shared" / "peer" / "toml-test" / "invalid")

# A Monday morning in Madrid, so stamps and file names are the same on every machine.
START = datetime(2026, 11, 23, 10, 0, 0, tzinfo=timezone(timedelta(hours=1)))


def file_modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mode & 0o777 for p in root.rglob("*")}


def no_temp_files(root: Path) -> list[str]:
    return [str(p) for p in root.rglob(".sessionpal-*.tmp")]


def env_without_home() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SESSIONPAL_HOME", None)
    return env
