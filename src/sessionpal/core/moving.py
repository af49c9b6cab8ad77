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
goals as they will arrive, a digest of the file before and after its rewrite, the computer) is written
durably. Then each step, itself durable and safe to do again:
  1. every file gets its new name beside the old one (a hard link: the same file in both places);
  2. the new name's front matter is rewritten to name the new client;
  3. the goals go into the new client's file (those already there are not added again);
  4. the old names are removed (only where the new name holds the file);
  5. the goals no session of the old client names now leave the old client's file;
  6. the recap's heading names the new client (it is otherwise left as it was: the coach may have edited it);
  7. the record is removed.
A move found with its record (`finish_moves`, run where every command and the app open the home, and by the
next move between the same two clients) is finished from the step it stopped at: each step looks at what is
on disk and does only what is missing. The session edited while the move waited moves as it is now; a new
name taken meanwhile by a file that is not the move's own undoes the move. A record is data from a synced
home: only the computer that began a move finishes it, every name in a record must be one this module
writes, and a step takes from the files as they are now (which goals leave), never from the record alone.
Only an ended session moves: one under way belongs to the sessionpal writing it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field
from msgspec.structs import asdict

from . import fsio
from .clients import edit_client
from .goals_then import goals_as_they_stood
from .lock import Locked, SessionLock, acquire, held_here
from .paths import Home, is_session_file_name, is_valid_slug, session_file_name, session_paths
from .problems import FileProblems, read_user_bytes
from .saving import SaveFailed
from .sessionfile import SessionDocument
from .sessions import clean_leftovers, read_session
from .versions import folder_for, shrinking_allowed

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


