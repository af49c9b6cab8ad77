"""The floor for everyone's review: the same view on a bare Textual DataTable. Run by bench/scale.py in tmux.

    python bench/review_floor.py INDEX.sqlite3

A list screen with a filter (as the client list's first frame), and ctrl+y pushing a screen whose
DataTable holds the newest 100 sessions read straight from sessionpal's index with sqlite3: what any
Textual app showing that page would pay. ctrl+q quits. It imports nothing of sessionpal.
"""

from __future__ import annotations

import sqlite3
import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

READY = "Bare review floor"


class Rows(Screen[None]):
    def __init__(self, index: str) -> None:
        super().__init__()
        self.index = index

    def compose(self) -> ComposeResult:
        yield Static("Review · all clients")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Client", "Duration", "Planned", "Notes", "Asked", "Open actions", "Goals touched")
        with sqlite3.connect(self.index) as connection:
            sql = "SELECT started, name, elapsed, planned, notes, asked, open_actions, goals FROM files ORDER BY sort_key DESC, path DESC LIMIT 100"
            rows = connection.execute(sql).fetchall()
        table.add_rows(
            [
                (str(r[0])[:16].replace("T", " "), r[1], f"{(r[2] or 0) // 60}:{(r[2] or 0) % 60:02d}", f"{r[3]} min", *map(str, r[4:7]), r[7] or "")
                for r in rows
            ]
        )
        table.focus()


class Floor(App[None]):
    BINDINGS = [Binding("ctrl+y", "review", "Review")]

    def __init__(self, index: str) -> None:
        super().__init__()
        self.index = index

    def compose(self) -> ComposeResult:
        yield Static(READY)
        yield Input(placeholder="Type to find a client")
        yield Footer(compact=True)

    def action_review(self) -> None:
        self.push_screen(Rows(self.index))


if __name__ == "__main__":
    Floor(sys.argv[1]).run()
