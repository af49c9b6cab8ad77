"""Goals and values on the session screen: the sidebar's keys, the stalled-goal playbook,
the alignment view, working without goals, the agreement and permission reminders."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, OptionList, Static

from sessionpal.core.clients import load_client
from sessionpal.core.model import Client, GoalStatus, Move
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.sessionfile import SessionDocument
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock
from sessionpal.ui.app import SessionPalApp
from sessionpal.ui.dialogs.goal_menu import GoalMenuDialog
from sessionpal.ui.screens.alignment import AlignmentScreen
from sessionpal.ui.screens.session import SessionScreen
from sessionpal.ui.widgets.deck import DeckPane
from sessionpal.ui.widgets.goals import GoalsPane
from sessionpal.ui.widgets.notes import NoteInput, Reminder

from ..helpers import present
from .conftest import make_app, session_screen, settle, told

SIZE = (140, 45)
BEN = "Ben Okafor"


def sidebar(app: App[Any]) -> list[str]:
    return [str(o.prompt) for o in app.screen.query_one("#goal-list", OptionList).options]


def client(home: Home) -> Client:
    return load_client(home.client_file("ben-okafor"))


def current_session(home: Home) -> SessionDocument:
    return read_session(session_paths(home, "ben-okafor")[-1])


async def open_ben(home: Home, clock: FakeClock) -> SessionPalApp:
    app = make_app(home, clock, client=BEN)
    return app


async def test_sidebar_shows_trends_and_the_goal_that_may_be_stalled(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = sidebar(app)
        assert lines[0] == "○ Ship the side project\n  active  ▃▃▅"
        assert lines[1] == "○ Find a mentor\n  active  ⚑ may be stalled"
        assert lines[2] == "○ Sleep by eleven\n  active", "named in a note: not stalled"
        offer = app.screen.query_one("#deck-offer", Static)
        assert offer.display and "“Find a mentor” may be stalled" in str(offer.render())


async def test_rating_and_a_note_naming_the_goal_clear_the_flag(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "down", "r")
        await pilot.pause()
        await pilot.press("5", "enter")
        await pilot.pause()
        assert current_session(history_home).info.ratings == {"find-a-mentor": 5}
        assert sidebar(app)[1] == "○ Find a mentor\n  active  5 today"
        assert not app.screen.query_one("#deck-offer").display


async def test_sidebar_keys_rename_value_areas_and_order(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f7", "down", "e")
        await pilot.pause()
        edit = app.screen.query_one("#text", Input)
        edit.value = "Find a mentor in design"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, NoteInput), "a sidebar action ends with the cursor home"
        # F7 again for each: the sidebar's letters act only where the coach moved on purpose.
        await pilot.press("f7", "v", *"growth", "enter")
        await pilot.pause()
        await pilot.press("f7", "t", *"family, career", "enter")
        await pilot.pause()
        await pilot.press("f7", "left_square_bracket")
        await pilot.pause()
        ben = client(history_home)
        mentor = ben.goal("find-a-mentor")
        assert mentor is not None
        assert (mentor.title, mentor.value, mentor.tags) == ("Find a mentor in design", "growth", ("family", "career"))
        assert Move.VALUE not in [h.move for h in mentor.history], "v links a value: no playbook move (issue 26.11)"
        assert ben.values == ("craft", "health", "family", "growth")
        assert [g.id for g in ben.goals][:2] == ["find-a-mentor", "ship-the-side-project"]
        assert sidebar(app)[0].startswith("○ Find a mentor in design")
        assert any(n.title == "Ask first: family" for n in told(app))


async def test_the_playbook_for_a_stalled_goal(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "down", "enter")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, GoalMenuDialog)
        first = [str(o.prompt) for o in menu.query_one(OptionList).options][:6]
        assert [line.split("  ")[0] for line in first] == [
            "Explore the real reason",
            "Add support between sessions",
            "Shrink it to a step doable in a day or two",
            "Replace it with a different goal",
            "Connect it to a value",
            "Set all goals aside for now",
        ]
        await pilot.press("enter")  # explore the real reason
        await pilot.pause()
        deck = app.screen.query_one(DeckPane)
        assert deck.shown and all({"stalled", "reason"} <= set(q.tags) for q in deck.shown)
        assert isinstance(app.focused, NoteInput)
        await pilot.press("f7", "enter", "down", "enter")  # the sidebar is still on the goal: add support
        await pilot.pause()
        assert app.screen.query_one("#text", Input).value == "Thursday", "three days after a Monday"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f7", "enter", "down", "down", "enter")  # shrink
        await pilot.pause()
        await pilot.press(*"Email one designer I admire", "enter")
        await pilot.pause()
        ben = client(history_home)
        mentor = ben.goal("find-a-mentor")
        assert mentor is not None
        assert [c.move for c in mentor.history] == [Move.REASON, Move.SUPPORT, Move.SHRINK]
        assert mentor.status is GoalStatus.CHANGED and mentor.replaced_by == "email-one-designer-i-admire"
        session = current_session(history_home)
        assert session.actions[0].text == "Coach: check in by message on Thursday about: Find a mentor"
        assert "Email one designer I admire" in " ".join(sidebar(app))
        # The smaller goal is new, so not stalled: its menu still offers the playbook's other moves (issue 26.14).
        session_screen(app).goal_flow.menu("email-one-designer-i-admire")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, GoalMenuDialog)
        offered = [str(o.prompt).split("  ")[0] for o in menu.query_one(OptionList).options][:4]
        assert offered == ["Add support between sessions", "Replace it with a different goal", "Connect it to a value", "Set all goals aside for now"]
        assert "explored the real reason, added support between sessions, shrunk to a smaller step" in str(menu.detail)


async def test_setting_goals_aside_and_back(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = client(history_home).goals
        await pilot.press("f7", "down", "enter", *["down"] * 5, "enter")  # the sixth playbook move
        await pilot.pause()
        await pilot.press("enter")  # "Work without goals"
        await pilot.pause()
        assert client(history_home).no_goals
        pane = app.screen.query_one(GoalsPane)
        assert pane.no_goals and sidebar(app)[3] == "· sounding board"
        await pilot.press("f7", "down", "down", "down", "enter")
        await pilot.pause()
        assert current_session(history_home).info.focus_areas == ("sounding board",)
        assert sidebar(app)[3] == "✓ sounding board"
        session_screen(app).action_toggle_no_goals()
        await pilot.pause()
        after = client(history_home)
        assert not after.no_goals
        assert [(g.id, g.title, g.status) for g in after.goals] == [(g.id, g.title, g.status) for g in before]
        mentor, other = present(after.goal("find-a-mentor")), next(g for g in after.goals if g.id != "find-a-mentor" and g.status.is_open)
        assert [(h.move, h.note) for h in mentor.history[-2:]] == [(Move.DROP_ALL, "all goals set aside for now"), (None, "taken up again: working with goals")]
        assert [h.note for h in other.history[-2:]] == ["set aside for now: working without goals", "taken up again: working with goals"]


async def test_alignment_view(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "l")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, AlignmentScreen)
        table = view.query_one(DataTable)
        assert table.row_count == 3 and len(table.columns) == 4
        summary = str(view.query_one("#alignment-summary", Static).render())
        assert "Goals with no value: Find a mentor" in summary and "Values with no goal: family" in summary
        # Row 3 is "family"; column 2 is "Find a mentor": link them.
        table.cursor_coordinate = Coordinate(2, 2)
        await pilot.press("enter")
        await pilot.pause()
        assert present(client(history_home).goal("find-a-mentor")).value == "family"
        assert "Every goal serves a value" in str(view.query_one("#alignment-summary", Static).render())
        # A goal may serve several values: "health" (row 2) joins what "Ship the side project" serves, then leaves.
        served = present(client(history_home).goal("ship-the-side-project")).values
        table.cursor_coordinate = Coordinate(1, 1)
        await pilot.press("enter")
        await pilot.pause()
        assert present(client(history_home).goal("ship-the-side-project")).values == (*served, "health")
        assert str(table.get_cell_at(Coordinate(1, 1))) == "●" and str(table.get_cell_at(Coordinate(0, 1))) == "●"
        await pilot.press("enter")
        await pilot.pause()
        assert present(client(history_home).goal("ship-the-side-project")).values == served
        assert table.fixed_columns == 1, "the values stay in view when the goals scroll"
        await pilot.press("a", *"adventure", "enter")
        await pilot.pause()
        assert client(history_home).values[-1] == "adventure"
        table.cursor_coordinate = Coordinate(3, 1)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert present(app.screen.query_one(DeckPane).current).ref == "values/value-without-goal"


async def test_the_agreement_is_saved_and_shown_under_the_timer(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"=Decide whether to pitch the project at work", "enter")
        await pilot.pause()
        screen = session_screen(app)
        assert current_session(history_home).info.agreement == "Decide whether to pitch the project at work"
        assert screen.live.started and current_session(history_home).notes == []
        agreement = screen.query_one("#agreement", Static)
        assert agreement.display and "Decide whether to pitch" in str(agreement.render())


@pytest.mark.parametrize("size", [(80, 24), SIZE])
async def test_a_note_tagged_with_an_ask_first_area_brings_one_reminder(history_home: Home, clock: FakeClock, size: tuple[int, int]) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press(*"his brother #fam")
        await pilot.pause()
        note = app.screen.query_one(NoteInput)
        assert note._suggestion == "his brother #family", "the tag completes"
        await pilot.press("right", "enter")
        await pilot.pause()
        reminder = app.screen.query_one(Reminder)
        question = "This may be a tender area. How would you like us to approach it, if at all?"
        shown = " ".join(strip.text.strip() for strip in reminder.render_lines(reminder.region.reset_offset))
        assert reminder.display and question in shown, f"whole above the note line at {size}: {shown!r}"
        assert reminder.region.bottom <= note.region.y, "above the note line, not over it"
        await pilot.press("f1")
        await pilot.pause()
        help_text = str(app.screen.query_one(Static).render())
        assert f"Ask first: family · You might ask: “{question}”" in help_text, "F1 has the news whole"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(*"more about #family", "enter")
        await pilot.pause()
        assert not reminder.display, "the next note: the moment has passed"
        reminders = [n for n in told(app) if n.title == "Ask first: family"]
        assert len(reminders) == 1
        assert "How would you like us to approach it, if at all?" in reminders[0].message
        assert [n.text for n in current_session(history_home).notes] == ["his brother #family", "more about #family"]


async def test_areas_dialog_from_the_palette(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in (
            "Values and goals",
            "Work without goals",
            "Areas agreed and to ask first",
            "Session agreement",
            "Goal: rate progress",
            "Goal: stalled-goal playbook",
        ):
            assert title in titles, title
        session_screen(app).action_areas()
        await pilot.pause()
        app.screen.query_one("#ask-first", Input).value = "family, money"
        await pilot.press("enter")
        await pilot.pause()
        assert client(history_home).ask_first == ("family", "money")


async def test_narrow_f7_opens_the_goal_picker(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "GoalPickerDialog"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoalMenuDialog) and app.screen.flag


async def test_marking_a_goal_changed_asks_for_the_goal_that_replaces_it(history_home: Home, clock: FakeClock) -> None:
    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "s", *["down"] * 5, "enter")  # active -> changed
        await pilot.pause()
        await pilot.press(*"Ship a smaller first version", "enter")
        await pilot.pause()
        ship = client(history_home).goal("ship-the-side-project")
        assert ship is not None
        assert ship.status is GoalStatus.CHANGED and ship.replaced_by == "ship-a-smaller-first-version"
        assert ship.history[-1].note == "replaced by: Ship a smaller first version"


async def test_a_prefilled_day_is_replaced_by_what_is_typed_and_the_check_in_is_due_then(history_home: Home, clock: FakeClock) -> None:
    """Issue 26.2: "Thursday" typed over the suggested day wrote "on FridayThursday", with no due date."""
    from datetime import date

    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "down", "enter", "down", "enter")  # the playbook: add support
        await pilot.pause()
        assert app.screen.query_one("#text", Input).value == "Thursday", "a day is suggested"
        await pilot.press(*"Friday", "enter")
        await pilot.pause()
        action = current_session(history_home).actions[0]
        assert action.text == "Coach: check in by message on Friday about: Find a mentor"
        assert action.due == date(2026, 11, 27), "the Friday after the session's Monday"
        history = present(client(history_home).goal("find-a-mentor")).history[-1]
        assert history.note == "check in by message on Friday"


async def test_the_stalled_mark_shows_on_the_last_time_card_and_in_the_80_column_picker(history_home: Home, clock: FakeClock) -> None:
    """Issue 26.20: the ⚑ was in the banner only."""
    from sessionpal.ui.widgets.last_time import LastTimeCard

    app = make_app(history_home, clock, client=BEN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        card = str(app.screen.query_one(LastTimeCard).render())
        assert "Find a mentor  active  ⚑ may be stalled" in card and "Sleep by eleven  active\n" in card + "\n"
        await pilot.press("f7")  # at 80 columns: the goal picker
        await pilot.pause()
        picked = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert any(line.startswith("○ Find a mentor") and "⚑ may be stalled" in line for line in picked)
        assert not any("Sleep by eleven" in line and "⚑" in line for line in picked)
