"""What the session screen does on its own while the coach talks: the timer's tick (its bell at a phase's
turn, its save every few seconds), saving notes that had to wait, looking for the session file or client.toml
changed by another program, and reading packs and past sessions off the UI thread once the screen is painted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core.fsio import WriteError
from ...core.history import ClientHistory, client_history
from ...core.lock import is_free
from ...core.packs import PackLibrary, load_library
from ...core.saving import SaveFailed
from ...core.timer import Level, TimerState

if TYPE_CHECKING:
    from .session import SessionScreen

TICK = 0.5  # seconds between timer readings; the display changes only when a second turns over
RETRY_EVERY = 5.0
CHECK_FILES_EVERY = 2.0  # seconds between looks at the session file and client.toml for outside changes


class SessionUpkeep:
    def __init__(self, screen: SessionScreen):
        self.screen = screen
        self._level: Level | None = None  # the timer's level at the last tick, for the bell at a change
        self._timer_error = ""  # the timer's save failed with this: said once, not every tick
        self._told_free = False  # read-only here: the coach was told the holder let go

    def start(self) -> None:
        screen = self.screen
        screen.follow(screen.pal.packs_signal, lambda _: self._packs_changed())
        screen.follow(screen.pal.past_sessions_signal, lambda _: screen.last_time.reread())
        screen.set_interval(TICK, self.tick)
        screen.set_interval(RETRY_EVERY, screen.note_flow.retry_pending)
        screen.set_interval(CHECK_FILES_EVERY, self.check_files)
        # Reading packs and past sessions starts once the screen is painted: threads share the
        # interpreter with the first paint, and the coach wants the note line before the deck.
        screen.call_after_refresh(self.load_deck)
        screen.call_after_refresh(screen.last_time.load_open_actions)

    def stop(self) -> None:
        """The screen is going: this app's hold on the client is let go."""
        if self.screen.client_lock is not None:
            try:
                self.screen.client_lock.release()
            except WriteError:
                pass  # a lock left behind is taken over at the next start (its process is gone)

    def _packs_changed(self) -> None:
        """Packs or models were reloaded: the deck again (keeping the current question), and the phases."""
        self.screen.deck_flow.packs_changed()
        self.screen.client_flow.models_changed()

    def tick(self) -> None:
        screen = self.screen
        reading = screen.live.timer.read()
        screen.pal.typing.later(self._draw_timer)
        level = reading.level if reading.state is TimerState.RUNNING else None
        if level is not None and self._level is not None and level != self._level and screen.pal.config.bell:
            screen.app.bell()
        if level is not None:
            self._level = level
        try:
            screen.live.save_timer(if_due=True)
            self._timer_error = ""
        except SaveFailed as error:
            if not self._timer_error:
                screen.notify(f"{error}. The timer keeps running and saving is retried.", title="Timer not saved", severity="warning", markup=False)
            self._timer_error = str(error)
        screen.pal.typing.later(self._sync)  # the timer saved: the session's revision moved

    # Drawn through `typing.later`: while the coach types, with the next key's frame (ui/typing_pause.py), when
    # the screen may have gone.
    def _draw_timer(self) -> None:
        if self.screen.is_attached:
            self.screen.draw_timer()

    def _sync(self) -> None:
        if self.screen.is_attached:
            self.screen.sync()

    def load_deck(self) -> None:
        self.screen.run_worker(self._read_deck, thread=True, exclusive=True, group="deck")

    def _read_deck(self) -> None:
        # Packs and the client's question history are read off the UI thread: first paint never waits for them.
        pal, live = self.screen.pal, self.screen.live
        packs = pal.packs or load_library(pal.home)
        history = client_history(pal.home, live.client.slug, exclude=live.path, with_notes=pal.config.stalled_after)
        self.screen.app.call_from_thread(self._deck_loaded, packs, history)

    def _deck_loaded(self, packs: PackLibrary, history: ClientHistory) -> None:
        screen = self.screen
        screen.deck_flow.loaded(packs, history)
        screen.past = history.sessions
        self.tick()
        screen.refresh_bindings()

    def check_files(self) -> None:
        """An editor or a sync tool changed the session file or client.toml: reconcile and tell."""
        screen, live, pal = self.screen, self.screen.live, self.screen.pal
        live.check_outside()
        screen.note_flow.tell_outside()
        if live.read_only and not self._told_free and is_free(pal.home, live.client.slug, pal.clock.now()):
            self._told_free = True
            screen.notify("The other sessionpal has let go of this client: F12, then open the client again to take notes here.", title="Free now", markup=False)
        if screen.last_time.changed_outside():
            screen.last_time.reread()
        changed = live.check_client_file()
        if changed is not None:
            message, broken = changed
            screen.notify(message, title="Client file changed outside sessionpal", severity="error" if broken else "information", timeout=20, markup=False)
        screen.sync()
