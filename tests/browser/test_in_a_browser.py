"""The app in a real browser: headless Chromium (Debian's package) driven by Playwright.

`python3 dev.py test` installs chromium when it is missing and it can (as root, with apt-get);
where it cannot, these tests are skipped and say why. SESSIONPAL_SCREENSHOTS=DIR keeps the
screenshots there (docs/browser.md's is made so: see its opening).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sessionpal.core.paths import Home, session_paths
from sessionpal.core.sessionfile import SessionDocument
from sessionpal.core.sessions import read_session

from ..ui.conftest import build_demo_home
from .conftest import alive, lock_files, serving, wait_for

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e .[test]")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium here (python3 dev.py test installs it as root with apt-get)")
# Chromium on a closed network: no calls home, no first-run pages.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZE: ViewportSize = {"width": 1280, "height": 760}


@pytest.fixture
def browser() -> Iterator[Browser]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def screenshot(page: Page, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SESSIONPAL_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path))
    return path


def session_of(home: Home, slug: str) -> SessionDocument | None:
    paths = session_paths(home, slug)
    return read_session(paths[-1]) if paths else None


def saved_session(home: Home, slug: str) -> SessionDocument:
    """The client's newest session, which the test has seen written."""
    document = session_of(home, slug)
    assert document is not None
    return document


def written(home: Home, slug: str) -> list[str]:
    """The session's notes and actions, as saved."""
    document = session_of(home, slug)
    return [] if document is None else [n.text for n in document.notes] + [a.text for a in document.actions]


def test_a_short_session_in_a_browser_tab(home: Home, browser: Browser, tmp_path: Path) -> None:
    build_demo_home(home)  # Ana, her goals and last week's session
    with serving(home, "--client", "Ana Pérez") as served:
        page = browser.new_page(viewport=SIZE)
        bare = page.goto(served.origin + "/")
        assert bare is not None and bare.status == 403, "without the link's token: 403, and no app"
        assert served.apps() == []
        page.goto(served.url)
        page.wait_for_selector(".xterm")
        assert wait_for(lambda: lock_files(served.home) != [], timeout=60), "the tab's app opened Ana's session"
        page.wait_for_timeout(1500)  # the first screen drawn
        page.locator(".xterm").click()
        page.keyboard.press("F2")  # start: ctrl+t would open a browser tab, F2 reaches the app
        page.keyboard.type("=Leave the bank by spring, on her terms")
        page.keyboard.press("Enter")
        page.keyboard.type("She talked about her father's expectations")
        page.keyboard.press("Enter")
        page.keyboard.type('"I have been waiting for permission')
        page.keyboard.press("Enter")
        page.keyboard.type("!Draft the list of three options")
        page.keyboard.press("Enter")
        page.keyboard.press("F3")  # the deck's current question, marked asked
        assert wait_for(lambda: "Draft the list of three options" in written(served.home, "ana-perez"), timeout=30), written(served.home, "ana-perez")
        texts = written(served.home, "ana-perez")
        assert "She talked about her father's expectations" in texts
        assert "I have been waiting for permission" in texts and "Draft the list of three options" in texts
        assert saved_session(served.home, "ana-perez").info.agreement == "Leave the bank by spring, on her terms"
        assert wait_for(lambda: saved_session(served.home, "ana-perez").asked != [], timeout=10), "F3 reached the app"
        shot = screenshot(page, "browser-session.png", tmp_path)
        assert shot.stat().st_size > 20_000, "a screen was drawn, not a blank page"
        page.keyboard.press("Control+s")  # F6's ctrl key (a Mac laptop's F-keys need fn): stars the deck's question
        assert wait_for(lambda: "starred" in (served.home.config_file.read_text() if served.home.config_file.exists() else ""), timeout=30)
        page.keyboard.press("Control+e")  # F12's ctrl key, past the browser: asks first (Enter ends), then the summary
        page.keyboard.press("Enter")
        assert wait_for(lambda: saved_session(served.home, "ana-perez").info.is_finished, timeout=30), "the session was ended from the browser"
        apps = served.apps()
        assert served.stop() == 0
        assert alive(apps) == [] and lock_files(served.home) == [], "stopping the server ended the tab's app and let go of Ana"
