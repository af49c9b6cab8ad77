"""How each cost grows with the practice: one table for several sizes. Run by hand, never in CI.

    .venv/bin/python bench/scale.py --sizes 1000,10000,50000 [--homes DIR] [--runs 5]

For each size (sessions; one client per 50 sessions, 5,000 questions, as bench/generate.py
writes them) it generates a home under --homes (or reuses one made before) and measures,
the way a coach meets each cost:

- `sessionpal search WORD` as a whole process on a current index, beside `grep -rlF WORD`
  over the same clients/ folder (medians of --runs; target: ratio at most 1.0);
- the first index build, as a whole process (target at 50,000 sessions: under 20 s);
- first paint in tmux of `sessionpal --client BUSIEST` and of the client list, beside
  bench/bare_app.py in the same run (target: ratio at most 1.2);
- everyone's review, headless: the first rows in the table (target: within 200 ms);
- peak RSS of the app after a session screen, the review and a search (target: 150 MB).

Then, once, on the smallest home: the deck filter over its 5,000 questions beside a bare
Input matching as much (target: p99 under 16 ms, or within 1.5× the bare Input's p99), and
`sessionpal packs add` to a 5,000-question pack as a whole process (target: under 0.3 s).
It ends with one table: each target, the figure, the peer or floor, met or missed.

Source files are compiled first, as an installed wheel's are: this machine's
PYTHONDONTWRITEBYTECODE would otherwise make every start compile the app again.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, write_pack  # noqa: E402  (bench/ is not a package)
from run import (  # noqa: E402
    BENCH,
    PYTHON,
    busiest_client,
    filter_met,
    first_paint,
    measure_input_floor,
    measure_notes_and_filter,
    measure_rss,
)
from search import time_review_screen  # noqa: E402

from sessionpal.core.paths import Home  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"
WORD = "courage"


def whole_process(command: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure_size(sessions: int, homes: Path, runs: int) -> dict:
    clients = max(1, sessions // 50)
    root = homes / f"home-{sessions}"
    if not (root / "clients").is_dir():
        generate(root, clients=clients, sessions=sessions, questions=5000)
        os.sync()  # the new home's writes to disk now, not in the middle of the timings
        time.sleep(5)
    cache = Path(tempfile.mkdtemp(prefix="sessionpal-scale-cache-"))
    env = dict(os.environ, SESSIONPAL_CACHE=str(cache), TERM="xterm-256color")
    search = [PYTHON, "-m", "sessionpal", "--home", str(root), "search", WORD]
    started = time.perf_counter()
    subprocess.run(search, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    build = time.perf_counter() - started
    ours = whole_process(search, env, runs)
    grep = whole_process(["grep", "-rlF", WORD, str(root / "clients")], env, runs)
    slug, name = busiest_client(root)
    figures = {"sessions": sessions, "clients": clients, "build_s": build, "search_s": ours, "grep_s": grep}
    os.environ["SESSIONPAL_CACHE"] = str(cache)
    rows, _settled = asyncio.run(time_review_screen(Home(root), None, runs=3))
    figures["review_first_rows_ms"] = statistics.median(rows)
    if shutil.which("tmux"):
        tmux_env = {"SESSIONPAL_CACHE": str(cache), "TERM": "xterm-256color"}
        bare, client, listing = [], [], []
        for _ in range(runs):  # interleaved, so a noisy moment hits all three
            bare.append(first_paint(f"{PYTHON} {BENCH / 'bare_app.py'}", ["Bare Textual app", "Type a note"], tmux_env))
            client.append(first_paint(f"{PYTHON} -m sessionpal --home {root} --client {slug}", [name, "Type a note"], tmux_env))
            listing.append(first_paint(f"{PYTHON} -m sessionpal --home {root}", ["Type to find a client", "last session"], tmux_env))
        figures |= {"bare_ms": statistics.median(bare) * 1000, "client_ms": statistics.median(client) * 1000, "list_ms": statistics.median(listing) * 1000}
        figures["rss_mb"] = measure_rss(root, slug, tmux_env)
    shutil.rmtree(cache, ignore_errors=True)
    return figures


def measure_once(root: Path, runs: int) -> dict:
    """The size-independent targets: the deck filter and adding to a large pack."""
    cache = Path(tempfile.mkdtemp(prefix="sessionpal-scale-cache-"))
    os.environ["SESSIONPAL_CACHE"] = str(cache)
    # The index built first, as a coach's would be: the app would otherwise build it while being measured.
    subprocess.run([PYTHON, "-m", "sessionpal", "--home", str(root), "search", WORD], capture_output=True, env=dict(os.environ), check=False)
    _slug, name = busiest_client(root)
    live = asyncio.run(measure_notes_and_filter(root, name, 20, 168))
    live |= asyncio.run(measure_input_floor(live.pop("texts"), 168))
    shutil.rmtree(cache, ignore_errors=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "prompts").mkdir()
        write_pack(home / "prompts" / "big.toml", "big", 5000, seed=1)
        adds = [
            whole_process([PYTHON, "-m", "sessionpal", "packs", "add", "--home", str(home), "big", f"One more question, number {n}?"], dict(os.environ), 1)
            for n in range(runs)
        ]
    return live | {"pack_add_s": statistics.median(adds)}


def targets_table(results: list[dict], once: dict) -> list[tuple[str, str, str, bool]]:
    """Issue 15's targets, each with the figure, what it is compared with, and met or not."""
    rows = []
    for f in results:
        size = f"{f['sessions']:,} sessions"
        ratio = f["search_s"] / f["grep_s"]
        rows.append(
            (f"1. warm search, {size}", f"{f['search_s'] * 1000:.0f} ms", f"grep -rlF {f['grep_s'] * 1000:.0f} ms, ratio {ratio:.2f} (≤ 1.0)", ratio <= 1.0)
        )
    search_growth = results[-1]["search_s"] / results[0]["search_s"]
    rows.append(("1. search cost, largest / smallest home", f"{search_growth:.2f}×", "no more at the larger size (≤ 1.0)", search_growth <= 1.0))
    largest = results[-1]
    rows.append((f"2. first build, {largest['sessions']:,} sessions", f"{largest['build_s']:.1f} s", "under 20 s", largest["build_s"] < 20))
    for f in results:
        if "bare_ms" not in f:
            continue
        for what, key in (("--client", "client_ms"), ("client list", "list_ms")):
            ratio = f[key] / f["bare_ms"]
            rows.append(
                (
                    f"3. first paint {what}, {f['sessions']:,} sessions",
                    f"{f[key]:.0f} ms",
                    f"bare Textual {f['bare_ms']:.0f} ms, ratio {ratio:.2f} (≤ 1.2)",
                    ratio <= 1.2,
                )
            )
    rows.append(
        (
            f"4. deck filter over {once['questions']:,} questions, p99",
            f"{once['filter_p99_ms']:.1f} ms",
            f"under 16 ms, or ≤ 1.5× a bare Input's p99 {once['floor_p99_ms']:.1f} ms (p50 {once['filter_p50_ms']:.1f} vs {once['floor_p50_ms']:.1f})",
            filter_met(once),
        )
    )
    rows.append(("5. packs add, 5,000-question pack", f"{once['pack_add_s'] * 1000:.0f} ms", "under 300 ms, whole process", once["pack_add_s"] < 0.3))
    for f in results:
        if "rss_mb" in f:
            rows.append((f"6. peak RSS, {f['sessions']:,} sessions", f"{f['rss_mb']:.0f} MB", "under 150 MB", f["rss_mb"] < 150))
    for f in results:
        rows.append(
            (
                f"7. review of everyone, {f['sessions']:,} sessions",
                f"{f['review_first_rows_ms']:.0f} ms",
                "first rows within 200 ms",
                f["review_first_rows_ms"] <= 200,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="session counts, comma-separated")
    parser.add_argument("--homes", type=Path, default=Path(tempfile.gettempdir()) / "sessionpal-scale", help="where the generated homes are kept")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compileall.compile_dir(SRC, quiet=1)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = []
    for size in sizes:
        results.append(measure_size(size, args.homes, args.runs))
        print(results[-1], flush=True)  # kept in the log should a later size fail
    once = measure_once(args.homes / f"home-{min(sizes)}", args.runs)  # 5,000 questions at every size
    print(
        "\n| sessions (clients) | build | search / grep (ratio) | review, first rows | first paint --client / bare (ratio) | client list / bare (ratio) | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|")
    for f in results:
        paint = (
            f"{f['client_ms']:.0f} / {f['bare_ms']:.0f} ms ({f['client_ms'] / f['bare_ms']:.2f}) | {f['list_ms']:.0f} / {f['bare_ms']:.0f} ms ({f['list_ms'] / f['bare_ms']:.2f}) | {f['rss_mb']:.0f} MB"
            if "bare_ms" in f
            else "not measured (no tmux) | | "
        )
        print(
            f"| {f['sessions']:,} ({f['clients']:,}) | {f['build_s']:.1f} s | {f['search_s'] * 1000:.0f} / {f['grep_s'] * 1000:.0f} ms ({f['search_s'] / f['grep_s']:.2f}) "
            f"| {f['review_first_rows_ms']:.0f} ms | {paint} |"
        )
    print("\n| target | figure | compared with | met |\n|---|---|---|---|")
    for label, figure, peer, met in targets_table(results, once):
        print(f"| {label} | {figure} | {peer} | {'met' if met else 'MISSED'} |")


if __name__ == "__main__":
    main()
