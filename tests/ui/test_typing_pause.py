"""While the coach types, nothing else costs a keystroke its frame (ui/typing_pause.py): the garbage collector
waits for a pause, and the clock's redraw comes with the next key's frame."""

from __future__ import annotations

import gc

import pytest
from textual.widgets import Static

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui import typing_pause

from .conftest import make_app, session_screen, settle

SIZE = (140, 45)


async def test_the_collector_waits_while_keys_come_and_goes_on_at_the_first_pause(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typing_pause, "QUIET", 600.0)  # no pause but the one the test makes, however loaded the machine
    app = make_app(demo_home, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            await pilot.press("a")
            assert not gc.isenabled() and app.typing.holding, "held from the first key"
            await pilot.press("b")
            assert not gc.isenabled()
            app.typing.last_key -= 601  # the coach paused
            app.typing._look()
            assert gc.isenabled() and not app.typing.holding
            await pilot.press("c")
            assert not gc.isenabled(), "held again at the next burst"
        assert gc.isenabled(), "leaving the app lets the collector go"
    finally:
        gc.enable()


async def test_a_collector_held_by_someone_else_is_left_to_them(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            gc.disable()  # as the command line holds it until the first frame
            await pilot.press("a")
            assert not app.typing.holding
            app.typing.release(collect=True)
            assert not gc.isenabled(), "not let go by the app: it never held it"
    finally:
        gc.enable()


async def test_the_clocks_redraw_while_the_coach_types_comes_with_the_next_key(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = session_screen(app)
        timer_line = screen.query_one("#timer-line", Static)
        await pilot.press("f2")
        clock.advance(0.9)
        screen.upkeep.tick()
        await pilot.pause()
        assert "00:00" in str(timer_line.render())
        await pilot.press("a")  # a key, then the second turns over 0.2 s later: the coach is typing
        clock.advance(0.2)
        screen.upkeep.tick()
        assert "00:00" in str(timer_line.render()), "not drawn on its own frame"
        await pilot.press("b")
        assert "00:01" in str(timer_line.render()), "drawn with the key's"
        clock.advance(5)  # a pause: the clock draws on its own again
        screen.upkeep.tick()
        assert "00:06" in str(timer_line.render())
