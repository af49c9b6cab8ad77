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
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Action, ActionState, AskedQuestion, Note
from .problems import FileProblems
from .sessionfile import SessionDocument
from .sessions import read_session
from .spaceless import has_spaceless, spaced


@dataclass(frozen=True)
class SessionRows:
    """What the index holds of one session file; `problem` set (and nothing else) when it cannot be read."""

    path: Path
    problem: str = ""
    started: str | None = None
    # elapsed, planned, notes, asked, open actions, goals, agreement, finished, ratings (JSON): the files table's columns
    summary: tuple[object, ...] = ()
    actions: tuple[tuple[int | None, str, str, str | None], ...] = ()  # stamp, state, text, due (YYYY-MM-DD)
    lines: tuple[tuple[int | None, str, str], ...] = ()  # stamp, kind, text
    spaceless: tuple[tuple[int, str], ...] = ()  # line number, the line spaced for the spaceless table


def session_rows(path: Path) -> SessionRows:
    try:
        document = read_session(path)
    except FileProblems as error:
        return SessionRows(path, problem=str(error.problems[0]))
    info = document.info
    actions = document.actions
    lines = tuple(_lines(document))
    return SessionRows(
        path,
        started=info.started.isoformat() if info.started else None,
        summary=(
            int(info.elapsed_seconds),
            info.planned_minutes,
            len(document.notes),
            len(document.asked),
            sum(a.state is ActionState.OPEN for a in actions),
            ",".join(info.goals),
            info.agreement,
            int(info.is_finished),
            json.dumps(info.ratings),
        ),
        actions=tuple((a.stamp, a.state.value, a.text, a.due.isoformat() if a.due else None) for a in actions),
        lines=lines,
        spaceless=tuple((n, spaced(text)) for n, (_, _, text) in enumerate(lines) if has_spaceless(text)),
    )


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
    # A thread takes the batches off the workers' pipes (and unpickles them) while this one writes the index:
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
        rows = pickle.loads(worker.stdout.read(int.from_bytes(size, "big")))  # from a child running this module
    except Exception:
        return None
    return rows if isinstance(rows, list) else None


def _serve(number: int, workers: int, batch: int) -> None:
    """A worker: the file names on stdin (NUL between), its batches' rows on stdout."""
    names = sys.stdin.buffer.read().split(b"\0")
    paths = [Path(os.fsdecode(name)) for name in names if name]
    out = sys.stdout.buffer
    for at in range(number * batch, len(paths), workers * batch):
        data = pickle.dumps(many_session_rows(paths[at : at + batch]), protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(data).to_bytes(8, "big") + data)
        out.flush()


def _lines(document: SessionDocument) -> Iterator[tuple[int | None, str, str]]:
    for _, item in document.entries():
        entry = item.entry
        if isinstance(entry, Note):
            yield entry.stamp, entry.kind.value, entry.text
        elif isinstance(entry, AskedQuestion):
            yield entry.stamp, "asked", entry.text
        elif isinstance(entry, Action):
            yield entry.stamp, "action", entry.text
    if document.info.agreement:
        yield None, "agreement", document.info.agreement


if __name__ == "__main__":
    # Through the module's own name, so the rows pickle as sessionpal.core.index_rows.SessionRows, not __main__'s.
    from sessionpal.core import index_rows

    index_rows._serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
