"""Opening a client: who may write, which session to show, with which model and length.

The policy lives here, not in the UI: `open_client` takes the client's lock (or
finds who holds it), cleans what a killed write left, and finds a session left
unfinished. The returned ClientOpening says what the coach must decide (resume
or not) and builds the LiveSession for each answer; the UI only asks and shows.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from . import fsio
from .live import LiveSession, close_unfinished, unsaved_gap
from .lock import Locked, SessionLock, acquire
from .model import Client
from .paths import Home
from .saving import SaveFailed, saving
from .session_models import ModelLibrary, SessionModel
from .sessionfile import SessionDocument
from .sessions import clean_leftovers, find_unfinished
from .timer import Clock


class Defaults(Struct, frozen=True):
    """config.toml's choices, for a client who has none of their own."""

    model: str
    session_minutes: int


class ClientOpening(Struct):
    home: Home
    client: Client
    clock: Clock
    models: ModelLibrary
    defaults: Defaults
    lock: SessionLock | None  # None: another sessionpal holds the client, and this one only looks
    read_only: str  # why this one only looks ("" when it holds the lock)
    unfinished: SessionDocument | None  # a session left running or paused (the holder's, when read-only)
    planned: int | None = None  # minutes a new session is planned for, when not the client's usual (a call booked longer)

    @property
    def gap(self) -> float:
        """Seconds the timer did not count since the unfinished session was last saved while running."""
        return unsaved_gap(self.unfinished, self.clock.now()) if self.unfinished is not None else 0.0

    @property
    def asks(self) -> bool:
        """The coach must say whether to resume the unfinished session or start another."""
        return self.unfinished is not None and not self.read_only

    def _model(self, document: SessionDocument | None) -> SessionModel:
        return self.models.get((document.info.model if document else None) or self.client.model or self.defaults.model)

    def session(self, document: SessionDocument | None = None) -> LiveSession:
        """The live session for `document` (None: a new session, its file made with the first note)."""
        usual = self.planned or self.client.session_minutes or self.defaults.session_minutes
        minutes = document.info.planned_minutes if document is not None else usual
        return LiveSession(self.home, self.client, self.clock, self._model(document), minutes, document=document, read_only=self.read_only)

    def resume(self) -> LiveSession:
        """Carry on with the unfinished session (or, read-only, follow the holder's)."""
        return self.session(self.unfinished)

    def start_fresh(self) -> LiveSession:
        """Mark the unfinished session ended as it stands, and start a new one. SaveFailed if it cannot be closed."""
        if self.unfinished is not None:
            try:
                with saving("the unfinished session"):
                    close_unfinished(self.unfinished, self.clock.now())
            except SaveFailed:
                self.cancel()
                raise
        return self.session(None)

    def cancel(self) -> None:
        """The coach went back: give the client's lock back."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def open_client(
    home: Home, client: Client, clock: Clock, models: ModelLibrary, defaults: Defaults, now: datetime | None = None, *, planned: int | None = None
) -> ClientOpening:
    """Take the client's lock and see what is there. SaveFailed when the lock cannot even be written. `planned`: the
    minutes a new session is planned for, when not the client's usual ones (the calendar booked the call longer)."""
    try:
        lock: SessionLock | None = acquire(home, client.slug, now or clock.now())
        read_only = ""
    except Locked as held:
        lock, read_only = None, held.holder.describe()
    except fsio.WriteError as error:
        raise SaveFailed(f"{error.reason}; the session could not be opened for writing") from None
    if lock is not None:
        clean_leftovers(home, client.slug)  # a write a crash cut short left its temp file
    return ClientOpening(home, client, clock, models, defaults, lock, read_only, find_unfinished(home, client.slug), planned)
