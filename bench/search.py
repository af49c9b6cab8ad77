"""Search and review on a large practice (targets: search p50 < 50 ms, full rebuild < 15 s,
a 300-session client's review list < 200 ms, in the core and on screen).

    .venv/bin/python bench/search.py [--sessions 10000] [--clients 200] [--home DIR]

Writes a practice with bench/generate.py (its busiest client has 300 sessions)
unless --home names one, then times a full index build, 100 searches, a refresh
with nothing changed, and the review list in the core and on screen. Run by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sessionpal.core.index import SearchIndex
from sessionpal.core.paths import Home

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402  (bench/ is not a package)
from run import busiest_client, measure_search  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--home", type=Path, help="reuse a practice generated before")
    args = parser.parse_args()
    root = args.home or Path(tempfile.mkdtemp(prefix="sessionpal-bench-")) / "home"
    os.environ["SESSIONPAL_CACHE"] = tempfile.mkdtemp(prefix="sessionpal-bench-cache-")
    if args.home is None:
        t = time.perf_counter()
        generate(root, args.clients, args.sessions, questions=0)
        print(f"generated {args.sessions} sessions for {args.clients} clients in {time.perf_counter() - t:.1f} s ({root})")
    home = Home(root)
    busiest, _name = busiest_client(root)
    index = SearchIndex(home)
    search = measure_search(root)
    print(f"full index build: {search['build_s']:.2f} s for {search['sessions']} files ({index.path.stat().st_size / 1e6:.0f} MB)")
    t = time.perf_counter()
    index.refresh()
    print(f"refresh with nothing changed: {(time.perf_counter() - t) * 1000:.0f} ms")
    print(f"search over every note (100 queries): p50 {search['search_p50_ms']:.1f} ms   p99 {search['search_p99_ms']:.1f} ms")
    times = []
    for _ in range(20):
        t = time.perf_counter()
        rows = index.sessions(busiest)
        times.append((time.perf_counter() - t) * 1000)
    print(f"review list for a client with {len(rows)} sessions: p50 {statistics.median(times):.1f} ms   max {max(times):.1f} ms")
    for label, slug in ((f"{len(rows)} sessions of one client", busiest), (f"all {search['sessions']} sessions", None)):
        table, settled = asyncio.run(time_review_screen(home, slug))
        print(
            f"review screen, {label}: rows in the table p50 {statistics.median(table):.0f} ms (max {max(table):.0f}), "
            f"everything shown and idle p50 {statistics.median(settled):.0f} ms (max {max(settled):.0f})"
        )


async def time_review_screen(home: Home, slug: str | None, runs: int = 5) -> tuple[list[float], list[float]]:
    """From opening the review screen to its sessions table filled, and to the whole screen done (index current)."""
    from sessionpal.core.clients import load_client
    from sessionpal.ui.app import SessionPalApp
    from sessionpal.ui.screens.review import ReviewScreen

    client = load_client(home.client_file(slug), slug) if slug else None
    app = SessionPalApp(home)
    table, settled = [], []
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        for _ in range(runs):
            t = time.perf_counter()
            screen = ReviewScreen(client)
            await app.push_screen(screen)
            while not screen.loaded_once:
                await asyncio.sleep(0.001)
            table.append((time.perf_counter() - t) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()
            settled.append((time.perf_counter() - t) * 1000)
            app.pop_screen()
            await app.workers.wait_for_complete()  # the client list reloads when it comes back
            await pilot.pause()
    return table, settled


if __name__ == "__main__":
    main()
