"""One past session, rendered as Markdown: its notes, questions asked and actions.

Opened from a search result, it scrolls to the matching line and marks it.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static
from textual.widgets.markdown import MarkdownBlock

from ...core.problems import FileProblems
from ...core.safe_text import visible
from ...core.sessionfile import EntryLine, SessionDocument
from ...core.sessions import read_session
from ...core.stamps import format_stamp
from ...core.timer import format_clock


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
        # The lines as written, with anything a terminal would act on shown instead (see core.safe_text).
        lines.append(visible(item.render() if isinstance(item, EntryLine) else item))
    return "\n".join(lines), where


class SessionViewScreen(Screen):
    BINDINGS = [Binding("escape,q", "close", "Back", id="view_back", tooltip="Back to the review")]

    def __init__(self, path: Path, name: str, stamp: int | None = None, text: str = ""):
        super().__init__()
        self.path = path
        self.client_name = name
        self.stamp = stamp
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.path.name, id="view-title")
        yield Markdown(id="view")
        yield Footer(compact=True)

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
