"""A session recorded under the wrong client, moved to the right one.

The file keeps its name (a second one that minute gets -2) and its kept versions; its front matter
names the new client. The goals it worked on follow it: each is copied into the new client's file
if that client has none of that id, and leaves the old client's file when no other session of theirs
names it. What was asked in it moves with it (asked-question memory is read from the session files).
Both clients must be free: a session under way in another sessionpal is never moved from under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import fsio
from .clients import edit_client
from .lock import Locked, acquire, held_here
from .paths import Home, is_session_file_name, session_file_name, session_paths
from .problems import FileProblems
from .saving import SaveFailed
from .sessions import read_session, update_session
from .versions import folder_for

if TYPE_CHECKING:
    from tomlkit import TOMLDocument


class MoveRefused(SaveFailed):
    """A move that cannot be made (not a session of this home, the same client, a client in use)."""


@dataclass
class Moved:
    path: Path  # where the session is now
    copied: list[str] = field(default_factory=list)  # goal ids copied into the new client's file
    removed: list[str] = field(default_factory=list)  # goal ids that left the old client's file
    kept_theirs: list[str] = field(default_factory=list)  # goal ids the new client has already (theirs kept)


def client_of(home: Home, path: Path) -> str:
    """The slug of the client whose session `path` is; MoveRefused if it is none of this home's."""
    path = path.absolute()
    slug = path.parent.parent.name
    if not is_session_file_name(path.name) or path.parent != home.sessions_dir(slug).absolute() or not path.is_file():
        raise MoveRefused(f"{path} is not a session file of this data home (clients/<client>/sessions/<date>.md)")
    return slug


def move_session(home: Home, path: Path, to: str, now: datetime) -> Moved:
    """Move the session `path` to the client `to` (a slug). See the module's docstring."""
    source = client_of(home, path)
    if source == to:
        raise MoveRefused("the session is that client's already")
    locks = []
    try:
        for slug in sorted({source, to}):  # in one order everywhere: two moves never wait on each other
            if held_here(home, slug):
                continue  # open in this app already (the review over a session under way): that lock stays as it is
            try:
                locks.append(acquire(home, slug, now))
            except Locked as error:
                raise MoveRefused(f"{slug} is open in another sessionpal ({error}); close it there first") from None
        return _move(home, path.absolute(), source, to)
    finally:
        for lock in locks:
            lock.release()


def _move(home: Home, path: Path, source: str, to: str) -> Moved:
    try:
        document = read_session(path)
    except FileProblems as error:
        raise MoveRefused(f"the session file cannot be read, so it is not moved: {error.problems[0]}") from None
    goal_ids = list(dict.fromkeys([*document.info.goals, *document.info.ratings]))
    stem = path.stem.rsplit("-", 1)[0] if path.stem.count("-") > 2 else path.stem  # 2026-11-23T1000(-2)
    target = None
    for n in range(1, 1000):
        candidate = home.sessions_dir(to) / session_file_name(stem, n)
        if fsio.move_file(path, candidate):
            target = candidate
            break
    if target is None:
        raise MoveRefused(f"too many sessions of {to} named {stem}")
    update_session(target, lambda d: d.set_front(client=to))
    _move_versions(home, path, target)
    moved = Moved(target)
    if goal_ids:
        _follow_goals(home, source, to, goal_ids, moved)
    return moved


def _move_versions(home: Home, old: Path, new: Path) -> None:
    """The file's kept versions go with it (they are found by the file's path)."""
    before, after = folder_for(home, old), folder_for(home, new)
    if not before.is_dir():
        return
    for version in sorted(before.iterdir()):
        if version.is_file() and not version.is_symlink():
            fsio.move_file(version, after / version.name)


def _follow_goals(home: Home, source: str, to: str, goal_ids: list[str], moved: Moved) -> None:
    """Copy the session's goals into the new client's file first, then take from the old client's only
    what was copied and no other session of theirs names: a goal is never in neither file."""
    import tomlkit

    from .clients import load_client
    from .problems import read_user_text

    old_text = tomlkit.parse(read_user_text(home.client_file(source)))
    blocks = {str(g.get("id")): g.as_string() for g in old_text.get("goals", []) if str(g.get("id")) in goal_ids}
    if not blocks:
        return
    new = load_client(home.client_file(to), to)

    def give(document: TOMLDocument) -> None:
        for gid, block in blocks.items():
            if new.goal(gid) is not None:
                moved.kept_theirs.append(gid)
                continue
            table = tomlkit.parse("[[goals]]\n" + block)["goals"][0]
            if "goals" in document:
                document["goals"].append(table)
            else:
                array = tomlkit.aot()
                array.append(table)
                document.append("goals", array)
            moved.copied.append(gid)

    edit_client(home, to, give)
    still_named: set[str] = set()
    for other in session_paths(home, source):
        try:
            info = read_session(other).info
        except FileProblems:
            still_named |= set(moved.copied)  # unreadable: it might name them, so they stay
            continue
        still_named |= {*info.goals, *info.ratings}
    leaving = [gid for gid in moved.copied if gid not in still_named]

    def take(document: TOMLDocument) -> None:
        goals = document.get("goals", [])
        for table in [g for g in goals if str(g.get("id")) in leaving]:
            goals.remove(table)
            moved.removed.append(str(table.get("id")))

    if leaving:
        edit_client(home, source, take)
