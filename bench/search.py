"""Search and review on a large practice (targets: search p50 < 50 ms, full rebuild < 15 s,
a 300-session client's review list < 200 ms, in the core and on screen).

    .venv/bin/python bench/search.py [--sessions 10000] [--clients 200] [--home DIR]
    .venv/bin/python bench/search.py --cli [--home DIR] [--runs 15] [--word courage] [--against SRC]

Writes a practice with bench/generate.py (its busiest client has 300 sessions)
unless --home names one, then times a full index build, 100 searches, a refresh
with nothing changed, and the review list in the core and on screen. Run by hand.

--cli measures whole processes instead, as a coach meets them (issue 29: warm
search <= 1.2x grep at 10k, flat to 100k; a first build of 50k under 20 s): the
first build, a `sessionpal search` on an empty cache; then warm searches taking
turns with their floor, `grep -rlF WORD` over the home's session files, so that a
busy moment on the machine hits both; medians and ratios from that one run.
--against SRC adds another sessionpal's src/ folder to the same turns (an
earlier commit, checked out: `git worktree add /tmp/before HEAD`), with its own
cache, so a change is measured beside what it changes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sessionpal.core.index import SearchIndex
from sessionpal.core.paths import Home

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402  (bench/ is not a package)
from run import busiest_client, measure_search  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--home", type=Path, help="reuse a practice generated before")
    parser.add_argument("--cli", action="store_true", help="whole processes: the first build, then warm searches beside grep")
    parser.add_argument("--runs", type=int, default=15, help="--cli: warm searches of each kind")
    parser.add_argument("--word", default="courage", help="--cli: what to search for")
    parser.add_argument("--against", type=Path, action="append", default=[], metavar="SRC", help="--cli: another sessionpal's src/ folder, in the same turns")
    args = parser.parse_args()
    root = args.home or Path(tempfile.mkdtemp(prefix="sessionpal-bench-")) / "home"
    if args.home is None:
        t = time.perf_counter()
        generate(root, args.clients, args.sessions, questions=0)
        print(f"generated {args.sessions} sessions for {args.clients} clients in {time.perf_counter() - t:.1f} s ({root})")
    if args.cli:
        compare_cli(root, args.word, args.runs, [SRC, *args.against])
        return
    os.environ["SESSIONPAL_CACHE"] = tempfile.mkdtemp(prefix="sessionpal-bench-cache-")
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


def compare_cli(root: Path, word: str, runs: int, sources: list[Path]) -> None:
    """The first build of each source's index, then warm searches of each source and grep in turns."""
    caches = {src: Path(tempfile.mkdtemp(prefix="sessionpal-bench-cache-")) for src in sources}
    labels = {src: "sessionpal search" if src == SRC else f"search of {src}" for src in sources}

    search = [sys.executable, "-m", "sessionpal", "--home", str(root), "search", word]

    def env(src: Path) -> dict[str, str]:
        # Bytecode as an installed package has it (a checkout's own may be switched off for the tests' sake).
        cache = {"PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "sessionpal-bench-pycache")}
        return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | cache | {"SESSIONPAL_CACHE": str(caches[src]), "PYTHONPATH": str(src)}

    floor = ["grep", "-rlF", word, str(root / "clients")]
    for src in sources:
        started = time.perf_counter()
        before = os.times()
        subprocess.run(search, env=env(src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        after = os.times()
        cpu = after.children_user + after.children_system - before.children_user - before.children_system
        print(f"first build, {labels[src]}: {time.perf_counter() - started:.1f} s (CPU {cpu:.1f} s, with its workers)")
    commands = [("grep -rlF (the floor)", floor, dict(os.environ)), *((labels[src], search, env(src)) for src in sources)]
    times: dict[str, list[float]] = {label: [] for label, _, _ in commands}
    for _ in range(runs + 1):  # the first turn of each warms the page cache and the bytecode: not counted
        for label, command, environment in commands:
            started = time.perf_counter()
            subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[label].append(time.perf_counter() - started)
    floor_median = statistics.median(times[commands[0][0]][1:])
    print(f"warm, {runs} turns each, interleaved (load average {os.getloadavg()[0]:.2f}):")
    for label, _, _ in commands:
        median = statistics.median(times[label][1:])
        print(f"  {label:<40} median {median * 1000:6.1f} ms   min {min(times[label][1:]) * 1000:6.1f} ms   {median / floor_median:.2f}x grep")


async def time_review_screen(home: Home, slug: str | None, runs: int = 5) -> tuple[list[float], list[float]]:
    """From opening the review screen to its sessions table filled, and to the whole screen done (index current)."""
    from sessionpal.core.clients import load_client
    from sessionpal.ui.app import SessionPalApp
    from sessionpal.ui.screens.review import ReviewScreen
    from sessionpal.ui.widgets.paged_table import PagedTable

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
            rows = screen.query_one("#sessions", PagedTable)
            while rows.count and rows.cells(0) is None or not rows.count and screen.sizes is None:
                await asyncio.sleep(0.001)  # the first row drawn (or the count known to be none)
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
