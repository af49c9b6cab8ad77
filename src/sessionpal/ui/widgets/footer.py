"""A footer that keeps every key a coach needs in sight, F1 included, down to 80 columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

NARROW = 100  # columns below which the footer leaves out the keys a coach reaches for least


class CompactFooter(Footer):
    """Footer keeps no per-key switch, so this one leaves some keys out of what Footer composes when the
    terminal is narrow: they stay bound, and in the help (F1) and the palette. A key is told by its action
    (Footer's key widget is private to Textual)."""

    def __init__(self, left_out_when_narrow: Iterable[str] = (), *, armed: Iterable[str] = (), left_out_when_armed: Iterable[str] = (), **kwargs: Any) -> None:
        """`armed`: the actions of keys shown while a list waits for its one key; then `left_out_when_armed`
        go, so that those keys, End and F1 fit (the goals' eight at 140 columns, the log's three at 80)."""
        super().__init__(compact=True, show_command_palette=False, **kwargs)
        self.left_out_when_narrow = frozenset(left_out_when_narrow)
        self.armed = frozenset(armed)
        self.left_out_when_armed = frozenset(left_out_when_armed)
        self._narrow: bool | None = None

    def on_resize(self) -> None:
        if (self.app.size.width < NARROW) != self._narrow:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        narrow = self._narrow = self.app.size.width < NARROW
        keys = 0
        widgets = list(super().compose())
        left_out = self.left_out_when_narrow if narrow else frozenset()
        if any(getattr(w, "action", None) in self.armed for w in widgets):
            left_out = left_out | self.left_out_when_armed
        for widget in widgets:
            action = getattr(widget, "action", None)
            if action in left_out:
                continue
            keys += action is not None
            yield widget
        self.styles.grid_size_columns = max(keys, 1)
