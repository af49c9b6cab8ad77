"""The session's header row (whose session, how long, which model, where it stands) and the session agreement.

Each shows what the session screen's reactives hold, bound in with `data_bind`: a watcher draws it, and only
when what it shows has changed (a reactive compares the new value with the old)."""

from __future__ import annotations

from msgspec import Struct
from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from ...core.engagement import Standing
from ...core.live import LiveSession
from ...core.timer import TimerState

# The timer's state in the header's words.
STATE_WORDS = {TimerState.READY: "not started", TimerState.RUNNING: "in session", TimerState.PAUSED: "paused", TimerState.ENDED: "ended"}


class HeaderFacts(Struct, frozen=True):
    """What the header says: the client (or "Private"), the planned minutes, the model, the timer's state in
    words, and where the engagement stands ("session 5 of 12"; "" when there is none)."""

    name: str
    minutes: int
    model: str
    state: str
    where: str = ""

    @classmethod
    def of_session(cls, live: LiveSession, private: bool, where: Standing | None) -> HeaderFacts:
        words = STATE_WORDS[live.timer.state] if not live.read_only else "read-only: open in another sessionpal"
        return cls("Private" if private else live.client.name, live.planned_minutes, live.model.title, words, where.label() if where else "")


class SessionHeader(Static):
    DEFAULT_CSS = """
    SessionHeader {
        width: auto;
        height: 1;
        padding: 0 1;
    }
    """

    facts: var[HeaderFacts | None] = var(None)

    def watch_facts(self, facts: HeaderFacts | None) -> None:
        if facts is None:
            return
        self.update(
            Content.from_markup(
                "[b]$name[/b]  [$text-muted]$minutes min · $model · $state$where[/]",
                name=facts.name,
                minutes=str(facts.minutes),
                model=facts.model,
                state=facts.state,
                where=f" · {facts.where}" if facts.where else "",
            )
        )


class AgreementLine(Static):
    """What the client wants from this session, when the coach has written it (`=` in the note line)."""

    DEFAULT_CSS = """
    AgreementLine {
        display: none;
        height: auto;
        padding: 0 1;
    }
    AgreementLine.-visible {
        display: block;
    }
    """

    agreement: var[str] = var("")

    def watch_agreement(self, agreement: str) -> None:
        self.set_class(bool(agreement), "-visible")
        self.update(Content.from_markup("[$text-muted]Agreement:[/] $agreement", agreement=agreement) if agreement else Content(""))
