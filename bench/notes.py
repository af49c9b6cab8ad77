"""Note save latency: from the note handed to the core to its bytes fsync'd (target: p99 under 20 ms).

    .venv/bin/python bench/notes.py [--notes 1000] [--home DIR]

Saves notes one by one into a single session, as a coach pressing Enter would;
each save re-reads the file, adds the line, writes a temp file, fsyncs it,
renames it over the session file and fsyncs the folder. Run by hand.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sessionpal.core.clients import create_client
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import SystemClock


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--home", type=Path, help="a folder on the disk to measure (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.home) as folder:
        home = Home(Path(folder))
        client = create_client(home, "Benchmark Client", 60, date.today())
        live = LiveSession(home, client, SystemClock(), FALLBACK_MODEL, 60)
        live.start()
        times = []
        for n in range(args.notes):
            text = f"note {n}: she talks about the move to Lisbon again, café con leche, 学习 — and what it would cost her to stay"
            start = time.perf_counter()
            live.add_note(text)
            times.append((time.perf_counter() - start) * 1000)
        size = live.path.stat().st_size
    print(f"{args.notes} notes into one session (final file {size / 1024:.0f} KiB) in {folder}")
    print(
        f"p50 {statistics.median(times):.2f} ms   p99 {percentile(times, 0.99):.2f} ms   "
        f"max {max(times):.2f} ms   first-100 p50 {statistics.median(times[:100]):.2f} ms   last-100 p50 {statistics.median(times[-100:]):.2f} ms"
    )


if __name__ == "__main__":
    main()
