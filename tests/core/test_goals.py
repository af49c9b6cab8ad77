import itertools
import tomllib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.clients import ClientEditError, create_client, load_client, set_agreements, set_values
from sessionpal.core.goals import add_goal, change_goal_status, link_value, move_goal, rename_goal, set_goal_tags, succeed_goal
from sessionpal.core.live import LiveSession
from sessionpal.core.model import Client, GoalStatus, Move, StatusChange
from sessionpal.core.paths import Home
from sessionpal.core.saving import SaveFailed
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session
from sessionpal.core.stalled import SessionFacts, alignment, rating_trend, sparkline, stalled_goals
from sessionpal.core.timer import FakeClock

from ..helpers import as_moment, present

DAY = date(2026, 11, 23)

HAND_WRITTEN = """\
# Ana — my notes on her goals are in the comments.
name = "Ana"
values = ["freedom", "family"]

[[goals]]  # the big one
id = "leave"
title = "Leave the bank by spring"
status = "active"
created = 2026-09-01

[[goals]]
id = "run"
title = "Run 5 km"
status = "active"
created = 2026-09-01
"""


@pytest.fixture
def ana(home: Home) -> Client:
    path = home.client_file("ana")
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN)
    return load_client(path, "ana")


@pytest.mark.parametrize("before, after", list(itertools.permutations(GoalStatus, 2)))
def test_every_status_transition_is_written_to_history(home: Home, ana: Client, before: GoalStatus, after: GoalStatus) -> None:
    if before is not GoalStatus.ACTIVE:
        change_goal_status(home, "ana", "leave", before, at=as_moment(DAY - timedelta(days=1)))
    goal = change_goal_status(home, "ana", "leave", after, f"{before} to {after}", at=as_moment(DAY))
    assert goal.status is after
    assert goal.history[-1] == StatusChange(DAY, before, after, f"{before} to {after}")
    text = home.client_file("ana").read_text()
    assert "# Ana — my notes on her goals are in the comments." in text and "[[goals]]  # the big one" in text


def test_rename_tags_value_and_order(home: Home, ana: Client) -> None:
    assert rename_goal(home, "ana", "leave", "  Leave the bank  by June ").title == "Leave the bank by June"
    assert set_goal_tags(home, "ana", "run", ["Health", "health", " body "]).tags == ("health", "body")
    goal = link_value(home, "ana", "run", "vitality", at=as_moment(DAY))
    assert goal.value == "vitality" and goal.history == (), "a link made outside the playbook is no playbook move"
    assert load_client(home.client_file("ana")).values == ("freedom", "family", "vitality")
    goal = link_value(home, "ana", "run", "energy", at=as_moment(DAY), playbook=True)
    assert goal.values == ("vitality", "energy") and [h.move for h in goal.history] == [Move.VALUE], "the playbook's move is"
    client = move_goal(home, "ana", "run", -1)
    assert [g.id for g in client.goals] == ["run", "leave"]
    assert [g.id for g in move_goal(home, "ana", "run", -1).goals] == ["run", "leave"], "the first cannot go higher"
    with pytest.raises(ClientEditError):
        rename_goal(home, "ana", "leave", "   ")
    with pytest.raises(ClientEditError):
        move_goal(home, "ana", "nope", 1)
    assert "# Ana — my notes" in home.client_file("ana").read_text()


@pytest.mark.parametrize("move, verb", [(Move.SHRINK, "shrunk to"), (Move.REPLACE, "replaced by")])
def test_shrinking_or_replacing_a_goal_links_old_to_new(home: Home, ana: Client, move: Move, verb: str) -> None:
    link_value(home, "ana", "run", "health", at=as_moment(DAY))
    set_goal_tags(home, "ana", "run", ["body"])
    old, new = succeed_goal(home, "ana", "run", "Walk 10 minutes on Tuesday", move, at=as_moment(DAY))
    assert old.status is GoalStatus.CHANGED and old.replaced_by == new.id == "walk-10-minutes-on-tuesday"
    assert old.history[-1] == StatusChange(DAY, GoalStatus.ACTIVE, GoalStatus.CHANGED, f"{verb}: Walk 10 minutes on Tuesday", move)
    assert (new.status, new.value, new.tags, new.created) == (GoalStatus.ACTIVE, "health", ("body",), DAY)


def test_no_goals_switches_on_and_off_without_losing_goals_and_each_goal_says_when(home: Home, ana: Client) -> None:
    from sessionpal.core.goals import SET_ASIDE, TAKEN_UP, work_without_goals

    before = load_client(home.client_file("ana")).goals
    assert work_without_goals(home, "ana", True, at=as_moment(DAY)).no_goals
    client = work_without_goals(home, "ana", False, at=as_moment(DAY))
    assert not client.no_goals and [g.id for g in client.goals] == [g.id for g in before]
    assert all(g.status == b.status for g, b in zip(client.goals, before, strict=True)), "no status changes"
    for goal in (g for g in client.goals if g.status.is_open):
        assert [(h.note, h.move) for h in goal.history[-2:]] == [(SET_ASIDE, None), (TAKEN_UP, None)], goal.id
    assert tomllib.loads(home.client_file("ana").read_text())["no_goals"] is False


