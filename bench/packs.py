"""How long a large pack takes to load (target: 5,000 questions in under 150 ms), and to add one question to.

    .venv/bin/python bench/packs.py [--questions 5000] [--runs 15]
    .venv/bin/python bench/packs.py --add --questions 100000 --runs 3   # adding costs about one more reading

With --add, each run copies the pack into a data home and times `add_question`
beside a load of the same file: the ratio says what one added question costs in
readings of the pack (target: at most 2, the reading it needs and one more).

Writes a pack of realistic questions (tags, phases, follow-ups, unicode) to a
temporary folder, then times load_pack_file over several runs and prints the
median and the slowest. Run by hand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sessionpal.core.packs import load_pack_file

sys.path.insert(0, str(Path(__file__).parent))
from generate import write_pack  # noqa: E402  (bench/ is not a package)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--add", action="store_true", help="time adding one question, against a load")
    args = parser.parse_args()
    if args.add:
        return time_add(args.questions, args.runs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.toml"
        write_pack(path, "bench", args.questions, seed=1)
        size = path.stat().st_size
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            pack = load_pack_file(path)
            times.append((time.perf_counter() - start) * 1000)
        assert len(pack.questions) == args.questions
    print(f"pack of {args.questions} questions ({size / 1024:.0f} KiB), {args.runs} runs")
    print(f"median {statistics.median(times):.1f} ms   slowest {max(times):.1f} ms   fastest {min(times):.1f} ms")


def time_add(questions: int, runs: int) -> None:
    from sessionpal.core.pack_edit import add_question
    from sessionpal.core.paths import Home

    adds, loads = [], []
    with tempfile.TemporaryDirectory() as folder:
        home = Home(Path(folder))
        path = home.prompts_dir / "bench.toml"
        path.parent.mkdir()
        write_pack(path, "bench", questions, seed=1)
        for run in range(runs):
            start = time.perf_counter()
            load_pack_file(path)
            loads.append(time.perf_counter() - start)
            start = time.perf_counter()
            add_question(path, f"One more question, number {run}?")
            adds.append(time.perf_counter() - start)
    add, load = statistics.median(adds), statistics.median(loads)
    print(f"pack of {questions} questions, {runs} runs: add one {add * 1000:.0f} ms, load {load * 1000:.0f} ms, ratio {add / load:.2f}")


if __name__ == "__main__":
    main()
