"""The privacy blind's mask for words: what the app tells the coach while the blind is down.

Screens hide their panes with CSS; a notification is text, so it is masked
here: every string that would identify the client or what they brought (name,
folder, code, goals, values, areas, the session agreement) becomes "(private)".
"""

from __future__ import annotations

import re

from msgspec import Struct

from ..core.model import Client
from ..core.sessionfile import SessionDocument

MASK = "(private)"
MIN_WORD = 3  # shorter pieces of a name ("Li", "de") would mask half of every sentence


class Redactor(Struct, frozen=True):
    pattern: re.Pattern[str] | None

    @classmethod
    def for_client(cls, client: Client, document: SessionDocument | None = None) -> Redactor:
        words: set[str] = {client.name, client.slug, *client.name.split()}
        if client.code:
            words.add(client.code)
        for goal in client.goals:
            words.update((goal.title, goal.id))
        words.update(client.values)
        words.update(client.agreed)
        words.update(client.ask_first)
        if document is not None and document.info.agreement:
            words.add(document.info.agreement)
        kept = sorted((w for w in words if len(w.strip()) >= MIN_WORD), key=len, reverse=True)
        if not kept:
            return cls(None)
        return cls(re.compile("|".join(re.escape(w) for w in kept), re.IGNORECASE))

    def __call__(self, text: str) -> str:
        return self.pattern.sub(MASK, text) if self.pattern is not None and text else text
