"""Sync conflicts side by side: the file and the copy another device left, lines that differ
marked; keep one, or merge them by hand in your editor and then keep the file.

Whatever is given up goes into the file's version history (sessionpal versions PATH).
"""

from __future__ import annotations

import difflib
import os
import shlex
import shutil
import subprocess
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.conflicts import Conflict, find_conflicts, keep_copy, keep_original, read_version
from ...core.paths import Home
from ...core.safe_text import visible
from ..changes import attempt
from ..context import TypedApp
from ..dialogs.confirm import ConfirmDialog
from ..widgets.footer import KeysFooter


def marked_sides(left: str, right: str) -> tuple[Content, Content]:
    """Both versions, each line that is not in the other one marked."""
    a, b = left.splitlines(), right.splitlines()
    left_lines: list[Content] = []
    right_lines: list[Content] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        changed = tag != "equal"
        left_lines += [Content.assemble(("▌", "$error") if changed else "  ", (line, "on $error-muted") if changed else line) for line in a[i1:i2]]
        right_lines += [Content.assemble(("▌", "$success") if changed else "  ", (line, "on $success-muted") if changed else line) for line in b[j1:j2]]
    empty = Content.from_markup("[$text-muted](this file is gone: only the copy is left)[/]")
    return (Content("\n").join(left_lines) if a else empty), Content("\n").join(right_lines)


def editor_command() -> list[str] | None:
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return shlex.split(value)
    found = shutil.which("nano") or shutil.which("vi")  # fsio-ok: looks a program up, writes nothing
    return [found] if found else None


class ConflictsScreen(Screen[None]):
    pal = TypedApp()
    CSS_PATH = "conflicts.tcss"  # read when it first opens, not at the app's start

    BINDINGS = [
        Binding("1", "keep_file", "Keep this file", id="conflict_keep_file", tooltip="Keep the file as it is; the copy goes into its version history"),
        Binding("2", "keep_copy", "Keep the copy", id="conflict_keep_copy", tooltip="The copy replaces the file; the file goes into its version history"),
        Binding("e", "edit", "Merge in editor", id="conflict_edit", tooltip="Open both in $EDITOR; merge into the file, then keep it with 1"),
        Binding("escape", "close", "Back", id="conflict_back", tooltip="Back, leaving both as they are"),
    ]

    # What the screen shows, as values: only their watchers draw. `current` is the highlighted pair, and
    # `seen` goes up when the current pair's files may have changed without the pair changing (after an edit).
    conflicts: reactive[tuple[Conflict, ...]] = reactive(())
    current: reactive[Conflict | None] = reactive(None)
    seen: reactive[int] = reactive(0)

    def compose(self) -> ComposeResult:
        yield Static("Sync conflicts · a file and the copy another device left", id="conflicts-title")
        yield OptionList(id="conflict-list")
        with Horizontal(id="conflict-sides"):
            with VerticalScroll(classes="conflict-side"):
                yield Static("This file", classes="conflict-heading", id="left-heading")
                yield Static(id="left")
            with VerticalScroll(classes="conflict-side", id="right-side"):
                yield Static("The copy", classes="conflict-heading", id="right-heading")
                yield Static(id="right")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_conflicts()
        self.query_one("#conflict-list", OptionList).focus()

    def refresh_conflicts(self) -> None:
        self.conflicts = tuple(find_conflicts(self.pal.home))

    def watch_conflicts(self, conflicts: tuple[Conflict, ...]) -> None:
        options = self.query_one("#conflict-list", OptionList)
        options.clear_options()
        options.add_options([Option(c.describe(self.pal.home), id=str(c.copy)) for c in conflicts])
        if conflicts:
            options.highlighted = 0  # its message sets `current`
        self.current = conflicts[0] if conflicts else None
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#conflict-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        self.current = self.conflicts[index] if 0 <= index < len(self.conflicts) else None

    def watch_current(self) -> None:
        self._draw_sides()
        self.refresh_bindings()

    def watch_seen(self) -> None:
        self._draw_sides()

    def _draw_sides(self) -> None:
        conflict = self.current
        if conflict is None:
            self.query_one("#left", Static).update("No sync conflicts: nothing to resolve.")
            self.query_one("#right", Static).update("")
            return
        left, right = marked_sides(read_version(conflict.original), read_version(conflict.copy))
        self.query_one("#left-heading", Static).update(Content.assemble(("This file  ", "bold"), (conflict.original.name, "$text-muted")))
        self.query_one("#right-heading", Static).update(Content.assemble(("The copy  ", "bold"), (visible(conflict.copy.name), "$text-muted")))
        self.query_one("#left", Static).update(left)
        self.query_one("#right", Static).update(right)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("keep_file", "keep_copy", "edit"):
            conflict = self.current
            if conflict is None:
                return False
            if action == "keep_file":
                return conflict.original.exists()
        return True

    def _resolve(self, question: str, resolve: Callable[[Home, Conflict], None]) -> None:
        conflict = self.current
        if conflict is None:
            return

        def answered(answer: str | None) -> None:
            if answer != "yes":
                return
            if attempt(self, "Conflict not resolved", lambda: resolve(self.pal.home, conflict)):
                self.notify(f"Resolved: {visible(conflict.original.name)}. The version given up is in its history (sessionpal versions).", markup=False)
                self.refresh_conflicts()

        self.app.push_screen(ConfirmDialog(question, "Yes", "Cancel", detail="The version given up is kept in the file's version history."), answered)

    def action_keep_file(self) -> None:
        self._resolve("Keep this file as it is, and put the copy away?", keep_original)

    def action_keep_copy(self) -> None:
        self._resolve("Replace this file with the copy?", keep_copy)

    def action_edit(self) -> None:
        conflict = self.current
        command = editor_command()
        if conflict is None:
            return
        if command is None:
            self.notify("No editor found: set $EDITOR (or $VISUAL) to the one you use.", severity="error", markup=False)
            return
        try:
            with self.app.suspend():
                subprocess.run([*command, str(conflict.original), str(conflict.copy)], check=False)
        except (SuspendNotSupported, OSError) as error:  # no terminal to hand over, or no such editor
            self.notify(f"The editor could not be opened here: {error}", severity="error", markup=False)
            return
        self.seen += 1  # the same pair, its files changed by the editor: drawn again
        self.notify("When the file holds what you want, press 1 to keep it and put the copy away.", markup=False)

    def action_close(self) -> None:
        self.dismiss()
