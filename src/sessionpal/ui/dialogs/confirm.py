"""Small modal questions: yes/no, and a choice between a few options."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

# A choice: (the id returned, its label); None draws a separator line.
Choice = tuple[str, str | Content] | None


class ChoiceDialog(ModalScreen[str | None]):
    """A question and a short list of answers; Enter picks (the answer's id), Escape cancels (None).

    The goal picker and the goal menu are ChoiceDialogs with labels of their own."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="close", tooltip="Close without choosing"),
        # Enter that arrives before the list has the cursor (typed right after the key that opened this) still
        # picks the highlighted answer: the dialog's own binding, the list's when it has the cursor.
        Binding("enter", "choose", "Choose", show=False),
    ]
    # At 24 rows a long menu (a stalled goal's, with the playbook) must scroll inside the dialog, its
    # highlight in sight, rather than run past the dialog's edge.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self, question: str | Content, choices: Sequence[Choice], *, detail: str | Content = "", wide: bool = False, list_id: str = "choices"):
        super().__init__()
        self.question = question
        self.detail = detail
        self.choices = choices
        self.wide = wide
        self.list_id = list_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide" if self.wide else "dialog"):
            # Plain strings are shown as they are (a client's words may hold [brackets]).
            yield Static(Content(self.question) if isinstance(self.question, str) else self.question, classes="dialog-title")
            if self.detail:
                yield Static(Content(self.detail) if isinstance(self.detail, str) else self.detail, classes="dialog-detail")
            options: list[Option | None] = []
            for choice in self.choices:
                if choice is None:
                    options.append(None)
                else:
                    key, label = choice
                    options.append(Option(Content(label) if isinstance(label, str) else label, id=key))
            yield OptionList(*options, id=self.list_id)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted if options.highlighted is not None else 0
        if 0 <= index < options.option_count and not options.get_option_at_index(index).disabled:
            self.dismiss(options.get_option_at_index(index).id)


class ConfirmDialog(ChoiceDialog):
    """Yes or no; anything but yes is no."""

    def __init__(self, question: str, yes: str, no: str = "Cancel", *, detail: str = ""):
        super().__init__(question, [("yes", yes), ("no", no)], detail=detail)
