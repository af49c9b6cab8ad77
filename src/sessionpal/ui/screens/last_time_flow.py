"""The "last time" card on the session screen: a LastTimeFlow the screen owns.

The previous session's date, open actions and last notes come from its file; the open actions of every
earlier session come from the search index, read in a worker (a first build on a large practice never
holds up the screen). The flow also counts the client's earlier sessions, for "session 5 of 12", and, with a
calendar, finds the client's next call in it (another worker): the engagement's "next session" is that call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from msgspec.structs import replace

from ...core.engagement import Standing, session_days, standing
from ...core.history import LastTime, last_time
from ...core.paths import session_paths
from ...core.sessions import file_fingerprint
from ..widgets.last_time import LastTimeView
from .host import SessionHost

if TYPE_CHECKING:
    from ...core.index_types import OpenAction


class LastTimeHost(SessionHost, Protocol):
    last_card: LastTimeView | None

    def run_worker(self, work: Callable[[], None], *, thread: bool, exclusive: bool, group: str) -> object: ...


class LastTimeFlow:
    def __init__(self, screen: LastTimeHost):
        self.screen = screen
        self.held_before = 0  # the client's session files other than this one (for "session 5 of 12")
        self._seen: tuple[int, int, int] | None = None  # the card's file, as it was read
        self.next_call: datetime | None = None  # the client's next call in the calendar, once read

    @property
    def last(self) -> LastTime | None:
        """The previous session, as the card shows it (the card's value is the one copy)."""
        card = self.screen.last_card
        return card.last if card else None

    def standing(self) -> Standing | None:
        """Where this session stands in the client's engagement ("session 5 of 12"); None without one."""
        return standing(self.screen.live.client.engagement, self.held_before, current_has_file=False)

    def show(self) -> None:
        """The card from the previous session's file as it is now (open actions follow from the index)."""
        live, pal = self.screen.live, self.screen.pal
        before = [p for p in session_paths(pal.home, live.client.slug) if p != live.path]  # listed once, for both
        last = last_time(pal.home, live.client.slug, paths=before)
        engagement = live.client.engagement
        # "session 5 of 12" counts the sessions of this engagement only: those from its start on.
        self.held_before = len([d for d in session_days([p.name for p in before]) if engagement is None or engagement.counts(d)])
        self._seen = file_fingerprint(last.path) if last else None
        self.screen.last_card = LastTimeView(live.client, last, today=pal.clock.now().date(), standing=self.standing(), next_call=self.next_call)

    def changed_outside(self) -> bool:
        """One stat: the previous session's file edited by hand (an action ticked in an editor)."""
        last = self.last
        return last is not None and file_fingerprint(last.path) != self._seen

    def load_open_actions(self) -> None:
        self.screen.run_worker(self._read_open_actions, thread=True, exclusive=True, group="open-actions")
        if self.screen.pal.loaded_config.calendar.sources:
            self.screen.run_worker(self._read_next_call, thread=True, exclusive=True, group="next-call")

    def _read_next_call(self) -> None:
        # The calendar module and the libraries it reads with are imported here, in the worker: never for the
        # first frame. The call this session is for (under way, or about to start) is not the next one.
        from ...core.calendar import next_session_call
        from .today_flow import calendar_zone

        live, pal = self.screen.live, self.screen.pal
        length = timedelta(seconds=live.timer.read().planned)
        try:
            call = next_session_call(pal.loaded_config.calendar, pal.home, live.client.slug, pal.clock.now(), length, zone=calendar_zone(pal))
        except Exception:  # the card keeps the engagement's own date; the client list's strip says what is wrong
            return
        if call is not None:
            self.screen.app.call_from_thread(self._next_call_read, call.event.start)

    def _next_call_read(self, start: datetime) -> None:
        self.next_call = start
        card = self.screen.last_card
        if card is not None:
            self.screen.last_card = replace(card, next_call=start)

    def reread(self) -> None:
        """A past session changed (in the review, or in an editor): the card and its open actions again."""
        self.show()
        self.load_open_actions()

    def _read_open_actions(self) -> None:
        # Open actions from every earlier session, through the search index (built here if need be). The index
        # (and SQLite) is imported here, in the worker: the card's first frame is drawn from the last file alone.
        from ...core.index import IndexUnavailable, SearchIndex

        live, pal = self.screen.live, self.screen.pal
        index = SearchIndex(pal.home)
        try:
            slug = live.client.slug
            index.refresh(names={slug: live.client.name}, client=slug)
            actions = [a for a in index.open_actions(slug) if a.path != live.path]
            # Which of them keep coming back ("carried over 3 times"): from the same index, every session's actions,
            # as part of the client's whole patterns, which the patterns view (ctrl+k) then opens on at once.
            from ...core.patterns import patterns_of

            patterns = patterns_of(live.client, index.client_stories(slug), pal.clock.now().date(), pal.config.stalled_after, current=live.path)
        except IndexUnavailable:
            return  # the card keeps the previous session's open actions
        pal.patterns_read[slug] = patterns  # a dict item set: atomic, safe from this thread
        counts = tuple((c.path, c.text, c.times) for c in patterns.carried if c.path is not None)
        self.screen.app.call_from_thread(self._open_actions_read, actions, counts)

    def _open_actions_read(self, actions: list[OpenAction], carried: tuple[tuple[Path, str, int], ...] = ()) -> None:
        live = self.screen.live
        self.screen.last_card = LastTimeView(
            live.client, self.last, tuple(actions), self.screen.pal.clock.now().date(), self.standing(), next_call=self.next_call, carried=carried
        )
