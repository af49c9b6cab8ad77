"""The app's thread pool runs each call in a context of its own (ui/following.py): Textual marks the worker
running in the thread's context, and a pool thread used to keep that mark, and the screen behind it, until it
ran another worker."""

from __future__ import annotations

import contextvars

import pytest

from sessionpal.ui.following import FreshContextExecutor

MARK: contextvars.ContextVar[str] = contextvars.ContextVar("mark")


def mark_and_read(value: str | None) -> str | None:
    before = MARK.get(None)
    if value is not None:
        MARK.set(value)
    return before


def test_what_one_call_sets_in_its_thread_is_gone_for_the_next() -> None:
    with FreshContextExecutor(max_workers=1) as pool:  # one thread: the second call runs where the first did
        assert pool.submit(mark_and_read, "the screen of a worker").result() is None
        assert pool.submit(mark_and_read, None).result() is None


def test_a_plain_pool_thread_keeps_it_which_is_why_the_app_does_not_use_one() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(mark_and_read, "the screen of a worker").result()
        assert pool.submit(mark_and_read, None).result() == "the screen of a worker"


def test_every_screen_that_follows_the_app_is_styled_as_a_screen() -> None:
    """FollowsApp comes after the screen class: Textual takes a node's CSS type names and default styles from the
    first base of each class alone, and first it hid Screen's (the summary's Done button fell off an 80x24
    terminal)."""
    import importlib
    import pkgutil

    from textual.screen import Screen

    import sessionpal.ui
    from sessionpal.ui.following import FollowsApp

    for info in pkgutil.walk_packages(sessionpal.ui.__path__, "sessionpal.ui."):
        importlib.import_module(info.name)
    followers: list[type] = []
    pending: list[type] = [FollowsApp]
    while pending:
        subclasses: list[type] = pending.pop().__subclasses__()
        for sub in subclasses:
            followers.append(sub)
            pending.append(sub)
    assert len(followers) >= 6, "the session, the client list, the review, the packs, the patterns, the summary"
    for cls in followers:
        assert cls.__mro__.index(Screen) < cls.__mro__.index(FollowsApp), cls.__name__


async def test_a_blind_that_fails_to_come_down_stops_the_app_rather_than_leave_the_words_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's Signal.publish only logs what a subscriber raised: the screen would have gone on showing the
    client's words under a blind the app believed was down. FollowsApp raises it again, into the app's handler
    for unexpected errors (save, then stop with a short message)."""
    from pathlib import Path
    from tempfile import TemporaryDirectory

    from sessionpal.core.paths import Home
    from sessionpal.ui.screens.session import SessionScreen

    from .conftest import build_demo_home, fixed_clock, make_app, settle, until

    shown = SessionScreen._privacy_changed

    def fails_to_hide(screen: SessionScreen, private: bool) -> None:
        if private:
            raise RuntimeError("the blind's drawing failed")
        shown(screen, private)

    monkeypatch.setattr(SessionScreen, "_privacy_changed", fails_to_hide)
    with TemporaryDirectory() as scratch:
        home = Home(Path(scratch) / "home")
        build_demo_home(home)
        app = make_app(home, fixed_clock())
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            await pilot.press("f9")
            assert await until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 1 and "RuntimeError" in app.exit_message


async def test_a_footer_composed_again_after_its_screen_closed_does_nothing() -> None:
    """A change of bindings or a resize queues the footer's recompose; run after its screen was gone, it asked for
    `self.screen` and the app stopped (NoScreen; seen leaving a session with F9 then F12, once in six)."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.screen import Screen

    from sessionpal.ui.widgets.footer import CompactFooter, KeysFooter

    class Closing(Screen[None]):
        BINDINGS = [Binding("x", "app.bell", "A key the footer shows")]

        def compose(self) -> ComposeResult:
            yield CompactFooter()
            yield KeysFooter(id="plain")

    class Harness(App[None]):
        def on_mount(self) -> None:
            self.push_screen(Closing())

    async with Harness().run_test() as pilot:
        await pilot.pause()
        footers = list(pilot.app.screen.query(KeysFooter))
        assert len(footers) == 2
        await pilot.app.pop_screen()
        await pilot.pause()
        for footer in footers:
            assert not footer.is_attached
            await footer.recompose()  # raised NoScreen from CompactFooter._keys_wanted
        assert pilot.app.return_code is None
