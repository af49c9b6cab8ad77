"""Review: past sessions newest first, open actions across sessions, and search over every note.

For one client (from their session screen) or all clients (from the client
list). Everything here reads the search index, brought up to date in a worker
when the screen opens (a progress bar shows while it builds); session files stay
the source of truth, and ticking an action changes only its line in its file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, OptionList, ProgressBar, Sparkline, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from ...core.clients import list_clients, load_client
from ...core.conflicts import conflict_copies
from ...core.index import IndexUnavailable, SearchIndex
from ...core.index_types import Hit, OpenAction, SessionRow
from ...core.model import ActionState, Client, Goal
from ...core.problems import FileProblems
from ...core.records import PastRetention, past_retention
from ...core.sessions import set_action_state
from ...core.stalled import SessionFacts, rating_trend, sparkline
from ...core.stamps import format_stamp
from ...core.timer import format_clock, format_span
from ..changes import attempt
from ..context import TypedApp
from ..widgets.goals import STATUS_LOOK
from ..widgets.notes import due_part
from .session_view import SessionViewScreen


def goal_trends(goals: Sequence[Goal], sessions: list[SessionFacts]) -> Content:
    """Each goal's status and ratings over time, in aligned columns so the sparklines line up."""
    if not goals:
        return Content.from_markup("[$text-muted]No goals: the review shows sessions and notes only.[/]")
    title_width = max(cell_len(goal.title) for goal in goals)
    status_width = max(cell_len(goal.status.label) for goal in goals)
    lines = [Content.from_markup("[b $text-muted]Goal ratings over time[/]")]
    for goal in goals:
        glyph, colour = STATUS_LOOK[goal.status]
        trend = rating_trend(goal.id, sessions)
        lines.append(
            Content.from_markup(
                f"[{colour}]$glyph[/] $title  [{colour}]$status[/]  [$accent]$spark[/] [$text-muted]$latest[/]",
                glyph=glyph,
                title=goal.title + " " * (title_width - cell_len(goal.title)),
                status=goal.status.label + " " * (status_width - cell_len(goal.status.label)),
                spark=sparkline(trend, 16) if trend else "·",
                latest=f"{trend[-1]}/10" if trend else "not rated yet",
            )
        )
    return Content("\n").join(lines)


def marked_content(marked: str) -> Content:
    """The index marks a match between \\x01 and \\x02; show it in the accent colour."""
    parts = marked.replace("\x02", "\x01").split("\x01")
    content = Content("")
    for index, part in enumerate(parts):
        content += Content.from_markup("[b $accent]$p[/]", p=part) if index % 2 else Content(part)
    return content


SESSIONS_PAGE = 100  # rows added to the sessions table at a time


