"""The clients of the rows the review shows, as their files say now: their goal titles (sessions record goals by
id) and their names (the index keeps the name a session had when it was read: a client renamed since was shown
under the old one). Read before a row is drawn, so a row is never drawn with ids and then with titles."""

from __future__ import annotations

import os

from ...core.clients import load_client
from ...core.index_types import SessionRow
from ...core.model import Client
from ...core.paths import Home, is_valid_slug
from ...core.problems import FileProblems
from ...core.safe_text import visible

PEEK_CLIENT_BYTES = 64 * 1024  # a client file read on the UI's thread for the first rows is at most this (most are 2 KB)


class ShownClients:
    def __init__(self, client: Client | None = None) -> None:
        self.goal_titles: dict[str, dict[str, str]] = {client.slug: {goal.id: goal.title for goal in client.goals}} if client else {}
        self.names: dict[str, str] = {client.slug: client.name} if client else {}

    def learn(self, home: Home, slugs: set[str]) -> None:
        """These clients' goal titles and names, from their files (once each). A client the index names oddly
        (not a folder name: a damaged or crafted index) is shown as the index says, made harmless."""
        for slug in slugs - self.goal_titles.keys():
            try:
                if not isinstance(slug, str) or not is_valid_slug(slug):
                    raise ValueError(slug)
                client = load_client(home.client_file(slug), slug)
            except (FileProblems, ValueError, TypeError):
                self.goal_titles[slug] = {}  # shown with goal ids and the index's name, as for any unreadable file
                continue
            self.goal_titles[slug] = {goal.id: goal.title for goal in client.goals}
            self.names[slug] = client.name

    def readable_prefix(self, home: Home, rows: list[SessionRow]) -> list[SessionRow]:
        """The rows up to the first whose client file is not a small one: the first rows' files are read on the
        UI's thread, and a 12 MB client.toml takes seconds (the worker's page brings the rest)."""
        for at, row in enumerate(rows):
            if row.client in self.goal_titles:
                continue
            try:
                small = is_valid_slug(row.client) and os.stat(home.client_file(row.client)).st_size <= PEEK_CLIENT_BYTES
            except (OSError, ValueError, TypeError):
                small = False
            if not small:
                return rows[:at]
        return rows

    def titles_of(self, slug: str) -> dict[str, str]:
        return self.goal_titles.get(slug, {})

    def name_of(self, slug: str, indexed: str) -> str:
        return self.names.get(slug) or visible(str(indexed))  # the index's, made harmless like any text from disk
