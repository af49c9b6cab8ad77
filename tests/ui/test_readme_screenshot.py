"""The README's picture: the session screen in a terminal, 140x45, with the fixed demo data and clock.

Skipped unless SESSIONPAL_SCREENSHOTS=DIR is set; then it writes DIR/terminal-session.svg (Textual's own
screenshot) and, where chromium is installed, DIR/terminal-session.png from it. The README's is made so:

    SESSIONPAL_SCREENSHOTS=docs/images .venv/bin/python -m pytest -p no:randomly tests/ui/test_readme_screenshot.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sessionpal.core.paths import Home
from sessionpal.core.timer import FakeClock

from .conftest import make_app, session_screen, settle

FOLDER = os.environ.get("SESSIONPAL_SCREENSHOTS")
NAME = "terminal-session"

pytestmark = pytest.mark.skipif(not FOLDER, reason="makes the README's screenshot: set SESSIONPAL_SCREENSHOTS=DIR")


def svg_to_png(svg: Path, png: Path) -> None:
    """Chromium draws the SVG at its own size (its viewBox), so the picture is the terminal, cell for cell."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.read_text())
    assert found, "Textual's SVG has a viewBox"
    width, height = (round(float(n)) for n in found.groups())
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            svg.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


async def test_the_readme_screenshot(demo_home: Home, clock: FakeClock) -> None:
    app = make_app(demo_home, clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # the session starts: the last-time card folds away
        await settle(pilot)
        for advance, typed in (
            (0, "=clarity on the offer before Friday"),
            (30, "wants to talk about the offer"),
            (100, '"I am scared of saying yes'),
            (400, "*money is not the real issue"),
            (90, "?what would make it a yes"),
            (200, "!ask Marta about part-time by Friday"),
        ):
            clock.advance(advance)
            await pilot.press(*typed, "enter")
        clock.advance(60)
        await pilot.press("f3")  # the deck's question, marked asked
        clock.advance(24 * 60)
        session_screen(pilot.app).upkeep.tick()
        await settle(pilot)
        assert session_screen(pilot.app).live.started
        folder = Path(FOLDER or ".")
        folder.mkdir(parents=True, exist_ok=True)
        svg = folder / f"{NAME}.svg"
        svg.write_text(app.export_screenshot(title="sessionpal"))
    svg_to_png(svg, folder / f"{NAME}.png")
