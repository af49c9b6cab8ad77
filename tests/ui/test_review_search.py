"""Everyone's review's search, as a coach typing quickly meets it (found by a coach's look in tmux): an earlier
word's results never stand for the words in the box, words typed while the index is first read are searched
once it is in, and the list says when nothing matched."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.widgets import Input, OptionList, TabbedContent

from sessionpal.core.index import SearchIndex
from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.screens.review import ReviewScreen
from sessionpal.ui.screens.review_view import Found
from sessionpal.ui.widgets.paged_table import PagedTable

from .conftest import make_app, settle, until
from .test_review_flow import open_review

SIZE = (140, 45)


def prompts(screen: ReviewScreen) -> list[str]:
    hits = screen.query_one("#hits", OptionList)
    return [str(hits.get_option_at_index(n).prompt) for n in range(hits.option_count)]


async def test_an_earlier_words_results_finishing_last_are_not_shown(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("slash", *"sleep by")
        await settle(pilot)
        shown = prompts(screen)
        assert len(shown) == 1 and "sleep by eleven went badly" in shown[0]
        # The worker for a word's first letters, started first, hands its results over last.
        earlier = max((Found(letter, tuple(SearchIndex(history_home).search(letter))) for letter in "abcdefghst"), key=lambda f: len(f.hits))
        assert len(earlier.hits) > 1
        screen._searched(earlier)
        await pilot.pause()
        assert prompts(screen) == shown and screen.found.query == "sleep by"


async def test_words_typed_while_the_index_is_first_read_are_searched_once_it_is_in(
    history_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not SearchIndex(history_home).path.exists()
    let_go = threading.Event()
    real_refresh = SearchIndex.refresh

    def slow_refresh(self: SearchIndex, *args: Any, **kwargs: Any) -> Any:
        let_go.wait(timeout=30)  # a large practice's first build
        return real_refresh(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "refresh", slow_refresh)
    app = make_app(history_home, clock, client=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+y")
            assert await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            table: PagedTable[Any] = screen.query_one("#sessions", PagedTable)
            assert table.empty == "Reading your sessions…", "not 'No sessions yet.' while they are read"
            await pilot.press("slash", *"slee")
            assert await until(pilot, lambda: screen.found.query == "slee")
            assert prompts(screen) == ["No notes match."], "the index holds nothing yet"
            let_go.set()
            assert await until(pilot, lambda: len(screen.found.hits) == 1)
            assert "sleep by eleven went badly" in prompts(screen)[0]
            assert screen.query_one(TabbedContent).active == "tab-search", "the coach's tab kept when the rows come"
            assert isinstance(screen.focused, Input)
            assert table.empty == "No sessions yet." and table.count == 3
    finally:
        let_go.set()


async def test_the_bar_goes_when_the_index_had_nothing_to_read(home: Home, clock: FakeClock) -> None:
    """A home with no session yet (or a client added since the index last looked): the bar the review shows for
    reading goes once the look finds nothing to read, and the table says there is nothing."""
    app = make_app(home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert await until(pilot, lambda: not screen.query_one("#review-progress").display)
        assert screen.query_one("#sessions", PagedTable).empty == "No sessions yet."


async def test_the_note_under_a_hundred_results_is_shown_with_the_last_of_them(home: Home, clock: FakeClock) -> None:
    """The note cannot be highlighted, so End stopped on the 100th result with the note out of view (found by
    looking in tmux at 140x45)."""
    from datetime import timedelta

    from sessionpal.core.clients import create_client
    from sessionpal.core.live import LiveSession
    from sessionpal.core.session_models import FALLBACK_MODEL

    from ..helpers import START

    live = LiveSession(home, create_client(home, "Ana Pérez", 45), FakeClock(START - timedelta(days=1)), FALLBACK_MODEL, 45)
    for n in range(101):
        live.add_note(f"apple number {n}")
    live.end()
    app = make_app(home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("slash", *"apple")
        assert await until(pilot, lambda: len(screen.found.hits) == 100)
        hits = screen.query_one("#hits", OptionList)
        assert prompts(screen)[-1] == "The newest 100 lines: a word more narrows the search."
        await pilot.press("tab", "end")
        await pilot.pause()
        assert hits.highlighted == 99
        assert hits.scroll_y == hits.max_scroll_y > 0, "scrolled to the note under the last result"


async def test_a_search_that_takes_its_time_says_so_and_one_typed_over_stops(history_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Words in most sessions but never on one line have a search look at every session (seconds at 100,000): the
    list says it is searching, and a search the next letter replaced stops at its next batch of sessions."""
    search = SearchIndex.search
    release = threading.Event()
    stops: dict[str, bool] = {}

    def slow(index: SearchIndex, query: str, client: str | None = None, limit: int = 100, stop: Any = None) -> Any:
        if query == "sleep":
            while not release.is_set() and not stop():
                release.wait(0.02)
            stops[query] = stop()
        return search(index, query, client, limit, stop)

    monkeypatch.setattr(SearchIndex, "search", slow)
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("slash", *"sleep")
        assert await until(pilot, lambda: prompts(screen) == ["Searching every session…"])
        await pilot.press("backspace")  # "slee": the search for "sleep" is cancelled, and stops
        assert await until(pilot, lambda: stops.get("sleep") is True)
        await settle(pilot)
        assert prompts(screen) and all("slee" in p.lower() for p in prompts(screen)), "the words in the box, found"
        await pilot.press("p")
        release.set()
        await settle(pilot)
        assert any("sleep by eleven went badly" in p for p in prompts(screen)) and "Searching every session…" not in prompts(screen)


def test_a_search_told_to_stop_hands_over_what_it_found_so_far(history_home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sessionpal.core.index.FIRST_SESSIONS", 1)
    monkeypatch.setattr("sessionpal.core.index.MOST_SESSIONS", 1)
    index = SearchIndex(history_home)
    index.refresh()
    query = next(q for q in "stbaeiow" if len({h.path for h in index.search(q)}) > 1)  # a letter in several sessions' words
    everything = index.search(query)
    asked = []

    def after_one_batch() -> bool:
        asked.append(1)
        return len(asked) > 1

    first = index.search(query, stop=after_one_batch)
    assert first and {h.path for h in first} == {everything[0].path}, "the newest session's lines, then it stopped"
    assert index.search(query, stop=lambda: True) == []
