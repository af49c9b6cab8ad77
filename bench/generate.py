"""Write a realistic data home: a practice of many years, in the documented formats.

    .venv/bin/python bench/generate.py --out DIR [--clients 200] [--sessions 10000] [--questions 5000] [--seed 1]

Clients with values, goals and status histories (some working without goals, some
named and some by code, a few pro bono); session files of 20 to 80 notes of
realistic length with unicode, questions asked from the built-in packs, actions
open, done and dropped, goal ratings; user packs holding the given number of
questions; and a few hand-edited oddities (a paragraph of the coach's own, a
heading, an action typed without a stamp, CRLF line ends, a byte order mark, a file
broken by hand, a sync tool's conflict copy). The same seed gives the same bytes.
The first client always has 300 sessions (the review benchmark's busy client).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sessionpal.core.model import PHASES
from sessionpal.core.packs import load_library
from sessionpal.core.paths import slugify
from sessionpal.core.tomledit import toml_value

FIRST_NAMES = [
    "Ana",
    "Ben",
    "José",
    "Marta",
    "Li",
    "Wei",
    "Sofía",
    "Noah",
    "Amara",
    "Jonas",
    "Inès",
    "Kenji",
    "Priya",
    "Oskar",
    "Zoë",
    "Malik",
    "Chiara",
    "Tomasz",
    "Aiyana",
    "Björn",
    "Leïla",
    "Mateo",
    "Yuki",
    "Fatima",
]
LAST_NAMES = [
    "Pérez",
    "Okafor",
    "Álvarez",
    "Novak",
    "Chen",
    "Müller",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Haddad",
    "Sato",
    "Nørgaard",
    "Silva",
    "O'Brien",
    "Ivanova",
    "Mensah",
    "Costa",
    "Lindqvist",
]
VALUES = [
    "freedom",
    "family",
    "health",
    "courage",
    "honesty",
    "growth",
    "security",
    "creativity",
    "connection",
    "calm",
    "adventure",
    "respect",
    "learning",
    "fairness",
    "play",
]
GOAL_TITLES = [
    "Leave the bank by spring",
    "Run 5 km without stopping",
    "Weekly call with her sister",
    "Ask for the promotion",
    "Finish the first draft of the book",
    "Sleep by eleven on weeknights",
    "Say no to one extra project a week",
    "Find a mentor outside the company",
    "Move to Lisbon",
    "Learn enough Spanish to talk with the neighbours",
    "Take a real holiday this year",
    "Hire a second engineer",
    "Delegate the monthly report",
    "Start the pottery class",
]
STATUSES = ["active", "on-track", "at-risk", "stalled", "achieved", "changed", "paused", "dropped"]
AREAS = ["personal foundation", "skills", "personal evolution", "sounding board", "situational advice", "conceptual discussion"]
NOTE_WORDS = [
    "she",
    "talked",
    "about",
    "leaving",
    "the",
    "bank",
    "before",
    "spring",
    "her",
    "sister",
    "mother",
    "career",
    "promotion",
    "manager",
    "team",
    "fear",
    "courage",
    "deadline",
    "offer",
    "Lisbon",
    "café",
    "naïve",
    "résumé",
    "values",
    "freedom",
    "health",
    "sleep",
    "running",
    "budget",
    "money",
    "savings",
    "move",
    "apartment",
    "partner",
    "children",
    "school",
    "学习",
    "中文",
    "español",
    "niño",
    "décision",
    "option",
    "plan",
    "week",
    "month",
    "year",
    "calls",
    "emails",
    "boundaries",
    "energy",
    "tired",
    "excited",
    "worried",
    "proud",
    "stuck",
    "clarity",
    "choice",
    "really",
    "wants",
    "to",
    "try",
    "again",
    "but",
    "not",
    "sure",
    "whether",
    "it",
    "is",
    "worth",
    "it",
]
QUOTES = [
    "I always give up in March",
    "it is not my decision to make",
    "I'm tired of being the reliable one",
    "maybe I already know",
    "je ne sais pas",
    "我想试试",
]
ACTION_TEXTS = [
    "send the CV draft to Marta by Friday",
    "book a physio appointment",
    "write three options down",
    "call her sister on Sunday",
    "ask HR about the sabbatical rules",
    "run twice before the next session",
    "draft the email to the board",
]
OFFSET = timezone(timedelta(hours=1))


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randint(low, high)))


def stamp(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def client_text(rng: random.Random, name: str, slug: str, created: date, index: int) -> tuple[str, list[str], bool]:
    """client.toml, the goal ids, and whether the client works without goals."""
    values = rng.sample(VALUES, rng.randint(3, 6))
    no_goals = index % 17 == 5
    lines = [
        f"name = {toml_value(name)}",
        f"created = {created.isoformat()}",
        f"session_minutes = {rng.choice([45, 60, 60, 60, 90])}",
        f"values = {toml_value(values)}",
        f"no_goals = {str(no_goals).lower()}",
        f'contact = "{slug}@example.org"',
        f"log_name = {str(index % 3 != 0).lower()}",
        f'code = "C-{index:03d}"',
        f"pro_bono = {str(index % 23 == 7).lower()}",
        "",
        "[agreements]",
        f"agreed = {toml_value(['career', 'health'][: rng.randint(0, 2)])}",
        f"ask_first = {toml_value(['family'] if index % 4 == 1 else [])}",
    ]
    goal_ids = []
    for title in rng.sample(GOAL_TITLES, rng.randint(1, 5)):
        goal_id = slugify(title)
        goal_ids.append(goal_id)
        status = rng.choice(STATUSES[:5])
        history = []
        day, before = created, "active"
        for _ in range(rng.randint(0, 4)):
            day += timedelta(days=rng.randint(7, 60))
            after = rng.choice(STATUSES[:5])
            history.append(f'  {{ date = {day.isoformat()}, from = "{before}", to = "{after}", note = {toml_value(sentence(rng, 2, 8))} }},')
            before = after
        status = before if history else status
        lines += [
            "",
            "[[goals]]",
            f'id = "{goal_id}"',
            f"title = {toml_value(title)}",
            f'status = "{status}"',
            f"value = {toml_value(rng.choice(values))}",
            f"created = {created.isoformat()}",
            "history = [",
            *history,
            "]",
        ]
    return "\n".join(lines) + "\n", goal_ids, no_goals


def session_text(rng: random.Random, slug: str, started: datetime, planned: int, goal_ids: list[str], no_goals: bool, asked: list[tuple[str, str]]) -> str:
    elapsed = planned * 60 + rng.randint(-900, 600)
    touched = rng.sample(goal_ids, min(len(goal_ids), rng.randint(0, 2))) if not no_goals else []
    questions = rng.sample(asked, rng.randint(1, 5))
    front = [
        "+++",
        f'client = "{slug}"',
        f"started = {started.isoformat()}",
        f"planned_minutes = {planned}",
        f"elapsed_seconds = {elapsed}",
        'timer = "ended"',
        f"saved = {(started + timedelta(seconds=elapsed)).isoformat()}",
        f"questions = {toml_value([ref for ref, _ in questions])}",
        f"goals = {toml_value(touched)}",
        f"ended = {(started + timedelta(seconds=elapsed)).isoformat()}",
    ]
    if rng.random() < 0.6:
        front.append(f"agreement = {toml_value(sentence(rng, 4, 10))}")
    if touched:
        front.append("ratings = { " + ", ".join(f"{goal} = {rng.randint(2, 9)}" for goal in touched) + " }")
    if no_goals:
        front.append(f"focus_areas = {toml_value(rng.sample(AREAS, 2))}")
    front.append("+++")
    notes = []
    count = rng.randint(20, 80)
    for n in range(count):
        at = stamp(int(elapsed * n / count))
        kind = rng.random()
        if kind < 0.12:
            notes.append(f'- [{at}] "{rng.choice(QUOTES)}"')
        elif kind < 0.2:
            notes.append(f"- [{at}] **Insight:** {sentence(rng, 4, 12)}")
        elif kind < 0.25:
            notes.append(f"- [{at}] **Question:** what would {sentence(rng, 3, 8)}?")
        elif kind < 0.28:
            notes.append(f"- [{at}] **For the client:** {sentence(rng, 4, 12)}")
        else:
            notes.append(f"- [{at}] {sentence(rng, 4, 24)}")
    asked_lines = [f"- [{stamp(rng.randint(0, elapsed))}] {text} `{ref}`" for ref, text in questions]
    actions = []
    for _ in range(rng.randint(0, 3)):
        mark = rng.choice([" ", " ", "x", "x", "-"])
        actions.append(f"- [{mark}] [{stamp(rng.randint(elapsed - 600, elapsed))}] {rng.choice(ACTION_TEXTS)}")
    return "\n".join([*front, "", "## Notes", "", *notes, "", "## Questions asked", "", *asked_lines, "", "## Actions", "", *actions, ""])


def hand_edit(rng: random.Random, text: str, which: int) -> str:
    """The odd things a coach's own editor leaves."""
    if which == 0:
        return text.replace("## Questions asked", "She emailed afterwards: the talk with her manager went well.\n\n## Questions asked", 1)
    if which == 1:
        return text.replace("## Actions\n", "## Actions\n\n- [ ] think about the offer over the weekend\n", 1)
    if which == 2:
        return text.replace("\n", "\r\n")
    if which == 3:
        return "\ufeff" + text
    return text.replace("## Notes", "## Before the session\n\nRe-read the notes from March.\n\n## Notes", 1)


