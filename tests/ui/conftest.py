"""Fixtures for driving the app with Pilot: a frozen cursor, a fixed clock and a realistic home."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path, PurePath
from typing import Any, Protocol

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from sessionpal.core.clients import create_client, load_client
from sessionpal.core.goals import add_goal, change_goal_status
from sessionpal.core.live import LiveSession
from sessionpal.core.model import GoalStatus
from sessionpal.core.paths import Home
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessionfile import SessionDocument
from sessionpal.core.timer import FakeClock
from sessionpal.ui.app import SessionPalApp
from sessionpal.ui.screens.session import SessionScreen

from ..helpers import START, as_moment


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots depend on timing; keep it steadily on."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def build_demo_home(home: Home) -> None:
    """Ana, with three goals and one earlier session; two more clients with no sessions."""
    ana = create_client(home, "Ana Pérez", 45, date(2026, 10, 1))
    add_goal(home, ana.slug, "Leave the bank by spring", value="freedom", at=as_moment(date(2026, 10, 1)))
    add_goal(home, ana.slug, "Run 5 km without stopping", value="health", at=as_moment(date(2026, 10, 1)))
    add_goal(home, ana.slug, "Weekly call with her sister", value="family", at=as_moment(date(2026, 10, 1)))
    change_goal_status(home, ana.slug, "run-5-km-without-stopping", GoalStatus.AT_RISK, "knee", at=as_moment(date(2026, 11, 1)))
    change_goal_status(home, ana.slug, "weekly-call-with-her-sister", GoalStatus.ON_TRACK, at=as_moment(date(2026, 11, 1)))
    ana = load_client(ana.path)
    earlier = FakeClock(START - timedelta(days=7))
    live = LiveSession(home, ana, earlier, FALLBACK_MODEL, 45)
    for typed in (
        "wants clarity about leaving",
        '"I always give up in March',
        "*the deadline is hers",
        "!send the CV draft to Marta by Friday",
        "!book a physio appointment",
    ):
        earlier.advance(120)
        live.add_note(typed)
    earlier.advance(1800)
    live.end()
    create_client(home, "José Álvarez", 60, date(2026, 9, 1))
    create_client(home, "李雷", 90, date(2026, 9, 1))


@pytest.fixture
def demo_home(home: Home) -> Home:
    build_demo_home(home)
    return home


def make_app(home: Home, clock: FakeClock, client: str | None = "Ana Pérez") -> SessionPalApp:
    return SessionPalApp(home, clock=clock, client=client, seed=7)


def session_screen(app: App[Any]) -> SessionScreen:
    """The screen on top, which the test has brought to the session screen."""
    screen = app.screen
    assert isinstance(screen, SessionScreen), screen
    return screen


def session_file(app: App[Any]) -> Path:
    """The file of the session on the session screen, which the test has started."""
    path = session_screen(app).live.path
    assert path is not None, "not started: no file yet"
    return path


def live_document(app: App[Any]) -> SessionDocument:
    """The session screen's session as it holds it, which the test has started."""
    document = session_screen(app).live.document
    assert document is not None, "not started: no document yet"
    return document


class SnapCompare(Protocol):
    """What pytest-textual-snapshot's snap_compare fixture gives (the plugin declares less than it takes)."""

    def __call__(
        self,
        app: str | PurePath | App[Any],
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
    ) -> bool: ...


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers (pack loading) finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def end_with_a_note(pilot: Pilot[Any], note: str) -> None:
    """Type `note` into the session's note line, end the session (F12, then Enter to confirm): its summary is up."""
    from sessionpal.ui.dialogs.summary import SummaryDialog

    await pilot.press(*note, "enter")
    await settle(pilot)
    await pilot.press("f12", "enter")
    assert await until(pilot, lambda: isinstance(pilot.app.screen, SummaryDialog)), "the summary is up"


async def until(pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 30.0) -> bool:
    """Wait for something the app does on a timer or in a thread: polled, never a fixed sleep.

    The timeout bounds a stall, not the app's speed: a test must pass on a machine under load."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.05)
    return True


@dataclass(frozen=True)
class Told:
    title: str
    message: str
    severity: str


def told(app: App[Any]) -> list[Told]:
    """Everything the app told the coach: toasts, and the news on session status lines."""
    from sessionpal.ui.widgets.status import StatusLine

    said = [Told(n.title, n.message, n.severity) for n in app._notifications]
    for screen in app.screen_stack:
        for line in screen.query(StatusLine):
            said += [Told(title, message, "information") for title, message in line.said]
    return said


def fixed_clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1))))


def build_history_home(home: Home) -> None:
    """Ben: three goals and three earlier weekly sessions. "Find a mentor" never moved in them;
    "Ship the side project" was rated up; "Sleep by eleven" was named in a note."""
    ben = create_client(home, "Ben Okafor", 60, date(2026, 9, 1))
    for title, value in (("Ship the side project", "craft"), ("Find a mentor", ""), ("Sleep by eleven", "health")):
        add_goal(home, ben.slug, title, value=value, at=as_moment(date(2026, 9, 1)))
    from sessionpal.core.clients import set_agreements, set_values

    set_values(home, ben.slug, ["craft", "health", "family"])
    set_agreements(home, ben.slug, ["career"], ["family"])
    for week, rating, note in ((3, 3, "talked about the launch"), (2, 4, "sleep by eleven went badly"), (1, 6, "demo day booked")):
        clock = FakeClock(START - timedelta(weeks=week))
        live = LiveSession(home, load_client(home.client_file(ben.slug), ben.slug), clock, FALLBACK_MODEL, 60)
        live.add_note(note)
        live.goals.rate_goal("ship-the-side-project", rating)
        clock.advance(50 * 60)
        live.end()


@pytest.fixture
def history_home(home: Home) -> Home:
    build_history_home(home)
    return home
