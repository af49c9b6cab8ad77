"""How each cost grows with the practice: issue 29's table, for several sizes, floors and peers in one run.
Run by hand, never in CI.

    .venv/bin/python bench/scale.py --sizes 10000,50000,100000 [--homes DIR] [--runs 5]

For each size (sessions; one client per 50 sessions, 5,000 questions, as bench/generate.py
writes them) it generates a home under --homes (or reuses one made before) and measures,
the way a coach meets each cost, each beside its floor in the same run:

- `sessionpal search WORD` as a whole process on a current index, beside `grep -rlF WORD`
  over the same clients/ folder (medians of --runs);
- the first index build, as a whole process;
- first paint in tmux of `sessionpal --client BUSIEST` and of the client list (its roster kept by a
  run before, as every day's start after the first has it), beside
  bench/bare_app.py (a bare Textual app composing the same widget types);
- everyone's review in tmux: ctrl+y on the client list to its first rows drawn, the peak RSS
  then, and ctrl+q to the process gone, beside bench/review_floor.py (the same view on a
  bare DataTable reading the same index);
- peak RSS of the app after a session screen, the review and a search.

Then, once, on the home nearest 50,000 sessions: note save (Enter to fsync, 300 notes) and
the deck filter over its 5,000 questions beside a bare Input matching as much, and
`sessionpal packs add` to a 5,000-question pack as a whole process. It ends with one table:
each target, the figure, the floor it is compared with, met or missed.

Every sessionpal command runs as the venv's `sessionpal` script, as a coach types it (not `python -m`, whose runpy
is 4-5 ms the bare app, a script, does not pay), with this checkout's src first on PYTHONPATH.
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
    SESSIONPAL,
    SESSIONPAL_COMMAND,
    busiest_client,
    first_paint,
    measure_input_floor,
    measure_notes_and_filter,
    measure_rss,
    start_in_tmux,
    tmux,
)

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


def on_screen(markers: list[str], timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while not all(marker in tmux("capture-pane", "-p", "-t", "bench") for marker in markers):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"never drawn: {markers}\n" + tmux("capture-pane", "-p", "-t", "bench"))
        time.sleep(0.002)


def review_and_quit(command: str, ready: list[str], rows: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """In a real terminal: from ctrl+y on the first screen to the review's first rows drawn, the peak RSS
    once they are, and from ctrl+q to the process gone (seconds, seconds, MB)."""
    tmux("kill-session", "-t", "bench")
    start_in_tmux(command, env)
    pid = int(tmux("display-message", "-p", "-t", "bench", "#{pane_pid}").strip())
    on_screen(ready)
    time.sleep(1.0)  # what the first screen loads after its first frame, done
    started = time.perf_counter()
    tmux("send-keys", "-t", "bench", "C-y")
    on_screen(rows)
    shown = time.perf_counter() - started
    time.sleep(1.0)
    status = Path(f"/proc/{pid}/status").read_text()
    peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024
    started = time.perf_counter()
    tmux("send-keys", "-t", "bench", "C-q")
    while Path(f"/proc/{pid}").exists() and "State:\tZ" not in _status(pid):
        time.sleep(0.002)
    gone = time.perf_counter() - started
    tmux("kill-session", "-t", "bench")
    time.sleep(0.3)
    return shown, gone, peak


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "State:\tZ"


def newest_row(cache: Path, root: Path) -> str:
    """The newest session's date and time as the review's first row shows it."""
    import sqlite3

    from sessionpal.core.index import SearchIndex

    os.environ["SESSIONPAL_CACHE"] = str(cache)
    with sqlite3.connect(SearchIndex(Home(root)).path) as connection:
        started = connection.execute("SELECT started FROM files ORDER BY sort_key DESC, path DESC LIMIT 1").fetchone()[0]
    return str(started)[:16].replace("T", " ")


def measure_size(sessions: int, homes: Path, runs: int) -> dict:
    clients = max(1, sessions // 50)
    root = homes / f"home-{sessions}"
    if not (root / "clients").is_dir():
        generate(root, clients=clients, sessions=sessions, questions=5000)
        os.sync()  # the new home's writes to disk now, not in the middle of the timings
        time.sleep(5)
    cache = Path(tempfile.mkdtemp(prefix="sessionpal-scale-cache-"))
    # This checkout's src first, in every process and in tmux (whose server keeps its own environment): the
    # figures are of the code beside this script, whatever the venv's editable install points at.
    env = dict(os.environ, SESSIONPAL_CACHE=str(cache), TERM="xterm-256color", PYTHONPATH=str(SRC))
    search = [*SESSIONPAL, "--home", str(root), "search", WORD]
    started = time.perf_counter()
    subprocess.run(search, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    build = time.perf_counter() - started
    ours = whole_process(search, env, runs)
    grep = whole_process(["grep", "-rlF", WORD, str(root / "clients")], env, runs)
    slug, name = busiest_client(root)
    figures = {"sessions": sessions, "clients": clients, "build_s": build, "search_s": ours, "grep_s": grep}
    if shutil.which("tmux"):
        tmux_env = {"SESSIONPAL_CACHE": str(cache), "TERM": "xterm-256color", "PYTHONPATH": str(SRC)}
        # The client list as a coach meets it each day: with the roster its last run kept (cache/roster.json,
        # written once every client has been read). Each timed run below is stopped at its first frame, before
        # it could write one, so without this every run would read every client file, as only a first run does.
        start_in_tmux(f"{SESSIONPAL_COMMAND} --home {root}", tmux_env)
        on_screen(["Type to find a client", "last session"])
        deadline = time.perf_counter() + 60
        while not list(cache.glob("*/roster.json")) and time.perf_counter() < deadline:
            time.sleep(0.1)
        time.sleep(1)
        tmux("kill-session", "-t", "bench")
        time.sleep(0.3)
        bare, client, listing = [], [], []
        for _ in range(runs):  # interleaved, so a noisy moment hits all three
            bare.append(first_paint(f"{PYTHON} {BENCH / 'bare_app.py'}", ["Bare Textual app", "Type a note"], tmux_env))
            client.append(first_paint(f"{SESSIONPAL_COMMAND} --home {root} --client {slug}", [name, "Type a note"], tmux_env))
            listing.append(first_paint(f"{SESSIONPAL_COMMAND} --home {root}", ["Type to find a client", "last session"], tmux_env))
        figures |= {"bare_ms": statistics.median(bare) * 1000, "client_ms": statistics.median(client) * 1000, "list_ms": statistics.median(listing) * 1000}
        figures["rss_mb"] = measure_rss(root, slug, tmux_env)
        # Everyone's review from the client list, beside the same view on a bare DataTable; then quitting.
        from sessionpal.core.index import SearchIndex

        first_row = newest_row(cache, root)
        index = SearchIndex(Home(root)).path
        ours_review, floor_review = [], []
        for _ in range(max(3, runs // 2)):
            floor_review.append(
                review_and_quit(f"{PYTHON} {BENCH / 'review_floor.py'} {index}", ["Bare review floor"], ["Review · all clients", first_row], tmux_env)
            )
            ours_review.append(
                review_and_quit(f"{SESSIONPAL_COMMAND} --home {root}", ["Type to find a client", "last session"], ["Review · all clients", first_row], tmux_env)
            )
        for key, values in (("review", ours_review), ("review_floor", floor_review)):
            figures[f"{key}_rows_ms"] = statistics.median(v[0] for v in values) * 1000
            figures[f"{key}_quit_ms"] = statistics.median(v[1] for v in values) * 1000
            figures[f"{key}_rss_mb"] = statistics.median(v[2] for v in values)
    shutil.rmtree(cache, ignore_errors=True)
    return figures


def measure_once(root: Path, runs: int) -> dict:
    """The size-independent targets: the deck filter and adding to a large pack."""
    cache = Path(tempfile.mkdtemp(prefix="sessionpal-scale-cache-"))
    os.environ["SESSIONPAL_CACHE"] = str(cache)
    # The index built first, as a coach's would be: the app would otherwise build it while being measured.
    subprocess.run([*SESSIONPAL, "--home", str(root), "search", WORD], capture_output=True, env=dict(os.environ), check=False)
    _slug, name = busiest_client(root)
    live = asyncio.run(measure_notes_and_filter(root, name, 300, 168))
    live |= asyncio.run(measure_input_floor(live.pop("texts"), 168))
    shutil.rmtree(cache, ignore_errors=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        (home / "prompts").mkdir()
        write_pack(home / "prompts" / "big.toml", "big", 5000, seed=1)
        adds = [
            whole_process([*SESSIONPAL, "packs", "add", "--home", str(home), "big", f"One more question, number {n}?"], dict(os.environ), 1)
            for n in range(runs)
        ]
    return live | {"pack_add_s": statistics.median(adds), "home_sessions": sum(1 for _ in (root / "clients").glob("*/sessions/*.md"))}


def targets_table(results: list[dict], once: dict) -> list[tuple[str, str, str, bool]]:
    """Issue 29's targets, each with the figure, its floor or peer from the same run, and met or not."""
    rows = []
    for f in results:
        if "review_rows_ms" in f:
            ratio = f["review_rows_ms"] / f["review_floor_rows_ms"]
            rows.append(
                (
                    f"review of everyone, first rows, {f['sessions']:,} sessions",
                    f"{f['review_rows_ms']:.0f} ms",
                    f"bare DataTable view {f['review_floor_rows_ms']:.0f} ms, ratio {ratio:.2f} (≤ 1.5)",
                    ratio <= 1.5,
                )
            )
    with_review = [f for f in results if "review_rows_ms" in f]
    if len(with_review) > 1:
        growth = with_review[-1]["review_rows_ms"] / with_review[0]["review_rows_ms"]
        rows.append(("review, first rows, largest / smallest home", f"{growth:.2f}×", "flat in size (≤ 1.2)", growth <= 1.2))
    for f in with_review[-1:]:
        rows.append(
            (
                f"peak RSS after list + review, {f['sessions']:,} sessions",
                f"{f['review_rss_mb']:.0f} MB",
                f"bare {f['review_floor_rss_mb']:.0f} MB; under 120 MB",
                f["review_rss_mb"] < 120,
            )
        )
        ratio = f["review_quit_ms"] / f["review_floor_quit_ms"]
        rows.append(
            (
                f"quit from that review, {f['sessions']:,} sessions",
                f"{f['review_quit_ms']:.0f} ms",
                f"bare {f['review_floor_quit_ms']:.0f} ms, ratio {ratio:.2f} (≤ 1.2)",
                ratio <= 1.2,
            )
        )
    for f in results:
        if "bare_ms" not in f:
            continue
        for what, key, target in (("client list, rows shown", "list_ms", 1.5), ("first paint --client", "client_ms", 1.2)):
            ratio = f[key] / f["bare_ms"]
            rows.append(
                (
                    f"{what}, {f['sessions']:,} sessions",
                    f"{f[key]:.0f} ms",
                    f"bare Textual {f['bare_ms']:.0f} ms, ratio {ratio:.2f} (≤ {target})",
                    ratio <= target,
                )
            )
    rows.append(
        (
            f"deck filter over {once['questions']:,} questions, p99",
            f"{once['filter_p99_ms']:.1f} ms",
            f"Input alone, same matching: p99 {once['floor_p99_ms']:.1f} ms, ratio {once['filter_p99_ms'] / once['floor_p99_ms']:.2f} (≤ 1.2)",
            once["filter_p99_ms"] <= 1.2 * once["floor_p99_ms"],
        )
    )
    rows.append(
        (
            f"note save, Enter to fsync, {once['home_sessions']:,}-session home, p99",
            f"{once['save_p99_ms']:.1f} ms",
            f"p50 {once['save_p50_ms']:.1f} ms; under 10 ms",
            once["save_p99_ms"] < 10,
        )
    )
    for f in results:
        ratio = f["search_s"] / f["grep_s"]
        rows.append(
            (
                f"warm search, {f['sessions']:,} sessions",
                f"{f['search_s'] * 1000:.0f} ms",
                f"grep -rlF {f['grep_s'] * 1000:.0f} ms, ratio {ratio:.2f} (≤ 1.2 at 10k)",
                ratio <= 1.2 or f["sessions"] != 10_000,
            )
        )
    growth = results[-1]["search_s"] / results[0]["search_s"]
    rows.append(("warm search, largest / smallest home", f"{growth:.2f}×", "within 1.2×", growth <= 1.2))
    for f in results:
        if f["sessions"] == 50_000:
            rows.append(("first index build, 50,000 sessions", f"{f['build_s']:.1f} s", "under 20 s", f["build_s"] < 20))
    rows.append(("packs add, 5,000-question pack", f"{once['pack_add_s'] * 1000:.0f} ms", "under 300 ms, whole process", once["pack_add_s"] < 0.3))
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
    once_size = min(sizes, key=lambda size: abs(size - 50_000))  # the note save's target is for a 50,000-session home
    once = measure_once(args.homes / f"home-{once_size}", args.runs)  # 5,000 questions at every size
    print(
        "\n| sessions (clients) | build | search / grep (ratio) | review first rows / bare DataTable | first paint --client / bare (ratio) | client list / bare (ratio) | peak RSS |"
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
            f"| {f.get('review_rows_ms', 0):.0f} / {f.get('review_floor_rows_ms', 0):.0f} ms | {paint} |"
        )
    print("\n| target | figure | compared with | met |\n|---|---|---|---|")
    for label, figure, peer, met in targets_table(results, once):
        print(f"| {label} | {figure} | {peer} | {'met' if met else 'MISSED'} |")


if __name__ == "__main__":
    main()
