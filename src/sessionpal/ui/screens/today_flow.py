"""Today's calls on the client list: a TodayFlow the client list owns.

The calendar is read in a thread once the list is drawn (never before its first paint), again when the
clients change (a calendar name was added), when a calendar file changes on disk, and at midnight. What it
finds is the screen's `today` reactive, drawn by the strip (ui/widgets/today.py). A call is opened as long as
it is booked; one that names no client is said to be someone's in the list itself (remembered in their
client.toml); one that names two asks which.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from ...core.clients import SESSION_MINUTES_RANGE, ClientEntry
from ...core.timer import SystemClock
from ..changes import attempt
from ..widgets.today import TodayCalls

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App
    from textual.notifications import SeverityLevel

    from ...core.calendar import Call
    from ..app import SessionPalApp


class TodayHost(Protocol):
    """What the flow needs of the client list."""

    today: TodayCalls | None
    minute: datetime | None
    call_cursor: int | None
    assigning: Call | None
    entries: tuple[ClientEntry, ...]

    @property
    def pal(self) -> SessionPalApp: ...

    app: App[int]

    def run_worker(self, work: Callable[[], None], *, thread: bool, exclusive: bool, group: str) -> object: ...

    def notify(self, message: str, *, title: str = ..., severity: SeverityLevel = ..., timeout: float | None = ..., markup: bool = ...) -> None: ...

    def open_entry(self, entry: ClientEntry, minutes: int | None, news: str) -> None: ...

    def load_clients(self) -> object: ...


def calendar_zone(pal: SessionPalApp) -> tzinfo | None:
    """The zone the day's calls are shown in: this computer's (by its name, so a DST change that day is right),
    or the zone of a clock a test gave the app."""
    if isinstance(pal.clock, SystemClock):
        from ...core.calendar import local_zone

        return local_zone()
    return pal.clock.now().tzinfo


class TodayFlow:
    def __init__(self, screen: TodayHost):
        self.screen = screen
        self._seen: tuple[tuple[str, int, int], ...] | None = None  # the calendar files as last read

    @property
    def configured(self) -> bool:
        return bool(self.screen.pal.loaded_config.calendar.sources)

    def start(self) -> None:
        """Before the first paint: only whether there is a calendar (no file is looked at)."""
        if self.configured:
            now = self.screen.pal.clock.now()
            self.screen.minute = now.replace(second=0, microsecond=0)
            self.screen.today = TodayCalls(now.date(), read=False)

    def read(self) -> None:
        """Read today's calls again, in a thread (the list's clients as they are now place them)."""
        if self.configured:
            entries = list(self.screen.entries)
            self.screen.run_worker(lambda: self._read(entries), thread=True, exclusive=True, group="today")

    def _read(self, entries: list[ClientEntry]) -> None:
        from ...core.calendar import agenda, calendar_clients, day_window, sources_fingerprint

        pal = self.screen.pal
        settings = pal.loaded_config.calendar
        seen = sources_fingerprint(settings)  # before reading: a change made meanwhile is read next time
        zone = calendar_zone(pal)
        day = pal.clock.now().astimezone(zone).date() if zone is not None else pal.clock.now().date()
        start, end = day_window(day, zone)
        names = {e.slug: e.name for e in entries}
        try:
            found = agenda(settings, calendar_clients(entries), start, end, zone=zone)
        except Exception as error:  # the core reports a bad file as a problem; anything else is one line too, never a crash
            today = TodayCalls(day, (), names, (f"the calendar could not be read: {type(error).__name__}: {error}",))
        else:
            today = TodayCalls(day, found.on(day), names, tuple(str(p) for p in found.problems))
        self.screen.app.call_from_thread(self._read_done, today, seen)

    def _read_done(self, today: TodayCalls, seen: tuple[tuple[str, int, int], ...]) -> None:
        self._seen = seen
        cursor = self.screen.call_cursor
        self.screen.today = today
        if cursor is not None:  # choosing a call: the cursor stays on one that is there
            self.screen.call_cursor = min(cursor, len(today.calls) - 1) if today.calls else None

    def tick(self) -> None:
        """Once a second: the countdown's minute, and the day's calls again after midnight."""
        today = self.screen.today
        if today is None:
            return
        now = self.screen.pal.clock.now()
        self.screen.minute = now.replace(second=0, microsecond=0)
        if today.read and now.date() != today.day:
            self.read()

    def changed_on_disk(self) -> bool:
        """In a thread: whether a calendar file changed since it was read (a few stat calls)."""
        if self._seen is None or not self.configured:
            return False
        from ...core.calendar import sources_fingerprint

        return sources_fingerprint(self.screen.pal.loaded_config.calendar) != self._seen

    # choosing a call --------------------------------------------------------------------------------

    @property
    def chosen(self) -> Call | None:
        today, cursor = self.screen.today, self.screen.call_cursor
        if today is None or cursor is None or not 0 <= cursor < len(today.calls):
            return None
        return today.calls[cursor]

    def arm(self) -> bool:
        """The strip takes ↑ ↓ and Enter, its cursor on the call under way or next; False with no call to choose."""
        today = self.screen.today
        if today is None or not today.calls:
            return False
        current = today.current(self.screen.pal.clock.now())
        self.screen.call_cursor = current if current is not None else len(today.calls) - 1
        return True

    def disarm(self) -> None:
        self.screen.call_cursor = None

    def move(self, delta: int) -> None:
        today, cursor = self.screen.today, self.screen.call_cursor
        if today is not None and today.calls and cursor is not None:
            self.screen.call_cursor = max(0, min(len(today.calls) - 1, cursor + delta))

    def entry(self, slug: str) -> ClientEntry | None:
        return next((e for e in self.screen.entries if e.slug == slug and e.client is not None), None)

    def open(self, call: Call, slug: str | None = None) -> None:
        """Open the call's client (or `slug`, the one the coach said), planned as long as the call is booked when
        that is not their usual length."""
        slug = slug or call.client
        entry = self.entry(slug) if slug else None
        if entry is None or entry.client is None:
            self.screen.notify("That client's file cannot be read now; the list shows why.", title="Not opened", severity="warning", markup=False)
            return
        self.disarm()
        usual = entry.client.session_minutes or self.screen.pal.config.session_minutes
        booked = call.event.minutes
        low, high = SESSION_MINUTES_RANGE
        minutes = booked if booked != usual and low <= booked <= high else None
        news = f"Planned for {booked} minutes, as the call is booked" if minutes else ""
        self.screen.open_entry(entry, minutes, news)

    def choose(self, call: Call) -> None:
        """An event naming two clients: the coach says which, never a guess."""
        from ..dialogs.confirm import ChoiceDialog

        if self._blind("say whose call it is"):
            return
        names = self.screen.today.names if self.screen.today else {}
        choices = [(slug, f"Open {names.get(slug, slug)}") for slug in call.clients] + [("cancel", "Cancel")]

        def chosen(choice: str | None) -> None:
            if choice and choice in call.clients:
                self.open(call, choice)

        title = visible_title(call)
        self.screen.app.push_screen(
            ChoiceDialog(f"The {call.event.start:%H:%M} call, “{title}”, names {len(call.clients)} clients. Whose is it?", choices), chosen
        )

    def start_assigning(self, call: Call) -> None:
        """A call naming no client: the list picks whose it is (typing filters it as ever; Enter says so)."""
        from ...core.calendar import calendar_name_for

        if self._blind("say whose call it is"):
            return
        if not calendar_name_for(call.event).strip():
            self.screen.notify("This call has no title or place to remember it by: give it a title in your calendar.", title="Not assigned", markup=False)
            return
        self.disarm()
        self.screen.assigning = call

    def assign(self, entry: ClientEntry) -> None:
        """The call being assigned is `entry`'s: its title becomes one of their calendar names (client.toml)."""
        from ...core.calendar import calendar_name_for
        from ...core.clients import add_calendar_name

        call = self.screen.assigning
        if call is None or entry.client is None:
            return
        name = calendar_name_for(call.event)
        home = self.screen.pal.home
        self.screen.assigning = None
        if attempt(self.screen.app, "Calendar name not saved", lambda: add_calendar_name(home, entry.slug, name)):
            self.screen.notify(
                f"“{visible_title(call)}” is {entry.name}'s from now on (calendar_names in their client.toml).", title="Call assigned", markup=False
            )
            self.screen.load_clients()  # the clients again, then the calendar placed with the new name

    def _blind(self, what: str) -> bool:
        if self.screen.pal.private:
            key = self.screen.pal.key_for("private", "f9")
            self.screen.notify(f"Lift the blind ({key}) to {what}: it shows the clients' names.", title="Private", markup=False)
            return True
        return False


def visible_title(call: Call) -> str:
    from ...core.safe_text import glimpse, visible

    return visible(glimpse(call.event.summary or call.event.location or "untitled", 60))
