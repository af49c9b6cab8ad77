"""Typing in the deck's filter (issue 29.4): the question above the list changes with each keystroke, yet the
list stays where it is while the coach types (a shorter question leaves its lines, so no keystroke lays the
screen out again); once the coach leaves the filter, the area fits the question again."""

from __future__ import annotations

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock
from sessionpal.ui.widgets.deck import DeckPane
from sessionpal.ui.widgets.question_list import QuestionList

from ..helpers import present
from .conftest import make_app, settle

LONG = "Zebra crossing: when you picture the next step on the far side of it, what do you notice first, what do you feel, and who is waiting for you there when you arrive?"
PACK = f'''[pack]
id = "mine"
title = "My questions"

[[questions]]
id = "zebra-long"
text = "{LONG}"
follow_ups = ["And what else?", "What would that give you?"]

[[questions]]
id = "zebra-short"
text = "Zebra, short?"
'''


def zebra_home(home: Home) -> Home:
    """The demo home with the zebra pack: a long question and a short one the same words find."""
    home.prompts_dir.mkdir(exist_ok=True)
    (home.prompts_dir / "mine.toml").write_text(PACK, "utf-8")
    return home


async def test_typing_in_the_filter_keeps_the_list_where_it_is(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(zebra_home(demo_home), clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        listed = deck.query_one("#deck-list", QuestionList)
        await pilot.press("f5", *"zebra")
        await pilot.pause()
        assert present(deck.current).id == "zebra-long"
        top = listed.region.y
        await pilot.press(*" short")  # only the one-line question matches now
        await pilot.pause()
        assert present(deck.current).id == "zebra-short"
        assert listed.region.y == top, "the list moved up under a shorter question while the coach typed"
        await pilot.press("enter")  # done: the filter is kept, the cursor is home, the area fits again
        await pilot.pause()
        assert deck.query_text == "zebra short" and present(deck.current).id == "zebra-short"
        assert listed.region.y < top


async def test_the_question_area_grows_for_a_longer_question_while_typing(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(zebra_home(demo_home), clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        question = deck.query_one("#question")
        await pilot.press("f5", *"short")
        await pilot.pause()
        assert present(deck.current).id == "zebra-short"
        before = question.region.height
        await pilot.press(*["backspace"] * 5, *"crossing")
        await pilot.pause()
        assert present(deck.current).id == "zebra-long"
        assert question.region.height > before >= 1, "grown to the longer question's lines while the coach typed"
        assert str(question.render()).rstrip("\n") == LONG
