"""The app's record keeping, beside its screens: the privacy look at start, git autocommit, and
the question before a change that would leave less than half of a file."""

from __future__ import annotations

from typing import Callable

from textual import work

from ..core.versions import WouldShrink, shrinking_allowed


class RecordKeeping:
    """Mixed into SessionPalApp (which sets self.home, self.config, _git_problem and _git_lock)."""

    @work(thread=True, exclusive=True, group="exposure")
    def check_exposure(self) -> None:
        """Warn when others on this computer could read the notes (after the first paint: it walks the home),
        and when git.autocommit is on but cannot work."""
        from ..core.records import exposed_paths, exposure_warning

        found = exposed_paths(self.home)
        if found:
            message = exposure_warning(self.home, found)
            self.call_from_thread(lambda: self.notify(message, title="Your notes are not private", severity="warning", timeout=30, markup=False))
        if self.config.git_autocommit:
            from ..core.gitsync import GitProblem, check_autocommit

            try:
                problem = check_autocommit(self.home)
            except GitProblem as error:
                problem = str(error)
            if problem:
                self._git_problem = problem
                self.call_from_thread(lambda: self.notify(problem, title="git", severity="warning", timeout=20, markup=False))

    def autocommit(self, paths: list, message: str) -> None:
        """With git.autocommit on: commit these files (an ended session, a client change), off the event loop."""
        if self.config.git_autocommit and not self._git_problem:
            self._commit(list(paths), message)

    @work(thread=True, group="git")
    def _commit(self, paths: list, message: str) -> None:
        from ..core.gitsync import GitProblem, commit

        with self._git_lock:
            try:
                commit(self.home, paths, message)
            except (GitProblem, ValueError) as error:
                said = f"Not committed: {error}"  # bound now: `error` is gone once the except block ends
                self.call_from_thread(lambda: self.notify(said, title="git", severity="warning", markup=False))

    def confirm_shrink(self, error: WouldShrink, retry: Callable[[], object]) -> None:
        """A change would leave less than half of a file: ask, then run it again if the coach agrees."""
        from .dialogs.confirm import ConfirmDialog

        def answered(answer: str | None) -> None:
            if answer == "yes":
                with shrinking_allowed():
                    retry()

        self.push_screen(
            ConfirmDialog(
                f"This change would leave less than half of {error.path.name} ({error.before:,} → {error.after:,} bytes).",
                "Save it anyway",
                "Cancel",
                detail="The file as it is now is kept in its version history either way: sessionpal versions PATH lists it.",
            ),
            answered,
        )
