from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.model import Phase
from sessionpal.core.paths import Home
from sessionpal.core.problems import FileProblems
from sessionpal.core.session_models import FALLBACK_MODEL, load_models, parse_model
from sessionpal.core.timer import FakeClock, Level, SessionTimer, TimerState, format_clock, format_span

HOUR = 3600.0


def timer(clock: FakeClock, planned: float = HOUR, **kwargs: Any) -> SessionTimer:
    return SessionTimer(clock, planned, FALLBACK_MODEL.schedule(planned), **kwargs)


def test_default_model_splits_the_hour_as_documented() -> None:
    spans = FALLBACK_MODEL.schedule(HOUR)
    assert [(s.phase.id, s.start / 60, s.end / 60) for s in spans] == [
        ("opening", 0, 6),
        ("explore", 6, 30),
        ("options", 30, 42),
        ("action", 42, 54),
        ("closing", 54, 60),
    ]


def test_builtin_grow_matches_the_fallback() -> None:
    library = load_models(None)
    assert library.problems == []
    grow = library.get("grow")
    assert [(p.questions, p.share) for p in grow.phases] == [(p.questions, p.share) for p in FALLBACK_MODEL.phases]
    assert library.get("check-in").phases[1].questions is Phase.EXPLORE
    assert library.get("no-such-model").id == "grow"


def test_timer_counts_only_running_time(clock: FakeClock) -> None:
    t = timer(clock)
    clock.advance(30)
    assert t.elapsed == 0 and t.state is TimerState.READY
    t.start()
    clock.advance(600)
    t.pause()
    clock.advance(3000)  # a long pause counts for nothing
    t.start()
    clock.advance(60)
    reading = t.read()
    assert reading.elapsed == 660
    assert reading.span is not None and reading.span.phase.id == "explore"
    assert reading.phase_left == 30 * 60 - 660


def test_levels_and_over_time(clock: FakeClock) -> None:
    t = timer(clock)
    t.start()
    clock.advance(49 * 60)
    assert t.read().level is Level.CALM
    clock.advance(60)
    assert t.read().level is Level.TEN
    clock.advance(5 * 60)
    assert t.read().level is Level.FIVE
    clock.advance(5 * 60 + 1)
    reading = t.read()
    assert reading.level is Level.OVER and reading.over and reading.remaining == -1
    assert reading.span is not None and reading.span.phase.id == "closing" and reading.phase_left == 0


@settings(max_examples=200)
@given(st.lists(st.tuples(st.floats(0, 900, allow_nan=False), st.booleans()), max_size=60))
def test_no_drift_whatever_the_pauses(steps: list[tuple[float, bool]]) -> None:
    from sessionpal.core.timer import FakeClock

    from ..helpers import START

    clock = FakeClock(START)
    t = timer(clock)
    t.start()
    expected = 0.0
    for seconds, toggle in steps:
        running = t.state is TimerState.RUNNING
        clock.advance(seconds)
        if running:
            expected += seconds
        if toggle:
            t.toggle()
    assert t.elapsed == pytest.approx(expected, abs=1e-6)


def test_a_three_hour_session_reads_exactly(clock: FakeClock) -> None:
    t = timer(clock, planned=3 * HOUR)
    t.start()
    for _ in range(3 * 3600 * 4):  # a reading every quarter second, as the screen does
        clock.advance(0.25)
        t.read()
    assert t.elapsed == 3 * HOUR
    assert format_clock(t.elapsed) == "3:00:00"


def test_resume_from_saved_state(clock: FakeClock) -> None:
    t = timer(clock, elapsed=754, state=TimerState.RUNNING)
    clock.advance(6)
    assert t.elapsed == 760 and t.state is TimerState.RUNNING
    paused = timer(clock, elapsed=754, state=TimerState.PAUSED)
    clock.advance(100)
    assert paused.elapsed == 754


def test_format_clock() -> None:
    assert format_clock(0) == "00:00"
    assert format_clock(59.9) == "00:59"
    assert format_clock(3599) == "59:59"
    assert format_clock(3600) == "1:00:00"
    assert format_clock(-5) == "00:00"


def test_format_span() -> None:
    assert format_span(59) == "0 min"
    assert format_span(50 * 60 + 30) == "50 min"
    assert format_span(3 * 3600 + 5 * 60) == "3 h 05 min"
    assert format_span(8210 * 3600 + 59) == "8,210 h"


MODEL = """\
[model]
id = "mine"
title = "Mine"

[[phases]]
id = "arrive"
questions = "opening"
minutes = 5

[[phases]]
id = "explore"
share = 70

[[phases]]
id = "close"
questions = "closing"
share = 30
"""


def test_minutes_and_shares_mix() -> None:
    model = parse_model(Path("mine.toml"), MODEL)
    spans = model.schedule(45 * 60)
    assert [(s.phase.id, s.end - s.start) for s in spans] == [("arrive", 300), ("explore", 40 * 60 * 0.7), ("close", 40 * 60 * 0.3)]
    assert spans[-1].end == pytest.approx(45 * 60)
    short = model.schedule(4 * 60)
    assert short[0].end == 240 and short[-1].end == 240


@pytest.mark.parametrize(
    "text, expected",
    [
        (MODEL.replace("share = 30", "share = 20"), "shares add up to 90"),
        (MODEL.replace('questions = "closing"\n', ""), "phase 'close' needs questions ="),
        (MODEL.replace("minutes = 5", "minutes = 5\nshare = 5"), "either share"),
        (MODEL.replace('questions = "opening"', 'questions = "warmup"'), "unknown question phase 'warmup'"),
        ("[model]\nid = 'x'\ntitle = 'x'\n", "at least one [[phases]]"),
        ("", "empty file"),
    ],
)
def test_bad_models_are_reported(text: str, expected: str) -> None:
    with pytest.raises(FileProblems) as caught:
        parse_model(Path("m.toml"), text)
    assert expected in str(caught.value)
    assert str(caught.value).startswith("m.toml:")


def test_user_models_load_and_broken_ones_are_reported(home: Home) -> None:
    home.models_dir.mkdir()
    (home.models_dir / "mine.toml").write_text(MODEL)
    (home.models_dir / "bad.toml").write_text("[model")
    library = load_models(home)
    assert library.get("mine").title == "Mine" and not library.get("mine").builtin
    assert [p.path.endswith("bad.toml") for p in library.problems] == [True]
