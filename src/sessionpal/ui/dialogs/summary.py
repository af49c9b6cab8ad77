"""The end of a session: what happened, before going back to the client list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...core import clipboard
from ...core.live import Summary
from ...core.model import ActionState
from ...core.timer import format_clock
from ..changes import attempt
from ..context import TypedApp
from ..following import BLIND_CLOSES_THIS, FollowsApp
from ..widgets.note_lines import ACTION_MARKS

if TYPE_CHECKING:
    from .next_session import NextSession, Planned


def summary_lines(summary: Summary, private: bool = False) -> list[Content]:
    """What the session came to; `private` (the blind is down): counts only, no client's words."""
    lines = [
        Content.from_markup("Duration  [b]$elapsed[/b] of $planned planned", elapsed=format_clock(summary.elapsed), planned=format_clock(summary.planned)),
        Content.from_markup("Notes     [b]$n[/b]", n=str(summary.notes)),
        Content.from_markup("Questions [b]$n[/b] from the deck", n=str(summary.asked)),
        Content.from_markup("Actions   [b]$n[/b]", n=str(len(summary.actions))),
    ]
    if private:
        return lines + [Content.from_markup("[$text-muted]Private: the actions, ratings and goal changes are in the session file.[/]")]
    # As ticked in the log: an action done during the session shows [x], one dropped is struck out.
    lines += [Content.assemble("  ", ACTION_MARKS[a.state], " ", (a.text, "strike" if a.state is ActionState.DROPPED else "")) for a in summary.actions]
    if summary.ratings:
        lines.append(Content("Progress ratings"))
        lines += [Content.from_markup("  $title: [b]$rating[/b]/10", title=title, rating=str(rating)) for title, rating in summary.ratings]
    if summary.moves:
        lines.append(Content("Playbook"))
        lines += [Content.from_markup("  $title: $did", title=title, did=did) for title, did in summary.moves]
    if summary.focus_areas:
        lines.append(Content.from_markup("Focus areas  $areas", areas=", ".join(summary.focus_areas)))
    if summary.goal_changes:
        lines.append(Content("Goal changes"))
        for change in summary.goal_changes:
            if change.before is None:
                lines.append(Content.from_markup("  $title: new goal, $after", title=change.title, after=change.after.label))
                continue
            note = f" ({change.note})" if change.note else ""
            lines.append(
                Content.from_markup("  $title: $before → $after$note", title=change.title, before=change.before.label, after=change.after.label, note=note)
            )
    if summary.path is not None:
        lines.append(Content.from_markup("[$text-muted]Saved in $path[/]", path=str(summary.path)))
    return lines


