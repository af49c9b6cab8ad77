"""Offered when a client has a session left unfinished (the app was closed or killed mid-call)."""

from __future__ import annotations

from ...core.sessionfile import SessionDocument
from ...core.timer import format_clock
from .confirm import ChoiceDialog

# Below this, the unsaved time is just the last few seconds before a save: not worth a choice.
GAP_WORTH_ASKING = 10


class ResumeDialog(ChoiceDialog):
    def __init__(self, document: SessionDocument, gap: float):
        info = document.info
        started = info.started.strftime("%a %d %b, %H:%M") if info.started else document.path.name
        elapsed = document.resume_seconds  # never before a line already written
        choices = [("resume", f"Resume it at {format_clock(elapsed)} (the timer stays paused until you start it)")]
        if gap >= GAP_WORTH_ASKING:
            choices.append(("resume-gap", f"Resume it at {format_clock(elapsed + gap)}, counting the {format_clock(gap)} since it was last saved"))
        choices += [("new", "End it as it is and start a new session"), ("cancel", "Cancel")]
        super().__init__(
            f"This client has an unfinished session from {started}.",
            choices,
            detail=f"{_lines(document)} in the notes so far, {format_clock(elapsed)} on the timer. Nothing in it is lost whichever you choose.",
        )


def _lines(document: SessionDocument) -> str:
    held = len(document.notes) + len(document.asked) + len(document.actions)
    return f"{held} line{'s' if held != 1 else ''}"
