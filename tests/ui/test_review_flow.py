"""The review screen: sessions, open actions, search, problems; and a session opened at a line."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Markdown, OptionList, Sparkline, Static, TabbedContent

from sessionpal.core.clients import ClientEntry
from sessionpal.core.index_types import SessionRow
from sessionpal.core.model import ActionState
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock
from sessionpal.ui.screens.review import ReviewScreen
from sessionpal.ui.screens.session_view import SessionViewScreen
from sessionpal.ui.widgets.last_time import LastTimeCard
from sessionpal.ui.widgets.paged_table import PAGE, PagedTable

from .conftest import make_app, session_screen, settle, until

SIZE = (140, 45)


async def open_review(pilot: Pilot[Any]) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("ctrl+y")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def sessions_of(screen: ReviewScreen) -> PagedTable[SessionRow]:
    table: PagedTable[SessionRow] = screen.query_one("#sessions", PagedTable)
    return table


def lines(table: PagedTable[Any]) -> list[tuple[str, ...]]:
    """The rows as the coach reads them, for a table whose rows are all held (a small one, once read)."""
    return [cells for i in range(table.count) if (cells := table.cells(i)) is not None]


def paths(table: PagedTable[SessionRow]) -> list[Any]:
    return [row.path for i in range(table.count) if (row := table.row_at(i)) is not None]


async def test_review_of_one_client_from_the_session(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client="Ben Okafor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert str(screen.query_one("#review-title", Static).render()) == "Review · Ben Okafor"
        table = sessions_of(screen)
        assert table.count == 3
        assert [cells[0] for cells in lines(table)] == ["2026-11-16 10:00", "2026-11-09 10:00", "2026-11-02 10:00"]
        assert lines(table)[0][1:4] == ("50:00", "60 min", "1")
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
        assert await until(pilot, lambda: len(lines(sessions_of(screen))) == 3)
        assert not app.query(".toast")


async def test_everyone_s_review_reads_only_the_clients_of_the_rows_it_shows(history_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everyone's review shows the newest sessions from the index, with the goals in their clients' words: the
    client files read are those of the rows shown, never the whole list (a thousand of them take seconds)."""
    from sessionpal.core.clients import load_client
    from sessionpal.core.index import SearchIndex
    from sessionpal.ui.screens import review, review_clients

    SearchIndex(history_home).refresh()  # a coach's index is current
    read: list[str] = []

    def counted_load_client(path: Any, slug: str) -> Any:
        read.append(path.parent.name)
        return load_client(path, slug)

    def no_list_clients(home: Home) -> list[ClientEntry]:
        raise AssertionError("everyone's review read every client")

    monkeypatch.setattr(review_clients, "load_client", counted_load_client)
    monkeypatch.setattr(review, "list_clients", no_list_clients)
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+y")
        table = sessions_of(app.screen)  # type: ignore[arg-type]
        assert await until(pilot, lambda: table.count > 0 and table.cells(0) is not None)
        assert "Ship the side project" in str(lines(table)), "with the goals in the client's words"
        assert await until(pilot, lambda: app.screen.query_one("#review-charts").display)
        shown = {row.client for i in range(table.count) if (row := table.row_at(i))}
        assert sorted(read) == sorted(shown), "each client of a row shown read once, and no one else"


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
        await pilot.press("enter")  # from the search box: the first result opens
        await settle(pilot)
        view = app.screen
        assert isinstance(view, SessionViewScreen)
        found = view.query(".-found")
        assert len(found) == 1 and "sleep by eleven went badly" in str(found.first().render())


