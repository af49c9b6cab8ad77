"""A session recorded under the wrong client, moved to the right one: one transaction that survives a kill.

What moves: the session file, every file named after it (its recap `<session>.recap.md`, a sync tool's
copy, anything `<session>.*`) and the kept versions of each. The file keeps its name (a second one that
minute gets -2); its front matter names the new client. What was asked in it moves with it (asked-question
memory is read from the session files). The goals it worked on follow it as they stood in that session:
the status they had at its end and only the history it made, so nothing of the old client's later
sessions crosses over; each is copied into the new client's file if that client has none of that id (with
the values it serves, which become that client's values too), and leaves the old client's file when no
other session of theirs names it. Both clients must be free: a session under way in another sessionpal is
never moved from under it.

How it survives a kill or a power cut, as a database survives with its journal: before any file is
touched, an intent record (`<home>/.moves/<id>.json`: the two clients, the file's old and new name, the
goals as they will arrive) is written durably. Then each step, itself durable and safe to do again:
  1. every file gets its new name beside the old one (a hard link: the same file in both places);
  2. the new name's front matter is rewritten to name the new client;
  3. the goals go into the new client's file (those already there are not added twice);
  4. the old names are removed (only where the new name holds the file);
  5. the goals no other session of the old client names leave the old client's file;
  6. the record is removed.
A move found with its record (`finish_moves`, run where every command and the app open the home, and by the
next move between either client) is finished from the step it stopped at: each step looks at what is on
disk and does only what is missing. The one case undone instead is a new name taken meanwhile by another
file (a sync tool's): the move's own links are removed and the session stays where it was.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import fsio
from .clients import edit_client
from .goals_then import goals_as_they_stood
from .lock import Locked, SessionLock, acquire, held_here
from .paths import Home, is_session_file_name, is_valid_slug, session_file_name, session_paths
from .problems import FileProblems, read_user_bytes
from .saving import SaveFailed
from .sessionfile import SessionDocument
from .sessions import clean_leftovers, read_session
from .versions import folder_for

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

RECORD_MAX = 1_048_576  # bytes: a record holds two names and a few goals


class MoveRefused(SaveFailed):
    """A move that cannot be made (not a session of this home, the same client, a client in use)."""


class ClientBusy(MoveRefused):
    """One of the two clients is open in another sessionpal (which may be making this very move)."""


class MoveUnfinished(SaveFailed):
    """A move stopped half way by a failed write: its record stays, and the next start finishes it."""


def _no_crash(step: str) -> None:
    """Tests replace this to stop a move after each durable step, as a kill there would."""


_step: Callable[[str], None] = _no_crash


@dataclass
class Moved:
    path: Path  # where the session is now
    copied: list[str] = field(default_factory=list)  # goal ids copied into the new client's file
    removed: list[str] = field(default_factory=list)  # goal ids that left the old client's file
    kept_theirs: list[str] = field(default_factory=list)  # goal ids the new client has already (theirs kept)


@dataclass
class Plan:
    """What the intent record says: everything a later start needs to finish the move."""

    source: str  # the old client's slug
    to: str  # the new client's slug
    name: str  # the session file's name in the old client's sessions/
    target: str  # its name in the new client's sessions/
    goals: dict[str, str]  # goal id -> its [[goals]] block as it will arrive (TOML text)
    theirs: list[str]  # goal ids the new client had already: theirs are kept
    leaving: list[str]  # goal ids no other session of the old client names: they leave its file

    def render(self) -> str:
        return json.dumps({"version": 1, **self.__dict__}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def parse(cls, data: Any) -> Plan:
        """The record as sessionpal wrote it, or ValueError: a record in a synced home may have been made by
        anyone, so every name in it must be one this module could have written before anything is acted on."""
        if not isinstance(data, dict) or data.get("version") != 1:
            raise ValueError("not a move record of this sessionpal")
        source, to, name, target = (data.get(k) for k in ("source", "to", "name", "target"))
        slugs_ok = all(isinstance(s, str) and is_valid_slug(s) for s in (source, to)) and source != to
        names_ok = all(isinstance(n, str) and is_session_file_name(n) for n in (name, target))
        goals, theirs, leaving = data.get("goals"), data.get("theirs"), data.get("leaving")
        goals_ok = isinstance(goals, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in goals.items())
        lists_ok = all(isinstance(x, list) and all(isinstance(i, str) for i in x) for x in (theirs, leaving))
        if not (slugs_ok and names_ok and goals_ok and lists_ok):
            raise ValueError("a move record with names sessionpal would not write")
        assert isinstance(goals, dict) and isinstance(theirs, list) and isinstance(leaving, list)  # checked above
        return cls(str(source), str(to), str(name), str(target), dict(goals), list(theirs), list(leaving))


def client_of(home: Home, path: Path) -> str:
    """The slug of the client whose session `path` is; MoveRefused if it is none of this home's."""
    path = path.absolute()
    slug = path.parent.parent.name
    where = "is not a session file of this data home (clients/<client>/sessions/<date>.md)"
    if not is_valid_slug(slug) or not is_session_file_name(path.name):
        raise MoveRefused(f"{path} {where}")
    if path.parent != home.sessions_dir(slug).absolute() or not path.is_file():
        raise MoveRefused(f"{path} {where}")
    return slug


