"""Review: past sessions newest first, open actions across sessions, and search over every note.

For one client (from their session screen) or all clients (from the client list). Everything here reads the
search index, brought up to date in a worker when the screen opens (a progress bar shows while it builds);
session files stay the source of truth, and ticking an action changes only its line in its file.

The screen is a window onto the index: the lists are PagedTables that read the
rows in view a page at a time (LIMIT/OFFSET on the index's own order), the
counts and the chart are aggregate queries, and the goal titles are read for
the clients of the rows shown. So a practice of 100,000 sessions opens as fast
as one of a hundred and holds a few pages, not its history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, OptionList, ProgressBar, Sparkline, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from ...core.clients import list_clients
from ...core.conflicts import conflict_copies
from ...core.index import IndexUnavailable, SearchIndex
from ...core.index_types import OpenAction, SessionLengths, SessionRow
from ...core.model import ActionState, Client
from ...core.patterns import EnergyPoint
from ...core.records import past_retention
from ...core.sessions import set_action_state
from ...core.stalled import SessionFacts
from ...core.timer import format_span
from ..changes import attempt
from ..context import TypedApp
from ..following import FollowsApp
from ..widgets.footer import KeysFooter
from ..widgets.ordered_input import OrderedInput
from ..widgets.paged_table import PAGE, Column, PagedTable
from ..widgets.patterns import energy_text
from .review_clients import ShownClients
from .review_view import SEARCHING_AFTER, Found, Problems, Sizes, action_cells, goal_trends, hit_options, problems_text, searching, session_cells


class ReviewScreen(Screen[None], FollowsApp):
    pal = TypedApp()
    CSS_PATH = "review.tcss"  # read when it first opens, not at the app's start
    CLOSES_UNDER_BLIND = True  # it refuses to open under the blind, and closes when it comes down

    BINDINGS = [
        Binding("escape", "close", "Back", id="review_back", tooltip="Back to where you were"),
        Binding("slash,f5", "search", "Search", id="review_search", tooltip="Search every note"),
        Binding("x", "tick", "Done", id="action_done", tooltip="Tick the highlighted open action done (in its session file)"),
        Binding("d", "drop", "Drop", id="action_drop", tooltip="Drop the highlighted open action (in its session file)"),
        Binding("up", "to_hits(-1)", "Previous result", show=False, id="previous_hit", tooltip="The result above (from the search box)"),
        Binding("down", "to_hits(1)", "Next result", show=False, id="next_hit", tooltip="The result below (from the search box)"),
    ]

    # What the screen shows, as values: only their watchers draw.
    sizes: reactive[Sizes | None] = reactive(None, always_update=True)  # always: a reload reads the pages in view again
    lengths: reactive[SessionLengths | None] = reactive(None)
    trends: reactive[tuple[SessionFacts, ...]] = reactive(())
    problems: reactive[Problems] = reactive(Problems)
    energy: reactive[tuple[EnergyPoint, ...]] = reactive(())  # one client's check-ins (~7), oldest first
    reading: reactive[tuple[int, int]] = reactive((0, 0))  # (files read, files to read) while the index catches up
    index_error: reactive[str | None] = reactive(None)  # why the index could not be opened
    found: reactive[Found] = reactive(Found, always_update=True)  # the search's results, and the words they were found for

    def __init__(self, client: Client | None = None):
        super().__init__()
        self.client = client
        self.open_when_found = False  # Enter came before the results: open the first when they come
        # The clients of the rows shown, as their files say now (goal titles, names): read by the page reader before
        # it hands a page over, so a row is never drawn with ids and then with titles.
        self.shown_clients = ShownClients(client)
        self.focused_once = False
        self.first_rows_drawn = threading.Event()  # the worker's slower reads wait for it (see refresh_index)

    @property
    def index(self) -> SearchIndex:
        return SearchIndex(self.pal.home)

    @property
    def slug(self) -> str | None:
        return self.client.slug if self.client else None

    def compose(self) -> ComposeResult:
        who = self.client.name if self.client else "all clients"
        yield Static(f"Review · {who}", id="review-title", markup=False)
        yield ProgressBar(id="review-progress", show_eta=False)
        with Horizontal(id="review-charts"):
            with Vertical(id="lengths-box"):
                yield Static("Session lengths, oldest to newest (minutes)", classes="pane-title")
                yield Sparkline([], id="lengths")
                yield Static(id="lengths-summary")
            with Vertical(id="trends-box"):
                yield Static(id="goal-trends")
                yield Static(id="energy-trend")
        columns = [
            Column("Date", 16),
            Column("Duration", 8),
            Column("Planned", 7),
            Column("Notes", 5),
            Column("Asked", 5),
            Column("Open actions", 12),
            Column("Goals touched"),
        ]
        if self.client is None:
            columns.insert(1, Column("Client", 22))
        with TabbedContent(id="review-tabs"):
            with TabPane("Sessions", id="tab-sessions"):
                yield PagedTable[SessionRow](columns, self._session_cells, empty="No sessions yet.", id="sessions")
            with TabPane("Open actions", id="tab-actions"):
                yield PagedTable[OpenAction]([Column("Open action")], self._action_cells, header=False, empty="No open actions.", id="open-actions")
            with TabPane("Search", id="tab-search"):
                yield OrderedInput(placeholder='Search every note: words match as prefixes, "quoted phrases" exactly', id="review-search")
                yield OptionList(id="hits")
            with TabPane("Problems", id="tab-problems"):
                yield Static(id="problems")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#review-charts").display = False
        # A bar only when there is an index to build: a current one is read in a blink, and a bar
        # flashing on and off would pull the eye.
        self.query_one("#review-progress").display = building = not self.index.holds_everyone(self.slug)
        if building:
            self.query_one("#sessions", PagedTable).empty = "Reading your sessions…"
        # The first screenful of rows straight from the index, here: a worker's first query waited a tenth of a
        # second for the GIL while this frame was composed. The worker's page and counts follow, drawn in place.
        peeked = [] if building else self.shown_clients.readable_prefix(self.pal.home, self.index.newest_sessions(self.slug, self.app.size.height) or [])
        if peeked:
            self.shown_clients.learn(self.pal.home, {row.client for row in peeked})  # the clients of a screenful: a few small files
            table: PagedTable[SessionRow] = self.query_one("#sessions", PagedTable)
            table.reset(len(peeked))
            table.put_page(0, peeked, table.generation)
            self.focused_once = True
            table.focus()
            # The chart's room kept from the start: drawn in a moment, it would push the rows being read down.
            self.query_one("#review-charts").display = True
            self.query_one("#lengths").styles.visibility = "hidden"  # an empty sparkline is a row of bars
        self.refresh_index()
        self.follow(self.pal.past_sessions_signal, lambda _: self.refresh_index(reload=True))

    # loading ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def refresh_index(self, reload: bool = False) -> None:
        """Bring the index up to date and show it. `reload`: a file just changed in this app; its screens may
        have brought the index up to date already, so the lists are read again whatever this look finds."""
        index, slug = self.index, self.slug

        def step(done: int, total: int) -> None:
            self._from_worker(self._progress, done, total)

        try:
            # What the index already holds is shown at once (the coach opened the review to see the latest
            # sessions); the look at the files follows and corrects it, rarely needed.
            shown = index.holds_everyone(slug)
            first: list[SessionRow] = []
            before = None
            if shown:  # the first page comes with the sizes: the table's first frame has its rows
                first = index.sessions(slug, limit=PAGE)
                self.shown_clients.learn(self.pal.home, {row.client for row in first})
                before = Sizes(*index.counts(slug))
                self._from_worker(self._first_page, before, first)
                # The rest (a look at the files, the charts' queries, the sync copies: a quarter of a second of
                # CPU at 100,000 sessions) waits for those rows to be on the screen: on two cores, a thread
                # holding the GIL beside the first frame's layout made it twice as slow.
                self.first_rows_drawn.wait(timeout=1.0)
            # One client's files are each looked at (a few hundred stats); everyone's are trusted by their
            # folders, as search does: a stat per client, not one per session of the whole history.
            names = {self.client.slug: self.client.name} if self.client else None
            refreshed = index.refresh(step, names=names, client=slug, full=self.client is not None)
            if index.rebuilt:
                self._from_worker(self.notify, index.rebuilt, title="Search index rebuilt", severity="warning", timeout=8, markup=False)
                index.rebuilt = ""
            # Read again when this look changed the index, or another screen's look did meanwhile (the session
            # underneath refreshes it too): the counts or the first page tell, for the cost of one page.
            after = Sizes(*index.counts(slug))
            if refreshed.indexed or refreshed.removed or reload or after != before or index.sessions(slug, limit=PAGE) != first:
                self._from_worker(setattr, self, "sizes", after)
            lengths = index.lengths(slug)
            trends = tuple(SessionFacts(when, ratings) for when, ratings in index.client_ratings(slug) if when) if slug else ()
            energy = tuple(EnergyPoint(*point) for point in index.client_energy(slug)) if slug else ()
        except IndexUnavailable as error:
            self._from_worker(self._index_failed, error)
            return
        self._from_worker(self._charts_read, lengths, trends, energy)
        years = self.pal.config.retention_years
        past = past_retention(self.pal.home, years, self.pal.clock.now().date(), list_clients(self.pal.home)) if years and not self.client else []
        problems = Problems(refreshed.problems, tuple(conflict_copies(self.pal.home, slug)), tuple(past), years or 0)
        self._from_worker(setattr, self, "problems", problems)

    @on(PagedTable.PageWanted)
    def _page_wanted(self, event: PagedTable.PageWanted) -> None:
        self.read_page(event.table, event.page, event.generation)

    @work(thread=True, group="pages")  # not exclusive: the view may want two pages at once
    def read_page(self, table: PagedTable[SessionRow] | PagedTable[OpenAction], page: int, generation: int) -> None:
        index, slug = self.index, self.slug
        try:
            if table.id == "sessions":
                rows: list[SessionRow] | list[OpenAction] = index.sessions(slug, limit=PAGE, offset=page * PAGE)
                self.shown_clients.learn(self.pal.home, {row.client for row in rows})
            else:
                rows = index.open_actions(slug, limit=PAGE, offset=page * PAGE)
                self.shown_clients.learn(self.pal.home, {item.client for item in rows})
        except IndexUnavailable as error:
            self._from_worker(self._index_failed, error)
            return
        self._from_worker(table.put_page, page, rows, generation)

    def _from_worker(self, callback: Callable[..., object], *args: object, **kwargs: object) -> None:
        """A worker's result, handed to the screen on the app's thread, if the screen is still shown: a coach
        leaving the review while a page or a build is read must not meet a traceback."""

        def if_shown() -> None:
            if self.is_attached:
                callback(*args, **kwargs)

        try:
            self.app.call_from_thread(if_shown)
        except RuntimeError:
            pass  # the app has stopped meanwhile: there is nothing left to show it in

    def _first_page(self, sizes: Sizes, rows: list[SessionRow]) -> None:
        self.sizes = sizes
        table: PagedTable[SessionRow] = self.query_one("#sessions", PagedTable)
        table.put_page(0, rows, table.generation)
        self.call_after_refresh(self.first_rows_drawn.set)

    def _charts_read(self, lengths: SessionLengths, trends: tuple[SessionFacts, ...], energy: tuple[EnergyPoint, ...]) -> None:
        self.lengths, self.trends, self.energy = lengths, trends, energy

    def _index_failed(self, error: Exception) -> None:
        self.index_error = str(error)

    def _progress(self, done: int, total: int) -> None:
        self.reading = (done, total)

    # drawing ------------------------------------------------------------------

    def watch_reading(self, reading: tuple[int, int]) -> None:
        done, total = reading
        bar = self.query_one("#review-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        bar.display = done < total  # a bar only while files are being read

    def watch_index_error(self, error: str | None) -> None:
        if error is None:
            return
        self.query_one("#review-progress").display = False
        self.query_one("#sessions").display = False
        self.query_one("#problems", Static).update(Content.from_markup("[b]The search index could not be opened[/b]\n  $error", error=error))
        self.query_one(TabbedContent).active = "tab-problems"
        self.notify(error, title="Review unavailable", severity="error", markup=False)

    def watch_sizes(self, sizes: Sizes | None) -> None:
        if sizes is None:
            return
        sessions: PagedTable[SessionRow] = self.query_one("#sessions", PagedTable)
        sessions.empty = "No sessions yet."  # "Reading your sessions…" until the index had looked at them
        sessions.reset(sizes.sessions)
        self.query_one("#open-actions", PagedTable).reset(sizes.actions)
        self.query_one(TabbedContent).get_tab("tab-actions").label = f"Open actions ({sizes.actions:,})"
        self.refresh_bindings()
        if not self.focused_once:  # a reload (after ticking an action) leaves the focus where the coach has it
            self.focused_once = True
            if self.query_one(TabbedContent).active == "tab-sessions":  # not taken from a search being typed
                self.query_one("#sessions").focus()
        query = self.query_one("#review-search", Input).value
        if query:  # typed while the index was read: searched again in what it now holds
            self.run_search(query)

    def _session_cells(self, row: SessionRow) -> list[Content]:
        return session_cells(row, self.shown_clients.titles_of(row.client), name=None if self.client else self.shown_clients.name_of(row.client, row.name))

    def _action_cells(self, item: OpenAction) -> list[Content]:
        return action_cells(item, self.pal.clock.now().date(), name=None if self.client else self.shown_clients.name_of(item.client, item.name))

    def watch_lengths(self, lengths: SessionLengths | None) -> None:
        if lengths is None:
            return  # not read yet: the chart's room stays as on_mount left it
        charts = self.query_one("#review-charts")
        charts.display = bool(lengths and lengths.sessions)
        if not lengths or not lengths.sessions:
            return
        sparkline = self.query_one("#lengths", Sparkline)
        sparkline.display = len(lengths.averages) > 1  # one session's bar would fill the width and say nothing
        sparkline.styles.visibility = "visible"  # hidden while the first rows were read (on_mount)
        sparkline.data = [round(seconds / 60) for seconds in lengths.averages]
        self.query_one("#lengths-summary", Static).update(
            Content.from_markup(
                "[$text-muted]$n · $total in all · $mean on average[/]",
                n=f"{lengths.sessions:,} session{'s' if lengths.sessions != 1 else ''}",
                total=format_span(lengths.total),
                mean=format_span(lengths.total / lengths.sessions),
            )
        )

    def watch_trends(self, trends: tuple[SessionFacts, ...]) -> None:
        # Each session's ratings come from the index: no session file is read again here.
        self.query_one("#goal-trends", Static).update(goal_trends(self.client.goals, list(trends)) if self.client else "")

    def watch_energy(self, energy: tuple[EnergyPoint, ...]) -> None:
        # Off unless used: a client who never gave a number has no energy line (the app never asks for one).
        line = self.query_one("#energy-trend", Static)
        line.display = bool(energy)
        if energy:
            line.update(Content.assemble(("Energy, 0-10 in their words\n", "bold"), energy_text(energy)))

    def watch_problems(self, problems: Problems) -> None:
        self.query_one("#problems", Static).update(problems_text(problems))
        self.query_one(TabbedContent).get_tab("tab-problems").label = f"Problems ({len(problems)})" if len(problems) else "Problems"

    # actions ------------------------------------------------------------------

    @on(PagedTable.Selected, "#sessions")
    def _open_session(self, event: PagedTable.Selected) -> None:
        row = event.row
        assert isinstance(row, SessionRow)
        self._show_session(row.path, self.shown_clients.name_of(row.client, row.name))

    @on(Input.Changed, "#review-search")
    def _search(self, event: Input.Changed) -> None:
        self.run_search(event.value)
        self.set_timer(SEARCHING_AFTER, lambda: self._still_searching(event.value))

    def _still_searching(self, query: str) -> None:
        """A search that takes its time says so, where its results will be (the last ones were another's)."""
        if query.strip() and query == self.query_one("#review-search", Input).value != self.found.query:
            self.query_one("#hits", OptionList).set_options([searching()])

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()  # cancelled by the next word's search: it stops at its next batch
        try:
            hits = self.index.search(query, self.slug, stop=lambda: worker.is_cancelled)
            if worker.is_cancelled:
                return
            self.shown_clients.learn(self.pal.home, {hit.client for hit in hits})  # at most a hundred results
        except IndexUnavailable as error:
            self._from_worker(self.notify, str(error), title="Search unavailable", severity="error", markup=False)
            return
        self._from_worker(self._searched, Found(query, tuple(hits)))

    def _searched(self, found: Found) -> None:
        # Workers for quickly typed words run side by side, and an earlier one can finish last: its results are
        # not these words'.
        if found.query == self.query_one("#review-search", Input).value:
            self.found = found

    def watch_found(self, found: Found) -> None:
        options = self.query_one("#hits", OptionList)
        options.clear_options()
        options.add_options(hit_options(found, None if self.client else self.shown_clients.name_of))
        if found.hits:
            options.highlighted = 0
        if self.open_when_found and found.query == self.query_one("#review-search", Input).value:
            self.open_when_found = False
            self._open_highlighted_hit()

    @on(Input.Submitted, "#review-search")
    def _search_done(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the highlighted result (the first, unless the coach moved): once the
        results for these very words are in, so a quick Enter never opens an older search's line."""
        if event.value == self.found.query:
            self._open_highlighted_hit()
        else:
            self.open_when_found = True

    def _show_session(self, path: Path, name: str, stamp: int | None = None, text: str = "") -> None:
        """A past session, read-only, at the line found (if any). Its screen, with Markdown and its parser, is
        imported when the first one opens: a third of the review's own import time, before its first rows."""
        from .session_view import SessionViewScreen

        self.app.push_screen(SessionViewScreen(path, name, stamp, text))

    def _open_highlighted_hit(self) -> None:
        highlighted = self.query_one("#hits", OptionList).highlighted
        hits = self.found.hits
        if hits and highlighted is not None and highlighted < len(hits):
            hit = hits[highlighted]
            self._show_session(hit.path, self.shown_clients.name_of(hit.client, hit.name), hit.stamp, hit.text)

    def action_to_hits(self, delta: int) -> None:
        """↑ ↓ in the search box move through the results, as in the client list's filter."""
        options, count = self.query_one("#hits", OptionList), len(self.found.hits)  # not the note under them
        if count:
            options.highlighted = max(0, min(count - 1, (options.highlighted or 0) + delta))

    @on(OptionList.OptionHighlighted, "#hits")
    def _hit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The last result shown: so is the note under it ("the newest 100 lines"), which cannot be highlighted.
        if event.option_index == len(self.found.hits) - 1 < event.option_list.option_count - 1:
            event.option_list.scroll_end(animate=False)

    @on(OptionList.OptionSelected, "#hits")
    def _open_hit(self) -> None:
        self._open_highlighted_hit()

    @on(PagedTable.Selected, "#open-actions")
    def _open_action_session(self, event: PagedTable.Selected) -> None:
        item = event.row
        assert isinstance(item, OpenAction)
        self._show_session(item.path, self.shown_clients.name_of(item.client, item.name or item.client), item.action.stamp, item.action.text)

    def _highlighted_action(self) -> OpenAction | None:
        actions: PagedTable[OpenAction] = self.query_one("#open-actions", PagedTable)
        return actions.row_at(actions.cursor) if actions.count else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_hits":  # only from the search box: elsewhere ↑ ↓ belong to the lists
            return isinstance(self.focused, Input)
        if action in ("tick", "drop"):
            return self.query_one(TabbedContent).active == "tab-actions" and bool(self.sizes and self.sizes.actions)
        return True

    def _set_state(self, state: ActionState) -> None:
        item = self._highlighted_action()
        if item is None:
            return
        if not attempt(self, "Action not changed", lambda: set_action_state(item.path, item.action, state)):
            return  # told, through the one funnel (a broken file, a line gone since, a full disk)
        self.notify(("Done: " if state is ActionState.DONE else "Dropped: ") + item.action.text, markup=False)
        self.pal.past_sessions_changed()  # the session underneath shows open actions on its "last time" card; this list too

    def action_tick(self) -> None:
        self._set_state(ActionState.DONE)

    def action_drop(self) -> None:
        self._set_state(ActionState.DROPPED)

    def action_search(self) -> None:
        self.query_one(TabbedContent).active = "tab-search"
        self.query_one("#review-search", Input).focus()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss()
