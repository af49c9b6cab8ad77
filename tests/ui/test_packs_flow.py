"""The pack editor, live reload of packs edited outside the app, session models, and question memory."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, TextArea

from sessionpal.core import pack_edit
from sessionpal.core.packs import load_pack_file
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.sessions import read_session
from sessionpal.core.timer import FakeClock
from sessionpal.ui.dialogs.confirm import ChoiceDialog
from sessionpal.ui.dialogs.question import QuestionDialog
from sessionpal.ui.screens.packs import PacksScreen
from sessionpal.ui.screens.session import SessionScreen
from sessionpal.ui.widgets.deck import DeckPane

from ..helpers import START, present
from .conftest import make_app, session_screen, settle, told, until

SIZE = (140, 45)


def pack_ids(screen: PacksScreen) -> list[str | None]:
    return [o.id for o in screen.query_one("#pack-list", OptionList).options]


async def open_editor(pilot: Pilot[Any]) -> PacksScreen:
    await settle(pilot)
    await pilot.press("ctrl+o")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PacksScreen)
    return screen


async def choose_pack(pilot: Pilot[Any], screen: PacksScreen, pack_id: str) -> None:
    packs = screen.query_one("#pack-list", OptionList)
    packs.focus()
    packs.highlighted = pack_ids(screen).index(pack_id)
    await pilot.pause()


async def test_browse_and_built_in_packs_are_read_only(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_editor(pilot)
        assert pack_ids(screen)[:2] == ["+all", "actions"] and pack_ids(screen)[-1] == "+new-pack"
        await choose_pack(pilot, screen, "awareness")
        assert screen.shown[0].ref == "awareness/what-else"
        await pilot.press("enter")  # into the questions
        for action in ("add", "edit", "delete", "move", "retitle"):
            assert not screen.check_action(action, ()), action
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, QuestionDialog)
        await pilot.press("slash", *"#fear")
        await pilot.pause()
        assert [q.id for q in screen.shown] == ["afraid-might-happen", "if-not-afraid"]


async def test_a_new_pack_then_add_edit_reorder_and_delete(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot)
        await pilot.press("n", *"Career moves", "enter")
        await pilot.pause()
        path = demo_home.prompts_dir / "career-moves.toml"
        assert path.exists() and screen.pack_id == "career-moves"
        await pilot.press("enter", "a")
        await pilot.pause()
        assert isinstance(app.screen, QuestionDialog)
        dialog = app.screen
        dialog.query_one("#question-text", Input).value = "What would make this move worth it?"
        dialog.query_one("#question-tags", Input).value = "career, values"
        dialog.query_one("#question-phase", Select).value = "options"
        dialog.query_one("#question-follow-ups", TextArea).text = "And what else?\nWho would you tell?"
        await pilot.press("ctrl+s")
        await pilot.pause()
        pack = load_pack_file(path)
        added = pack.questions[-1]
        assert (added.text, added.tags, present(added.phase).value, added.follow_ups) == (
            "What would make this move worth it?",
            ("career", "values"),
            "options",
            ("And what else?", "Who would you tell?"),
        )
        assert present(screen.question()).ref == added.ref
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert [q.id for q in load_pack_file(path).questions][0] == added.id
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#question-text", Input).value = "What would make this move truly worth it?"
        await pilot.press("enter")
        await pilot.pause()
        assert load_pack_file(path).questions[0].text == "What would make this move truly worth it?"
        await pilot.press("d", "enter")
        await pilot.pause()
        assert [q.id for q in load_pack_file(path).questions] == ["what-matters-now"]
        await pilot.press("escape", "t")
        await pilot.pause()
        app.screen.query_one("#text", Input).value = "Career transitions"
        await pilot.press("enter")
        await pilot.pause()
        assert load_pack_file(path).title == "Career transitions"
        assert "# Career moves: questions of your own." in path.read_text(), "the file's comments survive"


async def test_make_a_built_in_question_and_pack_mine(demo_home: Home, clock: FakeClock) -> None:
    pack_edit.new_pack(demo_home, "mine", "Mine")
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot)
        await choose_pack(pilot, screen, "closing")
        await pilot.press("enter", "m")  # the highlighted question: copy it
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")  # into "Mine"
        await pilot.pause()
        assert load_pack_file(demo_home.prompts_dir / "mine.toml").questions[-1].id == "taking-away"
        await pilot.press("escape", "m", "enter")  # the whole pack
        await pilot.pause()
        copy = demo_home.prompts_dir / "closing.toml"
        assert copy.exists() and not present(app.packs).packs["closing"].builtin
        assert "yours" in str(screen.query_one("#pack-list", OptionList).get_option("closing").prompt)


async def test_hide_and_star_reach_the_live_deck(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        first = present(deck.current)
        screen = await open_editor(pilot)
        await choose_pack(pilot, screen, first.pack)
        await pilot.press("enter")
        screen.query_one("#question-list", OptionList).highlighted = [q.ref for q in screen.shown].index(first.ref)
        await pilot.press("h")
        await pilot.pause()
        assert app.config.hidden == (first.ref,)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert first.ref not in {q.ref for q in deck.shown}


async def test_a_pack_edited_outside_the_app_is_reloaded_and_a_broken_edit_keeps_the_last_good_one(demo_home: Home, clock: FakeClock) -> None:
    mine = pack_edit.new_pack(demo_home, "mine", "Mine")
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.check_pack_files()  # the first look records the files
        added = pack_edit.add_question(mine.path, "What is the bravest version of this?", phase="opening")
        app.check_pack_files()
        await settle(pilot)
        deck = app.screen.query_one(DeckPane)
        assert added.ref in {q.ref for q in deck.shown}
        mine.path.write_text(mine.path.read_text().replace('phase = "opening"', 'phase = "openning"'))
        app.check_pack_files()
        await settle(pilot)
        assert added.ref in {q.ref for q in deck.shown}, "the last good version stays"
        warnings = [n.message for n in told(app) if "last good version" in n.title]
        assert warnings and "mine.toml:" in warnings[-1] and "unknown phase 'openning'" in warnings[-1]


async def test_choosing_another_session_model(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = session_screen(app)
        await pilot.press("f2")
        screen.action_model()
        await pilot.pause()
        options = [o.id for o in app.screen.query_one(OptionList).options]
        assert options[:2] == ["check-in", "grow"] and options[-1] == "+default"
        await pilot.press("enter")  # check-in
        await pilot.pause()
        assert screen.live.model.id == "check-in"
        assert [s.phase.id for s in screen.live.timer.spans] == ["check-in", "focus", "actions", "close"]
        assert screen.live.path is not None
        assert read_session(screen.live.path).info.model == "check-in"
        assert "Check-in" in str(screen.query_one("#phase", Static).render())
        screen.action_model()
        await pilot.pause()
        await pilot.press("up", "enter")  # make it the client's default
        await pilot.pause()
        from sessionpal.core.clients import load_client

        assert load_client(demo_home.client_file("ana-perez")).model == "check-in"


async def test_questions_asked_of_a_client_are_remembered_across_sessions(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        asked = present(app.screen.query_one(DeckPane).current)
        await pilot.press("f3", "f12", "enter", "enter")
        await settle(pilot)
    later = FakeClock(START + timedelta(days=21))
    again = make_app(demo_home, later)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        deck = again.screen.query_one(DeckPane)
        assert present(deck.current).ref == asked.ref
        assert "asked 3 weeks ago" in str(again.screen.query_one("#question-meta", Static).render())
        for _ in range(10):
            await pilot.press("f4")
            assert present(deck.current).ref != asked.ref, "the draw prefers questions not yet asked of this client"
    assert len(session_paths(demo_home, "ana-perez")) == 2


async def test_the_app_notices_an_outside_edit_by_itself(demo_home: Home, clock: FakeClock) -> None:
    mine = pack_edit.new_pack(demo_home, "mine", "Mine")
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        added = pack_edit.add_question(mine.path, "What would you do with a free Tuesday?", phase="opening")
        deck = app.screen.query_one(DeckPane)
        assert await until(pilot, lambda: added.ref in {q.ref for q in deck.shown})


async def test_the_pack_editor_shows_a_hand_edit_of_the_pack_it_shows(demo_home: Home, clock: FakeClock) -> None:
    mine = pack_edit.new_pack(demo_home, "mine", "Mine")
    kept = pack_edit.add_question(mine.path, "What would you do with a free Tuesday?", phase="opening")
    pack_edit.add_question(mine.path, "Who could help?", phase="options")
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot)
        await choose_pack(pilot, screen, "mine")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("end")
        assert present(screen.question()).text == "Who could help?"
        # The coach's editor rewords the first question and adds one.
        mine.path.write_text(mine.path.read_text().replace("free Tuesday", "free Wednesday") + '\n[[questions]]\nid = "by-hand"\ntext = "What else?"\n')
        assert await until(pilot, lambda: [q.text for q in screen.shown][-1] == "What else?"), "the list follows the file"
        assert {q.ref: q.text for q in screen.shown}[kept.ref] == "What would you do with a free Wednesday?"
        assert present(screen.question()).text == "Who could help?", "the highlight stays on the question the coach had"


async def test_an_edit_to_a_question_removed_outside_is_offered_as_a_new_one(demo_home: Home, clock: FakeClock) -> None:
    pack_edit.new_pack(demo_home, "mine", "Mine")
    path = demo_home.prompts_dir / "mine.toml"
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_editor(pilot)
        await choose_pack(pilot, screen, "mine")
        await pilot.press("enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, QuestionDialog)
        original = load_pack_file(path).questions[0]
        # Meanwhile the coach's other editor renames the question's id.
        path.write_text(path.read_text().replace(f'id = "{original.id}"', 'id = "renamed-elsewhere"'))
        app.screen.query_one("#question-text", Input).value = "What matters most, now?"
        await pilot.press("enter")
        await pilot.pause()
        assert any(original.id in n.message for n in told(app))
        assert isinstance(app.screen, QuestionDialog), "the wording comes back in a dialog"
        assert app.screen.query_one("#question-text", Input).value == "What matters most, now?"
        await pilot.press("enter")
        await pilot.pause()
        questions = load_pack_file(path).questions
        assert [(q.id, q.text) for q in questions][0] == ("renamed-elsewhere", original.text), "the file's version is kept"
        assert questions[-1].text == "What matters most, now?"


async def test_a_question_refused_by_a_pack_broken_by_hand_stays_in_the_form(demo_home: Home, clock: FakeClock) -> None:
    pack_edit.new_pack(demo_home, "mine", "Mine")
    path = demo_home.prompts_dir / "mine.toml"
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_editor(pilot)
        await choose_pack(pilot, screen, "mine")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, QuestionDialog)
        broken = path.read_text() + "\n[[questions]\n"  # the coach's editor left it half-typed
        path.write_text(broken)
        app.screen.query_one("#question-text", Input).value = "What would a kind friend say?"
        await pilot.press("enter")
        await pilot.pause()
        assert any("mine.toml" in n.message for n in told(app)), "the problem is told"
        assert isinstance(app.screen, QuestionDialog), "the question typed is not lost"
        assert app.screen.query_one("#question-text", Input).value == "What would a kind friend say?"
        assert path.read_text() == broken, "the broken file is left as it is"


async def test_a_delete_that_leaves_less_than_half_of_a_pack_asks_first(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.core.versions import list_versions
    from sessionpal.ui.dialogs.confirm import ConfirmDialog

    pack = pack_edit.new_pack(demo_home, "mine", "Mine")
    follow_ups = [f"And what else comes up when you picture it, step {n}?" for n in range(20)]
    big = pack_edit.add_question(pack.path, "What would the bravest version of you do here?", follow_ups=follow_ups)
    before = pack.path.read_bytes()
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot)
        await choose_pack(pilot, screen, "mine")
        await pilot.press("enter")
        questions = screen.query_one("#question-list", OptionList)
        questions.highlighted = [q.id for q in load_pack_file(pack.path).questions].index(big.id)
        await pilot.press("d", "enter")  # "Delete it"
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "less than half of mine.toml" in str(app.screen.query_one(".dialog-title").render())
        assert pack.path.read_bytes() == before, "nothing written yet"
        await pilot.press("enter")  # "Save it anyway"
        await pilot.pause()
        assert big.id not in [q.id for q in load_pack_file(pack.path).questions]
    assert list_versions(demo_home, pack.path)[0].path.read_bytes() == before


async def test_a_pack_deleted_on_disk_while_shown_leaves_every_pack_shown(demo_home: Home, clock: FakeClock) -> None:
    mine = pack_edit.new_pack(demo_home, "mine", "Mine")
    pack_edit.add_question(mine.path, "What would you do with a free Tuesday?", phase="opening")
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(pilot)
        await choose_pack(pilot, screen, "mine")
        assert screen.pack_id == "mine" and len(screen.shown) == 2  # the starter question and ours
        mine.path.unlink()  # a sync, or the coach's file manager
        assert await until(pilot, lambda: "mine" not in pack_ids(screen)), "the pack list follows the folder"
        assert screen.pack_id == "+all" and len(screen.shown) == len(present(app.packs).questions())
        detail = str(screen.query_one("#question-detail", Static).render())
        assert present(screen.question()).text in detail, "the detail shows the question highlighted"
