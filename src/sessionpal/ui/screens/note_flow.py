"""Notes on the session screen: a NoteFlow the screen owns.

What the coach typed is saved through the LiveSession (a note that cannot be saved waits, in order,
above the note line, and is retried); a line of the log is edited, ticked or deleted through the
screen's one funnel; F12 ends the session and shows its summary. The screen draws from the session.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ...core.live import LogEntry, Summary
from ...core.model import Action, ActionState, NoteKind
from ...core.saving import SaveFailed
from ...core.sessionfile import Energy
from ...core.timer import format_clock
from ..changes import when_answered
from .host import SessionHost

if TYPE_CHECKING:
    from ..dialogs.next_session import NextSession
    from ..widgets.notes import NoteInput
    from .goal_flow import GoalFlow

# The dialogs are imported where they open: a session's first paint needs none of them.


class NoteHost(SessionHost, Protocol):
    """What the flow needs of the session screen."""

    @property
    def note_line(self) -> NoteInput: ...

    def sync(self) -> None: ...

    def tally_unsaved(self) -> None: ...

    @property
    def goal_flow(self) -> GoalFlow: ...

    def blind(self, what: str) -> bool: ...

    reminder: tuple[str, str]

    def dismiss(self, result: Any = None) -> Any: ...


class NoteFlow:
    def __init__(self, screen: NoteHost):
        self.screen = screen
        self.unsaved_reason = ""  # why the notes waiting above the note line could not be saved

    def save_all(self) -> bool:
        """Save whatever is waiting (the note line's words too), before leaving; False if some could not be."""
        self.keep_typed()
        live = self.screen.live
        try:
            live.flush()
            if live.started and not live.ended:
                live.save_timer()
        except SaveFailed:
            return False
        return not live.pending

    def switch_client(self) -> None:
        """Back to the client list with the session left open, as quitting leaves it: saved, its client let go,
        and offered to resume when the client is opened again (issue 26.18)."""
        if not self.screen.live.read_only and not self.save_all():
            self.screen.notify("Some notes are not saved yet, so the session stays open here.", title="Not switched", severity="error", markup=False)
            return
        self.screen.dismiss()

    def agreement(self) -> None:
        """The session agreement, in a dialog (or typed after =): saved as an agreement note."""
        from ..dialogs.text import TextDialog

        live = self.screen.live
        if self.screen.blind("the agreement"):
            return
        current = live.document.info.agreement if live.document else ""
        self.screen.app.push_screen(
            TextDialog("The session agreement", "What does the client want from this session?", current),
            when_answered(lambda text: self.save_typed("=" + text)),
        )

    def tell_outside(self) -> None:
        """What another program changed in the session file, told."""
        changes = list(self.screen.live.outside)
        self.screen.live.outside.clear()
        for change in changes:
            quiet = change.adopted and not change.lost
            self.screen.notify(
                change.message(), title="Session file changed outside sessionpal", severity="information" if quiet else "error", timeout=20, markup=False
            )

    def save_typed(self, text: str) -> None:
        """Save what the coach typed (a note of any kind, or =the agreement); the log shows it once it is on disk.

        A note that cannot be saved waits, in order, above the note line (never back in it, where the
        next note would be typed onto it) and is saved once, as it was, when saving works again."""
        if not text.strip():
            return
        try:
            note = self.screen.live.add_note(text)
        except SaveFailed as error:
            self.tell_outside()
            self.unsaved_reason = str(error)
            self.screen.tally_unsaved()
            self.screen.notify(str(error), title="Note not saved yet", severity="error", timeout=15, markup=False)
            self.screen.sync()
            return
        self.tell_outside()
        self.unsaved_reason = ""
        self.screen.reminder = ("", "")  # the coach has typed on: the moment it was for has passed
        self.screen.tally_unsaved()
        self.screen.sync()
        if self.screen.pal.private:  # the log is hidden: a word that it was saved, with nothing of what it says
            lines = len(self.screen.live.log())
            at = format_clock(self.screen.live.timer.read().elapsed)
            self.screen.notify(f"saved at {at} · {lines} line{'s' if lines != 1 else ''}", title="Note")
        self.screen.goal_flow.remind_permission(text)
        if note is not None and note.kind is NoteKind.ENERGY:  # kept in the front matter, not the log: said here
            when = Energy.part(note.stamp, self.screen.live.planned_minutes * 60)
            self.screen.notify(f"Energy {note.text} at the {when}, in the client's own number: kept with the session.", title="Check-in")

    def retry_pending(self) -> None:
        if not self.screen.live.pending:
            return
        try:
            saved = self.screen.live.flush()
        except SaveFailed as error:
            self.unsaved_reason = str(error)
            self.screen.tally_unsaved()
            return
        self.unsaved_reason = ""
        self.screen.tally_unsaved()
        self.screen.sync()
        self.screen.notify(f"Saved {len(saved)} note{'s' if len(saved) != 1 else ''} that were waiting.", title="Saved")

    def edit(self, item: LogEntry) -> None:
        from ..dialogs.edit_note import EditNoteDialog

        self.screen.app.push_screen(EditNoteDialog(item), lambda result: self._edited(item, result))

    def _edited(self, item: LogEntry, result: tuple[str, str] | None) -> None:
        if result is None:
            return
        what, text = result
        if what == "delete":
            self.confirm_delete(item)
        elif what == "tick":
            self.tick(item)
        elif not self.screen.change("Note not changed", lambda: self.screen.live.edit(item, text)):
            # The coach's wording is not thrown away: it waits in the note line.
            note_input = self.screen.note_line
            if not note_input.value.strip():
                note_input.value = text
                self.screen.notify("Your wording is in the note line: Enter saves it as a new note.", markup=False)

    def tick(self, item: LogEntry) -> None:
        if isinstance(item.entry, Action):
            new = ActionState.OPEN if item.entry.state is ActionState.DONE else ActionState.DONE
            self.screen.change("Action not changed", lambda: self.screen.live.set_action_state(item, new))

    def confirm_delete(self, item: LogEntry) -> None:
        from ..dialogs.confirm import ConfirmDialog

        def answered(answer: str | None) -> None:
            if answer == "yes":
                self.screen.change("Note not deleted", lambda: self.screen.live.delete(item))

        preview = getattr(item.entry, "text", "")
        self.screen.app.push_screen(ConfirmDialog("Delete this note from the session file?", "Delete it", "Keep it", detail=preview), answered)

    def keep_typed(self) -> None:
        """Words in the note line, Enter not yet pressed, become a note: ending, switching client or quitting never
        drops what the coach typed (a coach's look found a half-typed note lost at ctrl+e)."""
        line = self.screen.note_line
        if line.value.strip() and not line.disabled:
            text, line.value = line.value, ""
            self.save_typed(text)

    def _next_session(self, path: Path | None) -> NextSession | None:
        """What the summary's "Next session…" needs: the invite goes beside the session, so none without its file."""
        from ..dialogs.next_session import NextSession
        from .today_flow import calendar_zone

        if path is None:
            return None
        pal, live = self.screen.pal, self.screen.live
        minutes = live.client.session_minutes or pal.config.session_minutes
        return NextSession(pal.home, live.client, path, pal.loaded_config.calendar, pal.clock, calendar_zone(pal), minutes)

    def end(self) -> None:
        """F12: asked first; then the summary, and the session file is final."""
        from ..dialogs.confirm import ConfirmDialog
        from ..dialogs.summary import SummaryDialog

        self.keep_typed()
        elapsed = self.screen.live.timer.read()
        held = len(self.screen.live.log())
        detail = f"{held} line{'s' if held != 1 else ''} in the notes so far. The session file is then final."
        summaries: list[Summary] = []

        def ended() -> None:
            summary = summaries[0]
            if summary.path is not None:
                self.screen.pal.records.autocommit(
                    [summary.path, self.screen.live.client.path], f"Session with {self.screen.live.client.slug}: {summary.path.stem}"
                )
            client, path = self.screen.live.client, summary.path
            plan = self._next_session(path)

            def recap() -> tuple[Path, str]:
                from ...core.export import write_recap

                assert path is not None
                # The recap names the next session once its invite is written.
                return write_recap(path, client, plan.invite.start if plan is not None and plan.invite is not None else None)

            dialog = SummaryDialog(summary, client.name, private=self.screen.pal.private, make_recap=recap, next_session=plan)
            self.screen.app.push_screen(dialog, lambda _: self.screen.dismiss())

        def answered(answer: str | None) -> None:
            if answer == "yes":
                self.screen.change("Session not ended", lambda: summaries.append(self.screen.live.end()), done=ended)

        self.screen.app.push_screen(
            ConfirmDialog(f"End the session now, at {format_clock(elapsed.elapsed)}?", "End the session", "Keep going", detail=detail),
            answered,
        )