class ReviewScreen(Screen[None]):
    pal = TypedApp()

    BINDINGS = [
        Binding("escape", "close", "Back", id="review_back", tooltip="Back to where you were"),
        Binding("slash,f5", "search", "Search", id="review_search", tooltip="Search every note"),
        Binding("x", "tick", "Done", id="action_done", tooltip="Tick the highlighted open action done (in its session file)"),
        Binding("d", "drop", "Drop", id="action_drop", tooltip="Drop the highlighted open action (in its session file)"),
    ]

    def __init__(self, client: Client | None = None):
        super().__init__()
        self.client = client
        self.rows: list[SessionRow] = []
        self.actions: list[OpenAction] = []
        self.hits: list[Hit] = []
        self.goal_titles: dict[str, dict[str, str]] = {}
        self.names: dict[str, str] = {}
        self.loaded_once = False

    @property
    def index(self) -> SearchIndex:
        return SearchIndex(self.pal.home)

    def compose(self) -> ComposeResult:
        who = self.client.name if self.client else "all clients"
        yield Static(f"Review · {who}", id="review-title", markup=False)
        yield ProgressBar(id="review-progress", show_eta=False)
        with Horizontal(id="review-charts"):
            with Vertical(id="lengths-box"):
                yield Static("Session lengths, oldest to newest (minutes)", classes="pane-title")
                yield Sparkline([], id="lengths")
                yield Static(id="lengths-summary")
            yield Static(id="goal-trends")
        with TabbedContent(id="review-tabs"):
            with TabPane("Sessions", id="tab-sessions"):
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with TabPane("Open actions", id="tab-actions"):
                yield OptionList(id="open-actions")
            with TabPane("Search", id="tab-search"):
                yield Input(placeholder='Search every note: words match as prefixes, "quoted phrases" exactly', id="review-search")
                yield OptionList(id="hits")
            with TabPane("Problems", id="tab-problems"):
                yield Static(id="problems")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        columns = ["Date", "Duration", "Planned", "Notes", "Asked", "Open actions", "Goals touched"]
        if self.client is None:
            columns.insert(1, "Client")
        table.add_columns(*columns)
        self.watch(table, "scroll_y", self._near_the_end, init=False)  # scrolling with the mouse moves no cursor
        self.query_one("#review-charts").display = False
        # A bar only when there is an index to build: a current one is read in a blink, and a bar
        # flashing on and off would pull the eye.
        self.query_one("#review-progress").display = not self.index.path.exists()
        self.refresh_index()
        self.pal.past_sessions_signal.subscribe(self, lambda _: self.refresh_index(reload=True))

    # loading ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def refresh_index(self, reload: bool = False) -> None:
        """Bring the index up to date and show it. `reload`: a file just changed in this app; its screens may
        have brought the index up to date already, so the lists are drawn again whatever this look finds."""
        index = self.index

        def step(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        slug = self.client.slug if self.client else None
        try:
            # The first page first: the coach opened the review to see the latest sessions. What the index
            # already holds is shown at once, with the goal titles of just those sessions' clients (everyone's
            # client files and fifty thousand rows would take seconds); the rest follows, then the look at the
            # files, which corrects it (rarely needed) so that opening never waits on thousands of stats.
            shown = index.path.exists()
            if shown:
                first = index.sessions(slug, limit=SESSIONS_PAGE)
                clients = [self.client] if self.client else self._clients_of(first)
                self.app.call_from_thread(self._sessions_loaded, first, *_goal_titles_and_names(clients), False)
            entries = [] if self.client else list_clients(self.pal.home)
            clients = [self.client] if self.client else [entry.client for entry in entries if entry.client]
            goal_titles, names = _goal_titles_and_names(clients)
            if shown:
                self.app.call_from_thread(self._sessions_loaded, index.sessions(slug), goal_titles, names)
            refreshed = index.refresh(step, names=names, client=slug)
            if index.rebuilt:
                self.app.call_from_thread(self.notify, index.rebuilt, title="Search index rebuilt", severity="warning", timeout=8, markup=False)
                index.rebuilt = ""
            if not shown or refreshed.indexed or refreshed.removed or reload:
                self.app.call_from_thread(self._sessions_loaded, index.sessions(slug), goal_titles, names)
            actions = index.open_actions(slug)
        except IndexUnavailable as error:
            self.app.call_from_thread(self._index_failed, error)
            return
        conflicts = conflict_copies(self.pal.home, slug)
        years = self.pal.config.retention_years
        past = past_retention(self.pal.home, years, self.pal.clock.now().date(), entries) if years and not self.client else []
        # Built here, off the event loop: thousands of them take a noticeable moment.
        action_options = [self._action_option(item, names) for item in actions]
        self.app.call_from_thread(self._rest_loaded, actions, action_options, refreshed.problems, conflicts, past)

    def _clients_of(self, rows: list[SessionRow]) -> list[Client]:
        clients = []
        for slug in dict.fromkeys(row.client for row in rows):
            try:
                clients.append(load_client(self.pal.home.client_file(slug), slug))
            except FileProblems:
                pass  # shown with goal ids, as for any client whose file cannot be read
        return clients

    def _index_failed(self, error: Exception) -> None:
        self.query_one("#review-progress").display = False
        self.query_one("#sessions", DataTable).display = False
        self.query_one("#problems", Static).update(Content.from_markup("[b]The search index could not be opened[/b]\n  $error", error=str(error)))
        self.query_one(TabbedContent).active = "tab-problems"
        self.notify(f"{error}", title="Review unavailable", severity="error", markup=False)

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one("#review-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        bar.display = done < total  # a bar only while files are being read

    def _sessions_loaded(self, rows: list[SessionRow], goal_titles: dict[str, dict[str, str]], names: dict[str, str], complete: bool = True) -> None:
        table = self.query_one("#sessions", DataTable)
        shown = self.rows[: table.row_count]
        unchanged = bool(shown) and shown == rows[: len(shown)] and all(self.goal_titles.get(r.client) == goal_titles.get(r.client) for r in shown)
        self.rows, self.goal_titles, self.names = rows, goal_titles, names
        if not unchanged:  # the rows already shown stay (and the cursor on them) when the whole list agrees
            self._show_sessions()
        if complete:  # the charts tell the whole story or none of it
            self._show_charts()
        if not self.loaded_once:  # a reload (after ticking an action) leaves the cursor where the coach has it
            self.loaded_once = True
            self.query_one("#sessions", DataTable).focus()

    def _rest_loaded(
        self, actions: list[OpenAction], action_options: list[Option], problems: tuple[str, ...], conflicts: list[Path], past: list[PastRetention] | None = None
    ) -> None:
        past = past or []
        self.actions = actions
        self._show_actions(action_options)
        lines = []
        if problems:
            lines.append(Content.from_markup("[b]Session files that cannot be read[/b] [$text-muted](left exactly as they are; fix them in your editor)[/]"))
            lines += [Content(f"  {p}") for p in problems]
        if conflicts:
            lines.append(
                Content.from_markup("[b]Copies a sync tool left[/b] [$text-muted](never read as sessions; compare and delete the one you do not want)[/]")
            )
            lines += [Content(f"  {c}") for c in conflicts]
        if past:
            years = self.pal.config.retention_years
            lines.append(
                Content.from_markup(
                    f"[b]Past your retention period ({years} years)[/b] [$text-muted](last session; `sessionpal erase CLIENT` when their records should go)[/]"
                )
            )
            lines += [Content(f"  {p.last.isoformat() if p.last else 'date unknown'}  {p.entry.name}  ({p.entry.slug})") for p in past]
        self.query_one("#problems", Static).update(
            Content("\n").join(lines) if lines else Content("No problems: every session file reads, and no sync conflict copies.")
        )
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-problems").label = f"Problems ({len(problems) + len(conflicts) + len(past)})" if lines else "Problems"
        tabs.get_tab("tab-actions").label = f"Open actions ({len(actions)})"

    def _show_sessions(self) -> None:
        self.query_one("#sessions", DataTable).clear()
        self._show_more_sessions()

    def _show_more_sessions(self) -> None:
        """The next page of rows. A DataTable takes about 0.4 ms a row, so a practice of ten thousand
        sessions is shown a page at a time as the coach scrolls, not all at once."""
        table = self.query_one("#sessions", DataTable)
        lines = []
        for row in self.rows[table.row_count : table.row_count + SESSIONS_PAGE]:
            if row.problem:
                cells = [row.path.name, "cannot be read", "", "", "", "", row.problem.split(": ", 1)[-1]]
            else:
                when = row.started.strftime("%Y-%m-%d %H:%M") if row.started else row.path.stem
                titles = self.goal_titles.get(row.client, {})
                goals = ", ".join(titles.get(goal, goal) for goal in row.goals)
                cells = [
                    when,
                    format_clock(row.elapsed),
                    f"{row.planned} min",
                    str(row.notes),
                    str(row.asked),
                    str(row.open_actions) if row.open_actions else "",
                    goals,
                ]
            if self.client is None:
                cells.insert(1, row.name)
            lines.append(cells)
        table.add_rows(lines)  # in self.rows order: a row's place in the table is its place in self.rows

    @on(DataTable.RowHighlighted, "#sessions")
    def _near_the_end(self) -> None:
        table = self.query_one("#sessions", DataTable)
        near = max(table.cursor_row, round(table.scroll_y + table.scrollable_content_region.height))
        if table.row_count < len(self.rows) and near >= table.row_count - SESSIONS_PAGE // 4:
            self._show_more_sessions()

    def _action_option(self, item: OpenAction, names: dict[str, str]) -> Option:
        when = item.started.strftime("%Y-%m-%d") if item.started else "?"
        who = "" if self.client else f"{names.get(item.client, item.client)} · "
        due = due_part(item.action, self.pal.clock.now().date())
        return Option(Content.assemble("[ ] ", item.action.text, *due, "  ", (who + when, "$text-muted")))  # assemble: 30x faster than markup

    def _show_actions(self, action_options: list[Option]) -> None:
        options = self.query_one("#open-actions", OptionList)
        options.clear_options()
        options.add_options(action_options)
        if self.actions:
            options.highlighted = 0
        else:
            options.add_option(Option("No open actions.", disabled=True))

    def client_name(self, slug: str) -> str:
        return self.names.get(slug, slug)

    def _show_charts(self) -> None:
        finished = [r for r in reversed(self.rows) if not r.problem and r.finished]
        charts = self.query_one("#review-charts")
        charts.display = bool(finished)
        self.query_one("#lengths", Sparkline).data = [round(r.elapsed / 60) for r in finished] or [0]
        if finished:
            total = sum(r.elapsed for r in finished)
            self.query_one("#lengths-summary", Static).update(
                Content.from_markup(
                    "[$text-muted]$n · $total in all · $mean on average[/]",
                    n=f"{len(finished):,} session{'s' if len(finished) != 1 else ''}",
                    total=format_span(total),
                    mean=format_span(total / len(finished)),
                )
            )
        trends = self.query_one("#goal-trends", Static)
        if self.client is None:
            trends.update("")
            return
        # Each session's ratings came with its row from the index: no session file is read again here.
        sessions = [SessionFacts(row.started, row.ratings) for row in reversed(self.rows) if row.started and not row.problem]
        trends.update(goal_trends(self.client.goals, sessions))

    # actions ------------------------------------------------------------------

    @on(DataTable.RowSelected, "#sessions")
    def _open_session(self, event: DataTable.RowSelected) -> None:
        row = self.rows[event.cursor_row]
        self.app.push_screen(SessionViewScreen(row.path, row.name))

    @on(Input.Changed, "#review-search")
    def _search(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        try:
            hits = self.index.search(query, self.client.slug if self.client else None)
        except IndexUnavailable as error:
            self.app.call_from_thread(self.notify, str(error), title="Search unavailable", severity="error", markup=False)
            return
        self.app.call_from_thread(self._show_hits, hits)

    def _show_hits(self, hits: list[Hit]) -> None:
        self.hits = hits
        options = self.query_one("#hits", OptionList)
        options.clear_options()
        for hit in hits:
            when = hit.started.strftime("%Y-%m-%d") if hit.started else "?"
            # In brackets as in the file: "2021-09-27 00:12:40" would read as a time of day.
            stamp = f"[{format_stamp(hit.stamp)}]" if hit.stamp is not None else " " * 10
            head = Content.from_markup("[$text-muted]$who$when $stamp[/]  ", who="" if self.client else f"{hit.name} · ", when=when, stamp=stamp)
            options.add_option(Option(head + marked_content(hit.marked)))
        if hits:
            options.highlighted = 0

    @on(Input.Submitted, "#review-search")
    def _search_done(self) -> None:
        self.query_one("#hits", OptionList).focus()

    @on(OptionList.OptionSelected, "#hits")
    def _open_hit(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[event.option_index]
        self.app.push_screen(SessionViewScreen(hit.path, hit.name, hit.stamp, hit.text))

    @on(OptionList.OptionSelected, "#open-actions")
    def _open_action_session(self, event: OptionList.OptionSelected) -> None:
        item = self.actions[event.option_index]
        self.app.push_screen(SessionViewScreen(item.path, self.client_name(item.client), item.action.stamp, item.action.text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("tick", "drop"):
            return self.query_one(TabbedContent).active == "tab-actions" and bool(self.actions)
        return True

    def _set_state(self, state: ActionState) -> None:
        options = self.query_one("#open-actions", OptionList)
        if options.highlighted is None or not 0 <= options.highlighted < len(self.actions):
            return
        item = self.actions[options.highlighted]
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


def _goal_titles_and_names(clients: list[Client]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    # Sessions record goals by id; the table shows them in the client's words.
    return {client.slug: {goal.id: goal.title for goal in client.goals} for client in clients}, {client.slug: client.name for client in clients}
