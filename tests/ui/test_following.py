"""The app's thread pool runs each call in a context of its own (ui/following.py): Textual marks the worker
running in the thread's context, and a pool thread used to keep that mark, and the screen behind it, until it
ran another worker."""

from __future__ import annotations

import contextvars

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
