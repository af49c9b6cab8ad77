"""Where a key goes is decided in key order, not by where focus lands: F7 or F8 then one key acts once, and
every key after it is the note's, however fast the keys come and however slow the app is (issue 25.2, 26.3)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.screen import ModalScreen

from sessionpal.core.live import LogEntry
from sessionpal.core.model import ActionState
from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.dialogs.text import RateDialog
from sessionpal.ui.screens.session import Armed, SessionScreen
from sessionpal.ui.widgets.notes import NoteInput, NotesLog

from .conftest import live_document, make_app, session_screen, settle

SIZE = (120, 36)
NAMES = {" ": "space", ",": "comma", "[": "left_square_bracket", "]": "right_square_bracket", "!": "exclamation_mark"}


def burst(app: App[Any], *keys: str) -> None:
    """Keys as a laggy link delivers them: all in the app's queue before it handles the first."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(NAMES.get(key, key), key))
        else:
            app.post_message(events.Key(key, None))


def dialogs(app: App[Any]) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack if isinstance(s, ModalScreen)]


def note_line(app: App[Any]) -> NoteInput:
    session = next(s for s in app.screen_stack if isinstance(s, SessionScreen))
    return session.query_one("#note", NoteInput)


async def test_f7_then_a_letter_acts_once_and_the_words_after_it_are_the_note_s(demo_home: Home, clock: FakeClock) -> None:
    """Seen by a coach: F7, r, then "ate is slow" fired Status, Values and Rename dialogs on each other."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "f7", *"rate is slow")
        await settle(pilot)
        assert dialogs(app) == ["RateDialog"], "the one letter acted, once"
        await pilot.press("escape")
        await settle(pilot)
        assert dialogs(app) == [] and note_line(app).value == "ate is slow", "every key after it is in the note line"
        assert session_screen(app).armed is Armed.NOTE


async def test_a_key_the_sidebar_does_not_take_is_typed(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "f7", *"zest for life", "enter")
        await settle(pilot)
        assert dialogs(app) == []
        assert [n.text for n in live_document(app).notes] == ["zest for life"]


async def test_keys_typed_before_f7_stay_in_the_note_even_when_f7_is_handled_first(demo_home: Home, clock: FakeClock) -> None:
    """F7 is taken before the note line has handled the letters before it: they are still the note's."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, *"she wants", "f7", "down", "r")
        await settle(pilot)
        assert note_line(app).value == "she wants" and dialogs(app) == ["RateDialog"]
        assert isinstance(app.screen, RateDialog) and "Run 5 km" in str(app.screen.query_one(".dialog-title").render())


async def test_f8_then_x_ticks_the_action_and_the_rest_is_typed(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"!send the CV", "enter")
        await settle(pilot)
        burst(app, "f8", *"xylophone", "enter")
        await settle(pilot)
        document = live_document(app)
        assert [a.state for a in document.actions] == [ActionState.DONE], "x ticked the action, once"
        assert [n.text for n in document.notes] == ["ylophone"], "d (delete) and e (edit) among the letters after it did nothing"
        assert dialogs(app) == []
        assert not app.screen.query_one(NotesLog).has_class("-armed")


