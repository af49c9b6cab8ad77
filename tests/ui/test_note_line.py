"""The note line is repainted, not laid out, as the coach types (NoteInput.virtual_size; issue 29.5): a layout of
the whole screen per letter was most of a keystroke's time. Its scrolling must still follow the cursor, and a
note longer than the line is saved whole."""

from __future__ import annotations

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.widgets.notes import NoteInput

from .conftest import live_document, make_app, settle

SIZE = (100, 30)


async def test_a_note_longer_than_its_line_scrolls_to_keep_the_cursor_in_view(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = app.screen.query_one("#note", NoteInput)
        typed = "she talked about leaving the bank " * (line.content_region.width // 30 + 2)
        line.value = typed  # as a paste would
        await pilot.press("end", *"before spring")
        await pilot.pause()
        region = line.content_region
        assert line.scroll_x > 0 and region.x <= line.cursor_screen_offset.x <= region.right
        await pilot.press("home")
        await pilot.pause()
        assert line.scroll_x == 0 and line.cursor_screen_offset.x == line.content_region.x
        await pilot.press("enter")
        await pilot.pause()
        assert line.value == "" and line.scroll_x == 0
        assert live_document(app).notes[-1].text == (typed + "before spring").strip()


async def test_typing_a_note_lays_nothing_out(demo_home: Home, clock: FakeClock) -> None:
    """Letters typed into the note line leave every pane where it is: the screen is never laid out for them."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = app.screen.query_one("#note", NoteInput)
        layouts: list[object] = []
        app.screen.screen_layout_refresh_signal.subscribe(line, layouts.append)  # published by every layout
        for letter in "she smiled":
            await pilot.press("space" if letter == " " else letter)
        await pilot.pause()
        assert line.value == "she smiled" and layouts == []
