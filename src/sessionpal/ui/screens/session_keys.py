"""The session screen's keys, by state: its bindings (the armed sidebar's and log's first), what the next key
acts on (`Armed`), which keys apply in which state (`allowed`), the one key an armed list takes (`armed_keys`),
and the commands the palette lists. See docs/architecture.md, "Keys"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, assert_never

from textual import events
from textual.actions import parse as parse_action
from textual.app import SystemCommand
from textual.binding import Binding
from textual.widgets import Input

from ...core.timer import TimerState
from ..key_names import key_names
from ..widgets.goals import GOAL_KEYS, GoalIntent
from ..widgets.notes import LOG_KEYS, LogIntent, NoteInput, NotesLog

if TYPE_CHECKING:
    from .session import SessionScreen


class Armed(Enum):
    """What the next key acts on: the note line (typing), or one key for the goals sidebar or the notes log."""

    NOTE = "note"
    GOALS = "goals"
    LOG = "log"


# The armed lists' actions as bindings write them ("goal('rate')": the footer's and the palette's word) and
# by name ("goal": what check_action is asked).
GOAL_ACTIONS = frozenset(b.action for b in GOAL_KEYS)
LOG_ACTIONS = frozenset(b.action for b in LOG_KEYS)
GOAL_ACTION_NAMES = frozenset(b.action.split("(")[0] for b in GOAL_KEYS)
LOG_ACTION_NAMES = frozenset(b.action.split("(")[0] for b in LOG_KEYS)

# F-keys first (they reach the app in every terminal and never clash with typing),
# then a ctrl key that Input, tmux (ctrl+b) and flow control (ctrl+s/q) leave alone.
SESSION_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    # The armed sidebar's and log's keys first, so the footer shows them first while they wait (see "Keys").
    *GOAL_KEYS,
    *LOG_KEYS,
    Binding("f2,ctrl+t", "start", "Start", id="timer", tooltip="Start the session and its timer"),
    Binding("f2,ctrl+t", "pause", "Pause", id="timer", tooltip="Pause the timer"),
    Binding("f2,ctrl+t", "resume", "Resume", id="timer", tooltip="Resume the timer"),
    Binding("f3,ctrl+r", "ask", "Asked", id="ask", tooltip="Mark the current question asked: it goes into the notes with its time"),
    # ctrl+d, not ctrl+n (a new client in the list, and a browser's new window): one key, one meaning.
    # A priority binding of its own, so the note line's delete-right (the Delete key does that too) does
    # not take it, and the footer keeps showing F4 in its place.
    Binding("f4", "draw", "Draw", id="draw", tooltip="Draw a random question not yet asked of this client"),
    Binding("ctrl+d", "draw", "Draw", id="draw", show=False, priority=True, tooltip="Draw a random question not yet asked of this client"),
    Binding("up", "deck_move(-1)", "Previous question", id="previous_question", show=False, tooltip="Previous question in the deck"),
    Binding("down", "deck_move(1)", "Next question", id="next_question", show=False, tooltip="Next question in the deck"),
    Binding("f5,ctrl+f", "find", "Filter", id="filter", tooltip="Filter the deck: words, #tag, @phase, @all"),
    Binding("f6,ctrl+s", "star", "Star", id="star", tooltip="Star or unstar the current question (starred ones come first)"),
    # Priority: taken before any key typed after them reaches the note line (see "Keys" above).
    Binding("f7,ctrl+g", "goals", "Goals", id="goals", priority=True, tooltip="The goals sidebar (or focus areas): the next key acts on the highlighted goal"),
    Binding("f8,ctrl+l", "log", "Notes", id="log", priority=True, tooltip="The notes log: the next key edits, ticks or deletes the highlighted note"),
    # Each F-key has a ctrl key too: on a Mac laptop F-keys need fn. ctrl+\ and ctrl+e reach the app in
    # Terminal.app, iTerm2, tmux and a browser tab; ctrl+e, the note line's "end of line", gives way (End stays).
    Binding("f9,ctrl+backslash", "private", "Private", id="private", tooltip="Hide the client's name, notes and goals (for screen sharing); again to show"),
    # Priority, as F7: the question is on screen before the key typed after F12 (its Enter) is handed on.
    Binding("f12", "end", "End", id="end", priority=True, tooltip="End the session (asks first)"),
    Binding("f12", "close", "Back", id="end", priority=True, tooltip="Back to the client list (nothing was started)"),
    # Apart and unshown, as ctrl+d: the note line binds ctrl+e too, and the footer would list it first.
    Binding("ctrl+e", "end", "End", id="end", show=False, priority=True, tooltip="End the session (asks first)"),
    Binding("ctrl+e", "close", "Back", id="end", show=False, priority=True, tooltip="Back to the client list (nothing was started)"),
    Binding("escape", "to_note", "Back to the note", id="to_note", show=False, tooltip="Put the cursor back in the note line"),
    # Priority: the note line's own ctrl+k (delete to the end of the line) gives way, as ctrl+d does.
    Binding(
        "ctrl+k",
        "patterns",
        "Patterns",
        id="patterns",
        show=False,
        priority=True,
        tooltip="What keeps coming up with this client: their words, actions carried over, themes, energy",
    ),
]


def allowed(screen: SessionScreen, action: str) -> bool | None:
    """The screen's check_action: which of its keys apply in the state it is in (True), are shown but
    dimmed (None: the deck not loaded yet), or are left out (False)."""
    live, armed = screen.live, screen.armed
    state = live.timer.state
    if live.read_only:
        # Looking only: the timer and the session belong to the sessionpal that holds the client.
        if action in ("start", "pause", "resume", "end", "ask"):
            return False
        if action == "close":
            return True
    if action == "start":
        return state is TimerState.READY
    if action == "pause":
        return state is TimerState.RUNNING
    if action == "resume":
        return state is TimerState.PAUSED
    if action == "end":
        return live.started and state is not TimerState.ENDED
    if action == "close":
        return not live.started
    if action in GOAL_ACTION_NAMES:  # the sidebar's keys, in the footer while it is armed
        return armed is Armed.GOALS
    if action in LOG_ACTION_NAMES:
        return armed is Armed.LOG
    if action == "deck_move" and armed is not Armed.NOTE:
        return True  # the arrows move the armed list's highlight
    if action in ("ask", "draw", "star", "find", "deck_move"):
        return True if screen.deck.deck is not None else None
    return True


class KeyRouter:
    """Where the next key goes, by the screen's `armed` state, never by where focus is: F7 or F8 arm one key
    for the sidebar or the log (the note line holds the armed keys and hands that one key back in key order),
    it acts, and every key after it is note text again. The screen's actions for those keys come here."""

    def __init__(self, screen: SessionScreen):
        self.screen = screen
        self._arms = 0  # how many times a list was armed: an action that arms again keeps it armed

    def arm(self, armed: Armed) -> None:
        """The next key acts on the sidebar or the log; the cursor stays in the note line."""
        screen = self.screen
        note = screen.note_line
        if note.disabled:
            return  # read-only here: nothing to change
        screen.set_focus(note)  # at once: every later key goes to the note line, which routes it in order
        log = screen.query_one(NotesLog)
        if armed is Armed.LOG and armed is not screen.armed:
            log.steer(len(log.items))  # F8 starts at the newest line
        self._arms += 1
        screen.armed = armed
        note.post_message(NoteInput.Arm(self.keys(armed)))

    def keys(self, armed: Armed) -> dict[str, Callable[[], object]]:
        """Key -> what it does, for the one key the armed sidebar or log takes (with the coach's keymap); Esc
        goes home."""
        screen = self.screen
        keymap = screen.pal.active_keys
        keys: dict[str, Callable[[], object]] = {}
        for binding in GOAL_KEYS if armed is Armed.GOALS else LOG_KEYS:
            if armed is Armed.GOALS and screen.live.client.no_goals and binding.action not in ("goal_menu", "alignment"):
                continue  # working without goals: Enter ticks an area, l opens the values view
            _, name, parameters = parse_action(binding.action)
            for key in key_names(keymap.get(binding.id or "", binding.key)):
                keys[key] = partial(getattr(screen, f"action_{name}"), *parameters)
        for key in key_names(keymap.get("to_note", "escape")):
            keys[key] = screen.action_to_note
        return keys

    def arm_log(self) -> None:
        """F8: the log takes the next key (unless the blind is down, or there is no note yet)."""
        screen = self.screen
        if screen.blind("the notes"):
            return
        if not screen.query_one(NotesLog).items:
            screen.notify("No notes yet.", markup=False)
            return
        self.arm(Armed.LOG)

    def took(self, act: Callable[[], object]) -> None:
        """The armed list's one key: it acts, then the note line has every key (unless it armed again)."""
        arms = self._arms
        act()
        if self._arms == arms:
            self.screen.armed = Armed.NOTE

    def steer(self, delta: int) -> None:
        """The arrows: the armed list's highlight, else the deck's question."""
        screen = self.screen
        if screen.armed is Armed.GOALS:
            screen.goals_pane.steer(delta)
        elif screen.armed is Armed.LOG:
            screen.query_one(NotesLog).steer(delta)
        else:
            screen.deck.move(delta)

    def goal(self, intent: GoalIntent) -> None:
        """The sidebar's key after F7: one of the goal's intents, on the highlighted goal."""
        screen = self.screen
        goal_id = screen.goals_pane.current_goal() or ""
        screen.goal_flow.choose(goal_id, intent)
        if intent in (GoalIntent.UP, GoalIntent.DOWN):
            screen.goals_pane.select(goal_id)  # the highlight follows the goal it moved
            self.arm(Armed.GOALS)  # moving a goal twice takes two keys, not F7 twice

    def goal_menu(self) -> None:
        """Enter on the armed sidebar: the goal's menu, or (working without goals) the area ticked."""
        pane, flow = self.screen.goals_pane, self.screen.goal_flow
        area, goal_id = pane.current_area(), pane.current_goal()
        if area is not None:
            flow.toggle_area(area)
        elif goal_id:
            flow.menu(goal_id)

    def log_line(self, intent: LogIntent) -> None:
        """The log's key after F8, on the highlighted line."""
        screen = self.screen
        item = screen.query_one(NotesLog).current
        if item is None:
            return
        if intent is LogIntent.EDIT:
            screen.note_flow.edit(item)
        elif intent is LogIntent.TICK:
            screen.note_flow.tick(item)
        elif intent is LogIntent.DELETE:
            screen.note_flow.confirm_delete(item)
        else:
            assert_never(intent)

    def stray(self, event: events.Key) -> None:
        """A printable key that reaches the screen itself (no text field had the cursor: a pane was clicked, or
        focus was still on its way home) is the note's: typed into the note line, never lost."""
        screen, note = self.screen, self.screen.note_line
        if event.is_printable and event.character and not isinstance(screen.focused, Input) and not note.disabled:
            event.stop()
            event.prevent_default()
            screen.set_focus(note)
            note.insert_text_at_cursor(event.character)

    def home(self) -> None:
        """Esc: the cursor home; from the note line itself, the deck's filter cleared (the deck follows the
        timer again). An armed list is only disarmed."""
        screen = self.screen
        if screen.armed is not Armed.NOTE:
            screen.armed = Armed.NOTE
        elif screen.focused is screen.note_line and screen.deck.filtered:
            screen.deck.clear_filter()
        screen.focus_note()


