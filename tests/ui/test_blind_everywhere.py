"""F9 brings the blind down from any screen (a fresh look found it did nothing on the review, a past session, F1,
the recap and the values view, which went on showing the client's words): the views of a client's words close,
from the top down, to the first screen that hides them itself (following.close_views_of_words)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.screen import Screen

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.screens.alignment import AlignmentScreen
from sessionpal.ui.screens.help import HelpScreen
from sessionpal.ui.screens.patterns import PatternsScreen
from sessionpal.ui.screens.review import ReviewScreen
from sessionpal.ui.screens.session import SessionScreen
from sessionpal.ui.screens.session_view import SessionViewScreen

from .conftest import end_with_a_note, make_app, settle, until

SIZE = (140, 45)
GOLDEN = Path(__file__).parents[1] / "core" / "golden" / "patterns" / "marta-ruiz"


async def test_f9_on_the_review_help_or_the_values_view_closes_them_onto_the_session_behind_its_blind(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        views: tuple[tuple[tuple[str, ...], type[Screen[Any]]], ...] = ((("ctrl+y",), ReviewScreen), (("f1",), HelpScreen), (("f7", "l"), AlignmentScreen))
        for keys, kind in views:
            await pilot.press(*keys)
            assert await until(pilot, lambda kind=kind: isinstance(app.screen, kind))  # type: ignore[misc]
            await settle(pilot)
            await pilot.press("f9")
            assert await until(pilot, lambda: isinstance(app.screen, SessionScreen)), f"{kind.__name__} closed"
            assert app.private and app.screen.has_class("-private")
            await pilot.press("f9")  # lifted again, for the next
            await pilot.pause()
            assert not app.private


async def test_f9_on_a_past_session_opened_from_the_patterns_closes_both(home: Home, clock: FakeClock) -> None:
    """Each view closing itself used to pop whatever was on top: here the patterns view's dismissal would have
    closed the past session above it and left the patterns on the screen."""
    shutil.copytree(GOLDEN, home.clients_dir / "marta-ruiz")
    app = make_app(home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+k")
        assert await until(pilot, lambda: isinstance(app.screen, PatternsScreen) and app.screen.patterns is not None)
        await pilot.pause()
        await pilot.press("enter")  # the quote: its session, at its line
        assert await until(pilot, lambda: isinstance(app.screen, SessionViewScreen))
        await settle(pilot)
        await pilot.press("f9")
        assert await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        assert [type(s).__name__ for s in app.screen_stack if isinstance(s, (PatternsScreen, SessionViewScreen))] == []
        assert app.screen.has_class("-private")


async def test_f9_on_the_recap_closes_it_onto_the_summary_behind_its_blind(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.ui.dialogs.summary import RecapDialog, SummaryDialog

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await end_with_a_note(pilot, "+You already chose courage once")
        await pilot.press("r")
        assert await until(pilot, lambda: isinstance(app.screen, RecapDialog))
        assert "courage" in str(app.screen.query_one("#recap").render()), "shown before the blind"
        await pilot.press("f9")
        assert await until(pilot, lambda: isinstance(app.screen, SummaryDialog))
        assert app.private and str(app.screen.query_one("#summary-title").render()) == "Session ended", "no name"


async def test_help_opened_under_the_blind_stays_open(demo_home: Home, clock: FakeClock) -> None:
    """Only what the blind came down on closes: F1 opened behind it is masked as it is shown, and stays."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9", "f1")
        assert await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and app.private
