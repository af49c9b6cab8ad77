"""How a failed write reaches the coach: one SaveFailed with a plain sentence."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import fsio
from .clients import ClientEditError
from .problems import FileProblems


class SaveFailed(Exception):
    """A write that did not happen. The message says why, for the coach."""


@contextmanager
def saving(what: str) -> Iterator[None]:
    """Turn the ways a write can fail into one SaveFailed with a sentence for the coach."""
    try:
        yield
    except fsio.WriteError as error:
        raise SaveFailed(f"could not save {error.path.name}: {error.reason}") from None
    except FileProblems as error:
        raise SaveFailed(f"{what} has a problem and was left as it is: {error.problems[0]}") from None
    except (ClientEditError, LookupError) as error:
        raise SaveFailed(str(error)) from None
