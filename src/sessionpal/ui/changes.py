"""The one funnel for "try a change to the coach's files, tell the coach if it failed".

Every screen asks the core for a change through `attempt`. The core raises one
error family (core.saving.ChangeFailed): a WouldShrink is a question for the
coach (asked here, and the change run again if they agree), anything else is a
notification with the screen's title for it. Nothing else is caught: a bug is a
bug, and the app's error handler saves what it can.
"""

from __future__ import annotations

from typing import Callable

from textual.dom import DOMNode

from ..core.saving import ChangeFailed, saving
from ..core.versions import WouldShrink, shrinking_allowed


def attempt(node: DOMNode, title: str, change: Callable[[], object], *, done: Callable[[], object] | None = None) -> bool:
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


def confirm_shrink(node: DOMNode, error: WouldShrink, retry: Callable[[], object]) -> None:
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
