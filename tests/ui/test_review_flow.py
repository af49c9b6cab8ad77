"""The review screen: sessions, open actions, search, problems; and a session opened at a line."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Markdown, OptionList, Sparkline, Static, TabbedContent

from sessionpal.core.clients import ClientEntry
from sessionpal.core.model import ActionState
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock
from sessionpal.ui.screens.review import SESSIONS_PAGE, ReviewScreen
from sessionpal.ui.screens.session_view import SessionViewScreen
from sessionpal.ui.widgets.notes import LastTimeCard

from .conftest import make_app, session_screen, settle, until

SIZE = (140, 45)


async def open_review(pilot: Pilot[Any]) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("ctrl+y")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_review_of_one_client_from_the_session(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client="Ben Okafor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert str(screen.query_one("#review-title", Static).render()) == "Review · Ben Okafor"
        table = screen.query_one("#sessions", DataTable)
        assert table.row_count == 3
        assert [table.get_row_at(i)[0] for i in range(3)] == ["2026-11-16 10:00", "2026-11-09 10:00", "2026-11-02 10:00"]
        assert table.get_row_at(0)[1:4] == ["50:00", "60 min", "1"]
        assert screen.query_one("#lengths", Sparkline).data == [50, 50, 50]
        assert str(screen.query_one("#lengths-summary", Static).render()) == "3 sessions · 2 h 30 min in all · 50 min on average"
        trends = str(screen.query_one("#goal-trends", Static).render())
        assert "Ship the side project" in trends and "▃▃▅" in trends
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionViewScreen)
        markdown = app.screen.query_one(Markdown)
        assert "demo day booked" in markdown.source and markdown.source.startswith("# Ben Okafor · Monday 16 November 2026")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SessionScreen"


async def test_the_review_builds_the_index_with_worker_processes_inside_the_app(history_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build reads files in worker processes; inside the app (Textual holds sys.stderr) they must start
    too: multiprocessing's helper process did not, and the review failed with a traceback."""
    from sessionpal.core import index

    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    monkeypatch.setattr(index, "BATCH", 1)
    monkeypatch.setattr("sessionpal.core.index.os.cpu_count", lambda: 2)
    app = make_app(history_home, clock, client="Ben Okafor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert await until(pilot, lambda: screen.query_one("#sessions", DataTable).row_count == 3)
        assert not app.query(".toast")


async def test_the_review_shows_its_first_page_before_reading_every_client(history_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everyone's review shows the newest sessions from the index at once; every client's file (a thousand of
    them take seconds) is read after, and the rows shown stay as they are."""
    import threading

    from sessionpal.core.clients import list_clients
    from sessionpal.core.index import SearchIndex
    from sessionpal.ui.screens import review

    SearchIndex(history_home).refresh()  # a coach's index is current
    reading = threading.Event()
    real_list_clients = list_clients  # the one review.py calls

    def slow_list_clients(home: Home) -> list[ClientEntry]:
        assert reading.wait(30)
        return real_list_clients(home)

    monkeypatch.setattr(review, "list_clients", slow_list_clients)
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y")
        table = app.screen.query_one("#sessions", DataTable)
        assert await until(pilot, lambda: table.row_count > 0), "rows before any client file is read"
        first = [table.get_row_at(i) for i in range(table.row_count)]
        assert "Ship the side project" in str(first), "with the goals in the client's words"
        reading.set()
        assert await until(pilot, lambda: app.screen.query_one("#review-charts").display)
        assert [table.get_row_at(i) for i in range(len(first))] == first


async def test_search_opens_the_session_at_the_line(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert str(screen.query_one("#review-title", Static).render()) == "Review · all clients"
        await pilot.press("slash", *"slee bad")
        await settle(pilot)
        hits = screen.query_one("#hits", OptionList)
        assert hits.option_count == 1
        prompt = str(hits.get_option_at_index(0).prompt)
        assert "sleep by eleven went badly" in prompt
        assert re.match(r"Ben Okafor · \d{4}-\d\d-\d\d \[\d\d:\d\d:\d\d\]  ", prompt), "a stamp in brackets, as in the file"
        await pilot.press("enter", "enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, SessionViewScreen)
        found = view.query(".-found")
        assert len(found) == 1 and "sleep by eleven went badly" in str(found.first().render())


async def test_open_actions_across_sessions_can_be_ticked(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client="Ana Pérez")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_review(pilot)
        tabs = screen.query_one(TabbedContent)
        assert str(tabs.get_tab("tab-actions").label) == "Open actions (2)"
        tabs.active = "tab-actions"
        await pilot.pause()
        screen.query_one("#open-actions", OptionList).focus()
        await pilot.press("x")
        await settle(pilot)
        actions = read_session(session_paths(demo_home, "ana-perez")[0]).actions
        assert [a.state for a in actions] == [ActionState.DONE, ActionState.OPEN]
        await pilot.press("d")
        await settle(pilot)
        assert [a.state for a in read_session(session_paths(demo_home, "ana-perez")[0]).actions] == [ActionState.DONE, ActionState.DROPPED]
        assert str(tabs.get_tab("tab-actions").label) == "Open actions (0)"
        await pilot.press("escape")
        card = app.screen.query_one(LastTimeCard)
        assert await until(pilot, lambda: "[ ]" not in str(card.render())), "the card under the review shows the actions as they are now"
        assert "Last time" in str(card.render())


async def test_the_last_time_card_follows_a_hand_edit_of_the_last_session(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client="Ana Pérez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = app.screen.query_one(LastTimeCard)
        assert await until(pilot, lambda: "[ ] book a physio appointment" in str(card.render()))
        path = session_paths(demo_home, "ana-perez")[0]
        path.write_text(path.read_text().replace("- [ ] [00:08:00] book a physio", "- [x] [00:08:00] book a physio"))
        assert await until(pilot, lambda: "book a physio" not in str(card.render())), "an action ticked in an editor leaves the card"
        assert "send the CV draft" in str(card.render())


async def test_broken_files_and_conflict_copies_are_listed(demo_home: Home, clock: FakeClock) -> None:
    folder = demo_home.sessions_dir("ana-perez")
    (folder / "2026-11-20T1000.md").write_text("+++\nclient = \n+++\n")
    (folder / "2026-11-16T1000.sync-conflict-20261120-090000-XYZ.md").write_text("copy")
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        tabs = screen.query_one(TabbedContent)
        assert str(tabs.get_tab("tab-problems").label) == "Problems (2)"
        problems = str(screen.query_one("#problems", Static).render())
        assert "2026-11-20T1000.md:2:10: invalid TOML" in problems and "sync-conflict-20261120-090000-XYZ.md" in problems
        table = screen.query_one("#sessions", DataTable)
        assert table.get_row_at(0)[2] == "cannot be read", "listed where its name puts it, not hidden"
    assert (folder / "2026-11-20T1000.md").read_text() == "+++\nclient = \n+++\n"


async def test_search_box_takes_anything(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("slash")
        for text in ('"', "*", "AND", "(", ":", '"unclosed'):
            screen.query_one("#review-search", Input).value = text
            await settle(pilot)
        assert app.is_running


async def test_a_long_practice_is_shown_a_page_at_a_time(history_home: Home, clock: FakeClock) -> None:
    folder = history_home.sessions_dir("ben-okafor")
    text = session_paths(history_home, "ben-okafor")[0].read_text()
    started = next(line for line in text.splitlines() if line.startswith("started = "))
    for day in range(250):  # a year of sessions, one file each
        when = f"{2019 + day // 336}-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T0800"
        (folder / f"{when}.md").write_text(text.replace(started, f"started = {when[:13]}:00:00+01:00"))
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = screen.query_one("#sessions", DataTable)
        assert len(screen.rows) == 253 and table.row_count == SESSIONS_PAGE == 100
        await pilot.press("ctrl+end")  # the cursor nears the end: the next page comes
        await settle(pilot)
        assert table.row_count == 200
        table.scroll_end(animate=False, immediate=True)  # the mouse wheel moves no cursor, and works too
        await settle(pilot)
        assert table.row_count == 253
        table.move_cursor(row=252)
        await settle(pilot)
        assert table.get_row_at(252)[0] == "2019-01-01 08:00"  # the oldest, last
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionViewScreen)


async def test_an_index_that_cannot_be_opened_is_explained_not_a_crash(history_home: Home, clock: FakeClock) -> None:
    index = history_home.cache_dir / "index.sqlite3"
    index.mkdir(parents=True)  # where the database should be, something it cannot open
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert app.is_running and screen.query_one(TabbedContent).active == "tab-problems"
        assert "The search index could not be opened" in str(screen.query_one("#problems", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)


async def test_files_changed_by_hand_since_the_last_look_are_in_the_list(history_home: Home, clock: FakeClock) -> None:
    """The list first comes from the index, then the files are looked at: what changed must win."""
    oldest, *_, newest = sorted(session_paths(history_home, "ben-okafor"), key=lambda path: path.name)
    app = make_app(history_home, clock, client="Ben Okafor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.query_one("#sessions", DataTable).row_count == 3
        await pilot.press("escape")
        await settle(pilot)
        (newest.parent / "2026-11-20T0900.md").write_text(newest.read_text().replace("2026-11-16T10:00", "2026-11-20T09:00"))
        oldest.unlink()
        screen = await open_review(pilot)
        table = screen.query_one("#sessions", DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["2026-11-20 09:00", "2026-11-16 10:00", "2026-11-09 10:00"]
        assert not screen.query_one("#review-progress").display


async def test_clients_past_the_retention_period_are_listed(demo_home: Home, clock: FakeClock) -> None:
    from datetime import date

    from sessionpal.core.clients import create_client

    demo_home.config_file.write_text("retention_years = 5\n")
    create_client(demo_home, "Long Gone", 45, date(2019, 3, 1))
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await settle(pilot)
        problems = str(screen.query_one("#problems", Static).render())
        assert "Past your retention period (5 years)" in problems
        assert "2019-03-01  Long Gone  (long-gone)" in problems and "Ana" not in problems
        assert str(screen.query_one(TabbedContent).get_tab("tab-problems").label) == "Problems (1)"


async def test_a_session_recorded_under_the_wrong_client_is_moved_from_the_review(history_home: Home, clock: FakeClock) -> None:
    from sessionpal.core.clients import create_client, load_client
    from sessionpal.ui.dialogs.confirm import ChoiceDialog

    create_client(history_home, "Cleo Marsh", 60)
    newest = session_paths(history_home, "ben-okafor")[-1]
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot)
        await pilot.press("enter")  # the newest session: Ben's "demo day booked"
        await settle(pilot)
        assert isinstance(app.screen, SessionViewScreen) and app.screen.path == newest
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")  # Cleo, the only other client
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen), "the view closes: its file has moved"
        await until(pilot, lambda: all(row.path != newest for row in app.screen.rows))
        assert [r.path for r in app.screen.rows if r.path == newest] == [], "the review no longer lists it where it was"
    moved = history_home.sessions_dir("cleo-marsh") / newest.name
    assert not newest.exists() and read_session(moved).info.client == "cleo-marsh"
    assert load_client(history_home.client_file("cleo-marsh")).goal("ship-the-side-project") is not None, "the goal it rated came with it"
    assert load_client(history_home.client_file("ben-okafor")).goal("ship-the-side-project") is not None, "Ben's other sessions still rate it"


async def test_a_client_s_review_over_a_session_under_way_drops_a_moved_session(demo_home: Home, clock: FakeClock) -> None:
    """The session screen underneath refreshes the index too (its last-time card): the review must not wait
    for its own look to find the change, which the other one already took in."""
    from datetime import date

    from sessionpal.core.past import record_past_session
    from sessionpal.ui.dialogs.confirm import ChoiceDialog

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session_screen(app).note_flow.save_typed("a note: the session is under way")
        past = record_past_session(demo_home, "ana-perez", date(2026, 11, 2), 45, notes=["recorded under Ana by mistake"])
        review = await open_review(pilot)
        await until(pilot, lambda: past in [r.path for r in review.rows])
        review.query_one("#sessions", DataTable).move_cursor(row=[r.path for r in review.rows].index(past))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        asking = app.screen
        assert isinstance(asking, ChoiceDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is review
        assert await until(pilot, lambda: past not in [r.path for r in review.rows]), [r.path.name for r in review.rows]
