"""A live call's keystrokes and a shared screen: every sentence lands where it was typed, and the
privacy blind shows nothing of the client anywhere the coach can go from the session."""

from __future__ import annotations

import asyncio
import html
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input

from sessionpal.core.clients import create_client, set_agreements, set_values
from sessionpal.core.goals import add_goal
from sessionpal.core.live import LogEntry
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock
from sessionpal.ui.widgets.notes import NoteInput, NotesLog

from ..helpers import as_moment
from .conftest import make_app, session_screen, settle

SIZE = (120, 36)

# Commands a coach gives mid-call, each as the keys pressed; each ends its own action (a dialog
# confirmed or cancelled, a move made) as a coach would.
COMMANDS = [
    ["f7", "r", "3", "enter"],  # rate the highlighted goal
    ["f7", "s", "escape"],  # status dialog, cancelled
    ["f7", "e", "escape"],  # rename, cancelled
    ["f7", "a", "escape"],  # add a goal, cancelled
    ["f7", "v", "escape"],  # link a value, cancelled
    ["f7", "enter", "escape"],  # the goal menu, closed
    ["f7", "down", "r", "7", "enter"],
    ["f8", "enter", "escape"],  # edit a note, cancelled
    ["f8", "escape"],
    ["f5", *"what", "enter"],  # filter the deck
    ["f5", "escape"],
    ["f4"],
    ["ctrl+d"],  # draw, from the note line: never the note line's delete-right
    ["f3"],
    ["escape"],  # from the note line: clears a kept filter
    ["down"],
    ["up"],
    ["f6"],
    ["ctrl+p", *"session model", "enter", "escape"],
    ["ctrl+p", *"goal: rate", "enter", "enter", "5", "enter"],
    ["ctrl+y", "escape"],
    ["f1", "escape"],
]

SENTENCES = [
    "Long runs feel like a chore",
    "she says the team trusts her more now",
    "wants to rest at weekends",
    "talked about her sister at length",
    "a quiet shift in how she speaks of work",
    "easy to say yes, hard to say no",
    "really energised by the race plan",
    "tired after a long week of travel",
]


async def type_sentence(pilot: Pilot[Any], sentence: str) -> None:
    """A sentence as a practised typist types it: a key every few milliseconds (Pilot.press would wait
    for the app to idle after each one, 50-100 ms a key), then Enter, then a look at the screen."""
    for char in sentence:
        key = "space" if char == " " else ("comma" if char == "," else char)
        pilot.app.post_message(events.Key(key, char))
        await asyncio.sleep(0.003)
    await pilot.press("enter")
    await pilot.pause()


def modal_depth(app: App[Any]) -> int:
    return sum(isinstance(screen, ModalScreen) for screen in app.screen_stack)


async def test_random_commands_and_typed_sentences_every_sentence_lands_whole_and_once(demo_home: Home, clock: FakeClock) -> None:
    rng = random.Random(13)
    app = make_app(demo_home, clock)
    typed: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for step in range(40):
            if rng.random() < 0.4:
                sentence = f"{rng.choice(SENTENCES)} {step}"
                at_home = isinstance(app.focused, NoteInput) and app.focused.id == "note"
                await type_sentence(pilot, sentence)
                if at_home:
                    typed.append(sentence)
            else:
                keys = rng.choice(COMMANDS)
                for key in keys:
                    await pilot.press(key)
                    assert modal_depth(app) <= 1, f"two dialogs stacked after {keys} (step {step})"
                await pilot.pause()
            assert modal_depth(app) <= 1, f"two dialogs stacked at step {step}"
            if modal_depth(app) == 0:
                assert isinstance(app.focused, NoteInput) and app.focused.id == "note", f"the cursor is not home after step {step}"
        await settle(pilot)
        notes = [n.text for n in read_session(session_paths(demo_home, "ana-perez")[-1]).notes]
    assert len(typed) >= 12
    assert [t for t in notes if t in typed] == typed, "each sentence typed at the note line is saved whole, once, in order"


async def test_a_rating_then_typing_goes_into_the_note_not_the_sidebar(demo_home: Home, clock: FakeClock) -> None:
    """Seen in a coach's week: F7, r, 3, Enter, then a sentence fired the sidebar's letters."""
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "r", "3", "enter")
        await pilot.pause()
        await pilot.press(*"Long runs feel like a chore", "enter")
        await pilot.pause()
        assert modal_depth(app) == 0
        notes = read_session(session_paths(demo_home, "ana-perez")[-1]).notes
        assert [n.text for n in notes] == ["Long runs feel like a chore"]


async def test_the_palette_s_session_agreement_is_saved(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"session agreement", "enter")
        await pilot.pause()
        await pilot.press(*"clarity about the move", "enter")
        await pilot.pause()
        info = read_session(session_paths(demo_home, "ana-perez")[-1]).info
        assert info.agreement == "clarity about the move"
        assert isinstance(app.focused, NoteInput)


