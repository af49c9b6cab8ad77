"""How a sync tool names the copy it leaves when two devices changed one file: the names alone, so that
the roster (which lists folders) and conflicts (which pairs and resolves copies) share them without
importing each other."""

from __future__ import annotations

import re

# name.sync-conflict-20261120-090000-ABCDEF.md      (Syncthing)
# name (conflicted copy 2026-11-20).md, name (Ana's conflicted copy 2026-11-20).md   (Dropbox; sessionpal's own)
# name (Case Conflict).md, name (Case Conflict 1).md   (Dropbox)
# name--conflicted-copy-2026-11-20.md                  (others)
_PATTERNS = [
    re.compile(r"^(?P<stem>.+?)\.sync-conflict-[^.]*(?P<ext>\..*)?$", re.IGNORECASE),
    re.compile(r"^(?P<stem>.+?) \([^)]*conflicted copy[^)]*\)(?P<ext>\..*)?$", re.IGNORECASE),
    re.compile(r"^(?P<stem>.+?) \(Case Conflict[^)]*\)(?P<ext>\..*)?$", re.IGNORECASE),
    re.compile(r"^(?P<stem>.+?)--conflicted-copy[^.]*(?P<ext>\..*)?$", re.IGNORECASE),
]
CONFLICT_COPY = re.compile(r"(\.sync-conflict-|\([^)]*conflicted copy|\(Case Conflict|--conflicted-copy)", re.IGNORECASE)


def original_name(copy_name: str) -> str | None:
    """The name of the file a conflict copy is a copy of; None when it is not one."""
    for pattern in _PATTERNS:
        found = pattern.match(copy_name)
        if found:
            return found["stem"] + (found["ext"] or "")
    return None
