"""How long the patterns view takes to open for a client with 300 sessions (issue 31: under 200 ms).

    .venv/bin/python bench/patterns.py [--runs 10] [--keep DIR]

Writes a home with bench/generate.py (its first client has 300 sessions), builds the search index once (as the
app's first search or last-time card would), then, in the app under Pilot, times ctrl+k on that client's session
screen to the first frame holding their patterns (the last-time card's reading, shown at once) and to the frame
after the view's own read of the index. Also times
read_patterns alone (the worker's part) and carried_of (what the last-time card adds). Prints the median and the
slowest of each.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from sessionpal.core.clients import load_client  # noqa: E402
from sessionpal.core.index import SearchIndex  # noqa: E402
from sessionpal.core.paths import Home  # noqa: E402
from sessionpal.core.patterns import carried_of, read_patterns  # noqa: E402


def core_times(home: Home, slug: str, runs: int) -> tuple[list[float], list[float], int]:
    client = load_client(home.client_file(slug), slug)
    reads, carried = [], []
    sessions = 0
    for _ in range(runs):
        start = time.perf_counter()
        found = read_patterns(home, client, date.today())
        reads.append(time.perf_counter() - start)
        sessions = found.sessions
        index = SearchIndex(home)
        start = time.perf_counter()
        carried_of(client, index.client_stories(slug), date.today())
        carried.append(time.perf_counter() - start)
    return reads, carried, sessions


async def view_times(home: Home, slug: str, runs: int) -> tuple[list[float], list[float]]:
    """(ctrl+k to the first frame holding the client's patterns, ctrl+k to the frame after the view's own read),
    from the session screen, its last-time card's read done: what the coach sees at once, and when it is fresh."""
    from sessionpal.core.patterns import Patterns
    from sessionpal.ui.app import SessionPalApp
    from sessionpal.ui.screens import patterns as view
    from sessionpal.ui.screens.patterns import PatternsScreen

    drawn: list[float] = []  # when a frame with (new) patterns was on the screen
    read_at: list[float] = []  # when the view's own read of the index was done
    watch, read = PatternsScreen.watch_patterns, view.read_patterns  # type: ignore[attr-defined]

    def watch_and_time(screen: PatternsScreen, found: Patterns | None) -> None:
        watch(screen, found)
        if found is not None:
            screen.call_after_refresh(lambda: drawn.append(time.perf_counter()))

    def read_and_time(*args: object, **kwargs: object) -> Patterns:
        found = read(*args, **kwargs)  # type: ignore[arg-type]
        read_at.append(time.perf_counter())
        return found

    PatternsScreen.watch_patterns = watch_and_time  # type: ignore[method-assign,assignment]
    view.read_patterns = read_and_time  # type: ignore[attr-defined]
    app = SessionPalApp(home, client=slug, seed=1)
    opened, fresh = [], []
    async with app.run_test(size=(140, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(runs):
            drawn.clear()
            read_at.clear()
            start = time.perf_counter()
            await pilot.press("ctrl+k")
            while not (isinstance(app.screen, PatternsScreen) and drawn):
                await asyncio.sleep(0.001)
            await app.workers.wait_for_complete()
            await pilot.pause()
            opened.append(drawn[0] - start)
            fresh.append(max(drawn[-1], *read_at) - start)  # read again and, if it changed, drawn
            await pilot.press("escape")
            await pilot.pause()
    PatternsScreen.watch_patterns = watch  # type: ignore[method-assign]
    view.read_patterns = read  # type: ignore[attr-defined]
    return opened, fresh


def shown(label: str, times: list[float]) -> str:
    return f"{label}: median {statistics.median(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms ({len(times)} runs)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="write the home here and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch) / "home"
        slugs = generate(root, clients=3, sessions=320, questions=50)
        home = Home(root)
        SearchIndex(home).refresh()  # built once, as the app's first look at the index does
        reads, carried, sessions = core_times(home, slugs[0], args.runs)
        print(f"client {slugs[0]}: {sessions} sessions")
        print(shown("read_patterns (the worker)", reads))
        print(shown("carried_of (the last-time card)", carried))
        opened, fresh = asyncio.run(view_times(home, slugs[0], args.runs))
        print(shown("ctrl+k to the first frame with the patterns (the app, Pilot)", opened))
        print(shown("ctrl+k to the frame after the view's own read", fresh))


if __name__ == "__main__":
    main()
