"""The client picker and the ways into a session."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, OptionList, Static

from sessionpal.core.clients import create_client, load_client
from sessionpal.core.paths import Home
from sessionpal.core.records import erase_client
from sessionpal.core.timer import FakeClock
from sessionpal.ui.dialogs.confirm import ChoiceDialog
from sessionpal.ui.dialogs.new_client import NewClientDialog
from sessionpal.ui.screens.clients import ClientPickerScreen
from sessionpal.ui.screens.session import SessionScreen
from sessionpal.ui.widgets.tickbox import TickBox

from .conftest import make_app, session_screen, settle, told, until

SIZE = (100, 30)


def picker_ids(app: App[Any]) -> list[str]:
    ids = []
    for option in app.screen.query_one("#client-list", OptionList).options:
        assert option.id is not None
        ids.append(option.id)
    return ids


async def test_most_recent_first_and_type_to_filter_ignoring_accents(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ClientPickerScreen)
        assert picker_ids(app) == ["ana-perez", "jose-alvarez", "李雷"]
        await pilot.press(*"jose")
        assert picker_ids(app) == ["jose-alvarez"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.live.client.name == "José Álvarez"
        await pilot.press("f12")  # nothing started: back to the list
        await settle(pilot)
        assert isinstance(app.screen, ClientPickerScreen)


async def test_tab_then_a_name_still_filters_and_opens_that_client(demo_home: Home, clock: FakeClock) -> None:
    """Seen in a coach's week: Tab moved the cursor to the list, the letters were dropped and
    Enter opened the highlighted client (another person)."""
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", *"jose", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.live.client.name == "José Álvarez"


async def test_the_list_follows_clients_erased_added_and_renamed_elsewhere(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert picker_ids(app) == ["ana-perez", "jose-alvarez", "李雷"]
        # Another terminal: `sessionpal erase jose-alvarez`, a new client, and a hand edit of a name.
        erase_client(demo_home, "jose-alvarez", clock.now())
        create_client(demo_home, "Zoë Adams", 60, clock.now().date())
        assert await until(pilot, lambda: picker_ids(app) == ["ana-perez", "zoe-adams", "李雷"])
        ana = demo_home.client_file("ana-perez")
        with ana.open("r+") as opened:  # written in place, as some editors do: the folder does not change
            text = opened.read().replace('name = "Ana Pérez"', 'name = "Ana Pérez-Luna"')
            opened.seek(0)
            opened.write(text)
        first = app.screen.query_one("#client-list", OptionList)
        assert await until(pilot, lambda: "Ana Pérez-Luna" in str(first.get_option_at_index(0).prompt)), "an edit in place is seen too"


async def test_new_client_form_validates_then_creates(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewClientDialog)
        coded = app.screen.query_one("#coded", TickBox)
        assert str(coded.render()).startswith("▐ ▌"), "unticked: an empty box, never a dim X"
        coded.toggle()
        await pilot.pause()
        assert str(coded.render()).startswith("▐✓▌") and coded.has_class("-on")
        coded.toggle()
        await pilot.pause()
        await pilot.press(*"Zoë Brontë", "tab", *"999", "enter")
        await pilot.pause()
        assert "5 to 600" in str(app.screen.query_one("#form-error", Static).render())
        minutes = app.screen.query_one("#minutes", Input)
        minutes.value = "50"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        client = load_client(demo_home.client_file("zoe-bronte"))
        assert (client.name, client.session_minutes) == ("Zoë Brontë", 50)
        assert app.screen.live.planned_minutes == 50


async def test_enter_on_an_unknown_name_offers_to_create_it(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Priya Natarajan")
        said = str(app.screen.query_one("#picker-empty", Static).render())
        assert "Enter adds “Priya Natarajan” as a new client" in said and "Did you mean" not in said
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Priya Natarajan"


async def test_a_name_typed_close_to_a_client_s_names_them_before_adding(demo_home: Home, clock: FakeClock) -> None:
    """A typo must not quietly make a second client (found by a newcomer: "Ana Perex" said only "Enter adds them")."""
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Ana Perex")
        said = str(app.screen.query_one("#picker-empty", Static).render())
        assert "Did you mean Ana Pérez?" in said, said


async def test_an_empty_home_says_how_to_begin(home: Home, clock: FakeClock) -> None:
    app = make_app(home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        hint = app.screen.query_one("#picker-empty", Static)
        assert "ctrl+n to add your first client" in str(hint.render())
        assert hint.region.y < 6, "the hint sits under the filter, not at the bottom of the screen"


async def test_a_broken_client_file_is_listed_and_cannot_be_opened(demo_home: Home, clock: FakeClock) -> None:
    broken = demo_home.clients_dir / "broken"
    broken.mkdir()
    (broken / "client.toml").write_text('name = "Ben"\nsession_minutes = "long"\n')
    before = (broken / "client.toml").read_bytes()
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "broken" in picker_ids(app)
        assert any("client.toml:2:1: 'session_minutes' must be a whole number" in n.message for n in told(app))
        await pilot.press(*"broken", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientPickerScreen)
    assert (broken / "client.toml").read_bytes() == before


async def test_client_flag_creates_a_new_client(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client="Marta Ruiz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.live.client.slug == "marta-ruiz"
        assert app.screen.live.planned_minutes == 60
        assert app.screen.query_one("#goals-empty").display, "a client without goals gets the hint, not an empty list"


async def test_client_flag_with_a_typo_asks_before_creating(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client="Ana Perz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        labels = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert labels[0] == "Open Ana Pérez" and "Create a new client “Ana Perz”" in labels
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.live.client.slug == "ana-perez"
    assert not (demo_home.clients_dir / "ana-perz").exists()


async def test_whatever_leaves_the_screen_empty_brings_the_client_list(demo_home: Home, clock: FakeClock) -> None:
    """--client skips the list at start; cancelling, or leaving the session, must still land on it."""
    app = make_app(demo_home, clock, client="Ana Perz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientPickerScreen)
    app = make_app(demo_home, clock, client="Ana Pérez")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert not any(isinstance(screen, ClientPickerScreen) for screen in app.screen_stack), "not built at start"
        await pilot.press("f12")  # nothing started: back
        await settle(pilot)
        assert isinstance(app.screen, ClientPickerScreen)


async def test_client_flag_by_slug_case_insensitively(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock, client="JOSE-ALVAREZ")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.live.client.slug == "jose-alvarez"


async def test_a_client_stored_under_a_code_keeps_the_name_out_of_paths_and_exports(demo_home: Home, clock: FakeClock) -> None:
    from textual.widgets import Checkbox

    from sessionpal.core.clients import client_code

    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press(*"Sasha Ivanova")
        app.screen.query_one("#coded", Checkbox).value = True
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        slug = app.screen.live.client.slug
        await pilot.press(*"first note", "enter")
        await settle(pilot)
        app.screen.save_before_exit()
    client = load_client(demo_home.client_file(slug), slug)
    assert client.name == "Sasha Ivanova" and slug == client.code.lower() and client_code(client) == client.code
    everything = [str(p.relative_to(demo_home.root)) for p in demo_home.root.rglob("*")]
    assert not any("sasha" in p.lower() or "ivanova" in p.lower() for p in everything), everything
    # The export's default file name comes from the folder: the code.
    import subprocess
    import sys

    from ..helpers import env_without_home

    result = subprocess.run(
        [sys.executable, "-m", "sessionpal", "export", "Sasha Ivanova", "--home", str(demo_home.root)],
        capture_output=True,
        text=True,
        env=env_without_home(),
        cwd=demo_home.root.parent,
    )
    assert result.returncode == 0, result.stderr
    [zipped] = demo_home.root.parent.glob("*.zip")
    assert zipped.name.startswith(f"sessionpal-{slug}-")


async def test_sync_conflicts_are_named_in_a_banner_and_resolved_side_by_side(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.core.versions import list_versions
    from sessionpal.ui.screens.conflicts import ConflictsScreen

    path = demo_home.client_file("jose-alvarez")
    copy = path.with_name("client (Ana's conflicted copy 2026-11-20).toml")
    theirs = path.read_text().replace("values = []", 'values = ["family"]')
    copy.write_text(theirs)
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = str(app.screen.query_one("#conflict-banner", Static).render())
        assert "Sync conflicts: 1 file(s)" in banner and "clients/jose-alvarez/client.toml  ↔  client (Ana's conflicted copy 2026-11-20).toml" in banner
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        left, right = (str(app.screen.query_one(side, Static).render()) for side in ("#left", "#right"))
        assert "values = []" in left and 'values = ["family"]' in right
        await pilot.press("2", "enter")  # keep the copy, "Yes"
        await pilot.pause()
        assert "No sync conflicts" in str(app.screen.query_one("#left", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query_one("#conflict-banner", Static).display
    assert path.read_text() == theirs and not copy.exists()
    assert "values = []" in list_versions(demo_home, path)[0].path.read_text()


async def test_a_long_practice_lists_its_recent_clients_and_finds_anyone_by_name(home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from sessionpal.ui.screens import clients as picker

    monkeypatch.setattr(picker, "LISTED_AT_MOST", 20)  # as 300 of a thousand, with fewer files to write
    monkeypatch.setattr("sessionpal.core.first_screen.FIRST_SCREEN", 5)
    for n in range(25):
        create_client(home, f"Client {n:02d}", 60, date(2026, 1, 1))
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        ids = picker_ids(app)
        assert len(ids) == 21 and ids[-1] == "more"
        more = app.screen.query_one("#client-list", OptionList).get_option("more")
        assert more.disabled and "and 5 more: type a few letters of a name" in str(more.prompt)
        await pilot.press("down", "down")
        await pilot.press("ctrl+y", "escape")  # back from the review: the list reloads, the same client highlighted
        await settle(pilot)
        highlighted = app.screen.query_one("#client-list", OptionList).highlighted_option
        assert highlighted is not None and highlighted.id == ids[2]
        listed = app.screen.query_one("#client-list", OptionList)
        await pilot.press(*["down"] * 25)
        await settle(pilot)
        assert listed.highlighted == 19 and listed.scroll_y == listed.max_scroll_y > 0, "the last client, and the line under it"
        await pilot.press(*"client 24")
        assert picker_ids(app) == ["client-24"], "a client beyond the list is found by name"


async def test_in_a_browser_tab_f2_adds_a_client_and_the_screens_say_so(home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """A browser never passes ctrl+n (new window) or ctrl+t (new tab) to the page: in browser mode F2 does
    their work, and the footer, the placeholder, the empty list and the help name F2."""
    from textual.widgets import Footer

    from sessionpal.ui.app import SessionPalApp
    from sessionpal.ui.screens.help import HelpScreen

    monkeypatch.setattr(SessionPalApp, "is_web", property(lambda app: True))
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClientPickerScreen)
        assert "F2 adds a client" in screen.query_one("#client-filter", Input).placeholder
        assert "Press F2 to add" in str(screen.query_one("#picker-empty", Static).render())
        assert any(b.key == "f2" and b.id == "new_client" for b in (s.binding for s in screen.active_bindings.values()))
        assert screen.query_one(Footer) is not None
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "ctrl+n and ctrl+t belong to the browser" in str(app.screen.query_one(Static).render())
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert isinstance(app.screen, NewClientDialog)


async def test_the_coach_s_own_keys_win_over_the_browser_s_alternatives(home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    from sessionpal.ui.app import SessionPalApp

    home.config_file.write_text('[keys]\nnew_client = "f3"\n')
    monkeypatch.setattr(SessionPalApp, "is_web", property(lambda app: True))
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "F3 adds a client" in app.screen.query_one("#client-filter", Input).placeholder
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, NewClientDialog)


async def test_a_client_with_an_unfinished_session_is_marked(demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.core.live import LiveSession
    from sessionpal.core.session_models import FALLBACK_MODEL

    ana = load_client(demo_home.client_file("ana-perez"), "ana-perez")
    left = LiveSession(demo_home, ana, clock, FALLBACK_MODEL, 45)
    left.add_note("the call dropped here")  # and the app was closed without ending it
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#client-list", OptionList)
        prompts = {options.get_option_at_index(i).id: str(options.get_option_at_index(i).prompt) for i in range(options.option_count)}
        assert "unfinished: Enter to resume or close it" in prompts["ana-perez"]
        assert "unfinished" not in prompts["jose-alvarez"]


async def test_the_app_finishes_a_move_a_kill_left_half_done_and_says_so(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hardening 27.1: the session in both clients' folders after a kill; the app finishes the move before it
    opens anyone, and the client list shows the session once, with its right client."""
    import pytest

    from sessionpal.core import moving
    from sessionpal.core.paths import session_paths

    session = session_paths(demo_home, "ana-perez")[0]

    def killed(step: str) -> None:
        if step == "linked":
            raise KeyboardInterrupt  # stands for the kill

    monkeypatch.setattr(moving, "_step", killed)
    with pytest.raises(KeyboardInterrupt):
        moving.move_session(demo_home, session, "jose-alvarez", clock.now())
    monkeypatch.setattr(moving, "_step", lambda step: None)
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert any("finished moving a session from ana-perez to jose-alvarez" in n.message for n in told(app))
    assert session_paths(demo_home, "ana-perez") == [] and len(session_paths(demo_home, "jose-alvarez")) == 1


