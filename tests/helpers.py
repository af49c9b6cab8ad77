"""Helpers and constants for the tests."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar, cast

from sessionpal.core.timer import SessionTimer, TimerState

T = TypeVar("T")

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


def as_moment(day: date) -> datetime:
    """A bare day as the goal functions' `at`: they are typed for the moment a goal changed (goals are stamped
    with the time), yet write and read a day just as well, as older files hold it, and the tests date goals by
    the day. Nothing is converted: it is the date itself, typed as the datetime they ask for."""
    return cast(datetime, day)


def present(value: T | None) -> T:
    """The value, which the test knows is there (a goal by its id, a regex's match, the deck's current
    question): None would fail the test as surely as the attribute read after it."""
    assert value is not None
    return value


def state_now(timer: SessionTimer) -> TimerState:
    """The timer's state, read anew where a test asserts it before and after an action that changes it:
    mypy keeps `timer.state` narrowed by the first assert across the calls that change it."""
    return timer.state
