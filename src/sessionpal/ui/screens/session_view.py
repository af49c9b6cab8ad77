"""One past session, rendered as Markdown: its notes, questions asked and actions.

Opened from a search result, it scrolls to the matching line and marks it.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownBlock

from ...core.problems import FileProblems
from ...core.safe_text import SHOWN_CHARS, glimpse, visible
from ...core.saving import ChangeFailed
from ...core.sessionfile import EntryLine, SessionDocument
from ...core.sessions import read_session
from ...core.stamps import format_stamp
from ...core.timer import format_clock
from ..changes import attempt
from ..context import TypedApp
from ..following import FollowsApp
from ..widgets.footer import KeysFooter

VIEW_CHARS = 20 * SHOWN_CHARS  # one line in the reading view


def session_markdown(document: SessionDocument, name: str) -> tuple[str, dict[int, int]]:
    """Markdown for the session, and for each body line of the file, its line in that Markdown."""
    info = document.info
    when = info.started.strftime("%A %d %B %Y, %H:%M") if info.started else document.path.stem
    head = [f"# {name} · {when}", ""]
    facts = [f"{format_clock(info.elapsed_seconds)} of {info.planned_minutes} min", info.model or "", "ended" if info.is_finished else "not ended"]
    head += [" · ".join(f for f in facts if f), ""]
    if info.agreement:
        head += [f"> **Agreement:** {info.agreement}", ""]
    lines = list(head)
    where: dict[int, int] = {}
    for number, item in enumerate(document.body):
        where[number] = len(lines)
        # The lines as written, with anything a terminal would act on shown instead (see core.safe_text), and
        # a line of megabytes cut: the reading view shows far more of one than the live screen, never all of it.
        lines.append(visible(glimpse(item.render() if isinstance(item, EntryLine) else item, VIEW_CHARS)))
    return "\n".join(lines), where


class SessionViewScreen(Screen[None], FollowsApp):
    CLOSES_UNDER_BLIND = True  # a view of the client's words: closed when the blind comes down
    pal = TypedApp()
    CSS_PATH = "review.tcss"  # the review's, which it opens from

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="view_back", tooltip="Back to the review"),
        Binding("m", "move", "Move to client", id="view_move", tooltip="Recorded under the wrong client? Move it to the right one (its goals follow)"),
    ]

    def __init__(self, path: Path, name: str, stamp: int | None = None, text: str = ""):
        super().__init__()
        self.path = path
        self.client_name = name
        self.stamp = stamp
        self.text = text
        self._names: dict[str, str] = {}  # the clients offered for a move, by folder name

    def compose(self) -> ComposeResult:
        yield Static(self.path.name, id="view-title")
        yield Markdown(id="view")
        yield KeysFooter()

    async def on_mount(self) -> None:
        view = self.query_one("#view", Markdown)
        try:
            document = read_session(self.path)
        except FileProblems as error:
            await view.update("This session file cannot be read, and is left as it is:\n\n" + "\n".join(f"- `{p}`" for p in error.problems))
            return
        markdown, where = session_markdown(document, self.client_name)
        await view.update(markdown)
        target = self._target_line(document, where)
        if target is not None:
            self.call_after_refresh(self._scroll_to_line, target)

    def _target_line(self, document: SessionDocument, where: dict[int, int]) -> int | None:
        if self.stamp is None and not self.text:
            return None
        stamp = f"[{format_stamp(self.stamp)}]" if self.stamp is not None else ""
        for number, item in enumerate(document.body):
            line = visible(item.render() if isinstance(item, EntryLine) else item)
            if stamp in line and self.text in line:
                return where[number]
        return None

    def _scroll_to_line(self, line: int) -> None:
        # The innermost rendered block whose source lines hold the match.
        blocks = [b for b in self.query(MarkdownBlock) if b.source_range[0] <= line < max(b.source_range[1], b.source_range[0] + 1)]
        if not blocks:
            return
        block = min(blocks, key=lambda b: b.source_range[1] - b.source_range[0])
        block.add_class("-found")
        self.query_one("#view", Markdown).scroll_to_widget(block, animate=False, top=True)

    def action_close(self) -> None:
        self.dismiss()

    def action_move(self) -> None:
        if self.pal.private:
            self.notify("Lift the privacy blind (F9) first: moving a session shows client names.", title="Not now", markup=False)
            return
        from ...core.clients import list_clients
        from ...core.moving import client_of
        from ..dialogs.confirm import ChoiceDialog

        try:
            here = client_of(self.pal.home, self.path)
        except ChangeFailed as error:
            self.notify(str(error), title="Not moved", severity="error", markup=False)
            return
        others = [e for e in list_clients(self.pal.home) if e.card is not None and e.slug != here]  # cards: no client file parsed
        if not others:
            self.notify("There is no other client to move it to.", title="Not moved", markup=False)
            return
        choices = [(e.slug, e.name) for e in others]
        self._names = dict(choices)
        detail = "The goals it worked on go with it; what was asked in it counts as asked of the new client."
        self.app.push_screen(ChoiceDialog(f"Move {self.path.name} to which client?", choices, detail=detail), self._move_to)

    def _move_to(self, slug: str | None) -> None:
        from datetime import UTC, datetime

        from ...core.moving import Moved, move_session

        if not slug:
            return
        moved: list[Moved] = []
        if not attempt(self, "Not moved", lambda: moved.append(move_session(self.pal.home, self.path, slug, datetime.now(UTC)))):
            return
        came = f" Goals that came with it: {', '.join(moved[0].copied)}." if moved[0].copied else ""
        self.notify(f"Moved to {self._names.get(slug, slug)}.{came}", title="Session moved", markup=False)
        self.pal.past_sessions_changed()  # the review's lists, and a session's last-time card, read the files again
        self.dismiss()