async def test_the_client_list_s_palette_has_its_own_commands(demo_home: Home, clock: FakeClock) -> None:
    """Issue 26.17: only Textual's system commands were in the client list's palette."""
    from sessionpal.core.clients import load_client

    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"New client", "Review everyone", "Question packs", "Private"} <= set(titles)
        assert any(t.startswith("Engagement: ") for t in titles), "for the highlighted client"
        await pilot.press("ctrl+p", *"engagement", "enter")
        await pilot.pause()
        await pilot.press(*"8", "enter")
        await pilot.pause()
        first = picker_ids(app)[0]
        engagement = load_client(demo_home.client_file(first)).engagement
        assert engagement is not None and engagement.sessions == 8


async def test_back_from_a_session_the_list_is_fresh_and_enter_opens_the_first_client(demo_home: Home, clock: FakeClock) -> None:
    """Found by a coach's look: the old filter stayed (typing 'priya' made 'jamespriya') and the old highlight
    had Enter open another client than the one listed first."""
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"josé", "enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SessionScreen" and session_screen(app).live.client.slug == "jose-alvarez"
        await pilot.press(*"she arrived", "enter", "ctrl+p", *"switch client", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientPickerScreen)
        assert app.screen.query_one("#client-filter", Input).value == ""
        first = picker_ids(app)[0]
        assert app.screen.query_one("#client-list", OptionList).highlighted == 0
        assert first == "jose-alvarez", "most recent first: the session just left open"
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ResumeDialog", "Enter opens the first client listed: José, to resume"


