"""The end of a session: what happened, before going back to the client list."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...core.live import Summary
from ...core.timer import format_clock


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
    lines += [Content.from_markup("  [ ] $text", text=a.text) for a in summary.actions]
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


class SummaryDialog(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close", id="close", tooltip="Back to the client list")]

    def __init__(self, summary: Summary, client_name: str, *, private: bool = False):
        super().__init__()
        self.summary = summary
        self.client_name = client_name
        self.private = private  # the privacy blind was down when the session ended

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Content("Session ended") if self.private else Content.from_markup("Session with $name ended", name=self.client_name)
            yield Static(title, classes="dialog-title")
            yield Static(Content("\n").join(summary_lines(self.summary, self.private)), id="summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Done", variant="primary", id="done")

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()

    @on(Button.Pressed, "#done")
    def action_close(self) -> None:
        self.dismiss(None)
