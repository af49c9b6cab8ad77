"""The running app, typed, for screens, dialogs and widgets.

Textual types `self.app` as App[Any], so `self.app.home` is unchecked. A class
that needs the app's home, config, packs or clock says `pal = TypedApp()` once
and uses `self.pal`, which the type checker knows is a SessionPalApp.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from textual.app import SystemCommand
from textual.dom import DOMNode

if TYPE_CHECKING:  # for the checker only: at run time the app module imports the screens
    from .app import SessionPalApp


class TypedApp:
    def __get__(self, node: DOMNode | None, owner: type | None = None) -> SessionPalApp:
        assert node is not None, "the app is reached from a mounted node"
        return cast("SessionPalApp", node.app)


@runtime_checkable
class OffersCommands(Protocol):
    """A screen with commands of its own for the palette (the session, the client list): the app lists them
    first when that screen is in front."""

    def palette_commands(self) -> Iterable[SystemCommand]: ...
