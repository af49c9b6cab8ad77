"""Tab and shift+Tab in a form, taken as the app reads them.

A key goes to the widget focused when the app reads it; a plain binding runs later, when the key has gone
up to the app. So "Lead the team" Tab "courage", typed fast, put "cour" in the title: the letters after Tab
were already queued in the first field. As priority bindings, Tab and shift+Tab move the focus before the
next key is handed on, and every letter lands in the field it was typed for.
"""

from __future__ import annotations

from textual.binding import Binding

FORM_KEYS = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]
