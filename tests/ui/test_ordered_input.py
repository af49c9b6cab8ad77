"""Keys that arrive in one burst act in the order they were typed (ui/widgets/ordered_input.py).

Textual runs an Input's own bindings (Backspace, ←, ctrl+w…) only once the key has bubbled up to the app, after
any characters already queued: sent together, "abc", Backspace, "x" came out "abc", and ←← "y" put the y at the
end. Sent here as the terminal's driver sends them, all posted before the app handles the first."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.widgets.notes import NoteInput
from sessionpal.ui.widgets.ordered_input import OrderedInput

from .conftest import live_document, make_app, settle

# (key, character) as the driver makes them; what the line holds after them all.
BURST = [("a", "a"), ("b", "b"), ("c", "c"), ("backspace", "\x7f"), ("x", "x"), ("left", None), ("left", None), ("y", "y")]
TYPED = "aybx"


def burst(app: App[Any], keys: list[tuple[str, str | None]]) -> None:
    """Every key posted to the app at once, as a read of several bytes from the terminal is."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


class OneLine(App[None]):
    def __init__(self, kind: type[Input]):
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield self.kind(id="line")


@pytest.mark.parametrize("kind", [OrderedInput, Input])
async def test_a_burst_of_keys_edits_in_the_order_typed(kind: type[Input]) -> None:
    app = OneLine(kind)
    async with app.run_test() as pilot:
        burst(app, BURST)
        await pilot.pause()
        value = app.query_one("#line", Input).value
        if kind is OrderedInput:
            assert value == TYPED
        else:
            assert value != TYPED, "Textual's own Input reorders them: if this fails, Textual fixed it and OrderedInput can go"


async def test_a_burst_into_the_note_line_is_the_note_typed(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        line = app.screen.query_one("#note", NoteInput)
        burst(app, [*BURST, ("ctrl+w", None), ("z", "z"), ("end", None), ("enter", "\r")])
        await pilot.pause()
        await settle(pilot)
        assert line.value == ""
        assert live_document(app).notes[-1].text == "zbx"
