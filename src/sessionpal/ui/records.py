"""The app's record keeping beside its screens: the privacy look at start and git autocommit.

A RecordKeeper is owned by the app (`app.records`); it runs its file work in
the app's thread workers and reports through the app's notifications.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import Config
from ..core.paths import Home

if TYPE_CHECKING:  # for the checker only: the app module imports this one
    from .app import SessionPalApp


class RecordKeeper:
    def __init__(self, app: SessionPalApp):
        self.app = app
        self.git_problem = ""  # why git.autocommit cannot work here, once found
        self._git_lock = threading.Lock()  # one git command at a time: git's own index lock would refuse a second

    @property
    def home(self) -> Home:
        return self.app.home

    @property
    def config(self) -> Config:
        return self.app.config  # read each time: the app replaces it when config.toml changes

    def check_exposure(self) -> None:
        """Warn when others on this computer could read the notes, and when git.autocommit cannot work
        (in a thread, after the first paint: it walks the home)."""
        self.app.run_worker(self._check_exposure, thread=True, exclusive=True, group="exposure")

    def _check_exposure(self) -> None:
        from ..core.records import exposed_paths, exposure_warning

        found = exposed_paths(self.home)
        if found:
            message = exposure_warning(self.home, found)
            self.app.call_from_thread(lambda: self.app.notify(message, title="Your notes are not private", severity="warning", timeout=30, markup=False))
        if self.config.git_autocommit:
            from ..core.gitsync import GitProblem, check_autocommit

            try:
                problem = check_autocommit(self.home)
            except GitProblem as error:
                problem = str(error)
            if problem:
                self.git_problem = problem
                self.app.call_from_thread(lambda: self.app.notify(problem, title="git", severity="warning", timeout=20, markup=False))

    def autocommit(self, paths: list[Path], message: str) -> None:
        """With git.autocommit on: commit these files (an ended session, a client change), off the event loop."""
        if self.config.git_autocommit and not self.git_problem:
            files = list(paths)
            self.app.run_worker(lambda: self._commit(files, message), thread=True, group="git")

    def _commit(self, paths: list[Path], message: str) -> None:
        from ..core.gitsync import GitProblem, commit

        with self._git_lock:
            try:
                commit(self.home, paths, message)
            except (GitProblem, ValueError) as error:
                said = f"Not committed: {error}"  # bound now: `error` is gone once the except block ends
                self.app.call_from_thread(lambda: self.app.notify(said, title="git", severity="warning", markup=False))