async def test_enter_typed_before_the_results_opens_the_first_of_them(history_home: Home, clock: FakeClock) -> None:
    """A coach types and presses Enter at once: the session opened is the first result of those words (found by a
    newcomer's look: Enter only moved the focus, and a second Enter was needed)."""
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("slash", *"demo", "enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, SessionViewScreen)
        assert "demo" in str(view.query(".-found").first().render()).lower()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and isinstance(screen.focused, Input)
        await pilot.press("down", "up")  # from the search box, through the results
        assert screen.query_one("#hits", OptionList).highlighted == 0


async def test_open_actions_across_sessions_can_be_ticked(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client="Ana Pérez")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_review(pilot)
        tabs = screen.query_one(TabbedContent)
        assert str(tabs.get_tab("tab-actions").label) == "Open actions (2)"
        tabs.active = "tab-actions"
        await pilot.pause()
        screen.query_one("#open-actions", PagedTable).focus()
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
        assert lines(sessions_of(screen))[0][2] == "cannot be read", "listed where its name puts it, not hidden"
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
        table = sessions_of(screen)
        assert table.count == 253 and table.held == PAGE == 100, "the page in view, not the history"
        await pilot.press("end")  # the first session ever, at the end
        await settle(pilot)
        assert table.cursor == 252 and table.cells(252) is not None
        assert table.cells(252)[0] == "2019-01-01 08:00"  # type: ignore[index]
        assert table.held <= 3 * PAGE
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
        assert sessions_of(screen).count == 3
        await pilot.press("escape")
        await settle(pilot)
        (newest.parent / "2026-11-20T0900.md").write_text(newest.read_text().replace("2026-11-16T10:00", "2026-11-20T09:00"))
        oldest.unlink()
        screen = await open_review(pilot)
        assert await until(pilot, lambda: [cells[0] for cells in lines(sessions_of(screen))] == ["2026-11-20 09:00", "2026-11-16 10:00", "2026-11-09 10:00"])
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
        review = app.screen
        assert await until(pilot, lambda: newest not in paths(sessions_of(review)) and len(paths(sessions_of(review))) == sessions_of(review).count)
        assert newest.name in [path.name for path in paths(sessions_of(review))], "listed under Cleo now, not where it was"
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
        table = sessions_of(review)
        assert await until(pilot, lambda: past in paths(table))
        table.cursor = paths(table).index(past)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        asking = app.screen
        assert isinstance(asking, ChoiceDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is review
        assert await until(pilot, lambda: past not in paths(table) and len(paths(table)) == table.count), paths(table)


async def test_a_clients_energy_check_ins_show_in_their_review_and_only_when_given(history_home: Home, clock: FakeClock) -> None:
    """Issue 31.4: the trend of the client's own numbers (~7) in the review; a client who never gave one has no line."""
    import shutil
    from pathlib import Path

    golden = Path(__file__).parents[1] / "core" / "golden" / "patterns" / "marta-ruiz"
    shutil.copytree(golden, history_home.clients_dir / "marta-ruiz")
    app = make_app(history_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert await until(pilot, lambda: len(screen.energy) == 2)
        energy = screen.query_one("#energy-trend", Static)
        assert energy.display and "Energy, 0-10" in str(energy.render())
        assert [(p.start, p.end) for p in screen.energy] == [(4, 6), (5, None)], "oldest first, the end of the second not given"
    app = make_app(history_home, clock, client="Ben Okafor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert await until(pilot, lambda: screen.trends != ())
        assert screen.energy == () and not screen.query_one("#energy-trend", Static).display


async def test_the_first_frame_has_the_newest_rows_before_any_worker_reads(history_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """With an index there, the screenful in view is read as the screen mounts: a worker's first query waited for
    the GIL behind that very frame (issue 29). Here the worker reads nothing, so the rows can only be the peek's."""
    from sessionpal.core.index import SearchIndex

    SearchIndex(history_home).refresh()
    newest = SearchIndex(history_home).sessions(limit=3)
    monkeypatch.setattr(ReviewScreen, "refresh_index", lambda self, reload=False: None)
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        table = sessions_of(screen)
        assert paths(table)[:3] == [row.path for row in newest] and screen.focused is table
        assert screen.query_one("#review-charts").display, "the chart's room is kept: drawn later, it would push the rows down"
        assert all(cells[-1] == "" or "," in cells[-1] or not re.fullmatch(r"[a-z0-9-]+", cells[-1]) for cells in lines(table)), "goal titles, not ids"


async def test_a_client_renamed_since_their_sessions_were_indexed_is_shown_by_their_name_now(history_home: Home, clock: FakeClock) -> None:
    """The index keeps the name a session had when it was read; a renamed client (found by a coach's look) was
    listed, found and opened under the old one."""
    from sessionpal.core.index import SearchIndex

    SearchIndex(history_home).refresh()
    toml = history_home.client_file("ben-okafor")
    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "Ben Okafor"', 'name = "Ben Adeyemi"'), encoding="utf-8")
    app = make_app(history_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert {cells[1] for cells in lines(sessions_of(screen))} == {"Ben Adeyemi"}
        await pilot.press("slash", *"slee bad")
        await settle(pilot)
        assert str(screen.query_one("#hits", OptionList).get_option_at_index(0).prompt).startswith("Ben Adeyemi · ")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionViewScreen) and app.screen.client_name == "Ben Adeyemi"


def test_the_review_reads_no_client_file_the_index_names_oddly(history_home: Home) -> None:
    """A crafted index naming `../../outside` as a row's client: no file outside the home is read for it, and its
    name from the index is made harmless (an attacker's read of the change)."""
    from sessionpal.ui.screens.review_clients import ShownClients

    outside = history_home.root.parent / "outside"
    outside.mkdir()
    (outside / "client.toml").write_text('name = "Read from outside the home"\n', encoding="utf-8")
    shown = ShownClients()
    shown.learn(history_home, {"../../outside", "ben-okafor"})
    assert shown.name_of("../../outside", "Ev\x1b]0;pwned\x07il") == "Ev␛]0;pwned␇il"
    assert shown.titles_of("../../outside") == {} and shown.name_of("ben-okafor", "old") == "Ben Okafor"