def move_session(home: Home, path: Path, to: str, now: datetime) -> Moved:
    """Move the session `path` to the client `to` (a slug). See the module's docstring."""
    source = client_of(home, path)
    if source == to:
        raise MoveRefused("the session is that client's already")
    with _holding(home, [source, to], now):
        # A move between these clients stopped half way is finished first: it may be this very session's.
        for record, plan in _records(home):
            if {plan.source, plan.to} & {source, to}:
                done = _finish(home, record, plan)
                if plan.source == source and plan.name == path.name:
                    return done
        plan = _plan(home, path.absolute(), source, to)
        record = home.moves_dir / f"{plan.name[:15]}-{secrets.token_hex(4)}.json"
        try:
            fsio.atomic_write(record, plan.render())
        except fsio.WriteError as error:
            raise MoveRefused(f"the move was not started, nothing changed: {error.reason}") from None
        _step("record written")
        return _finish(home, record, plan)


@dataclass
class Finished:
    """A move found half done at a start, and what became of it: a line for the coach."""

    record: Path
    message: str


def finish_moves(home: Home, now: datetime) -> list[Finished]:
    """Finish every move a kill or a failed write left half done, where both clients are free; the
    moves of a sessionpal running now (it holds their clients) are its own to finish. Cheap when there is
    nothing: one look at a folder that does not exist."""
    found: list[Finished] = []
    if not home.moves_dir.is_dir():
        return found
    for record, plan in _records(home, found):
        try:
            with _holding(home, [plan.source, plan.to], now):
                if not record.exists():
                    continue  # finished by another start meanwhile
                fsio.clean_temp_files(home.moves_dir)  # a record cut short by the kill
                moved = _finish(home, record, plan)
        except ClientBusy:
            continue  # the move is under way in that sessionpal, or waits until it lets go
        except MoveRefused as error:  # undone (its new name was taken), or a client gone since
            found.append(Finished(record, f"a session of {plan.source} was not moved to {plan.to}: {error}"))
            continue
        except SaveFailed as error:
            found.append(Finished(record, f"a move of a session of {plan.source} to {plan.to} is still half done: {error}"))
            continue
        where = moved.path.relative_to(home.root) if moved.path.is_relative_to(home.root) else moved.path
        found.append(Finished(record, f"finished moving a session from {plan.source} to {plan.to} (stopped half way earlier): {where}"))
    return found


@contextmanager
def _holding(home: Home, slugs: list[str], now: datetime) -> Iterator[None]:
    """Both clients' session locks, taken in one order everywhere (two moves never wait on each other); a
    client this very process holds (the review over a session under way) keeps the lock it has."""
    locks: list[SessionLock] = []
    try:
        for slug in sorted(set(slugs)):
            if not home.client_dir(slug).is_dir():
                raise MoveRefused(f"there is no client {slug} in this data home")
            if held_here(home, slug):
                continue
            try:
                locks.append(acquire(home, slug, now))
            except Locked as error:
                raise ClientBusy(f"{slug} is open in another sessionpal ({error}); close it there first") from None
        for slug in slugs:
            clean_leftovers(home, slug)  # what a killed write left in the folders the move writes
        yield
    finally:
        for lock in locks:
            lock.release()


