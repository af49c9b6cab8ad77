"""Reading a client's goals across sessions: rating trends, possibly stalled goals, values alignment.

Pure functions over what the files say, so they can be tested on synthetic
histories. A goal is flagged as possibly stalled when, over the client's last N
sessions (N = stalled_after, default 3), it had no status change, no rating
higher than the one before, and no note naming it; or when the coach marked it
stalled. Flagging is a prompt to look at the goal with the client, never to push.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from itertools import pairwise

from msgspec import Struct, field

from .model import Client, Goal, GoalStatus, Stamp, at_or_after

# Goals that can stall: set-aside (paused) and finished goals are not "stuck".
WATCHED = (GoalStatus.ACTIVE, GoalStatus.ON_TRACK, GoalStatus.AT_RISK)


class SessionFacts(Struct, frozen=True, dict=True):
    """What one session says about the goals: when it started, its ratings and the text of its notes."""

    started: Stamp
    ratings: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @cached_property
    def folded(self) -> tuple[str, ...]:
        """The notes case folded, once: every goal is looked for in every session's notes."""
        return tuple(note.casefold() for note in self.notes)


def rating_trend(goal_id: str, sessions: list[SessionFacts]) -> list[int]:
    """The goal's ratings, oldest first, one per session that rated it."""
    return [s.ratings[goal_id] for s in sessions if goal_id in s.ratings]


def mentions(goal: Goal, text: str) -> bool:
    """A note names a goal by its title or by #id."""
    folded = text.casefold()
    return goal.title.casefold() in folded or f"#{goal.id}" in folded


def named_in(goal: Goal, facts: SessionFacts) -> bool:
    """A note of the session names the goal (as `mentions`, each text folded once)."""
    title, tag = goal.title.casefold(), f"#{goal.id}"
    return any(title in note or tag in note for note in facts.folded)


def sessions_since(goal: Goal, sessions: list[SessionFacts]) -> list[SessionFacts]:
    """The sessions held since the goal was made (all of them for a goal with no date)."""
    return [s for s in sessions if goal.created is None or at_or_after(s.started, goal.created)]


def sessions_unnamed(goal: Goal, sessions: list[SessionFacts]) -> int:
    """How many of the latest sessions since the goal was made passed without a note naming it: the stalled
    rule's evidence of silence, which the patterns view shows as it is."""
    count = 0
    for facts in reversed(sessions_since(goal, sessions)):
        if named_in(goal, facts):
            break
        count += 1
    return count


def stalled_goals(client: Client, sessions: list[SessionFacts], after: int, current: SessionFacts | None = None) -> dict[str, str]:
    """Goal id -> why it is flagged, for every possibly stalled goal. `sessions` are past ones, oldest first.

    With `current` (the session in progress), movement in it clears a flag at once.
    """
    flagged: dict[str, str] = {}
    for goal in client.goals:
        if goal.status is GoalStatus.STALLED:
            flagged[goal.id] = "marked stalled"
            continue
        if goal.status not in WATCHED:
            continue
        since = sessions_since(goal, sessions)
        if len(since) < after:
            continue  # too new to say
        recent = since[-after:]
        first = recent[0].started
        if any(at_or_after(change.date, first) and change.from_status != change.to_status for change in goal.history):
            continue
        if sessions_unnamed(goal, since) < after:
            continue  # a note named it in the last `after` sessions
        trend = rating_trend(goal.id, since)
        recent_trend = rating_trend(goal.id, recent)
        earlier = trend[: len(trend) - len(recent_trend)]
        previous = earlier[-1:] + recent_trend
        if any(later > before for before, later in pairwise(previous)):
            continue
        if current is not None and _moved_now(goal, current, trend):
            continue
        flagged[goal.id] = f"no change, rising rating or note naming it in the last {after} sessions"
    return flagged


def _moved_now(goal: Goal, current: SessionFacts, trend: list[int]) -> bool:
    if any(at_or_after(change.date, current.started) and change.from_status != change.to_status for change in goal.history):
        return True
    if any(mentions(goal, note) for note in current.notes):
        return True
    rating = current.ratings.get(goal.id)
    return rating is not None and (not trend or rating > trend[-1])


SPARK = "▁▂▃▄▅▆▇█"


def bars(values: Sequence[float], low: float = 0.0, top: float | None = None) -> str:
    """Values as block characters, one a value: `low` (and anything under it) is the lowest bar, `top` (the
    largest value unless given; anything over it too) the highest."""
    if not values:
        return ""
    top = max(values) if top is None else top
    if top <= low:
        return SPARK[0] * len(values)
    return "".join(SPARK[round((min(max(v, low), top) - low) * (len(SPARK) - 1) / (top - low))] for v in values)


def sparkline(ratings: list[int], width: int = 8) -> str:
    """Ratings 1-10 as block characters, the last `width` of them."""
    return bars(ratings[-width:], 1, 10)


class Alignment(Struct, frozen=True):
    """The five-values/five-goals picture: which goal serves which value, and what stands alone."""

    values: tuple[str, ...]
    goals: tuple[Goal, ...]
    links: dict[str, tuple[str, ...]]  # goal id -> the values it serves (as written in the values list)
    goals_without_value: tuple[str, ...]
    values_without_goal: tuple[str, ...]


def alignment(client: Client) -> Alignment:
    goals = tuple(g for g in client.goals if g.status.is_open)
    values = list(client.values)
    by_fold = {v.casefold(): v for v in values}
    links: dict[str, tuple[str, ...]] = {}
    for goal in goals:
        for value in goal.values:
            if value.casefold() not in by_fold:  # a value written on a goal but missing from the list
                values.append(value)
                by_fold[value.casefold()] = value
        if goal.values:
            links[goal.id] = tuple(by_fold[v.casefold()] for v in goal.values)
    linked_values = {v.casefold() for linked in links.values() for v in linked}
    return Alignment(
        values=tuple(values),
        goals=goals,
        links=links,
        goals_without_value=tuple(g.id for g in goals if g.id not in links),
        values_without_goal=tuple(v for v in values if v.casefold() not in linked_values),
    )
