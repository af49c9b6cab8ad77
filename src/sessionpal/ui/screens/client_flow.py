"""The client's session model, engagement and past sessions, from the session screen's palette, and what keeps
coming up with them (ctrl+k): a ClientFlow the screen owns. Each change goes through the screen's one funnel; the screen redraws from the session."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ...core.clients import set_model
from ...core.model import Engagement
from .host import SessionHost

if TYPE_CHECKING:
    from ..widgets.deck import DeckPane
    from ..widgets.notes import NoteInput
    from .last_time_flow import LastTimeFlow
    from .patterns import PatternsAnswer


class ClientHost(SessionHost, Protocol):
    """What the flow needs of the session screen."""

    @property
    def last_time(self) -> LastTimeFlow: ...

    @property
    def deck(self) -> DeckPane: ...

    @property
    def note_line(self) -> NoteInput: ...

    def focus_note(self) -> None: ...

    def blind(self, what: str) -> bool: ...


class ClientFlow:
    def __init__(self, screen: ClientHost):
        self.screen = screen

    def _name(self) -> str:
        """The client's name for a dialog's title; behind the privacy blind, no name."""
        return "this client" if self.screen.pal.private else self.screen.live.client.name

    def models_changed(self) -> None:
        """The models were reloaded: this session's model as it now reads (its phases may have changed)."""
        models, live = self.screen.pal.models, self.screen.live
        if models is not None:
            model = models.get(live.model.id)
            if model != live.model:
                self.screen.change("Model not saved", lambda: live.set_model(model))

    def choose_model(self) -> None:
        """Choose the session model (the timer's phases); or make the current one this client's default."""
        from ..dialogs.confirm import ChoiceDialog

        models = self.screen.pal.model_library().models
        current = self.screen.live.model
        choices = [(m.id, f"{'● ' if m.id == current.id else '  '}{m.title}  ({', '.join(p.title for p in m.phases)})") for m in models.values()]
        if self.screen.live.client.model != current.id:
            whose = "this client's" if self.screen.pal.private else f"{self.screen.live.client.name}'s"
            choices.append(("+default", f"Make “{current.title}” {whose} default model"))

        def chosen(model_id: str | None) -> None:
            live = self.screen.live
            if model_id == "+default":
                self.screen.change(
                    "Default not saved",
                    lambda: live.edit_client(lambda: set_model(self.screen.pal.home, live.client.slug, current.id)),
                    done=lambda: self._model_made_default(current.title),
                )
            elif model_id and model_id != current.id:
                self.screen.change("Model not saved", lambda: live.set_model(models[model_id]))

        self.screen.app.push_screen(ChoiceDialog("Session model: the phases of this session", choices), chosen)

    def _model_made_default(self, title: str) -> None:
        self.screen.pal.records.autocommit([self.screen.live.client.path], f"Client {self.screen.live.client.slug}: default session model")
        self.screen.notify(f"{title} is now {self.screen.live.client.name}'s default.", markup=False)

    def engagement(self) -> None:
        from ...core.clients import set_engagement
        from ..dialogs.text import EngagementDialog

        client = self.screen.live.client

        def answered(result: Engagement | None) -> None:
            if result is not None:
                self.screen.change(
                    "Engagement not saved",
                    lambda: self.screen.live.edit_client(lambda: set_engagement(self.screen.pal.home, client.slug, result, self.screen.pal.clock.now().date())),
                    done=self.screen.last_time.show,
                )

        self.screen.app.push_screen(EngagementDialog(self._name(), client.engagement, self.screen.pal.clock.now().date()), answered)

    def past_session(self) -> None:
        from ...core.past import record_past_session
        from ..dialogs.text import PastSessionDialog

        client, home = self.screen.live.client, self.screen.pal.home

        def answered(result: tuple[date, int, bool, list[str]] | None) -> None:
            if result is None:
                return
            day, minutes, pro_bono, notes = result
            saved: list[Path] = []
            record = lambda: saved.append(record_past_session(home, client.slug, day, minutes, pro_bono=pro_bono, notes=notes, now=self.screen.pal.clock.now()))  # noqa: E731

            def recorded() -> None:
                self.screen.pal.records.autocommit([saved[0]], f"Past session with {client.slug}: {saved[0].stem}")
                self.screen.notify(f"{day.isoformat()}, {minutes} min: the review lists it.", title="Past session added", markup=False)
                self.screen.last_time.reread()

            self.screen.change("Past session not saved", record, done=recorded)

        self.screen.app.push_screen(PastSessionDialog(self._name(), self.screen.live.planned_minutes, self.screen.pal.clock.now().date()), answered)

    # what keeps coming up ------------------------------------------------------------

    def patterns(self) -> None:
        """ctrl+k: what keeps coming up with the client (screens/patterns.py, imported only now)."""
        from .patterns import open_patterns

        if self.screen.blind("the client's patterns"):
            return
        live = self.screen.live
        open_patterns(self.screen.pal, live.client, current=live.path, live=not live.read_only and not live.ended, answered=self._patterns_answered)

    def _patterns_answered(self, answer: PatternsAnswer | None) -> None:
        """Back from the patterns view: a quote reflected into the note line (to change, then Enter), or the
        playbook's real-reason questions in the deck."""
        if answer is None:
            return
        if answer.deck_filter:
            self.screen.deck.set_filter(answer.deck_filter)
        if answer.note:
            note = self.screen.note_line
            if note.value.strip():
                self.screen.notify("The note line has words in it: save or clear them, then q again.", title="Not put in the note line", markup=False)
                return
            note.value = answer.note
            note.cursor_position = len(answer.note)
        self.screen.focus_note()
