"""Note capture: the note input, the log of the session's notes, and the pane that holds them with the "last time" card
(widgets/last_time.py)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from msgspec import Struct
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, var
from textual.suggester import Suggester
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.live import LogEntry
from ...core.sessionfile import clean_text
from .last_time import LastTimeCard, LastTimeView
from .note_lines import log_line
from .ordered_input import OrderedInput

if TYPE_CHECKING:  # the card's value types only: the open actions (the index's) come later, from a worker
    pass

STEERING = {"up": -1, "down": 1, "pageup": -5, "pagedown": 5}  # move an armed list's highlight, and leave it armed

NOTE_PLACEHOLDER = 'Type a note, Enter saves   ! action   " their words   * insight   ? your question   = agreement   + for the client'


class TagSuggester(Suggester):
    """Completes the #tag being typed (goal ids and the client's areas); → accepts it."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags: list[str] = []
        self.muted = False  # behind the privacy blind: a completed #tag would show a goal's words in clear

    async def get_suggestion(self, value: str) -> str | None:
        if self.muted:
            return None
        word = value.rsplit(" ", 1)[-1]
        if len(word) < 2 or not word.startswith("#"):
            return None
        typed = word[1:].casefold()
        match = next((t for t in self.tags if t.startswith(typed) and t != typed), None)
        return value[: len(value) - len(word)] + "#" + match if match else None


class NoteInput(OrderedInput):
    """The note line. A paste keeps every line (joined with spaces), not just the first.

    Enter posts Submitted, as any Input does: that message is the one way a note
    leaves the line. With clear_on_submit, Enter also empties the line at once, in
    keystroke order, so a letter typed right after Enter starts the next note
    instead of being wiped when the save completes.
    """

    # Input sets its virtual size (the typed text's width) on every keystroke, and Widget's reactive lays the
    # whole screen out for it: a layout per letter of every note (as DeckFilter found for the deck's filter). The
    # line's own size never changes (one line, the pane's width), and scrolling reads the virtual size directly.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args: Any, clear_on_submit: bool = False, **kwargs: Any) -> None:
        # Never select-all on focus: the cursor comes home after every dialog, and the next key would replace the
        # half-typed note it found there.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
        self.clear_on_submit = clear_on_submit
        self._armed: dict[str, Callable[[], object]] = {}  # while the sidebar or log is armed: its keys, and what each does

    @property
    def tag_suggester(self) -> TagSuggester:
        """The #tag completer of the session's note line (the screen keeps its tags current)."""
        assert isinstance(self.suggester, TagSuggester), "only the session's note line completes tags"
        return self.suggester

    class Arm(Message):
        """The next key, if it is one of `keys`, acts (key -> what it does) on the armed sidebar or log; sent to
        the note line itself, so that it comes in key order (see SessionScreen, "Keys")."""

        def __init__(self, keys: dict[str, Callable[[], object]]):
            super().__init__()
            self.keys = keys

    class ArmedKey(Message):
        """The one key the armed sidebar or log was waiting for: the screen does `act`."""

        def __init__(self, act: Callable[[], object]):
            super().__init__()
            self.act = act

    class Steer(Message):
        """An arrow while a list is armed: its highlight moves by `delta`."""

        def __init__(self, delta: int):
            super().__init__()
            self.delta = delta

    class Disarmed(Message):
        """A key the armed sidebar or log does not take: it is the note's, and the note line is home again."""

    def on_note_input_arm(self, message: NoteInput.Arm) -> None:
        message.stop()
        self._armed = message.keys
        self.refresh_bindings()  # the footer shows the armed list's keys (see check_consume_key)

    # The note line's own bindings of keys an armed list takes (the notes log's Enter and Delete).
    OWN_ACTIONS = {"enter": "submit", "delete": "delete_right"}

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a list is armed, its key is its own (on_key takes it before any binding): the note line's binding
        # of that key gives way, and the footer shows the list's (Enter: Edit) instead of nothing.
        if self._armed and any(self.OWN_ACTIONS.get(key) == action for key in self._armed):
            return False
        return super().check_action(action, parameters)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # An armed list's letters are not typed: their bindings (the screen's) show in the footer.
        return key not in self._armed and super().check_consume_key(key, character)

    async def on_key(self, event: events.Key) -> None:
        armed, self._armed = self._armed, {}
        if armed:
            if event.key in armed:  # the one key: not typed, acted on
                event.stop()
                event.prevent_default()
                self.screen.post_message(self.ArmedKey(armed[event.key]))  # the way a note goes (action_submit): in order
                return
            if event.key in STEERING:  # arrows move the armed list's highlight; it waits on
                self._armed = armed
                event.stop()
                event.prevent_default()
                self.screen.post_message(self.Steer(STEERING[event.key]))  # the same way as the key after it: in order
                return
            self.screen.post_message(self.Disarmed())
        # Bindings run only once a key has bubbled up to the app, after any characters
        # already queued here; keystrokes that arrive in one burst (a fast typist, a
        # laggy SSH link) would then merge two notes. Enter is taken here, in order.
        if self.clear_on_submit and event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()

    async def action_submit(self) -> None:
        value = self.value
        if self.clear_on_submit and value.strip():
            self.value = ""
            # Straight to the screen, not bubbling up through each pane's queue: the note is saved
            # before the screen repaints, within the keystroke (bench/run.py's note save).
            self.screen.post_message(self.Submitted(self, value))
            return
        self.post_message(self.Submitted(self, value))

    def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own handler would paste the first line again
        if event.text:
            text = clean_text(event.text)
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()