def write_pack(path: Path, pack_id: str, count: int, seed: int) -> None:
    """A user pack of `count` realistic questions (tags, phases, follow-ups, unicode)."""
    rng = random.Random(seed)
    words = [
        "what",
        "would",
        "matter",
        "most",
        "to",
        "you",
        "about",
        "this",
        "change",
        "really",
        "want",
        "afraid",
        "next",
        "step",
        "value",
        "family",
        "work",
        "freedom",
        "calm",
        "courage",
        "sea",
        "Lisbon",
        "café",
        "niño",
        "学习",
    ]
    lines = [f"# Generated for the benchmark ({count} questions).", "[pack]", f'id = "{pack_id}"', f'title = "My questions {pack_id[-2:]}"', ""]
    for n in range(count):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 16))).capitalize() + "?"
        lines += [
            "[[questions]]",
            f'id = "q-{n}"',
            f"text = {toml_value(text)}",
            f"tags = {toml_value(rng.sample(words, 2))}",
            f'phase = "{rng.choice(PHASES)}"',
            f"follow_ups = {toml_value(['And what else?', 'What would that give you?'][: rng.randint(0, 2)])}",
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), "utf-8")


def generate(root: Path, clients: int = 200, sessions: int = 10000, questions: int = 5000, seed: int = 1) -> list[str]:
    """Write the home; returns the client slugs, the busiest (300 sessions, or all there are) first."""
    # Folders 0700 and files 0600, as the app writes them: a home others can read is warned about.
    previous_umask = os.umask(0o077)
    try:
        return _generate(root, clients, sessions, questions, seed)
    finally:
        os.umask(previous_umask)