def test_a_goal_may_serve_several_values_and_an_old_single_value_still_reads(home: Home, ana: Client) -> None:
    from sessionpal.core.goals import set_goal_values

    path = home.client_file("ana")
    path.write_text(path.read_text().replace('id = "run"', 'id = "run"\nvalue = "health"', 1))
    assert present(load_client(path, "ana").goal("run")).values == ("health",), 'value = "..." of files before several'
    goal = set_goal_values(home, "ana", "run", ["health", "freedom", " Freedom", ""], at=as_moment(DAY), playbook=True)
    assert goal.values == ("health", "freedom") and goal.value == "health"
    data = tomllib.loads(path.read_text())
    run = next(g for g in data["goals"] if g["id"] == "run")
    assert run["values"] == ["health", "freedom"] and "value" not in run, "one key now: values"
    assert "freedom" in data["values"], "a new value joins the client's values"
    assert [c.note for c in goal.history] == ["connected to the value: freedom"], "each new link recorded once, as the playbook's move"
    assert set_goal_values(home, "ana", "run", []).values == ()


def test_values_and_areas(home: Home, ana: Client) -> None:
    assert set_values(home, "ana", ["freedom", " Freedom ", "craft", ""]).values == ("freedom", "craft")
    client = set_agreements(home, "ana", ["career", "health"], ["family", "money"])
    assert (client.agreed, client.ask_first) == (("career", "health"), ("family", "money"))
    data = tomllib.loads(home.client_file("ana").read_text())
    assert data["agreements"] == {"agreed": ["career", "health"], "ask_first": ["family", "money"]}


def history_client(home: Home, **goal_kwargs: Any) -> Client:
    client = create_client(home, "Bo", None, DAY - timedelta(days=100))
    add_goal(home, client.slug, "Write the thesis", at=as_moment(DAY - timedelta(days=90)))
    return load_client(client.path, client.slug)


def facts(days_ago: int, ratings: dict[str, int] | None = None, notes: Iterable[str] = ()) -> SessionFacts:
    return SessionFacts(DAY - timedelta(days=days_ago), ratings or {}, tuple(notes))


def test_a_goal_untouched_for_three_sessions_is_flagged(home: Home) -> None:
    client = history_client(home)
    sessions = [facts(28), facts(21), facts(14), facts(7)]
    assert "write-the-thesis" in stalled_goals(client, sessions, 3)
    assert stalled_goals(client, sessions[:2], 3) == {}, "too few sessions to say"
    assert stalled_goals(client, sessions, 5) == {}


def test_what_counts_as_movement(home: Home) -> None:
    client = history_client(home)
    quiet = [facts(28, {"write-the-thesis": 4}), facts(21), facts(14, {"write-the-thesis": 4}), facts(7, {"write-the-thesis": 3})]
    assert "write-the-thesis" in stalled_goals(client, quiet, 3), "same or lower ratings are not progress"
    rising = quiet[:-1] + [facts(7, {"write-the-thesis": 6})]
    assert stalled_goals(client, rising, 3) == {}
    named = quiet[:-1] + [facts(7, notes=["Write the Thesis: two pages this week"])]
    assert stalled_goals(client, named, 3) == {}
    loosely = quiet[:-1] + [facts(7, notes=["she wrote two pages of the thesis"])]
    assert "write-the-thesis" in stalled_goals(client, loosely, 3), "only the title or #id names a goal"
    tagged = quiet[:-1] + [facts(7, notes=["blocked on #write-the-thesis"])]
    assert stalled_goals(client, tagged, 3) == {}
    change_goal_status(home, client.slug, "write-the-thesis", GoalStatus.AT_RISK, at=as_moment(DAY - timedelta(days=30)))
    assert "write-the-thesis" in stalled_goals(load_client(client.path), quiet, 3), "a change before the last 3 sessions is old news"
    change_goal_status(home, client.slug, "write-the-thesis", GoalStatus.ON_TRACK, at=as_moment(DAY - timedelta(days=10)))
    assert stalled_goals(load_client(client.path), quiet, 3) == {}


