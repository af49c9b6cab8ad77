"""Small dialogs: a line of text, a rating, the client's areas, the engagement, a past session."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static, TextArea

from ...core.dates import FIRST_YEAR, LAST_YEAR, day_written, sane_day
from ...core.model import Engagement
from ...core.stalled import sparkline
from ..widgets.form_error import FormError
from ..widgets.ordered_input import OrderedInput
from ..widgets.tickbox import TickBox
from .form_keys import FORM_KEYS


class _Form(ModalScreen[Any]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="close", tooltip="Close without changing anything"), *FORM_KEYS]

    def _error(self, message: str) -> None:
        self.query_one(FormError).message = message

    def buttons(self, ok: str) -> ComposeResult:
        yield FormError(id="form-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button(ok, variant="primary", id="ok")
            yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(_Form):
    """One line of text; returns it (stripped), or None. Blank is refused unless allow_blank."""

    def __init__(
        self,
        title: str | Content,
        label: str,
        value: str = "",
        *,
        placeholder: str = "",
        suggestions: tuple[str, ...] = (),
        allow_blank: bool = False,
        ok: str = "Save",
    ):
        super().__init__()
        self.title_text = title
        self.label = label
        self.value = value
        self.placeholder = placeholder
        self.suggestions = suggestions
        self.allow_blank = allow_blank
        self.ok = ok

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Label(self.label, markup=False)
            suggester = SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
            # Selected on focus: what is typed replaces the suggested words (a day, a title), never joins them
            # ("FridayThursday"); End or an arrow keeps them to add to.
            yield OrderedInput(self.value, placeholder=self.placeholder, id="text", suggester=suggester, max_length=300)
            yield from self.buttons(self.ok)

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted, "#text")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = " ".join(self.query_one("#text", Input).value.split())
        if not text and not self.allow_blank:
            self._error("Please type something, or Esc to cancel.")
            return
        self.dismiss(text)


class RateDialog(_Form):
    """Progress on a goal this session, 1 to 10, with the trend so far."""

    def __init__(self, title: str, trend: list[int], current: int | None):
        super().__init__()
        self.title_text = title
        self.trend = trend
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Progress on [b]$title[/b] this session", title=self.title_text), classes="dialog-title")
            if self.trend:
                yield Static(
                    Content.from_markup(
                        "[$text-muted]Earlier sessions:[/] $spark  [$text-muted]($numbers)[/]",
                        spark=sparkline(self.trend),
                        numbers=", ".join(map(str, self.trend[-8:])),
                    ),
                    classes="dialog-detail",
                )
            yield Label("1 (no progress) to 10 (done, or as good as it gets), in the client's own estimate")
            yield OrderedInput(str(self.current or ""), placeholder="1-10", id="rating", type="integer", max_length=2)
            yield from self.buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#rating", Input).focus()

    @on(Input.Submitted, "#rating")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#rating", Input).value.strip()
        if not text.isdigit() or not 1 <= int(text) <= 10:
            self._error("A rating is a whole number from 1 to 10.")
            return
        self.dismiss(int(text))


class AreasDialog(_Form):
    """Areas the client agreed to be coached on, and areas to ask about first (comma-separated)."""

    def __init__(self, name: str, agreed: tuple[str, ...], ask_first: tuple[str, ...]):
        super().__init__()
        self.client_name = name
        self.agreed = agreed
        self.ask_first = ask_first

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("Areas [b]$name[/b] has agreed to, and areas to ask about first", name=self.client_name), classes="dialog-title")
            yield Label("Agreed to be coached on (comma-separated), e.g. career, health")
            yield OrderedInput(", ".join(self.agreed), id="agreed")
            yield Label("Ask permission first, e.g. family, money. A note or goal tagged #family then brings a reminder")
            yield OrderedInput(", ".join(self.ask_first), id="ask-first")
            yield from self.buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#agreed", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        def split(widget_id: str) -> list[str]:
            return [a.strip() for a in self.query_one(widget_id, Input).value.split(",") if a.strip()]

        self.dismiss((split("#agreed"), split("#ask-first")))


class EngagementDialog(_Form):
    """The engagement: sessions agreed, when it ends, the next session's date; each may stay empty.

    Returns an Engagement (all empty: none), or None when cancelled."""

    def __init__(self, name: str, engagement: Engagement | None, today: date | None = None):
        super().__init__()
        self.client_name = name
        self.engagement = engagement or Engagement()
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        current = self.engagement
        with Vertical(classes="dialog"):
            yield Static(Content.from_markup("The engagement with [b]$name[/b]", name=self.client_name), classes="dialog-title")
            yield Label("Sessions agreed (empty: no number), e.g. 12")
            yield OrderedInput(str(current.sessions or ""), id="engagement-sessions", max_length=3)
            yield Label("It ends on (YYYY-MM-DD, or empty)")
            yield OrderedInput(current.ends.isoformat() if current.ends else "", id="engagement-ends", max_length=10)
            yield Label("Next session on (YYYY-MM-DD, or empty): shown on the last-time card")
            yield OrderedInput(current.next_session.isoformat() if current.next_session else "", id="engagement-next", max_length=10)
            yield Label('It started on (YYYY-MM-DD): sessions before it are not counted in "session 1 of 12"')
            yield OrderedInput((current.started or self.today).isoformat(), id="engagement-started", max_length=10)
            yield from self.buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#engagement-sessions", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        sessions_text = self.query_one("#engagement-sessions", Input).value.strip()
        if sessions_text and not (sessions_text.isascii() and sessions_text.isdigit() and 1 <= int(sessions_text) <= 500):
            self._error("Sessions agreed: a number from 1 to 500, or empty.")
            return
        days: list[date | None] = []
        for widget_id, what in (("#engagement-ends", "The end"), ("#engagement-next", "The next session"), ("#engagement-started", "The start")):
            text = self.query_one(widget_id, Input).value.strip()
            day = day_written(text) if text else None
            if text and day is None:
                self._error(f"{what}: a date like 2026-12-04 (from {FIRST_YEAR} to {LAST_YEAR}), or empty.")
                return
            days.append(day)
        self.dismiss(Engagement(int(sessions_text) if sessions_text else None, days[0], days[1], days[2]))


class PastSessionDialog(_Form):
    """A session written up after the fact: its day, its length, paid or pro bono, and its notes (one a line,
    with the note line's prefixes). Returns (day, minutes, pro_bono, notes), or None when cancelled."""

    def __init__(self, name: str, minutes: int, today: date):
        super().__init__()
        self.client_name = name
        self.minutes = minutes
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Content.from_markup("A past session with [b]$name[/b]", name=self.client_name), classes="dialog-title")
            yield Label("Its day (YYYY-MM-DD) and how long it lasted (minutes)")
            with Horizontal(classes="form-row"):
                yield OrderedInput(self.today.isoformat(), id="day", max_length=10)
                yield OrderedInput(str(self.minutes), id="minutes", max_length=4)  # selected on focus: typing replaces it
            yield TickBox("Pro bono", id="pro-bono")
            yield Static('Notes, one a line, as in the note line: ! action  " their words  * insight  ? question  + for them  = agreement')  # wraps
            yield TextArea(id="past-notes", soft_wrap=True)
            yield from self.buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#day", Input).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        day_text = self.query_one("#day", Input).value.strip()
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            self._error("The day: a date like 2026-11-23.")
            return
        if day > self.today:
            self._error("A past session: the day is today or before.")
            return
        if not sane_day(day):
            self._error(f"A past session: the day is in {FIRST_YEAR} or after.")
            return
        minutes = self.query_one("#minutes", Input).value.strip()
        if not (minutes.isascii() and minutes.isdigit() and 1 <= int(minutes) <= 24 * 60):
            self._error("How long: minutes, from 1 to 1440.")
            return
        notes = [line for line in self.query_one("#past-notes", TextArea).text.splitlines() if line.strip()]
        self.dismiss((day, int(minutes), self.query_one("#pro-bono", TickBox).value, notes))
