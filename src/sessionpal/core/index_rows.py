"""A session file as the search index stores it: the file's row, its actions, its lines.

Kept apart from index.py for two reasons: a search whose index is current never reads a
session file, so it need not import the session file reader (a quarter of a search's
start-up); and reading files into rows is pure, so a first build can read them in
worker processes while the building process writes the rows already read (each half
of a build's time). A worker is `python -m sessionpal.core.index_rows`, not a
multiprocessing pool: inside the app, multiprocessing's helper process fails to start
(Textual holds sys.stderr), and a plain child needs no helper to end with its parent.
"""

from __future__ import annotations

import json
import marshal
import os
import queue
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from .index_types import LINES_PER_SESSION, SEPARATOR, minute_block, session_order
from .model import ActionState
from .problems import MAX_FILE_BYTES, FileProblems, read_user_text
from .sessionfile import scan_session
from .spaceless import spaceless_text


class SessionRows(NamedTuple):
    """What the index holds of one session file; `problem` set (and nothing else) when it cannot be read.
    Plain values only, so a worker hands them over with marshal (a third of pickle's time, both ways), and a
    session's lines as three strings rather than a tuple a line (a tenth of the objects to hand over)."""

    path: str
    order: str  # the files table's sort_key (see index_types.session_order)
    block: int  # the first rowid of its start minute, and the slot it asks for there (see minute_block)
    slot: int
    problem: str = ""
    started: str | None = None
    # elapsed, planned, notes, asked, open actions, goals, agreement, finished, ratings (JSON): the files table's columns
    summary: tuple[object, ...] = ()
    actions: tuple[tuple[int | None, str, str, str | None], ...] = ()  # stamp, state, text, due (YYYY-MM-DD)
    lines: int = 0  # how many: every note, question asked, action and the agreement (at most LINES_PER_SESSION)
    # Each line's text joined by RS, which none holds: a line's control characters are shown as stand-ins (and the
    # agreement keeps only its line breaks); its stamps ("" for none) and kinds joined by commas.
    texts: str = ""
    stamps: str = ""
    kinds: str = ""
    spaceless: str = ""  # the lines with a spaceless character, spaced (see spaceless_text), joined by RS
    energy: str = ""  # the client's energy check-ins, "start,end" ("6,8", "6,", ",8"), "" for none
    areas: str = ""  # the focus areas the session touched, joined by RS


def session_rows(path: Path) -> SessionRows:
    block, slot = minute_block(path.name)
    try:
        read = scan_session(path, _session_text(path))
    except FileProblems as error:
        return SessionRows(str(path), session_order(path.name, None), block, slot, problem=str(error.problems[0]))
    info = read.info
    lines = read.lines
    if info.agreement:
        lines.append((None, "agreement", info.agreement))
    del lines[LINES_PER_SESSION:]
    texts = [text for _, _, text in lines]
    started = info.started.isoformat() if info.started else None
    return SessionRows(
        str(path),
        session_order(path.name, started),
        block,
        slot,
        started=started,
        summary=(
            int(info.elapsed_seconds),
            info.planned_minutes,
            read.notes,
            read.asked,
            sum(state is ActionState.OPEN for _, state, _, _ in read.actions),
            ",".join(info.goals),
            info.agreement,
            int(info.is_finished),
            json.dumps(info.ratings) if info.ratings else "{}",
        ),
        actions=tuple((stamp, state.value, text, due.isoformat() if due else None) for stamp, state, text, due in read.actions),
        lines=len(lines),
        texts=SEPARATOR.join(texts),
        stamps=",".join("" if stamp is None else str(stamp) for stamp, _, _ in lines),
        kinds=",".join(kind for _, kind, _ in lines),
        spaceless=spaceless_text(texts),
        energy=_energy(info.energy.start, info.energy.end),
        areas=SEPARATOR.join(info.focus_areas),
    )


def _energy(start: int | None, end: int | None) -> str:
    return "" if start is None and end is None else f"{'' if start is None else start},{'' if end is None else end}"


