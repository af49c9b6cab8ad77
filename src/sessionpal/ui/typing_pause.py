"""While the coach types, nothing else may cost a keystroke its frame.

Two things did (measured around bench/run.py's deck filter, 168 keys over 5,000 questions):

- Python's garbage collector: a full collection walks every object the app holds (the deck, a long session's
  notes, the lines the screen keeps drawn) and took 14 to 60 ms; one that falls on a keystroke is that
  keystroke's lag. So the first key of a burst holds automatic collection; the young objects are collected
  as the collector itself would, by the same counts, but after a key's frame is drawn rather than in the
  middle of the key (kept small, a collection of them takes well under a millisecond; left for seconds, one
  took 20 to 30 ms: bench/scale.py's note save); and the first pause (QUIET seconds without a key) runs a
  whole collection, when nobody waits for a frame, and lets the collector go on.
- The session clock's redraw each second: Textual draws a frame that follows an idle moment, then waits one
  to two frame periods (17 to 33 ms) before it draws the next, so a key typed just after the clock's frame
  waited up to 33 ms. While the coach types, such redraws are asked for with `later`: they are drawn with the
  next key's frame, or LATE_AT_MOST seconds on if no key comes.

Leaving the app lets the collector go (tests run many apps in one process).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from textual.message_pump import MessagePump

from ..core.timer import Clock

QUIET = 0.4  # seconds without a key: the coach has paused
TYPING = 0.3  # seconds since the last key during which the coach is typing, for `later`
LATE_AT_MOST = 0.15  # seconds a redraw waits for a key's frame (the clock is read every half second already)


class Typing:
    def __init__(self, timers: MessagePump, clock: Clock) -> None:
        self.timers = timers
        self.clock = clock  # the session's clock says whether a key is recent, as it says how long the session ran
        self.held_since: float | None = None
        self.last_key = 0.0  # time.monotonic(), for the collector
        self.last_key_on_clock = float("-inf")
        self._young_due = False  # a collection of the young objects is asked for after the next frame
        self._later: list[Callable[[], None]] = []

    @property
    def holding(self) -> bool:
        return self.held_since is not None

    @property
    def active(self) -> bool:
        return 0 <= self.clock.monotonic() - self.last_key_on_clock < TYPING

    def key(self) -> None:
        """A key, before the screen has it: what waited for a frame goes into this key's."""
        now = time.monotonic()
        self.last_key = now
        self.last_key_on_clock = self.clock.monotonic()
        self._draw_late()
        if self.held_since is None:
            if not gc.isenabled():
                return  # held by someone else (start-up holds it until the first frame): theirs to let go
            gc.disable()
            self.held_since = now
            self.timers.set_timer(QUIET, self._look)
        if not self._young_due:
            self._young_due = True
            self.timers.call_after_refresh(self._collect_young)

    def _collect_young(self) -> None:
        """After a key's frame: the young generations, when the collector would have collected them."""
        self._young_due = False
        if self.held_since is None:
            return
        young, middle, _ = gc.get_count()
        young_at, middle_at, _ = gc.get_threshold()
        if middle >= middle_at:
            gc.collect(1)
        elif young >= young_at:
            gc.collect(0)

    def later(self, draw: Callable[[], None]) -> None:
        """`draw` now, or, while the coach types, with the next key's frame (at most LATE_AT_MOST from now)."""
        if not self.active:
            draw()
            return
        if draw not in self._later:
            self._later.append(draw)
            if len(self._later) == 1:
                self.timers.set_timer(LATE_AT_MOST, self._draw_late)

    def _draw_late(self) -> None:
        waiting, self._later = self._later, []
        for draw in waiting:
            draw()

    def _look(self) -> None:
        if self.held_since is None:
            return
        quiet_for = time.monotonic() - self.last_key
        if quiet_for >= QUIET:
            self.release(collect=True)
        else:
            self.timers.set_timer(QUIET - quiet_for, self._look)

    def stop(self) -> None:
        """The app is leaving: nothing more is drawn, and the collector goes on."""
        self._later.clear()
        self.release()

    def release(self, collect: bool = False) -> None:
        if self.held_since is None:
            return
        self.held_since = None
        gc.enable()
        if collect:
            gc.collect()
