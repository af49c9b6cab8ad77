import hashlib
import tomllib
from datetime import date
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.clients import (
    ClientEditError,
    ClientNotFound,
    create_client,
    find_client,
    list_clients,
    load_client,
)
from sessionpal.core.goals import add_goal, change_goal_status
from sessionpal.core.model import GoalStatus
from sessionpal.core.paths import Home
from sessionpal.core.problems import FileProblems
from sessionpal.core.safe_text import has_control

from ..helpers import as_moment, file_modes, present

TODAY = date(2026, 11, 23)


def test_create_client_keeps_the_unicode_name(home: Home) -> None:
    jose = create_client(home, "José Álvarez", 50, TODAY)
    li = create_client(home, "李雷", None, TODAY)
    assert (jose.slug, jose.name, jose.session_minutes) == ("jose-alvarez", "José Álvarez", 50)
    assert (li.slug, li.name, li.session_minutes) == ("李雷", "李雷", None)
    data = tomllib.loads(home.client_file("jose-alvarez").read_text("utf-8"))
    assert data["name"] == "José Álvarez" and data["created"] == TODAY
    assert all(mode == (0o700 if (home.root / rel).is_dir() else 0o600) for rel, mode in file_modes(home.root).items())


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "CON", "nul", "trailing.", "x" * 190, "/etc/passwd", "C:\\Windows"])
def test_hostile_names_stay_inside_the_home(home: Home, name: str) -> None:
    client = create_client(home, name, None, TODAY)
    assert client.path.resolve().parent.parent == home.clients_dir.resolve()
    assert client.name == " ".join(name.split())
    assert find_client(home, name).slug == client.slug


def test_same_slug_never_overwrites_another_client(home: Home) -> None:
    first = create_client(home, "Zoë", None, TODAY)
    second = create_client(home, "Zoe", None, TODAY)
    third = create_client(home, "ZOË", None, TODAY)
    assert [first.slug, second.slug, third.slug] == ["zoe", "zoe-2", "zoe-3"]
    assert load_client(home.client_file("zoe")).name == "Zoë"


