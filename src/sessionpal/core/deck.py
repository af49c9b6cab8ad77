"""The question deck: which questions to offer, in what order, and a fair random draw.

The filter is one line the coach types: words search the text and tags,
`#tag` keeps questions with that tag, `@explore` picks a phase (`@all` for every
phase). Without an `@`, the deck follows the timer's phase.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from msgspec import Struct

from .model import PHASES, Phase, Question

ALL_PHASES = "all"
REMEMBERED = 64  # recent filters whose results the deck keeps (a few hundred kilobytes at most)

_Filter = tuple[tuple[str, ...], tuple[str, ...], str]  # (words, tags, phase): what a search of the deck depends on


def _narrows(wanted: _Filter, earlier: _Filter) -> bool:
    """Everything `wanted` finds, `earlier` finds too: the same phase, its tags and more, and each of its words
    inside one of the new words ("wha" in "what"), so a question holding the new words holds the old ones."""
    words, tags, phase = wanted
    earlier_words, earlier_tags, earlier_phase = earlier
    return phase == earlier_phase and set(earlier_tags) <= set(tags) and all(any(old in new for new in words) for old in earlier_words)


class DeckQuery(Struct, frozen=True):
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    phase: str | None = None  # a phase name, ALL_PHASES, or None to follow the timer

    @classmethod
    def parse(cls, text: str) -> DeckQuery:
        words, tags, phase = [], [], None
        for token in text.split():
            folded = token.casefold()
            if folded.startswith("#") and len(folded) > 1:
                tags.append(folded[1:])
            elif folded.startswith("@") and len(folded) > 1:
                wanted = folded[1:]
                matches = [p for p in (*PHASES, ALL_PHASES) if p.startswith(wanted)]
                phase = matches[0] if matches else phase
                if not matches:
                    words.append(folded)
            else:
                words.append(folded)
        return cls(tuple(words), tuple(tags), phase)


class Deck:
    """The questions a session may draw on, and the search over them the filter runs at each keystroke. A plain
    class: one screen's deck, kept up to date in place (stars, asked) and never compared."""

    def __init__(
        self,
        questions: list[Question],
        starred: set[str] | None = None,
        asked_before: dict[str, date] | None = None,  # ref -> last date asked of this client
        asked_now: set[str] | None = None,  # refs asked in this session
        hidden: int = 0,  # the packs' questions hidden in config.toml, left out of `questions` (the deck says how many)
    ) -> None:
        self.questions = questions
        self.starred = set() if starred is None else starred
        self.asked_before = {} if asked_before is None else asked_before
        self.asked_now = set() if asked_now is None else asked_now
        self.hidden = hidden
        # Searching folded text once up front keeps each keystroke cheap on a 5,000-question deck.
        self._haystacks = [" ".join((q.text, *q.tags, *q.follow_ups, q.pack)).casefold() for q in self.questions]
        self._tags = [{t.casefold() for t in q.tags} for q in self.questions]
        self._phases = [q.phase.value if q.phase is not None else None for q in self.questions]  # enum lookups are slow
        self._refs = [q.ref for q in self.questions]  # a property building a string: once, not per keystroke
        # What recent filters found (positions in `questions`, in order), by (words, tags, phase): a backspace
        # finds its answer here, and a longer filter searches only what a shorter one found.
        self._found: dict[_Filter, tuple[int, ...]] = {}

    def matching(self, query: DeckQuery, timer_phase: Phase | None = None) -> list[Question]:
        phase = query.phase if query.phase is not None else (timer_phase.value if timer_phase else ALL_PHASES)
        found = self._positions((query.words, query.tags, phase))
        questions, refs, starred_refs = self.questions, self._refs, self.starred
        starred = [questions[i] for i in found if refs[i] in starred_refs]  # the stars as they are now, never cached
        rest = [questions[i] for i in found if refs[i] not in starred_refs] if starred else [questions[i] for i in found]
        return starred + rest

    def _positions(self, wanted: _Filter) -> tuple[int, ...]:
        """Where the questions a filter finds are in `questions`, in order: remembered, or searched for among
        what a filter it narrows found (typing on adds letters or words: each finds a subset of the one before)."""
        found = self._found.pop(wanted, None)
        if found is None:
            among: Sequence[int] = range(len(self.questions))
            for earlier, earlier_found in self._found.items():
                if len(earlier_found) < len(among) and _narrows(wanted, earlier):
                    among = earlier_found
            found = self._search(wanted, among)
            if len(self._found) >= REMEMBERED:
                del self._found[next(iter(self._found))]  # the least recently used
        self._found[wanted] = found  # last: the most recently used
        return found

    def _search(self, wanted: _Filter, among: Sequence[int]) -> tuple[int, ...]:
        # One pass per condition, each a comprehension over what the one before kept: the narrowest goes last
        # on the fewest, and none pays for a generator per question.
        words, wanted_tags, phase = wanted
        haystacks, phases = self._haystacks, self._phases
        found = list(among) if phase == ALL_PHASES else [i for i in among if phases[i] is None or phases[i] == phase]
        if wanted_tags:
            wanted_set, tags = set(wanted_tags), self._tags
            found = [i for i in found if wanted_set <= tags[i]]
        for word in words:
            found = [i for i in found if word in haystacks[i]]
        return tuple(found)

    def in_other_phases(self, query: DeckQuery, timer_phase: Phase | None = None, here: int | None = None) -> int:
        """How many more questions the same words and tags find in every phase: what widening would add.

        `here`: how many the query finds now, when the caller has just counted them (one scan, not two)."""
        if query.phase == ALL_PHASES or (query.phase is None and timer_phase is None):
            return 0
        found_here = len(self.matching(query, timer_phase)) if here is None else here
        return len(self.matching(DeckQuery(query.words, query.tags, ALL_PHASES))) - found_here

    def draw(self, candidates: list[Question], rng: random.Random, current: Question | None = None) -> Question | None:
        """A random question never asked of this client; else one not asked this session; else None."""
        fresh = [q for q in candidates if q.ref not in self.asked_before and q.ref not in self.asked_now]
        if not fresh:
            fresh = [q for q in candidates if q.ref not in self.asked_now]
        if len(fresh) > 1 and current is not None:
            fresh = [q for q in fresh if q.ref != current.ref] or fresh
        return rng.choice(fresh) if fresh else None


def asked_ago(asked: date, today: date) -> str:
    """'today', 'yesterday', '5 days ago', '3 weeks ago', '4 months ago', '2 years ago'."""
    days = (today - asked).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"