def test_marked_stalled_paused_and_finished_goals(home: Home) -> None:
    client = history_client(home)
    change_goal_status(home, client.slug, "write-the-thesis", GoalStatus.STALLED, at=as_moment(DAY))
    assert stalled_goals(load_client(client.path), [], 3) == {"write-the-thesis": "marked stalled"}
    for status in (GoalStatus.PAUSED, GoalStatus.ACHIEVED, GoalStatus.DROPPED, GoalStatus.CHANGED):
        change_goal_status(home, client.slug, "write-the-thesis", status, at=as_moment(DAY))
        assert stalled_goals(load_client(client.path), [facts(d) for d in (21, 14, 7)], 3) == {}, status


def test_a_new_goal_is_not_judged_on_sessions_before_it(home: Home) -> None:
    client = history_client(home)
    sessions = [facts(d) for d in (95, 94, 93)]  # before the goal was created, 90 days ago
    assert stalled_goals(client, sessions, 3) == {}


def test_movement_in_the_session_in_progress_clears_the_flag(home: Home) -> None:
    client = history_client(home)
    past = [facts(21, {"write-the-thesis": 5}), facts(14), facts(7)]
    assert "write-the-thesis" in stalled_goals(client, past, 3, facts(0))
    assert stalled_goals(client, past, 3, facts(0, {"write-the-thesis": 6})) == {}
    assert "write-the-thesis" in stalled_goals(client, past, 3, facts(0, {"write-the-thesis": 5}))
    assert stalled_goals(client, past, 3, facts(0, notes=["the thesis: write the thesis outline"])) == {}


@settings(max_examples=200)
@given(st.lists(st.one_of(st.none(), st.integers(1, 10)), min_size=3, max_size=8))
def test_flagged_exactly_when_no_recent_rating_rises(ratings: list[int | None]) -> None:
    from pathlib import Path

    from sessionpal.core.model import Client, Goal

    goal = Goal("g", "A goal", created=DAY - timedelta(days=365))
    client = Client("c", "C", Path("c.toml"), goals=(goal,))
    sessions = [SessionFacts(DAY - timedelta(days=7 * (len(ratings) - i)), {"g": r} if r else {}) for i, r in enumerate(ratings)]
    rated = [(i, r) for i, r in enumerate(ratings) if r]
    window = range(len(ratings) - 3, len(ratings))
    rose = any(i in window and r > rated[k - 1][1] for k, (i, r) in enumerate(rated) if k > 0)
    assert ("g" in stalled_goals(client, sessions, 3)) == (not rose)


def test_trend_and_sparkline() -> None:
    sessions = [facts(21, {"g": 2}), facts(14), facts(7, {"g": 10})]
    assert rating_trend("g", sessions) == [2, 10]
    assert sparkline([1, 5, 10]) == "▁▄█"
    assert sparkline(list(range(1, 11)), width=3) == "▆▇█"


def test_alignment_highlights_what_stands_alone(home: Home, ana: Client) -> None:
    link_value(home, "ana", "leave", "Freedom", at=as_moment(DAY))
    add_goal(home, "ana", "Call my sister weekly", value="connection", at=as_moment(DAY))
    assert load_client(home.client_file("ana")).values == ("freedom", "family", "connection"), "a goal's new value is the client's (26.11)"
    view = alignment(load_client(home.client_file("ana")))
    assert view.values == ("freedom", "family", "connection")
    assert view.links == {"leave": ("freedom",), "call-my-sister-weekly": ("connection",)}
    assert view.goals_without_value == ("run",)
    assert view.values_without_goal == ("family",)


@pytest.fixture
def live(home: Home, ana: Client, clock: FakeClock) -> LiveSession:
    set_agreements(home, "ana", ["career"], ["family", "money matters"])
    return LiveSession(home, load_client(home.client_file("ana"), "ana"), clock, FALLBACK_MODEL, 45)


def test_agreement_ratings_and_focus_areas_go_to_the_front_matter(live: LiveSession, clock: FakeClock) -> None:
    live.add_note("=Decide whether to take the Lisbon offer")
    clock.advance(60)
    live.goals.rate_goal("leave", 6)
    live.goals.rate_goal("leave", 7)
    live.goals.toggle_focus_area("sounding board")
    live.goals.toggle_focus_area("skills")
    live.goals.toggle_focus_area("sounding board")
    assert live.path is not None
    info = read_session(live.path).info
    assert info.agreement == "Decide whether to take the Lisbon offer"
    assert info.ratings == {"leave": 7} and info.goals == ("leave",)
    assert info.focus_areas == ("skills",)
    assert read_session(live.path).notes == [], "the agreement is not a note"
    with pytest.raises(SaveFailed):
        live.goals.rate_goal("leave", 11)