def test_a_leftover_folder_is_not_adopted(home: Home) -> None:
    (home.clients_dir / "ana" / "sessions").mkdir(parents=True)
    assert create_client(home, "Ana", None, TODAY).slug == "ana-2"


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=80).filter(lambda s: s.strip()))
def test_any_name_creates_a_client_that_can_be_found_or_is_refused_clearly(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    home = Home(tmp_path_factory.mktemp("h"))
    if has_control(" ".join(name.split())):
        with pytest.raises(ClientEditError, match="cannot hold control characters"):
            create_client(home, name, None, TODAY)
        assert not home.clients_dir.exists() or not any(home.clients_dir.iterdir()), "nothing is left behind"
        return
    client = create_client(home, name, None, TODAY)
    assert client.path.resolve().is_relative_to(home.clients_dir.resolve())
    assert find_client(home, name).slug == client.slug


def test_bad_names_and_lengths_are_refused(home: Home) -> None:
    with pytest.raises(ClientEditError):
        create_client(home, "   ")
    with pytest.raises(ClientEditError):
        create_client(home, "x" * 201)
    with pytest.raises(ClientEditError):
        create_client(home, "Ana", 1000)


def test_find_by_name_or_slug_case_insensitively_with_suggestions(home: Home) -> None:
    create_client(home, "José Álvarez", None, TODAY)
    create_client(home, "Joanna Smith", None, TODAY)
    assert find_client(home, "josé álvarez").slug == "jose-alvarez"
    assert find_client(home, "JOSE-ALVAREZ").slug == "jose-alvarez"
    assert find_client(home, "Jose Alvarez").slug == "jose-alvarez"
    with pytest.raises(ClientNotFound) as caught:
        find_client(home, "Joana Smith")
    assert caught.value.suggestions[0] == "Joanna Smith"
    assert "did you mean 'Joanna Smith'" in str(caught.value)


def test_a_client_named_exactly_is_found_without_reading_every_client(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    create_client(home, "José Álvarez", None, TODAY)
    create_client(home, "Joanna Smith", None, TODAY)
    (home.clients_dir / "broken").mkdir()
    (home.clients_dir / "broken" / "client.toml").write_text("name = ", "utf-8")
    import sessionpal.core.clients as clients

    def every_client(_home: Home) -> NoReturn:
        raise AssertionError("read every client")

    monkeypatch.setattr(clients, "list_clients", every_client)
    assert find_client(home, "José Álvarez").slug == "jose-alvarez"
    assert present(find_client(home, "joanna-smith").client).name == "Joanna Smith"
    assert find_client(home, "josé álvarez").last_session == ""
    with pytest.raises(AssertionError):
        find_client(home, "Joana Smith")  # a typo: the full search, with suggestions


HAND_WRITTEN = """\
# Ana's file — I keep my own notes here too.
name = "Ana"   # she prefers Ana to Anabel
session_minutes = 45
referral = "Maria"     # my own key

values = ["freedom", "family"]

[[goals]]
id = "leave-job"
title = "Leave the bank by spring"
status = "active"
value = "freedom"

[billing]
rate = 120
"""


def write_client(home: Home, text: str, slug: str = "ana") -> Path:
    path = home.client_file(slug)
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    return path


def test_edits_keep_comments_layout_and_unknown_keys(home: Home) -> None:
    path = write_client(home, HAND_WRITTEN)
    add_goal(home, "ana", "Run 5 km", value="health", at=as_moment(TODAY))
    change_goal_status(home, "ana", "leave-job", GoalStatus.AT_RISK, "restructuring at work", at=as_moment(TODAY))
    text = path.read_text("utf-8")
    for line in HAND_WRITTEN.splitlines():
        if line not in ('status = "active"', 'values = ["freedom", "family"]'):
            assert line in text, line
    assert 'values = ["freedom", "family", "health"]' in text, "the new goal's value is the client's too, in the same line"
    client = load_client(path)
    leave = client.goal("leave-job")
    assert leave is not None
    assert leave.status is GoalStatus.AT_RISK
    assert [(c.date, c.from_status, c.to_status, c.note) for c in leave.history] == [(TODAY, GoalStatus.ACTIVE, GoalStatus.AT_RISK, "restructuring at work")]
    run = client.goal("run-5-km")
    assert run is not None
    assert (run.title, run.status, run.value, run.created) == ("Run 5 km", GoalStatus.ACTIVE, "health", TODAY)
    assert tomllib.loads(text)["billing"] == {"rate": 120}


def test_history_grows_one_line_per_change(home: Home) -> None:
    path = write_client(home, HAND_WRITTEN)
    for status in (GoalStatus.STALLED, GoalStatus.ON_TRACK, GoalStatus.ACHIEVED):
        change_goal_status(home, "ana", "leave-job", status, f'to "{status}"', at=as_moment(TODAY))
    history = present(load_client(path).goal("leave-job")).history
    assert [(c.from_status, c.to_status) for c in history] == [
        (GoalStatus.ACTIVE, GoalStatus.STALLED),
        (GoalStatus.STALLED, GoalStatus.ON_TRACK),
        (GoalStatus.ON_TRACK, GoalStatus.ACHIEVED),
    ]
    assert path.read_text().count("{ date = 2026-11-23") == 3


def test_goal_ids_are_unique_and_ascii(home: Home) -> None:
    write_client(home, 'name = "Li"\n', slug="li")
    ids = [add_goal(home, "li", title, at=as_moment(TODAY)).id for title in ("学习中文", "学习中文", "Run!", "Run?")]
    assert ids == ["goal", "goal-2", "run", "run-2"]


def test_a_broken_client_file_is_listed_and_never_rewritten(home: Home) -> None:
    create_client(home, "Fine", None, TODAY)
    path = write_client(home, 'name = "Ana"\nsession_minutes = "long"\n')
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    entries = {e.slug: e for e in list_clients(home)}
    assert entries["fine"].client is not None
    assert entries["ana"].client is None
    assert str(entries["ana"].problems[0]).endswith("client.toml:2:1: 'session_minutes' must be a whole number, not text")
    with pytest.raises(FileProblems):
        add_goal(home, "ana", "Anything", at=as_moment(TODAY))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_unknown_goal_is_a_clear_error(home: Home) -> None:
    write_client(home, HAND_WRITTEN)
    with pytest.raises(ClientEditError, match="no goal 'nope'"):
        change_goal_status(home, "ana", "nope", GoalStatus.DROPPED, at=as_moment(TODAY))


def test_clients_are_listed_most_recent_session_first(home: Home) -> None:
    for name in ("Ana", "Ben", "Cy"):
        create_client(home, name, None, TODAY)
    for slug, stamp in (("ana", "2026-10-01T0900"), ("cy", "2026-11-20T1000"), ("cy", "2026-09-01T1000")):
        folder = home.sessions_dir(slug)
        folder.mkdir(exist_ok=True)
        (folder / f"{stamp}.md").write_text("x")
    (home.sessions_dir("ana") / "2026-12-01T0900.sync-conflict-x.md").write_text("x")
    assert [e.slug for e in list_clients(home)] == ["cy", "ana", "ben"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Ana", "Ben", "Chloé", "Dario", "Émile", "Fatou"]), st.sampled_from(["", "2026-01-05T1000", "2026-02-01T0900", "2026-03-09T1500"])
        ),
        min_size=1,
        max_size=14,
    ),
    st.integers(1, 15),
)
def test_the_first_clients_are_the_first_of_the_whole_list(tmp_path_factory: pytest.TempPathFactory, people: list[tuple[str, str]], first: int) -> None:
    """The client list's first screen reads only those clients' files; they must be exactly the full list's first."""
    home = Home(tmp_path_factory.mktemp("home"))
    for n, (name, last) in enumerate(people):
        client = create_client(home, f"{name} {n}", 60, date(2026, 1, 1))
        if last:
            (home.sessions_dir(client.slug)).mkdir(parents=True, exist_ok=True)
            (home.sessions_dir(client.slug) / f"{last}.md").write_text("+++\n+++\n")
    everyone = list_clients(home)
    assert [e.slug for e in list_clients(home, first=first)] == [e.slug for e in everyone[:first]]