def _generate(root: Path, clients: int, sessions: int, questions: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    library = load_library(None)
    asked = [(q.ref, q.text) for q in library.questions()]
    busiest = min(300, sessions)
    rest = sessions - busiest
    weights = [rng.uniform(0.2, 2.0) for _ in range(clients - 1)]  # from a few sessions to a few hundred
    counts = [busiest] + [int(rest * w / sum(weights)) for w in weights] if clients > 1 else [sessions]
    counts[-1 if clients > 1 else 0] += sessions - sum(counts)
    slugs: list[str] = []
    names: set[str] = set()
    broken = 0
    for index, count in enumerate(counts):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        while name in names:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}"
        slug = slugify(name)
        if slug in slugs:  # two spellings of one name: a real coach would tell them apart
            name, slug = f"{name} {index}", f"{slug}-{index}"
        names.add(name)
        slugs.append(slug)
        folder = root / "clients" / slug
        (folder / "sessions").mkdir(parents=True, exist_ok=True)
        first = datetime(2016, 1, 4, 8 + index % 9, 0, tzinfo=OFFSET) + timedelta(days=rng.randint(0, 2500) if index else 0)
        text, goal_ids, no_goals = client_text(rng, name, slug, first.date(), index)
        (folder / "client.toml").write_text(text, "utf-8")
        planned = int(text.split("session_minutes = ")[1].split("\n")[0])
        when = first
        for s in range(count):
            body = session_text(rng, slug, when, planned, goal_ids, no_goals, asked)
            if s % 97 == 13:
                body = hand_edit(rng, body, s % 5)
            path = folder / "sessions" / f"{when:%Y-%m-%dT%H%M}.md"
            if index % 50 == 3 and s == 1 and broken < 3:  # broken by hand: listed, never rewritten
                body = body.replace('timer = "ended"', 'timer = "ended', 1)
                broken += 1
            path.write_bytes(body.encode("utf-8"))
            when += timedelta(days=rng.choice([7, 7, 7, 7, 14, 14, 21]), minutes=rng.choice([0, 0, 30, -30]))
        if index % 40 == 9 and count:  # a sync tool's copy beside a session
            (folder / "sessions" / f"{first:%Y-%m-%dT%H%M}.sync-conflict-20240101-120000-ABCDEFG.md").write_text("a copy", "utf-8")
    per_pack = 1000
    for start in range(0, questions, per_pack):
        write_pack(root / "prompts" / f"mine-{start // per_pack:02d}.toml", f"mine-{start // per_pack:02d}", min(per_pack, questions - start), seed + start)
    (root / "config.toml").write_text('# generated\nsession_minutes = 60\nstarred = ["mine-00/q-1", "mine-00/q-2"]\n', "utf-8")
    return slugs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the folder to write the home into (must be empty or new)")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=10000)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.clients < 1 or args.sessions < 0 or args.questions < 0:
        parser.error("--clients must be at least 1; --sessions and --questions at least 0")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty; give a new folder")
    started = time.perf_counter()
    slugs = generate(args.out, args.clients, args.sessions, args.questions, args.seed)
    print(f"wrote {args.sessions:,} sessions of {len(slugs)} clients and {args.questions:,} questions to {args.out} in {time.perf_counter() - started:.1f} s")
    print(f"busiest client: {slugs[0]}", file=sys.stderr)


if __name__ == "__main__":
    main()
