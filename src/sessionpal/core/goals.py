"""Changes to a client's goals: add, status, rename, value, tags, order, and the stalled-goal playbook.

Every change goes through clients.edit_client (tomlkit and the atomic writer),
so the coach's comments and own keys survive. Status changes and playbook moves
add a line to the goal's history stamped with the date and time (with its UTC
offset); a move that changes no status is recorded with from = to. Times, not
just days, because a coach may hold two sessions with a client on one day, and
a goal made in the second must not count the first as a session it sat still in.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import TYPE_CHECKING

from .clients import ClientEditError, edit_client, load_client
from .model import MOVE_WORDS, Client, Goal, GoalStatus, Move, moment_now
from .paths import Home
from .safe_text import refuse_control
from .tomledit import snippet_array, snippet_inline, snippet_table

if TYPE_CHECKING:
    from tomlkit import TOMLDocument
    from tomlkit.items import AbstractTable, Table

GOAL_ID_MAX = 40
TITLE_MAX = 200


def goal_id_for(title: str, taken: set[str]) -> str:
    """An ASCII id from the title (session files refer to goals by id), unique among `taken`."""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")
    base = text[:GOAL_ID_MAX].rstrip("-") or "goal"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    refuse_control(title, "a goal's title", ClientEditError)
    if not title:
        raise ClientEditError("a goal needs a title")
    if len(title) > TITLE_MAX:
        raise ClientEditError(f"a goal's title is at most {TITLE_MAX} characters")
    return title


def _find(document: TOMLDocument, goal_id: str) -> AbstractTable:
    # The file was checked before the edit, so each goal is a table (an [[goals]] block or an inline table).
    goal: AbstractTable | None = next((g for g in document.get("goals", []) if g.get("id") == goal_id), None)
    if goal is None:
        raise ClientEditError(f"no goal {goal_id!r}")
    return goal


OPEN_STATUSES = frozenset(s.value for s in GoalStatus if s.is_open)


def _record(goal: AbstractTable, at: date, before: str, after: str, note: str, move: Move | None = None) -> None:
    entry = {"date": at, "from": before, "to": after, "note": " ".join(note.split())}
    if move is not None:
        entry["move"] = move.value
    if "history" in goal:
        goal["history"].append(snippet_inline(entry))
    else:
        goal["history"] = snippet_array("history", [entry])


def _append_goal(document: TOMLDocument, title: str, values: list[str], tags: list[str], at: date) -> str:

    goals = document.get("goals")
    taken = {str(g.get("id", "")) for g in goals} if goals is not None else set()
    gid = goal_id_for(title, taken)
    table = snippet_table("goals", {"id": gid, "title": title, "status": "active", "values": values or None, "created": at, "tags": tags or None})
    append_goal_table(document, table)
    return gid


def append_goal_table(document: TOMLDocument, table: Table) -> None:
    """One more `[[goals]]` block at the end of the client's goals, however the file holds them now."""
    import tomlkit

    goals = document.get("goals")
    if goals is not None and len(goals) == 0:
        del document["goals"]  # `goals = []`, written by hand or by an older sessionpal: blocks follow instead
        goals = None
    if goals is None:
        array = tomlkit.aot()
        array.append(table)
        document.append("goals", array)
    elif isinstance(goals, tomlkit.items.AoT):
        goals.append(table)
    else:  # goals = [{ ... }] written by hand: one more inline table
        inline = tomlkit.inline_table()
        inline.update(table.unwrap())
        goals.append(inline)


def add_goal(home: Home, slug: str, title: str, *, value: str = "", tags: list[str] | None = None, at: datetime | None = None) -> Goal:
    title = _clean_title(title)
    at = at or moment_now()
    holder: dict[str, str] = {}
    values = [" ".join(value.split())] if value.strip() else []

    def edit(document: TOMLDocument) -> None:
        holder["id"] = _append_goal(document, title, values, tags or [], at)
        add_values(document, values)

    client = edit_client(home, slug, edit)
    return _goal(client, holder["id"])


