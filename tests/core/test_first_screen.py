"""The client list's first screen, read by a child the CLI forks before it imports Textual (core/first_screen.py):
what the child hands over is what the list would read itself, it writes nothing, and a child that fails or is
slow leaves the list to read it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sessionpal.core.clients import create_client
from sessionpal.core.first_screen import FIRST_SCREEN, read_first_screen
from sessionpal.core.paths import Home
from sessionpal.core.roster import Roster

# Run in a process of its own: a fork here would copy pytest's threads' locks. It prints what the child read.
CHILD = """
import pickle, sys, time
from datetime import date
from pathlib import Path
from sessionpal.core import first_screen
from sessionpal.core.paths import Home
if sys.argv[2] == "fail":
    first_screen.read_first_screen = lambda *args, **kwargs: 1 / 0
started = first_screen.prefetch(Home(Path(sys.argv[1])), date(2026, 12, 4))
assert started is not None
# Asked without waiting first: read or not yet, it is never lost to the ask that waits.
print("read" if sys.argv[2] == "slow" and first_screen.take_prefetched(timeout=0) is not None else "-")
found = first_screen.take_prefetched(timeout=10)
assert first_screen.take_prefetched(timeout=1) is None, "once only"
sys.stdout.flush()
sys.stdout.buffer.write(pickle.dumps(found))
"""


def child_read(home: Home, how: str = "plain") -> tuple[str, object]:
    import pickle

    done = subprocess.run([sys.executable, "-c", CHILD, str(home.root), how], capture_output=True, check=True, env=dict(os.environ))
    first_line, _, data = done.stdout.partition(b"\n")
    return first_line.decode(), pickle.loads(data)


@pytest.fixture
def practice(home: Home) -> Home:
    for n in range(FIRST_SCREEN + 5):
        create_client(home, f"Client {n:02d}", 60, date(2026, 1, 1))
    (home.clients_dir / "client-03" / "client (Ana's conflicted copy 2026-11-20).toml").write_text('name = "x"\n')
    return home


def test_the_child_hands_over_what_the_list_would_read_and_writes_nothing(practice: Home) -> None:
    _, found = child_read(practice)
    assert not list(practice.cache_dir.glob("**/roster.json")), "the child keeps no roster: the list's own look writes it"
    expected = read_first_screen(practice, date(2026, 12, 4), Roster(practice, keeps=False))
    assert found == expected and len(expected.entries) == FIRST_SCREEN
    assert [c.copy.name for c in expected.conflicts] == ["client (Ana's conflicted copy 2026-11-20).toml"]
    # With no roster the child read each client whole: those clients come over the pipe too, so opening one from
    # the first screen parses its client.toml no second time (found by a review: they were left behind).
    assert all(entry.read is not None and entry.read.name == entry.name for entry in found.entries)


def test_a_child_that_fails_hands_over_nothing(practice: Home) -> None:
    assert child_read(practice, "fail")[1] is None


def test_a_first_screen_not_read_yet_is_asked_for_again(practice: Home) -> None:
    first_ask, found = child_read(practice, "slow")
    if first_ask == "read":
        assert found is None, "taken by the first ask: none left"
    else:
        assert found == read_first_screen(practice, date(2026, 12, 4), Roster(practice, keeps=False))


def test_without_a_child_there_is_nothing_to_take(tmp_path: Path) -> None:
    from sessionpal.core.first_screen import take_prefetched

    assert take_prefetched(timeout=0) is None and take_prefetched(timeout=1) is None
