"""How a note, an asked question and an action read as one line: the session's log, the "last time" card, the
review's open actions and the summary all write them the same way."""

from __future__ import annotations

from datetime import date

from textual.content import Content

from ...core.due import describe_due
from ...core.live import LogEntry
from ...core.model import Action, ActionState, AskedQuestion, Note, NoteKind
from ...core.safe_text import glimpse
from ...core.stamps import format_stamp

LABELS = {
    NoteKind.NOTE: "",
    NoteKind.QUOTE: "said",
    NoteKind.INSIGHT: "insight",
    NoteKind.QUESTION: "asked",
    NoteKind.SHARED: "shared",
    NoteKind.ENERGY: "energy",
}
ACTION_MARKS = {ActionState.OPEN: "[ ]", ActionState.DONE: "[x]", ActionState.DROPPED: "[-]"}


def due_part(action: Action, today: date | None) -> tuple[tuple[str, str], ...]:
    """What follows an action's words when it has a due date: "  · due Fri 04 Dec", overdue in warning colours."""
    if action.due is None:
        return ()
    if today is None:
        return (("  · due " + action.due.strftime("%a %d %b"), "$text-muted"),)
    said, overdue = describe_due(action.due, today)
    return (("  · " + said, "$text-warning" if overdue and action.state is ActionState.OPEN else "$text-muted"),)


def log_line(item: LogEntry, today: date | None = None) -> Content:
    # Content.assemble, not markup: a long session's log is drawn line by line, and markup parsing was
    # most of the time a note took to appear.
    entry = item.entry
    text = glimpse(entry.text)
    stamp = (format_stamp(entry.stamp) if entry.stamp is not None else "        ", "$text-muted")
    if isinstance(entry, Action):
        muted = {ActionState.DONE: "$text-muted", ActionState.DROPPED: "$text-muted strike"}.get(entry.state, "")
        return Content.assemble(stamp, "  ", ("action ", "$accent"), f" {ACTION_MARKS[entry.state]} ", (text, muted), *due_part(entry, today))
    if isinstance(entry, AskedQuestion):
        return Content.assemble(stamp, "  ", ("asked ◆", "$text-secondary"), " ", text)
    assert isinstance(entry, Note)
    label = f"{LABELS[entry.kind]:<7}"
    if entry.kind is NoteKind.QUOTE:
        return Content.assemble(stamp, "  ", (label, "$text-muted"), " ", (f"“{text}”", "italic"))
    if entry.kind is NoteKind.SHARED:
        return Content.assemble(stamp, "  ", (label, "$text-success"), " ", text)
    if entry.kind is NoteKind.INSIGHT:
        return Content.assemble(stamp, "  ", (label, "$warning"), " ", (text, "bold"))
    return Content.assemble(stamp, "  ", (label, "$text-muted"), " ", text)