class Moved(Struct):
    path: Path  # where the session is now
    copied: list[str] = field(default_factory=list)  # goal ids copied into the new client's file
    removed: list[str] = field(default_factory=list)  # goal ids that left the old client's file
    kept_theirs: list[str] = field(default_factory=list)  # goal ids the new client has already (theirs kept)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Plan(Struct):
    """What the intent record says: everything a later start needs to finish the move."""

    source: str  # the old client's slug
    to: str  # the new client's slug
    name: str  # the session file's name in the old client's sessions/
    target: str  # its name in the new client's sessions/
    goals: dict[str, str]  # goal id -> its [[goals]] block as it will arrive (TOML text)
    theirs: list[str]  # goal ids the new client had already: theirs are kept
    source_sha: str  # the session file's bytes when the move was planned
    target_sha: str  # the same, rewritten to name the new client: what step 2 writes
    host: str  # the computer that began it: only that one finishes it

    def render(self) -> str:
        return json.dumps({"version": 2, **asdict(self)}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def parse(cls, data: Any) -> Plan:
        """The record as sessionpal wrote it, or ValueError: a record in a synced home may have been made by
        anyone, so every name in it must be one this module could have written before anything is acted on."""
        if not isinstance(data, dict) or data.get("version") != 2:
            raise ValueError("not a move record of this sessionpal")
        source, to, name, target = (data.get(k) for k in ("source", "to", "name", "target"))
        slugs_ok = all(isinstance(s, str) and is_valid_slug(s) for s in (source, to)) and source != to
        names_ok = all(isinstance(n, str) and is_session_file_name(n) for n in (name, target))
        goals, theirs = data.get("goals"), data.get("theirs")
        texts_ok = all(isinstance(data.get(k), str) for k in ("source_sha", "target_sha", "host"))
        goals_ok = isinstance(goals, dict) and all(isinstance(k, str) and isinstance(v, str) and _goal_block(k, v) for k, v in goals.items())
        theirs_ok = isinstance(theirs, list) and all(isinstance(i, str) for i in theirs)
        if not (slugs_ok and names_ok and goals_ok and theirs_ok and texts_ok):
            raise ValueError("a move record with names or goals sessionpal would not write")
        assert isinstance(goals, dict) and isinstance(theirs, list)  # checked above
        return cls(str(source), str(to), str(name), str(target), dict(goals), list(theirs), data["source_sha"], data["target_sha"], data["host"])


def _goal_block(goal_id: str, block: str) -> bool:
    """A goal as this module writes one: `[[goals]]` with one table whose id is `goal_id`."""
    import tomllib

    try:
        parsed = tomllib.loads(block)
    except (tomllib.TOMLDecodeError, RecursionError):
        return False
    goals = parsed.get("goals")
    return list(parsed) == ["goals"] and isinstance(goals, list) and len(goals) == 1 and isinstance(goals[0], dict) and goals[0].get("id") == goal_id


def client_of(home: Home, path: Path) -> str:
    """The slug of the client whose session `path` is; MoveRefused if it is none of this home's."""
    path = path.absolute()
    slug = path.parent.parent.name
    where = "is not a session file of this data home (clients/<client>/sessions/<date>.md)"
    if not is_valid_slug(slug) or not is_session_file_name(path.name):
        raise MoveRefused(f"{path} {where}")
    if path.parent != home.sessions_dir(slug).absolute() or not path.is_file() or path.is_symlink():
        raise MoveRefused(f"{path} {where}")
    return slug


def move_session(home: Home, path: Path, to: str, now: datetime) -> Moved:
    """Move the session `path` to the client `to` (a slug). See the module's docstring."""
    source = client_of(home, path)
    if source == to:
        raise MoveRefused("the session is that client's already")
    with _holding(home, [source, to], now):
        # A move between these two clients stopped half way is finished first: it may be this very session's.
        # One that involves a third client waits for a start that can hold that client too.
        for record, plan in _records(home):
            if not {plan.source, plan.to} & {source, to} or plan.host != socket.gethostname():
                continue
            if not {plan.source, plan.to} <= {source, to}:
                other = ({plan.source, plan.to} - {source, to}).pop()
                raise ClientBusy(f"a move of a session with {other} is half done; it is finished the next time sessionpal starts with {other} free")
            done = _finish(home, record, plan)
            if plan.source == source and plan.name == path.name:
                return done
        if not path.exists():
            raise MoveRefused(f"{path} is not a session file of this data home (moved meanwhile?)")
        plan = _plan(home, path.absolute(), source, to)
        record = home.moves_dir / f"{plan.name[:15]}-{secrets.token_hex(4)}.json"
        try:
            fsio.atomic_write(record, plan.render())
        except fsio.WriteError as error:
            raise MoveRefused(f"the move was not started, nothing changed: {error.reason}") from None
        _step("record written")
        return _finish(home, record, plan)


class Finished(Struct):
    """A move found half done at a start, and what became of it: a line for the coach."""

    record: Path
    message: str


def finish_moves(home: Home, now: datetime) -> list[Finished]:
    """Finish every move a kill or a failed write left half done on this computer, where both clients are
    free; the moves of a sessionpal running now (it holds their clients) are its own to finish. Whatever a
    record holds, this never raises: a start of sessionpal must not depend on it. Cheap when there is
    nothing: one look at a folder that does not exist."""
    found: list[Finished] = []
    if not home.moves_dir.is_dir():
        return found
    if fsio.link_on_the_way(home.moves_dir) is not None:
        return [Finished(home.moves_dir, f"{home.moves_dir} is a link: the moves recorded there are not acted on")]
    for record, plan in _records(home, found):
        where = f"a move of a session of {plan.source} to {plan.to}"
        if plan.host != socket.gethostname():
            found.append(Finished(record, f"{where}, begun on {plan.host}, is half done: sessionpal on {plan.host} finishes it"))
            continue
        if not (home.client_dir(plan.source).is_dir() and home.client_dir(plan.to).is_dir()):
            _drop(record)
            found.append(Finished(record, f"{where} was not finished: a client of it is gone from this home; its record is removed"))
            continue
        try:
            with _holding(home, [plan.source, plan.to], now):
                if not record.exists():
                    continue  # finished by another start meanwhile
                moved = _finish(home, record, plan)
        except ClientBusy:
            continue  # the move is under way in that sessionpal, or waits until it lets go
        except MoveRefused as error:  # undone (its new name was taken meanwhile)
            found.append(Finished(record, f"{where} was not made: {error}"))
            continue
        except SaveFailed as error:
            found.append(Finished(record, f"{where} is still half done: {error}"))
            continue
        except Exception as error:  # noqa: BLE001 - whatever the record or the files hold, the start goes on
            found.append(Finished(record, f"{where} could not be finished ({type(error).__name__}); its record {record} is left for you to look at"))
            continue
        shown = moved.path.relative_to(home.root) if moved.path.is_relative_to(home.root) else moved.path
        found.append(Finished(record, f"finished moving a session from {plan.source} to {plan.to} (stopped half way earlier): {shown}"))
    return found


def _drop(record: Path) -> None:
    try:
        fsio.remove_file(record)
    except fsio.WriteError:
        pass  # reported again next time: the coach can remove it


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
                raise ClientBusy(f"{slug}: {error}; close it there first") from None
            except fsio.WriteError as error:  # a linked or read-only client folder
                raise MoveRefused(f"{slug}'s folder cannot be written: {error.reason}") from None
        for slug in slugs:
            clean_leftovers(home, slug)  # what a killed write left in the folders the move writes
        fsio.clean_temp_files(home.moves_dir)  # and a record cut short by a kill
        yield
    finally:
        for lock in locks:
            lock.release()


def _records(home: Home, problems: list[Finished] | None = None) -> Iterator[tuple[Path, Plan]]:
    """The intent records in the home, oldest first; one that is not what sessionpal writes is reported
    (into `problems`) and never acted on."""
    folder = home.moves_dir
    if fsio.link_on_the_way(folder) is not None:
        return
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
    from .clients import load_client

    try:
        document = read_session(path)
        load_client(home.client_file(source), source)  # both files must read: the goals go from one to the other
        new = load_client(home.client_file(to), to)
    except FileProblems as error:
        raise MoveRefused(f"nothing was moved: {error.problems[0]}") from None
    if not document.info.is_finished:
        raise MoveRefused("the session is not ended: end it (or close it from the client list) first, so it is not moved from under a sessionpal writing it")
    stem = path.stem.rsplit("-", 1)[0] if path.stem.count("-") > 2 else path.stem  # 2026-11-23T1000(-2)
    target = next((n for n in (session_file_name(stem, i) for i in range(1, 1000)) if _free(home, to, n)), None)
    if target is None:
        raise MoveRefused(f"too many sessions of {to} named {stem}")
    goal_ids = list(dict.fromkeys([*document.info.goals, *document.info.ratings]))
    goals = goals_as_they_stood(home, source, goal_ids, document.info)
    theirs = [gid for gid in goals if new.goal(gid) is not None]
    before = _sha(read_user_bytes(path))
    after = _sha(_rewritten(document, to))  # the document's last use: the rewrite changes it
    return Plan(source, to, path.name, target, goals, theirs, before, after, socket.gethostname())


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
    """The files in `folder` that belong to the session `name`: itself and every `<session>.*` that is a
    file (a link or a folder named so stays where it is: nothing is moved through a link)."""
    stem = name.removesuffix(".md") + "."
    try:
        return sorted(e.name for e in os.scandir(folder) if e.name.startswith(stem) and e.is_file(follow_symlinks=False))
    except FileNotFoundError:
        return []


def _finish(home: Home, record: Path, plan: Plan) -> Moved:
    """Carry out (or carry on with) the move the record describes; see the module's docstring."""
    try:
        with shrinking_allowed():  # the coach asked for the move: a client file left smaller by it is no surprise
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
    session_source, session_target = old_dir / plan.name, new_dir / plan.target
    ours = {plan.source_sha, plan.target_sha}
    # 1. every file in both places
    for old, new in pairs:
        if fsio.link_file(old, new) or _holds(new, old, new == session_target, plan.to):
            pass
        elif new == session_target and _digest(new) in ours:
            # The session was edited (or replaced by a sync) while the move waited: the copy made then goes,
            # and the file as it is now moves.
            fsio.remove_file(new)
            fsio.link_file(old, new)
        else:
            return _undo(home, record, plan, pairs)
        for version in _versions(home, old):
            fsio.link_file(version, folder_for(home, new) / version.name)
    if not session_source.exists() and not session_target.exists():
        fsio.remove_file(record)
        raise MoveRefused(f"{plan.name} is in neither client's folder any more: there is nothing to move")
    _step("linked")
    # 2. the new name says whose it is
    if session_target.exists() and not _names(session_target, plan.to):
        with fsio.exclusive(session_target):
            fsio.atomic_write(session_target, _rewritten(read_session(session_target), plan.to))
    _step("rewritten")
    moved = Moved(session_target, kept_theirs=list(plan.theirs))
    # 3. the goals arrive (a file is written only when one is missing: a retry keeps no needless version)
    _give(home, plan, moved)
    _step("goals given")
    # 4. the old names go, where the new one holds the file
    for old, new in pairs:
        for version in _versions(home, old):
            if _same(version, folder_for(home, new) / version.name):
                fsio.remove_file(version)
        if old.exists() and _holds(new, old, new == session_target, plan.to):
            fsio.remove_file(old)
    _step("old names removed")
    # 5. goals no session of the old client names now leave its file (decided now, not when planned)
    _take(home, plan, moved)
    _step("goals taken")
    # 6. the recap's heading says whose session it is now
    _rename_recap(home, plan, session_target)
    _step("recap renamed")
    fsio.remove_file(record)
    return moved


def _rename_recap(home: Home, plan: Plan, session: Path) -> None:
    """ "# Tomás Ruiz: our session, …" becomes "# Ngozi Adeyemi: our session, …" (export.share_recap's heading);
    the rest of the recap stays as the coach may have edited it. Done again, it changes nothing."""
    from .clients import load_client
    from .export import recap_path

    recap = recap_path(session)
    try:
        text = read_user_bytes(recap).decode("utf-8")
        old, new = load_client(home.client_file(plan.source), plan.source).name, load_client(home.client_file(plan.to), plan.to).name
    except (FileProblems, UnicodeDecodeError):
        return  # no recap (or not one to read): nothing names the old client
    first, newline, rest = text.partition("\n")
    if first.startswith(f"# {old}: "):
        fsio.atomic_write(recap, f"# {new}: {first.removeprefix(f'# {old}: ')}{newline}{rest}")


def _digest(path: Path) -> str | None:
    try:
        return _sha(read_user_bytes(path))
    except FileProblems:
        return None


def _holds(new: Path, old: Path, is_session: bool, to: str) -> bool:
    """The new name holds what the old one does: the same file (step 1), or the session as step 2 rewrites it,
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
    if fsio.link_on_the_way(folder) is not None:
        return []  # a linked versions folder is not walked into
    try:
        return sorted(Path(e.path) for e in os.scandir(folder) if e.is_file(follow_symlinks=False))
    except OSError:
        return []


def _undo(home: Home, record: Path, plan: Plan, pairs: list[tuple[Path, Path]]) -> Moved:
    """A new name was taken meanwhile by another file: the move's own copies go, and it is refused."""
    ours = {plan.source_sha, plan.target_sha}
    session_target = home.sessions_dir(plan.to) / plan.target
    for old, new in pairs:
        for version in _versions(home, old):
            if _same(version, folder_for(home, new) / version.name):
                fsio.remove_file(folder_for(home, new) / version.name)
        if _same(old, new) or (new == session_target and _digest(new) in ours):
            fsio.remove_file(new)
    fsio.remove_file(record)
    raise MoveRefused(f"{plan.to} has a file named {plan.target} now (a sync?): the session stays with {plan.source}; move it again")


def _give(home: Home, plan: Plan, moved: Moved) -> None:
    from .clients import load_client

    wanted = [gid for gid in plan.goals if gid not in plan.theirs]
    moved.copied.extend(wanted)
    have = load_client(home.client_file(plan.to), plan.to)
    if all(have.goal(gid) is not None for gid in wanted):
        return  # given by an earlier try of this move, or nothing to give
    edit_client(home, plan.to, lambda d: _add_goals(d, plan, wanted))


def _add_goals(document: TOMLDocument, plan: Plan, wanted: list[str]) -> None:
    import tomlkit

    from .goals import add_values, append_goal_table

    have = {str(g.get("id")) for g in document.get("goals", [])}
    for gid in wanted:
        if gid in have:
            continue
        table = tomlkit.parse(plan.goals[gid])["goals"][0]
        add_values(document, [str(v) for v in table.get("values", [])] + ([str(table["value"])] if "value" in table else []))
        append_goal_table(document, table)


def _take(home: Home, plan: Plan, moved: Moved) -> None:
    """The goals that came with the session leave the old client's file when none of their sessions names
    them now; an unreadable session might, so then they stay."""
    from .clients import load_client

    candidates = list(plan.goals)  # a goal the new client had already leaves too: the session now points at theirs
    old = load_client(home.client_file(plan.source), plan.source)
    present = [gid for gid in candidates if old.goal(gid) is not None]
    if not present:
        return
    still_named: set[str] = set()
    for other in session_paths(home, plan.source):
        try:
            info = read_session(other).info
        except FileProblems:
            return  # unreadable: it might name them, so they stay
        still_named |= {*info.goals, *info.ratings}
    leaving = [gid for gid in present if gid not in still_named]
    if not leaving:
        return

    def take(document: TOMLDocument) -> None:
        goals = document.get("goals", [])
        for table in [g for g in goals if str(g.get("id")) in leaving]:
            goals.remove(table)
        if "goals" in document and len(document["goals"]) == 0:
            del document["goals"]  # an empty array of tables would be written as `goals = []` at the top

    edit_client(home, plan.source, take)
    moved.removed.extend(leaving)
