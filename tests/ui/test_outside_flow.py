"""The session screen while another program (an editor, a sync tool) changes its files."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from sessionpal.core.paths import Home
from sessionpal.core.sessions import read_session
from sessionpal.core.sync_copies import CONFLICT_COPY
from sessionpal.core.timer import FakeClock
from sessionpal.ui.widgets.goals import GoalsPane
from sessionpal.ui.widgets.notes import NoteInput

from .conftest import make_app, session_file, session_screen, settle, told
from .test_session_flow import SIZE, log_texts, type_note


async def test_an_outside_edit_is_shown_and_a_dropped_line_is_kept_in_a_copy(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await type_note(pilot, "first")
        clock.advance(60)
        await type_note(pilot, "second")
        path = session_file(app)
        ours = path.read_text()
        # The coach fixes a word in her editor and adds a line.
        path.write_text(ours.replace("] second", "] second, reworded") + "- [00:00:30] from the editor\n")
        session_screen(app).upkeep.check_files()
        await pilot.pause()
        assert any("its changes are kept and shown" in n.message for n in told(app))
        assert any("second, reworded" in line for line in log_texts(app))
        # A sync tool brings back an older version without "second".
        before_sync = path.read_text()
        path.write_text(ours.replace("- [00:01:00] second\n", ""))
        clock.advance(60)
        await type_note(pilot, "third")
        dropped = [n.message for n in told(app) if "dropped" in n.message]
        assert len(dropped) == 1 and "(conflicted copy sessionpal" in dropped[0]
        [copy] = [p for p in path.parent.iterdir() if CONFLICT_COPY.search(p.name)]
        assert copy.read_text() == before_sync, "the version the coach saw, kept whole"
        assert [n.text for n in read_session(path).notes] == ["first", "third"]
        assert not any("second" in line for line in log_texts(app)), "the screen shows what the file holds"


async def test_an_edit_to_a_line_changed_meanwhile_waits_in_the_note_line(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await type_note(pilot, "typo hre")
        path = session_file(app)
        await pilot.press("f8", "enter")
        await pilot.pause()
        edit = app.screen.query_one("#edit", Input)
        path.write_text(path.read_text().replace("typo hre", "typo fixed elsewhere"))
        edit.value = "typo here"
        await pilot.press("enter")
        await settle(pilot)
        assert [n.text for n in read_session(path).notes] == ["typo fixed elsewhere"], "the file's version is kept"
        assert app.screen.query_one(NoteInput).value == "typo here", "and the coach's wording is not lost"
        assert isinstance(app.focused, NoteInput)
        assert any("Enter saves it as a new note" in n.message for n in told(app))
        await pilot.press("enter")
        await settle(pilot)
        assert [n.text for n in read_session(path).notes] == ["typo fixed elsewhere", "typo here"]


async def test_client_file_changed_outside_updates_the_goals(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        path = session_screen(app).live.client.path
        path.write_text(path.read_text().replace("Leave the bank by spring", "Leave the bank by the summer"))
        session_screen(app).upkeep.check_files()
        await pilot.pause()
        shown = [str(option.prompt) for option in app.screen.query_one(GoalsPane).query_one(OptionList).options]
        assert any("Leave the bank by the summer" in line for line in shown), shown
        assert any("the goals shown are its new version" in n.message for n in told(app))
        path.write_text(path.read_text() + "[[goals]\n")
        session_screen(app).upkeep.check_files()
        await pilot.pause()
        assert any(f"{path}:" in n.message and "cannot be read now" in n.message for n in told(app))


async def test_a_client_open_in_another_sessionpal_is_shown_read_only(demo_home: Home, clock: FakeClock) -> None:
    # The laptop runs Ana's session: its lock and its session file.
    from sessionpal.core.clients import load_client
    from sessionpal.core.live import LiveSession
    from sessionpal.core.lock import LOCK_FILE, Holder
    from sessionpal.core.session_models import FALLBACK_MODEL
    from sessionpal.ui.screens.clients import ClientPickerScreen
    from sessionpal.ui.screens.session import SessionScreen

    from ..helpers import START

    lock = demo_home.client_dir("ana-perez") / LOCK_FILE
    lock.write_text(Holder("laptop", 4242, START).render())
    there = LiveSession(demo_home, load_client(demo_home.client_file("ana-perez"), "ana-perez"), clock, FALLBACK_MODEL, 45)
    there.add_note("typed on the laptop")
    files_before = sorted((p.name, p.stat().st_mtime_ns) for p in demo_home.client_dir("ana-perez").rglob("*"))
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.live.read_only
        assert any("on laptop, process 4242" in n.message for n in told(app))
        assert "read-only" in str(screen.query_one("#session-header").render())
        assert screen.query_one(NoteInput).disabled
        assert log_texts(app)[-1].endswith("typed on the laptop"), "the holder's session, as it is"
        clock.advance(30)
        there.add_note("more from the laptop")
        screen.upkeep.check_files()
        await pilot.pause()
        assert log_texts(app)[-1].endswith("more from the laptop"), "followed as the holder writes"
        files_during = sorted((p.name, p.stat().st_mtime_ns) for p in demo_home.client_dir("ana-perez").rglob("*"))
        lock.unlink()  # the laptop closes its sessionpal
        screen.upkeep.check_files()
        await pilot.pause()
        assert any(n.title == "Free now" for n in told(app))
        lock.write_text(Holder("laptop", 4242, START).render())
        await pilot.press("f2", "f3", "f12")  # no timer, no asking, F12 only goes back
        await pilot.pause()
        assert isinstance(app.screen, ClientPickerScreen)
    assert len(files_during) == len(files_before)
    assert lock.read_text() == Holder("laptop", 4242, START).render(), "the holder's lock is left alone"
