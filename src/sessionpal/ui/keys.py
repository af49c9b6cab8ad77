"""The app's key bindings by id, for the coach's keymap in config.toml and the help screen."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual.binding import Binding

# A browser keeps some keys for itself and never passes them to a page: Chromium (Chrome, Edge)
# ctrl+n, ctrl+t, ctrl+w, ctrl+shift+n/t/w, ctrl+tab and ctrl+page up/down; Firefox ctrl+q too.
# In a browser tab (`sessionpal serve`) these commands use the keys here instead; the coach's
# own [keys] in config.toml still win.
BROWSER_KEYS = {
    "new_client": "f2",  # ctrl+n opens a new browser window
    "timer": "f2",  # ctrl+t opens a new tab (F2 is the timer's first key anyway)
    "today": "f4",  # the client list's today's calls: ctrl+t, again, is the browser's
}

KEY_NAMES = {
    "escape": "Esc",
    "up": "↑",
    "down": "↓",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "shift+up": "shift+↑",
    "shift+down": "shift+↓",
    "delete": "Delete",
    "enter": "Enter",
    "ctrl+backslash": "ctrl+\\",
}


def key_label(keys: str) -> str:
    """ "f2,ctrl+t" -> "F2 / ctrl+t"; names a coach would not recognise become the key's symbol."""
    labels = []
    for key in (k.strip() for k in keys.split(",")):
        labels.append(key.upper() if re.fullmatch(r"f\d+", key) else KEY_NAMES.get(key, key))
    return " / ".join(labels)


BROWSER_NOTE = "In a browser tab: F2 adds a client and runs the timer (ctrl+n and ctrl+t belong to the browser); in Firefox, quit from ctrl+p."


def all_bindings(everywhere: Iterable[Binding | tuple[str, ...]]) -> list[tuple[str, Binding]]:
    """(where, binding) for every binding with an id, in the order the help screen lists them.

    `everywhere`: the app's own bindings, passed in so that this module never imports the app."""
    from .dialogs.question import QuestionDialog
    from .screens.alignment import AlignmentScreen
    from .screens.clients import CALL_KEYS, ClientPickerScreen
    from .screens.conflicts import ConflictsScreen
    from .screens.packs import PacksScreen
    from .screens.patterns import PatternsScreen
    from .screens.session import SessionScreen
    from .widgets.deck import DeckFilter
    from .widgets.goals import GOAL_KEYS
    from .widgets.notes import LOG_KEYS

    found: list[tuple[str, Binding]] = []
    owners: tuple[tuple[str, Iterable[Binding | tuple[str, ...]]], ...] = (
        ("Session", SessionScreen.BINDINGS),
        ("Goals sidebar", GOAL_KEYS),
        ("Notes log", LOG_KEYS),
        ("Deck filter", DeckFilter.BINDINGS),
        ("Values and goals", AlignmentScreen.BINDINGS),
        ("Pack editor", PacksScreen.BINDINGS),
        ("Question form", QuestionDialog.BINDINGS),
        ("Clients", ClientPickerScreen.BINDINGS),
        ("Today's calls", CALL_KEYS),
        ("What keeps coming up", PatternsScreen.BINDINGS),
        ("Sync conflicts", ConflictsScreen.BINDINGS),
        ("Everywhere", everywhere),
    )
    for where, bindings in owners:
        for binding in bindings:
            if isinstance(binding, Binding) and binding.id:
                found.append((where, binding))
    return found


# Where the coach types (the note line, the client filter, the deck filter, the question form): a command
# there that took a letter or Enter would fire instead of the word being typed, and lose the note.
WHILE_TYPING = ("Session", "Everywhere", "Clients", "Deck filter", "Question form")


def ids_while_typing(everywhere: Iterable[Binding | tuple[str, ...]]) -> dict[str, str]:
    """The commands whose keys work while the coach types, with their default keys (the deck filter's Enter
    is its own). The key after F7 or F8 is not one of them: the session screen holds those bindings too,
    but they act only once armed, where a letter is right; nor is the client list's Enter on a call chosen."""
    found = all_bindings(everywhere)
    armed = {binding.id for where, binding in found if where in ("Goals sidebar", "Notes log", "Today's calls")}
    return {binding.id: binding.key for where, binding in found if binding.id and where in WHILE_TYPING and binding.id not in armed}


def known_binding_ids(everywhere: Iterable[Binding | tuple[str, ...]]) -> set[str]:
    return {binding.id for _, binding in all_bindings(everywhere) if binding.id}
