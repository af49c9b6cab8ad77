"""`sessionpal export CLIENT --format obsidian`: sessions as notes with YAML front matter, read back by a YAML parser."""

from __future__ import annotations

import math
import tomllib
from datetime import date, datetime, time, timedelta, timezone

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.clients import create_client
from sessionpal.core.export import _yaml_front, obsidian_notes
from sessionpal.core.goals import add_goal
from sessionpal.core.live import LiveSession
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import FakeClock

from ..helpers import START, as_moment

# What TOML can hold (tomllib's types), in a front matter a coach or a script may have edited.
text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
scalars = st.one_of(
    text,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(timezones=st.just(timezone(timedelta(hours=1)))),
    st.dates(),
    st.times(),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)), max_leaves=12)


def as_read(value: object) -> object:
    """What YAML gives back: times as their ISO text, everything else as it was."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return [as_read(v) for v in value]
    if isinstance(value, dict):
        return {k: as_read(v) for k, v in value.items()}
    return value


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b and type(a) is type(b)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(text, values, max_size=6))
def test_any_front_matter_reads_back_from_yaml_as_it_was(front: dict[str, object]) -> None:
    assert same(yaml.safe_load(_yaml_front(front) or "{}"), as_read(front))


def test_a_client_s_sessions_as_obsidian_notes(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45, date(2026, 10, 1))
    add_goal(home, ana.slug, "Leave the bank by spring", value="freedom", at=as_moment(date(2026, 10, 1)))
    clock = FakeClock(START)
    for week, typed in enumerate(['=Decide about "the move" — 学习', "!Draft the list", "+Remember: you chose this"]):
        clock.advance(7 * 86400 * week)
        live = LiveSession(home, ana, clock, FALLBACK_MODEL, 45)
        live.add_note(typed)
        live.add_note(f"week {week}: she spoke of her father")
        clock.advance(1800)
        live.end()
    broken = home.client_dir(ana.slug) / "sessions" / "2026-12-31T0900.md"
    broken.write_text("+++\nclient = \n+++\n")
    problems: list[str] = []
    notes = obsidian_notes(home, ana.slug, problems)
    paths = [p for p in session_paths(home, ana.slug) if p != broken]
    assert sorted(notes) == sorted([f"{p.stem}.md" for p in paths] + ["ana-perez.md"])
    assert len(problems) == 1 and problems[0].startswith(f"{broken}:2:"), problems
    for path in paths:
        original = path.read_text()
        front_toml, body = original.split("+++\n", 2)[1:]
        note = notes[f"{path.stem}.md"]
        assert note.startswith("---\n")
        front_yaml, copied_body = note.split("---\n", 2)[1:]
        assert same(yaml.safe_load(front_yaml), as_read(tomllib.loads(front_toml)))
        assert copied_body == body, "the body as it is"
    assert yaml.safe_load(notes[f"{paths[0].stem}.md"].split("---\n")[1])["agreement"] == 'Decide about "the move" — 学习'
    index = notes["ana-perez.md"]
    assert "- Leave the bank by spring (active)" in index
    assert [line for line in index.splitlines() if line.startswith("- [[")] == [f"- [[{p.stem}]]" for p in reversed(paths)]