def _records(home: Home, problems: list[Finished] | None = None) -> Iterator[tuple[Path, Plan]]:
    """The intent records in the home, oldest first; one that is not what sessionpal writes is reported
    (into `problems`) and never acted on."""
    folder = home.moves_dir
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".json") and not fsio.is_temp_file(e.name))
    except OSError:
        return
    for name in names:
        record = folder / name
        try:
            plan = Plan.parse(json.loads(read_user_bytes(record, limit=RECORD_MAX)))
        except (FileProblems, ValueError, RecursionError) as error:
            if problems is not None:
                reason = error.problems[0] if isinstance(error, FileProblems) else error
                problems.append(Finished(record, f"{record}: left as it is, not acted on: {reason}"))
            continue
        yield record, plan


def _plan(home: Home, path: Path, source: str, to: str) -> Plan:
    try:
        document = read_session(path)
    except FileProblems as error:
        raise MoveRefused(f"the session file cannot be read, so it is not moved: {error.problems[0]}") from None
    stem = path.stem.rsplit("-", 1)[0] if path.stem.count("-") > 2 else path.stem  # 2026-11-23T1000(-2)
    target = next((n for n in (session_file_name(stem, i) for i in range(1, 1000)) if _free(home, to, n)), None)
    if target is None:
        raise MoveRefused(f"too many sessions of {to} named {stem}")
    goal_ids = list(dict.fromkeys([*document.info.goals, *document.info.ratings]))
    goals = goals_as_they_stood(home, source, goal_ids, document.info)
    from .clients import load_client

    new = load_client(home.client_file(to), to)
    theirs = [gid for gid in goals if new.goal(gid) is not None]
    still_named: set[str] = set()
    for other in session_paths(home, source):
        if other.name == path.name:
            continue
        try:
            info = read_session(other).info
        except FileProblems:
            still_named |= set(goals)  # unreadable: it might name them, so they stay
            continue
        still_named |= {*info.goals, *info.ratings}
    leaving = [gid for gid in goals if gid not in still_named and gid not in theirs]
    return Plan(source, to, path.name, target, goals, theirs, leaving)


def _free(home: Home, slug: str, name: str) -> bool:
    """Nothing of the new client's is named like the session or anything of it would be."""
    folder = home.sessions_dir(slug)
    stem = name.removesuffix(".md") + "."
    try:
        taken = any(e.name.startswith(stem) for e in os.scandir(folder))
    except FileNotFoundError:
        taken = False
    return not taken and not _versions(home, folder / name)


def _belonging(folder: Path, name: str) -> list[str]:
    """The names in `folder` that belong to the session `name`: itself and every `<session>.*`."""
    stem = name.removesuffix(".md") + "."
    try:
        return sorted(e.name for e in os.scandir(folder) if e.name.startswith(stem) and not e.is_dir(follow_symlinks=False))
    except FileNotFoundError:
        return []


def _finish(home: Home, record: Path, plan: Plan) -> Moved:
    """Carry out (or carry on with) the move the record describes; see the module's docstring."""
    try:
        return _carry_out(home, record, plan)
    except fsio.WriteError as error:
        raise MoveUnfinished(
            f"the move of {plan.name} to {plan.to} stopped half way ({error.reason}); it is finished the next time sessionpal starts"
        ) from None
    except FileProblems as error:
        raise MoveUnfinished(f"the move of {plan.name} to {plan.to} stopped half way: {error.problems[0]}") from None