class LogIntent(enum.Enum):
    """What can be done with one line of the log: the log's keys after F8 (see GoalIntent)."""

    EDIT = "edit"
    TICK = "tick"
    DELETE = "delete"


# The notes log's keys, once F8 has armed it: each acts on the highlighted line, once (see GOAL_KEYS).
LOG_KEYS = [
    # No letters that begin words (e, d): "F8, do this next" must not open a dialog on a note.
    Binding("enter", f"log_line({LogIntent.EDIT.value!r})", "Edit", id="note_edit", tooltip="Edit this note"),
    Binding("x", f"log_line({LogIntent.TICK.value!r})", "Done/open", id="note_tick", tooltip="Tick an action done, or open it again"),
    Binding("delete", f"log_line({LogIntent.DELETE.value!r})", "Delete", id="note_delete", tooltip="Delete this note (asks first)"),
]


class NotesLog(OptionList):
    """The session's notes in time order. Never focused: F8 arms it (the next key acts on the highlighted
    line); a click on a line posts Opened (to edit it)."""

    can_focus = False
    armed: var[bool] = var(False)
    # A note added grows the list's virtual height, and Widget's reactive laid the whole screen out for it, after
    # every note. The log's own size never changes (it fills its room); the scrollbar, when one first shows,
    # still asks for its layout itself (show_vertical_scrollbar).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    class Opened(Message):
        def __init__(self, item: LogEntry):
            super().__init__()
            self.item = item

    entries: var[tuple[LogEntry, ...]] = var((), init=False)  # bound from the notes pane: the session's lines

    @property
    def items(self) -> tuple[LogEntry, ...]:
        return self.entries

    def watch_armed(self, armed: bool) -> None:
        self.set_class(armed, "-armed")

    def watch_entries(self, old: tuple[LogEntry, ...], items: tuple[LogEntry, ...]) -> None:
        at_end = self.highlighted is None or self.highlighted >= len(old) - 1
        previous = self.highlighted
        # The usual change is a note added at the end: add its line, not every line again. A line the file has not
        # changed is the very same entry (the session's document shares them from write to write), so identity
        # settles most comparisons before the records are compared field by field.
        kept = len(old) if len(items) >= len(old) and all(a.entry is b.entry or a.entry == b.entry for a, b in zip(old, items, strict=False)) else 0
        with self.app.batch_update():
            if not kept:
                self.clear_options()
            self.add_options([Option(log_line(item)) for item in items[kept:]])
            if items:
                self.highlighted = len(items) - 1 if at_end or previous is None else min(previous, len(items) - 1)
                if at_end:
                    self.scroll_end(animate=False)

    @property
    def current(self) -> LogEntry | None:
        if self.highlighted is not None and 0 <= self.highlighted < len(self.items):
            return self.items[self.highlighted]
        return None

    def steer(self, delta: int) -> None:
        """Move the highlight (the armed log's arrows)."""
        if self.items:
            self.highlighted = max(0, min(len(self.items) - 1, (self.highlighted if self.highlighted is not None else len(self.items) - 1) + delta))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.Opened(self.current))


