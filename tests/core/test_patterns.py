"""What keeps coming up (core/patterns.py, carried.py, words.py): the carried-over rule under hypothesis, the quote
collector on golden session files, the energy check-in end to end, themes, quiet goals, and the index's schema."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.carried import ActionSeen, carried_over
from sessionpal.core.clients import load_client
from sessionpal.core.index import SearchIndex
from sessionpal.core.index_types import SessionStory
from sessionpal.core.live import parse_typed
from sessionpal.core.model import Action, ActionState, Client, Goal, Note, NoteKind
from sessionpal.core.paths import Home
from sessionpal.core.patterns import as_json, patterns_of, read_patterns
from sessionpal.core.patterns_text import as_markdown, as_text
from sessionpal.core.problems import FileProblems
from sessionpal.core.sessionfile import Energy, SessionDocument, new_session_text
from sessionpal.core.stalled import SessionFacts, sessions_unnamed, stalled_goals
from sessionpal.core.words import content_words, language_of, tags_in

GOLDEN = Path(__file__).parent / "golden" / "patterns"
TODAY = date(2026, 12, 1)
TZ = timezone(timedelta(hours=1))
# Words no stop word list holds, so every one of them counts.
WORDS = ["invoice", "garden", "marathon", "sister", "resume", "portfolio", "spanish", "guitar", "budget", "mentor", "pottery", "kayak"]
GOAL = Goal("career-move", "Career move")


def seen(session: int, text: str, state: ActionState = ActionState.OPEN, due: date | None = None) -> ActionSeen:
    return ActionSeen(session, Action(text, 60, state, due))


# --- the carried-over rule --------------------------------------------------------------------------------


@st.composite
def rewordings(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """An action's words, and that action written again in several sessions, each time as it was, with a word
    swapped or with one added: any two wordings share more than half of five or more words."""
    base = draw(st.lists(st.sampled_from(WORDS[:8]), min_size=5, max_size=7, unique=True))
    spare = [w for w in WORDS if w not in base]
    wordings = []
    for _ in range(draw(st.integers(2, 5))):
        words = list(base)
        change = draw(st.sampled_from(["none", "swap", "add"]))
        if change == "swap":
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(spare))
        elif change == "add":
            words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(spare)))
        wordings.append(words)
    return base, wordings


@settings(max_examples=150, deadline=None)
@given(rewordings(), st.integers(0, 4))
def test_an_action_rewritten_with_the_same_goal_tag_is_one_action_carried_over(reworded: tuple[list[str], list[list[str]]], later: int) -> None:
    _, wordings = reworded
    actions = [seen(n, " ".join(words) + " #career-move") for n, words in enumerate(wordings)]
    sessions = len(wordings) + later
    found = carried_over(actions, sessions, TODAY, [GOAL], at_least=0)
    assert len(found) == 1, "every wording is the same action"
    assert found[0].times == sessions - 1, "open since the first session: every later session carried it"
    assert found[0].text == actions[-1].action.text and found[0].tags == ("career-move",)
    assert bool(carried_over(actions, sessions, TODAY, [GOAL])) == (sessions - 1 >= 2), "flagged from two sessions on"
    # Without the goal tag, only the very same words are one action.
    untagged = [seen(n, " ".join(words)) for n, words in enumerate(wordings)]
    alone = carried_over(untagged, sessions, TODAY, at_least=0)
    assert sum(len(c.wordings) for c in alone) <= len(untagged)
    assert all(len({tuple(sorted(w.split())) for w in c.wordings}) == 1 for c in alone), "an untagged action joins only its own words"


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6), st.integers(0, 6), st.data())
def test_a_ticked_action_never_counts_and_ends_its_chain(sessions_before: int, sessions_after: int, data: st.DataObject) -> None:
    text = "send the portfolio to the mentor"
    ticked_at = sessions_before
    actions = [seen(n, text) for n in range(ticked_at)] + [seen(ticked_at, text, ActionState.DONE)]
    sessions = ticked_at + 1 + sessions_after
    assert carried_over(actions, sessions, TODAY) == [], "ticked done in its latest session: nothing is stuck"
    # Taken on again after the tick: a new chain, counted from there, never from before the tick.
    again = data.draw(st.integers(ticked_at + 1, sessions - 1)) if sessions_after else None
    if again is not None:
        found = carried_over([*actions, seen(again, text)], sessions, TODAY, at_least=0)
        assert [c.times for c in found] == [sessions - 1 - again]


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 8), st.integers(-30, 30), st.sampled_from([ActionState.OPEN, ActionState.DROPPED]))
def test_never_for_an_action_due_ahead_or_dropped(sessions: int, days: int, state: ActionState) -> None:
    due = TODAY + timedelta(days=days)
    actions = [seen(0, "book the kayak lesson"), seen(sessions - 1, "book the kayak lesson", state, due)]
    found = carried_over(actions, sessions + 1, TODAY)
    if state is ActionState.DROPPED or days > 0:
        assert found == [], "a due date still ahead, or an action the client let go, is not stuck"
    else:
        assert [c.times for c in found] == [sessions], "past its day and still open: carried over"


def test_different_goals_or_few_words_in_common_are_different_actions() -> None:
    other = Goal("garden", "Garden")
    actions = [
        seen(0, "call the mentor about the budget #career-move"),
        seen(1, "call the mentor about the garden #garden"),  # other goal
        seen(2, "plan the pottery class #career-move"),  # same goal, nothing in common
        seen(3, "Coach: check in by message on Friday about: Career move"),  # the coach's own
    ]
    found = carried_over(actions, 6, TODAY, [GOAL, other], at_least=0)
    assert sorted(c.text for c in found) == sorted(a.action.text for a in actions[:3])
    # A goal named by its title is the same tag as its #id.
    titled = carried_over([seen(0, "ask the mentor about the budget for the career move"), seen(1, "budget mentor chat #career-move")], 4, TODAY, [GOAL])
    assert [(c.times, c.wordings[0]) for c in titled] == [(3, "ask the mentor about the budget for the career move")]


# --- words ---------------------------------------------------------------------------------------------------


def test_an_action_written_twice_in_a_session_is_one_line() -> None:
    """Two lines of one session with the same action start two chains that follow each other: one is shown."""
    actions = [seen(n, "draft the email to the board") for n in range(4) for _ in range(2)]
    found = carried_over(actions, 6, TODAY)
    assert [(c.text, c.times) for c in found] == [("draft the email to the board", 5)]


def test_an_action_written_twice_then_once_is_still_one_line() -> None:
    """Written twice for two sessions, then once: the second chain stops where the first goes on, both open
    since the same session. One line, the one that went on (seen in the patterns view of a bench home)."""

    def in_file(n: int) -> ActionSeen:
        return ActionSeen(n, Action("draft the email to the board", 60 + n, ActionState.OPEN), Path(f"{n}.md"))

    actions = [in_file(n) for n in range(2) for _ in range(2)] + [in_file(n) for n in range(2, 5)]
    found = carried_over(actions, 6, TODAY)
    assert [(c.text, c.times, c.path) for c in found] == [("draft the email to the board", 5, Path("4.md"))]
    # Once, then twice: the second copy's chain starts later and ends where the first's does.
    actions = [in_file(n) for n in range(2)] + [in_file(n) for n in range(2, 4) for _ in range(2)]
    found = carried_over(actions, 5, TODAY)
    assert [(c.text, c.times, c.path) for c in found] == [("draft the email to the board", 4, Path("3.md"))]
    # Twice, then one copy ticked and the other left open: still open, still flagged.
    ticked = ActionSeen(1, Action("draft the email to the board", 61, ActionState.DONE), Path("1.md"))
    actions = [in_file(0), in_file(0), ticked, in_file(1)]
    found = carried_over(actions, 4, TODAY)
    assert [(c.text, c.times, c.path) for c in found] == [("draft the email to the board", 3, Path("1.md"))]


def test_stop_words_of_the_clients_language_are_left_out_and_cjk_counts_in_pairs() -> None:
    assert language_of(["siempre me rindo en marzo y no sé por qué", "es que tengo miedo"]) == "es"
    assert language_of(["I always give up in March"]) == "en"
    assert content_words("siempre me rindo en marzo", "es") == ["siempre", "rindo", "marzo"]
    assert content_words("I always give up in March #running", "en") == ["always", "give", "march"]
    assert content_words("我想跑半程马拉松", "") == ["我想", "想跑", "跑半", "半程", "程马", "马拉", "拉松"]
    assert "的了" not in content_words("好的了", ""), "a pair of particles says nothing"
    assert tags_in("a #Family thing, #leave-the-bank. #family and c#") == ("family", "leave-the-bank")


# --- the quote collector, on golden session files ---------------------------------------------------------------


@pytest.fixture
def marta(tmp_path: Path) -> tuple[Home, Client]:
    home = Home(tmp_path / "home")
    shutil.copytree(GOLDEN / "marta-ruiz", home.clients_dir / "marta-ruiz")
    return home, load_client(home.client_file("marta-ruiz"), "marta-ruiz")


def test_quotes_from_the_golden_sessions_newest_first_with_date_tags_and_goal(marta: tuple[Home, Client]) -> None:
    home, client = marta
    found = read_patterns(home, client, TODAY)
    assert [(q.day, q.text, q.tags, q.goals, q.shareable) for q in found.quotes] == [
        ("2026-08-03", "still in the notes section", (), (), False),
        ("2026-08-03", "Running is the one hour that is mine #run-5-km", ("run-5-km",), ("Run 5 km",), False),
        ("2026-08-03", "the ␛[31mred␛[0m colour", (), (), False),
        ("2026-07-06", "一步一步来", (), (), False),
        ("2026-07-06", "I know what I want, I just do not do it", (), (), True),
        ("2026-07-06", "Leave the bank? Not this year", (), ("Leave the bank",), False),
        ("2026-06-08", "My sister thinks I'm mad #family", ("family",), (), False),
        ("2026-06-08", "I always give up in March", (), (), False),
    ]
    assert [q.text for q in found.for_client] == ["three options to look at"]
    assert len(found.problems) == 1 and "2026-09-07T1000.md:2:" in found.problems[0], "the broken file is reported, not read"
    assert found.quotes[0].path.name == "2026-08-03T1000.md" and found.quotes[0].stamp == 5 * 60
    # The CV action, re-written with the same goal tag, open across two later sessions.
    assert [(c.text, c.times, c.wordings) for c in found.carried] == [
        ("Update my CV #leave-the-bank", 2, ("Update the CV for #leave-the-bank", "Update my CV #leave-the-bank"))
    ]
    assert [(p.start, p.end) for p in found.energy] == [(4, 6), (5, None)]
    areas = {t.name: t.counts for t in found.themes if t.kind == "area"}
    assert areas == {"career": (1, 0, 0), "family": (1, 0, 0)}, "#career and #family are the client's areas, by month"
    assert found.months == ("2026-06", "2026-07", "2026-08")


def test_since_keeps_later_sessions_and_share_shows_only_what_is_marked(marta: tuple[Home, Client]) -> None:
    home, client = marta
    later = read_patterns(home, client, TODAY, since=date(2026, 7, 1))
    assert {q.day for q in later.quotes} == {"2026-07-06", "2026-08-03"} and later.sessions == 2
    shared = as_markdown(later, share=True)
    assert '"I know what I want, I just do not do it"' in shared and "three options to look at" in shared
    assert "Not this year" not in shared and "Running" not in shared and "CV" not in shared, "nothing else of the sessions"
    private = as_markdown(later)
    assert "Not this year" in private and "_Private:" in private
    text = as_text(later)
    assert "Their words" in text and "carried over 2 times" in text
    assert as_json(later)["carried_over"][0]["times"] == 2


# --- quiet goals: the stalled rule's evidence --------------------------------------------------------------------


def test_goals_no_note_names_are_listed_with_the_stalled_rules_verdict() -> None:
    client = Client("c", "C", Path("c/client.toml"), goals=(Goal("run", "Run 5 km"), Goal("sing", "Sing in a choir")))
    start = datetime(2026, 9, 1, 10, tzinfo=TZ)
    notes = [("talked about #run",), ("work",), ("work",), ("work",)]
    stories = [
        SessionStory(Path(f"c/sessions/2026-09-{n + 1:02d}T1000.md"), "C", start + timedelta(days=n), (), {}, (None, None), (), ((60, "note", t),), ())
        for n, (t,) in enumerate(notes)
    ]
    found = patterns_of(client, stories, TODAY, stalled_after=3)
    facts = [SessionFacts(s.started, {}, tuple(t for _, _, t in s.lines)) for s in stories if s.started]
    assert [(q.goal_id, q.sessions) for q in found.quiet_goals] == [("sing", 4), ("run", 3)]
    assert [q.sessions for q in found.quiet_goals] == [sessions_unnamed(g, facts) for g in reversed(client.goals)]
    assert {q.goal_id for q in found.quiet_goals if q.stalled} == set(stalled_goals(client, facts, 3)), "the same verdict as the sidebar's"


# --- the energy check-in, end to end ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 3600)), max_size=6))
def test_energy_check_ins_go_to_the_front_matter_and_read_back(said: list[tuple[int, int]]) -> None:
    document = SessionDocument.parse(Path("c/sessions/2026-11-23T1000.md"), new_session_text({"client": "c", "planned_minutes": 60}))
    expected = Energy()
    for level, stamp in said:
        kind, text = parse_typed(f"~{level}")
        assert (kind, text) == (NoteKind.ENERGY, str(level))
        assert document.add_note(Note(stamp, text, kind)) == -1, "never a line of the notes"
        expected = expected.said(level, stamp, 3600)
    again = SessionDocument.parse(document.path, document.render())
    assert again.info.energy == expected == document.info.energy
    assert again.notes == [], "the check-ins live in the front matter alone"
    assert ("energy" in again.front) == (expected != Energy())


def test_energy_prefix_only_for_a_number_from_0_to_10() -> None:
    assert parse_typed("~7") == (NoteKind.ENERGY, "7")
    assert parse_typed("~ 10") == (NoteKind.ENERGY, "10")
    assert parse_typed("~11") == (NoteKind.NOTE, "~11")
    assert parse_typed("~20 people came") == (NoteKind.NOTE, "~20 people came")
    assert parse_typed("\\~7") == (NoteKind.NOTE, "~7"), "the backslash keeps the prefix literal"
    with pytest.raises(FileProblems, match="'start' must be between 0 and 10"):
        SessionDocument.parse(Path("x.md"), '+++\nclient = "c"\nenergy = { start = 12 }\n+++\n')
    with pytest.raises(FileProblems, match="unknown key 'strat'"):
        SessionDocument.parse(Path("x.md"), '+++\nclient = "c"\nenergy = { strat = 5 }\n+++\n')


# --- the index: a schema change rebuilds it once ---------------------------------------------------------------------


def test_an_index_of_an_older_schema_is_rebuilt_once(marta: tuple[Home, Client]) -> None:
    home, client = marta
    index = SearchIndex(home)
    index.refresh()
    with sqlite3.connect(index.path) as connection:
        connection.execute("PRAGMA user_version = 15")  # before energy check-ins (16): no upgrade in place
        connection.execute("ALTER TABLE files DROP COLUMN energy")
    assert index.refresh().indexed == 4, "every file read again into the new schema"
    assert [(p.start, p.end) for p in read_patterns(home, client, TODAY).energy] == [(4, 6), (5, None)]
    assert index.refresh().indexed == 0, "and only once"


def test_a_session_file_that_is_a_link_is_never_read(marta: tuple[Home, Client], tmp_path: Path) -> None:
    """A link named like a session (a synced home, a script) would show a file from anywhere on the computer as
    the client's words, in the view and in what the CLI exports: it is reported, never read."""
    from sessionpal.core.paths import session_paths
    from sessionpal.core.sessions import read_session

    home, client = marta
    outside = tmp_path / "outside.md"
    template = (home.sessions_dir("marta-ruiz") / "2026-08-03T1000.md").read_text()
    outside.write_text(template.replace("Running is the one hour that is mine", "SECRET FROM OUTSIDE THE HOME"))
    link = home.sessions_dir("marta-ruiz") / "2026-10-05T1000.md"
    link.symlink_to(outside)
    assert link not in session_paths(home, "marta-ruiz"), "not listed as a session"
    assert link in session_paths(home, "marta-ruiz", only_files=False), "but listed to be reported"
    with pytest.raises(FileProblems, match="is a link to another file"):
        read_session(link)
    found = read_patterns(home, client, date(2026, 12, 1))
    assert not any("SECRET" in q.text for q in found.quotes)
    assert any(str(link) in problem and "is a link" in problem for problem in found.problems)
