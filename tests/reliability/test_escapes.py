"""Terminal escape injection: nothing read from the data home reaches a terminal as a control character.

The same hostile strings go into every place a coach's data can come from (a client's name and contact,
a goal, a session's agreement and notes, a pack's title and question, a pack's file name, a sync tool's
copy), then every output path runs: each CLI command that prints them, to a pipe, and the app's screens.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from sessionpal.core.clients import ClientEditError, create_client
from sessionpal.core.live import LiveSession
from sessionpal.core.pack_edit import PackEditError, add_question, new_pack
from sessionpal.core.paths import Home
from sessionpal.core.safe_text import CONTROL, csv_cell, visible
from sessionpal.core.session_models import FALLBACK_MODEL
from sessionpal.core.timer import FakeClock

from ..cli.test_cli import run
from ..helpers import START

# Clear the screen, retitle the window, write the clipboard (OSC 52), reverse the text, ring, backspace,
# return, NUL, and the one-byte CSI of C1.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\u202eevil\x08\r\x00\x9b"
IN_TOML = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in HOSTILE)  # how a script would write it in TOML


def clean(output: str) -> bool:
    return CONTROL.search(output.replace("\n", "")) is None


@pytest.fixture
def hostile_home(home: Home) -> Home:
    client = create_client(home, "Ana", 45, date(2026, 10, 1))
    text = client.path.read_text().replace('name = "Ana"', f'name = "Ana{IN_TOML}"')
    text += f'contact = "=HYPERLINK(\\"http://x\\"){IN_TOML}"\n'
    text += "log_name = true\n"
    text += f'\n[[goals]]\nid = "run"\ntitle = "Run{IN_TOML}"\nstatus = "active"\n'
    client.path.write_text(text)
    live = LiveSession(home, client, FakeClock(START), FALLBACK_MODEL, 45)
    live.add_note("the courage to ask")
    live.end()
    assert live.path is not None
    session = live.path.read_text()
    session = session.replace('timer = "ended"', f'timer = "ended"\nagreement = "Decide{IN_TOML}"')
    session = session.replace("the courage to ask", "the courage to ask" + HOSTILE)  # raw bytes in Markdown, as a script might leave
    session += f"\n## Actions\n\n- [ ] call back{HOSTILE}\n"
    live.path.write_text(session)
    pack = new_pack(home, "mine", "Mine")
    pack.path.write_text(
        pack.path.read_text().replace('title = "Mine"', f'title = "Mine{IN_TOML}"').replace("What matters most", f"What matters{IN_TOML} most")
    )
    (home.prompts_dir / "bad\x1b[2Jname.toml").write_text("[pack]\nid = 'x'\n")
    (live.path.parent / (live.path.stem + ".sync-conflict-20261123-\x1b[2J.md")).write_text(session)
    return home


@pytest.mark.parametrize(
    "command",
    [
        ["clients"],
        ["search", "courage"],
        ["packs", "list"],
        ["packs", "check"],
        ["log", "icf"],
        ["export-session", "SESSION", "--share"],
        ["erase", "ana", "--yes"],
        ["no-such-command\x1b[2J"],
    ],
    ids=lambda c: c[0].replace("\x1b", "ESC"),
)
def test_no_command_prints_a_control_character(hostile_home: Home, command: list[str]) -> None:
    from sessionpal.core.paths import session_paths

    session = str(session_paths(hostile_home, "ana")[0])
    result = run(*[session if part == "SESSION" else part for part in command], home=hostile_home.root)
    assert result.stdout + result.stderr, "it printed something"
    assert clean(result.stdout), repr(result.stdout)
    assert clean(result.stderr), repr(result.stderr)
    if command[0] == "clients":
        assert "Ana␛[2J␛]0;pwned␇" in result.stdout, "shown, not dropped: the coach sees something is wrong"


def test_the_icf_log_keeps_formulas_as_text(hostile_home: Home) -> None:
    result = run("log", "icf", home=hostile_home.root)
    rows = list(csv.reader(io.StringIO(result.stdout)))
    contact = rows[1][1]
    assert contact.startswith("'=HYPERLINK"), "a spreadsheet shows it, never runs it"
    assert all(cell[:1] not in "=+-@" for row in rows for cell in row if cell)
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)" and csv_cell("plain") == "plain"


def test_names_titles_and_pack_text_with_control_characters_are_refused(home: Home, tmp_path: Path) -> None:
    with pytest.raises(ClientEditError, match=r"cannot hold control characters \(U\+001B\)"):
        create_client(home, "Ana\x1b[2J")
    with pytest.raises(PackEditError, match="cannot hold control characters"):
        new_pack(home, "mine", "Mine\x01")
    assert not (home.prompts_dir / "mine.toml").exists(), "no half-made pack is left"
    pack = new_pack(home, "mine", "Mine")
    with pytest.raises(PackEditError, match="U\\+202E"):
        add_question(pack.path, "What\u202e else?")
    result = run("packs", "new", "other", "--title", "Mine\x01", home=home.root)
    assert result.returncode != 0 and "cannot hold control characters (U+0001)" in result.stderr
    assert not (home.prompts_dir / "other.toml").exists()
    assert create_client(home, "Ana\nPérez").name == "Ana Pérez", "a pasted line break is only a space"


def test_visible_changes_only_control_characters() -> None:
    assert visible("José 李雷 ✓ tab\there") == "José 李雷 ✓ tab\there"
    assert visible(HOSTILE) == "␛[2J␛]0;pwned␇␛]52;c;ZXZpbA==␇⟨U+202E⟩evil␈␍␀⟨U+009B⟩"
    assert visible("a\nb") == "a␊b" and visible("a\nb", keep="\n") == "a\nb"


async def test_the_app_shows_the_hostile_home_without_sending_a_control_character(hostile_home: Home, clock: FakeClock) -> None:
    from ..ui.conftest import make_app, settle

    app = make_app(hostile_home, clock, client=None)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screens = [app.export_screenshot()]  # the client list
        await pilot.press("enter")  # Ana's session: name, goal, the last time card with the note and action
        await settle(pilot)
        screens.append(app.export_screenshot())
        await pilot.press("ctrl+y")  # the review
        await settle(pilot)
        screens.append(app.export_screenshot())
        await pilot.press("escape", "ctrl+o")  # the pack editor
        await settle(pilot)
        screens.append(app.export_screenshot())
    for svg in screens:
        text = re.sub(r"<[^>]+>", "", svg)
        assert clean(text), [m.group() for m in CONTROL.finditer(text.replace("\n", ""))][:5]
    assert "Ana␛[2J" in re.sub(r"<[^>]+>", "", screens[0]).replace("&#160;", " ")
