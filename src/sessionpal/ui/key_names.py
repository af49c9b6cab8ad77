"""Key names as Textual names its key events, from what a binding or the coach's [keys] say.

Apart from ui/keys.py, which imports every screen to list their bindings: the session screen needs this."""

from __future__ import annotations

import unicodedata


def key_names(keys: str) -> list[str]:
    """ "f7,ctrl+g" -> ["f7", "ctrl+g"]; a key written as its character ("[") named as Textual names its events."""
    names = []
    for key in (k.strip() for k in keys.split(",") if k.strip()):
        if len(key) == 1 and not key.isalnum():
            key = unicodedata.name(key, key).lower().replace(" ", "_").replace("-", "_")
        names.append(key)
    return names
