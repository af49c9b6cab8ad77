"""The app's key bindings by id, for the coach's keymap in config.toml and the help screen."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding


def all_bindings(everywhere: Iterable[Binding | tuple]) -> list[tuple[str, Binding]]:
    """(where, binding) for every binding with an id, in the order the help screen lists them.

    `everywhere`: the app's own bindings, passed in so that this module never imports the app."""
    from .dialogs.question import QuestionDialog
    from .screens.alignment import AlignmentScreen
    from .screens.clients import ClientPickerScreen
    from .screens.conflicts import ConflictsScreen
    from .screens.packs import PacksScreen
    from .screens.session import SessionScreen
    from .widgets.deck import DeckFilter
    from .widgets.goals import GoalList
    from .widgets.notes import NotesLog

    found: list[tuple[str, Binding]] = []
    owners: tuple[tuple[str, Iterable[Binding | tuple]], ...] = (
        ("Session", SessionScreen.BINDINGS),
        ("Goals sidebar", GoalList.BINDINGS),
        ("Notes log", NotesLog.BINDINGS),
        ("Deck filter", DeckFilter.BINDINGS),
        ("Values and goals", AlignmentScreen.BINDINGS),
        ("Pack editor", PacksScreen.BINDINGS),
        ("Question form", QuestionDialog.BINDINGS),
        ("Clients", ClientPickerScreen.BINDINGS),
        ("Sync conflicts", ConflictsScreen.BINDINGS),
        ("Everywhere", everywhere),
    )
    for where, bindings in owners:
        for binding in bindings:
            if isinstance(binding, Binding) and binding.id:
                found.append((where, binding))
    return found


def known_binding_ids(everywhere: Iterable[Binding | tuple]) -> set[str]:
    return {binding.id for _, binding in all_bindings(everywhere) if binding.id}
