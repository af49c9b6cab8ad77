"""The "last time" card: before the timer starts, the previous session at a glance, the open actions of every
earlier session (those that keep coming back flagged), the engagement's standing and where each goal stands."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from msgspec import Struct
from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from ...core.live import LogEntry
from ...core.model import Action, Client
from ...core.safe_text import glimpse
from ...core.sessionfile import NOTES
from .goals import goal_line
from .note_lines import due_part, log_line

if TYPE_CHECKING:  # the card's value types only: the open actions (the index's) come later, from a worker
    from pathlib import Path

    from ...core.engagement import Standing
    from ...core.history import LastTime
    from ...core.index_types import OpenAction

CARD_ACTIONS = 6  # open actions shown on the "last time" card, newest first


def next_session_words(next_call: datetime) -> str:
    """The next call from the calendar, as the card says it: "Tue 08 Dec at 10:00"."""
    return f"{next_call:%a %d %b} at {next_call:%H:%M}"


def _engagement_details(standing: Standing, next_call: datetime | None = None) -> list[tuple[str, str]]:
    details = []
    if standing.ends is not None:
        details.append(("  · engagement ends " + standing.ends.strftime("%a %d %b %Y"), "$text-muted"))
    if next_call is not None:  # the calendar's call wins over the date typed into the engagement
        details.append(("  · next session " + next_session_words(next_call), "$text-muted"))
    elif standing.next_session is not None:
        details.append(("  · next session " + standing.next_session.strftime("%a %d %b"), "$text-muted"))
    return details


def _by_due(action: Action) -> tuple[bool, date]:
    return (action.due is None, action.due or date.min)


class LastTimeView(Struct, frozen=True):
    """What the "last time" card shows: the previous session (None before the first), the open actions of every
    earlier session once the index has them (None until then: the last session's own are shown), today (for
    the overdue ones) and the engagement's standing."""

    client: Client
    last: LastTime | None
    open_actions: tuple[OpenAction, ...] | None = None
    today: date | None = None
    standing: Standing | None = None
    next_call: datetime | None = None  # the client's next call in the coach's calendar (read in a worker)
    carried: tuple[tuple[Path, str, int], ...] = ()  # (file, words, sessions): the open actions that keep coming back

    def times(self, action: OpenAction) -> tuple[tuple[str, str], ...]:
        """ "  carried over 3 times" after an open action that keeps coming back (core/carried.py), else nothing."""
        times = next((n for path, text, n in self.carried if path == action.path and text == action.action.text), 0)
        return ((f"  carried over {times} times", "$text-warning"),) if times else ()


class LastTimeCard(Static):
    """Before the timer starts: the previous session at a glance, and where each goal stands. Drawn from
    `view` and `flagged` (the goals that may be stalled, known once past sessions are read), both bound
    from the session screen through the notes pane."""

    view: var[LastTimeView | None] = var(None, init=False)
    flagged: var[frozenset[str]] = var(frozenset(), init=False)

    def watch_view(self) -> None:
        self._draw()

    def watch_flagged(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.view is None:
            return
        client, last, open_actions, today, standing = self.view.client, self.view.last, self.view.open_actions, self.view.today, self.view.standing
        lines: list[Content] = []
        if standing is not None:
            lines.append(Content.assemble(("This is " + standing.label(), "bold"), *_engagement_details(standing, self.view.next_call)))
        elif self.view.next_call is not None:
            lines.append(
                Content.assemble(
                    ("Next session ", "$text-muted"), (next_session_words(self.view.next_call), "$text-muted"), (", in your calendar", "$text-muted")
                )
            )
        if last is None:
            lines.append(Content.from_markup("[b]First session with $name[/b]", name=client.name))
            lines.append(Content.from_markup("[$text-muted]F2 starts the timer, or simply start typing: the first note starts it.[/]"))
        elif last.problems:
            lines.append(Content.from_markup("[b]Last time[/b]  [$error]the previous session file cannot be read:[/]"))
            lines += [Content(f"  {p}") for p in last.problems]
        else:
            when = last.when.strftime("%a %d %b %Y") if last.when else "date unknown"
            lines.append(Content.from_markup("[b]Last time[/b] · $when", when=when))
            if open_actions:
                lines.append(Content.from_markup("[$text-muted]Open actions, from every session[/]"))
                lines += [
                    Content.assemble(
                        "  [ ] ",
                        glimpse(a.action.text),
                        *due_part(a.action, today),
                        "  ",
                        (a.started.strftime("%d %b") if a.started else "", "$text-muted"),
                        *self.view.times(a),
                    )
                    for a in open_actions[:CARD_ACTIONS]
                ]
                if len(open_actions) > CARD_ACTIONS:  # the card must leave room for the notes and goals
                    more = len(open_actions) - CARD_ACTIONS
                    lines.append(Content.from_markup("  [$text-muted]and $more older: ctrl+y shows them all[/]", more=f"{more:,}"))
            elif last.open_actions:
                lines.append(Content.from_markup("[$text-muted]Open actions[/]"))
                lines += [Content.assemble("  [ ] ", glimpse(a.text), *due_part(a, today)) for a in sorted(last.open_actions, key=_by_due)]
            if last.last_notes:
                lines.append(Content.from_markup("[$text-muted]Last notes[/]"))
                lines += [Content("  ") + log_line(LogEntry(0, NOTES, n)) for n in last.last_notes]
            if not last.open_actions and not open_actions and not last.last_notes:
                lines.append(Content.from_markup("[$text-muted]No notes or open actions last time.[/]"))
        open_goals = [g for g in client.goals if g.status.is_open]
        if open_goals:
            lines.append(Content.from_markup("[$text-muted]Goals[/]"))
            lines += [Content("  ") + goal_line(g, flagged=g.id in self.flagged) for g in open_goals]
        self.update(Content("\n").join(lines))