def _carry_out(home: Home, record: Path, plan: Plan) -> Moved:
    old_dir, new_dir = home.sessions_dir(plan.source), home.sessions_dir(plan.to)
    new_stem = plan.target.removesuffix(".md")
    pairs = [(old_dir / n, new_dir / (new_stem + n.removeprefix(plan.name.removesuffix(".md")))) for n in _belonging(old_dir, plan.name)]
    session_target = new_dir / plan.target
    # 1. every file in both places
    for old, new in pairs:
        if not fsio.link_file(old, new) and not _holds(new, old, new == session_target, plan.to):
            return _undo(home, record, plan, pairs)
        for version in _versions(home, old):
            fsio.link_file(version, folder_for(home, new) / version.name)
    _step("linked")
    # 2. the new name says whose it is
    if session_target.exists() and not _names(session_target, plan.to):
        with fsio.exclusive(session_target):
            fsio.atomic_write(session_target, _rewritten(read_session(session_target), plan.to))
    _step("rewritten")
    moved = Moved(session_target, kept_theirs=list(plan.theirs))
    # 3. the goals arrive
    if plan.goals:
        edit_client(home, plan.to, lambda d: _give(d, plan, moved))
    _step("goals given")
    # 4. the old names go, where the new one holds the file
    for old, new in pairs:
        for version in _versions(home, old):
            if _same(version, folder_for(home, new) / version.name):
                fsio.remove_file(version)
        if old.exists() and _holds(new, old, new == session_target, plan.to):
            fsio.remove_file(old)
    _step("old names removed")
    # 5. goals no other session of the old client names leave its file
    if plan.leaving:
        edit_client(home, plan.source, lambda d: _take(d, plan.leaving, moved))
    _step("goals taken")
    fsio.remove_file(record)
    return moved


def _holds(new: Path, old: Path, is_session: bool, to: str) -> bool:
    """The new name holds what the old one did: the same file (step 1), or the session as step 2 rewrites it,
    byte for byte (a file that merely says it is the new client's may be anyone's: it is never taken for it)."""
    if _same(old, new):
        return True
    if not is_session or not new.exists():
        return False
    try:
        return _rewritten(read_session(old), to) == read_user_bytes(new)
    except FileProblems:
        return False


def _rewritten(document: SessionDocument, to: str) -> bytes:
    document.set_front(client=to)
    return document.render().encode("utf-8")


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _names(path: Path, slug: str) -> bool:
    from .sessionfile import read_front_matter

    return read_front_matter(path).get("client") == slug


def _versions(home: Home, path: Path) -> list[Path]:
    folder = folder_for(home, path)
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if e.is_file(follow_symlinks=False))
    except OSError:
        return []


def _undo(home: Home, record: Path, plan: Plan, pairs: list[tuple[Path, Path]]) -> Moved:
    """A new name was taken meanwhile by another file: the move's own second names go, and it is refused."""
    for old, new in pairs:
        for version in _versions(home, old):
            if _same(version, folder_for(home, new) / version.name):
                fsio.remove_file(folder_for(home, new) / version.name)
        if _same(old, new):
            fsio.remove_file(new)
    fsio.remove_file(record)
    raise MoveRefused(f"{plan.to} has a file named {plan.target} now (a sync?): the session stays with {plan.source}; move it again")


def _give(document: TOMLDocument, plan: Plan, moved: Moved) -> None:
    import tomlkit

    have = {str(g.get("id")) for g in document.get("goals", [])}
    values = [str(v) for v in document.get("values", [])]
    for gid, block in plan.goals.items():
        if gid in plan.theirs:
            continue
        moved.copied.append(gid)
        if gid in have:
            continue  # given by an earlier try of this move
        table = tomlkit.parse(block)["goals"][0]
        for value in [str(v) for v in table.get("values", [])] + ([str(table["value"])] if "value" in table else []):
            if value.casefold() not in {v.casefold() for v in values}:
                values.append(value)
                if "values" in document:
                    document["values"].append(value)
                else:
                    document["values"] = [value]
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


def _take(document: TOMLDocument, leaving: list[str], moved: Moved) -> None:
    goals = document.get("goals", [])
    for table in [g for g in goals if str(g.get("id")) in leaving]:
        goals.remove(table)
    if "goals" in document and len(document["goals"]) == 0:
        del document["goals"]  # an empty array of tables would be written as `goals = []` at the top
    moved.removed.extend(leaving)
