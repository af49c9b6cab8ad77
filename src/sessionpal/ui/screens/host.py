"""What every flow the session screen owns needs of it: the session, the app, the one change funnel and the
way to tell the coach. Each flow's own protocol adds the few more things it uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

    from ...core.live import LiveSession
    from ..app import SessionPalApp


class SessionHost(Protocol):
    live: LiveSession
    app: App[int]

    @property
    def pal(self) -> SessionPalApp: ...

    def change(self, title: str, change: Callable[[], object], *, done: Callable[[], object] | None = None) -> bool: ...

    def notify(self, message: str, *, title: str = ..., severity: SeverityLevel = ..., timeout: float | None = ..., markup: bool = ...) -> None: ...
