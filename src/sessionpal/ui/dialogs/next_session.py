"""The next session, from the end of this one: a date and time (the client's next call in the calendar if it has
one, else typed), written as an invite beside the recap and into the calendar folder marked writable.

NextSession (what the summary is given) holds what the invite needs and does the work through the core
(core/invite.py, every write through fsio); NextSessionDialog only asks.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from msgspec import Struct
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.widgets import Button, Input, Label, Static

from ...core.clients import SESSION_MINUTES_RANGE
from ...core.config import CalendarSettings
from ...core.invite import Invite, make_invite, uses_code, write_next_session
from ...core.model import Client
from ...core.paths import Home
from ...core.timer import Clock
from ..widgets.ordered_input import OrderedInput
from ..widgets.tickbox import TickBox
from .text import _Form


class Planned(Struct, frozen=True):
    """What the coach set: when, how long, and whether the title says the code."""

    start: datetime
    minutes: int
    code: bool


class NextSession(Struct):
    """The next session of `client`, after the session in `session` (its file)."""

    home: Home
    client: Client
    session: Path
    calendar: CalendarSettings
    clock: Clock
    zone: tzinfo | None  # the zone times are typed and shown in (None: this computer's)
    minutes: int  # the client's usual length
    invite: Invite | None = None  # the one written, once it is
    in_calendar: datetime | None = None  # the client's next call as the calendar has it, once looked for

    def from_calendar(self) -> tuple[datetime, int] | None:
        """The client's next call in the calendar (start, minutes), or None. Blocking: the dialog calls it in a thread."""
        if not self.calendar.sources:
            return None
        from ...core.calendar import next_session_call

        call = next_session_call(self.calendar, self.home, self.client.slug, self.clock.now(), timedelta(minutes=self.minutes), zone=self.zone)
        if call is None:
            return None
        self.in_calendar = call.event.start
        return call.event.start, call.event.minutes

    def already_in_calendar(self, planned: Planned) -> bool:
        """The time set is the call the calendar has: the invite is for the client, not added to the calendar twice."""
        return self.in_calendar is not None and planned.start == self.in_calendar

    def write(self, planned: Planned) -> tuple[Path, Path | None]:
        """The invite beside the session (and in the writable calendar folder, if one is set). SaveFailed if not."""
        invite = make_invite(self.client, planned.start, planned.minutes, code=planned.code)
        written = write_next_session(invite, self.session, self.calendar, self.clock.now(), add=not self.already_in_calendar(planned))
        self.invite = invite
        return written


def parse_moment(text: str, zone: tzinfo | None) -> datetime | str:
    """A typed date and time ("2026-12-08 10:00"), aware in `zone`; or why it cannot be one."""
    from ...core.dates import WINDOW, sane_moment

    cleaned = " ".join(text.split()).replace("T", " ", 1)
    if " " not in cleaned:
        return "The date and the time, like 2026-12-08 10:00."
    try:
        moment = datetime.strptime(cleaned, "%Y-%m-%d %H:%M")
    except ValueError:
        return f"“{text.strip()}” is not a date and time like 2026-12-08 10:00."
    if not sane_moment(moment):
        return f"The next session is {WINDOW}."
    return moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()


class NextSessionDialog(_Form):
    """When the next session is: returns Planned, or None when cancelled."""

    DEFAULT_CSS = """
    NextSessionDialog #next-found { color: $text-muted; height: auto; }
    """

    said: var[str] = var("", init=False)  # what the calendar said about the next call, once it is read

    def __init__(self, plan: NextSession, *, private: bool = False):
        super().__init__()
        self.plan = plan
        self.private = private
        self._typed = False  # the coach typed a time: the calendar's, arriving later, does not replace it

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(classes="dialog"):
            title = Content("The next session") if self.private else Content.from_markup("The next session with [b]$name[/b]", name=plan.client.name)
            yield Static(title, classes="dialog-title")
            yield Label("When (YYYY-MM-DD HH:MM), and how many minutes")
            with Horizontal(classes="form-row"):
                yield OrderedInput(id="next-when", max_length=16, placeholder="2026-12-08 10:00")
                yield OrderedInput(str(plan.minutes), id="next-minutes", max_length=3)
            found = "Looking in your calendar…" if plan.calendar.sources else "No calendar is set: type when."
            yield Static(found, id="next-found")
            # Behind the blind the label says which, never the name itself.
            code_label = "Title it with the client's code, not their name"
            yield TickBox(code_label, uses_code(plan.client), id="next-code")
            yield Static(Content(self._where()), id="next-where")
            yield from self.buttons("Write the invite")

    def _where(self) -> str:
        folder = self.plan.calendar.writable
        if folder is None:
            return "Written beside the recap (no calendar folder is marked writable)."
        return f"Written beside the recap, and into {folder.path} unless that call is there already."

    def on_mount(self) -> None:
        self.query_one("#next-when", Input).focus()
        if self.plan.calendar.sources:
            self._find()

    @work(thread=True, exclusive=True, group="next-call", exit_on_error=False)
    def _find(self) -> None:
        try:
            found = self.plan.from_calendar()
        except Exception:  # a calendar that cannot be read leaves the time to be typed; the list's strip says why
            found = None
        self.app.call_from_thread(self._found, found)

    def _found(self, found: tuple[datetime, int] | None) -> None:
        if not self.is_attached:
            return
        if found is None:
            self.said = "Not in your calendar in the next three months: type when."
            return
        start, minutes = found
        if self._typed:
            self.said = f"Your calendar has {start:%a %d %b} at {start:%H:%M}; the time you typed is kept."
            return
        when = self.query_one("#next-when", Input)
        with when.prevent(Input.Changed):
            when.value = f"{start:%Y-%m-%d %H:%M}"
        low, high = SESSION_MINUTES_RANGE
        if low <= minutes <= high:
            self.query_one("#next-minutes", Input).value = str(minutes)
        self.said = f"From your calendar: {start:%A %d %B} at {start:%H:%M}, {minutes} minutes."

    def watch_said(self, said: str) -> None:
        self.query_one("#next-found", Static).update(Content(said))

    @on(Input.Changed, "#next-when")
    def _when_typed(self) -> None:
        self._typed = True

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        moment = parse_moment(self.query_one("#next-when", Input).value, self.plan.zone)
        if isinstance(moment, str):
            self._error(moment)
            return
        if moment < self.plan.clock.now() - timedelta(minutes=1):
            self._error(f"{moment:%Y-%m-%d %H:%M} has passed: the next session is later than now.")
            return
        low, high = SESSION_MINUTES_RANGE
        text = self.query_one("#next-minutes", Input).value.strip()
        if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
            self._error(f"How long: {low} to {high} minutes.")
            return
        self.dismiss(Planned(moment, int(text), self.query_one("#next-code", TickBox).value))


__all__ = ["NextSession", "NextSessionDialog", "Planned", "parse_moment"]
