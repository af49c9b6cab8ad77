"""The question deck: the current question in large text, its follow-ups, and the filtered list.

The pane is told the timer's phase and follows it, unless the coach picked a
phase with `@phase` in the filter. It never writes anything: starring and
marking asked are the screen's job (through the core).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, var
from textual.widgets import Input, Static

from ...core.deck import ALL_PHASES, Deck, DeckQuery, asked_ago
from ...core.model import Phase, Question
from .ordered_input import OrderedInput
from .question_list import QuestionList


class DeckFilter(OrderedInput):
    """The deck's filter line; up/down move through the list while typing."""

    # Input sets its virtual size (the typed text's width) on every keystroke, and Widget's
    # reactive lays the whole screen out for it. The line's own size never changes (height 1,
    # width from the pane), and scrolling reads the virtual size directly: a repaint is enough.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("up", "move(-1)", "Previous question", id="filter_previous", show=False, tooltip="Previous question in the filtered deck"),
        Binding("down", "move(1)", "Next question", id="filter_next", show=False, tooltip="Next question in the filtered deck"),
        Binding("enter", "done", "Done", id="filter_done", show=False, tooltip="Keep this filter and go back to the note line"),
        Binding(
            "escape",
            "clear",
            "Clear",
            id="filter_clear",
            show=False,
            tooltip="Clear the filter (the deck follows the timer again) and go back to the note line",
        ),
    ]

    class Clear(Message):
        """The coach cleared the filter: the deck follows the timer's phase again."""

    class Done(Message):
        """The coach is done filtering: focus goes back to the note."""

    class Move(Message):
        def __init__(self, delta: int):
            super().__init__()
            self.delta = delta

    def action_move(self, delta: int) -> None:
        self.post_message(self.Move(delta))

    def action_done(self) -> None:
        self.post_message(self.Done())

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(self.Clear())


