"""How long a large pack takes to load (target: 5,000 questions in under 150 ms).

    .venv/bin/python bench/packs.py [--questions 5000] [--runs 15]

Writes a pack of realistic questions (tags, phases, follow-ups, unicode) to a
temporary folder, then times load_pack_file over several runs and prints the
median and the slowest. Run by hand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from sessionpal.core.model import PHASES
from sessionpal.core.packs import load_pack_file
from sessionpal.core.tomledit import toml_value

WORDS = "what would matter most to you about this change really want afraid next step value family work freedom calm courage sea Lisbon café niño 学习".split()


def write_pack(path: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    lines = ["# A generated pack for the benchmark.", "[pack]", 'id = "bench"', 'title = "Benchmark pack"', ""]
    for n in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16))).capitalize() + "?"
        lines += [
            "[[questions]]",
            f'id = "q-{n}"',
            f"text = {toml_value(text)}",
            f"tags = {toml_value(rng.sample(WORDS, 2))}",
            f'phase = "{rng.choice(PHASES)}"',
            f"follow_ups = {toml_value(['And what else?', 'What would that give you?'][: rng.randint(0, 2)])}",
            "",
        ]
    path.write_text("\n".join(lines), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.toml"
        write_pack(path, args.questions)
        size = path.stat().st_size
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            pack = load_pack_file(path)
            times.append((time.perf_counter() - start) * 1000)
        assert len(pack.questions) == args.questions
    print(f"pack of {args.questions} questions ({size / 1024:.0f} KiB), {args.runs} runs")
    print(f"median {statistics.median(times):.1f} ms   slowest {max(times):.1f} ms   fastest {min(times):.1f} ms")


if __name__ == "__main__":
    main()
