"""The question deck on the session screen: a DeckFlow the screen owns.

The flow builds the deck from the packs and the client's question history,
rebuilds it when packs change, and carries out the deck's keys (asked, draw,
filter, star). A change to a file goes through the screen's one funnel; what
the deck pane shows, the pane draws.
"""

from __future__ import annotations

import gc
import random
from datetime import date
from typing import TYPE_CHECKING, Protocol

from ...core.config import set_starred
from ...core.deck import Deck
from ...core.history import ClientHistory
from ...core.packs import PackLibrary
from ..changes import attempt
from ..widgets.deck import DeckFilter, DeckPane
from .host import SessionHost

if TYPE_CHECKING:
    from textual.widget import Widget


class DeckHost(SessionHost, Protocol):
    """What the flow needs of the session screen."""

    @property
    def deck(self) -> DeckPane: ...

    @property
    def focused(self) -> Widget | None: ...

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None: ...


class DeckFlow:
    def __init__(self, screen: DeckHost):
        self.screen = screen
        self.asked_before: dict[str, date] = {}  # deck questions asked of this client before, with the last date
        self.rng = random.Random()

    @property
    def deck(self) -> DeckPane:
        return self.screen.deck

    # the deck, built and rebuilt -----------------------------------------------------

    def loaded(self, packs: PackLibrary, history: ClientHistory) -> None:
        """The packs and the client's history, read in a worker: the deck is made from them."""
        pal = self.screen.pal
        first_time = pal.packs is None
        if first_time:
            # What is loaded now (modules, thousands of questions) lives as long as the app: out of the
            # collector's sight, a full collection no longer stalls a keystroke for tens of milliseconds.
            gc.freeze()
        pal.packs = packs
        if packs.problems and first_time:
            files = sorted({p.path for p in packs.problems})
            self.screen.notify(
                "\n".join(str(p) for p in packs.problems),
                title=f"{len(files)} pack file(s) skipped; the rest are loaded",
                severity="warning",
                timeout=20,
                markup=False,
            )
        self.asked_before = history.asked
        self.build()

    def build(self) -> None:
        pal = self.screen.pal
        packs = pal.packs
        assert packs is not None
        offered = packs.questions(pal.config.hidden)
        deck = Deck(
            offered,
            starred=set(pal.config.starred),
            asked_before=self.asked_before,
            asked_now=self.screen.live.asked_refs(),
            hidden=len(packs.questions(())) - len(offered),
        )
        titles = {pack.id: pack.title for pack in packs.packs.values()}
        self.deck.set_deck(deck, pal.clock.now().date(), titles)

    def packs_changed(self) -> None:
        """Packs were reloaded: the deck again, on the question it showed."""
        if self.deck.deck is not None and self.screen.pal.packs is not None:
            current = self.deck.current.ref if self.deck.current else None
            self.build()
            if current:
                self.deck.show_question(current)

    # the deck's keys -------------------------------------------------------------------

    def ask(self) -> None:
        question = self.deck.current
        if question is None:
            self.screen.notify("No question is showing: change the filter (F5).", markup=False)
            return
        self.screen.change("Question not recorded", lambda: self.screen.live.mark_asked(question), done=lambda: self.deck.mark_asked(question))

    def draw(self) -> None:
        if self.deck.draw(self.rng) is None:
            self.screen.notify("Every question in this filter has been asked this session. Widen it with F5 (@all).", markup=False)

    def find(self) -> None:
        """F5: to the filter; again (or when nothing matches in this phase but some do elsewhere): every phase."""
        deck_filter = self.deck.query_one(DeckFilter)
        if self.screen.focused is deck_filter or (not self.deck.shown and self.deck.elsewhere):
            self.deck.widen()
        self.screen.set_focus(deck_filter)

    def star(self) -> None:
        question, deck = self.deck.current, self.deck.deck
        if question is None or deck is None:
            return
        starred = question.ref not in deck.starred
        refs: list[tuple[str, ...]] = []
        pal = self.screen.pal
        if attempt(self.screen, "Star not saved", lambda: refs.append(set_starred(pal.home, question.ref, starred))):
            pal.update_config(starred=refs[0])  # the next session's deck starts from this
            self.deck.set_starred(set(refs[0]))
            self.screen.notify(("Starred: " if starred else "Unstarred: ") + question.text, markup=False)