async def test_the_list_reads_every_client_once_at_start(demo_home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two passes over every client side by side (one from mount, one from the screen's first resume) each
    slowed the other and the first paint; one pass, however the screen came to the top."""
    from sessionpal.core import clients as core_clients
    from sessionpal.ui.screens import clients as picker

    passes: list[int | None] = []
    listed = core_clients.list_clients

    def counted(*args: Any, **kwargs: Any) -> Any:
        passes.append(kwargs.get("first"))
        return listed(*args, **kwargs)

    monkeypatch.setattr(picker, "list_clients", counted)
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        assert picker_ids(app) == ["ana-perez", "jose-alvarez", "李雷"]
        assert passes.count(None) == 1, passes


async def test_an_unreadable_client_file_is_told_once_not_at_every_return_to_the_list(demo_home: Home, clock: FakeClock) -> None:
    """Found by a coach's look: the notice came back at each return to the list and stayed over the next
    session's questions. The list itself goes on showing the file as one that cannot be read."""
    broken = demo_home.clients_dir / "broken"
    broken.mkdir()
    (broken / "client.toml").write_text("name = [\n")
    app = make_app(demo_home, clock, client=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        notices = [n for n in told(app) if "cannot be read" in n.title]
        assert len(notices) == 1 and "broken" in picker_ids(app)
        screen = app.screen
        assert isinstance(screen, ClientPickerScreen)
        for _ in range(2):  # what each return to the list does (on_screen_resume)
            screen.load_clients()
            await settle(pilot)
            assert "broken" in picker_ids(app)
        assert len([n for n in told(app) if "cannot be read" in n.title]) == 1
        other = demo_home.clients_dir / "broken-too"
        other.mkdir()
        (other / "client.toml").write_text("name = [\n")
        screen.load_clients()
        await settle(pilot)
        newest = [n for n in told(app) if "cannot be read" in n.title]
        assert len(newest) == 2 and "broken-too" in newest[-1].message and "/broken/" not in newest[-1].message, "a new one is told, alone"


async def test_page_down_and_up_from_the_filter_move_a_screen_of_clients(home: Home, clock: FakeClock) -> None:
    for n in range(60):
        create_client(home, f"Client {n:02d}", 45, date(2026, 9, 1))
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#client-list", OptionList)
        assert options.highlighted == 0 and isinstance(app.focused, Input)
        await pilot.press("pagedown")
        moved = options.highlighted
        assert moved is not None and moved >= 10, "a screenful down"
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        assert options.highlighted == 59, "no further than the last"
        await pilot.press("pageup")
        assert options.highlighted == 59 - moved
        assert isinstance(app.focused, Input), "the typing goes on where it was"


async def test_the_first_screen_read_at_start_is_drawn_at_once_and_the_list_read_after_replaces_it(
    home: Home, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI's child reads the first screen while Textual is imported (core/first_screen.py): the list draws
    what it read at its mount, then reads everyone itself, which is what stays."""
    from sessionpal.core.clients import list_clients
    from sessionpal.core.first_screen import FirstScreen
    from sessionpal.ui.screens import clients as picker

    create_client(home, "Ana Pérez", 60, date(2026, 1, 1))
    told_first = FirstScreen([e for e in list_clients(home) if e.slug == "ana-perez"], [])
    create_client(home, "Li Wei", 60, date(2026, 1, 1))  # after the child's read
    asks: list[float] = []

    def take(timeout: float) -> FirstScreen | None:
        asks.append(timeout)
        return told_first if len(asks) == 1 else None

    monkeypatch.setattr(picker, "take_prefetched", take)
    drawn: list[tuple[bool, list[str]]] = []
    loaded = ClientPickerScreen._loaded

    def spy(screen: ClientPickerScreen, entries: list[Any], conflicts: Any = None, complete: bool = True) -> None:
        loaded(screen, entries, conflicts, complete)
        drawn.append((complete, [str(option.id) for option in screen.query_one("#client-list", OptionList).options]))

    monkeypatch.setattr(ClientPickerScreen, "_loaded", spy)
    app = make_app(home, clock, client=None)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        assert sorted(picker_ids(app)) == ["ana-perez", "li-wei"]
    assert drawn[0] == (False, ["ana-perez"]), "the child's rows, drawn before the list's own look"
    assert drawn[-1][0] and sorted(drawn[-1][1]) == ["ana-perez", "li-wei"], "then everyone, read by the list"
    assert asks == [0], "asked at the mount without waiting; the worker finds the list drawn and asks no more"
