"""A screen that closes is let go (ui/following.py): Textual keeps what follows the app (a watcher on app.private,
a signal's subscriber) until that next changes, so every session screen, patterns view, review, pack editor and
summary of a day stayed in memory with its widgets, and each full garbage collection walked them all."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.pilot import Pilot
from textual.screen import Screen

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.screens.clients import ClientPickerScreen
from sessionpal.ui.screens.packs import PacksScreen
from sessionpal.ui.screens.patterns import PatternsScreen
from sessionpal.ui.screens.review import ReviewScreen
from sessionpal.ui.screens.session import SessionScreen

from .conftest import end_with_a_note, make_app, settle, until

SIZE = (140, 45)


async def opened(pilot: Pilot[Any], key: str, kind: type[Screen[Any]]) -> weakref.ref[Screen[Any]]:
    await pilot.press(key)
    assert await until(pilot, lambda: isinstance(pilot.app.screen, kind))
    await settle(pilot)
    return weakref.ref(pilot.app.screen)


def let_go(refs: list[weakref.ref[Screen[Any]]]) -> bool:
    gc.collect()
    return all(ref() is None for ref in refs)


async def a_session(pilot: Pilot[Any]) -> list[weakref.ref[Screen[Any]]]:
    """One client's session as a coach has it: their patterns, the review, the packs, a note, the end and its
    summary, back to the client list. The screens it opened, as weak references."""
    session = weakref.ref(pilot.app.screen)
    assert isinstance(session(), SessionScreen)
    closed = [session, await opened(pilot, "ctrl+k", PatternsScreen)]
    await pilot.press("escape")
    closed.append(await opened(pilot, "ctrl+y", ReviewScreen))
    await pilot.press("escape")
    closed.append(await opened(pilot, "ctrl+o", PacksScreen))
    await pilot.press("escape")
    await end_with_a_note(pilot, "one note")
    closed.append(weakref.ref(pilot.app.screen))  # the summary
    await pilot.press("enter")  # done: back to the client list
    assert await until(pilot, lambda: isinstance(pilot.app.screen, ClientPickerScreen))
    return closed


async def test_the_screens_of_a_session_are_let_go_and_the_blind_still_reaches_the_open_ones(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The session opened at start is left first. (Textual holds on to that one screen, whatever it is: the
        # first screen pushed keeps a context of the app's start; one screen, however long the day.)
        await end_with_a_note(pilot, "first note")
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, ClientPickerScreen))
        await pilot.press(*"Ana", "enter")  # the next session with her
        assert await until(pilot, lambda: isinstance(app.screen, SessionScreen))
        await settle(pilot)
        closed = await a_session(pilot)
        # A screen's timers hold it until their next tick would have been due (asyncio keeps a cancelled one).
        assert await until(pilot, lambda: let_go(closed), timeout=30), [type(ref()).__name__ for ref in closed if ref() is not None]
        # Nor the lines their widgets drew (Textual #6665), nor the keys a footer showed before (#6666): no widget's
        # line cache outlives the widget. (Before, 230 of them for these 14 widgets; 46 with only the first fixed.)
        widgets = list(app.screen.walk_children(with_self=True)) + [w for s in app.screen_stack[:-1] for w in s.walk_children(with_self=True)]
        line_caches = [o for o in gc.get_objects() if isinstance(o, StylesCache)]
        assert len(line_caches) <= len(widgets) + 16, (len(line_caches), len(widgets))  # + a footer's keys being replaced
        picker = app.screen
        app.private = True  # the blind still reaches the screen that is open
        await pilot.pause()
        assert picker.has_class("-private")


def test_textual_still_keeps_each_widget_s_line_cache_in_its_own_cache() -> None:
    """When this fails Textual has fixed its issue 6665: ui/following.py's let_go_of_drawn_lines (and the private
    import tests/core/test_layering.py allows for it) can go."""
    from sessionpal.ui.following import let_go_of_drawn_lines

    let_go_of_drawn_lines()
    first, second = StylesCache(), StylesCache()
    first.get_inner_outer(Color(0, 0, 0), Color(10, 10, 10))
    second.get_inner_outer(Color(0, 0, 0), Color(10, 10, 10))
    assert StylesCache.get_inner_outer.cache_info().currsize == 2, "one entry, holding its line cache, per widget"
    let_go_of_drawn_lines()
    assert StylesCache.get_inner_outer.cache_info().currsize == 0
