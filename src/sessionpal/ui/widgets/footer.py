"""The footers: every screen's, which lets go of the keys it showed before, and the session's and pack editor's,
which keeps every key a coach needs in sight, F1 included, down to 80 columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

NARROW = 100  # columns below which the footer leaves out the keys a coach reaches for least


class KeysFooter(Footer):
    """Textual's compact footer, composed again only when what its keys show changes, letting go of the keys gone.

    Footer composes its keys again after every change of the screen's bindings (the cursor moving, the timer's
    state, a list armed, rows arriving), removing and mounting each key: bursts of them before a screen's first
    frame, each a few milliseconds of mounting and styling, mostly showing what was there. And each key it
    composed is bound to its `compact`, a watcher Footer keeps until `compact` next changes (Textual #6666): a
    session screen's footer held every key it had ever shown. After each composing the keys gone are let go."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self._keys_shown: tuple[object, ...] | None = None  # what the keys composed last show

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # queued (a change of bindings, a resize) while its screen was closing: nothing to show
        wanted = self._keys_wanted()
        if self._keys_shown is not None and self._keys_shown == wanted:
            return
        await super().recompose()
        # Before the screen's bindings are ready Footer composes nothing: that is not what a next change compares with.
        self._keys_shown = wanted if self.children else None
        # Watchers run for a "changed" compact: the live keys are told the value they have, and the gone ones,
        # closed, are dropped from the list.
        self.mutate_reactive(Footer.compact)

    def _keys_wanted(self) -> tuple[object, ...]:
        """What the footer would show now: each shown binding (its key, words, action, enabled, tooltip)."""
        return tuple((b.key, b.description, b.action, enabled, tooltip) for _, b, enabled, tooltip in self.screen.active_bindings.values() if b.show)


class CompactFooter(KeysFooter):
    """Footer keeps no per-key switch, so this one leaves some keys out of what Footer composes when the
    terminal is narrow: they stay bound, and in the help (F1) and the palette. A key is told by its action
    (Footer's key widget is private to Textual)."""

    def __init__(self, left_out_when_narrow: Iterable[str] = (), *, armed: Iterable[str] = (), left_out_when_armed: Iterable[str] = (), **kwargs: Any) -> None:
        """`armed`: the actions of keys shown while a list waits for its one key; then `left_out_when_armed`
        go, so that those keys, End and F1 fit (the goals' eight at 140 columns, the log's three at 80)."""
        super().__init__(show_command_palette=False, **kwargs)
        self.left_out_when_narrow = frozenset(left_out_when_narrow)
        self.armed = frozenset(armed)
        self.left_out_when_armed = frozenset(left_out_when_armed)
        self._narrow: bool | None = None

    def on_resize(self) -> None:
        if (self.app.size.width < NARROW) != self._narrow:
            self.call_after_refresh(self.recompose)

    def _keys_wanted(self) -> tuple[object, ...]:
        """And the width: below NARROW some keys are left out."""
        return (self.app.size.width < NARROW, super()._keys_wanted())

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
