"""Two commits of sessionpal measured in one run, interleaved, on one home. Run by hand, never in CI.

    .venv/bin/python bench/compare.py BEFORE AFTER [--home DIR] [--runs 9] [--notes 300]

Each commit is checked out as a detached git worktree in a temporary folder and run from its own
src/ (PYTHONPATH before this venv's editable install), with this checkout's bench/ and venv. Then:

- first paint of `sessionpal --client` in tmux, BEFORE, AFTER and the bare Textual app taking turns,
  so that a noisy moment hits all three;
- note save (Enter to fsync) and deck filtering (keystroke to repainted list), headless, each commit in
  its own process, alternating.

Prints medians and the AFTER/BEFORE ratios. Why: a change meant to cost nothing (a redesign) is shown
to cost nothing by measuring both sides beside each other, not against figures from another day.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402  (bench/ is not a package)
from run import BENCH, PYTHON, SESSIONPAL_COMMAND, busiest_client, first_paint  # noqa: E402

ROOT = BENCH.parent


def worktree(rev: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(into), rev], check=True)
    return into


def headless(tree: Path, home: Path, name: str, notes: int) -> dict[str, float]:
    """run.py's note and filter measure, in a process importing sessionpal from `tree`."""
    code = (
        "import asyncio, json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); import run; "
        "r = asyncio.run(run.measure_notes_and_filter(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), 168)); "
        "r.pop('texts'); print(json.dumps(r))"
    )
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run([PYTHON, "-c", code, str(BENCH), str(home), name, str(notes)], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--home", type=Path, help="a home generated before (by bench/generate.py)")
    parser.add_argument("--runs", type=int, default=9, help="first paints of each")
    parser.add_argument("--notes", type=int, default=300, help="notes saved per headless run")
    parser.add_argument("--headless-runs", type=int, default=3, help="headless runs of each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sessionpal-compare-") as scratch:
        place = Path(scratch)
        home = args.home
        if home is None:
            home = place / "home"
            generate(home, clients=200, sessions=10_000, questions=5_000, seed=1)
        trees = {"before": worktree(args.before, place / "before"), "after": worktree(args.after, place / "after")}
        try:
            _, name = busiest_client(home)
            env = {"TERM": "xterm-256color"}
            paints: dict[str, list[float]] = {"bare": [], "before": [], "after": []}
            for round_ in range(args.runs):
                paints["bare"].append(first_paint(f"{PYTHON} {BENCH / 'bare_app.py'}", ["Bare Textual app", "Type a note"], env))
                # Each side first every other round, so that neither always meets the caches the other left (one run
                # with "before" always first said 1.15 after/before; ten alternating rounds of the same trees, 0.91).
                for side in ("before", "after") if round_ % 2 == 0 else ("after", "before"):
                    tree = trees[side]
                    command = f"{SESSIONPAL_COMMAND} --home {home} --client '{name}'"
                    paints[side].append(first_paint(command, [name, "Type a note"], {**env, "PYTHONPATH": str(tree / "src")}))
            runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
            for _ in range(args.headless_runs):
                for side, tree in trees.items():
                    runs[side].append(headless(tree, home, name, args.notes))
        finally:
            for tree in trees.values():
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    paint = {side: statistics.median(values) * 1000 for side, values in paints.items()}
    print(f"first paint, median of {args.runs}: bare {paint['bare']:.0f} ms, before {paint['before']:.0f} ms, after {paint['after']:.0f} ms")
    print(
        f"  ratio to bare: before {paint['before'] / paint['bare']:.2f}, after {paint['after'] / paint['bare']:.2f}; after/before {paint['after'] / paint['before']:.2f}"
    )
    for key in ("save_p50_ms", "save_p99_ms", "filter_p50_ms", "filter_p99_ms"):
        before = statistics.median(r[key] for r in runs["before"])
        after = statistics.median(r[key] for r in runs["after"])
        print(f"{key:14} before {before:6.2f}  after {after:6.2f}  after/before {after / before:.2f}  (median of {args.headless_runs} runs)")


if __name__ == "__main__":
    main()
