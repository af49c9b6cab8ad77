"""The floor Textual itself sets: an app composing the session screen's widget types, with no data.

Run by bench/run.py in tmux beside `sessionpal --client NAME`; its first paint is
the one to compare with. It reads no file and starts no worker.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Digits, Footer, Input, OptionList, Static

READY = "Bare Textual app"


class BareApp(App[None]):
    CSS = """
    #columns { height: 1fr; }
    #side { width: 40; }
    #work { width: 1fr; }
    OptionList { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(READY)
        with Horizontal(id="columns"):
            with Vertical(id="side"):
                yield Digits("00:00")
                yield Static()
                yield Static()
                yield Widget()
                yield Static("Goals")
                yield OptionList()
            with Vertical(id="work"):
                yield Static()
                yield Static("Questions")
                yield Static()
                yield Input(placeholder="Filter")
                yield OptionList()
                yield Static("Notes")
                yield Static()
                yield OptionList()
                yield Input(placeholder="Type a note")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("Input").focus()


if __name__ == "__main__":
    BareApp().run()
