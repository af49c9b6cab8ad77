"""The deck's list of questions, drawn line by line (Textual's Line API), one question a line.

A filter keystroke changes which questions are listed, not the list's size: so the list
only repaints, and never asks the screen for a new layout (an OptionList re-measures
every option and its scrollbars, which cost a keystroke 20-40 ms with 5,000 questions).
It draws the lines in view and nothing else, so it can list every match, not a first 200.
The current question is shown whole above the list; a line too long for the list ends
in an ellipsis. The list never takes the keyboard (the filter and the note line move
through it); a click picks a question and the wheel scrolls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

T = TypeVar("T")
WHEEL_STEP = 3  # lines a turn of the mouse wheel moves


class QuestionList(Widget, Generic[T], can_focus=False):
    COMPONENT_CLASSES = {"question-list--highlighted"}

    DEFAULT_CSS = """
    QuestionList {
        height: 1fr;
        padding: 0 1;
        & > .question-list--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
        }
    }
    """

    class Picked(Message):
        """The coach clicked a line."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, line: Callable[[T], Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._line = line  # an item's line, made only when it comes into view
        self.items: Sequence[T] = ()
        self.highlighted: int | None = None
        self.top = 0  # the item on the first line

    def show(self, items: Sequence[T], highlighted: int | None) -> None:
        self.items = items
        self.highlighted = highlighted
        self.top = 0
        self._keep_in_view()
        self.refresh()

    def highlight(self, index: int | None) -> None:
        if index != self.highlighted:
            self.highlighted = index
            self._keep_in_view()
            self.refresh()

    def redraw(self, index: int) -> None:
        """One item's line changed (asked just now, say)."""
        if self.top <= index < self.top + self.size.height:
            self.refresh()  # the lines in view: a few dozen at most

    def _keep_in_view(self) -> None:
        height = max(1, self.size.height)
        if self.highlighted is not None:
            if self.highlighted < self.top:
                self.top = self.highlighted
            elif self.highlighted >= self.top + height:
                self.top = self.highlighted - height + 1
        self.top = self._within(self.top)

    def _within(self, top: int) -> int:
        """The first line's item, so that the list is never scrolled past its last item."""
        return max(0, min(top, len(self.items) - max(1, self.size.height)))

    def on_resize(self) -> None:
        self._keep_in_view()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.top + y
        base = self.rich_style
        if index >= len(self.items):
            return Strip.blank(width, base)
        text = self._line(self.items[index]).copy()
        text.no_wrap = True
        text.truncate(width, overflow="ellipsis", pad=True)
        style = base + self.get_component_rich_style("question-list--highlighted") if index == self.highlighted else base
        text.stylize(style)
        text.stylize_before(style)
        return Strip(text.render(self.app.console), width).crop_extend(0, width, style)

    def on_click(self, event: events.Click) -> None:
        index = self.top + event.y
        if 0 <= index < len(self.items):
            self.post_message(self.Picked(index))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll(WHEEL_STEP)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll(-WHEEL_STEP)
        event.stop()

    def _scroll(self, lines: int) -> None:
        top = self._within(self.top + lines)
        if top != self.top:
            self.top = top
            self.refresh()
