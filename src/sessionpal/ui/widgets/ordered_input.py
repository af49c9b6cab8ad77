"""An Input whose own keys act in the order they were typed: Backspace, ←, ctrl+w and the rest.

Textual runs a widget's key bindings only once the key has bubbled up to the app, through each container's
queue; a character is inserted by the Input itself, at once. Keys that arrive in one burst (a fast typist's
correction, a laggy SSH link, a browser tab catching up) were therefore reordered: "abc", Backspace, "x" came
out "abc" (the x typed, then deleted), and ←← then "y" put the y at the end. Here the Input's own bindings are
run where the key arrives, in its turn, as the characters are; every other key goes on as before (the screen's
and the app's bindings, which a priority binding would have taken before the key reached the Input anyway).
"""

from __future__ import annotations

import inspect
from functools import cache

from textual import events
from textual.actions import parse
from textual.binding import Binding
from textual.widgets import Input


def _keys(binding: Binding) -> list[str]:
    return [key.strip() for key in binding.key.split(",")]


@cache
def own_keys(kind: type[Input]) -> dict[str, str]:
    """Key -> action of Textual's Input bindings (editing and moving the cursor: no ids, so no keymap changes
    them), less the keys a subclass binds itself (the deck filter's Enter and Esc): those go Textual's way."""
    theirs = {key for cls in kind.__mro__[: kind.__mro__.index(Input)] for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding) for key in _keys(b)}
    return {key: b.action for b in Input.BINDINGS if isinstance(b, Binding) for key in _keys(b) if key not in theirs}


class OrderedInput(Input):
    async def on_key(self, event: events.Key) -> None:
        keys = own_keys(type(self))
        action = next((keys[key] for key in (event.key, *event.aliases) if key in keys), None)
        if action is None:
            return
        _, name, parameters = parse(action)  # the Input's own actions: no "app." or "screen." namespace
        if self.check_action(name, parameters) is False:
            return
        method = getattr(self, f"action_{name}", None)
        if method is None:
            return
        event.stop()
        event.prevent_default()  # nor again when it reaches the app
        result = method(*parameters)
        if inspect.isawaitable(result):
            await result
