"""The footers: every screen's, which lets go of the keys it showed before, and the session's and pack editor's,
which keeps every key a coach needs in sight, F1 included, down to 80 columns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

NARROW = 100  # columns below which the footer leaves out the keys a coach reaches for least


class KeysFooter(Footer):
    """Textual's compact footer. Footer composes its keys again whenever the screen's bindings change, and each key
    it composed is bound to its `compact`, a watcher Footer keeps until `compact` next changes (Textual #6666):
    a session screen's footer, composed again at every change of the timer, the cursor or a list, held every key
    it had ever shown. After each composing the keys gone are let go."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # queued (a change of bindings, a resize) while its screen was closing: nothing to show
        await super().recompose()
        # Watchers run for a "changed" compact: the live keys are told the value they have, and the gone ones,
        # closed, are dropped from the list.
        self.mutate_reactive(Footer.compact)


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
        self._keys_shown: tuple[object, ...] | None = None  # what the keys composed last show (see recompose)

    def on_resize(self) -> None:
        if (self.app.size.width < NARROW) != self._narrow:
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        """Footer composes its keys again after every change of bindings (the cursor moving, the timer's state,
        a list armed, the deck loaded), removing and mounting each key; the changes come in bursts (four before a
        session's first frame, each a few milliseconds of mounting and styling). Composed again only when what
        the keys would show differs from what they show."""
        if not self.is_attached:
            return  # its screen is gone (the recompose was queued as it closed): `self.screen` would raise
        if self._keys_shown is not None and self._keys_shown == self._keys_wanted():
            return
        await super().recompose()

    def _keys_wanted(self) -> tuple[object, ...]:
        """What the footer would show now: each shown binding (its key, words, action, enabled, tooltip), and the width."""
        shown = tuple((b.key, b.description, b.action, enabled, tooltip) for _, b, enabled, tooltip in self.screen.active_bindings.values() if b.show)
        return (self.app.size.width < NARROW, shown)

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
        # Before the screen's bindings are ready Footer composes nothing: that is not what a next change compares with.
        self._keys_shown = self._keys_wanted() if widgets else None
