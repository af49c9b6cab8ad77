"""The app's key bindings by id, for the coach's keymap in config.toml and the help screen."""

from __future__ import annotations

from textual.binding import Binding


def all_bindings() -> list[tuple[str, Binding]]:
    """(where, binding) for every binding with an id, in the order the help screen lists them."""
    from .app import SessionPalApp
    from .screens.alignment import AlignmentScreen
    from .dialogs.question import QuestionDialog
    from .screens.clients import ClientPickerScreen
    from .screens.conflicts import ConflictsScreen
    from .screens.packs import PacksScreen
    from .screens.session import SessionScreen
    from .widgets.deck import DeckFilter
    from .widgets.goals import GoalList
    from .widgets.notes import NotesLog

    found: list[tuple[str, Binding]] = []
    owners = (
        ("Session", SessionScreen),
        ("Goals sidebar", GoalList),
        ("Notes log", NotesLog),
        ("Deck filter", DeckFilter),
        ("Values and goals", AlignmentScreen),
        ("Pack editor", PacksScreen),
        ("Question form", QuestionDialog),
        ("Clients", ClientPickerScreen),
        ("Sync conflicts", ConflictsScreen),
        ("Everywhere", SessionPalApp),
    )
    for where, owner in owners:
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found.append((where, binding))
    return found


def known_binding_ids() -> list[str]:
    return sorted({binding.id for _, binding in all_bindings() if binding.id})