def _goal(client: Client, goal_id: str) -> Goal:
    goal = client.goal(goal_id)
    assert goal is not None
    return goal


def change_goal_status(home: Home, slug: str, goal_id: str, to: GoalStatus, note: str = "", *, at: datetime | None = None) -> Goal:
    """Set a goal's status and record the change, with its date and note, in the goal's history."""
    at = at or moment_now()

    def edit(document: TOMLDocument) -> None:
        goal = _find(document, goal_id)
        before = str(goal.get("status", "active"))
        goal["status"] = to.value
        _record(goal, at, before, to.value, note)

    return _goal(edit_client(home, slug, edit), goal_id)


def rename_goal(home: Home, slug: str, goal_id: str, title: str) -> Goal:
    """A new title in the client's words; the id stays, so past sessions still point at the goal."""
    title = _clean_title(title)
    return _goal(edit_client(home, slug, lambda d: _find(d, goal_id).__setitem__("title", title)), goal_id)


def link_value(home: Home, slug: str, goal_id: str, value: str, *, at: datetime | None = None, playbook: bool = False) -> Goal:
    """Connect a goal to one more of the client's values (added to their values if new); "" unlinks them all."""
    value = " ".join(value.split())
    if not value:
        return set_goal_values(home, slug, goal_id, [], at=at)
    current = _goal(load_client(home.client_file(slug), slug), goal_id).values
    return set_goal_values(home, slug, goal_id, [*current, value], at=at, playbook=playbook)


def add_values(document: TOMLDocument, values: list[str]) -> None:
    """A value named anywhere (a goal's, a link) is the client's value: added to their list if new."""
    known = [str(v) for v in document.get("values", [])]
    for value in values:
        if value.casefold() not in {v.casefold() for v in known}:
            if "values" in document:
                document["values"].append(value)
            else:
                document["values"] = [value]
            known.append(value)


def set_goal_values(home: Home, slug: str, goal_id: str, values: list[str], *, at: datetime | None = None, playbook: bool = False) -> Goal:
    """The values a goal serves, in this order (new ones added to the client's values); [] unlinks.

    Written as `values = [...]` (a lone `value = "..."` of an older file goes). With `playbook` (the stalled-goal
    playbook's "connect it to a value"), each new link is recorded in the goal's history as that move; a link
    made anywhere else is no move, and no history line."""
    refuse_control([" ".join(v.split()) for v in values], "a value", ClientEditError)
    cleaned: list[str] = []
    for value in (" ".join(v.split()) for v in values if v.strip()):
        if value.casefold() not in {c.casefold() for c in cleaned}:  # "Freedom" is "freedom" again
            cleaned.append(value)
    at = at or moment_now()

    def edit(document: TOMLDocument) -> None:
        goal = _find(document, goal_id)
        status = str(goal.get("status", "active"))
        before = [str(goal["value"])] if "value" in goal else []
        before += [str(v) for v in goal.get("values", [])]
        if "value" in goal:
            del goal["value"]
        if cleaned:
            goal["values"] = cleaned
        elif "values" in goal:
            del goal["values"]
        add_values(document, cleaned)
        for value in cleaned:
            if playbook and value.casefold() not in {b.casefold() for b in before}:
                _record(goal, at, status, status, f"connected to the value: {value}", Move.VALUE)

    return _goal(edit_client(home, slug, edit), goal_id)


def set_goal_tags(home: Home, slug: str, goal_id: str, tags: list[str]) -> Goal:
    """The areas of life a goal touches (e.g. family); an ask-first area brings a permission reminder."""
    refuse_control([" ".join(t.split()) for t in tags], "an area", ClientEditError)
    cleaned = []
    for tag in tags:
        tag = " ".join(tag.split()).casefold()
        if tag and tag not in cleaned:
            cleaned.append(tag)

    def edit(document: TOMLDocument) -> None:
        goal = _find(document, goal_id)
        if cleaned:
            goal["tags"] = cleaned
        elif "tags" in goal:
            del goal["tags"]

    return _goal(edit_client(home, slug, edit), goal_id)


