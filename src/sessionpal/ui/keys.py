"""The app's key bindings by id, for the coach's keymap in config.toml and the help screen."""

from __future__ import annotations

from textual.binding import Binding


def all_bindings() -> list[tuple[str, Binding]]:
    """(where, binding) for every binding with an id, in the order the help screen lists them."""
    from .app import SessionPalApp
    from .screens.clients import ClientPickerScreen
    from .screens.session import SessionScreen

    found: list[tuple[str, Binding]] = []
    for where, owner in (("Session", SessionScreen), ("Clients", ClientPickerScreen), ("Everywhere", SessionPalApp)):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found.append((where, binding))
    return found


def known_binding_ids() -> list[str]:
    return sorted({binding.id for _, binding in all_bindings() if binding.id})
