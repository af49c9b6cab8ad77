"""The review's PagedTable on its own: a million rows, a few pages held, pages asked for as they come into view."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.screen import Screen

from sessionpal.ui.widgets import paged_table
from sessionpal.ui.widgets.paged_table import PAGE, Column, PagedTable

from .conftest import until

ROWS = 1_000_000


class Rows(Screen[None]):
    """A table over rows that are their own numbers, each page read (here: made) when asked for, as the
    review's screen does (a message from a line drawn goes to the screen, not past it)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[int] = []
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield PagedTable[int]([Column("Row", 10), Column("Square")], lambda n: [Content(f"{n:,}"), Content(str(n * n))], id="rows")

    def on_mount(self) -> None:
        self.query_one(PagedTable).reset(ROWS)
        self.query_one(PagedTable).focus()

    def on_paged_table_page_wanted(self, event: PagedTable.PageWanted) -> None:
        self.asked.append(event.page)
        start = event.page * PAGE
        rows: list[int] = list(range(start, min(start + PAGE, ROWS)))
        event.table.put_page(event.page, rows, event.generation)

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self.selected.append(event.index)


class Million(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.rows = Rows()

    def on_mount(self) -> None:
        self.push_screen(self.rows)

    @property
    def asked(self) -> list[int]:
        return self.rows.asked

    @property
    def selected(self) -> list[int]:
        return self.rows.selected


async def test_a_million_rows_hold_a_few_pages_and_end_reaches_the_last() -> None:
    app = Million()
    async with app.run_test(size=(60, 12)) as pilot:
        table: PagedTable[int] = app.rows.query_one(PagedTable)
        assert await until(pilot, lambda: table.cells(0) == ("0", "0"))
        assert app.asked == [0], "the page in view, nothing more"
        await pilot.press("end")
        assert await until(pilot, lambda: table.cells(ROWS - 1) == ("999,999", str(999_999**2)))
        assert table.cursor == ROWS - 1
        for _ in range(30):  # paging up through thirty pages' worth of rows
            await pilot.press("pageup")
        await pilot.pause()
        assert table.held <= paged_table.KEPT_PAGES * PAGE, "far pages are let go"
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert app.selected == [1]
        lines = [str(line.text) for line in (table.render_line(y) for y in range(3))]
        assert lines[0].startswith(" Row         Square") and lines[2].startswith(" 1           1")


async def test_a_page_read_before_a_reset_is_not_shown_after_it() -> None:
    app = Million()
    async with app.run_test(size=(60, 12)) as pilot:
        table: PagedTable[int] = app.rows.query_one(PagedTable)
        assert await until(pilot, lambda: table.cells(0) is not None)
        old = table.generation
        table.reset(5)
        table.put_page(0, [100, 101, 102, 103, 104], old)  # an answer to a question asked before the change
        assert table.cells(0) != ("100", "10000")
        assert await until(pilot, lambda: table.cells(4) == ("4", "16"))
        await pilot.press("end")
        assert table.cursor == 4, "the cursor stays within the new count"