def move_goal(home: Home, slug: str, goal_id: str, delta: int) -> Client:
    """Move a goal up (delta -1) or down (+1) in the client's list; the sidebar shows that order."""

    def edit(document: TOMLDocument) -> None:
        goals = document.get("goals")
        ids = [g.get("id") for g in goals] if goals is not None else []
        if goal_id not in ids:
            raise ClientEditError(f"no goal {goal_id!r}")
        assert goals is not None  # ids is empty without goals, so we raised above
        index = ids.index(goal_id)
        target = index + delta
        if not 0 <= target < len(ids):
            return
        table = goals[index]
        del goals[index]
        goals.insert(target, table)

    return edit_client(home, slug, edit)


def record_move(home: Home, slug: str, goal_id: str, move: Move, note: str, *, at: datetime | None = None) -> Goal:
    """Record a playbook move that changes no status (explore the reason, add support, set goals aside)."""
    at = at or moment_now()

    def edit(document: TOMLDocument) -> None:
        goal = _find(document, goal_id)
        status = str(goal.get("status", "active"))
        _record(goal, at, status, status, note, move)

    return _goal(edit_client(home, slug, edit), goal_id)


SET_ASIDE = "set aside for now: working without goals"
TAKEN_UP = "taken up again: working with goals"


def work_without_goals(home: Home, slug: str, without: bool, *, at: datetime | None = None, move_on: str = "") -> Client:
    """Work without goals for now, or with them again: the goals are kept, and each open goal's history says
    when (the coach looking back sees why a goal went quiet). `move_on`: the stalled goal whose playbook move
    this is; its line says so. One write of client.toml."""
    at = at or moment_now()

    def edit(document: TOMLDocument) -> None:
        document["no_goals"] = without
        for goal in document.get("goals", []):
            status = str(goal.get("status", "active"))
            if status not in OPEN_STATUSES:
                continue  # achieved, changed, dropped: nothing to set aside
            if move_on and goal.get("id") == move_on:
                _record(goal, at, status, status, MOVE_WORDS[Move.DROP_ALL], Move.DROP_ALL)
            else:
                _record(goal, at, status, status, SET_ASIDE if without else TAKEN_UP)

    return edit_client(home, slug, edit)


def succeed_goal(home: Home, slug: str, goal_id: str, new_title: str, move: Move, *, at: datetime | None = None) -> tuple[Goal, Goal]:
    """Shrink or replace a goal: a new goal takes its place and the old one becomes "changed", linked to it.

    Returns (old goal, new goal). The new goal keeps the old one's value and tags.
    """
    if move not in (Move.SHRINK, Move.REPLACE):
        raise ValueError(move)
    new_title = _clean_title(new_title)
    at = at or moment_now()
    holder: dict[str, str] = {}

    def edit(document: TOMLDocument) -> None:
        goal = _find(document, goal_id)
        tags = [str(t) for t in goal.get("tags", [])]
        served = ([str(goal["value"])] if "value" in goal else []) + [str(v) for v in goal.get("values", [])]
        new_id = _append_goal(document, new_title, list(dict.fromkeys(served)), tags, at)  # the new goal serves the same values
        holder["id"] = new_id
        before = str(goal.get("status", "active"))
        goal["status"] = "changed"
        goal["replaced_by"] = new_id
        verb = "shrunk to" if move is Move.SHRINK else "replaced by"
        _record(goal, at, before, "changed", f"{verb}: {new_title}", move)

    client = edit_client(home, slug, edit)
    return _goal(client, goal_id), _goal(client, holder["id"])


def reload(home: Home, slug: str) -> Client:
    return load_client(home.client_file(slug), slug)
