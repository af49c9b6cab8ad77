"""Every key of the screen underneath (as the coach's keymap has them), the note prefixes and the deck filter."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..context import TypedApp
from ..following import BLIND_CLOSES_THIS, FollowsApp
from ..keys import key_label
from ..widgets.goals import GOAL_KEYS
from ..widgets.notes import LOG_KEYS

PREFIXES = [
    ("=", "the session agreement: what the client wants from today (shown under the timer)"),
    ("!", "an action: goes to the Actions list as - [ ]"),
    ('"', "the client's own words"),
    ("*", "an insight"),
    ("?", "a question you asked in your own words"),
    ("+", "a note for the client: the only notes in a shared recap (sessionpal export-session --share)"),
    ("\\", 'type \\! (or \\", \\*, \\?, \\=, \\+) to start a plain note with that character'),
    ("#tag", "anywhere in a note: #goal-id names a goal, #family an area (→ completes the tag)"),
]

FILTER = [
    ("words", "questions whose text, tags or follow-ups hold every word"),
    ("#tag", "only questions with this tag, e.g. #values"),
    ("@phase", "opening, explore, options, action or closing; @all for every phase"),
    ("", "without @, the deck follows the timer's phase"),
    ("F5 again", "the same filter in every phase (again: back to the timer's phase)"),
    ("Esc", "clears the filter (in the filter, or in the note line)"),
]


NEWS = 5  # the latest news lines F1 shows whole


class HelpScreen(ModalScreen[None], FollowsApp):
    CLOSES_UNDER_BLIND = True  # a view of the client's words: closed when the blind comes down
    pal = TypedApp()

    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="close", tooltip="Close the help"), BLIND_CLOSES_THIS]

    def __init__(self, under: Screen[Any]):
        super().__init__()
        self.under = under

    def _key_lines(self) -> list[Content]:
        keymap = self.pal.active_keys
        bindings = [b for b in [*self.under.BINDINGS, *self.app.BINDINGS] if isinstance(b, Binding)]
        # A command may have two bindings (draw: F4 in the footer, ctrl+d with priority over the note line).
        keys_of: dict[str, list[str]] = {}
        for binding in bindings:
            if binding.id:
                known = keys_of.setdefault(binding.id, [])
                known += [k for k in binding.key.split(",") if k not in known]
        seen: set[str] = set()
        lines = []
        armed = {b.action for b in (*GOAL_KEYS, *LOG_KEYS) if isinstance(b, Binding)}  # listed below, under their lists
        for binding in bindings:
            if not binding.description or binding.id in seen or binding.action in armed:
                continue
            seen.add(binding.id or binding.action)
            keys = keymap.get(binding.id, ",".join(keys_of[binding.id])) if binding.id else binding.key
            # One line for the start/pause/resume key, which changes its label as the session runs.
            description = "Start / pause / resume the timer" if binding.id == "timer" else binding.tooltip or binding.description
            lines.append(Content.from_markup("  [b]$keys[/b]  $what", keys=f"{key_label(keys):<16}", what=description))
        return lines

    def _news_lines(self) -> list[Content]:
        """What the status line said lately, whole (it cuts a long line at the screen's edge), newest first."""
        from ..widgets.status import StatusLine

        said = [item for line in self.under.query(StatusLine) for item in line.said][-NEWS:]
        if not said:
            return []
        lines = [Content.from_markup("[b]Latest news[/b]  [$text-muted](newest first)[/]")]
        if self.pal.private:  # told before the blind came down, it may hold the client's words
            lines.append(Content.from_markup("  [$text-muted]Hidden while Private is on (F9).[/]"))
        else:
            lines += [Content.assemble("  ", (f"{title} · " if title else "", "bold"), message.replace("\n", " · ")) for title, message in reversed(said)]
        return [*lines, Content("")]

    def compose(self) -> ComposeResult:
        lines = self._news_lines()
        lines += [Content.from_markup("[b]Keys[/b]  [$text-muted](they work while you type; change them under $table in config.toml)[/]", table="[keys]")]
        lines += self._key_lines()
        if self.app.is_web:
            from ..keys import BROWSER_NOTE

            lines += [Content.from_markup("  [$text-muted]$note[/]", note=BROWSER_NOTE)]
        lines += [
            Content("  ctrl+p            Command palette: every command by name"),
            Content(""),
            Content.from_markup("[b]Note prefixes[/b]  [$text-muted](start a note with one)[/]"),
        ]
        lines += [Content.from_markup("  [b]$p[/b]  $what", p=f"{p:<16}", what=what) for p, what in PREFIXES]
        lines += [Content(""), Content.from_markup("[b]Deck filter[/b]  [$text-muted](F5)[/]")]
        lines += [Content.from_markup("  [b]$p[/b]  $what", p=f"{p:<16}", what=what) for p, what in FILTER]
        keymap = self.pal.active_keys
        for title, armed in (("Goals sidebar", "F7"), ("Notes log", "F8")):
            lines += [
                Content(""),
                Content.from_markup(f"[b]{title}[/b]  [$text-muted]($armed, then one key; arrows move; Esc or any other key: the note line)[/]", armed=armed),
            ]
            lines += [
                Content.from_markup("  [b]$keys[/b]  $what", keys=f"{key_label(keymap.get(b.id or '', b.key)):<16}", what=b.tooltip)
                for b in (GOAL_KEYS if armed == "F7" else LOG_KEYS)
                if isinstance(b, Binding)
            ]
        with VerticalScroll(classes="dialog help"):
            yield Static(Content("\n").join(lines))

    def action_close(self) -> None:
        self.dismiss(None)
