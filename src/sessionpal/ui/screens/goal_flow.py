"""Goals, values and focus areas on the session screen: a GoalFlow the screen owns.

The flow asks the coach (dialogs, the goal menu, the playbook) and hands each
change to the screen's one funnel (`screen.change`), which runs it through the
LiveSession and redraws from the session's revision. It calls only the screen's
public face (GoalHost); it never draws. While the privacy blind is down it opens
nothing that would show a goal, a value or an area.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, assert_never, cast

from textual.app import SystemCommand
from textual.content import Content
from textual.notifications import SeverityLevel

from ...core.model import Goal, GoalStatus, Move
from ...core.stalled import SessionFacts, rating_trend
from ..changes import when_answered, when_yes
from ..widgets.goals import FLAG, GoalIntent, GoalsPane, Sidebar

if TYPE_CHECKING:
    from textual.app import App

    from ...core.live import LiveSession
    from ..app import SessionPalApp
    from ..widgets.deck import DeckPane
    from ..widgets.notes import NoteInput
    from ..widgets.status import StatusLine

# The dialogs and the alignment view are imported where they open, not here: the flow draws the sidebar from the
# first frame on (show), and a session's first paint needs none of them.

PLAYBOOK_FILTER = "#stalled #reason @all"
PERMISSION_QUESTION = "opening/permission-sensitive"


class GoalHost(Protocol):
    """What the flow needs of the session screen."""

    live: LiveSession
    reminder: tuple[str, str]
    past: tuple[SessionFacts, ...]
    sidebar: Sidebar | None
    offer: str
    app: App[int]

    @property
    def deck(self) -> DeckPane: ...

    @property
    def goals_pane(self) -> GoalsPane: ...

    def change(self, title: str, change: Callable[[], object], *, done: Callable[[], object] | None = None) -> bool: ...

    def blind(self, what: str) -> bool: ...

    def focus_note(self) -> None: ...

    def has_class(self, *names: str) -> bool: ...

    @property
    def status(self) -> StatusLine: ...

    def arm_goals(self) -> None: ...

    @property
    def note_line(self) -> NoteInput: ...

    def notify(self, message: str, *, title: str = ..., severity: SeverityLevel = ..., timeout: float | None = ..., markup: bool = ...) -> None: ...


class GoalFlow:
    def __init__(self, screen: GoalHost):
        self.screen = screen
        self.reminded: set[str] = set()  # ask-first areas already pointed out this session
        self.flags: dict[str, str] = {}  # goal id -> why it may be stalled (from the past sessions' facts)

    @property
    def live(self) -> LiveSession:
        return self.screen.live

    @property
    def app(self) -> App[int]:
        return self.screen.app

    @property
    def pal(self) -> SessionPalApp:
        return cast("SessionPalApp", self.screen.app)

    def _changed(self, title: str, change: Callable[[], object], done: Callable[[], object] | None = None) -> bool:
        """A change to client.toml (or the session's goal fields), through the screen's funnel; committed with autocommit."""
        live = self.live

        def made() -> None:
            self.pal.records.autocommit([live.client.path], f"Client {live.client.slug}: goals")
            if done is not None:
                done()

        return self.screen.change(title, change, done=made)

    # reminders ------------------------------------------------------------------

    def show(self) -> None:
        """The sidebar's state (goals or focus areas, with the stalled flags) and the deck's offer, into the
        screen's reactives (their panes draw), and the tags the note line completes."""
        client, goals = self.live.client, self.live.goals
        if client.no_goals:
            self.flags = {}
            touched = self.live.document.info.focus_areas if self.live.document else ()
            self.screen.sidebar = Sidebar(areas=self.pal.config.focus_areas, touched=touched)
        else:
            self.flags = goals.stalled(self.screen.past, self.pal.config.stalled_after)
            trends = {g.id: tuple(rating_trend(g.id, list(self.screen.past))) for g in client.goals}
            self.screen.sidebar = Sidebar.of_goals(client.goals, trends, frozenset(self.flags), goals.ratings_now())
        titles = [goal.title for goal in (client.goal(g) for g in self.flags) if goal]
        which = f"“{titles[0]}”" if len(titles) == 1 else f"{len(titles)} goals"
        self.screen.offer = f"{FLAG} {which} may be stalled · F7: the playbook · #stalled: its questions" if self.flags else ""
        areas = [a.casefold().replace(" ", "-") for a in (*client.ask_first, *client.agreed)]
        self.screen.note_line.tag_suggester.tags = sorted({g.id for g in client.goals if g.status.is_open} | set(areas))

    def remind_permission(self, text: str) -> None:
        """A gentle reminder, once per area per session, when a note or goal names an ask-first area."""
        for area in self.live.goals.ask_first_areas(text):
            if area.casefold() in self.reminded:
                continue
            self.reminded.add(area.casefold())
            question = self.pal.packs.question(PERMISSION_QUESTION) if self.pal.packs else None
            ask = f"You might ask: “{question.text}”" if question else "Ask permission before coaching here."
            # Whole, above the note line (the status line would cut it), until the next note; and in F1's news.
            if self.pal.private:  # the blind is down: which area, and whose, stay hidden
                title, message = "Ask first", f"A note names an area this client asked to be asked about first. {ask}"
            else:
                title, message = f"Ask first: {area}", ask
            self.screen.reminder = (title, message)
            self.screen.status.said.append((title, message))

    # F7 ---------------------------------------------------------------------------

    def open(self) -> None:
        """F7: the sidebar gets the cursor (at 80 columns, a goal picker); no goals yet: add one."""
        if self.screen.blind("the goals"):
            return
        client = self.live.client
        narrow = self.screen.has_class("-narrow")
        if client.no_goals:
            if narrow:
                self._pick_area()
            else:
                self.screen.arm_goals()
            return
        if not client.goals:
            self.add()
        elif narrow:
            self._pick_goal(self.menu)
        else:
            self.screen.arm_goals()

    def _pick_goal(self, then: Callable[[str], object]) -> None:
        """Which goal? Asked in the goal picker (the palette's goal commands)."""
        from ..dialogs.goals import ALIGNMENT, NEW_GOAL, GoalPickerDialog

        if self.screen.blind("the goals"):
            return
        pane = self.screen.goals_pane

        def chosen(goal_id: str | None) -> None:
            if goal_id == NEW_GOAL:
                self.add()
            elif goal_id == ALIGNMENT:
                self.alignment()
            elif goal_id:
                then(goal_id)

        typed = self.screen.note_line.insert_text_at_cursor
        self.app.push_screen(GoalPickerDialog(pane.goals or self.live.client.goals, frozenset(self.flags), typed), chosen)

    def _pick_area(self) -> None:
        from ..dialogs.confirm import ChoiceDialog

        touched = self.live.document.info.focus_areas if self.live.document else ()
        choices = [(a, f"{'✓' if a in touched else '·'} {a}") for a in self.pal.config.focus_areas]
        self.app.push_screen(
            ChoiceDialog("Focus areas touched in this session (Enter ticks or unticks)", choices),
            when_answered(lambda area: self.toggle_area(area)),
        )

    def toggle_area(self, area: str) -> None:
        self._changed("Focus area not saved", lambda: self.live.goals.toggle_focus_area(area))

    # one goal -----------------------------------------------------------------------

    def _goal(self, goal_id: str) -> Goal | None:
        """The goal to act on, unless the blind is down (or it is gone since it was highlighted)."""
        if self.screen.blind("the goals"):
            return None
        return self.live.client.goal(goal_id)

    def choose(self, goal_id: str, choice: GoalIntent | Move) -> None:
        """What the goal menu returned: one of its actions, or a playbook move."""
        if isinstance(choice, Move):
            self.playbook(goal_id, choice)
            return
        match choice:
            case GoalIntent.STATUS:
                self.status(goal_id)
            case GoalIntent.RATE:
                self.rate(goal_id)
            case GoalIntent.RENAME:
                self.rename(goal_id)
            case GoalIntent.VALUES:
                self.link_values(goal_id)
            case GoalIntent.AREAS:
                self.areas_of(goal_id)
            case GoalIntent.UP:
                self.reorder(goal_id, -1)
            case GoalIntent.DOWN:
                self.reorder(goal_id, 1)
            case _:
                assert_never(choice)

    def menu(self, goal_id: str) -> None:
        from ..dialogs.goal_menu import GoalMenuDialog, menu_choice

        goal = self._goal(goal_id)
        if goal is not None:
            self.app.push_screen(
                GoalMenuDialog(goal, self.flags.get(goal_id, ""), self.live.goals.playbook_tried(goal_id)),
                when_answered(lambda choice: self.choose(goal_id, menu_choice(choice))),
            )

    def status(self, goal_id: str) -> None:
        from ..dialogs.goals import GoalStatusDialog

        goal = self._goal(goal_id)
        if goal is not None:
            self.app.push_screen(GoalStatusDialog(goal), when_answered(lambda result: self._set_status(goal_id, *result)))

    def rate(self, goal_id: str) -> None:
        from ..dialogs.text import RateDialog

        goal, goals = self._goal(goal_id), self.live.goals
        if goal is None:
            return
        trend = rating_trend(goal_id, list(self.screen.past))
        self.app.push_screen(
            RateDialog(goal.title, trend, goals.ratings_now().get(goal_id)),
            when_answered(lambda rating: self._changed("Rating not saved", lambda: goals.rate_goal(goal_id, rating))),
        )

    def rename(self, goal_id: str) -> None:
        from ..dialogs.text import TextDialog

        goal, goals = self._goal(goal_id), self.live.goals
        if goal is None:
            return
        self.app.push_screen(
            TextDialog(Content.from_markup("Rename [b]$title[/b]", title=goal.title), "The goal in the client's own words", goal.title),
            when_answered(lambda title: self._changed("Goal not renamed", lambda: goals.rename_goal(goal_id, title))),
        )

    def link_values(self, goal_id: str, *, playbook: bool = False) -> None:
        from ..dialogs.text import TextDialog

        goal, goals = self._goal(goal_id), self.live.goals
        if goal is None:
            return
        values = self.live.client.values
        hint = (
            "Comma-separated: a goal may serve several. " + (f"Their values: {', '.join(values)}. " if values else "") + "A new word is added to their values."
        )
        self.app.push_screen(
            TextDialog(
                Content.from_markup("Which values does [b]$title[/b] serve?", title=goal.title),
                hint,
                ", ".join(goal.values),
                suggestions=values,
                allow_blank=True,
            ),
            when_answered(
                lambda text: self._changed(
                    "Values not linked", lambda: goals.set_goal_values(goal_id, [v.strip() for v in text.split(",")], playbook=playbook)
                ),
                blank=True,
            ),
        )

    def areas_of(self, goal_id: str) -> None:
        from ..dialogs.text import TextDialog

        goal = self._goal(goal_id)
        if goal is None:
            return
        self.app.push_screen(
            TextDialog(
                Content.from_markup("Areas of life [b]$title[/b] touches", title=goal.title),
                "Comma-separated, e.g. family, health",
                ", ".join(goal.tags),
                allow_blank=True,
            ),
            when_answered(lambda text: self._tagged(goal_id, text), blank=True),
        )

    def reorder(self, goal_id: str, delta: int) -> None:
        if self._goal(goal_id) is not None:
            self._changed("Goal not moved", lambda: self.live.goals.move_goal(goal_id, delta))

    def _set_status(self, goal_id: str, status: GoalStatus, note: str) -> None:
        from ..dialogs.text import TextDialog

        goals = self.live.goals
        if status is GoalStatus.CHANGED:
            # A changed goal always links to what replaced it: ask for it, as the playbook does.
            goal = self.live.client.goal(goal_id)
            title = goal.title if goal else goal_id
            self.app.push_screen(
                TextDialog(f"“{title}” has changed: what is the goal now?", "In the client's own words", ok="Save"),
                when_answered(lambda title: self._changed("Goal not changed", lambda: goals.succeed_goal(goal_id, title, Move.REPLACE))),
            )
            return
        self._changed(
            "Goal not changed", lambda: goals.change_goal(goal_id, status, note), done=lambda: self.screen.notify(f"Goal status: {status.label}", markup=False)
        )

    def _tagged(self, goal_id: str, text: str) -> None:
        tags = [t.strip() for t in text.split(",") if t.strip()]
        self._changed(
            "Areas not saved",
            lambda: self.live.goals.tag_goal(goal_id, tags),
            done=lambda: self.remind_permission(" ".join(f"#{t.replace(' ', '-')}" for t in tags)),
        )

    def add(self) -> None:
        from ..dialogs.goals import AddGoalDialog

        if self.screen.blind("the goals"):
            return

        def chosen(result: tuple[str, str] | None) -> None:
            if result is not None:
                # The refusal names the goal as typed, so the client's words are not lost with it.
                self._changed(
                    f"Goal not added: “{result[0]}”", lambda: self.live.goals.add_goal(*result), done=lambda: self.screen.notify("Goal added", markup=False)
                )

        self.app.push_screen(AddGoalDialog(self.live.client.values), chosen)

    # the stalled-goal playbook ---------------------------------------------------------

    def playbook(self, goal_id: str, move: Move) -> None:
        from ..dialogs.confirm import ConfirmDialog
        from ..dialogs.text import TextDialog

        goals, goal = self.live.goals, self._goal(goal_id)
        if goal is None:
            return
        if move is Move.VALUE:
            self.link_values(goal_id, playbook=True)
        elif move is Move.REASON:
            self._changed("Move not recorded", lambda: goals.explore_reason(goal_id), done=lambda: self.screen.deck.set_filter(PLAYBOOK_FILTER))
        elif move is Move.SUPPORT:
            when = (self.pal.clock.now() + timedelta(days=3)).strftime("%A")
            self.app.push_screen(
                TextDialog("Add support between sessions", "When shall you check in by message? (it becomes an action in this session)", when),
                when_answered(lambda text: self._changed("Support not added", lambda: goals.add_support(goal_id, text))),
            )
        elif move in (Move.SHRINK, Move.REPLACE):
            label = "A step doable within a day or two, in the client's words" if move is Move.SHRINK else "The new goal, in the client's words"
            title = f"Shrink “{goal.title}”" if move is Move.SHRINK else f"Replace “{goal.title}”"
            self.app.push_screen(
                TextDialog(title, label, ok="Save"),
                when_answered(lambda text: self._changed("Goal not changed", lambda: goals.succeed_goal(goal_id, text, move))),
            )
        elif move is Move.DROP_ALL:
            self.app.push_screen(
                ConfirmDialog(
                    "Set all goals aside for now?",
                    "Work without goals",
                    "Keep the goals",
                    detail="The sidebar shows focus areas instead; every goal is kept and you can switch back any time.",
                ),
                when_yes(lambda: self._changed("Not switched", lambda: goals.set_goals_aside(goal_id))),
            )

    # the client: values, goals or not, areas ----------------------------------------------

    def alignment(self) -> None:
        from .alignment import AlignmentScreen

        if self.screen.blind("the values and goals"):
            return

        def closed(ref: str | None) -> None:
            if ref and not self.screen.deck.show_question(ref):
                self.screen.notify("That question is not in the packs loaded.", markup=False)

        self.app.push_screen(AlignmentScreen(self.live), closed)

    def toggle_no_goals(self) -> None:
        want = not self.live.client.no_goals
        said = "Working without goals: the sidebar shows focus areas; the goals are kept." if want else "Working with goals again."
        self._changed("Not switched", lambda: self.live.goals.set_no_goals(want), done=lambda: self.screen.notify(said, markup=False))

    def areas(self) -> None:
        from ..dialogs.text import AreasDialog

        if self.screen.blind("the agreed areas"):
            return
        client = self.live.client
        self.app.push_screen(
            AreasDialog(client.name, client.agreed, client.ask_first),
            when_answered(lambda result: self._changed("Areas not saved", lambda: self.live.goals.set_areas(*result))),
        )

    def commands(self) -> list[SystemCommand]:
        """The goal work in the command palette (a goal is picked first when needed)."""

        def each(act: Callable[[str], object]) -> Callable[[], None]:
            return lambda: self._pick_goal(act)

        no_goals = self.live.client.no_goals
        commands = [
            SystemCommand("Values and goals", "The alignment view: which goal serves which value", self.alignment),
            SystemCommand("Work with goals again" if no_goals else "Work without goals", "Switch; nothing is deleted", self.toggle_no_goals),
            SystemCommand("Areas agreed and to ask first", "What the client agreed to be coached on, and what to ask about first", self.areas),
        ]
        if not no_goals:
            commands += [
                SystemCommand("Add goal", "Add a goal in the client's own words", self.add),
                SystemCommand("Goal: change status", "With a one-line note for its history", each(self.status)),
                SystemCommand("Goal: rate progress", "1 to 10, for this session", each(self.rate)),
                SystemCommand("Goal: rename", "In the client's own words", each(self.rename)),
                SystemCommand("Goal: link to a value", "Which of the client's values it serves", each(self.link_values)),
                SystemCommand("Goal: areas it touches", "An ask-first area brings a reminder to ask", each(self.areas_of)),
                SystemCommand("Goal: move up", "In the sidebar's order", each(lambda goal_id: self.reorder(goal_id, -1))),
                SystemCommand("Goal: move down", "In the sidebar's order", each(lambda goal_id: self.reorder(goal_id, 1))),
                SystemCommand("Goal: stalled-goal playbook", "Moves to try instead of pushing harder", each(self.menu)),
                SystemCommand("Stalled-goal questions", "The playbook's questions in the deck", lambda: self.screen.deck.set_filter(PLAYBOOK_FILTER)),
            ]
        return commands