async def test_a_slow_app_routes_every_key_the_same(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every redraw of the notes log takes 30 ms (a large home, a busy machine): nothing changes."""
    real = NotesLog.watch_entries

    def slow(self: NotesLog, old: tuple[LogEntry, ...], items: tuple[LogEntry, ...]) -> None:
        time.sleep(0.03)
        real(self, old, items)

    monkeypatch.setattr(NotesLog, "watch_entries", slow)
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for n in range(5):
            burst(app, *f"first {n}", "enter", "f7", "escape", *f"second {n}", "enter", "f8", "q", "enter")
        await settle(pilot)
        assert dialogs(app) == []
        texts = [n.text for n in live_document(app).notes]
        assert texts == [t for n in range(5) for t in (f"first {n}", f"second {n}", "q")]


async def test_the_goal_menu_s_letters_act(demo_home: Home, clock: FakeClock) -> None:
    """Issue 26.7: the letters the menu lists did nothing; only arrows and Enter worked."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "enter")
        await settle(pilot)
        assert dialogs(app) == ["GoalMenuDialog"]
        await pilot.press("r")
        await settle(pilot)
        assert dialogs(app) == ["RateDialog"]


async def test_f8_then_a_word_is_a_note_and_never_a_dialog_on_the_note_just_typed(demo_home: Home, clock: FakeClock) -> None:
    """Found by a coach's look: F8, "do this next", Enter saved "o this next" and then asked to delete it."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"first note", "enter")
        await settle(pilot)
        burst(app, "f8", *"do this next", "enter")
        await settle(pilot)
        assert dialogs(app) == []
        assert [n.text for n in live_document(app).notes] == ["first note", "do this next"]
        await pilot.press(*"!an action", "enter")
        await settle(pilot)
        log = app.screen.query_one(NotesLog)
        log.highlighted = 0
        burst(app, "f8", "x")  # F8 starts at the newest line, whatever was highlighted before
        await settle(pilot)
        assert [a.state for a in live_document(app).actions] == [ActionState.DONE]


async def test_words_typed_fast_across_tab_land_in_the_field_they_were_typed_for(demo_home: Home, clock: FakeClock) -> None:
    """Found by a coach's look: "Lead the team with confidence" Tab "courage" saved "...confidencecour" and "age"."""
    from sessionpal.core.clients import load_client

    app = make_app(demo_home, clock, client="José Álvarez")  # no goals yet: F7 opens the form
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        burst(app, *"Lead the team with confidence", "tab", *"courage", "enter")
        await settle(pilot)
        goals = load_client(demo_home.client_file("jose-alvarez")).goals
        assert [(g.title, g.values) for g in goals] == [("Lead the team with confidence", ("courage",))]


async def test_at_80_columns_words_typed_after_f7_go_to_the_note_line(demo_home: Home, clock: FakeClock) -> None:
    """Found by a coach's look: at 80x24 F7 opens the goal picker, and "rate is slow" typed after it was lost."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "f7", *"rate is slow")
        await settle(pilot)
        assert dialogs(app) == [] and note_line(app).value == "rate is slow"
        await pilot.press("f7")
        await settle(pilot)
        assert dialogs(app) == ["GoalPickerDialog"], "F7 alone still opens the picker"


async def test_f12_then_enter_at_once_ends_the_session(demo_home: Home, clock: FakeClock) -> None:
    """Seen in a browser tab: Enter sent right after F12 reached the note line before the question was up."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"a note", "enter")
        await settle(pilot)
        burst(app, "f12", "enter")
        await settle(pilot)
        assert dialogs(app) == ["SummaryDialog"], "the question came up before the Enter, which answered it: ended"


async def test_once_f8_has_armed_the_log_the_footer_shows_its_keys_and_f1_at_80_columns(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.ui.widgets.footer import CompactFooter

    app = make_app(demo_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"!call the recruiter", "enter")
        await pilot.pause()

        def shown() -> list[str]:
            footer = app.screen.query_one(CompactFooter)
            return [str(getattr(key, "action", "")) for key in footer.children if getattr(key, "action", None) and key.region.right <= 80]

        await pilot.press("f8")
        await pilot.pause()
        await pilot.pause()
        keys = shown()
        assert {"log_line('edit')", "log_line('tick')", "log_line('delete')", "end", "help"} <= set(keys), keys
        await pilot.press("escape")
        await pilot.pause()
        assert "log_line('edit')" not in shown() and "ask" in shown(), "the note line's keys again"


async def test_a_printable_key_with_no_text_field_focused_goes_to_the_note_line(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.set_focus(None)  # as a click on a pane, or focus on its way home, leaves it
        await pilot.press(*"she said yes", "enter")
        await settle(pilot)
        assert [n.text for n in live_document(app).notes] == ["she said yes"], "every letter was the note's"


async def test_a_half_typed_note_survives_a_dialog_and_the_next_key_adds_to_it(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"she is half")
        await pilot.press("f1")  # the help, then back: the cursor comes home
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(*" way there", "enter")
        await settle(pilot)
        assert [n.text for n in live_document(app).notes] == ["she is half way there"], "the words found in the note line stay"