def test_playbook_moves_from_the_session(live: LiveSession, home: Home, clock: FakeClock) -> None:
    live.start()
    live.goals.explore_reason("run")
    clock.advance(60)
    live.goals.add_support("run", "Thursday")
    clock.advance(60)
    old, new = live.goals.succeed_goal("run", "Walk to work twice", Move.SHRINK)
    clock.advance(60)
    live.goals.set_goals_aside("leave")
    client = load_client(home.client_file("ana"))
    run = client.goal("run")
    assert run is not None
    assert [(c.move, c.note) for c in run.history] == [
        (Move.REASON, "explored the real reason"),
        (Move.SUPPORT, "check in by message on Thursday"),
        (Move.SHRINK, "shrunk to: Walk to work twice"),
    ]
    assert client.no_goals and present(client.goal("leave")).history[-1].move is Move.DROP_ALL
    assert live.path is not None
    document = read_session(live.path)
    assert document.actions[0].text == "Coach: check in by message on Thursday about: Run 5 km"
    assert document.actions[0].for_coach, "the coach's own: it stays out of the client's recap"
    assert set(document.info.goals) == {"run", "walk-to-work-twice", "leave"}
    live.goals.rate_goal("walk-to-work-twice", 4)
    summary = live.summary()
    changes = {c.goal_id: c for c in summary.goal_changes}
    assert changes["walk-to-work-twice"].before is None and changes["run"].after is GoalStatus.CHANGED
    assert summary.ratings == (("Walk to work twice", 4),)
    assert summary.moves == (
        ("Run 5 km", "explored the real reason"),
        ("Run 5 km", "added support between sessions: check in by message on Thursday"),
        ("Run 5 km", "shrunk to a smaller step"),
        ("Leave the bank by spring", "all goals set aside for now"),
    )


def test_the_summary_names_the_focus_areas_touched(live: LiveSession) -> None:
    live.start()
    live.goals.toggle_focus_area("skills")
    assert live.summary().focus_areas == ("skills",)


def test_ask_first_areas_named_with_a_hashtag(live: LiveSession) -> None:
    assert live.goals.ask_first_areas("talked about her #family, and #career") == ["family"]
    assert live.goals.ask_first_areas("#money-matters came up") == ["money matters"]
    assert live.goals.ask_first_areas("family without a tag") == []


def test_stalled_in_a_live_session(home: Home, ana: Client, clock: FakeClock) -> None:
    live = LiveSession(home, ana, clock, FALLBACK_MODEL, 45)
    past = (facts(21), facts(14), facts(7))
    assert set(live.goals.stalled(past, 3)) == {"leave", "run"}
    live.goals.rate_goal("run", 4)
    assert set(live.goals.stalled(past, 3)) == {"leave"}, "a first rating is movement"
    live.add_note("we talked about how to leave the bank by spring")
    assert live.goals.stalled(past, 3) == {}


def test_a_goal_made_late_in_the_day_counts_only_the_sessions_after_it(home: Home) -> None:
    """Three sessions held this morning are not three sessions a goal made this afternoon sat still in."""
    client = create_client(home, "Bo", None, DAY - timedelta(days=100))
    noon = datetime(2026, 11, 23, 12, 0, tzinfo=timezone(timedelta(hours=1)))
    add_goal(home, client.slug, "Write one page", at=noon)
    client = load_client(client.path, client.slug)
    morning = [SessionFacts(noon - timedelta(hours=h)) for h in (3, 2, 1)]
    assert stalled_goals(client, morning, 3) == {}
    later = [SessionFacts(noon + timedelta(days=d)) for d in (7, 14, 21)]
    assert "write-one-page" in stalled_goals(client, morning + later, 3)
    assert stalled_goals(client, morning + later[:2], 3) == {}


def test_goal_stamps_written_by_hand_as_dates_still_compare(home: Home) -> None:
    client = history_client(home)
    change_goal_status(home, client.slug, "write-the-thesis", GoalStatus.ON_TRACK, at=datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    quiet = [SessionFacts(datetime(2026, 11, d, 10, 0, tzinfo=UTC)) for d in (2, 9, 16)]
    assert stalled_goals(load_client(client.path), quiet, 3) == {}, "a dated change before a timed session on that day is movement in it"


@settings(max_examples=25, deadline=None)
@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2199, 12, 30)).map(lambda d: d.replace(microsecond=0)),
    st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m))),
)
def test_a_goal_stamp_round_trips_with_its_offset(tmp_path_factory: pytest.TempPathFactory, when: datetime, offset: timezone) -> None:
    from sessionpal.core.paths import Home

    home = Home(tmp_path_factory.mktemp("home"))
    create_client(home, "Bo", None, DAY)
    at = when.replace(tzinfo=offset)
    added = add_goal(home, "bo", "Write", at=at)
    changed = change_goal_status(home, "bo", "write", GoalStatus.AT_RISK, at=at)
    assert added.created == at and changed.history[-1].date == at
    assert load_client(home.client_file("bo"), "bo").goal("write") == changed
