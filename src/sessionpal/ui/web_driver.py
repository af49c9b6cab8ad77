"""The driver of an app that `sessionpal serve` runs for one browser tab.

Textual's web driver reads the server's packets from stdin. When that pipe ends without the
app having stopped (the server was killed, say), nobody will ever send a key again: the app
saves and ends as on SIGTERM, so no client stays locked by an app nobody can reach.
"""

from __future__ import annotations

import os
import signal

from textual.drivers.web_driver import WebDriver


class SessionWebDriver(WebDriver):
    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        finally:
            if not self.exit_event.is_set():  # set when the app stops by itself
                os.kill(os.getpid(), signal.SIGTERM)


DRIVER = f"{__name__}:{SessionWebDriver.__name__}"