class ScrollingDialog(ModalScreen[None]):
    """A dialog whose text may not fit (80x24): its button has the cursor, and Down, Up, PageDown and PageUp
    scroll the text (the VerticalScroll named by SCROLLS) all the same, the buttons in sight below it."""

    SCROLLS = ""
    CSS_PATH = "summary.tcss"  # read when a summary first opens, not at the app's start
    BINDINGS = [
        Binding("down", "scroll_text(1)", "Down", show=False),
        Binding("up", "scroll_text(-1)", "Up", show=False),
        Binding("pagedown", "scroll_text(8)", "Page down", show=False),
        Binding("pageup", "scroll_text(-8)", "Page up", show=False),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def action_scroll_text(self, lines: int) -> None:
        self.query_one(self.SCROLLS, VerticalScroll).scroll_relative(y=lines, animate=False)


class SummaryDialog(ScrollingDialog, FollowsApp):
    pal = TypedApp()
    SCROLLS = "#summary-box"
    BINDINGS = [
        Binding("escape,enter", "close", "Close", id="close", tooltip="Back to the client list"),
        Binding("r", "recap", "Recap", id="recap", tooltip="The recap for the client: saved beside the session and copied to the clipboard"),
        Binding("n", "next_session", "Next session…", id="next_session", tooltip="When the next session is: written as a calendar invite beside the recap"),
        # The blind is the session's F9 here too: lifted, the ratings and goal changes it masked show.
        Binding("f9,ctrl+backslash", "private", "Private", id="private", tooltip="Hide the client's words in the summary; again to show them"),
    ]

    # What the summary is drawn from besides the session's own numbers: the blind (counts only while it is down;
    # it follows the app's), and the invites written from it (the body names the next session).
    private: var[bool] = var(False, init=False)
    invites: var[int] = var(0, init=False)

    def __init__(
        self,
        summary: Summary,
        client_name: str,
        *,
        private: bool = False,
        make_recap: Callable[[], tuple[Path, str]] | None = None,
        next_session: NextSession | None = None,
    ):
        super().__init__()
        self.next_session = next_session  # the invite for the next session (None: the session has no file to put it beside)
        self.summary = summary
        self.client_name = client_name
        self.set_reactive(SummaryDialog.private, private)
        self.make_recap = make_recap  # writes the recap (the screen's job, through the core): its path and text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title(), classes="dialog-title", id="summary-title")
            with VerticalScroll(id="summary-box", can_focus=False):
                yield Static(self._body(), id="summary")
            with Horizontal(classes="dialog-buttons"):
                if self.next_session is not None:
                    yield Button("Next session… (n)", id="next-button")
                if self.make_recap is not None and self.summary.path is not None:
                    yield Button("Recap for the client (r)", id="recap-button")
                yield Button("Done", variant="primary", id="done")

    def _title(self) -> Content:
        return Content("Session ended") if self.private else Content.from_markup("Session with $name ended", name=self.client_name)

    def _body(self) -> Content:
        lines = summary_lines(self.summary, self.private)
        invite = self.next_session.invite if self.next_session is not None else None
        if invite is not None:
            lines.append(Content.from_markup("Next session  [b]$when[/b] · invite written", when=f"{invite.start:%a %d %b} at {invite.start:%H:%M}"))
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()
        self.follow(self.pal.privacy_signal, self._blind_changed, immediate=True)

    def _blind_changed(self, private: bool) -> None:
        self.private = private

    def watch_private(self) -> None:
        self._draw()

    def watch_invites(self) -> None:
        self._draw()

    def _draw(self) -> None:
        self.query_one("#summary-title", Static).update(self._title())
        self.query_one("#summary", Static).update(self._body())

    def action_private(self) -> None:
        self.pal.private = not self.pal.private

    @on(Button.Pressed, "#done")
    def action_close(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_session":
            return self.next_session is not None
        return True

    @on(Button.Pressed, "#next-button")
    def action_next_session(self) -> None:
        from .next_session import NextSessionDialog

        if self.next_session is not None:
            self.app.push_screen(NextSessionDialog(self.next_session, private=self.private), self._next_set)

    def _next_set(self, planned: Planned | None) -> None:
        plan = self.next_session
        if planned is None or plan is None:
            return
        written: list[tuple[Path, Path | None]] = []
        if not attempt(self, "Invite not written", lambda: written.append(plan.write(planned))):
            return
        beside, added = written[0]
        where = beside.name if self.private else str(beside)
        if added is not None:
            more = f"\nAdded to your calendar folder {added.parent}"
        elif plan.already_in_calendar(planned):
            more = "\nYour calendar has this call already: not added to it again"
        else:
            more = ""
        self.notify(f"{where}{more}", title=f"Next session {planned.start:%a %d %b} at {planned.start:%H:%M}: invite written", markup=False)
        self.invites += 1  # the summary says when the next session is

    @on(Button.Pressed, "#recap-button")
    def action_recap(self) -> None:
        """Write the client's recap, and show it as it is copied (only the fact, behind the blind)."""
        if self.make_recap is None or self.summary.path is None:
            return
        made: list[tuple[Path, str]] = []
        make = self.make_recap
        if not attempt(self, "Recap not written", lambda: made.append(make())):
            return
        path, text = made[0]
        self.app.push_screen(RecapDialog(path, text, private=self.private))


class RecapDialog(ScrollingDialog, FollowsApp):
    """What was copied for the client, where it went, and where it was saved; behind the blind, only that it was.

    The text goes to the terminal as OSC 52 (in a browser tab, to the page, which puts it in the browser's
    clipboard), and, in a terminal, to this computer's clipboard tool too, in a thread (core.clipboard): the
    title says which took it, or that nothing could confirm it."""

    CLOSES_UNDER_BLIND = True  # a view of the client's words: closed when the blind comes down

    SCROLLS = "#recap-box"
    BINDINGS = [
        Binding("escape,enter", "close", "Close", id="recap_close", tooltip="Back to the session's summary"),
        BLIND_CLOSES_THIS,
    ]

    # Where the recap went once the copy is done: (done, the tool or place that took it, None if none confirmed it).
    copied: var[tuple[bool, str | None]] = var((False, None), init=False)

    def __init__(self, path: Path, text: str, *, private: bool = False):
        super().__init__()
        self.path, self.text, self.private = path, text, private

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Recap for the client: copying to the clipboard…", classes="dialog-title", id="recap-title")
            shown = Content.from_markup("[$text-muted](private: not shown)[/]") if self.private else Content(self.text.rstrip("\n"))
            with VerticalScroll(id="recap-box"):
                yield Static(shown, id="recap")
            yield Static(self._where(None), id="recap-saved")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", variant="primary", id="recap-done")

    def on_mount(self) -> None:
        self.query_one("#recap-done", Button).focus()
        self.app.copy_to_clipboard(self.text)  # OSC 52: to the terminal, or to the page in a browser tab
        if self.app.is_web:
            self._copied("the browser's clipboard")
        else:
            self._copy_here()

    @work(thread=True, exclusive=True, group="clipboard", exit_on_error=False)
    def _copy_here(self) -> None:
        try:
            tool = clipboard.copy(self.text)
        except Exception:  # whatever went wrong, the dialog says nothing confirmed it rather than "copying…" for ever
            tool = None
        self.app.call_from_thread(self._copied, f"the clipboard ({tool})" if tool else None)

    def _copied(self, where: str | None) -> None:
        """`where` took the text, or nothing confirmed it (None)."""
        if not self.is_attached:  # closed while the tool ran
            return
        self.copied = (True, where)

    def watch_copied(self, copied: tuple[bool, str | None]) -> None:
        _, where = copied
        title = f"Recap for the client: copied to {where}" if where else "Recap for the client: it may not have reached the clipboard"
        self.query_one("#recap-title", Static).update(title)
        self.query_one("#recap-saved", Static).update(self._where(where, done=True))

    def _where(self, copied: str | None, *, done: bool = False) -> Content:
        saved = f"{self.path.name}, in the client's folder" if self.private else str(self.path)
        if not done or copied:
            return Content.from_markup("[$text-muted]Saved as $path[/]", path=saved)
        # Two lines at 80 columns, as the terminal's note was before: the recap's text keeps its room above.
        by_hand = "take it from the file (not shown behind the blind)" if self.private else "copy it by hand from above, or from the file"
        return Content.from_markup(
            "[$text-muted]Only sent to the terminal (OSC 52), which may ignore it, as Terminal.app does: $by_hand.\nSaved as $path[/]",
            by_hand=by_hand,
            path=saved,
        )

    @on(Button.Pressed, "#recap-done")
    def action_close(self) -> None:
        self.dismiss(None)
