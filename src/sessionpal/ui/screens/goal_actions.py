"""Goals, values and focus areas on the session screen: a mixin for SessionScreen.

Everything here asks the LiveSession to make a change (written before it
returns) and then redraws the sidebar; a failure is shown and nothing else
happens. The sidebar, the goal dialogs and the alignment view only post what the
coach chose.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Callable

from textual.app import SystemCommand
from textual.content import Content

from ...core.live import SaveFailed
from ...core.model import GoalStatus, Move
from ...core.stalled import SessionFacts, rating_trend
from ...core.versions import WouldShrink
from ..dialogs.confirm import ChoiceDialog, ConfirmDialog
from ..dialogs.goal_menu import GoalMenuDialog
from ..dialogs.goals import ALIGNMENT, NEW_GOAL, AddGoalDialog, GoalPickerDialog, GoalStatusDialog
from ..dialogs.text import AreasDialog, RateDialog, TextDialog
from ..widgets.deck import DeckPane
from ..widgets.goals import FLAG, GoalsPane
from ..widgets.notes import NoteInput
from .alignment import AlignmentScreen

if TYPE_CHECKING:
    from ...core.live import LiveSession

PLAYBOOK_FILTER = "#stalled #reason @all"
PERMISSION_QUESTION = "opening/permission-sensitive"


class GoalActions:
    live: LiveSession
    past: tuple[SessionFacts, ...]
    flags: dict[str, str]
    reminded: set[str]

    # drawing ------------------------------------------------------------------

    def refresh_goals(self) -> None:
        """Redraw the sidebar (goals or focus areas), the stalled flags and the deck's offer."""
        client = self.live.client
        pane = self.query_one(GoalsPane)
        deck = self.query_one(DeckPane)
        if client.no_goals:
            touched = self.live.document.info.focus_areas if self.live.document else ()
            pane.show_areas(self.app.config.focus_areas, touched)
            self.flags = {}
        else:
            self.flags = self.live.stalled(self.past, self.app.config.stalled_after)
            trends = {g.id: rating_trend(g.id, list(self.past)) for g in client.goals}
            pane.show(client.goals, trends=trends, flagged=self.flags, rated=self.live.ratings_now())
        if self.flags:
            titles = [client.goal(g).title for g in self.flags if client.goal(g)]
            which = f"“{titles[0]}”" if len(titles) == 1 else f"{len(titles)} goals"
            deck.set_offer(f"{FLAG} {which} may be stalled: F7 offers the playbook; the deck has its questions under #stalled")
        else:
            deck.set_offer("")
        self.query_one(NoteInput).suggester.tags = self._tags()

    def _tags(self) -> list[str]:
        client = self.live.client
        areas = [a.casefold().replace(" ", "-") for a in (*client.ask_first, *client.agreed)]
        return sorted({g.id for g in client.goals if g.status.is_open} | set(areas))

    def _changed(self, title: str, change: Callable[[], object]) -> bool:
        try:
            change()
        except WouldShrink as error:
            self.app.confirm_shrink(error, lambda: self._changed(title, change))
            return False
        except SaveFailed as error:
            self.notify(str(error), title=title, severity="error", timeout=15, markup=False)
            return False
        self.refresh_goals()
        self.app.autocommit([self.live.client.path], f"Client {self.live.client.slug}: goals")
        return True

    # reminders ------------------------------------------------------------------

    def remind_permission(self, text: str) -> None:
        """A gentle reminder, once per area per session, when a note or goal names an ask-first area."""
        for area in self.live.ask_first_areas(text):
            if area.casefold() in self.reminded:
                continue
            self.reminded.add(area.casefold())
            question = self.app.packs.question(PERMISSION_QUESTION) if self.app.packs else None
            ask = f" You might ask: “{question.text}”" if question else ""
            self.notify(f"{self.live.client.name} asked to be asked first about {area}.{ask}", title=f"Ask first: {area}", timeout=15, markup=False)

    # F7 ---------------------------------------------------------------------------

    def action_goals(self) -> None:
        client = self.live.client
        narrow = self.has_class("-narrow")
        if client.no_goals:
            if narrow:
                self._pick_area()
            else:
                self.query_one(GoalsPane).focus_list()
            return
        if not client.goals:
            self.goal_action("", "add")
        elif narrow:
            self._pick_goal(lambda goal_id: self.goal_action(goal_id, "menu"))
        else:
            self.query_one(GoalsPane).focus_list()

    def _pick_goal(self, then: Callable[[str], None]) -> None:
        """Which goal? The sidebar's highlighted one if the sidebar has the cursor, else ask."""
        pane = self.query_one(GoalsPane)
        if pane.has_focus_within and pane.current_goal():
            then(pane.current_goal())
            return

        def chosen(goal_id: str | None) -> None:
            if goal_id == NEW_GOAL:
                self.goal_action("", "add")
            elif goal_id == ALIGNMENT:
                self.action_alignment()
            elif goal_id:
                then(goal_id)

        self.app.push_screen(GoalPickerDialog(pane.goals or self.live.client.goals), chosen)

    def _pick_area(self) -> None:
        touched = self.live.document.info.focus_areas if self.live.document else ()
        choices = [(a, f"{'✓' if a in touched else '·'} {a}") for a in self.app.config.focus_areas]
        self.app.push_screen(
            ChoiceDialog("Focus areas touched in this session (Enter ticks or unticks)", choices),
            lambda area: area and self._changed("Focus area not saved", lambda: self.live.toggle_focus_area(area)),
        )

    # Named handlers, not @on: Textual registers @on only on classes its metaclass builds, and this is a mixin.
    def on_goals_pane_chosen(self, event: GoalsPane.Chosen) -> None:
        self.goal_action(event.goal_id, event.what)

    def on_goals_pane_area_toggled(self, event: GoalsPane.AreaToggled) -> None:
        was_started = self.live.started
        if self._changed("Focus area not saved", lambda: self.live.toggle_focus_area(event.area)) and not was_started:
            self._show_state()

    # one goal -----------------------------------------------------------------------

    def goal_action(self, goal_id: str, what: str) -> None:
        """Do `what` to a goal: an action from the sidebar, the goal menu or the palette."""
        live = self.live
        if what == "add":
            self._add_goal()
            return
        if what == "alignment":
            self.action_alignment()
            return
        goal = live.client.goal(goal_id)
        if goal is None:
            return
        if what == "menu":
            self.app.push_screen(GoalMenuDialog(goal, self.flags.get(goal_id, "")), lambda choice: choice and self.goal_action(goal_id, choice))
        elif what == "status":
            self.app.push_screen(GoalStatusDialog(goal), lambda result: result and self._set_status(goal_id, *result))
        elif what == "rate":
            trend = rating_trend(goal_id, list(self.past))
            self.app.push_screen(
                RateDialog(goal.title, trend, live.ratings_now().get(goal_id)),
                lambda rating: rating and self._rated(goal_id, rating),
            )
        elif what == "rename":
            self.app.push_screen(
                TextDialog(Content.from_markup("Rename [b]$title[/b]", title=goal.title), "The goal in the client's own words", goal.title),
                lambda title: title and self._changed("Goal not renamed", lambda: live.rename_goal(goal_id, title)),
            )
        elif what in ("value", "move:value"):
            values = live.client.values
            hint = f"Their values: {', '.join(values)}. A new word is added to their values." if values else "A new word is added to their values."
            self.app.push_screen(
                TextDialog(Content.from_markup("Which value does [b]$title[/b] serve?", title=goal.title), hint, goal.value, suggestions=values, allow_blank=True),
                lambda value: value is not None and self._changed("Value not linked", lambda: live.link_value(goal_id, value)),
            )
        elif what == "tags":
            self.app.push_screen(
                TextDialog(Content.from_markup("Areas of life [b]$title[/b] touches", title=goal.title), "Comma-separated, e.g. family, health", ", ".join(goal.tags), allow_blank=True),
                lambda text: text is not None and self._tagged(goal_id, text),
            )
        elif what in ("up", "down"):
            self._changed("Goal not moved", lambda: live.move_goal(goal_id, -1 if what == "up" else 1))
        elif what.startswith("move:"):
            self._playbook(goal_id, what[5:])

    def _set_status(self, goal_id: str, status: GoalStatus, note: str) -> None:
        if status is GoalStatus.CHANGED:
            # A changed goal always links to what replaced it: ask for it, as the playbook does.
            goal = self.live.client.goal(goal_id)
            self.app.push_screen(
                TextDialog(f"“{goal.title}” has changed: what is the goal now?", "In the client's own words", ok="Save"),
                lambda title: title and self._changed("Goal not changed", lambda: self.live.succeed_goal(goal_id, title, Move.REPLACE)),
            )
            return
        if self._changed("Goal not changed", lambda: self.live.change_goal(goal_id, status, note)):
            self.notify(f"{self.live.client.goal(goal_id).title}: {status.label}", markup=False)

    def _rated(self, goal_id: str, rating: int) -> None:
        was_started = self.live.started
        if self._changed("Rating not saved", lambda: self.live.rate_goal(goal_id, rating)) and not was_started:
            self._show_state()

    def _tagged(self, goal_id: str, text: str) -> None:
        tags = [t.strip() for t in text.split(",") if t.strip()]
        if self._changed("Areas not saved", lambda: self.live.tag_goal(goal_id, tags)):
            self.remind_permission(" ".join(f"#{t.replace(' ', '-')}" for t in tags))

    def _add_goal(self) -> None:
        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None and self._changed("Goal not added", lambda: self.live.add_goal(*result)):
                self.notify(f"Goal added: {result[0]}", markup=False)

        self.app.push_screen(AddGoalDialog(self.live.client.values), chosen)

    # the stalled-goal playbook ---------------------------------------------------------

    def _playbook(self, goal_id: str, move: str) -> None:
        live, goal = self.live, self.live.client.goal(goal_id)
        if move == "reason":
            if self._changed("Move not recorded", lambda: live.explore_reason(goal_id)):
                self.query_one(DeckPane).set_filter(PLAYBOOK_FILTER)
                self.query_one(NoteInput).focus()
        elif move == "support":
            when = (self.app.clock.now() + timedelta(days=3)).strftime("%A")
            self.app.push_screen(
                TextDialog("Add support between sessions", "When shall you check in by message? (it becomes an action in this session)", when),
                lambda text: text and self._support(goal_id, text),
            )
        elif move in ("shrink", "replace"):
            label = "A step doable within a day or two, in the client's words" if move == "shrink" else "The new goal, in the client's words"
            title = f"Shrink “{goal.title}”" if move == "shrink" else f"Replace “{goal.title}”"
            self.app.push_screen(
                TextDialog(title, label, ok="Save"),
                lambda text: text and self._changed("Goal not changed", lambda: live.succeed_goal(goal_id, text, Move(move))),
            )
        elif move == "aside":
            self.app.push_screen(
                ConfirmDialog(
                    "Set all goals aside for now?",
                    "Work without goals",
                    "Keep the goals",
                    detail="The sidebar shows focus areas instead; every goal is kept and you can switch back any time.",
                ),
                lambda answer: answer == "yes" and self._changed("Not switched", lambda: live.set_goals_aside(goal_id)),
            )

    def _support(self, goal_id: str, when: str) -> None:
        was_started = self.live.started
        if self._changed("Support not added", lambda: self.live.add_support(goal_id, when)):
            self._show_log()
            if not was_started:
                self._show_state()

    # the client: values, goals or not, areas ----------------------------------------------

    def action_alignment(self) -> None:
        def closed(ref: str | None) -> None:
            self.refresh_goals()
            if ref and not self.query_one(DeckPane).show_question(ref):
                self.notify("That question is not in the packs loaded.", markup=False)

        self.app.push_screen(AlignmentScreen(self.live), closed)

    def action_toggle_no_goals(self) -> None:
        want = not self.live.client.no_goals
        if self._changed("Not switched", lambda: self.live.set_no_goals(want)):
            self.notify("Working without goals: the sidebar shows focus areas; the goals are kept." if want else "Working with goals again.", markup=False)

    def action_areas(self) -> None:
        client = self.live.client
        self.app.push_screen(
            AreasDialog(client.name, client.agreed, client.ask_first),
            lambda result: result and self._changed("Areas not saved", lambda: self.live.set_areas(*result)),
        )

    def action_agreement(self) -> None:
        current = self.live.document.info.agreement if self.live.document else ""

        def chosen(text: str | None) -> None:
            if text:
                self.query_one(NoteInput).post_message(NoteInput.Submitted(self.query_one(NoteInput), "=" + text))

        self.app.push_screen(TextDialog("The session agreement", "What does the client want from this session?", current), chosen)

    def goal_commands(self) -> list[SystemCommand]:
        """The goal work in the command palette (a goal is picked first when needed)."""
        each = lambda what: lambda: self._pick_goal(lambda goal_id: self.goal_action(goal_id, what))  # noqa: E731
        no_goals = self.live.client.no_goals
        commands = [
            SystemCommand("Session agreement", "What the client wants from this session (or type = then the agreement)", self.action_agreement),
            SystemCommand("Values and goals", "The alignment view: which goal serves which value", self.action_alignment),
            SystemCommand("Work with goals again" if no_goals else "Work without goals", "Switch; nothing is deleted", self.action_toggle_no_goals),
            SystemCommand("Areas agreed and to ask first", "What the client agreed to be coached on, and what to ask about first", self.action_areas),
        ]
        if not no_goals:
            commands += [
                SystemCommand("Add goal", "Add a goal in the client's own words", lambda: self.goal_action("", "add")),
                SystemCommand("Goal: change status", "With a one-line note for its history", each("status")),
                SystemCommand("Goal: rate progress", "1 to 10, for this session", each("rate")),
                SystemCommand("Goal: rename", "In the client's own words", each("rename")),
                SystemCommand("Goal: link to a value", "Which of the client's values it serves", each("value")),
                SystemCommand("Goal: areas it touches", "An ask-first area brings a reminder to ask", each("tags")),
                SystemCommand("Goal: move up", "In the sidebar's order", each("up")),
                SystemCommand("Goal: move down", "In the sidebar's order", each("down")),
                SystemCommand("Goal: stalled-goal playbook", "Moves to try instead of pushing harder", each("menu")),
                SystemCommand("Stalled-goal questions", "The playbook's questions in the deck", lambda: self.query_one(DeckPane).set_filter(PLAYBOOK_FILTER)),
            ]
        return commands
