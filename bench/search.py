"""Search and review on a large practice (targets: search p50 < 50 ms, full rebuild < 15 s,
a 300-session client's review list < 200 ms, in the core and on screen).

    .venv/bin/python bench/search.py [--sessions 10000] [--clients 200] [--home DIR]

Writes a practice of session files in the documented format (one client with 300
sessions, the rest spread over the others; 20 to 80 notes each, some unicode),
then times a full index build, 100 searches, and the review list. Run by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sessionpal.core.index import SearchIndex
from sessionpal.core.paths import Home
from sessionpal.core.sessionfile import SessionDocument, new_session_text, ACTIONS, NOTES
from sessionpal.core.model import Action, Note, NoteKind

WORDS = (
    "she talked about leaving the bank before spring family sister mother career promotion manager team fear "
    "courage deadline offer Lisbon café naïve résumé coaching values freedom health sleep running marathon "
    "budget money savings move apartment partner children school 学习 中文 español niño décision option plan "
    "week month year calls emails boundaries energy tired excited worried proud stuck clarity choice"
).split()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def generate(root: Path, clients: int, sessions: int, seed: int = 1) -> str:
    """Write the practice; returns the slug of the client with 300 sessions."""
    rng = random.Random(seed)
    counts = [300] + [max(1, (sessions - 300) // (clients - 1))] * (clients - 1)
    start = datetime(2016, 1, 4, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    for c, count in enumerate(counts):
        slug = f"client-{c:03d}"
        folder = root / "clients" / slug / "sessions"
        folder.mkdir(parents=True, exist_ok=True)
        (root / "clients" / slug / "client.toml").write_text(f'name = "Client {c:03d}"\n')
        for s in range(count):
            started = start + timedelta(days=7 * s + c % 7, hours=c % 8)
            text = new_session_text({"client": slug, "started": started, "planned_minutes": 60, "elapsed_seconds": 3000, "timer": "ended", "questions": (), "goals": ()})
            document = SessionDocument.parse(folder / "x.md", text)
            for n in range(rng.randint(20, 80)):
                words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 18)))
                kind = rng.choice([NoteKind.NOTE, NoteKind.NOTE, NoteKind.QUOTE, NoteKind.INSIGHT])
                document.add(NOTES, Note(n * 40, words, kind))
            document.add(ACTIONS, Action(" ".join(rng.choice(WORDS) for _ in range(6)), 2900))
            (folder / f"{started:%Y-%m-%dT%H%M}.md").write_text(document.render())
    return "client-000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--home", type=Path, help="reuse a practice generated before")
    args = parser.parse_args()
    root = args.home or Path(tempfile.mkdtemp(prefix="sessionpal-bench-"))
    os.environ["SESSIONPAL_CACHE"] = str(root / ".bench-cache")
    busiest = "client-000"
    if args.home is None:
        t = time.perf_counter()
        busiest = generate(root, args.clients, args.sessions)
        print(f"generated {args.sessions} sessions for {args.clients} clients in {time.perf_counter() - t:.1f} s ({root})")
    home = Home(root)
    index = SearchIndex(home)
    index.delete()
    t = time.perf_counter()
    refreshed = index.refresh()
    build = time.perf_counter() - t
    print(f"full index build: {build:.2f} s for {refreshed.total} files ({index.path.stat().st_size / 1e6:.0f} MB)")
    t = time.perf_counter()
    index.refresh()
    print(f"refresh with nothing changed: {(time.perf_counter() - t) * 1000:.0f} ms")
    rng = random.Random(2)
    queries = [rng.choice(WORDS)[: rng.randint(3, 6)] if i % 3 else " ".join(rng.sample(WORDS, 2)) for i in range(100)]
    times = []
    for query in queries:
        t = time.perf_counter()
        index.search(query)
        times.append((time.perf_counter() - t) * 1000)
    print(f"search over every note (100 queries): p50 {statistics.median(times):.1f} ms   p99 {percentile(times, 0.99):.1f} ms")
    times = []
    for _ in range(20):
        t = time.perf_counter()
        rows = index.sessions(busiest)
        times.append((time.perf_counter() - t) * 1000)
    print(f"review list for a client with {len(rows)} sessions: p50 {statistics.median(times):.1f} ms   max {max(times):.1f} ms")
    for label, slug in ((f"{len(rows)} sessions of one client", busiest), (f"all {refreshed.total} sessions", None)):
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
