"""What keeps coming up with one client: their words, the actions that keep coming back, the themes by month, the
goals no note names lately, and their energy (docs/patterns.md).

Opened from a session (ctrl+k, or the palette) or from the client list for the highlighted client; never under
the privacy blind. Everything is read from the search index in a thread worker (core/patterns.py): the first
frame has the panes and "Reading…", the next one the client's patterns, and no session file is opened on the UI
thread. Imported only when opened: a session's first frame never loads it (tests/ui/test_first_frame.py).

From a live session the screen answers with what the session does next (a PatternsAnswer): a quote put into the
note line as an insight (q), or the playbook's real-reason questions in the deck (r). From the client list, r
lists those questions here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from ...core.index import IndexUnavailable
from ...core.model import Client
from ...core.patterns import Patterns, read_patterns
from ...core.words import without_tags
from ..context import TypedApp
from ..following import BLIND_CLOSES_THIS, FollowsApp
from ..widgets.footer import KeysFooter
from ..widgets.patterns import CarriedPane, EnergyPane, ThemesPane, WordsPane

if TYPE_CHECKING:
    from ..app import SessionPalApp

REFLECTION = '* You said earlier: "{}"'  # the note line's words for a quote reflected back: an insight note
REASON_TAGS = ("stalled", "reason")  # the playbook's "find the real reason" questions, as the deck filter finds them


class PatternsAnswer(Struct, frozen=True):
    """What a live session does when the view closes: words for the note line, or a filter for the deck."""

    note: str = ""
    deck_filter: str = ""


def reflection(text: str) -> str:
    """The quote as the note line's insight. Its #tags are left out: written again today they would count once
    more in this month's themes, and as the goal named today (the stalled rule's evidence)."""
    words = " ".join(without_tags(text).split()) or " ".join(text.split())
    return REFLECTION.format(words)


class PatternsScreen(Screen[PatternsAnswer | None], FollowsApp):
    pal = TypedApp()
    CLOSES_UNDER_BLIND = True

    DEFAULT_CSS = """
    PatternsScreen { layout: vertical; }
    PatternsScreen > #patterns-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    PatternsScreen > #patterns-problems { display: none; color: $text-warning; padding: 0 1; }
    PatternsScreen > #patterns-problems.-visible { display: block; }
    PatternsScreen > #patterns-columns { height: 1fr; }
    PatternsScreen #patterns-side { width: 2fr; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="patterns_back", tooltip="Back to where you were"),
        Binding("slash", "filter", "Filter", id="patterns_filter", tooltip="Keep the quotes with these words, or a #tag"),
        Binding("q", "reflect", "Reflect", id="patterns_reflect", tooltip='Put the quote in the note line: * You said earlier: "…"'),
        Binding("r", "reason", "Real reason", id="patterns_reason", tooltip="The stalled-goal playbook's questions to find the real reason"),
        BLIND_CLOSES_THIS,  # F9 while sharing the screen closes the view at once (CLOSES_UNDER_BLIND)
    ]

    patterns: var[Patterns | None] = var(None, init=False)

    def __init__(self, client: Client, *, current: Path | None = None, live: bool = False) -> None:
        super().__init__()
        self.client = client
        self.current = current  # the session in progress, if opened from one
        self.live = live  # opened from a session that can still take a note: q and r answer it

    def compose(self) -> ComposeResult:
        yield Static(f"What keeps coming up · {self.client.name}", id="patterns-title", markup=False)
        yield Static("", id="patterns-problems", markup=False)
        with Horizontal(id="patterns-columns"):
            yield WordsPane(id="words-pane").data_bind(patterns=PatternsScreen.patterns)
            with Vertical(id="patterns-side"):
                yield CarriedPane(id="carried-pane").data_bind(patterns=PatternsScreen.patterns)
                yield ThemesPane(id="themes-pane").data_bind(patterns=PatternsScreen.patterns)
                yield EnergyPane(id="energy-pane").data_bind(patterns=PatternsScreen.patterns)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#words", OptionList).focus()
        if self.pal.private:  # the blind came down between the key that opened this and now
            self.dismiss(None)
            return
        # What was read last (by the session's last-time card, or an earlier opening) is shown at once; the
        # index is read again behind it, and a note or a session added since shows when that read is in.
        known = self.pal.patterns_read.get(self.client.slug)
        if known is not None:
            self.patterns = known
            # Read again once that is drawn: a read beside the first frame (Python, holding the GIL) doubled it.
            self.call_after_refresh(self.read)
        else:
            self.read()

    @work(thread=True, exclusive=True, group="patterns")
    def read(self) -> None:
        pal = self.pal
        try:
            found = read_patterns(pal.home, self.client, pal.clock.now().date(), pal.config.stalled_after, current=self.current)
        except IndexUnavailable as error:
            self.app.call_from_thread(self.notify, str(error), title="Patterns not read", severity="error", timeout=15, markup=False)
            return
        self.pal.patterns_read[self.client.slug] = found
        self.app.call_from_thread(setattr, self, "patterns", found)

    def watch_patterns(self, found: Patterns | None) -> None:
        if found is None:
            return
        problems = self.query_one("#patterns-problems", Static)
        if found.problems:
            problems.update(f"{len(found.problems)} session file(s) cannot be read and are left out: {found.problems[0]}")
        problems.set_class(bool(found.problems), "-visible")
        title = f"What keeps coming up · {self.client.name} · {found.sessions} session{'s' if found.sessions != 1 else ''}"
        self.query_one("#patterns-title", Static).update(title)

    # keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reflect", "reason") and isinstance(self.focused, Input):
            return False  # typed into the filter
        if action == "reflect":
            return self.live
        return True

    def action_close(self) -> None:
        if self.focused is not None and self.focused.id == "reason-box":
            # Esc from the real-reason questions puts them away and goes back to the quotes; a second closes.
            self.query_one(CarriedPane).questions = ()
            self.query_one("#words", OptionList).focus()
            return
        if isinstance(self.focused, Input):
            # Esc in the filter clears it and goes back to the list; a second Esc closes the view.
            self.query_one("#words-filter", Input).value = ""
            self.query_one(WordsPane).remove_class("-filtering")
            self.query_one("#words", OptionList).focus()
            return
        self.dismiss(None)

    def action_filter(self) -> None:
        pane = self.query_one(WordsPane)
        pane.add_class("-filtering")
        # At once, not at the next turn as focus() does: the word typed right after / goes into the filter,
        # and its r or q is not taken as the view's key.
        self.set_focus(self.query_one("#words-filter", Input))

    @on(Input.Changed, "#words-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(WordsPane).wanted = event.value

    @on(Input.Submitted, "#words-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one("#words", OptionList).focus()

    @on(OptionList.OptionSelected, "#words")
    def _open_quote(self, event: OptionList.OptionSelected) -> None:
        quote = self.query_one(WordsPane).current()
        if quote is None:
            return
        from .session_view import SessionViewScreen

        self.app.push_screen(SessionViewScreen(quote.path, self.client.name, quote.stamp, quote.text))

    def action_reflect(self) -> None:
        quote = self.query_one(WordsPane).current()
        if quote is None:
            self.notify("No quote to reflect yet.", markup=False)
            return
        self.dismiss(PatternsAnswer(note=reflection(quote.text)))

    def action_reason(self) -> None:
        from .goal_flow import PLAYBOOK_FILTER

        if self.live:
            self.dismiss(PatternsAnswer(deck_filter=PLAYBOOK_FILTER))
            return
        self.list_reason_questions()

    @work(thread=True, exclusive=True, group="reason")
    def list_reason_questions(self) -> None:
        from ...core.packs import load_library

        library = self.pal.packs or load_library(self.pal.home)
        hidden = set(self.pal.config.hidden)
        found = tuple(q.text for q in library.questions(hidden) if all(tag in q.tags for tag in REASON_TAGS))
        self.app.call_from_thread(self._reason_listed, found)

    def _reason_listed(self, questions: tuple[str, ...]) -> None:
        if not questions:
            self.notify("No question in your packs is tagged #stalled #reason.", markup=False)
        self.query_one(CarriedPane).questions = questions
        if questions:
            self.query_one("#reason-box").focus()  # ↑ ↓ scroll them; Esc puts them away


def open_patterns(
    app: SessionPalApp, client: Client, *, current: Path | None = None, live: bool = False, answered: Callable[[PatternsAnswer | None], None] | None = None
) -> bool:
    """Push the view for `client`, unless the privacy blind is down (then the coach is told why, as the review
    does). True if opened."""
    if app.private:
        app.notify("Private is on: the client's patterns stay hidden. F9 shows them.", timeout=4, markup=False)
        return False
    app.push_screen(PatternsScreen(client, current=current, live=live), answered)
    return True
