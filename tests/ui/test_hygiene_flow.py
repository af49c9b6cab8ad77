"""Privacy hygiene: files others could read are pointed out; the app never touches the network."""

from __future__ import annotations

import socket
from typing import Any, NoReturn

import pytest

from sessionpal.core.index import SearchIndex
from sessionpal.core.paths import Home
from sessionpal.core.records import exposed_paths
from sessionpal.core.timer import FakeClock
from sessionpal.ui.screens.review import ReviewScreen
from sessionpal.ui.screens.session import SessionScreen

from .conftest import make_app, settle, told
from .test_session_flow import SIZE, type_note


async def test_files_others_can_read_are_pointed_out_with_the_fix(demo_home: Home, clock: FakeClock) -> None:
    # As an unzip or a `cp -r` leaves them: the home open to others, a file readable by them.
    demo_home.root.chmod(0o755)
    (demo_home.root / "notes-from-zoom.txt").write_text("copied in by hand")
    (demo_home.root / "notes-from-zoom.txt").chmod(0o644)
    demo_home.client_file("ana-perez").chmod(0o644)  # behind clients/ (0700): nobody else can reach it
    assert exposed_paths(demo_home) == [demo_home.root, demo_home.root / "notes-from-zoom.txt"]
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        [warning] = [n for n in told(app) if n.title == "Your notes are not private"]
        assert "and 1 more" in warning.message and f'chmod -R go-rwx "{demo_home.root}"' in warning.message


def test_a_home_nobody_else_can_enter_hides_what_it_holds(home: Home) -> None:
    home.root.mkdir(exist_ok=True)
    home.root.chmod(0o700)
    (home.root / "loose.txt").write_text("x")
    (home.root / "loose.txt").chmod(0o644)
    assert exposed_paths(home) == []


async def test_a_private_home_gets_no_warning(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert not [n for n in told(app) if n.title == "Your notes are not private"]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any internet socket, name lookup or connection fails loudly (asyncio's own local socketpair still works)."""
    attempts: list[str] = []

    class Guarded(socket.socket):  # the real one: patched in below
        def __init__(self, family: int = socket.AF_INET, *args: Any, **kwargs: Any) -> None:
            if family in (socket.AF_INET, socket.AF_INET6):
                attempts.append(f"socket({family})")
                raise OSError("the network is off for this test")
            super().__init__(family, *args, **kwargs)

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        attempts.append("lookup or connect")
        raise OSError("the network is off for this test")

    monkeypatch.setattr(socket, "socket", Guarded)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    return attempts


async def test_the_main_flows_open_no_network_connection(demo_home: Home, clock: FakeClock, no_network: list[str]) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        await type_note(pilot, "a note while offline")
        await pilot.press("f4", "f3")  # draw and ask a question
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        app.screen.save_before_exit()
    assert SearchIndex(demo_home).search("offline")
    # The note is in its session file and nowhere else in the home (no log, no error file).
    holding = [p.relative_to(demo_home.root) for p in demo_home.root.rglob("*") if p.is_file() and b"while offline" in p.read_bytes()]
    assert [p.parent.name for p in holding] == ["sessions"], holding
    assert no_network == [], no_network
    assert not [n for n in told(app) if n.severity == "error"]


async def test_no_two_widgets_share_an_id_on_any_screen(demo_home: Home, clock: FakeClock) -> None:
    """Textual refuses a repeated id only among siblings; across panes one query_one("#x") finds the first, and
    one such collision drew a 16-line grey block. Every screen a coach reaches, with its dialogs' screens too."""
    from collections import Counter

    from sessionpal.ui.screens.alignment import AlignmentScreen
    from sessionpal.ui.screens.conflicts import ConflictsScreen
    from sessionpal.ui.screens.help import HelpScreen
    from sessionpal.ui.screens.packs import PacksScreen

    app = make_app(demo_home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = app.screen
        assert isinstance(session, SessionScreen)
        shown: list[str] = []

        def check() -> None:
            screen = app.screen
            ids = Counter(w.id for w in screen.walk_children(with_self=False) if w.id)
            repeated = {i: n for i, n in ids.items() if n > 1}
            assert repeated == {}, f"{type(screen).__name__}: {repeated}"
            shown.append(type(screen).__name__)

        check()
        for screen in (HelpScreen(session), AlignmentScreen(session.live), PacksScreen(), ConflictsScreen(), ReviewScreen(session.live.client)):
            app.push_screen(screen)
            await settle(pilot)
            check()
            app.pop_screen()
            await settle(pilot)
        app.screen.dismiss()
        await settle(pilot)
        check()
        assert shown == ["SessionScreen", "HelpScreen", "AlignmentScreen", "PacksScreen", "ConflictsScreen", "ReviewScreen", "ClientPickerScreen"]
