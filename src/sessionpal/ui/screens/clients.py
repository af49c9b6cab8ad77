"""The client picker: most recent first, type to filter, Enter opens, ctrl+n (F2 in a browser) adds a client.
Above it, with a calendar, today's calls (screens/today_flow.py, widgets/today.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from ...core.clients import ClientEntry, clients_fingerprint, list_clients
from ...core.conflicts import Conflict, find_conflicts
from ...core.first_screen import read_first_screen, take_prefetched
from ...core.roster import Roster
from ..context import TypedApp
from ..dialogs.new_client import NewClientDialog
from ..following import FollowsApp
from ..widgets.footer import KeysFooter
from ..widgets.ordered_input import OrderedInput
from ..widgets.today import TodayCalls, TodayStrip
from .client_rows import Listed, draw_message, draw_rows, listing
from .today_flow import TodayFlow

if TYPE_CHECKING:
    from ...core.calendar import Call

LISTED_AT_MOST = 300
CHECK_HOME_EVERY = 2.0  # seconds between looks at the clients folder


# While a call is being chosen (ctrl+t), Enter is the strip's whatever has the cursor: one binding per thing it does,
# each enabled only for its kind of call, so the key acts once armed, as the session's keys after F7 and F8 do.
CALL_KEYS = [
    Binding(
        "enter",
        "open_call",
        "Open the call",
        id="open_call",
        priority=True,
        tooltip="On the call chosen: open its client, planned as long as the call is booked",
    ),
    Binding("enter", "assign_call", "Say whose", id="assign_call", priority=True, tooltip="On a call that names no client: say whose it is, in the list"),
    Binding("enter", "choose_call", "Whose?", id="choose_call", priority=True, tooltip="On a call that names two clients: say which it is for"),
]


class ClientPickerScreen(Screen[None], FollowsApp):
    pal = TypedApp()

    BINDINGS = [
        Binding("ctrl+n", "new_client", "New client", id="new_client", tooltip="Add a client: name and session length"),
        Binding("ctrl+o", "app.packs", "Question packs", id="packs", tooltip="Browse the packs, edit your own, hide or star questions"),
        Binding("ctrl+y", "app.review", "Review", id="review", tooltip="Every client's past sessions, open actions and search"),
        Binding("ctrl+g", "conflicts", "Sync conflicts", id="conflicts", tooltip="Compare and resolve the copies a sync tool left"),
        Binding("ctrl+t", "today", "Today", id="today", tooltip="Choose one of today's calls (↑ ↓, Enter opens it); again to go back to the list"),
        *CALL_KEYS,
        Binding("up", "move(-1)", "Up", id="previous_client", show=False, tooltip="The client above (the call above, choosing a call)"),
        Binding("down", "move(1)", "Down", id="next_client", show=False, tooltip="The client below (the call below, choosing a call)"),
        Binding("pageup", "move_page(-1)", "Page up", id="clients_page_up", show=False, tooltip="A screen of clients up, from the filter"),
        Binding("pagedown", "move_page(1)", "Page down", id="clients_page_down", show=False, tooltip="A screen of clients down, from the filter"),
        Binding("escape", "leave_today", "Back", id="leave_today", tooltip="Stop choosing a call (or saying whose one is)"),
        Binding("escape", "clear_filter", "Clear", id="clear_filter", show=False, tooltip="Clear the filter"),
        Binding("f9,ctrl+backslash", "private", "Private", id="private", show=False, tooltip="Hide the client list (for screen sharing); again to show"),
        # Priority: over the filter's own ctrl+k (delete to the end), as in the session's note line.
        Binding("ctrl+k", "patterns", "Patterns", id="patterns", show=False, priority=True, tooltip="What keeps coming up with the highlighted client"),
    ]

    # Today's calls (TodayFlow reads them, the strip draws them): the day's calls (None: no calendar), the minute the
    # countdown counts from, the call being chosen (None: the keys are the list's), the call being said whose.
    today: var[TodayCalls | None] = var(None)
    minute: var[datetime | None] = var(None)
    call_cursor: var[int | None] = var(None)
    assigning: var[Call | None] = var(None, init=False)
    blind: var[bool] = var(False)  # the app's privacy blind, mirrored for the strip
    # The list: every client as last read (in list order), what the filter finds of them, the sync conflicts.
    # Set anew on every reading: compared entry by entry, a practice's worth of clients would cost more than drawing.
    entries: var[tuple[ClientEntry, ...]] = var((), init=False, always_update=True)
    listed: var[Listed] = var(Listed(), init=False, always_update=True)
    conflicts: var[tuple[Conflict, ...]] = var((), init=False)

    def __init__(self) -> None:
        super().__init__()
        self.today_flow = TodayFlow(self)
        self._seen: tuple[int, ...] = ()  # the home's clients as last read (see clients_fingerprint)
        self._opened = False  # a client was opened from here: the list comes back fresh
        self._keep_highlight = True  # a reload keeps the highlighted client, unless the list comes back fresh
        self._told_broken: frozenset[str] = frozenset()  # the unreadable client files the coach was told of
        self._first_drawn: threading.Event | None = None  # set once the first screen's rows are drawn

    def compose(self) -> ComposeResult:
        yield Static("sessionpal · clients", id="picker-title")
        yield Static(id="conflict-banner")
        yield TodayStrip(id="today").data_bind(
            today=ClientPickerScreen.today, now=ClientPickerScreen.minute, cursor=ClientPickerScreen.call_cursor, private=ClientPickerScreen.blind
        )
        yield OrderedInput(placeholder=self._placeholder(), id="client-filter")
        yield Static(id="picker-empty")  # under the filter, where the eye is, not below an empty list
        yield OptionList(id="client-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#client-filter", Input).focus()
        # Typing always goes to the filter: the list never takes the cursor (Tab, then a name, once
        # opened the highlighted client instead of the one typed). ↑ ↓ and the mouse still pick.
        self.query_one("#client-list", OptionList).can_focus = False
        self.follow(self.pal.privacy_signal, self._privacy_changed, immediate=True)
        self._privacy_changed(self.pal.private)
        self.query_one(TodayStrip).keys = f"{self.pal.key_for('today', 'ctrl+t')} to choose a call"
        self.today_flow.start()  # only whether there is a calendar: it is read once the list is drawn
        self.set_interval(1.0, self.today_flow.tick)
        # The clients are read when the screen comes to the top (on_screen_resume), its first time included:
        # read here as well, two passes over every client ran side by side at start, each slowing the other.
        # Another terminal erases a client, a sync tool brings a new one: the list follows within seconds.
        self.set_interval(CHECK_HOME_EVERY, self.check_home)
        first = take_prefetched(timeout=0)  # read by then, as a rule: the rows come with the first frame
        if first is not None:
            self._loaded(first.entries, first.conflicts, False)

    def _privacy_changed(self, private: bool) -> None:
        self.set_class(private, "-private")
        self.blind = private
        if private:
            self.assigning = None  # saying whose a call is shows the list: not behind the blind
        self.query_one("#client-filter", Input).password = private  # the letters typed may be a name
        if self.entries or private:
            self._refilter(keep=True)

    def action_private(self) -> None:
        self.pal.private = not self.pal.private

    def on_screen_resume(self) -> None:
        if self._opened:
            # Back from a session: a fresh list, the filter empty and the first client highlighted; the old
            # filter and highlight had the next Enter open someone else (found by a coach's look).
            self._opened = False
            self.query_one("#client-filter", Input).value = ""
            self._keep_highlight = False
        self.load_clients()

    def _open(self, entry: ClientEntry) -> None:
        self.open_entry(entry)

    def open_entry(self, entry: ClientEntry, minutes: int | None = None, news: str = "") -> None:
        """Open a client (from the list, or from one of today's calls, `minutes` long when the call is booked so)."""
        self._opened = True
        self.call_cursor = None
        self.pal.opener.open(entry, news, minutes=minutes)

    @work(thread=True, exclusive=True, group="clients")
    def load_clients(self) -> None:
        # The conflicts banner first (it sits above the list: shown later, it would push the list down), then the
        # clients a screen holds, then everyone.
        # Read by a child while Textual was imported, at the app's start (core/first_screen.py), or here.
        first = take_prefetched(timeout=2.0) if not self.entries else None
        if first is not None:
            self.app.call_from_thread(self._loaded, first.entries, first.conflicts, False)
        if self._first_drawn is not None:
            self._first_drawn.wait(1.0)  # then the rest: its reads would take turns with the first frame for the GIL
            self._first_drawn = None
        roster = Roster(self.pal.home)  # one look at each client's folders for the first screen's banner and rows
        if first is None and not self.entries:
            first = read_first_screen(self.pal.home, self.pal.clock.now().date(), roster)
            self.app.call_from_thread(self._loaded, first.entries, first.conflicts, False)
        # What the poll compares with, taken before the reads of the whole list (a change made meanwhile is read
        # next time), and after the first screen's: its 4,000 stats at 2,000 clients came before the first rows.
        self._seen = clients_fingerprint(self.pal.home)
        roster.look_again()  # the first screen's looks came before the fingerprint: every folder looked at again
        conflicts = find_conflicts(self.pal.home, roster)
        self.app.call_from_thread(self._loaded, list_clients(self.pal.home, today=self.pal.clock.now().date(), roster=roster), conflicts)

    @work(thread=True, exclusive=True, group="check-home")
    def check_home(self) -> None:
        if self.is_current and clients_fingerprint(self.pal.home) != self._seen:
            self.app.call_from_thread(self.load_clients)
        elif self.is_current and self.today_flow.changed_on_disk():
            self.app.call_from_thread(self.today_flow.read)

    def _loaded(self, entries: list[ClientEntry], conflicts: list[Conflict] | None = None, complete: bool = True) -> None:
        self.conflicts = tuple(conflicts or ())
        self.entries = tuple(entries)
        if not complete and self._first_drawn is None:
            self._first_drawn = threading.Event()
            self.call_after_refresh(self._first_drawn.set)
        # Each unreadable file said once, not at every return to the list: the notice outlived the list, over the
        # next session's questions (and on a shared screen). The list itself shows each one, always.
        broken = [e for e in entries if e.card is None and e.slug not in self._told_broken] if complete else []
        if complete:
            self._told_broken = frozenset(e.slug for e in entries if e.card is None)
        if broken:
            self.notify(
                "\n".join(str(p) for e in broken for p in e.problems),
                title=f"{len(broken)} client file(s) cannot be read; left untouched",
                severity="warning",
                timeout=15,
                markup=False,
            )
        if complete:
            # After the list is drawn: the calendar never holds up its first paint.
            self.call_after_refresh(self.today_flow.read)

    @property
    def shown(self) -> tuple[ClientEntry, ...]:
        return self.listed.clients

    def watch_entries(self) -> None:
        self._refilter(keep=self._keep_highlight)  # a reload keeps the highlighted client, unless the list comes back fresh
        self._keep_highlight = True

    def _refilter(self, keep: bool = False) -> None:
        """What the filter finds (state: watch_listed draws it)."""
        self.listed = listing(
            self.entries,
            self.query_one("#client-filter", Input).value,
            at_most=LISTED_AT_MOST,
            private=self.pal.private,
            assigning=self.assigning is not None,
            add_key=self.pal.key_for("new_client", "ctrl+n"),
            keep=keep,
        )

    def watch_listed(self, listed: Listed) -> None:
        draw_rows(self.query_one("#client-list", OptionList), listed)
        draw_message(self.query_one("#picker-empty", Static), listed.message)

    def watch_conflicts(self, conflicts: tuple[Conflict, ...]) -> None:
        banner = self.query_one("#conflict-banner", Static)
        if conflicts:
            pairs = [Content.assemble("  ", c.describe(self.pal.home)) for c in conflicts[:5]]
            more = [Content(f"  and {len(conflicts) - 5} more")] if len(conflicts) > 5 else []
            head = Content.assemble(
                (f"Sync conflicts: {len(conflicts)} file(s) have a copy from another device. ", "bold"), "ctrl+g compares and resolves them."
            )
            banner.update(Content("\n").join([head, *pairs, *more]))
        banner.set_class(bool(conflicts), "-visible")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "conflicts":
            return bool(self.conflicts)
        if action == "today":
            return self.today is not None and bool(self.today.calls) and self.assigning is None
        chosen = self.today_flow.chosen
        if action == "open_call":
            return chosen is not None and chosen.client is not None
        if action == "assign_call":
            return chosen is not None and chosen.client is None and not chosen.ambiguous
        if action == "choose_call":
            return chosen is not None and chosen.ambiguous
        if action == "leave_today":
            return self.call_cursor is not None or self.assigning is not None
        return True

    # today's calls ---------------------------------------------------------------------------------

    def watch_call_cursor(self) -> None:
        self.refresh_bindings()  # the footer says what Enter does to the call chosen, or nothing of calls

    def watch_today(self) -> None:
        self.refresh_bindings()

    def watch_assigning(self, call: Call | None) -> None:
        from .today_flow import visible_title

        line = self.query_one("#client-filter", Input)
        if call is None:
            line.placeholder = self._placeholder()
            line.value = ""  # what was typed named the call's client: the list comes back whole
        else:
            line.placeholder = f"Whose is the {call.event.start:%H:%M} call “{visible_title(call)}”? Type their name · Enter says so · Esc cancels"
            line.value = ""
        self.set_class(call is not None, "-assigning")
        self.refresh_bindings()

    def _placeholder(self) -> str:
        return f"Type to find a client · Enter opens · {self.pal.key_for('new_client', 'ctrl+n')} adds a client"

    def action_today(self) -> None:
        if self.call_cursor is not None:
            self.today_flow.disarm()
        else:
            self.today_flow.arm()

    def action_leave_today(self) -> None:
        self.today_flow.disarm()
        self.assigning = None

    def action_open_call(self) -> None:
        if (call := self.today_flow.chosen) is not None:
            self.today_flow.open(call)

    def action_assign_call(self) -> None:
        if (call := self.today_flow.chosen) is not None:
            self.today_flow.start_assigning(call)

    def action_choose_call(self) -> None:
        if (call := self.today_flow.chosen) is not None:
            self.today_flow.choose(call)

    @on(TodayStrip.OpenCall)
    def _open_call(self, event: TodayStrip.OpenCall) -> None:
        self.today_flow.open(event.call)

    @on(TodayStrip.AssignCall)
    def _assign_call(self, event: TodayStrip.AssignCall) -> None:
        self.today_flow.start_assigning(event.call)

    @on(TodayStrip.ChooseClient)
    def _choose_client(self, event: TodayStrip.ChooseClient) -> None:
        self.today_flow.choose(event.call)

    def action_conflicts(self) -> None:
        from .conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen())

    @on(Input.Changed, "#client-filter")
    def _changed(self, event: Input.Changed) -> None:
        if event.value:
            self.today_flow.disarm()  # typing is for the list: a letter ends choosing a call
        self._refilter()

    @on(Input.Submitted, "#client-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#client-list", OptionList)
        if self.assigning is not None:
            if self.shown and options.highlighted is not None:
                self.today_flow.assign(self.shown[options.highlighted])
            return
        if self.shown and options.highlighted is not None:
            self._open(self.shown[options.highlighted])
        elif event.value.strip():
            self.action_new_client(event.value.strip())

    @on(OptionList.OptionSelected, "#client-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.assigning is not None:
            self.today_flow.assign(self.shown[event.option_index])
        else:
            self._open(self.shown[event.option_index])

    def action_move(self, delta: int) -> None:
        if self.call_cursor is not None:
            self.today_flow.move(delta)
            return
        options = self.query_one("#client-list", OptionList)
        if self.shown:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(len(self.shown) - 1, current + delta))
            if options.highlighted == len(self.shown) - 1 and options.option_count > len(self.shown):
                options.call_after_refresh(options.scroll_end, animate=False)  # the "… and N more" line in sight

    def action_move_page(self, delta: int) -> None:
        """PageUp/PageDown while typing in the filter (found by a coach's look: they did nothing there)."""
        self.action_move(delta * max(1, self.query_one("#client-list", OptionList).size.height - 1))

    def action_clear_filter(self) -> None:
        self.query_one("#client-filter", Input).value = ""

    # command palette ------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """What the client list does, in the palette too (issue 26.17: only Textual's own commands were there)."""
        yield SystemCommand("New client", "Add a client: name and session length", self.action_new_client)
        yield SystemCommand("Review everyone", "Every client's past sessions, open actions and search", self.pal.action_review)
        yield SystemCommand("Question packs", "Browse the packs, edit your own, hide or star questions", self.pal.action_packs)
        if self.conflicts:
            yield SystemCommand("Sync conflicts", "Compare and resolve the copies a sync tool left", self.action_conflicts)
        entry = self._highlighted()
        if entry is not None and entry.card is not None and not self.pal.private:
            yield SystemCommand(f"Engagement: {entry.name}", "Sessions agreed, when it ends, the next session's date", lambda: self._engagement(entry.slug))
        if entry is not None and entry.card is not None and not self.pal.private:
            yield SystemCommand(
                f"What keeps coming up: {entry.name}", "Their words, actions carried over, themes and energy across sessions", self.action_patterns
            )
        yield SystemCommand("Private", "Hide the client list (for screen sharing); again to show", self.action_private)

    def action_patterns(self) -> None:
        """ctrl+k: the highlighted client's patterns (screens/patterns.py, imported only now)."""
        from .patterns import open_patterns

        entry = self._highlighted()
        if not self.pal.private and (entry is None or entry.client is None):
            self.notify("Highlight a client first (type a few letters of a name).", markup=False)
            return
        if entry is not None and entry.client is not None:
            open_patterns(self.pal, entry.client)  # under the blind, it says why it stays closed
        else:
            self.notify("Private is on: the client's patterns stay hidden. F9 shows them.", timeout=4, markup=False)

    def _highlighted(self) -> ClientEntry | None:
        options = self.query_one("#client-list", OptionList)
        if self.shown and options.highlighted is not None and options.highlighted < len(self.shown):
            return self.shown[options.highlighted]
        return None

    def _engagement(self, slug: str) -> None:
        from ...core.clients import load_client, set_engagement
        from ...core.model import Engagement
        from ..changes import attempt
        from ..dialogs.text import EngagementDialog

        client = load_client(self.pal.home.client_file(slug), slug)

        def answered(result: Engagement | None) -> None:
            if result is not None and attempt(self, "Engagement not saved", lambda: set_engagement(self.pal.home, slug, result, self.pal.clock.now().date())):
                self.notify(f"Engagement saved for {client.name}.", markup=False)
                self.load_clients()

        self.app.push_screen(EngagementDialog(client.name, client.engagement, self.pal.clock.now().date()), answered)

    def action_new_client(self, name: str = "") -> None:
        def created(result: tuple[str, int | None, bool] | None) -> None:
            if result is not None:
                self.query_one("#client-filter", Input).value = ""
                self._opened = True
                self.pal.opener.create(*result)

        self.app.push_screen(NewClientDialog(name, self.pal.config.session_minutes, private=self.pal.private), created)
