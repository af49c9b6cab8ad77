"""A client's engagement: client.toml's [engagement], "session 5 of 12", and the client list's reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.clients import ClientEditError, create_client, list_clients, load_client, set_engagement
from sessionpal.core.engagement import attention, session_days, standing, usual_gap
from sessionpal.core.model import Engagement
from sessionpal.core.paths import Home

days = st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2199, 12, 31)))


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.none(), st.integers(min_value=1, max_value=500)), days, days, days)
def test_an_engagement_comes_back_from_client_toml_as_it_was_set(
    tmp_path_factory: pytest.TempPathFactory, sessions: int | None, ends: date | None, next_session: date | None, started: date | None
) -> None:
    from msgspec.structs import replace

    home = Home(tmp_path_factory.mktemp("home"))
    ana = create_client(home, "Ana Pérez", 45)
    wanted = Engagement(sessions, ends, next_session, started)
    today = date(2026, 11, 23)
    saved = set_engagement(home, ana.slug, wanted, today)
    nothing = sessions is None and ends is None and next_session is None
    assert saved.engagement == (None if nothing else replace(wanted, started=started or today)), "one set without a start starts that day"
    assert load_client(ana.path, ana.slug).engagement == saved.engagement
    assert set_engagement(home, ana.slug, None).engagement is None
    assert "[engagement]" not in ana.path.read_text(), "cleared: the table goes"


def test_a_broken_engagement_is_reported_with_its_place(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45)
    ana.path.write_text(ana.path.read_text() + '\n[engagement]\nsessions = "twelve"\nlast = 3\n')
    from sessionpal.core.problems import FileProblems

    with pytest.raises(FileProblems) as raised:
        load_client(ana.path, ana.slug)
    said = str(raised.value)
    assert "sessions" in said and f"{ana.path}:" in said and "unknown key 'last'" in said
    with pytest.raises(ClientEditError):
        set_engagement(home, "ana-perez", Engagement(0))


def test_session_numbers_and_what_the_list_says() -> None:
    week = [date(2026, 9, 7) + timedelta(days=7 * n) for n in range(10)]
    assert usual_gap(week) == 7 and usual_gap(week[:2]) is None, "two sessions say no rhythm yet"
    fifth = standing(Engagement(12), sessions_so_far=4, current_has_file=False)
    assert fifth is not None and fifth.label() == "session 5 of 12"
    fourth = standing(Engagement(), sessions_so_far=4, current_has_file=True)
    assert fourth is not None and fourth.label() == "session 4"
    assert standing(None, 4, False) is None
    today = week[-1] + timedelta(days=3)
    assert attention(Engagement(12), week, today) == "2 of 12 agreed sessions left"
    assert attention(Engagement(10), week, today) == "all 10 agreed sessions held"
    assert attention(Engagement(30, ends=today + timedelta(days=10)), week, today).startswith("engagement ends ")
    assert attention(Engagement(30), week, today) == "", "on rhythm, far from the end"
    late = week[-1] + timedelta(days=20)
    assert attention(None, week, late) == "no session for 20 days (usually 7)"
    assert session_days(["2026-11-23T1000.md", "2026-11-23T1400-2.md", "notes.md"]) == [date(2026, 11, 23), date(2026, 11, 23)]


def test_the_client_list_carries_the_reminder(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45)
    set_engagement(home, ana.slug, Engagement(3, started=date(2026, 11, 1)))
    folder = home.sessions_dir(ana.slug)
    folder.mkdir(parents=True, exist_ok=True)
    for day in ("2026-11-02", "2026-11-09"):
        (folder / f"{day}T1000.md").write_text('+++\nclient = "ana-perez"\ntimer = "ended"\n+++\n')
    (entry,) = list_clients(home, today=date(2026, 11, 12))
    assert entry.attention == "1 of 3 agreed sessions left"


def test_only_the_sessions_of_this_engagement_count(home: Home) -> None:
    """Issue 26.13: "session 4 of 8" at the first session of a new 8-session agreement (imported sessions counted)."""
    ana = create_client(home, "Ana Pérez", 45)
    engagement = set_engagement(home, ana.slug, Engagement(8), today=date(2026, 11, 23)).engagement
    assert engagement is not None and engagement.started == date(2026, 11, 23)
    before = [date(2026, 10, 5), date(2026, 10, 19), date(2026, 11, 2)]  # imported, from an earlier agreement
    held = len([d for d in before if engagement.counts(d)])
    first = standing(engagement, held, current_has_file=False)
    assert first is not None and first.label() == "session 1 of 8"
    week = [*before, date(2026, 11, 23), date(2026, 11, 30)]
    assert attention(engagement, week, date(2026, 12, 1)) == "", "2 of 8 held: not near the end"
    assert Engagement(8).counts(date(2000, 1, 1)), "an engagement with no start (an older file) counts every session"
