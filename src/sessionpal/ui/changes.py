"""The one funnel for "try a change to the coach's files, tell the coach if it failed".

Every screen asks the core for a change through `attempt`. The core raises one
error family (core.saving.ChangeFailed): a WouldShrink is a question for the
coach (asked here, and the change run again if they agree), anything else is a
notification with the screen's title for it. Nothing else is caught: a bug is a
bug, and the app's error handler saves what it can.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App
from textual.notifications import SeverityLevel

from ..core.saving import ChangeFailed, saving
from ..core.versions import WouldShrink, shrinking_allowed


class Teller(Protocol):
    """A screen, a widget or the app: what can tell the coach and push a dialog."""

    @property
    def app(self) -> App[Any]: ...

    def notify(self, message: str, *, title: str = ..., severity: SeverityLevel = ..., timeout: float | None = ..., markup: bool = ...) -> None: ...


def when_answered(then: Callable[[Any], object], *, blank: bool = False) -> Callable[[Any], None]:
    """A dialog's callback: run `then` with the answer, unless the coach cancelled (None), or left it blank
    (an empty answer counts only with `blank`)."""

    # Any, not a type variable: the checker cannot infer one from the lambdas this is given.
    def answered(answer: Any) -> None:
        if answer is not None and (blank or answer):
            then(answer)

    return answered


def when_yes(then: Callable[[], object]) -> Callable[[Any], None]:
    """A ConfirmDialog's callback: run `then` only if the coach said yes."""
    return when_answered(lambda answer: then() if answer == "yes" else None)


def attempt(node: Teller, title: str, change: Callable[[], object], *, done: Callable[[], object] | None = None) -> bool:
    """Run `change`; True when it was made (then `done` runs). A refusal is told under `title`.

    A change that would leave less than half of a file asks first; if the coach
    agrees it runs again, and `done` runs then."""
    try:
        with saving():
            change()
    except WouldShrink as error:
        confirm_shrink(node, error, lambda: attempt(node, title, change, done=done))
        return False
    except ChangeFailed as error:
        node.notify(str(error), title=title, severity="error", timeout=15, markup=False)
        return False
    if done is not None:
        done()
    return True


def confirm_shrink(node: Teller, error: WouldShrink, retry: Callable[[], object]) -> None:
    """Ask before a change that would leave less than half of a file; run `retry` if the coach agrees."""
    from .dialogs.confirm import ConfirmDialog

    def answered(answer: str | None) -> None:
        if answer == "yes":
            with shrinking_allowed():
                retry()

    node.app.push_screen(
        ConfirmDialog(
            f"This change would leave less than half of {error.path.name} ({error.before:,} → {error.after:,} bytes).",
            "Save it anyway",
            "Cancel",
            detail="The file as it is now is kept in its version history either way: sessionpal versions PATH lists it.",
        ),
        answered,
    )
