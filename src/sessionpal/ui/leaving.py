"""Leaving on a signal: the terminal closing (SIGHUP) or a shutdown (SIGTERM) saves the session and exits,
within SIGNAL_GRACE seconds whatever the app is doing."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from typing import TYPE_CHECKING

from ..core.lock import release_all

if TYPE_CHECKING:
    from .app import SessionPalApp

SIGNAL_GRACE = 1.5  # seconds from SIGHUP/SIGTERM to the process's end, at the latest


def install_signal_handlers(app: SessionPalApp) -> None:
    """A plain signal handler, not the event loop's: it runs between two bytecodes of the main thread even while
    a long first paint keeps the loop from its queue."""
    if app.is_headless:
        return  # under Pilot the test process's own handlers stay
    loop = asyncio.get_running_loop()
    leaving: list[bool] = []  # a signal said to go: the next one changes nothing

    def on_signal(*_: object) -> None:
        if leaving:
            return
        leaving.append(True)
        # Threads reading a large home cannot be stopped, and one waiting in call_from_thread would hold the
        # interpreter's shutdown forever (seen: a hidden app keeping its client's lock). So, whatever is still
        # running after the grace period, the locks are given back and the process ends.
        watchdog = threading.Timer(SIGNAL_GRACE, end_now)
        watchdog.daemon = True
        watchdog.start()
        loop.call_soon_threadsafe(app.exit_on_signal)

    for name in ("SIGTERM", "SIGHUP"):  # Windows has no SIGHUP
        signum = getattr(signal, name, None)
        if signum is not None:
            signal.signal(signum, on_signal)


def end_now() -> None:
    """The last resort after a signal: the session was saved (or had nothing waiting); let go and end."""
    release_all()
    os._exit(0)
