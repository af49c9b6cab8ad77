"""The palette's "Screenshot", made safe for a coach's screen: refused behind the privacy blind, and written
0600, never over a file, where the coach says (Textual's own wrote every screen, names and notes included, to
~/Downloads with the umask's mode).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from ..core import fsio
from .changes import when_answered

if TYPE_CHECKING:
    from .app import SessionPalApp


def screenshot_command(app: SessionPalApp) -> SystemCommand:
    return SystemCommand("Screenshot", "Save an SVG picture of the screen (0600, where you choose; not behind the blind)", lambda: take(app))


def take(app: SessionPalApp) -> None:
    if app.private:
        app.notify("Private is on: no screenshot is taken while the blind is down. F9 lifts it.", title="Screenshot", markup=False)
        return
    app.set_timer(0.1, lambda: _taken(app))  # once the palette has closed: the picture is of the screen


def _taken(app: SessionPalApp) -> None:
    if app.private:
        return
    if app.is_web:
        app.deliver_screenshot()  # a download in the browser, which asks where
        return
    svg = app.export_screenshot()
    from platformdirs import user_downloads_dir

    from .dialogs.text import TextDialog

    suggested = Path(user_downloads_dir()) / f"sessionpal {app.clock.now():%Y-%m-%d %H%M%S}.svg"
    app.push_screen(
        TextDialog("Save the screenshot as", "A file that does not exist yet, in a folder that does (it may show a client's notes)", str(suggested)),
        when_answered(lambda where: _save(app, svg, where)),
    )


def _save(app: SessionPalApp, svg: str, where: str) -> None:
    path = Path(where).expanduser()
    if not path.is_absolute():
        path = Path.home() / path
    if not path.parent.is_dir():
        app.notify(f"{path.parent} is not a folder here: nothing was saved.", title="Screenshot not saved", severity="error", markup=False)
        return
    try:
        made = fsio.create_new(path, svg)
    except fsio.WriteError as error:
        app.notify(f"Nothing was saved: {error.reason}", title="Screenshot not saved", severity="error", markup=False)
        return
    if not made:
        app.notify(f"{path} exists already: nothing was saved.", title="Screenshot not saved", severity="error", markup=False)
        return
    app.notify(f"Saved {path} (only you can read it).", title="Screenshot", markup=False)
