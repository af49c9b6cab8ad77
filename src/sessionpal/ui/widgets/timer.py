"""The session timer: large elapsed digits, time left, the phase and its time left.

The pane only shows a TimerReading it is given; it never reads a clock itself.
Widgets update only when their text changes, so nothing on screen flickers or
moves while the coach listens. The level (calm, ten, five, over) is a CSS class,
so the colour change is gentle and theme-aware.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Digits, Static

from ...core.session_models import PhaseSpan
from ...core.timer import Level, TimerReading, TimerState, format_clock
from .header import AgreementLine

LEVEL_CLASSES = tuple(f"-level-{level.value}" for level in Level)
CALM = "-level-calm"  # the level of a timer not started, and of plenty of time left


def remaining_text(reading: TimerReading) -> str:
    planned = format_clock(reading.planned)
    if reading.state is TimerState.READY:
        return f"{planned} planned"
    if reading.over:
        return f"+{format_clock(-reading.remaining)} over {planned}"
    return f"{format_clock(reading.remaining)} left of {planned}"


def phase_text(reading: TimerReading) -> str:
    if reading.span is None:
        return ""
    title = reading.span.phase.title
    if reading.state is TimerState.READY:
        return f"Starts with {title}"
    if reading.state is TimerState.ENDED:
        return "Session ended"
    if reading.over:
        return f"{title} · over time"
    state = " · paused" if reading.state is TimerState.PAUSED else ""
    return f"{title} · {format_clock(reading.phase_left)} left{state}"


def digits_text(reading: TimerReading) -> str:
    # Always the elapsed time: a number that changed meaning mid-session would mislead a glance.
    return format_clock(reading.elapsed)


def _set(widget: Static, text: str) -> None:
    # Rendering only on change keeps the screen still between seconds. Every line set here is
    # one line high (app.tcss), so a new reading is a repaint, never a layout of the screen.
    if getattr(widget, "_shown", None) != text:
        widget._shown = text  # type: ignore[attr-defined]
        widget.update(text, layout=False)


def set_level(widget: Widget, reading: TimerReading) -> None:
    wanted = f"-level-{reading.level.value}" if reading.state is not TimerState.READY else CALM
    # One change of classes, so one restyle of the pane at most (a class at a time restyled it once for the
    # level going and again for the level coming).
    widget.update_classes({**{name: name == wanted for name in LEVEL_CLASSES}, "-paused": reading.state is TimerState.PAUSED})


class PhaseStrip(Widget):
    """One calm line: the session's phases as segments, the part already spent drawn heavier."""

    DEFAULT_CSS = "PhaseStrip { height: 1; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spans: tuple[PhaseSpan, ...] = ()
        self.elapsed = 0.0
        self.current = -1

    def show(self, reading: TimerReading, spans: tuple[PhaseSpan, ...]) -> None:
        # Redraw only when a cell would change: at most once every few seconds.
        width = max(1, self.size.width)
        planned = spans[-1].end if spans else 1
        cell = int(min(reading.elapsed, planned) / planned * width) if planned else 0
        key = (cell, reading.phase_index, len(spans), width)
        if key != getattr(self, "_key", None):
            self._key = key
            self.spans, self.elapsed, self.current = spans, reading.elapsed, reading.phase_index
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        if not self.spans or width <= 0:
            return Text("")
        planned = self.spans[-1].end or 1
        done = int(min(self.elapsed, planned) / planned * width)
        boundaries = {int(span.end / planned * width) for span in self.spans[:-1]}
        text = Text()
        for x in range(width):
            char = "│" if x in boundaries and 0 < x < width else ("━" if x < done else "─")
            text.append(char, style="bold" if x < done else "dim")
        return text


class TimerView(Struct, frozen=True):
    """What a timer shows: the reading, and the session's phases (for the strip)."""

    reading: TimerReading
    spans: tuple[PhaseSpan, ...]


class TimerPane(Vertical):
    """The large timer for the side column, and under it the session agreement (both bound from the screen)."""

    # Gentle colour steps at 10 and 5 minutes left and over time: colour only, never motion.
    DEFAULT_CSS = """
    TimerPane {
        height: auto;
        padding: 1 1 0 1;
        #elapsed { width: auto; color: $foreground; }
        #remaining { height: 1; margin-top: 1; }
        #phase { height: 1; color: $text-muted; }
        #phase-strip { margin-top: 1; color: $accent; }
        #agreement { margin-top: 1; padding: 0; }
        &.-level-ten #elapsed { color: $text-warning 70%; }
        &.-level-five #elapsed { color: $text-warning; }
        &.-level-over #elapsed, &.-level-over #remaining { color: $text-error; }
        &.-paused #elapsed { color: $text-muted; }
    }
    """

    agreement: var[str] = var("")
    view: var[TimerView | None] = var(None)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class(CALM, update=False)  # a timer not started yet: styled so from the start, not restyled at its first reading

    def watch_view(self, view: TimerView | None) -> None:
        if view is not None:
            self.show(view.reading, view.spans)

    def compose(self) -> ComposeResult:
        yield Digits("00:00", id="elapsed")
        yield Static(id="remaining")
        yield Static(id="phase")
        yield PhaseStrip(id="phase-strip")
        yield AgreementLine(id="agreement").data_bind(agreement=TimerPane.agreement)

    def show(self, reading: TimerReading, spans: tuple[PhaseSpan, ...]) -> None:
        digits = self.query_one("#elapsed", Digits)
        text = digits_text(reading)
        if digits.value != text:
            digits.update(text)
        _set(self.query_one("#remaining", Static), remaining_text(reading))
        _set(self.query_one("#phase", Static), phase_text(reading))
        self.query_one(PhaseStrip).show(reading, spans)
        set_level(self, reading)


class TimerLine(Static):
    """The timer on one line, for narrow terminals where the side column is hidden (bound from the screen)."""

    DEFAULT_CSS = """
    TimerLine {
        height: 1;
        padding: 0 1;
        background: $boost;
        &.-level-ten { color: $text-warning 70%; }
        &.-level-five { color: $text-warning; }
        &.-level-over { color: $text-error; }
        &.-paused { color: $text-muted; }
    }
    """

    view: var[TimerView | None] = var(None)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class(CALM, update=False)  # as the large timer's

    def watch_view(self, view: TimerView | None) -> None:
        if view is not None:
            self.show(view.reading, view.spans)

    def show(self, reading: TimerReading, spans: tuple[PhaseSpan, ...]) -> None:
        parts = [digits_text(reading), remaining_text(reading), phase_text(reading)]
        _set(self, "  ·  ".join(p for p in parts if p))
        set_level(self, reading)
