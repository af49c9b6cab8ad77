"""Screens as the coach sees them, at 80x24, 120x36 and 140x45, with a fixed clock and fixed data.

Review tests/ui/__snapshots__/ (or snapshot_report.html after a failure) before
running with --snapshot-update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock

from .conftest import SnapCompare, make_app, session_screen, settle


def during_session(clock: FakeClock) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A session 38 minutes in (7 minutes left of 45): every kind of note, an asked question."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for advance, typed in (
            (0, "wants to talk about the offer"),
            (130, '"I am scared of saying yes'),
            (400, "*money is not the real issue"),
            (90, "?what would make it a yes"),
            (200, "!ask Marta about part-time"),
        ):
            clock.advance(advance)
            await pilot.press(*typed, "enter")
        clock.advance(60)
        await pilot.press("f3")
        clock.advance(38 * 60 - 880)
        session_screen(pilot.app).upkeep.tick()
        await settle(pilot)

    return run_before


def test_session_before_it_starts_140x45(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    assert snap_compare(make_app(demo_home, clock), terminal_size=(140, 45), run_before=settle)


def with_a_full_card(home: Home) -> None:
    """Ana's last session with five open actions: the card holds more than its room (issue 26.4)."""
    from sessionpal.core.paths import session_paths

    last = session_paths(home, "ana-perez")[-1]
    more = "".join(f"- [ ] [00:1{i}:00] an action she named in her own words, number {i}, by Friday\n" for i in range(3))
    last.write_text(last.read_text().replace("- [ ] [00:08:00] book a physio appointment\n", "- [ ] [00:08:00] book a physio appointment\n" + more))


def typed_over_a_full_card(pilot: Pilot[Any]) -> Awaitable[None]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*"test")
        await pilot.pause()

    return run_before(pilot)


def test_the_note_line_whole_under_a_full_card_120x36(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    with_a_full_card(demo_home)
    assert snap_compare(make_app(demo_home, clock), terminal_size=(120, 36), run_before=typed_over_a_full_card)


def test_the_note_line_whole_under_a_full_card_80x24(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    with_a_full_card(demo_home)
    assert snap_compare(make_app(demo_home, clock), terminal_size=(80, 24), run_before=typed_over_a_full_card)


def test_session_in_progress_140x45(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    assert snap_compare(make_app(demo_home, clock), terminal_size=(140, 45), run_before=during_session(clock))


def test_session_in_progress_80x24(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    assert snap_compare(make_app(demo_home, clock), terminal_size=(80, 24), run_before=during_session(clock))


def test_session_in_progress_light_theme_140x45(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    steps = during_session(clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        app.theme = "textual-light"
        await steps(pilot)

    assert snap_compare(app, terminal_size=(140, 45), run_before=run_before)


def test_privacy_mode_80x24(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    steps = during_session(clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        await steps(pilot)
        await pilot.press("f9")
        await pilot.pause()

    assert snap_compare(make_app(demo_home, clock), terminal_size=(80, 24), run_before=run_before)


def test_client_picker_80x24(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    assert snap_compare(make_app(demo_home, clock, client=None), terminal_size=(80, 24), run_before=settle)


def test_goals_sidebar_with_trends_and_a_stalled_goal_140x45(snap_compare: SnapCompare, history_home: Home, clock: FakeClock) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*"=Decide whether to pitch the project at work", "enter")
        await pilot.press("f7", "down")
        await settle(pilot)

    assert snap_compare(make_app(history_home, clock, client="Ben Okafor"), terminal_size=(140, 45), run_before=run_before)


def test_alignment_view_140x45(snap_compare: SnapCompare, history_home: Home, clock: FakeClock) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f7", "l")
        await settle(pilot)

    assert snap_compare(make_app(history_home, clock, client="Ben Okafor"), terminal_size=(140, 45), run_before=run_before)


def test_pack_editor_140x45(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    from sessionpal.core import pack_edit

    pack_edit.new_pack(demo_home, "career-moves", "Career moves")
    steps = pressing(("ctrl+o",), ("down", "down", "enter"))
    assert snap_compare(make_app(demo_home, clock, client=None), terminal_size=(140, 45), run_before=steps)


def pressing(*steps: tuple[str, ...]) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that presses each group of keys in turn, letting the app settle after each."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for keys in steps:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


def test_review_of_one_client_140x45(snap_compare: SnapCompare, history_home: Home, clock: FakeClock) -> None:
    assert snap_compare(make_app(history_home, clock, client="Ben Okafor"), terminal_size=(140, 45), run_before=pressing(("ctrl+y",)))


# Every screen and dialog a coach meets at 80x24, the smallest terminal we promise.


def test_session_before_it_starts_80x24(snap_compare: SnapCompare, history_home: Home, clock: FakeClock) -> None:
    """The "last time" card with open actions, last notes and goals, under a stalled-goal offer."""
    assert snap_compare(make_app(history_home, clock, client="Ben Okafor"), terminal_size=(80, 24), run_before=settle)


def test_goal_menu_80x24(snap_compare: SnapCompare, history_home: Home, clock: FakeClock) -> None:
    # At 80 columns F7 is a goal picker; the stalled goal's menu has the playbook too. Then to its last item:
    # the list scrolls and the highlight stays in sight.
    steps = pressing(("f7", "down", "enter"), ("down",) * 12)
    assert snap_compare(make_app(history_home, clock, client="Ben Okafor"), terminal_size=(80, 24), run_before=steps)


def test_review_of_one_client_80x24(snap_compare: SnapCompare, history_home: Home, clock: FakeClock) -> None:
    assert snap_compare(make_app(history_home, clock, client="Ben Okafor"), terminal_size=(80, 24), run_before=pressing(("ctrl+y",)))


def test_pack_editor_80x24(snap_compare: SnapCompare, demo_home: Home, clock: FakeClock) -> None:
    steps = pressing(("ctrl+o",), ("down", "down", "enter"))
    assert snap_compare(make_app(demo_home, clock, client=None), terminal_size=(80, 24), run_before=steps)
