"""The patterns view (issue 31): opened from a session and from the client list, read in a worker; their words
filtered and opened at their line; q reflects a quote into the note line; r brings the real-reason questions;
closed under the privacy blind; the last-time card's "carried over"; the energy check-in typed in a session."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from sessionpal.core.paths import Home
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock
from sessionpal.ui.screens.clients import ClientPickerScreen
from sessionpal.ui.screens.goal_flow import PLAYBOOK_FILTER
from sessionpal.ui.screens.patterns import PatternsScreen
from sessionpal.ui.screens.session_view import SessionViewScreen
from sessionpal.ui.widgets.deck import DeckPane
from sessionpal.ui.widgets.last_time import LastTimeCard
from sessionpal.ui.widgets.patterns import CarriedPane

from .conftest import make_app, session_screen, settle, told, until


def session_screen_note(app: Any) -> str:
    """The note line of the session under the view."""
    return str(next(s for s in app.screen_stack if type(s).__name__ == "SessionScreen").note_line.value)


SIZE = (140, 45)
GOLDEN = Path(__file__).parents[1] / "core" / "golden" / "patterns" / "marta-ruiz"


@pytest.fixture
def marta_home(home: Home) -> Home:
    shutil.copytree(GOLDEN, home.clients_dir / "marta-ruiz")
    return home


async def open_patterns(pilot: Pilot[Any]) -> PatternsScreen:
    await settle(pilot)
    await pilot.press("ctrl+k")
    assert await until(pilot, lambda: isinstance(pilot.app.screen, PatternsScreen) and pilot.app.screen.patterns is not None)
    screen = pilot.app.screen
    assert isinstance(screen, PatternsScreen)
    await pilot.pause()
    return screen


async def test_their_words_filtered_opened_at_their_line_and_reflected_into_the_note(marta_home: Home, clock: FakeClock) -> None:
    app = make_app(marta_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patterns(pilot)
        words = screen.query_one("#words", OptionList)
        assert words.option_count == 8, "every quote of the readable sessions"
        assert "still in the notes section" in str(words.get_option_at_index(0).prompt), "newest first"
        assert "2026-09-07T1000.md:2:" in str(screen.query_one("#patterns-problems").render()), "the broken file is named"
        carried = screen.query_one(CarriedPane).query_one("#carried", OptionList)
        assert "carried over 2 times" in str(carried.get_option_at_index(0).prompt)
        await pilot.press("slash", *"#family")
        await pilot.pause()
        assert words.option_count == 1 and "My sister thinks" in str(words.get_option_at_index(0).prompt)
        await pilot.press("enter")  # from the filter: back to the list
        await pilot.press("enter")  # the quote: its session, at its line
        assert await until(pilot, lambda: isinstance(app.screen, SessionViewScreen) and len(app.screen.query(".-found")) == 1)
        assert "My sister thinks" in str(app.screen.query(".-found").first().render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("q")
        await settle(pilot)
        session = session_screen(app)
        # Its #tag left out: written again today it would count once more in this month's themes.
        assert session.note_line.value == '* You said earlier: "My sister thinks I\'m mad"'
        assert session.focused is session.note_line, "the cursor home, to change the words before Enter"
        await pilot.press("enter")
        await settle(pilot)
        assert session.live.document is not None
        assert [n.text for n in session.live.document.notes] == ['You said earlier: "My sister thinks I\'m mad"']


async def test_r_brings_the_real_reason_questions_into_the_deck(marta_home: Home, clock: FakeClock) -> None:
    app = make_app(marta_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_patterns(pilot)
        await pilot.press("r")
        await settle(pilot)
        session = session_screen(app)
        assert session.query_one("#deck-filter", Input).value == PLAYBOOK_FILTER
        assert session.query_one(DeckPane).filtered


async def test_from_the_client_list_r_lists_the_questions_and_q_is_not_offered(marta_home: Home, clock: FakeClock) -> None:
    app = make_app(marta_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientPickerScreen"
        await pilot.press(*"marta")
        screen = await open_patterns(pilot)
        assert screen.client.slug == "marta-ruiz"
        assert screen.check_action("reflect", ()) is False, "no session to put a note in"
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("r")
        pane = screen.query_one(CarriedPane)
        assert await until(pilot, lambda: len(pane.questions) > 3)
        assert any("real" in q or "reason" in q or "in the way" in q for q in pane.questions)
        assert screen.focused is not None and screen.focused.id == "reason-box", "focused: ↑ ↓ scroll all of them"
        await pilot.press("escape")  # puts them away
        await pilot.pause()
        assert app.screen is screen and pane.questions == () and screen.focused is screen.query_one("#words")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientPickerScreen)


async def test_f9_in_the_view_closes_it_at_once(marta_home: Home, clock: FakeClock) -> None:
    """The coach starts sharing their screen with the view open: the blind comes down and the quotes go."""
    app = make_app(marta_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        await open_patterns(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert app.private and not isinstance(app.screen, PatternsScreen)


async def test_the_view_stays_closed_under_the_privacy_blind(marta_home: Home, clock: FakeClock) -> None:
    app = make_app(marta_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert not isinstance(app.screen, PatternsScreen)
        assert any("Private is on" in t.message for t in told(app))


async def test_the_last_time_card_flags_an_action_carried_over(marta_home: Home, clock: FakeClock) -> None:
    (marta_home.sessions_dir("marta-ruiz") / "2026-09-07T1000.md").unlink()  # the last session is one that reads
    app = make_app(marta_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        card = session_screen(app).query_one(LastTimeCard)
        assert await until(pilot, lambda: "carried over 2 times" in str(card.render()))
        shown = str(card.render())
        line = next(line for line in shown.splitlines() if "carried over" in line)
        assert "Update my CV" in line, "the latest wording is flagged, not the first"


async def test_an_energy_check_in_typed_goes_to_the_front_matter(marta_home: Home, clock: FakeClock) -> None:
    app = make_app(marta_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"~6", "enter")
        await settle(pilot)
        session = session_screen(app)
        path = session.live.path
        assert path is not None
        assert read_session(path).info.energy.start == 6 and read_session(path).notes == []
        assert any("Energy 6 at the start" in t.message for t in told(app))
        await pilot.press(*"~20 people came", "enter")
        await settle(pilot)
        assert [n.text for n in read_session(path).notes] == ["~20 people came"], "not a check-in: a note"


async def test_from_a_session_the_view_opens_on_what_the_card_read_then_reads_again(
    marta_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last-time card reads the client's patterns for its "carried over" flags: the view's first frame has
    them (no "Reading…"), and its own read comes after that frame, with a quote noted since."""
    from sessionpal.core import patterns as core_patterns
    from sessionpal.ui.screens import patterns as view

    at_first_frame: list[bool] = []
    framed = threading.Event()
    mount, read = PatternsScreen.on_mount, core_patterns.read_patterns

    def on_mount(screen: PatternsScreen) -> None:
        mount(screen)

        def first_frame() -> None:
            at_first_frame.append(screen.patterns is not None)
            framed.set()

        screen.call_after_refresh(first_frame)

    def read_after_the_frame(*args: Any, **kwargs: Any) -> Any:
        framed.wait(timeout=30)  # the view's own read never wins the race to the first frame
        return read(*args, **kwargs)

    monkeypatch.setattr(PatternsScreen, "on_mount", on_mount)
    monkeypatch.setattr(view, "read_patterns", read_after_the_frame)
    app = make_app(marta_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert "marta-ruiz" in app.patterns_read, "read by the last-time card"
        before = len(app.patterns_read["marta-ruiz"].quotes)
        await pilot.press(*'"It is my turn now', "enter")  # a quote of this session, not in what the card read
        await settle(pilot)
        screen = await open_patterns(pilot)
        assert at_first_frame == [True]
        assert await until(pilot, lambda: screen.patterns is not None and len(screen.patterns.quotes) == before + 1), "read again behind"
        assert "It is my turn now" in str(screen.query_one("#words", OptionList).get_option_at_index(0).prompt)


async def test_a_long_list_of_quotes_is_drawn_a_screenful_first_then_whole() -> None:
    """The view's first frame lays out a screenful of quotes, not a hundred; the rest come a frame later, and a
    filter typed in between is not overwritten by them."""
    from datetime import datetime

    from textual.app import App, ComposeResult

    from sessionpal.core.patterns import Patterns, Quote
    from sessionpal.ui.widgets.patterns import FIRST_FRAME_QUOTES, QUOTES_LISTED, WordsPane

    quotes = tuple(Quote(datetime(2026, 1, 1 + n % 28), Path(f"/s/{n}.md"), n, f'"quote {n} about {"work" if n % 2 else "home"}"') for n in range(150))
    found = Patterns("Ana", "ana", 150, None, quotes, (), (), (), (), (), ())

    class Harness(App[None]):
        def compose(self) -> ComposeResult:
            yield WordsPane()

    async with Harness().run_test(size=(120, 40)) as pilot:
        pane = pilot.app.query_one(WordsPane)
        words = pane.query_one("#words", OptionList)
        pane.patterns = found
        assert words.option_count == FIRST_FRAME_QUOTES
        await pilot.pause()
        await pilot.pause()
        assert words.option_count == QUOTES_LISTED
        pane.patterns = None
        pane.patterns = found
        pane.wanted = "work"  # typed before the rest of that draw came
        assert words.option_count == FIRST_FRAME_QUOTES
        await pilot.pause()
        await pilot.pause()
        assert words.option_count == 75, "the filter's quotes, and none of the rest of the draw before it"
        assert all("work" in str(words.get_option_at_index(i).prompt) for i in range(words.option_count))


async def test_letters_typed_in_one_burst_after_slash_are_not_taken_as_the_view_s_keys(marta_home: Home, clock: FakeClock) -> None:
    """/ then "mar" sent as fast as a terminal sends them: the r is not the Real reason key (the filter took the
    focus a turn late, and the view closed with the deck filtered for the playbook; a q would have reflected a
    quote). The letters queued behind / still reach the list, not the filter: Textual forwards each key to the
    widget focused as it arrives."""
    from textual import events

    app = make_app(marta_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_patterns(pilot)
        for key, character in [("slash", "/"), ("m", "m"), ("q", "q"), ("r", "r")]:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert app.screen is screen, "still the patterns view: neither q nor r acted"
        assert screen.focused is screen.query_one("#words-filter", Input)
        assert session_screen_note(app) == ""
