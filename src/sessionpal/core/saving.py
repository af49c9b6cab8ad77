"""The one error family a change to the coach's files raises, and how a failed write becomes one.

Every change the UI asks of the core either happens (durably) or raises a
ChangeFailed whose message is a sentence for the coach: SaveFailed when it did
not happen, WouldShrink when it needs the coach's word first, and the edit
refusals of clients and packs. The UI catches this family and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import fsio
from .problems import FileProblems


class ChangeFailed(Exception):
    """A change to the coach's files that did not happen. The message says why, for the coach."""


class SaveFailed(ChangeFailed):
    """A write that did not happen: the disk, a broken file, a read-only session."""


@contextmanager
def saving(what: str = "the file") -> Iterator[None]:
    """Turn the ways a write can fail below the family (the writer, a broken file) into one SaveFailed."""
    try:
        yield
    except fsio.WriteError as error:
        raise SaveFailed(f"could not save {error.path.name}: {error.reason}") from None
    except FileProblems as error:
        raise SaveFailed(f"{what} has a problem and was left as it is: {error.problems[0]}") from None
    except LookupError as error:  # a goal or a line that is no longer there
        raise SaveFailed(str(error.args[0] if error.args else error)) from None
