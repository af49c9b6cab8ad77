"""How long a large pack takes to load (target: 5,000 questions in under 150 ms).

    .venv/bin/python bench/packs.py [--questions 5000] [--runs 15]

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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
