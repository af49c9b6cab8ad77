"""The client list's first paint with a large calendar, before and after today's calls (issue 30). Run by hand.

    .venv/bin/python bench/today.py [--before REV] [--home DIR] [--runs 5]

A home as bench/generate.py makes it (200 clients, 10,000 sessions), and a calendar of 5,000 events over five
years around today: weekly series of the clients' calls (RRULE with EXDATE, some moved with RECURRENCE-ID)
and single calls, most naming a client, some naming none, a few today. It is given through this computer's
machine.toml ([calendar] there replaces config.toml's), so the same home is measured with and without it.

In tmux, taking turns so a noisy moment hits each: BEFORE (`git archive REV src`, run from its own src/,
the calendar set), AFTER (`git archive HEAD src` likewise, the calendar set), AFTER without a calendar; each until the
list's title and its first client are on the screen. And AFTER until the strip has drawn today's calls (the
calendar read in its worker). Prints medians in ms, and AFTER/BEFORE.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402  (bench/ is not a package)
from run import BENCH, SESSIONPAL_COMMAND, first_paint  # noqa: E402

ROOT = BENCH.parent
EVENTS = 5_000
SERIES = 300  # weekly series; their moved instances are events too


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(names: list[str], today: date, seed: int = 1) -> str:
    """EVENTS VEVENTs over five years (two and a half either side of today)."""
    rng = random.Random(seed)
    first = datetime.combine(today - timedelta(days=912), datetime.min.time(), UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sessionpal//bench//EN"]
    count = 0

    def vevent(uid: str, start: datetime, minutes: int, summary: str, *more: str) -> None:
        nonlocal count
        count += 1
        lines.extend(
            ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", f"DTSTART:{stamp(start)}", f"DTEND:{stamp(start + timedelta(minutes=minutes))}"]
        )
        lines.extend([f"SUMMARY:{summary}", *more, "END:VEVENT"])

    for number in range(SERIES):
        name = rng.choice(names)
        start = first + timedelta(days=rng.randrange(1700), hours=rng.randrange(8, 18))
        weeks = rng.randrange(10, 60)
        skipped = start + timedelta(weeks=rng.randrange(1, weeks))
        vevent(f"series-{number}", start, 50, f"Coaching: {name}", f"RRULE:FREQ=WEEKLY;COUNT={weeks}", f"EXDATE:{stamp(skipped)}")
        if number % 3 == 0:  # one instance moved an hour later
            moved = start + timedelta(weeks=2)
            vevent(f"series-{number}", moved + timedelta(hours=1), 50, f"Coaching: {name} (moved)", f"RECURRENCE-ID:{stamp(moved)}")
    midday = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=9)
    for hour, name in enumerate(names[:4]):  # today's calls, so the strip has some to draw
        vevent(f"today-{hour}", midday + timedelta(hours=2 * hour), 50, f"Coaching: {name}")
    while count < EVENTS:
        start = first + timedelta(days=rng.randrange(1825), hours=rng.randrange(7, 20), minutes=rng.choice((0, 15, 30)))
        summary = f"Call with {rng.choice(names)}" if rng.random() < 0.8 else rng.choice(("Dentist", "Team sync", "Intro call", "Supervision"))
        vevent(f"single-{count}", start, rng.choice((30, 45, 50, 60, 90)), summary)
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def sources_of(rev: str, into: Path) -> Path:
    """`rev`'s src/ as files, without a git worktree (nothing of the repository changes)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="main", help="the commit to compare with (default: main)")
    parser.add_argument("--after", default="HEAD", help="the commit measured (default: HEAD)")
    parser.add_argument("--home", type=Path, help="a home generated before (by bench/generate.py)")
    parser.add_argument("--runs", type=int, default=5, help="first paints of each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sessionpal-calendar-") as scratch:
        place = Path(scratch)
        home = args.home
        if home is None:
            home = place / "home"
            generate(home, clients=200, sessions=10_000, questions=5_000, seed=1)
        sys.path.insert(0, str(ROOT / "src"))
        from sessionpal.core.clients import list_clients
        from sessionpal.core.paths import Home

        entries = [e for e in list_clients(Home(home)) if e.client is not None]
        names = [e.name for e in entries]
        top = names[0]  # the list's first client: the list has drawn when its name is on the screen
        calendar = place / "calendar.ics"
        calendar.write_text(calendar_text(names, date.today()), encoding="utf-8")
        with_calendar = place / "machine.toml"
        with_calendar.write_text(f'[calendar]\nsources = ["{calendar}"]\n', encoding="utf-8")
        without = place / "machine-none.toml"
        without.write_text("", encoding="utf-8")
        # Both sides from the same kind of folder: a checkout on another file system imports at another speed.
        before = sources_of(args.before, place / "before")
        after = sources_of(args.after, place / "after")
        print(f"calendar: {calendar.stat().st_size / 1e6:.1f} MB, {EVENTS:,} events ({SERIES} weekly series); home {home}")
        base = {"TERM": "xterm-256color"}
        sides = {
            "before, with the calendar": ({**base, "PYTHONPATH": str(before), "SESSIONPAL_MACHINE_CONFIG": str(with_calendar)}, []),
            "after, with the calendar": ({**base, "PYTHONPATH": str(after), "SESSIONPAL_MACHINE_CONFIG": str(with_calendar)}, []),
            "after, no calendar": ({**base, "PYTHONPATH": str(after), "SESSIONPAL_MACHINE_CONFIG": str(without)}, []),
            "after, today's calls drawn": ({**base, "PYTHONPATH": str(after), "SESSIONPAL_MACHINE_CONFIG": str(with_calendar)}, ["to choose a call"]),
        }
        paints: dict[str, list[float]] = {side: [] for side in sides}
        command = f"{SESSIONPAL_COMMAND} --home {home}"
        for env, more in sides.values():  # untimed: bytecode cached for each tree
            first_paint(command, ["sessionpal · clients", top, *more], env)
        for _ in range(args.runs):
            for side, (env, more) in sides.items():
                paints[side].append(first_paint(command, ["sessionpal · clients", top, *more], env))
    medians = {side: statistics.median(values) * 1000 for side, values in paints.items()}
    for side, value in medians.items():
        print(f"{side:28} {value:6.0f} ms  (median of {args.runs}: {', '.join(f'{v * 1000:.0f}' for v in paints[side])})")
    print(f"first paint with the calendar, after/before: {medians['after, with the calendar'] / medians['before, with the calendar']:.2f}")


if __name__ == "__main__":
    main()
