"""How long a large pack takes to load (target: 5,000 questions in under 150 ms), and to add one question to.

    .venv/bin/python bench/packs.py [--questions 5000] [--runs 15]
    .venv/bin/python bench/packs.py --add --questions 100000 --runs 3   # adding costs about one more reading
    .venv/bin/python bench/packs.py --parsers --runs 15   # tomli (a dependency, for its speed) against tomllib

With --parsers, the standard library's tomllib and tomli take turns in one process (the
order swapped each run): the pack's text parsed alone, then load_pack_file with each as
the parser. tomli stays a dependency only while it wins by clearly more than the noise.

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
    parser.add_argument("--parsers", action="store_true", help="tomllib against tomli, parsing and loading the pack")
    args = parser.parse_args()
    if args.add:
        return time_add(args.questions, args.runs)
    if args.parsers:
        return time_parsers(args.questions, args.runs)
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


def time_parsers(questions: int, runs: int) -> None:
    import gc
    import tomllib

    import tomli

    from sessionpal.core import problems

    parsers = {"tomllib": tomllib.loads, "tomli": tomli.loads}
    parse: dict[str, list[float]] = {name: [] for name in parsers}
    load: dict[str, list[float]] = {name: [] for name in parsers}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.toml"
        write_pack(path, "bench", questions, seed=1)
        text = path.read_text(encoding="utf-8")
        assert tomllib.loads(text) == tomli.loads(text)
        chosen = problems._loads
        try:
            for run in range(runs + 1):  # the first round warms up, and is not counted
                for name, loads in list(parsers.items())[:: 1 if run % 2 else -1]:
                    gc.collect()
                    start = time.perf_counter()
                    loads(text)
                    parsed = time.perf_counter() - start
                    problems._loads = loads
                    gc.collect()
                    start = time.perf_counter()
                    assert len(load_pack_file(path).questions) == questions
                    loaded = time.perf_counter() - start
                    if run:
                        parse[name].append(parsed * 1000)
                        load[name].append(loaded * 1000)
        finally:
            problems._loads = chosen
    print(f"pack of {questions} questions ({len(text.encode()) / 1024:.0f} KiB), {runs} runs each, interleaved")
    for name in parsers:
        print(
            f"{name:8} parse median {statistics.median(parse[name]):6.1f} ms (fastest {min(parse[name]):.1f}, slowest {max(parse[name]):.1f})"
            f"   load median {statistics.median(load[name]):6.1f} ms (fastest {min(load[name]):.1f}, slowest {max(load[name]):.1f})"
        )
    ratio = [statistics.median(times["tomllib"]) / statistics.median(times["tomli"]) for times in (parse, load)]
    print(f"tomllib / tomli: parse {ratio[0]:.2f}x, load {ratio[1]:.2f}x")


if __name__ == "__main__":
    main()
