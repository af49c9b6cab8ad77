"""Values and goals side by side: the five-values/five-goals calibration, done live with the client.

Values run down the side, open goals across; a dot where a goal serves a value
(a goal may serve several). A goal with no value and a value with no goal are highlighted, and the
matching question from the values pack is one key (q) away: it goes to the
deck, ready to ask.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ...core.live import LiveSession
from ...core.stalled import Alignment, alignment
from ..changes import attempt
from ..context import TypedApp
from ..dialogs.confirm import ConfirmDialog
from ..dialogs.text import TextDialog
from ..following import BLIND_CLOSES_THIS, FollowsApp

QUESTION_FOR_GOAL_WITHOUT_VALUE = "values/goal-without-value"
QUESTION_FOR_VALUE_WITHOUT_GOAL = "values/value-without-goal"
QUESTION_SIDE_BY_SIDE = "values/side-by-side"
LINK = "●"


def short(text: str, width: int = 20) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class AlignmentScreen(ModalScreen[str | None], FollowsApp):
    """Returns the ref of a question to show in the deck, or None."""

    CLOSES_UNDER_BLIND = True  # a view of the client's words: closed when the blind comes down

    pal = TypedApp()

    BINDINGS = [
        Binding("space", "link", "Link/unlink", id="alignment_link", tooltip="Link the value in this row to the goal in this column, or unlink it"),
        Binding("a", "add_value", "Add value", id="alignment_add_value", tooltip="Add a value, in the client's own words"),
        Binding(
            "x,delete", "remove_value", "Remove value", id="alignment_remove_value", tooltip="Remove this row's value (its goals are unlinked, not deleted)"
        ),
        Binding("q", "question", "Question", id="alignment_question", tooltip="Put the matching question from the values pack in the deck"),
        Binding("escape", "close", "Close", id="close", tooltip="Back to the session"),
        BLIND_CLOSES_THIS,
    ]

    # The picture shown, read from the client as it is after each change; its watcher draws it. Drawn even when
    # equal: the table is built again around the cursor, which stays where the coach had it.
    view: var[Alignment] = var(Alignment((), (), {}, (), ()), init=False, always_update=True)

    def __init__(self, live: LiveSession):
        super().__init__()
        self.live = live

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog alignment"):
            yield Static(Content.from_markup("Values and goals · [b]$name[/b]", name=self.live.client.name), classes="dialog-title")
            yield Static(id="alignment-help", classes="dialog-detail")
            # The values' column stays put while the goals scroll sideways (five goals are wider than a terminal).
            yield DataTable(id="alignment-table", cursor_type="cell", zebra_stripes=False, fixed_columns=1)
            yield Static(id="alignment-summary")
            yield Static("Enter links/unlinks · a adds a value · x removes one · q puts the matching question in the deck · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.view = alignment(self.live.client)
        self.query_one(DataTable).focus()

    # drawing ------------------------------------------------------------------

    def _style(self, name: str) -> str:
        return self.app.theme_variables.get(name, "")

    def watch_view(self, view: Alignment) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_coordinate if table.row_count else None  # none yet: the first drawing
        table.clear(columns=True)
        warning = f"bold {self._style('text-warning')}"
        table.add_column(Text("Values ↓   Goals →", style="bold"), key="value")
        for goal in view.goals:
            alone = goal.id in view.goals_without_value
            table.add_column(Text(short(goal.title) + (" · no value" if alone else ""), style=warning if alone else "bold"), key=goal.id)
        for value in view.values:
            alone = value in view.values_without_goal
            label = Text(value + ("  · no goal" if alone else ""), style=warning if alone else "")
            cells = [Text(LINK, justify="center") if value in view.links.get(goal.id, ()) else Text("") for goal in view.goals]
            table.add_row(label, *cells, key=value)
        if keep is not None and table.row_count and len(view.goals):
            table.cursor_coordinate = Coordinate(min(keep.row, table.row_count - 1), min(max(keep.column, 1), len(view.goals)))
        elif table.row_count and view.goals:
            table.cursor_coordinate = Coordinate(0, 1)
        help_text = (
            "Each goal is easier to reach when it serves one of the client's own values."
            if view.values
            else "No values yet. Ask the client what matters most to them, then press a to add each, in their words."
        )
        self.query_one("#alignment-help", Static).update(help_text)
        lines = []
        titles = {g.id: g.title for g in view.goals}
        if view.goals_without_value:
            lines.append(Content.from_markup("[$text-warning]Goals with no value:[/] $goals", goals=", ".join(titles[g] for g in view.goals_without_value)))
        if view.values_without_goal:
            lines.append(Content.from_markup("[$text-warning]Values with no goal:[/] $values", values=", ".join(view.values_without_goal)))
        if not lines and view.goals and view.values:
            lines.append(Content.from_markup("[$text-success]Every goal serves a value, and every value has a goal.[/]"))
        self.query_one("#alignment-summary", Static).update(Content("\n").join(lines))

    def _cell(self) -> tuple[str | None, str | None]:
        """(value of the cursor's row, goal id of its column); the first column has no goal."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None, None
        row, column = table.cursor_coordinate
        value = self.view.values[row] if row < len(self.view.values) else None
        goal_id = self.view.goals[column - 1].id if 1 <= column <= len(self.view.goals) else None
        return value, goal_id

    def _attempt(self, change: Callable[[], object]) -> None:
        """Through the app's one funnel; the view is read again (and drawn, the cursor kept) when the change is made."""

        def made() -> None:
            self.view = alignment(self.live.client)
            self.pal.records.autocommit([self.live.client.path], f"Client {self.live.client.slug}: values")

        attempt(self, "Not saved", change, done=made)

    # actions ------------------------------------------------------------------

    @on(DataTable.CellSelected)
    def _cell_selected(self) -> None:
        # The table takes Enter itself (to select the cell), so linking happens on its message.
        self.action_link()

    def action_link(self) -> None:
        value, goal_id = self._cell()
        if value is None or goal_id is None:
            return
        served = list(self.view.links.get(goal_id, ()))  # a goal may serve several values: this one goes or joins
        wanted = [v for v in served if v != value] if value in served else [*served, value]
        self._attempt(lambda: self.live.goals.set_goal_values(goal_id, wanted))

    def action_add_value(self) -> None:
        def added(value: str | None) -> None:
            if value:
                self._attempt(lambda: self.live.goals.set_values([*self.live.client.values, value]))

        self.app.push_screen(TextDialog("Add a value", "In the client's own words, e.g. freedom, family, craft", placeholder="freedom", ok="Add"), added)

    def action_remove_value(self) -> None:
        value, _ = self._cell()
        if value is None:
            return
        linked = [g.id for g in self.view.goals if value in self.view.links.get(g.id, ())]

        def answered(answer: str | None) -> None:
            if answer != "yes":
                return

            def remove() -> None:
                for goal_id in linked:
                    self.live.goals.set_goal_values(goal_id, [v for v in self.view.links.get(goal_id, ()) if v != value])
                self.live.goals.set_values([v for v in self.live.client.values if v != value])

            self._attempt(remove)

        detail = f"{len(linked)} goal(s) lose their link to it; the goals themselves stay." if linked else ""
        self.app.push_screen(ConfirmDialog(f"Remove the value “{value}”?", "Remove it", "Keep it", detail=detail), answered)

    def action_question(self) -> None:
        value, goal_id = self._cell()
        if goal_id is not None and goal_id in self.view.goals_without_value:
            self.dismiss(QUESTION_FOR_GOAL_WITHOUT_VALUE)
        elif value is not None and value in self.view.values_without_goal:
            self.dismiss(QUESTION_FOR_VALUE_WITHOUT_GOAL)
        else:
            self.dismiss(QUESTION_SIDE_BY_SIDE)

    def action_close(self) -> None:
        self.dismiss(None)
