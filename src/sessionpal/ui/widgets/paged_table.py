"""A table of many rows, drawn line by line (Textual's Line API), that holds only the pages near the view.

The review lists every session and every open action of a practice: 100,000 sessions would be seconds of
Python objects and a DataTable row each. This table is told how many rows there are (`reset`) and draws
the lines in view; a page it does not hold is asked for with `PageWanted`, which the screen answers from
the search index in a worker (`put_page`). The scrollbar stands for the whole history, End reaches the
first session ever, and memory holds KEPT_PAGES pages whatever the practice's size. Each reset starts a
new generation, so a page read before a change is never shown after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from msgspec import Struct
from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

T = TypeVar("T")
PAGE = 100  # rows read at a time
KEPT_PAGES = 12  # pages held at most: a few screens either side of the view
GAP = 2  # cells between columns


class Column(Struct, frozen=True):
    title: str
    width: int | None = None  # None: what the line has left (the last column)


class PagedTable(ScrollView, Generic[T], can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"paged-table--header", "paged-table--cursor", "paged-table--even", "paged-table--waiting"}

    DEFAULT_CSS = """
    PagedTable {
        height: 1fr;
        background: $surface;
        scrollbar-gutter: stable;
        & > .paged-table--header { text-style: bold; color: $foreground; background: $panel; }
        & > .paged-table--even { background: $surface-lighten-1 20%; }
        & > .paged-table--waiting { color: $text-muted; }
        & > .paged-table--cursor { color: $block-cursor-blurred-foreground; background: $block-cursor-blurred-background; }
        &:focus > .paged-table--cursor { color: $block-cursor-foreground; background: $block-cursor-background; text-style: $block-cursor-text-style; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class PageWanted(Message):
        """Read rows [page * PAGE, page * PAGE + PAGE) and hand them to `put_page` with this generation."""

        def __init__(self, table: PagedTable[Any], page: int, generation: int) -> None:
            super().__init__()
            self.table, self.page, self.generation = table, page, generation

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    class Highlighted(Message):
        def __init__(self, table: PagedTable[Any], index: int) -> None:
            super().__init__()
            self.table, self.index = table, index

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    class Selected(Message):
        """Enter (or a click on the highlighted row) on a row the table holds (the handler knows its type)."""

        def __init__(self, table: PagedTable[Any], index: int, row: object) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

        @property
        def control(self) -> PagedTable[Any]:
            return self.table

    def __init__(
        self, columns: Sequence[Column], cells: Callable[[T], Sequence[Content]], *, header: bool = True, empty: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self._cells = cells  # a row's cells, made only when it comes into view
        self.header = header
        self.empty = empty  # shown on the first line when there are no rows
        self.count = 0
        self.generation = 0
        self._pages: dict[int, list[T]] = {}
        self._before: dict[int, list[T]] = {}  # pages of the last generation, drawn until theirs arrive (no flicker)
        self._asked: set[int] = set()

    # the rows ---------------------------------------------------------------------------------

    def reset(self, count: int) -> None:
        """There are `count` rows now (the list changed, or it is first known): every held page is dropped,
        the cursor stays where it is (within the new count), and the pages in view are asked for again."""
        self.generation += 1
        self.count = count
        self._before, self._pages = self._pages, {}
        self._asked.clear()
        self.virtual_size = Size(0, count + self.header)  # no width: lines are cut to the view, never scrolled sideways
        self.cursor = self.cursor  # clamped by the validator, kept in view by the watcher
        self.refresh()

    def put_page(self, page: int, rows: list[T], generation: int) -> None:
        if generation != self.generation:
            return  # read before a reset: the list has changed since
        self._asked.discard(page)
        self._before.pop(page, None)
        self._pages[page] = rows
        if len(self._pages) > KEPT_PAGES:  # the pages farthest from the view go
            here = self._top_row() // PAGE
            for far in sorted(self._pages, key=lambda p: abs(p - here), reverse=True)[: len(self._pages) - KEPT_PAGES]:
                del self._pages[far]
        self.refresh()

    def row_at(self, index: int) -> T | None:
        """The row at `index` if its page is held (it is, for every row in view once read)."""
        rows = self._pages.get(index // PAGE)
        if rows is None or not 0 <= index % PAGE < len(rows):
            return None
        return rows[index % PAGE]

    def cells(self, index: int) -> tuple[str, ...] | None:
        """The row's cells as plain text, if its page is held (what the coach reads on that line)."""
        row = self.row_at(index)
        return None if row is None else tuple(cell.plain for cell in self._cells(row))

    @property
    def held(self) -> int:
        """Rows held in memory: a few pages, whatever `count` is."""
        return sum(len(rows) for rows in self._pages.values())

    def _row(self, index: int) -> T | None:
        """The row to draw: its page is asked for if not held, and meanwhile the last generation's is drawn."""
        row = self.row_at(index)
        page = index // PAGE
        if row is None and page not in self._pages:
            if page not in self._asked:
                self._asked.add(page)
                self.post_message(self.PageWanted(self, page, self.generation))
            before = self._before.get(page)
            if before is not None and index % PAGE < len(before):
                return before[index % PAGE]
        return row

    # the cursor -------------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self.count - 1))

    def watch_cursor(self, before: int, cursor: int) -> None:
        visible = max(1, self.scrollable_content_region.height - self.header)
        top = self._top_row()
        if cursor < top:
            self.scroll_to(y=cursor, animate=False, immediate=True)
        elif cursor >= top + visible:
            self.scroll_to(y=cursor - visible + 1, animate=False, immediate=True)
        self.refresh()
        if self.count:
            self.post_message(self.Highlighted(self, cursor))

    def _top_row(self) -> int:
        return round(self.scroll_offset.y)

    def action_move(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - self.header - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.count - 1

    def action_select(self) -> None:
        row = self.row_at(self.cursor) if self.count else None
        if row is not None:  # a row still being read cannot be opened (it is a blink away)
            self.post_message(self.Selected(self, self.cursor, row))

    def on_click(self, event: events.Click) -> None:
        index = self._top_row() + event.y - self.header
        if self.header and event.y == 0 or not 0 <= index < self.count:
            return
        if index == self.cursor:
            self.action_select()
        else:
            self.cursor = index

    # drawing ----------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if self.header and y == 0:
            titles = [Content(column.title) for column in self.columns]
            return self._strip(titles, width, self.get_visual_style("paged-table--header"))
        index = self._top_row() + y - self.header
        if index >= self.count:
            if index == 0 and self.empty:
                return self._strip([Content(self.empty)], width, self.get_visual_style("paged-table--waiting"), whole=True)
            return Strip.blank(width, self.visual_style.rich_style)
        row = self._row(index)
        # The line's look: its component classes layered in order (Textual caches each combination).
        looks = ["paged-table--even"] if index % 2 else []
        if row is None:
            looks.append("paged-table--waiting")
        if index == self.cursor:
            looks.append("paged-table--cursor")
        cells = [Content("…")] if row is None else list(self._cells(row))
        return self._strip(cells, width, self.get_visual_style(*looks), whole=row is None)

    def _strip(self, cells: Sequence[Content], width: int, style: Style, whole: bool = False) -> Strip:
        """One line: each cell cut to its column's width, the last taking what is left."""
        if whole:
            line = cells[0]
        else:
            parts: list[Content] = []
            used = 0
            for column, cell in zip(self.columns, cells, strict=False):
                room = column.width if column.width is not None else max(0, width - 1 - used)
                parts.append(cell.truncate(room, ellipsis=True, pad=column.width is not None))
                used += room + GAP
            line = Content(" " * GAP).join(parts)
        line = (Content(" ") + line).truncate(width, ellipsis=True, pad=True)  # a cell's margin, inside the line's colour
        parse = self.app.stylesheet.parse_style
        segments = [Segment(text, (style + part).rich_style) for text, part in line.render(style, end="", parse_style=parse)]
        return Strip(segments, cell_len(line.plain)).crop_extend(0, width, style.rich_style)
