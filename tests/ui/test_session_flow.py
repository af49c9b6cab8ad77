"""The live session screen, driven from the keyboard with Pilot and a fake clock."""

from __future__ import annotations

import asyncio
import errno
import os
import tomllib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NoReturn

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static

from sessionpal.core import fsio
from sessionpal.core.clients import load_client
from sessionpal.core.live import LiveSession
from sessionpal.core.model import Action, ActionState, AskedQuestion, GoalStatus, Note, NoteKind
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock, TimerState
from sessionpal.ui.dialogs.confirm import ChoiceDialog
from sessionpal.ui.dialogs.goals import GoalStatusDialog
from sessionpal.ui.dialogs.summary import SummaryDialog
from sessionpal.ui.screens.clients import ClientPickerScreen
from sessionpal.ui.screens.session import Armed, SessionScreen
from sessionpal.ui.widgets.deck import DeckPane
from sessionpal.ui.widgets.last_time import LastTimeCard
from sessionpal.ui.widgets.notes import NoteInput, NotesLog

from ..helpers import present, state_now
from .conftest import make_app, session_file, session_screen, settle, told, until

SIZE = (140, 45)


async def type_note(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


def log_texts(app: App[Any]) -> list[str]:
    return [str(option.prompt) for option in app.screen.query_one(NotesLog).options]


async def test_opens_on_the_client_with_the_note_line_focused(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert isinstance(app.focused, NoteInput)
        assert str(app.screen.query_one("#session-header", Static).render()).startswith("Ana Pérez")
        card = str(app.screen.query_one("#last-time", Static).render())
        assert "Last time · Mon 16 Nov 2026" in card
        assert "send the CV draft to Marta by Friday" in card and "book a physio appointment" in card
        assert "send the CV draft to Marta by Friday  · overdue since Fri 20 Nov" in card, "'by Friday', said on Monday 16 Nov"
        assert card.index("send the CV draft") < card.index("book a physio"), "dated actions first, soonest first"
        assert "“I always give up in March”" in card
        assert app.screen.query_one("#last-time").display


async def test_the_first_note_starts_the_session_and_is_on_disk_before_it_shows(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = session_screen(app)
        assert screen.live.timer.state is TimerState.READY
        clock.advance(2)
        await type_note(pilot, "wants to talk about the offer")
        assert state_now(screen.live.timer) is TimerState.RUNNING
        path = screen.live.path
        assert path is not None
        assert read_session(path).notes == [Note(0, "wants to talk about the offer")]
        assert log_texts(app) == ["00:00:00          wants to talk about the offer"]
        assert app.screen.query_one(NoteInput).value == ""
        assert not app.screen.query_one("#last-time-box").display, "the last-time card folds away once the session starts"


async def test_every_note_kind_from_its_prefix(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for typed in ("plain", '"their words', "*an insight", "?what would it take", "!send the CV"):
            clock.advance(10)
            await type_note(pilot, typed)
        document = read_session(session_file(app))
        assert [(n.kind, n.text) for n in document.notes] == [
            (NoteKind.NOTE, "plain"),
            (NoteKind.QUOTE, "their words"),
            (NoteKind.INSIGHT, "an insight"),
            (NoteKind.QUESTION, "what would it take"),
        ]
        assert document.actions == [Action("send the CV", 40)]
        assert "- [ ] [00:00:40] send the CV" in session_file(app).read_text()


async def test_start_pause_resume_with_one_key(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = session_screen(app)
        footer_keys: Callable[[], set[str]] = lambda: {b.binding.action for b in screen.active_bindings.values()}  # noqa: E731
        assert "start" in footer_keys() and "pause" not in footer_keys()
        await pilot.press("f2")
        assert screen.live.timer.state is TimerState.RUNNING and "pause" in footer_keys()
        clock.advance(125)
        await pilot.press("f2")
        assert state_now(screen.live.timer) is TimerState.PAUSED and "resume" in footer_keys()
        assert screen.live.path is not None
        info = read_session(screen.live.path).info
        assert (info.timer, info.elapsed_seconds) == ("paused", 125)
        clock.advance(600)
        await pilot.press("ctrl+t")
        clock.advance(5)
        screen.upkeep.tick()
        assert screen.live.timer.elapsed == 130
        assert read_session(screen.live.path).info.elapsed_seconds == 130, "saved every 5 s while running"
        assert "02:10" in str(screen.query_one("#timer-line", Static).render())


async def test_timer_colour_steps_at_ten_five_and_over(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = session_screen(app)
        timer = screen.query_one("#timer")
        await pilot.press("f2")
        for seconds, level in ((34 * 60, "calm"), (36 * 60, "ten"), (41 * 60, "five"), (46 * 60, "over")):
            clock.advance(seconds - screen.live.timer.elapsed)
            screen.upkeep.tick()
            assert timer.has_class(f"-level-{level}"), level
        assert "+01:00 over 45:00" in str(screen.query_one("#remaining", Static).render())


async def test_marking_the_current_question_asked(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        first = deck.current
        assert first is not None and first.phase is not None and first.phase.value == "opening"
        await pilot.press("down")
        second = deck.current
        assert second is not first
        await pilot.press("up")
        assert deck.current is first
        clock.advance(30)
        await pilot.press("f3")
        await pilot.pause()
        document = read_session(session_file(app))
        assert document.asked == [AskedQuestion(0, first.text, first.ref)]
        assert document.info.questions == (first.ref,)
        assert "asked this session" in str(app.screen.query_one("#question-meta", Static).render())


async def test_draw_gives_questions_not_yet_asked(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        asked: set[str] = set()
        for key in ("f4", "ctrl+d", "f4", "ctrl+d", "f4"):
            await pilot.press(key)
            assert present(deck.current).ref not in asked
            await pilot.press("f3")
            asked.add(present(deck.current).ref)
        assert set(read_session(session_file(app)).info.questions) == asked
        current = deck.current
        await pilot.press("ctrl+n")  # a new client in the list; here it means nothing
        await pilot.pause()
        assert deck.current is current and isinstance(app.screen, SessionScreen)


async def test_deck_filter_by_words_tag_and_phase(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        await pilot.press("f5")
        assert present(app.focused).id == "deck-filter"
        await pilot.press(*"#values @all")
        await pilot.pause()
        assert deck.shown and all("values" in q.tags for q in deck.shown)
        assert "all phases" in str(app.screen.query_one("#deck-title", Static).render())
        await pilot.press("enter")
        assert isinstance(app.focused, NoteInput)


async def test_the_current_question_is_laid_out_again_only_when_its_height_changes(demo_home: Home, clock: FakeClock) -> None:
    """Typing in the filter repaints the current question in place; when the next one needs more (or
    fewer) lines, it gets them: nothing cut off, no blank lines left behind."""
    from rich.text import Text

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        body, follow = app.screen.query_one("#question", Static), app.screen.query_one("#follow-ups", Static)
        questions = present(deck.deck).questions
        longest = max(questions, key=lambda q: len(q.text))
        shortest = min(questions, key=lambda q: len(q.text))
        most_follow_ups = max(questions, key=lambda q: len(q.follow_ups))
        assert len(most_follow_ups.follow_ups) >= 2 and any(not q.follow_ups for q in questions)
        for question in [shortest, longest, shortest, most_follow_ups, shortest]:
            assert deck.show_question(question.ref)
            await pilot.pause()
            wrapped = Text(question.text).wrap(app.console, body.content_region.width)
            assert body.content_region.height == len(wrapped), question.text
            follow_ups = Text("\n".join(f"↳ {f}" for f in question.follow_ups)).wrap(app.console, follow.content_region.width)
            assert follow.content_region.height == len(follow_ups), question.ref
        assert len(Text(longest.text).wrap(app.console, body.content_region.width)) > 1, "the demo needs a question that wraps"


async def test_a_filter_longer_than_its_line_scrolls_to_keep_the_cursor_in_view(demo_home: Home, clock: FakeClock) -> None:
    """The filter line is repainted, not laid out, as it changes (DeckFilter.virtual_size): its scrolling must
    still follow the cursor both ways."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        line = app.screen.query_one("#deck-filter", Input)
        typed = "courage " * (line.content_region.width // 8 + 4)
        line.value = typed  # as a paste would: typing it key by key takes the test 20 s
        await pilot.press("end", *"ab")
        await pilot.pause()
        region = line.content_region
        assert line.scroll_x > 0 and region.x <= line.cursor_screen_offset.x <= region.right  # as a stock Input: the cursor may sit in the right padding
        await pilot.press("home")
        await pilot.pause()
        assert line.scroll_x == 0 and line.cursor_screen_offset.x == line.content_region.x
        line.value = "cou"
        await pilot.press("end")
        await pilot.pause()
        assert line.value == "cou" and line.scroll_x == 0, "the short filter is shown from its start"


async def test_the_question_list_follows_the_current_question_and_the_mouse(demo_home: Home, clock: FakeClock) -> None:
    """The list draws one question a line (the current one shown whole above it): moving past its last line
    scrolls it, the wheel scrolls, a click picks; every match is listed, not a first few."""
    from sessionpal.ui.widgets.question_list import QuestionList

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        listed = app.screen.query_one(QuestionList)
        await pilot.press("f5", *"@all", "enter")
        await pilot.pause()
        assert listed.items == deck.shown and len(deck.shown) > listed.size.height, "more questions than lines"
        assert f"· {len(deck.shown)}" in str(app.screen.query_one("#deck-title", Static).render())
        await pilot.press("f5")  # back in the filter, where up and down move through the list
        start = deck.shown.index(present(deck.current))
        for _ in range(listed.size.height + 2):
            await pilot.press("down")
        await pilot.pause()
        index = deck.shown.index(present(deck.current))
        assert index == (start + listed.size.height + 2) % len(deck.shown) and listed.top <= index < listed.top + listed.size.height
        lines = [listed.render_line(y).text for y in range(listed.size.height)]
        assert all(len(line) <= listed.size.width for line in lines)
        assert present(deck.current).text[:20] in lines[index - listed.top], "the current question's line is in view"
        await pilot.click(QuestionList, offset=(3, 0))
        await pilot.pause()
        assert deck.current is deck.shown[listed.top], "a click picks the question on that line"
        top = listed.top
        listed.post_message(events.MouseScrollUp(listed, 3, 1, 0, -1, 0, False, False, False))
        await pilot.pause()
        assert listed.top == max(0, top - 3) and deck.current is deck.shown[top], "the wheel scrolls, the question stays"


async def test_words_found_only_in_other_phases_are_one_key_away(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        await pilot.press("f2")  # the opening phase
        await pilot.press("f5", *"values")
        await pilot.pause()
        body = str(app.screen.query_one("#question", Static).render())
        assert deck.shown == [] and deck.elsewhere > 0
        assert "No question in the opening phase matches “values”." in body and f"{deck.elsewhere} in other phases: F5 shows them." in body
        elsewhere = deck.elsewhere
        await pilot.press("f5")
        await pilot.pause()
        assert len(deck.shown) == elsewhere and deck.query_text.split() == ["values", "@all"]
        await pilot.press("f5")  # again: back to the timer's phase
        await pilot.pause()
        assert deck.shown == [] and deck.query_text.split() == ["values"]
        # From the note line, where the coach went with Enter, F5 widens at once when nothing matches here.
        await pilot.press("enter")
        assert isinstance(app.focused, NoteInput)
        await pilot.press("f5")
        await pilot.pause()
        assert len(deck.shown) == elsewhere and app.focused is app.screen.query_one("#deck-filter")


async def test_a_kept_filter_shows_and_one_key_clears_it(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        await pilot.press("f2")
        following = list(deck.shown)
        await pilot.press("f5", *"what", "enter")
        await pilot.pause()
        title = str(app.screen.query_one("#deck-title", Static).render())
        assert "filter “what”" in title and "Esc clears" in title and deck.has_class("-filtered")
        await pilot.press(*"she smiled")  # notes go on; the filter stays
        await pilot.press("escape")
        await pilot.pause()
        assert deck.query_text == "" and deck.shown == following and not deck.has_class("-filtered")
        assert "following the timer" in str(app.screen.query_one("#deck-title", Static).render())
        assert app.screen.query_one(NoteInput).value == "she smiled", "Esc clears the filter, never the note"
        await pilot.press("f5", *"#values", "escape")  # Esc in the filter: cleared, and home
        await pilot.pause()
        assert deck.query_text == "" and isinstance(app.focused, NoteInput)


async def test_goal_status_change_is_written_with_its_note(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")  # the sidebar is armed: the next key acts on its highlighted goal
        assert session_screen(app).armed is Armed.GOALS and isinstance(app.focused, NoteInput), "the cursor stays in the note line"
        await pilot.press("down", "s")  # the second goal, Run 5 km (at risk): change its status
        await pilot.pause()
        assert isinstance(app.screen, GoalStatusDialog)
        await pilot.press("down")  # at risk -> stalled
        await pilot.press("tab", *"knee still sore", "enter")
        await pilot.pause()
        goal = load_client(demo_home.client_file("ana-perez")).goal("run-5-km-without-stopping")
        assert goal is not None
        assert goal.status is GoalStatus.STALLED
        assert (goal.history[-1].from_status, goal.history[-1].note) == (GoalStatus.AT_RISK, "knee still sore")
        await pilot.press("escape")
        assert isinstance(app.focused, NoteInput)


async def test_adding_a_goal(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client="José Álvarez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")  # no goals yet: straight to the form
        await pilot.pause()
        await pilot.press(*"Find a new role", "tab", *"growth", "enter")
        await pilot.pause()
        client = load_client(demo_home.client_file("jose-alvarez"))
        assert [(g.title, g.value) for g in client.goals] == [("Find a new role", "growth")]
        assert [o.id for o in app.screen.query_one("#goal-list", OptionList).options] == ["find-a-new-role"]


async def test_edit_tick_and_delete_from_the_log(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "typo hre")
        clock.advance(5)
        await type_note(pilot, "!send the CV")
        await pilot.press("f8")
        assert session_screen(app).armed is Armed.LOG and isinstance(app.focused, NoteInput)
        await pilot.press("x")  # tick the action (the last line)
        await pilot.pause()
        assert read_session(session_file(app)).actions == [Action("send the CV", 5, ActionState.DONE)]
        assert isinstance(app.focused, NoteInput), "the log's keys end with their action: the cursor is home"
        await pilot.press("f8", "up", "enter")
        await pilot.pause()
        edit = app.screen.query_one("#edit", Input)
        assert edit.cursor_position == len("typo hre") and edit.selection.is_empty
        await pilot.press("backspace", "backspace", "backspace", *"here", "enter")
        await pilot.pause()
        assert read_session(session_file(app)).notes == [Note(0, "typo here")]
        assert app.screen.query_one(NotesLog).highlighted == 0, "the edited line stays selected"
        assert isinstance(app.focused, NoteInput)
        await pilot.press("f8", "up", "delete")  # F8 starts at the newest line: up to the note
        await pilot.pause()
        await pilot.press("enter")  # "Delete it"
        await pilot.pause()
        assert read_session(session_file(app)).notes == []
        assert isinstance(app.focused, NoteInput)


async def test_ending_confirms_summarises_and_finalises(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "!call the recruiter")
        session_screen(app).live.goals.rate_goal("run-5-km-without-stopping", 6)
        clock.advance(44 * 60)
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("down", "enter")  # "Keep going"
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and not app.screen.live.ended
        await pilot.press("f12", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryDialog)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "44:00 of 45:00 planned" in summary and "call the recruiter" in summary
        assert "Progress ratings\n  Run 5 km without stopping: 6/10" in summary
        path = session_paths(demo_home, "ana-perez")[-1]
        info = read_session(path).info
        assert info.is_finished and info.elapsed_seconds == 2640 and info.ended is not None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientPickerScreen)


async def test_the_end_of_a_session_offers_the_client_s_recap(demo_home: Home, clock: FakeClock) -> None:
    """r in the summary: the shared recap (agreement, + notes, the client's own actions) saved beside the
    session, copied to the clipboard (OSC 52 in a terminal, the page in a browser), and shown as copied."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for typed in (
            "=Clarity on the move",
            "she cried about her father",
            "+You already chose courage once",
            "!call the recruiter",
            "!Coach: send the article",
        ):
            await type_note(pilot, typed)
        clock.advance(45 * 60)
        await pilot.press("f12", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryDialog)
        await pilot.press("r")
        await pilot.pause()
        session = session_paths(demo_home, "ana-perez")[-1]
        recap = session.with_name(f"{session.stem}.recap.md")
        text = recap.read_text()
        assert "> Clarity on the move" in text and "You already chose courage once" in text and "- [ ] call the recruiter" in text
        assert "cried" not in text and "send the article" not in text, "private notes and the coach's own actions stay out"
        assert app.clipboard == text
        shown = str(app.screen.query_one("#recap", Static).render())
        assert "You already chose courage once" in shown and str(recap) in str(app.screen.query_one("#recap-saved", Static).render())
        assert session_paths(demo_home, "ana-perez")[-1] == session, "the recap is never taken for a session"
        await pilot.press("enter")  # the recap closes: back to the summary
        await pilot.pause()
        assert isinstance(app.screen, SummaryDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientPickerScreen)


async def test_behind_the_blind_the_recap_is_copied_but_not_shown(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "+You already chose courage once")
        await pilot.press("f9", "f12", "enter")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert "You already chose courage once" in app.clipboard
        shown = str(app.screen.query_one("#recap", Static).render())
        assert "private: not shown" in shown and "courage" not in shown


def fake_clipboard_tool(folder: Path, name: str) -> Path:
    """A clipboard tool on PATH (xclip, wl-copy, pbcopy) that keeps what it was given in a file."""
    folder.mkdir(exist_ok=True)
    program, kept = folder / name, folder / f"{name}.got"
    program.write_text(f'#!/bin/sh\n/bin/cat > "{kept}"\n')
    program.chmod(0o755)
    return kept


async def end_and_recap(app: App[Any], pilot: Pilot[Any], *notes: str, private: bool = False) -> Static:
    """The session ended, r pressed in its summary, and the clipboard tool (if any) run: the recap's title."""
    from sessionpal.ui.dialogs.summary import RecapDialog

    await settle(pilot)
    for typed in notes:
        await type_note(pilot, typed)
    await pilot.press(*(["f9"] if private else []), "f12", "enter")
    await pilot.pause()
    await pilot.press("r")
    assert await until(pilot, lambda: isinstance(app.screen, RecapDialog) and "copying" not in str(app.screen.query_one("#recap-title", Static).render()))
    return app.screen.query_one("#recap-title", Static)


async def test_the_recap_reaches_a_clipboard_tool_on_this_computer(demo_home: Home, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a terminal on the coach's computer: OSC 52, and this computer's clipboard tool (xclip under X), which
    says it took the text, so the dialog names it."""
    kept = fake_clipboard_tool(tmp_path / "bin", "xclip")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        title = await end_and_recap(app, pilot, "+You already chose courage once", "!call the recruiter")
        session = session_paths(demo_home, "ana-perez")[-1]
        text = session.with_name(f"{session.stem}.recap.md").read_text()
        assert kept.read_text() == text == app.clipboard, "the tool and OSC 52 both had the recap"
        assert str(title.render()) == "Recap for the client: copied to the clipboard (xclip)"
        assert "may not" not in str(app.screen.query_one("#recap-saved", Static).render())


async def test_with_no_clipboard_tool_the_recap_says_it_may_not_have_arrived_and_where_it_is(
    demo_home: Home, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only OSC 52 went out, which nothing confirms: the dialog says so, shows the text to copy by hand and
    the file; behind the blind, the file only."""
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        title = await end_and_recap(app, pilot, "+You already chose courage once")
        session = session_paths(demo_home, "ana-perez")[-1]
        recap = session.with_name(f"{session.stem}.recap.md")
        assert str(title.render()) == "Recap for the client: it may not have reached the clipboard"
        said = " ".join(str(app.screen.query_one("#recap-saved", Static).render()).split())
        assert "OSC 52" in said and "copy it by hand" in said and f"Saved as {recap}" in said
        assert "You already chose courage once" in str(app.screen.query_one("#recap", Static).render()), "the text, to copy by hand"
        assert app.clipboard == recap.read_text()
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        title = await end_and_recap(app, pilot, "+You already chose courage once", private=True)
        said = " ".join(str(app.screen.query_one("#recap-saved", Static).render()).split())
        assert "may not have reached" in str(title.render()) and "in the client's folder" in said and "not shown behind the blind" in said
        assert "courage" not in str(app.screen.query_one("#recap", Static).render()) and str(demo_home.root) not in said


async def test_in_a_browser_tab_the_recap_is_in_the_browser_s_clipboard(
    demo_home: Home, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sessionpal serve`: OSC 52 goes to the page, which puts it in the browser's clipboard; the server's
    own clipboard tool is never run (it may be another computer's)."""
    from sessionpal.ui.app import SessionPalApp

    kept = fake_clipboard_tool(tmp_path / "bin", "xclip")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "+You already chose courage once")
        monkeypatch.setattr(SessionPalApp, "is_web", property(lambda self: True))
        title = await end_and_recap(app, pilot)
        assert str(title.render()) == "Recap for the client: copied to the browser's clipboard"
        assert "You already chose courage once" in app.clipboard and not kept.exists()


async def test_the_engagement_set_from_the_palette_shows_where_the_session_stands(demo_home: Home, clock: FakeClock) -> None:
    """Ana has had one session: this is her second; with 12 agreed the header says "session 2 of 12"."""
    from sessionpal.ui.dialogs.text import EngagementDialog

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.screen.query_one("#session-header", Static)
        assert "session " not in str(header.render()), "no engagement, no count"
        session_screen(app).action_engagement()
        await pilot.pause()
        assert isinstance(app.screen, EngagementDialog)
        app.screen.query_one("#engagement-sessions", Input).value = "12"
        app.screen.query_one("#engagement-ends", Input).value = "2027-03-31"
        app.screen.query_one("#engagement-next", Input).value = "next week"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EngagementDialog), "a date that is no date is refused, the dialog stays"
        assert "a date like 2026-12-04" in str(app.screen.query_one("#form-error", Static).render())
        app.screen.query_one("#engagement-next", Input).value = "2026-11-30"
        assert app.screen.query_one("#engagement-started", Input).value == "2026-11-23", "it starts today unless said"
        app.screen.query_one("#engagement-started", Input).value = "2026-11-01"  # her first session was part of it
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert "session 2 of 12" in str(header.render())
        card = str(app.screen.query_one("#last-time", Static).render())
        assert "This is session 2 of 12  · engagement ends Wed 31 Mar 2027  · next session Mon 30 Nov" in card
        assert present(load_client(demo_home.client_file("ana-perez")).engagement).sessions == 12


async def test_a_past_session_is_written_up_after_the_fact(demo_home: Home, clock: FakeClock) -> None:
    from textual.widgets import TextArea

    from sessionpal.ui.dialogs.text import PastSessionDialog
    from sessionpal.ui.widgets.tickbox import TickBox

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = session_paths(demo_home, "ana-perez")
        session_screen(app).action_past_session()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PastSessionDialog)
        assert dialog.query_one("#day", Input).value == "2026-11-23", "today, written in: a day to correct, not a hint"
        dialog.query_one("#day", Input).value = "2099-01-01"
        dialog.query_one("#ok", Button).press()
        await pilot.pause()
        assert "today or before" in str(dialog.query_one("#form-error", Static).render()), "a past session is in the past"
        for far in ("0001-01-01", "0026-11-23", "1969-12-31"):
            dialog.query_one("#day", Input).value = far
            dialog.query_one("#ok", Button).press()
            await pilot.pause()
            assert "1970 or after" in str(dialog.query_one("#form-error", Static).render()), far
        dialog.query_one("#day", Input).value = "2026-11-02"
        dialog.query_one("#minutes", Input).value = "50"
        dialog.query_one("#pro-bono", TickBox).value = True
        dialog.query_one("#past-notes", TextArea).text = "she named the fear for the first time\n!ask her sister for a weekend\n"
        dialog.query_one("#ok", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        (added,) = [p for p in session_paths(demo_home, "ana-perez") if p not in before]
        document = read_session(added)
        assert added.name == "2026-11-02T0000.md" and document.info.elapsed_seconds == 3000 and document.info.pro_bono is True
        assert [n.text for n in document.notes] == ["she named the fear for the first time"]
        assert [a.text for a in document.actions] == ["ask her sister for a weekend"]
        assert not app.screen.live.started, "the session under way is untouched"


async def test_quitting_mid_session_keeps_everything_and_offers_to_resume(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "before quitting")
        clock.advance(300)
        await pilot.press("ctrl+q")
    path = session_paths(demo_home, "ana-perez")[-1]
    info = read_session(path).info
    assert (info.timer, info.elapsed_seconds) == ("running", 300)
    clock.advance(90)  # the coach reopens the app a minute and a half later
    again = make_app(demo_home, clock)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = again.screen
        assert isinstance(dialog, ChoiceDialog)
        labels = [str(o.prompt) for o in dialog.query_one(OptionList).options]
        assert labels[0].startswith("Resume it at 05:00")
        assert labels[1].startswith("Resume it at 06:30, counting the 01:30")
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, SessionScreen)
        assert screen.live.timer.elapsed == 390 and screen.live.timer.state is TimerState.PAUSED
        assert log_texts(again) == ["00:00:00          before quitting"]
        await pilot.press("f2")
        clock.advance(10)
        await type_note(pilot, "after")
    assert [n.stamp for n in read_session(path).notes] == [0, 400]


async def test_starting_fresh_ends_the_unfinished_one(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "left open")
        await pilot.press("ctrl+q")
    clock.advance(3600)
    again = make_app(demo_home, clock)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # "End it as it is and start a new session"
        await settle(pilot)
        assert isinstance(again.screen, SessionScreen) and not again.screen.live.started
    paths = session_paths(demo_home, "ana-perez")
    assert read_session(paths[-1]).info.is_finished


async def test_privacy_hides_everything_but_the_timer(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "confidential")
        screen = session_screen(app)
        await pilot.press("f9")
        assert screen.has_class("-private")
        for selector in ("#goals", "#deck", "#log"):
            assert not screen.query_one(selector).display, selector
        assert screen.query_one("#timer").display
        assert "Ana" not in str(screen.query_one("#session-header", Static).render())
        assert screen.query_one(NoteInput).password
        await pilot.press(*"still typing", "enter")
        await pilot.pause()
        assert screen.live.path is not None
        assert [n.text for n in read_session(screen.live.path).notes] == ["confidential", "still typing"]
        await pilot.press("f9")
        assert screen.query_one("#log").display and not screen.query_one(NoteInput).password


async def test_a_failed_write_keeps_the_note_and_retries(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await type_note(pilot, "saved fine")
        real = fsio._os_write

        def disk_full(fd: int, data: bytes) -> NoReturn:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(fsio, "_os_write", disk_full)
        clock.advance(20)
        await type_note(pilot, "the important one")
        screen = session_screen(app)
        assert screen.query_one(NoteInput).value == "", "the note line is free for the next note"
        assert [n.text for n in screen.live.pending] == ["the important one"]
        unsaved = str(screen.query_one("#unsaved", Static).render())
        assert "disk is full" in unsaved and "the important one" in unsaved, "the waiting note is shown above the note line"
        assert screen.query_one("#unsaved").display
        assert any("disk is full" in n.message for n in told(app))
        clock.advance(10)
        await type_note(pilot, "NOTE two")  # typed while the first still waits: never glued onto it
        assert [n.text for n in screen.live.pending] == ["the important one", "NOTE two"]
        monkeypatch.setattr(fsio, "_os_write", real)
        screen.note_flow.retry_pending()
        await pilot.pause()
        assert screen.live.pending == [] and screen.query_one(NoteInput).value == ""
        assert not screen.query_one("#unsaved").display
        assert screen.live.path is not None
        notes = [(n.stamp, n.text) for n in read_session(screen.live.path).notes]
        assert notes == [(0, "saved fine"), (20, "the important one"), (30, "NOTE two")], "each saved once, as it was"


async def test_a_letter_typed_right_after_enter_is_kept(demo_home: Home, clock: FakeClock) -> None:
    """Keys arriving in one burst (a fast typist, a slow disk) must all land, in order."""
    from textual import events

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ["a", "b", "enter", "c", "d", "enter", "e"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        assert await until(pilot, lambda: app.screen.query_one(NoteInput).value == "e")
        assert [n.text for n in read_session(session_file(app)).notes] == ["ab", "cd"]
        assert app.screen.query_one(NoteInput).value == "e"


async def test_paste_keeps_every_line(demo_home: Home, clock: FakeClock) -> None:
    from textual import events

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        note = app.screen.query_one(NoteInput)
        note.post_message(events.Paste("first line\nsecond line\r\nthird"))
        await pilot.pause()
        assert note.value == "first line second line third"


async def test_session_commands_are_in_the_palette(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Start", "Asked", "Draw", "Goals", "Private", "Filter", "Star", "Notes", "Add goal", "Help"):
            assert title in titles, title
        assert "Pause" not in titles
        assert len(titles) == len(set(titles)), "each command once (draw has two keys)"


async def test_help_lists_keys_prefixes_and_filter(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = str(app.screen.query_one(Static).render())
        for expected in ("F2 / ctrl+t", "Start / pause / resume the timer", "F3 / ctrl+r", "F9", "F12", "the client's own words", "[keys]", "#tag", "@all"):
            assert expected in text, expected
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)


async def test_every_f_key_has_a_ctrl_key_for_a_mac_laptop(demo_home: Home, clock: FakeClock) -> None:
    """F6, F9 and F12 need fn on a Mac laptop: ctrl+s, ctrl+\\ and ctrl+e do the same (issue 26.19)."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        question = deck.current
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert present(question).ref in app.config.starred, "ctrl+s stars, as F6"
        await pilot.press("ctrl+backslash")
        await pilot.pause()
        assert app.private, "ctrl+\\ lowers the blind, as F9"
        await pilot.press("ctrl+backslash")
        await pilot.pause()
        assert not app.private
        await type_note(pilot, "she is here")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog), "ctrl+e asks to end, as F12 (the note line's end-of-line gives way)"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryDialog)
        await pilot.press("ctrl+backslash")
        await pilot.pause()
        assert app.private, "in the summary too"
    from sessionpal.ui.keys import key_label

    assert key_label("f9,ctrl+backslash") == "F9 / ctrl+\\"


async def test_the_deck_says_of_how_many_and_how_many_are_hidden(demo_home: Home, clock: FakeClock) -> None:
    """`packs check` counts every question; the deck the timer's phase of those not hidden (issue 26.21)."""
    demo_home.config_file.write_text('hidden = ["opening/permission-sensitive", "closing"]\n')
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        closing = len([q for q in present(app.packs).questions() if q.pack == "closing"])
        title = str(deck.query_one("#deck-title", Static).render())
        assert closing > 0 and f"{len(deck.shown)} of {len(present(deck.deck).questions)} · {closing + 1} hidden" in title, title


async def test_keymap_from_config(demo_home: Home, clock: FakeClock) -> None:
    demo_home.config_file.write_text('[keys]\nask = "f10"\nnot_a_command = "f11"\n')
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await pilot.pause()
        assert read_session(session_file(app)).asked
        assert any("'not_a_command' is not a command" in n.message for n in told(app))


async def test_a_key_the_note_line_types_is_refused_for_a_command_and_kept_after_f7(demo_home: Home, clock: FakeClock) -> None:
    demo_home.config_file.write_text('[keys]\nquit = "enter"\ntimer = "f2,a"\ngoal_rename = "n"\n')
    machine = Path(os.environ["SESSIONPAL_MACHINE_CONFIG"])  # this test's own (tests/conftest.py)
    machine.parent.mkdir(parents=True, exist_ok=True)
    machine.write_text('[keys]\nask = "shift+q"\n')
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        said = "\n".join(n.message for n in told(app))
        assert f"{demo_home.config_file}:2:1: keys.quit = 'enter': 'enter' is typed into the note line" in said, said
        assert f"{demo_home.config_file}:3:1: keys.timer = 'f2,a'" in said and f"{machine}:2:1: keys.ask = 'shift+q'" in said, said
        assert app.active_keys == {"goal_rename": "n"}, "one key after F7 may be a letter, as the defaults are"
        await type_note(pilot, "a Quiet day")
        assert app.is_running and [n.text for n in read_session(session_file(app)).notes] == ["a Quiet day"]
        assert not read_session(session_file(app)).asked, "shift+q typed a Q, asked nothing"


def test_no_command_that_works_while_typing_has_a_typed_key_of_its_own() -> None:
    from sessionpal.core.config import takes_typing
    from sessionpal.ui.app import SessionPalApp
    from sessionpal.ui.keys import ids_while_typing

    live = ids_while_typing(SessionPalApp.BINDINGS)
    assert {"quit", "timer", "ask", "new_client", "goal_menu"} & live.keys() == {"quit", "timer", "ask", "new_client"}
    typed = {i: k for i, k in live.items() if any(takes_typing(key) for key in k.split(","))}
    assert typed == {"filter_done": "enter"}, "only the deck filter's own Enter, which ends the filter"


async def test_starring_a_question_writes_config_and_puts_it_first(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        await pilot.press("down", "down")
        question = deck.current
        await pilot.press("f6")
        await pilot.pause()
        assert tomllib.loads(demo_home.config_file.read_text())["starred"] == [present(question).ref]
        assert deck.shown[0] is question
        await pilot.press("f12")  # nothing started: back to the list, then another client
        await settle(pilot)
        app.opener.named("José Álvarez")
        await settle(pilot)
        assert app.screen.query_one(DeckPane).shown[0].ref == question.ref, "the star holds for the next client"


async def test_a_broken_user_pack_is_reported_and_the_rest_load(demo_home: Home, clock: FakeClock) -> None:
    demo_home.prompts_dir.mkdir()
    (demo_home.prompts_dir / "mine.toml").write_text("[pack\n")
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.screen.query_one(DeckPane).shown
        assert any("mine.toml:1:6: invalid TOML" in n.message for n in told(app))


async def test_an_unexpected_error_saves_and_leaves_a_short_message(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "private detail about her health")
        clock.advance(42)

        def broken() -> None:  # a bug in a key's action: nothing in the app handles it
            raise RuntimeError("boom: private detail about her health")

        monkeypatch.setattr(app.screen, "action_draw", broken)
        app.post_message(events.Key("f4", None))
        for _ in range(600):  # the app is on its way out: wait for that, not for its screen
            if app.return_code == 1:
                break
            await asyncio.sleep(0.05)
    assert app.return_code == 1
    message = app.exit_message
    path = session_paths(demo_home, "ana-perez")[-1]
    assert message.startswith("sessionpal stopped after an unexpected error (RuntimeError). Your notes are saved in")
    assert str(path) in message and "health" not in message and "Traceback" not in message
    info = read_session(path).info
    assert info.elapsed_seconds == 42 and info.timer == "running"


async def test_quitting_with_unsaved_notes_asks_first(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "saved")

        def disk_full(fd: int, data: bytes) -> NoReturn:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(fsio, "_os_write", disk_full)
        await type_note(pilot, "waiting")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog), "quitting would lose a note: ask"
        await pilot.press("down", "enter")  # stay
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.is_running


async def test_the_bell_rings_at_ten_five_and_over_only_when_asked_for(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    for bell, expected in ((False, 0), (True, 3)):
        demo_home.config_file.write_text(f"bell = {'true' if bell else 'false'}\n")
        app = make_app(demo_home, clock)
        rings: list[int] = []
        monkeypatch.setattr(app, "bell", lambda rings=rings: rings.append(1))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = session_screen(app)
            await pilot.press("f2")
            for minute in (30, 36, 37, 41, 46, 50):  # crosses 10 left, 5 left and the end once each
                clock.advance(minute * 60 - screen.live.timer.elapsed)
                screen.upkeep.tick()
            await pilot.press("f2")
            await pilot.pause()
        assert len(rings) == expected, bell
        for path in session_paths(demo_home, "ana-perez")[1:]:
            path.unlink()  # the next round starts a fresh session


async def test_the_last_time_card_carries_open_actions_forward_from_every_session(demo_home: Home, clock: FakeClock) -> None:
    ana = load_client(demo_home.client_file("ana-perez"))
    older = FakeClock(datetime(2026, 9, 7, 10, 0, tzinfo=timezone(timedelta(hours=1))))
    for week in range(4):  # four earlier sessions, two actions left open in each
        live = LiveSession(demo_home, ana, older, FALLBACK_MODEL, 45)
        for typed in (f"!week {week}: first step", f"!week {week}: second step"):
            older.advance(60)
            live.add_note(typed)
        older.advance(3600 * 24 * 7)
        live.end()
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = str(app.screen.query_one("#last-time", Static).render())
        assert "Open actions, from every session" in card
        assert "send the CV draft to Marta by Friday" in card and "16 Nov" in card, "the last session's first"
        assert "week 3: first step" in card and "week 0: first step" not in card
        assert "and 4 older: ctrl+y shows them all" in card


async def test_news_goes_to_the_status_line_not_over_the_deck(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.ui.widgets.status import StatusLine

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await pilot.pause()
        status = app.screen.query_one(StatusLine)
        assert str(status.render()).startswith("Starred: ") and status.has_class("-visible")
        assert not [n for n in app._notifications if "Starred" in n.message], "no toast over the deck's question"
        app.notify("told by the app")  # app-level news reaches the session's status line too
        await pilot.pause()
        assert str(status.render()) == "told by the app"
        app.screen.notify("must be seen", severity="warning")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["must be seen"], "warnings stay toasts"
        assert await until(pilot, lambda: not status.has_class("-visible"), timeout=30), "news fades"
        app.notify("Ask first: family")
        await pilot.pause()
        assert status.has_class("-visible")
        await pilot.press("f9")
        await pilot.pause()
        assert not status.has_class("-visible") and str(status.render()) == "", "the blind takes the news down with it"


async def test_the_footer_keeps_f1_in_sight_when_the_terminal_narrows(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.ui.widgets.footer import CompactFooter

    def footer_actions(app: App[Any]) -> list[str]:
        return [getattr(w, "action", "") for w in app.screen.query_one(CompactFooter).children if getattr(w, "action", None)]

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "star" in footer_actions(app) and footer_actions(app)[-1] == "help"
        await pilot.resize_terminal(80, 24)
        assert await until(pilot, lambda: "star" not in footer_actions(app))
        footer = app.screen.query_one(CompactFooter)
        assert footer_actions(app)[-1] == "help" and sum(w.outer_size.width for w in footer.children) <= 80, "F1 fits"
        await pilot.press("f6")  # left out of the footer, still bound
        await pilot.pause()
        assert any(t.message.startswith("Starred") for t in told(app))


async def test_switch_client_leaves_the_session_open_to_resume(demo_home: Home, clock: FakeClock) -> None:
    """Issue 26.18: the only way back to the client list was to end the session."""
    from sessionpal.core.lock import LOCK_FILE
    from sessionpal.ui.dialogs.resume import ResumeDialog
    from sessionpal.ui.screens.clients import ClientPickerScreen

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "she is between two offers")
        path = session_file(app)
        await pilot.press("ctrl+p", *"switch client", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientPickerScreen)
        document = read_session(path)
        assert [n.text for n in document.notes] == ["she is between two offers"] and not document.info.is_finished
        assert not (demo_home.client_dir("ana-perez") / LOCK_FILE).exists(), "the client is let go"
        await pilot.press(*"Ana", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ResumeDialog), "opened again: resume it"


async def test_a_ten_megabyte_note_line_is_shown_cut_and_kept_whole(demo_home: Home, clock: FakeClock) -> None:
    # Wrapping the whole line for the last-time card took 34 s before the client's screen appeared.
    last = session_paths(demo_home, "ana-perez")[-1]
    huge = "word " * 2_000_000
    last.write_text(last.read_text().replace("\n## Notes\n\n", f"\n## Notes\n\n- [00:00:09] {huge}\n", 1))
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = str(app.screen.query_one(LastTimeCard).render())
        assert "more characters in the file" in shown and len(shown) < 20_000, len(shown)
    assert huge in last.read_text(), "the file keeps the note whole"
    from sessionpal.ui.screens.session_view import session_markdown

    markdown, _ = session_markdown(read_session(last), "Ana Pérez")
    assert len(markdown) < 30_000 and "more characters in the file" in markdown, "the review's reading view cuts it too (it took 10 s)"


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_note_line_stays_whole_on_screen_whatever_the_card_holds(demo_home: Home, clock: FakeClock, size: tuple[int, int]) -> None:
    last = session_paths(demo_home, "ana-perez")[-1]
    more = "".join(f"- [ ] [00:1{i}:00] a long action number {i} that the client named in her own words by Friday\n" for i in range(6))
    last.write_text(last.read_text().replace("- [ ] [00:08:00] book a physio appointment\n", "- [ ] [00:08:00] book a physio appointment\n" + more))
    app = make_app(demo_home, clock)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press(*"test")
        await pilot.pause()
        note = app.screen.query_one("#note", NoteInput)
        footer_top = size[1] - 1
        assert note.value == "test" and note.region.height == 3, note.region
        assert note.region.bottom <= footer_top, f"the note line ends at row {note.region.bottom}, below the screen's {footer_top}"
        box = app.screen.query_one("#last-time-box")
        assert box.region.bottom <= note.region.y, "the card ends above the note line"
        assert box.max_scroll_y > 0 and box.show_vertical_scrollbar, "a card too long for its room scrolls, and shows it can"


async def test_at_80x24_the_summary_scrolls_its_buttons_stay_and_f9_lifts_its_blind(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_note(pilot, "!the first action she chose")
        for number in range(8):
            session_screen(app).live.add_note(f"!action number {number} she chose")
        session_screen(app).live.goals.rate_goal("run-5-km-without-stopping", 6)
        await pilot.press("f9")  # the blind down as the session ends
        clock.advance(45 * 60)
        await pilot.press("f12", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SummaryDialog)
        assert "Progress ratings" not in str(dialog.query_one("#summary", Static).render())
        await pilot.press("f9")
        await pilot.pause()
        shown = str(dialog.query_one("#summary", Static).render())
        assert not app.private and "Run 5 km without stopping: 6/10" in shown, "the blind lifted, what it masked shows"
        done = dialog.query_one("#done")
        assert done.region.bottom <= 24 and done.region.height > 0, f"Done is on screen: {done.region}"
        box = dialog.query_one("#summary-box")
        assert box.max_scroll_y > 0, "at 24 rows the summary scrolls"
        await pilot.press("pagedown", "down")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y, "PageDown reaches the end (Saved in ...)"
        assert isinstance(app.screen, SummaryDialog)


async def test_words_typed_but_not_entered_are_kept_when_the_session_ends_or_the_app_quits(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "!call the recruiter")
        await pilot.press("f8", "x")  # ticked in the log
        await pilot.pause()
        assert read_session(session_file(app)).actions[0].state is ActionState.DONE
        await pilot.press(*"+Great work today")  # no Enter
        clock.advance(45 * 60)
        await pilot.press("ctrl+e")
        await pilot.pause()
        path = session_file(app) if isinstance(app.screen, SessionScreen) else session_paths(demo_home, "ana-perez")[-1]
        assert "Great work today" in [n.text for n in read_session(path).notes], "kept as a note before the question"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryDialog)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "[x] call the recruiter" in summary, "ticked in the log: ticked in the summary"
    app = make_app(demo_home, clock, client="José Álvarez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_note(pilot, "first words")
        await pilot.press(*"and the last ones")  # no Enter, then quit
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert [n.text for n in read_session(session_paths(demo_home, "jose-alvarez")[-1]).notes] == ["first words", "and the last ones"]


async def test_at_80x24_the_recap_scrolls_and_its_close_button_is_in_sight(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.ui.dialogs.summary import RecapDialog

    app = make_app(demo_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_note(pilot, "=Clarity on the move, and what she wants from the next three months at the bank")
        for number in range(10):
            session_screen(app).live.add_note(f"+A note for her, number {number}, about what she chose today")
        clock.advance(45 * 60)
        await pilot.press("f12", "enter")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RecapDialog)
        close = dialog.query_one("#recap-done")
        assert close.region.height > 0 and close.region.bottom <= 24, f"Close is on screen: {close.region}"
        box = dialog.query_one("#recap-box")
        assert box.max_scroll_y > 0
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y


async def test_at_80x24_every_form_s_hints_wrap_and_are_read_whole(demo_home: Home, clock: FakeClock) -> None:
    from textual.widgets import Label

    from sessionpal.ui.dialogs.text import EngagementDialog, PastSessionDialog, RateDialog

    app = make_app(demo_home, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        today = clock.now().date()
        for dialog in (
            RateDialog("Run 5 km without stopping", [4, 6], None),
            EngagementDialog("Ana Pérez", None, today),
            PastSessionDialog("Ana Pérez", 45, today),
        ):
            app.push_screen(dialog)
            await pilot.pause()
            box = dialog.query_one(".dialog").content_region
            for label in dialog.query(Label):
                written = " ".join(str(label.render()).split())
                shown = " ".join(" ".join(strip.text for strip in label.render_lines(label.region.reset_offset)).split())
                assert shown == written and label.region.right <= box.right, f"{type(dialog).__name__}: {written!r} runs past the dialog"
            dialog.dismiss(None)
            await pilot.pause()
