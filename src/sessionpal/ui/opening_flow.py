"""Opening a client, the app's one way: by the name given (`--client`), as a new client, or from the list.

The core decides what there is (`core.opening.open_client`: the lock, read-only, an unfinished session, the
model and length); this flow tells the coach what needs telling and asks only when there is a choice (resume
the unfinished session, or start another), then shows the session screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.clients import ClientEntry, ClientNotFound, create_client, find_client
from ..core.live import LiveSession
from ..core.model import Client
from ..core.opening import ClientOpening, Defaults, open_client
from ..core.saving import SaveFailed
from .changes import attempt

if TYPE_CHECKING:
    from .app import SessionPalApp


class ClientOpener:
    def __init__(self, app: SessionPalApp):
        self.app = app

    def named(self, name: str) -> None:
        """The client the coach named (`--client`): opened, or the near names offered, or a new client made."""
        from .dialogs.confirm import ChoiceDialog

        try:
            self.open(find_client(self.app.home, name))
            return
        except ClientNotFound as missing:
            suggestions = missing.suggestions
        if not suggestions:
            self.create(name, None, self.app.coded)
            return
        choices = [(f"open:{s}", f"Open {s}") for s in suggestions[:3]] + [("create", f"Create a new client “{name}”"), ("cancel", "Cancel")]

        def chosen(choice: str | None) -> None:
            if choice == "create":
                self.create(name, None, self.app.coded)
            elif choice and choice.startswith("open:"):
                self.open(find_client(self.app.home, choice[5:]))

        self.app.push_screen(ChoiceDialog(f"No client is called “{name}”.", choices), chosen)

    def create(self, name: str, minutes: int | None, coded: bool = False) -> None:
        """A new client, then their first session."""
        made: list[Client] = []
        if attempt(self.app, "Client not created", lambda: made.append(create_client(self.app.home, name, minutes, self.app.clock.now().date(), coded=coded))):
            client = made[0]
            self.app.records.autocommit([client.path], f"New client {client.slug}")
            self.open(ClientEntry.of(client), news="New client")

    def open(self, entry: ClientEntry, news: str = "", *, minutes: int | None = None) -> None:
        """Open a client's session: the core decides what there is; the coach answers if there is a choice.
        `minutes`: a new session's planned length, when not the client's usual one (today's call is booked longer)."""
        from .dialogs.resume import ResumeDialog

        if entry.client is None:
            self.app.notify(
                "\n".join(str(p) for p in entry.problems), title=f"{entry.slug}: client.toml cannot be read", severity="error", timeout=15, markup=False
            )
            return
        defaults = Defaults(self.app.config.model, self.app.config.session_minutes)
        try:
            opening = open_client(self.app.home, entry.client, self.app.clock, self.app.model_library(), defaults, planned=minutes)
        except SaveFailed as error:
            self.app.notify(str(error), title="Client not opened", severity="error", markup=False)
            return
        if opening.lock is not None and opening.lock.taken_over:
            self.app.notify(opening.lock.taken_over.capitalize() + ".", title="Lock taken over", severity="warning", timeout=15, markup=False)
        if opening.read_only:
            self.app.notify(f"Read-only here: {opening.read_only}. Notes can be taken there.", title="Read-only", severity="warning", timeout=15, markup=False)
            self._show(opening, opening.resume())
        elif not opening.asks:
            self._show(opening, opening.session(), news)
        else:
            gap = opening.gap

            def chosen(choice: str | None) -> None:
                if choice in ("resume", "resume-gap"):
                    live = opening.resume()
                    self._show(opening, live)
                    if choice == "resume-gap":
                        attempt(self.app.screen, "Timer not saved", lambda: live.add_time(gap))
                elif choice == "new":
                    fresh: list[LiveSession] = []
                    if attempt(self.app, "Could not close the unfinished session", lambda: fresh.append(opening.start_fresh())):
                        self._show(opening, fresh[0])
                else:
                    opening.cancel()

            assert opening.unfinished is not None
            self.app.push_screen(ResumeDialog(opening.unfinished, gap), chosen)

    def _show(self, opening: ClientOpening, live: LiveSession, news: str = "") -> None:
        from .screens.session import SessionScreen

        self.app.push_screen(SessionScreen(live, opening.lock, news=news))
