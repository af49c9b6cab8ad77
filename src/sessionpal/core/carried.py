"""Actions that keep coming back: the stuck-client signal, read from the Actions sections of past sessions.

An action is carried over when it stays open while sessions go by, or when the client takes it on again
in other words. Each session's actions are followed into the later ones: a later action is the same one
when it has the same words (case, punctuation, stop words and due date aside), or, re-written, when it
names the same goal (by #goal-id or its title) or the same #tag and has most of its words in common with
it. Its count is the number of sessions held since it was first written, with it still not done.

It never fires for an action whose due date is still ahead (the client has not had the time), for one
ticked done (a ticked action ends its chain: "go for a run", done every week, is a habit, not stuck), for
one the client dropped, or for the coach's own ("Coach: check in..."). Flagging is a prompt to find the
real reason with the client, never to push.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from msgspec import Struct

from .model import Action, ActionState, Goal
from .stalled import mentions
from .words import content_words, tags_in

FLAG_FROM = 2  # sessions an action stays open across before it is flagged
MOST = 0.5  # a re-written action shares more than this share of the shorter wording's words


class ActionSeen(Struct, frozen=True):
    """One action as one session's file holds it; `session` is that session's place, oldest first (0, 1, ...)."""

    session: int
    action: Action
    path: Path | None = None
    started: datetime | None = None


class Carried(Struct, frozen=True):
    """An action that keeps coming back: its latest wording and where it is, how many sessions it has stayed
    open across, when it was first written, and every wording it had (oldest first)."""

    text: str
    times: int
    first: datetime | None
    wordings: tuple[str, ...]
    tags: tuple[str, ...]
    path: Path | None
    stamp: int | None
    due: date | None

    def label(self) -> str:
        return f"carried over {self.times} time{'s' if self.times != 1 else ''}"


class _Words(Struct, frozen=True):
    words: frozenset[str]
    tags: frozenset[str]
    plain: tuple[str, ...]


def _words_of(action: Action, goals: Sequence[Goal], language: str) -> _Words:
    words = content_words(action.text, language)
    tags = set(tags_in(action.text)) | {f"goal:{goal.id}" for goal in goals if mentions(goal, action.text)}
    # A tag that is a goal's #id names the goal: the same tag either way.
    tags = {f"goal:{t}" if any(t == goal.id for goal in goals) else t for t in tags}
    return _Words(frozenset(words), frozenset(tags), tuple(words))


def same_action(a: _Words, b: _Words) -> bool:
    """The same words, or re-written: a goal or tag in common and most words in common."""
    if a.plain and a.plain == b.plain or (a.words and a.words == b.words):
        return True
    if not (a.tags & b.tags) or not a.words or not b.words:
        return False
    return len(a.words & b.words) > MOST * min(len(a.words), len(b.words))


class _Chain(Struct):
    seen: list[tuple[ActionSeen, _Words]]

    @property
    def last(self) -> tuple[ActionSeen, _Words]:
        return self.seen[-1]

    @property
    def going(self) -> bool:
        """Still open to a later wording: its last one was not ticked done."""
        return self.last[0].action.state is not ActionState.DONE


def carried_over(
    actions: Sequence[ActionSeen], sessions: int, today: date, goals: Sequence[Goal] = (), language: str = "", at_least: int = FLAG_FROM
) -> list[Carried]:
    """The actions that have stayed open across `at_least` of the `sessions` held (or more), most sessions first.
    `actions` in session order, then as each file lists them."""
    chains: list[_Chain] = []
    by_word: dict[str, list[int]] = {}  # word -> the chains whose last wording has it: two wordings alike share one
    for seen in sorted(actions, key=lambda s: s.session):  # stable: a file's own order is kept
        if seen.action.for_coach:
            continue
        words = _words_of(seen.action, goals, language)
        # The chain it continues: one from an earlier session, not ended by a tick, the best matching.
        near = {n for word in words.words for n in by_word.get(word, ())}
        candidates = [c for c in (chains[n] for n in sorted(near)) if c.going and c.last[0].session < seen.session and same_action(c.last[1], words)]
        if candidates:
            best = max(candidates, key=lambda c: (len(c.last[1].words & words.words), c.last[0].session))
            best.seen.append((seen, words))
            number = chains.index(best)
        else:
            chains.append(_Chain([(seen, words)]))
            number = len(chains) - 1
        for word in words.words:
            by_word.setdefault(word, []).append(number)

    # The same action written twice in one session starts two chains; where it is written once again, one of
    # them stops and the other goes on. One action: the chain that went furthest stands for it (on a tie, one
    # still open: a copy ticked beside one left open is not the action done).
    def reach(chain: _Chain) -> tuple[int, bool]:
        return chain.last[0].session, chain.last[0].action.state is ActionState.OPEN

    furthest: dict[tuple[int, str], _Chain] = {}
    for chain in chains:
        key = (chain.seen[0][0].session, chain.seen[0][0].action.text.casefold())
        if key not in furthest or reach(chain) > reach(furthest[key]):
            furthest[key] = chain
    found: list[Carried] = []
    for chain in furthest.values():
        first, (last, words) = chain.seen[0][0], chain.last
        if last.action.state is not ActionState.OPEN:
            continue  # ticked done, or dropped by the client: not stuck
        if last.action.due is not None and last.action.due > today:
            continue  # there is still time
        times = sessions - 1 - first.session
        if times < at_least:
            continue
        wordings = tuple(dict.fromkeys(s.action.text for s, _ in chain.seen))
        tags = tuple(sorted(t.removeprefix("goal:") for t in words.tags))
        found.append(Carried(last.action.text, times, first.started, wordings, tags, last.path, last.action.stamp, last.action.due))
    found.sort(key=lambda c: (-c.times, c.text.casefold()))
    # And where an action once written alone is written twice later, the second copy's chain ends in the same
    # file as the first's: one line for them, the longest.
    kept: dict[tuple[Path | None, str], Carried] = {}
    for carried in found:
        kept.setdefault((carried.path, carried.text.casefold()), carried)
    return list(kept.values())
