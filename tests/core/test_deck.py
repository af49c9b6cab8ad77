"""The deck remembers what recent filters found and narrows from them (issue 29.4): whatever order the coach
types, deletes and retypes in, it finds exactly what a search of the whole deck finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sessionpal.core.deck import REMEMBERED, Deck, DeckQuery
from sessionpal.core.model import Phase, Question
from sessionpal.core.packs import load_library

LIBRARY = load_library(None).questions()

# Filters as a coach types them: letters that make words the built-in questions hold, tags, phases, spaces.
typed_filters = st.lists(st.sampled_from(["w", "h", "a", "t", " ", "m", "o", "r", "e", "#values", "@all", "@exp", "#", "x", "é"]), max_size=12)


def whole_deck_search(query: DeckQuery, phase: Phase | None, starred: set[str]) -> list[str]:
    """A deck made afresh for the one query: nothing remembered to narrow from."""
    return [q.ref for q in Deck(list(LIBRARY), starred=starred).matching(query, phase)]


@given(st.lists(typed_filters, min_size=1, max_size=8), st.sampled_from([None, Phase.EXPLORE, Phase.OPENING]))
def test_a_deck_typed_into_finds_what_a_fresh_search_finds(typings: list[list[str]], phase: Phase | None) -> None:
    deck = Deck(list(LIBRARY), starred={"closing/sum-up", "awareness/what-matters"})
    for typing in typings:
        text = ""
        for piece in typing:  # one keystroke at a time, as Input.Changed comes
            text += piece
            query = DeckQuery.parse(text)
            assert [q.ref for q in deck.matching(query, phase)] == whole_deck_search(query, phase, deck.starred)
        while text:  # and backspaced away again
            text = text[:-1]
            query = DeckQuery.parse(text)
            assert [q.ref for q in deck.matching(query, phase)] == whole_deck_search(query, phase, deck.starred)


def test_a_star_given_after_a_search_puts_the_question_first_the_next_time() -> None:
    deck = Deck(list(LIBRARY))
    query = DeckQuery.parse("@all what")
    before = deck.matching(query)
    last = before[-1]
    deck.starred = {last.ref}  # as the deck pane does when the coach stars the question
    after = deck.matching(query)
    assert after[0] is last and sorted(q.ref for q in after) == sorted(q.ref for q in before)


def test_a_longer_filter_searches_only_what_the_shorter_one_found() -> None:
    looked_at: list[int] = []

    class Counting(Deck):
        def _search(self, wanted, among):  # type: ignore[no-untyped-def]
            looked_at.append(len(among))
            return super()._search(wanted, among)

    deck = Counting(list(LIBRARY))
    found = deck.matching(DeckQuery.parse("@all w"))
    deck.matching(DeckQuery.parse("@all wh"))
    assert looked_at == [len(LIBRARY), len(found)] and len(found) < len(LIBRARY)
    deck.matching(DeckQuery.parse("@all w"))  # a backspace: remembered, not searched again
    assert len(looked_at) == 2


def test_the_deck_remembers_only_the_recent_filters() -> None:
    questions = [Question("p", f"q{i}", f"question {i}", phase=Phase.EXPLORE) for i in range(200)]
    deck = Deck(questions)
    for i in range(REMEMBERED * 3):
        deck.matching(DeckQuery.parse(f"question {i}"), Phase.EXPLORE)
    assert len(deck._found) == REMEMBERED
    query = DeckQuery.parse("question 7")  # forgotten long ago: searched again
    assert deck.matching(query, Phase.EXPLORE) == Deck(questions).matching(query, Phase.EXPLORE)
