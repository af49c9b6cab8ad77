"""Today's calls, above the client list: each call's time and whose it is, the one under way or next picked
out with its countdown ("in 12 min", "under way · 20 min left").

The strip draws from four values bound from the client list (`today`, `now`, `cursor`, `private`); it holds no
state of its own. A click on a call posts the message for what that call asks: open it (a client's), say whose
it is (not matched), or choose between the clients it names (ambiguous).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from msgspec import Struct, field
from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...core.safe_text import visible

if TYPE_CHECKING:
    from ...core.calendar import Call


class TodayCalls(Struct, frozen=True):
    """A day's calls as read from the calendar (None on the screen: no calendar, nothing drawn)."""

    day: date
    calls: tuple[Call, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # folder -> the client's name, as the list shows it
    problems: tuple[str, ...] = ()  # one line a source that could not be read, or not wholly
    read: bool = True  # False: the calendar is being read (the first time, just after the list is drawn)

    def current(self, now: datetime) -> int | None:
        """The call under way (the earliest, if two overlap), else the next; None when the day's calls are over."""
        return next((i for i, c in enumerate(self.calls) if now < c.event.end), None)


def countdown(call: Call, now: datetime) -> str:
    """ "in 12 min", "in 1 h 05 min", "under way · 20 min left": whole minutes, rounded up."""
    if call.under_way(now):
        return f"under way · {_span(call.event.end - now)} left"
    return f"in {_span(call.event.start - now)}"


def _span(delta: timedelta) -> str:
    minutes = max(0, math.ceil(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def whose(call: Call, names: Mapping[str, str]) -> tuple[str, str]:
    """What the strip says a call is, and its style: the client's name, or what the coach must say."""
    title = visible(call.event.summary or call.event.location or "untitled")
    if call.client is not None:
        return names.get(call.client, call.client), "bold"
    if call.ambiguous:
        return "ambiguous: " + " or ".join(names.get(s, s) for s in call.clients) + " · Enter asks which", "$warning"
    return f"not matched · “{title}” · Enter says whose", "$warning"


def strip_lines(today: TodayCalls, now: datetime, cursor: int | None, private: bool, keys: str = "") -> list[Content]:
    """The strip, a line a call; behind the blind times only. `cursor`: the call the coach is choosing."""
    if not today.read:
        return [Content.styled("Today · reading your calendar…", "$text-muted")]
    current = today.current(now)
    head = "Today" if today.calls else "Today · no calls"
    if cursor is not None:
        keys = "↑ ↓ pick a call · Esc back to the list"
    lines = [Content.assemble((head, "bold"), ("  " + keys if keys and today.calls else "", "$text-muted"))]
    for number, call in enumerate(today.calls):
        event = call.event
        when = f"{event.start:%H:%M}–{event.end:%H:%M}"
        who, style = ("a call", "") if private else whose(call, today.names)
        done = now >= event.end
        mark = "▸ " if number == cursor else "  "
        parts: list[str | tuple[str, str]] = [mark, (when, "$text-muted" if done else ""), "  ", (who, "$text-muted" if done else style)]
        if number == current:
            parts += [" · ", (countdown(call, now), "bold $accent")]
        line = Content.assemble(*parts)
        if number == cursor:  # as a list's highlighted row is drawn
            line = line.stylize("bold on $block-cursor-background")
        elif number == current:
            line = line.stylize("on $boost")
        lines.append(line)
    lines += [Content.styled(visible(problem), "$error") for problem in today.problems]
    return lines


class TodayStrip(Widget):
    """The day's calls; drawn from what the client list binds into it."""

    DEFAULT_CSS = """
    TodayStrip {
        height: auto;
        max-height: 12;
        padding: 0 1;
        margin: 0 0 1 0;
        display: none;
    }
    TodayStrip.-shown { display: block; }
    TodayStrip.-armed { border-left: thick $accent; padding-left: 0; }
    """

    class OpenCall(Message):
        """Open the client whose call this is."""

        def __init__(self, call: Call) -> None:
            super().__init__()
            self.call = call

    class AssignCall(Message):
        """Say whose this call (which names no client) is."""

        def __init__(self, call: Call) -> None:
            super().__init__()
            self.call = call

    class ChooseClient(Message):
        """Choose which of the clients this call names it is."""

        def __init__(self, call: Call) -> None:
            super().__init__()
            self.call = call

    # Reactives that repaint (the day's calls lay the strip out again: its height is theirs); an equal value draws nothing.
    today: reactive[TodayCalls | None] = reactive(None, layout=True)
    now: reactive[datetime | None] = reactive(None)  # to the minute: the countdown changes once a minute
    cursor: reactive[int | None] = reactive(None)  # the call being chosen (the strip has the keys), else None
    private: reactive[bool] = reactive(False)
    keys: reactive[str] = reactive("")  # how to reach the strip, said in its first line

    def watch_today(self, today: TodayCalls | None) -> None:
        self.set_class(today is not None, "-shown")

    def watch_cursor(self, cursor: int | None) -> None:
        self.set_class(cursor is not None, "-armed")

    def render(self) -> Content:
        if self.today is None or self.now is None:
            return Content("")
        return Content("\n").join(strip_lines(self.today, self.now, self.cursor, self.private, self.keys))

    def on_click(self, event: events.Click) -> None:
        today = self.today
        offset = event.get_content_offset(self)
        if today is None or offset is None or not today.read:
            return
        number = offset.y - 1  # the first line is the day's
        if 0 <= number < len(today.calls):
            call = today.calls[number]
            self.post_message(self.OpenCall(call) if call.client else self.ChooseClient(call) if call.ambiguous else self.AssignCall(call))