def test_the_list_marks_a_client_whose_last_session_was_never_ended(home: Home) -> None:
    """Closed or killed mid-session: marked, so the coach resumes it (or closes it) on purpose."""
    from sessionpal.core.clients import list_clients
    from sessionpal.core.live import LiveSession
    from sessionpal.core.lock import acquire
    from sessionpal.core.session_models import FALLBACK_MODEL
    from sessionpal.core.timer import FakeClock

    from ..helpers import START

    ana, ben = create_client(home, "Ana Pérez", 45), create_client(home, "Ben Ode", 45)
    clock = FakeClock(START)
    left = LiveSession(home, ana, clock, FALLBACK_MODEL, 45)
    left.start()
    left.add_note("she was mid-sentence when the laptop died")
    done = LiveSession(home, ben, clock, FALLBACK_MODEL, 45)
    done.add_note("a whole session")
    done.end()
    assert {e.slug: e.left_open for e in list_clients(home)} == {"ana-perez": "unfinished", "ben-ode": ""}
    held = acquire(home, ana.slug, START)  # another sessionpal (this process) has her open now
    try:
        assert {e.slug: e.left_open for e in list_clients(home)}["ana-perez"] == "open elsewhere"
    finally:
        held.release()
    left.end()
    assert {e.slug: e.left_open for e in list_clients(home)}["ana-perez"] == ""