def session_commands(screen: SessionScreen) -> Iterable[SystemCommand]:
    """The session's commands for the palette: its key commands that apply now, once each, then the rest."""
    listed: set[str] = set()
    for binding in SESSION_BINDINGS:
        if not isinstance(binding, Binding) or binding.action in ("to_note", *GOAL_ACTIONS, *LOG_ACTIONS) or binding.action.startswith("deck_move"):
            continue
        if binding.action in listed or not screen.check_action(binding.action, ()):
            continue  # once per command, though draw has two keys (F4, and ctrl+d over the note line)
        listed.add(binding.action)
        yield SystemCommand(binding.description, binding.tooltip, lambda action=binding.action: screen.run_action(action))
    yield SystemCommand("Review this client", "Past sessions, open actions across sessions, search (ctrl+y)", screen.pal.action_review)
    yield SystemCommand("What keeps coming up", "This client's words, actions carried over, themes and energy across sessions (ctrl+k)", screen.action_patterns)
    if screen.live.started and not screen.live.ended:
        yield SystemCommand("Switch client", "Back to the client list; this session stays open, to resume later", screen.action_switch_client)
    yield SystemCommand("Session model", f"The timer's phases (now {screen.live.model.title}); or make it the client's default", screen.action_model)
    yield SystemCommand("Session agreement", "What the client wants from this session (or type = then the agreement)", screen.action_agreement)
    yield SystemCommand(
        "Add a past session", "A session held before sessionpal, or written up afterwards: its day, length and notes", screen.action_past_session
    )
    yield SystemCommand("Engagement", 'Sessions agreed, when it ends, the next session\'s date ("session 5 of 12")', screen.action_engagement)
    yield from screen.goal_flow.commands()