def _session_text(path: Path) -> str:
    """The file's text as read_user_text gives it. A regular file of a sensible size in UTF-8, as nearly every
    session file is, takes three system calls and no file object (a third of read_user_text's time); anything
    else (a pipe, a folder, too large, unreadable, not UTF-8, changed while read) goes through read_user_text,
    for its problem."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)  # fsio-ok: reads only; a FIFO opens without waiting
    except OSError:
        return read_user_text(path, links=False)
    try:
        found = os.fstat(fd)
        plain = stat.S_ISREG(found.st_mode) and found.st_size <= MAX_FILE_BYTES
        data = os.read(fd, found.st_size + 1) if plain else b""
    finally:
        os.close(fd)
    if not plain or len(data) != found.st_size:
        return read_user_text(path, links=False)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return read_user_text(path, links=False)
    return text[1:] if text.startswith("\ufeff") else text


def many_session_rows(paths: Sequence[Path]) -> list[SessionRows]:
    return [session_rows(path) for path in paths]


def read_rows(paths: list[Path], workers: int, batch: int) -> Iterator[SessionRows]:
    """Each file's rows, in the order given. With workers, each reads every workers-th batch of `batch` files
    and hands it over through its stdout (a full pipe makes it wait: a few batches ahead, never the whole
    practice in memory); a worker that fails leaves its batches to be read here."""
    if workers < 1 or not sys.executable:
        yield from map(session_rows, paths)
        return
    package_root = str(Path(__file__).resolve().parents[2])  # the same sessionpal, even run from a checkout
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "sessionpal.core.index_rows"]
    started = [
        subprocess.Popen([*command, str(n), str(workers), str(batch)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        for n in range(workers)
    ]
    # A thread takes the batches off the workers' pipes (and unmarshals them) while this one writes the index:
    # a few batches queued smooth out a slow file on either side.
    batches: queue.Queue[list[SessionRows] | None] = queue.Queue(maxsize=4)
    stop = threading.Event()

    def receive_all() -> None:
        failed: set[int] = set()
        for number in range(0, (len(paths) + batch - 1) // batch):
            n = number % workers
            rows = None if n in failed else _receive(started[n])
            if rows is None:
                failed.add(n)
            while not stop.is_set():
                try:
                    batches.put(rows, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if stop.is_set():
                return

    receiver = threading.Thread(target=receive_all, daemon=True)
    try:
        names = b"\0".join(os.fsencode(path) for path in paths)
        for worker in started:
            assert worker.stdin is not None
            worker.stdin.write(names)  # read whole before the worker writes anything: no deadlock
            worker.stdin.close()
        receiver.start()
        for at in range(0, len(paths), batch):
            rows = batches.get()
            yield from rows if rows is not None else many_session_rows(paths[at : at + batch])  # a failed worker's
    finally:
        stop.set()
        for worker in started:
            worker.kill()
            worker.wait()


def _receive(worker: subprocess.Popen[bytes]) -> list[SessionRows] | None:
    """The worker's next batch; None when it has ended or sent something else (its batches are read here)."""
    assert worker.stdout is not None
    try:
        size = worker.stdout.read(8)
        if len(size) < 8:
            return None
        # From a child running this module: a list of SessionRows as tuples (anything else is its failure).
        return [SessionRows._make(row) for row in marshal.loads(worker.stdout.read(int.from_bytes(size, "big")))]
    except Exception:
        return None


def _serve(number: int, workers: int, batch: int) -> None:
    """A worker: the file names on stdin (NUL between), its batches' rows on stdout."""
    names = sys.stdin.buffer.read().split(b"\0")
    paths = [Path(os.fsdecode(name)) for name in names if name]
    out = sys.stdout.buffer
    for at in range(number * batch, len(paths), workers * batch):
        data = marshal.dumps([tuple(rows) for rows in many_session_rows(paths[at : at + batch])])
        out.write(len(data).to_bytes(8, "big") + data)
        out.flush()


if __name__ == "__main__":
    # Through the module's own name: the one that tests (and the parent) know it by, not __main__.
    from sessionpal.core import index_rows

    index_rows._serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
