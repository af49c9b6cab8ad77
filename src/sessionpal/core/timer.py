"""The session timer, driven by an injected clock.

Elapsed time is computed from a monotonic clock each time it is read, never by
adding up ticks, so it cannot drift however long the session runs; a wall-clock
jump (NTP, a time zone change) does not touch it. While a laptop sleeps the
monotonic clock stops on Linux and macOS, so the timer simply does not count the
sleep. Elapsed time is banked at every start, pause and end, and saved in the
session file so a restart picks it up.
"""

from __future__ import annotations

import enum
import time
from datetime import datetime, timedelta
from typing import Protocol

from msgspec import Struct

from .session_models import PhaseSpan

TEN_MINUTES = 600
FIVE_MINUTES = 300


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def now(self) -> datetime:
        """Local wall-clock time with its UTC offset."""
        ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone().replace(microsecond=0)


class FakeClock:
    """A clock for tests and snapshots: time moves only when told to."""

    def __init__(self, start: datetime, monotonic: float = 1000.0):
        self._wall = start
        self._mono = monotonic

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)


class TimerState(enum.StrEnum):
    READY = "ready"  # before the session starts
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class Level(enum.StrEnum):
    """How close the session is to its planned end; the timer's colour follows it."""

    CALM = "calm"
    TEN = "ten"  # 10 minutes or less left
    FIVE = "five"  # 5 minutes or less left
    OVER = "over"


class TimerReading(Struct, frozen=True):
    state: TimerState
    elapsed: float
    planned: float
    span: PhaseSpan | None
    phase_index: int

    @property
    def remaining(self) -> float:
        """Seconds left of the planned length; negative when over time."""
        return self.planned - self.elapsed

    @property
    def over(self) -> bool:
        return self.elapsed > self.planned

    @property
    def phase_left(self) -> float:
        return max(0.0, self.span.end - self.elapsed) if self.span else 0.0

    @property
    def level(self) -> Level:
        left = self.remaining
        if left < 0:
            return Level.OVER
        if left <= FIVE_MINUTES:
            return Level.FIVE
        if left <= TEN_MINUTES:
            return Level.TEN
        return Level.CALM


def format_clock(seconds: float) -> str:
    """MM:SS, or H:MM:SS past an hour; whole seconds, rounded down."""
    seconds = int(max(0, seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def format_span(seconds: float) -> str:
    """A total of time in words a coach reads at a glance: "50 min", "3 h 05 min", "8,210 h"."""
    minutes = int(max(0, seconds)) // 60
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours:,} h" if hours >= 100 else f"{hours} h {minutes:02d} min"


class SessionTimer:
    def __init__(
        self,
        clock: Clock,
        planned_seconds: float,
        spans: tuple[PhaseSpan, ...] = (),
        *,
        elapsed: float = 0.0,
        state: TimerState = TimerState.READY,
    ):
        self.clock = clock
        self.planned = float(planned_seconds)
        self.spans = spans
        self._banked = max(0.0, float(elapsed))
        self._since: float | None = None
        self.state = TimerState.READY if state is TimerState.READY else TimerState.PAUSED
        if state is TimerState.RUNNING:
            self._run()
        elif state is TimerState.ENDED:
            self.state = TimerState.ENDED

    def _run(self) -> None:
        self._since = self.clock.monotonic()
        self.state = TimerState.RUNNING

    def _bank(self) -> None:
        if self._since is not None:
            self._banked += max(0.0, self.clock.monotonic() - self._since)
            self._since = None

    @property
    def elapsed(self) -> float:
        if self._since is None:
            return self._banked
        return self._banked + max(0.0, self.clock.monotonic() - self._since)

    def start(self) -> None:
        if self.state in (TimerState.READY, TimerState.PAUSED):
            self._run()

    def pause(self) -> None:
        if self.state is TimerState.RUNNING:
            self._bank()
            self.state = TimerState.PAUSED

    def toggle(self) -> None:
        if self.state is TimerState.RUNNING:
            self.pause()
        else:
            self.start()

    def end(self) -> None:
        self._bank()
        self.state = TimerState.ENDED

    def set_plan(self, planned_seconds: float, spans: tuple[PhaseSpan, ...]) -> None:
        self.planned = float(planned_seconds)
        self.spans = spans

    def read(self) -> TimerReading:
        elapsed = self.elapsed
        index = 0
        for i, span in enumerate(self.spans):
            index = i
            if elapsed < span.end:
                break
        current = self.spans[index] if self.spans else None
        return TimerReading(self.state, elapsed, self.planned, current, index)