class DeckPane(Vertical):
    """The deck. `timer_phase` and `offer` are bound from the session screen; `current` (the question in
    large text, highlighted in the list) is the pane's own state: setting it draws it."""

    DEFAULT_CSS = """
    DeckPane {
        height: 2fr;
        max-height: 22;
        border-bottom: hkey $panel-lighten-2;
        #deck-offer { display: none; height: auto; padding: 0 1; color: $text-warning; }
        #deck-offer.-visible { display: block; }
        #question { padding: 0 1 0 2; margin: 0 1; border-left: thick $accent; text-style: bold; height: auto; min-height: 1; }
        #follow-ups { padding: 0 1 0 3; color: $text-muted; height: auto; }
        #question-meta { padding: 0 1 0 3; height: 1; }
        #deck-filter { margin: 0 1; height: 1; border: none; padding: 0 1; background: $boost; }
        #deck-filter:focus { background: $primary-muted; }
        /* a filter kept after Enter: the deck no longer follows the timer, and that must show */
        &.-filtered #deck-filter { background: $warning-muted; }
        #deck-list { height: 1fr; border: none; background: transparent; }
    }
    """

    timer_phase: var[Phase | None] = var(None, init=False)
    offer: var[str] = var("", init=False)
    current: var[Question | None] = var(None, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deck: Deck | None = None
        self.query_text = ""
        self.shown: list[Question] = []
        self.today: date | None = None
        self.pack_titles: dict[str, str] = {}
        self.elsewhere = 0  # questions the filter finds in other phases only
        self.keys = {"widen": "F5", "clear": "Esc"}  # as the coach's keymap names them (the screen keeps this right)
        # While the coach types in the filter, the question and its follow-ups keep the most lines they have had (by
        # id): a keystroke that brings a shorter question repaints them, blank lines kept below it, and never lays
        # the screen out again (the list under them stays still). None when the coach is not typing in the filter.
        self._held: dict[str, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Questions", id="deck-title", classes="pane-title")
        yield Static(id="deck-offer")
        yield Static("Loading questions…", id="question")
        yield Static(id="follow-ups")
        yield Static(id="question-meta")
        yield DeckFilter(placeholder="Filter: words  #tag  @phase  @all", id="deck-filter")
        yield QuestionList[Question](self._option_prompt, id="deck-list")

    # data in ----------------------------------------------------------------

    def set_deck(self, deck: Deck, today: date, pack_titles: dict[str, str]) -> None:
        self.deck, self.today, self.pack_titles = deck, today, pack_titles
        self.refilter(keep_current=False, redraw=True)  # a reloaded pack may reword a question

    def watch_timer_phase(self) -> None:
        if self.deck is not None and DeckQuery.parse(self.query_text).phase is None:
            self.refilter(keep_current=False)

    def watch_current(self) -> None:
        self._highlight()
        self._show_current()

    def watch_offer(self, text: str) -> None:
        """A line above the question: what the deck has for this moment (e.g. a goal that may be stalled)."""
        offer = self.query_one("#deck-offer", Static)
        offer.update(text)
        offer.set_class(bool(text), "-visible")

    def refilter(self, keep_current: bool = True, redraw: bool = False) -> None:
        """Show the questions for the filter; redraw when their lines changed (a star, say)."""
        if self.deck is None:
            return
        query = DeckQuery.parse(self.query_text)
        self.shown = self.deck.matching(query, self.timer_phase)
        elsewhere = self.deck.in_other_phases(query, self.timer_phase, here=0) if not self.shown and self.filtered else 0
        changed_hint = elsewhere != self.elsewhere
        self.elsewhere = elsewhere
        if self.has_class("-filtered") != self.filtered:
            # Only the filter line (and, on a short screen, the title: app.tcss) look different with the class:
            # those are restyled, not every line of the pane (9 ms of the first keystroke; the filter line is 2).
            self.set_class(self.filtered, "-filtered", update=False)
            self.query_one("#deck-filter").update_node_styles()
            if self.screen.has_class("-short"):
                self.query_one("#deck-title").update_node_styles()
        before = self.current
        previous = self.current if keep_current else None
        # Set without its watcher: the list must hold the new questions before the highlight moves.
        self.set_reactive(DeckPane.current, previous if self._index_of(previous) is not None else (self.shown[0] if self.shown else None))
        listed = self.query_one("#deck-list", QuestionList)
        with self.app.batch_update():
            if redraw or listed.items != self.shown:
                listed.show(self.shown, self._index_of(self.current))
            elif self.current is not before:
                self._highlight()
            if redraw or self.current is not before or (self.current is None and (changed_hint or self.filtered)):
                self._show_current()
            self._show_title(query)

    def set_filter(self, text: str) -> None:
        """Show the questions for a filter (what the coach would type after F5)."""
        self.query_one("#deck-filter", Input).value = text  # its watcher refilters

    @property
    def filtered(self) -> bool:
        return bool(self.query_text.strip())

    def clear_filter(self) -> None:
        self.set_filter("")

    def widen(self) -> None:
        """The same filter in every phase, or (when it already is) back to following the timer."""
        tokens = self.query_text.split()
        phases = [t for t in tokens if t.startswith("@") and DeckQuery.parse(t).phase is not None]
        rest = [t for t in tokens if t not in phases]
        widened = DeckQuery.parse(self.query_text).phase == ALL_PHASES
        self.set_filter(" ".join(rest) if widened else " ".join([*rest, "@all"]) + " ")

    def show_question(self, ref: str) -> bool:
        """Make one question current, widening the filter to every phase if it is not shown."""
        if self.deck is None:
            return False
        question = next((q for q in self.deck.questions if q.ref == ref), None)
        if question is None:
            return False
        if self._index_of(question) is None:
            self.query_text = "@all"
            self.query_one("#deck-filter", Input).value = "@all"  # its watcher refilters, unless it said @all already
            self.refilter()
        self.current = question
        return True

    # moving -----------------------------------------------------------------

    def move(self, delta: int) -> None:
        if not self.shown:
            return
        index = self._index_of(self.current)
        self.current = self.shown[((-1 if index is None else index) + delta) % len(self.shown)]

    def draw(self, rng: random.Random) -> Question | None:
        if self.deck is None:
            return None
        drawn = self.deck.draw(self.shown, rng, self.current)
        if drawn is not None:
            self.current = drawn
        return drawn

    def mark_asked(self, question: Question) -> None:
        if self.deck is not None:
            self.deck.asked_now.add(question.ref)
            self._refresh_option(question)
            self._show_current()

    def set_starred(self, starred: set[str]) -> None:
        if self.deck is not None:
            self.deck.starred = starred
            self.refilter(redraw=True)

    # drawing ----------------------------------------------------------------

    def _asked_note(self, question: Question) -> str:
        if self.deck is None:
            return ""
        if question.ref in self.deck.asked_now:
            return "asked this session"
        day = self.deck.asked_before.get(question.ref)
        if day is not None and self.today is not None:
            return f"asked {asked_ago(day, self.today)}"
        return ""

    def _option_prompt(self, question: Question) -> Text:
        starred = self.deck is not None and question.ref in self.deck.starred
        text = Text()
        if starred:  # no padding otherwise, so a wrapped question lines up under itself
            text.append("★ ", style="bold")
        text.append(question.text)
        note = self._asked_note(question)
        if note:
            text.append(f"  · {note}", style="dim")
        return text

    def _refresh_option(self, question: Question) -> None:
        index = self._index_of(question)
        if index is not None:
            self.query_one("#deck-list", QuestionList).redraw(index)

    def _index_of(self, question: Question | None) -> int | None:
        """Where the question is in the list. By identity: the deck's questions are its own objects, and comparing
        records field by field down a list of thousands cost a keystroke milliseconds."""
        if question is None:
            return None
        return next((i for i, shown in enumerate(self.shown) if shown is question), None)

    def _highlight(self) -> None:
        self.query_one("#deck-list", QuestionList).highlight(self._index_of(self.current))

    def _show_current(self) -> None:
        question = self.current
        body = self.query_one("#question", Static)
        follow = self.query_one("#follow-ups", Static)
        meta = self.query_one("#question-meta", Static)
        if question is None:
            self._update_in_place(follow, Text())
            meta.update("", layout=False)
            self._update_in_place(body, self._nothing_found() if self.deck is not None else Text("Loading questions…"))
            return
        self._update_in_place(body, Text(question.text))
        self._update_in_place(follow, Text("\n".join(f"↳ {f}" for f in question.follow_ups), style="italic"))
        parts = []
        if self.deck is not None and question.ref in self.deck.starred:
            parts.append("★ starred")
        parts.append(self.pack_titles.get(question.pack, question.pack))
        if question.phase:
            parts.append(question.phase.value)
        note = self._asked_note(question)
        if note:
            parts.append(note)
        meta.update(Text(" · ".join(parts), style="dim"), layout=False)  # one line, always

    def _nothing_found(self) -> Text:
        words = " ".join(t for t in self.query_text.split() if not t.startswith("@"))
        phase = DeckQuery.parse(self.query_text).phase or (self.timer_phase.value if self.timer_phase else ALL_PHASES)
        where = "in any phase" if phase == ALL_PHASES else f"in the {phase} phase"
        text = Text(f"No question {where} matches “{words}”." if words else f"No question {where} matches this filter.")
        if self.elsewhere:
            text.append(f"\n{self.elsewhere} in other phases: {self.keys['widen']} shows them.", style="bold")
        else:
            text.append(f"\n{self.keys['clear']} clears the filter.", style="dim")
        return text

    def _show_title(self, query: DeckQuery) -> None:
        if query.phase == ALL_PHASES:
            scope = "all phases"
        elif query.phase:
            scope = query.phase
        elif self.timer_phase:
            scope = f"{self.timer_phase.value} (following the timer)"
        else:
            scope = "all phases"
        # Of how many: `packs check` counts every question, the deck the timer's phase of those not hidden.
        total = len(self.deck.questions) if self.deck is not None else 0
        shown = f"{len(self.shown)} of {total}" if total != len(self.shown) else f"{len(self.shown)}"
        if self.deck is not None and self.deck.hidden:
            shown += f" · {self.deck.hidden} hidden"
        title = f"Questions · {scope} · {shown}"
        if self.filtered:  # a filter kept after Enter stops the deck following the timer: say so, and how to undo it
            typed = self.query_text.strip()
            typed = typed if len(typed) <= 24 else typed[:23] + "…"
            title = f"Questions · filter “{typed}” · {scope} · {shown} · {self.keys['clear']} clears"
        widget = self.query_one("#deck-title", Static)
        if widget.content != title:
            widget.update(title, layout=False)  # one line whatever it says: a repaint, not a new layout

    # events -----------------------------------------------------------------

    def _update_in_place(self, widget: Static, content: Text) -> None:
        """New content for the question or its follow-ups, laid out again only when its height at this width
        changes; while the coach types in the filter, only when it grows (see `_held`).

        Typing in the filter changes the first match on most keystrokes; a layout of the whole screen for each
        would cost more than the filtering and the drawing together (and move the list up and down)."""
        width = widget.content_region.width
        if not width:  # not laid out yet: the first layout measures it
            widget.update(content)
            return
        key = widget.id or ""
        held = self._held.get(key) if self._held is not None else None
        before = held if held is not None else widget.get_content_height(widget.size, widget.size, width)
        widget.update(content, layout=False)
        lines = widget.get_content_height(widget.size, widget.size, width)
        if self._held is not None:
            if lines < before:  # the lines it has, kept as blank ones: a repaint
                kept = content.copy()
                kept.append("\n" * (before - lines))
                widget.update(kept, layout=False)
                lines = before
            self._held[key] = lines
        if lines != before:
            widget.refresh(layout=True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, DeckFilter) and self._held is not None:
            self._held = None  # the coach has left the filter: the question's area fits the question again
            self._show_current()

    def on_mount(self) -> None:
        # The filter's value is watched, not its Changed message: the list follows in the same step as the
        # keystroke, so both are drawn in one frame (after the message, the filter line was drawn alone first,
        # and the list a second frame later).
        self.watch(self.query_one(DeckFilter), "value", self._filter_changed, init=False)

    def _filter_changed(self, value: str) -> None:
        self.query_text = value
        if self._held is None and self.query_one(DeckFilter).has_focus:
            self._held = {}  # the coach types: the question's area keeps its lines until they leave the filter
        self.refilter()

    @on(DeckFilter.Move)
    def _filter_move(self, event: DeckFilter.Move) -> None:
        event.stop()
        self.move(event.delta)

    @on(QuestionList.Picked)
    def _list_picked(self, event: QuestionList.Picked) -> None:
        if 0 <= event.index < len(self.shown) and self.shown[event.index] is not self.current:
            self.current = self.shown[event.index]