# With no pause between keys and a slow app: one key after F7 or F8 acts once, the rest is the note's.
BURST_COMMANDS = [
    (["f7", "escape"], None),
    (["f7", "down", "up", "escape"], None),
    (["f8", "escape"], None),
    (["f8", "up", "x"], None),  # tick (or untick) a line: no dialog
    (["f4"], None),
    (["ctrl+d"], None),
    (["f3"], None),
    (["f6"], None),
    (["f7", "r"], "RateDialog"),
    (["f7", "s"], "GoalStatusDialog"),
    (["f7", "down", "e"], "TextDialog"),
    (["f7", "enter"], "GoalMenuDialog"),
    (["f8", "enter"], "EditNoteDialog"),
]
KEY_NAMES = {" ": "space", ",": "comma"}


def burst(app: App[Any], keys: list[str]) -> None:
    for key in keys:
        app.post_message(events.Key(KEY_NAMES.get(key, key), key) if len(key) == 1 else events.Key(key, None))


async def test_bursts_of_keys_on_a_slow_app_lose_nothing_and_open_only_what_was_asked(
    demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25's done-when: thousands of keys sent with no pause, each redraw slowed (a busy machine): every
    sentence lands whole and in order, and a command opens its own dialog or none, never two."""
    import time

    from sessionpal.ui.widgets.notes import NotesLog

    real = NotesLog.watch_entries

    def slow(self: NotesLog, old: tuple[LogEntry, ...], items: tuple[LogEntry, ...]) -> None:
        time.sleep(0.01)
        real(self, old, items)

    monkeypatch.setattr(NotesLog, "watch_entries", slow)
    rng = random.Random(29)
    app = make_app(demo_home, clock)
    typed: list[str] = []
    keys = 0
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for step in range(80):
            command, expected = rng.choice(BURST_COMMANDS)
            sentence = f"{rng.choice(SENTENCES)} {step}"
            if expected is None:  # the sentence right behind the command, in the same burst
                burst(app, [*command, *sentence, "enter"])
                keys += len(command) + len(sentence) + 1
                typed.append(sentence)
                await settle(pilot)
                assert modal_depth(app) == 0, f"{command} opened {app.screen_stack} (step {step})"
            else:
                burst(app, command)
                keys += len(command)
                await settle(pilot)
                opened = [type(s).__name__ for s in app.screen_stack if isinstance(s, ModalScreen)]
                assert opened == [expected], f"{command} opened {opened} (step {step})"
                await pilot.press("escape")
                await settle(pilot)
            assert type(app.screen).__name__ == "SessionScreen" and session_screen(app).armed.value == "note", f"step {step}"
        notes = [n.text for n in read_session(session_paths(demo_home, "ana-perez")[-1]).notes]
    assert keys > 1500
    assert [t for t in notes if t in typed] == typed and len(notes) == len(typed), "each sentence saved whole, once, in order; nothing else"


# ---- the privacy blind ---------------------------------------------------------------------------

NAME = "Zofia Quillfeather"
SECRETS = [
    NAME,
    "Quillfeather",
    "zofia-quillfeather",
    "Open the pottery studio",
    "Walk the Camino alone",  # goals
    "wabi-sabi",  # a value, in her words
    "tango",  # an area to ask about first
    "the lease worries her",
    "#tango lessons again",  # notes
    "decide about the studio lease",  # the session agreement
]


def build_private_home(home: Home) -> None:
    client = create_client(home, NAME, 60, date(2026, 10, 1))
    add_goal(home, client.slug, "Open the pottery studio", value="wabi-sabi", at=as_moment(date(2026, 10, 1)))
    add_goal(home, client.slug, "Walk the Camino alone", at=as_moment(date(2026, 10, 1)))
    set_values(home, client.slug, ["wabi-sabi"])
    set_agreements(home, client.slug, ["career"], ["tango"])


def visible_text(app: App[Any]) -> str:
    """Everything the terminal shows now (toasts included), as one string of its text in screen order."""
    svg = app.export_screenshot()
    runs = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", run)) for run in runs).replace("\xa0", " ")


def leaks(app: App[Any]) -> list[str]:
    shown = visible_text(app).casefold()
    titles = f"{app.title} {app.sub_title} {app.screen.title} {app.screen.sub_title}".casefold()
    return [s for s in SECRETS if s.casefold() in shown or s.casefold() in titles]


# Every way out of the session a coach might try with the blind down; each ends where it began.
WALK = [
    ["f7"],
    ["f7", "a"],
    ["f7", "r"],
    ["f7", "enter"],
    ["f8"],
    ["f8", "enter"],
    ["ctrl+y"],
    ["ctrl+o"],
    ["f1"],
    ["f5", *"studio"],
    ["f4"],
    ["f3"],
    ["f2"],
    ["ctrl+p"],
    ["ctrl+p", *"session model", "enter"],
    ["ctrl+p", *"session agreement", "enter"],
    ["ctrl+p", *"values and goals", "enter"],
    ["ctrl+p", *"areas agreed", "enter"],
    ["ctrl+p", *"add goal", "enter"],
    ["ctrl+p", *"goal: rate", "enter"],
    ["ctrl+p", *"goal: stalled", "enter"],
    ["ctrl+p", *"review this client", "enter"],
    [*"#tango lessons again", "enter"],  # an ask-first area: the reminder must not name her
]


async def test_with_the_blind_down_nothing_of_the_client_is_shown_anywhere(home: Home, clock: FakeClock) -> None:
    build_private_home(home)
    app = make_app(home, clock, client=NAME)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press(*"=decide about the studio lease", "enter", *"the lease worries her", "enter")
        await pilot.pause()
        assert "Quillfeather" in visible_text(app), "the check sees the client when the blind is up"
        await pilot.press("f9")
        await pilot.pause()
        assert leaks(app) == []
        for keys in WALK:
            await pilot.press(*keys)
            await pilot.pause()
            assert leaks(app) == [], f"shown after {keys}"
            for _ in range(4):  # back to the session, whatever opened
                if modal_depth(app) == 0 and type(app.screen).__name__ == "SessionScreen":
                    break
                await pilot.press("escape")
                await pilot.pause()
            assert type(app.screen).__name__ == "SessionScreen", f"{keys} left {app.screen_stack}"
        notes = [n.text for n in read_session(session_paths(home, "zofia-quillfeather")[-1]).notes]
        assert "#tango lessons again" in notes, "the note line works, masked, under the blind"
        await pilot.press("f12", "enter")  # end the session: the summary, then the client list
        await pilot.pause()
        assert leaks(app) == [], "the summary"
        await pilot.press("enter")
        await pilot.pause()
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientPickerScreen"
        assert leaks(app) == [], "the client list"
        await pilot.press("f9")
        await pilot.pause()
        await settle(pilot)
        assert "Zofia Quillfeather" in visible_text(app), "F9 lifts the blind"


async def test_the_blind_also_covers_the_engagement_the_past_session_form_the_saved_paths_and_the_client_filter(
    home: Home, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 26.9 and 26.10: what a coach's week found showing the client with F9 on, and the screenshot."""
    build_private_home(home)
    app = make_app(home, clock, client=NAME)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await pilot.press(*"the lease worries her", "enter")
        await pilot.pause()
        assert "Note: saved at" in visible_text(app) and "· 1 line" in visible_text(app), "a masked word that it was saved"
        for command in ("engagement", "add a past session"):
            await pilot.press("ctrl+p", *command, "enter")
            await pilot.pause()
            assert modal_depth(app) == 1 and leaks(app) == [], f"{command}: {leaks(app)}"
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p", *"screenshot", "enter")
        await pilot.pause(0.3)
        assert modal_depth(app) == 0 and "no screenshot is taken while the blind is down" in visible_text(app)
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert leaks(app) == [], "the summary"
        await pilot.press("r")
        await pilot.pause()
        assert leaks(app) == [] and "in the client's folder" in visible_text(app), "the recap's saved path"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientPickerScreen"
        await pilot.press(*"Zofia")
        await pilot.pause()
        assert leaks(app) == [] and "Zofia" not in visible_text(app), "the letters typed in the client filter"


async def test_a_screenshot_is_written_0600_where_the_coach_says_and_never_over_a_file(demo_home: Home, clock: FakeClock, tmp_path: Path) -> None:
    app = make_app(demo_home, clock)
    target = tmp_path / "shot.svg"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"screenshot", "enter")
        await pilot.pause(0.3)
        await settle(pilot)
        field = app.screen.query_one("#text", Input)
        field.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text().startswith("<svg") and target.stat().st_mode & 0o777 == 0o600
        before = target.read_bytes()
        await pilot.press("ctrl+p", *"screenshot", "enter")
        await pilot.pause(0.3)
        await settle(pilot)
        app.screen.query_one("#text", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_bytes() == before and "exists already" in " ".join(n.message for n in app._notifications)


async def test_behind_the_blind_a_completed_tag_and_a_new_client_s_name_are_masked_too(home: Home, clock: FakeClock) -> None:
    """Found by a coach's look: #lea completed the goal's words in clear; ctrl+n showed the name typed."""
    build_private_home(home)
    app = make_app(home, clock, client=NAME)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f9", *"she spoke of #op")
        await pilot.pause()
        assert "pottery" not in visible_text(app).casefold() and "-the-" not in visible_text(app)
        await pilot.press("ctrl+u", "f12")
        await pilot.pause()
        await settle(pilot)
        assert type(app.screen).__name__ == "ClientPickerScreen"
        await pilot.press("ctrl+n", *"Quentin Marlowe")
        await pilot.pause()
        assert "Quentin" not in visible_text(app), "the new client's name, masked"