class Reminder(Static):
    """A reminder for this moment of the call (ask permission first), whole, above the note line: it wraps
    rather than being cut, and goes when the next note is saved."""

    DEFAULT_CSS = """
    Reminder {
        display: none;
        height: auto;
        padding: 0 1;
        margin: 0 1;
        color: $text-warning;
        background: $warning-muted;
    }
    Reminder.-visible {
        display: block;
    }
    """

    said: var[tuple[str, str]] = var(("", ""))  # (title, message), bound from the session screen; empty: none

    def watch_said(self, said: tuple[str, str]) -> None:
        title, message = said
        self.set_class(bool(title or message), "-visible")
        self.update(Content.assemble((title, "bold"), "  " if title else "", message))


class Unsaved(Struct, frozen=True):
    """The notes waiting for the disk: how many, why, and the last words of them (none behind the blind)."""

    count: int = 0
    reason: str = ""
    waiting: tuple[str, ...] = ()

    def lines(self) -> list[Content]:
        plural = "s" if self.count != 1 else ""
        because = f": {self.reason}" if self.reason else ""
        head = Content.from_markup(
            f"[b]$count note{plural} not saved yet[/b]$because. Retrying every few seconds; nothing is lost while the app runs.",
            count=str(self.count),
            because=because,
        )
        return [head, *(Content.assemble("  ", (text, "italic")) for text in self.waiting[-3:])]


class NotesPane(Vertical):
    """The card, the log, the notes not saved yet, a reminder and the note line; what they show is bound
    from the session screen."""

    # Before the session starts the log is empty: the card has its room, and no more; it shrinks (and
    # scrolls) before the note line would be pushed off the screen. A log line's highlight only matters
    # while F8 has armed it (the cursor stays in the note line); otherwise it would pull the eye.
    DEFAULT_CSS = """
    NotesPane {
        height: 3fr;
        #last-time-box { padding: 0 0 1 1; margin: 0 1; height: 1fr; scrollbar-size-vertical: 1; border: round $panel-lighten-2; }
        #last-time { height: auto; padding-right: 1; }
        #log { height: 1fr; border: none; background: transparent; }
        #log > .option-list--option-highlighted { background: transparent; text-style: none; }
        #log.-armed > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        #unsaved { display: none; height: auto; padding: 0 1; color: $text-error; background: $error-muted; }
        #unsaved.-visible { display: block; }
        #note { margin: 0 1; }
    }
    """

    armed: var[bool] = var(False)  # F8's one key is awaited
    reminder: var[tuple[str, str]] = var(("", ""))  # shown above the note line
    lines: var[tuple[LogEntry, ...]] = var(())
    unsaved: var[Unsaved] = var(Unsaved())
    last_time: var[LastTimeView | None] = var(None)
    stalled: var[frozenset[str]] = var(frozenset())

    def compose(self) -> ComposeResult:
        yield Static("Notes", id="notes-title", classes="pane-title")
        with VerticalScroll(id="last-time-box", can_focus=False):  # the wheel scrolls a card longer than its room
            yield LastTimeCard(id="last-time").data_bind(view=NotesPane.last_time, flagged=NotesPane.stalled)
        yield NotesLog(id="log").data_bind(NotesPane.armed, entries=NotesPane.lines)
        yield Static(id="unsaved")
        yield Reminder(id="reminder").data_bind(said=NotesPane.reminder)
        yield NoteInput(placeholder=NOTE_PLACEHOLDER, id="note", clear_on_submit=True, suggester=TagSuggester())

    def watch_unsaved(self, unsaved: Unsaved) -> None:
        box = self.query_one("#unsaved", Static)
        box.set_class(unsaved.count > 0, "-visible")
        if unsaved.count:
            box.update(Content("\n").join(unsaved.lines()))
