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
from generate import generate  # noqa: E402  (bench/ is not a package)
from run import BENCH, PYTHON, busiest_client, first_paint, measure_rss  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="session counts, comma-separated")
    parser.add_argument("--homes", type=Path, default=Path(tempfile.gettempdir()) / "sessionpal-scale", help="where the generated homes are kept")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compileall.compile_dir(SRC, quiet=1)
    results = [measure_size(int(size), args.homes, args.runs) for size in args.sizes.split(",")]
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


if __name__ == "__main__":
    main()
