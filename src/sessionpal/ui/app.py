"""SessionPalApp: the Textual app. Screens and widgets live in their own files."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme

from ..core.config import LoadedConfig, load_config, remember_theme, unknown_keys
from ..core.lock import release_all
from ..core.packs import PackLibrary, reload_library, user_files
from ..core.paths import Home, machine_config_file
from ..core.session_models import ModelLibrary, load_models, reload_models
from ..core.sessions import clean_leftovers
from ..core.timer import Clock, SystemClock
from .changes import attempt
from .context import OffersCommands, TypedApp
from .following import FreshContextExecutor, close_views_of_words
from .leaving import install_signal_handlers
from .messages import News
from .opening_flow import ClientOpener
from .records import RecordKeeper
from .typing_pause import Typing

if TYPE_CHECKING:  # read by the session's worker, imported there: no part of the first frame
    from ..core.patterns import Patterns

_STARTED = time.perf_counter()
PACK_POLL = 1.0  # seconds


class StartScreen(Screen[None]):
    """The bottom of the screen stack. Whenever it comes to the top, the client list goes over it."""

    pal = TypedApp()

    def on_screen_resume(self) -> None:
        self.app.call_later(self.pal.show_client_list)


class SessionPalApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "sessionpal"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", tooltip="Every key, the note prefixes and the deck filter"),
        # Works everywhere; shown in the client list's footer (the session's footer is full).
        Binding("ctrl+o", "packs", "Packs", id="packs", show=False, tooltip="The question packs: browse them, edit your own, hide or star questions"),
        Binding(
            "ctrl+y",
            "review",
            "Review",
            id="review",
            show=False,
            tooltip="Past sessions, open actions and search: this client's in a session, everyone's elsewhere",
        ),
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True, tooltip="Quit; a session in progress is saved and can be resumed"),
        # Where no screen binds it (the review, a past session, F1, the recap, the values view): the blind still
        # comes down, and those views close (close_views_of_words).
        Binding("f9,ctrl+backslash", "private", "Private", id="private", show=False, tooltip="The privacy blind: hides the client's words"),
    ]

    # The privacy blind (F9 in a session): while it is down, no screen, dialog or notification shows
    # the client's name, notes, goals, values or agreements. Screens follow it through privacy_signal.
    private: var[bool] = var(False, init=False)

    def __init__(
        self,
        home: Home,
        *,
        clock: Clock | None = None,
        client: str | None = None,
        config: LoadedConfig | None = None,
        seed: int | None = None,
        coded: bool = False,
    ):
        super().__init__()
        self.home = home
        self.clock: Clock = clock or SystemClock()
        self.client_query = client
        self.coded = coded  # --code: a client created from --client is stored under a code
        self.machine_config = machine_config_file()  # this computer's keys, theme and bell
        self.loaded_config = config or load_config(home, self.machine_config)
        self.config = self.loaded_config.config
        self.records = RecordKeeper(self)
        self.opener = ClientOpener(self)  # opening a client: by name, new, or from the list
        self.seed = seed
        self.exit_message = ""  # printed by run_app after the terminal is restored
        self.packs: PackLibrary | None = None  # loaded in a worker by the first session screen
        self.models: ModelLibrary | None = None
        # Each client's patterns as last read (core/patterns.py), by slug, in memory: the patterns view opens on them
        # and reads them again behind; filled by the last-time card, which reads them for its "carried over" flags.
        self.patterns_read: dict[str, Patterns] = {}
        self._user_files: dict[str, tuple[int, int]] = {}  # the coach's pack and model files, as last seen
        self._opening = False  # `--client NAME` is about to be opened: the client list waits
        # Changes made in the app that other screens show: one signal each, which the screens that care subscribe to.
        self.packs_signal: Signal[None] = Signal(self, "packs_changed")
        self.past_sessions_signal: Signal[None] = Signal(self, "past_sessions_changed")
        self.privacy_signal: Signal[bool] = Signal(self, "privacy_changed")  # the blind up or down: see `private`
        self.signals = (self.packs_signal, self.past_sessions_signal, self.privacy_signal)  # followed: ui/following.py
        self.typing = Typing(self, self.clock)  # nothing else costs a keystroke its frame: ui/typing_pause.py

    # start-up ---------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return StartScreen(id="_default")

    def show_client_list(self) -> None:
        """The client list, whenever nothing else is on screen (at start, after a session, after a cancel)."""
        if isinstance(self.screen, StartScreen) and not self._opening:
            # Imported only when it is shown: at `--client NAME`'s start the session screen comes instead.
            from .screens.clients import ClientPickerScreen

            self.push_screen(ClientPickerScreen())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.typing.key()
        elif isinstance(event, events.Unmount):
            self.typing.stop()
        await super().on_event(event)

    def on_mount(self) -> None:
        # Before any worker starts: the pool its thread workers run in (see ui/following.py).
        asyncio.get_running_loop().set_default_executor(FreshContextExecutor(thread_name_prefix="sessionpal"))
        # $TEXTUAL_THEME (Textual's own setting) wins; then the theme last picked on this computer.
        wanted = os.environ.get("TEXTUAL_THEME") or self.config.theme
        self.theme = wanted if wanted in self.available_themes else "textual-dark"
        self.update_config(theme=self.theme)  # the theme in use: only a different pick is remembered
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._report_config_problems()  # first: it drops the keys the note line would lose
        if self.active_keys:
            self.set_keymap(self.active_keys)
        install_signal_handlers(self)
        clean_leftovers(self.home)
        self._finish_moves()
        if self.client_query:
            # Straight to the client: the picker (which reads every client) comes only when it is needed. Opened
            # once Textual's start-up is over (the first message the app handles): a screen pushed during it is
            # laid out inside the start-up's batch update, which drops that frame's output, and the terminal then
            # stayed blank but for the odd widget until a later layout, four refreshes (~100 ms) on.
            self._opening = True
            self.call_later(self._open_named)
        # An outside edit to a pack or model shows up within two seconds (polling is cheap: a few stat calls).
        # The files are first seen now, before any pack is read: an edit made before the first poll counts too.
        self._user_files = user_files(self.home)
        self.set_interval(PACK_POLL, self.check_pack_files)

    def _open_named(self) -> None:
        """`--client NAME`: that client's session; the list if nothing opened (their client.toml cannot be read)."""
        self._opening = False
        if self.client_query:
            self.opener.named(self.client_query)
        self.show_client_list()

    def _finish_moves(self) -> None:
        """A move of a session a kill left half done is finished before any client is opened, and said."""
        if not self.home.moves_dir.is_dir():
            return
        from ..core.moving import finish_moves

        for finished in finish_moves(self.home, self.clock.now()):
            self.notify(finished.message, title="A move finished", severity="warning", timeout=20, markup=False)

    def on_ready(self) -> None:
        self.log.info(f"sessionpal started in {(time.perf_counter() - _STARTED) * 1000:.0f} ms")
        # Ready comes with the first screen's first layout (the session screen's, at `--client NAME`): once that
        # frame is drawn, what start-up held back goes on.
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        """The first frame is drawn: start-up's objects are kept out of the collector's sight for good and collection
        goes on (cli/app.py cmd_app held it); the privacy look walks the home in a thread, no longer in its way."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        self.records.check_exposure()

    def _report_config_problems(self) -> None:
        problems = [str(p) for p in self.loaded_config.problems]
        # Knowing every command id means importing every screen: only worth it when there are keys to check.
        known: set[str] = set()
        if self.config.keys:
            from .keys import ids_while_typing, known_binding_ids

            known = known_binding_ids(self.BINDINGS)
            live = ids_while_typing(self.BINDINGS)
            typing = self.loaded_config.typing_keys
            refused = {k: p for k, p in typing.items() if k in live and self.config.keys.get(k) != live[k]}
            if refused:
                problems += [str(p) for p in refused.values()]
                self.config = replace(self.config, keys={k: v for k, v in self.config.keys.items() if k not in refused})
        problems += unknown_keys(self.config.keys, known, self.loaded_config.keys_from, self.home.config_file)
        if problems:
            self.notify("\n".join(problems), title="Settings: using defaults for these", severity="warning", timeout=15, markup=False)

    @property
    def active_keys(self) -> dict[str, str]:
        """Binding id -> keys, where they differ from the defaults: the coach's [keys], and in a browser
        tab the alternatives for the keys a browser keeps for itself."""
        if not self.is_web:
            return self.config.keys
        from .keys import BROWSER_KEYS

        return {**BROWSER_KEYS, **self.config.keys}

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Only web and mail links open (a link in a note may say anything: file:, javascript:, a custom scheme)."""
        from urllib.parse import urlsplit

        if urlsplit(url.strip()).scheme.casefold() in ("http", "https", "mailto"):
            super().open_url(url, new_tab=new_tab)
        else:
            self.notify("Only web (http, https) and mail links open from sessionpal.", title="Link not opened", severity="warning", markup=False)

    def key_for(self, binding_id: str, default: str) -> str:
        """The first key that runs a command here, written as the help screen writes it ("F5", "Esc", "ctrl+f")."""
        from .keys import key_label

        return key_label(self.active_keys.get(binding_id, default).split(",")[0])

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self.config.theme:
            return
        if attempt(self, "Theme not remembered", lambda: remember_theme(self.machine_config, theme.name)):
            self.update_config(theme=theme.name)

    def update_config(self, **changes: Any) -> None:
        """Keep the app's copy of config.toml in step after the app itself changed the file."""
        self.config = replace(self.config, **changes)

    # packs and models -----------------------------------------------------------

    def check_pack_files(self) -> None:
        seen = user_files(self.home)
        if seen != self._user_files:
            self._user_files = seen
            self.reload_packs()

    @work(thread=True, exclusive=True, group="reload")
    def reload_packs(self) -> None:
        packs = reload_library(self.packs, self.home) if self.packs is not None else None
        models = reload_models(self.models, self.home) if self.models is not None else None
        self.call_from_thread(self._packs_reloaded, packs, models)

    def reload_packs_now(self) -> None:
        """After an edit made in the app: reload at once, not at the next poll."""
        self._user_files = user_files(self.home)
        packs = reload_library(self.packs, self.home) if self.packs is not None else None
        models = reload_models(self.models, self.home) if self.models is not None else None
        self._packs_reloaded(packs, models, quiet=True)

    def _packs_reloaded(self, packs: PackLibrary | None, models: ModelLibrary | None, quiet: bool = False) -> None:
        problems = []
        if packs is not None:
            self.packs = packs
            problems += packs.problems
        if models is not None:
            self.models = models
            problems += models.problems
        if problems and not quiet:
            self.notify(
                "\n".join(str(p) for p in problems),
                title="A pack or model has a problem: its last good version stays in use",
                severity="warning",
                timeout=20,
                markup=False,
            )
        self.packs_changed()

    def watch_private(self, private: bool) -> None:
        self.privacy_signal.publish(private)
        if private:
            close_views_of_words(self)

    def action_private(self) -> None:
        self.private = not self.private

    def packs_changed(self) -> None:
        """Tell every screen that cares that the packs (or what is hidden or starred) changed."""
        self.packs_signal.publish(None)

    def past_sessions_changed(self) -> None:
        """A past session file was changed in this app (an action ticked, a session moved): every screen that
        shows one (the review's lists, a session's last-time card) reads it again."""
        self.past_sessions_signal.publish(None)

    def action_review(self) -> None:
        from .screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            return
        if self.private:
            self.notify("Private is on: the review stays hidden. F9 shows it.", timeout=4, markup=False)
            return
        # A session screen means its module is loaded; from the client list it is not, and importing it (the notes,
        # the deck, the last-time card) only to learn that this is no session held up everyone's review.
        session = sys.modules.get(f"{__package__}.screens.session")
        client = self.screen.live.client if session is not None and isinstance(self.screen, session.SessionScreen) else None
        self.push_screen(ReviewScreen(client))

    def action_packs(self) -> None:
        from .screens.packs import PacksScreen

        if not isinstance(self.screen, PacksScreen):
            self.push_screen(PacksScreen())

    # clients and sessions ---------------------------------------------------

    def model_library(self) -> ModelLibrary:
        if self.models is None:
            self.models = load_models(self.home)
            if self.models.problems:
                self.notify("\n".join(str(p) for p in self.models.problems), title="Session models skipped", severity="warning", timeout=15, markup=False)
        return self.models

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None, markup: bool = True) -> None:
        """News told during a session goes to its status line, not a toast over the deck or the notes.

        Thread-safe, as App.notify is: the news travels as a message and is placed on the app's thread."""
        if severity == "information":
            self.post_message(News(message, title, timeout, markup))
        else:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_news(self, news: News) -> None:
        from .screens.session import SessionScreen

        screen = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(screen, SessionScreen) and screen.is_mounted:
            screen.notify(news.message, title=news.title, timeout=news.timeout, markup=news.markup)
        else:
            super().notify(news.message, title=news.title, timeout=news.timeout, markup=news.markup)

    # quitting ---------------------------------------------------------------

    def _save_sessions(self) -> list[str]:
        """Save every open session's waiting notes and timer; return their files."""
        from .screens.session import SessionScreen

        files = []
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.save_before_exit()
                if screen.live.path is not None:
                    files.append(str(screen.live.path))
        return files

    async def action_quit(self) -> None:
        from .dialogs.confirm import ConfirmDialog
        from .screens.session import SessionScreen

        self._save_sessions()
        waiting = sum(len(s.live.pending) for s in self.screen_stack if isinstance(s, SessionScreen))
        if not waiting:
            self.exit(0)
            return

        def answered(answer: str | None) -> None:
            if answer == "yes":
                self.exit(1)

        self.push_screen(
            ConfirmDialog(
                f"{waiting} note{'s' if waiting != 1 else ''} could not be saved yet.",
                "Quit anyway and lose them",
                "Stay (saving is retried)",
                detail="They are shown above the note line. Freeing disk space or fixing the folder lets them save.",
            ),
            answered,
        )

    def exit_on_signal(self) -> None:
        """SIGHUP or SIGTERM (ui/leaving.py): no one is there to answer a question (the terminal may be gone), so
        save, let go of the clients, go."""
        try:
            self._save_sessions()
        finally:
            release_all()
            self.exit(0)

    def _handle_exception(self, error: Exception) -> None:
        """An error nothing handled: save what can be saved and leave a short note, not a traceback.

        Textual has no public hook for unhandled errors; this override is the one place that uses its
        name, and it does nothing but public calls: save, then App.exit with a return code."""
        if os.environ.get("SESSIONPAL_DEBUG"):
            super()._handle_exception(error)
            return
        try:
            files = self._save_sessions()
        except Exception:  # saving is best effort here; the notes were written as they were typed
            files = []
        where = f" Your notes are saved in {files[0]}." if files else " Every note shown was already saved."
        # Only the error's type: its message or locals might hold a client's words. run_app prints
        # this once the terminal is restored, unwrapped, so the path can be copied whole.
        self.exit_message = (
            f"sessionpal stopped after an unexpected error ({type(error).__name__}).{where}\n"
            "Run it again to carry on; set SESSIONPAL_DEBUG=1 to see the details."
        )
        self.exit(return_code=1)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # command palette --------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, OffersCommands):
            yield from screen.palette_commands()
        yield SystemCommand("Help", "Every key, the note prefixes and the deck filter", self.action_help)
        from .screenshot import screenshot_command

        for command in super().get_system_commands(screen):
            yield screenshot_command(self) if command.title == "Screenshot" else command

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Textual's screenshot action, the coach's way (see ui/screenshot.py)."""
        from .screenshot import take

        take(self)


def run_app(home: Home, client: str | None = None, coded: bool = False) -> int:
    app = SessionPalApp(home, client=client, coded=coded)
    app.run()
    if app.exit_message:
        print(app.exit_message, file=sys.stderr)
    return app.return_code or 0
