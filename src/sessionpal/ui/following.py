"""What lets a closed screen go: the screens that follow the app, the threads that run workers, and what Textual
keeps of the lines a screen drew.

Three things kept every session screen, review, patterns view and summary of a coaching day in memory after it
closed, and each full garbage collection then walked them all (measured: 15 openings of the patterns view left
350,000 objects, and one collection in front of the view took 125 ms of its opening):

- Textual keeps a signal's subscriber, and a watcher set on another object, until that signal is next published
  or that attribute next changes (Textual issue #6666): `self.watch(self.app, "private", …)` held the screen.
  What a screen follows through `FollowsApp.follow` is let go when the screen is removed.
- Textual marks the worker running in the thread's own context, which a pool thread keeps until it runs another
  worker, so each thread held the last screen that used it. The app's pool, `FreshContextExecutor`, gives each
  call a context of its own.
- Textual caches a colour pair per widget's line cache in a process-wide lru_cache whose key holds that line cache
  (Textual issue #6665): up to 1,024 of them, each with every line its widget last drew. `let_go_of_drawn_lines`
  empties it whenever a screen closes or comes back to the front; it refills at once from what is on screen.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.signal import Signal

from .context import TypedApp

T = TypeVar("T")

# The blind's key on a view that closes under it: the app's own action, bound again on each such view because a
# modal screen takes no key of the app's (and the patterns view binds its keys above the app's).
BLIND_CLOSES_THIS = Binding("f9,ctrl+backslash", "app.private", "Private", id="private", show=False, tooltip="The privacy blind: closes this view")


def let_go_of_drawn_lines() -> None:
    """Textual #6665's workaround: the one private name of Textual read outside an override (tests/core/
    test_layering.py lists it, and tests/ui/test_screens_let_go.py checks it is still needed)."""
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()


def _raise(error: Exception) -> None:
    raise error


class FollowsApp(DOMNode):
    """Mixed in after the screen class, `class ReviewScreen(Screen[None], FollowsApp)`: Textual takes a node's CSS
    type names and default styles from the first base of each class alone, so first it would hide `Screen`'s."""

    pal = TypedApp()
    # A view of the client's words with nothing of its own to lose (the review, the patterns, a past session,
    # the recap, F1's news, the values view): it closes when the blind comes down (SessionPalApp.watch_private),
    # and if it comes back to the front under the blind.
    CLOSES_UNDER_BLIND: ClassVar[bool] = False
    saw_the_blind = False  # it was open, behind another screen, when the blind came down

    def follow(self, signal: Signal[T], callback: Callable[[T], Any], *, immediate: bool = False) -> None:
        """Call `callback` with what `signal` publishes while this node is mounted. `immediate`: within the
        publish (the blind must be down before the next frame), not at this node's next turn."""

        def followed(data: T) -> None:
            try:
                callback(data)
            except Exception as error:
                # Signal.publish only logs what a subscriber raised: a blind that failed to come down would
                # leave the client's words on the screen with nothing said. Raised again at this node's next
                # turn, it reaches the app's handler for errors, which saves the session and stops.
                self.call_next(_raise, error)

        signal.subscribe(self, followed, immediate)

    def on_screen_resume(self) -> None:
        let_go_of_drawn_lines()  # the screen or dialog that was in front has closed (or is only behind this one)
        if self.saw_the_blind and self.pal.private:
            close_views_of_words(self.pal)  # the dialog over it closed after the blind came down

    def on_unmount(self) -> None:
        for signal in self.pal.signals:
            signal.unsubscribe(self)
        let_go_of_drawn_lines()


def close_views_of_words(app: App[Any]) -> None:
    """The blind came down: from the top down, close each view of the client's words that has nothing of its
    own to lose, to the first screen that hides them itself (the session, the client list, the summary). Those
    further down close when they come back to the front. One rule here: each view closing itself popped
    whatever was on top of it, a screen above it included. (A view opened under the blind, F1 or the recap
    masked, stays.)"""
    for screen in app.screen_stack:
        if isinstance(screen, FollowsApp) and screen.CLOSES_UNDER_BLIND:
            screen.saw_the_blind = True
    while len(app.screen_stack) > 1 and isinstance(app.screen, FollowsApp) and app.screen.CLOSES_UNDER_BLIND:
        app.screen.dismiss(None)


class FreshContextExecutor(ThreadPoolExecutor):
    """The app's thread pool (its loop's default executor, which Textual's thread workers run in): each call runs
    in an empty context of its own. (A thread's context held nothing else a worker reads: Textual finds the app
    from the node.)"""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return super().submit(contextvars.Context().run, fn, *args, **kwargs)
