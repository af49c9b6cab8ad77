"""The pack editor: browse every pack, edit the coach's own, and make built-in questions theirs.

Packs on the left (built-in and the coach's), the chosen pack's questions on the
right, filtered as in the live deck. In a pack of the coach's: add, edit, delete
and reorder questions, retitle the pack. A built-in pack is read-only: "make it
mine" copies it (or one question) into the coach's packs; hiding a pack or a
question is kept in config.toml. Every change goes through core.pack_edit, which
touches only the lines of the question it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.config import set_hidden, set_starred
from ...core.deck import Deck, DeckQuery
from ...core.model import Pack, Phase, Question
from ...core.pack_edit import (
    add_question,
    copy_question,
    delete_question,
    edit_question,
    make_pack_mine,
    move_question,
    new_pack,
    question_id_for,
    rename_pack,
)
from ...core.packs import PackLibrary, load_library
from ..changes import attempt, when_answered, when_yes
from ..context import TypedApp
from ..dialogs.confirm import ChoiceDialog, ConfirmDialog
from ..dialogs.question import QuestionDialog
from ..dialogs.text import TextDialog
from ..following import FollowsApp
from ..widgets.footer import CompactFooter
from ..widgets.ordered_input import OrderedInput

ALL = "+all"
NEW_PACK = "+new-pack"


class PacksScreen(Screen[None], FollowsApp):
    pal = TypedApp()
    CSS_PATH = "packs.tcss"  # read when it first opens, not at the app's start
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        Binding("escape", "back", "Back", id="packs_back", tooltip="Back to the pack list, then out of the editor"),
        Binding("n", "new_pack", "New pack", id="pack_new", tooltip="Start a pack of your own"),
        Binding("a", "add", "Add", id="question_add", tooltip="Add a question to this pack of yours"),
        Binding("e", "edit", "Edit", id="question_edit", tooltip="Edit the question: text, tags, phase, follow-ups"),
        Binding("d,delete", "delete", "Delete", id="question_delete", tooltip="Delete the question (asks first)"),
        Binding("left_square_bracket", "move(-1)", "Up", id="question_up", tooltip="Move the question up"),
        Binding("right_square_bracket", "move(1)", "Down", id="question_down", tooltip="Move the question down"),
        Binding("t", "retitle", "Title", id="pack_title", tooltip="Rename this pack of yours"),
        Binding("m", "mine", "Make it mine", id="make_mine", tooltip="Copy this built-in pack, or question, into your packs"),
        Binding("h", "hide", "Hide/show", id="hide", tooltip="Hide or show this pack or question in the live deck"),
        Binding("s", "star", "Star", id="question_star", tooltip="Star or unstar the question (starred ones come first)"),
        Binding("slash,f5", "filter", "Filter", id="packs_filter", tooltip="Filter the questions: words, #tag, @phase"),
    ]

    # What the screen shows, as state; only the watchers below draw it. `packs` counts the readings of the
    # library and of what is hidden or starred (the library itself is the app's, compared by nothing cheaper).
    packs: var[int] = var(0, init=False)
    pack_id: var[str] = var(ALL, init=False)  # the chosen pack, or ALL
    filter_text: var[str] = var("", init=False)
    # Drawn even when set to what they were: a star, a hidden mark or an edit in the file changes how the same
    # questions (the same ref) look.
    shown: var[tuple[Question, ...]] = var((), init=False, always_update=True)  # the chosen pack's questions the filter finds
    current: var[str | None] = var(None, init=False, always_update=True)  # the ref of the question highlighted

    def compose(self) -> ComposeResult:
        yield Static("Question packs · built in and yours", id="packs-title")
        with Horizontal(id="packs-columns"):
            with Vertical(id="packs-side"):
                yield OptionList(id="pack-list")
            with Vertical(id="packs-main"):
                yield OrderedInput(placeholder="Filter: words  #tag  @phase (this pack)", id="packs-filter")
                yield OptionList(id="question-list")
                yield Static(id="question-detail")
        # At 80 columns: reordering and retitling stay bound (F1 lists them), out of the footer.
        yield CompactFooter(left_out_when_narrow=("move(-1)", "move(1)", "retitle", "new_pack"))

    def on_mount(self) -> None:
        self.follow(self.pal.packs_signal, lambda _: self.packs_changed())
        if self.pal.packs is None:
            self.pal.packs = load_library(self.pal.home)
        self.packs += 1
        self.query_one("#pack-list", OptionList).focus()

    # data -------------------------------------------------------------------------

    @property
    def library(self) -> PackLibrary:
        if self.pal.packs is None:  # loaded on mount; read again here if a reload left none
            self.pal.packs = load_library(self.pal.home)
        return self.pal.packs

    def pack(self) -> Pack | None:
        return self.library.packs.get(self.pack_id) if self.pack_id != ALL else None

    def question(self) -> Question | None:
        return next((q for q in self.shown if q.ref == self.current), None)

    def hidden(self) -> set[str]:
        return set(self.pal.config.hidden)

    # drawing: the watchers -------------------------------------------------------------

    def watch_packs(self) -> None:
        hidden = self.hidden()
        packs = self.query_one("#pack-list", OptionList)
        highlighted = packs.highlighted
        options = [Option(Content.from_markup("[b]All packs[/b]  [$text-muted]$n questions[/]", n=str(len(self.library.questions()))), id=ALL)]
        for pack in self.library.packs.values():
            whose = "built in" if pack.builtin else "yours"
            mark = "  [$text-warning]hidden[/]" if pack.id in hidden else ""
            options.append(
                Option(Content.from_markup(f"$title  [$text-muted]$whose · $n[/]{mark}", title=pack.title, whose=whose, n=str(len(pack.questions))), id=pack.id)
            )
        options.append(Option(Content.from_markup("[$accent]+[/] New pack…"), id=NEW_PACK))
        with self.app.batch_update():
            packs.clear_options()
            packs.add_options(options)
            ids = [o.id for o in options]
            if self.pack_id not in ids:  # a pack deleted or renamed on disk: back to every pack
                self.pack_id = ALL
            packs.highlighted = ids.index(self.pack_id) if self.pack_id in ids else (highlighted or 0)
        self._refilter()

    def watch_pack_id(self) -> None:
        self._refilter()

    def watch_filter_text(self) -> None:
        self._refilter()

    def _refilter(self) -> None:
        """What the chosen pack and the filter find (state, not drawing: watch_shown draws it)."""
        pack = self.pack()
        questions = list(pack.questions) if pack else self.library.questions()
        query = DeckQuery.parse(self.filter_text)
        deck = Deck(questions, starred=set(self.pal.config.starred))
        self.shown = tuple(deck.matching(query, None) if (query.words or query.tags or query.phase) else questions)

    def watch_shown(self, shown: tuple[Question, ...]) -> None:
        hidden = self.hidden()
        options = self.query_one("#question-list", OptionList)
        refs = [q.ref for q in shown]
        with self.app.batch_update():
            options.clear_options()
            options.add_options([Option(self._prompt(q, hidden), id=q.ref) for q in shown])
            if shown:
                # The question the coach had, if it is still here; else the first.
                options.highlighted = refs.index(self.current) if self.current in refs else 0
        self.current = refs[options.highlighted] if shown and options.highlighted is not None else None

    def _prompt(self, question: Question, hidden: set[str]) -> Content:
        star = "★ " if question.ref in self.pal.config.starred else ""
        mark = "  [$text-warning]hidden[/]" if question.ref in hidden or question.pack in hidden else ""
        phase = f"  [$text-muted]{question.phase.value}[/]" if question.phase else ""
        return Content.from_markup(f"$star$text{phase}{mark}", star=star, text=question.text)

    def watch_current(self) -> None:
        self.refresh_bindings()
        question = self.question()
        detail = self.query_one("#question-detail", Static)
        if question is None:
            detail.update(Content.from_markup("[$text-muted]No questions here. a adds one to a pack of yours; n starts a pack.[/]"))
            return
        pack = self.library.packs.get(question.pack)
        lines = [Content.from_markup("[b]$text[/b]", text=question.text)]
        lines += [Content.from_markup("  ↳ [i]$f[/i]", f=f) for f in question.follow_ups]
        facts = [f"{pack.title if pack else question.pack} ({'built in' if pack and pack.builtin else 'yours'})", question.ref]
        if question.phase:
            facts.append(question.phase.value)
        if question.tags:
            facts.append("#" + " #".join(question.tags))
        lines.append(Content.from_markup("[$text-muted]$facts[/]", facts=" · ".join(facts)))
        detail.update(Content("\n").join(lines))

    # events -----------------------------------------------------------------------------

    def packs_changed(self) -> None:
        """The packs were read again, or what is hidden or starred changed (here, by hand, by a sync): shown as
        they are now, on the question the coach had."""
        self.packs += 1

    @on(OptionList.OptionHighlighted, "#pack-list")
    def _pack_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id not in (None, NEW_PACK):
            self.pack_id = event.option.id

    @on(OptionList.OptionSelected, "#pack-list")
    def _pack_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == NEW_PACK:
            self.action_new_pack()
        else:
            self.query_one("#question-list", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#question-list")
    def _question_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.current = event.option.id

    @on(OptionList.OptionSelected, "#question-list")
    def _question_selected(self) -> None:
        self.action_edit()

    @on(Input.Changed, "#packs-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#packs-filter")
    def _filter_done(self) -> None:
        self.query_one("#question-list", OptionList).focus()

    # actions ---------------------------------------------------------------------------------

    def _mine(self, question: Question | None = None) -> bool:
        """Is the question's pack (or the chosen pack) one of the coach's?"""
        pack = self.library.packs.get(question.pack) if question else self.pack()
        return pack is not None and not pack.builtin

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        question = self.question()
        if action in ("edit", "delete", "move"):
            return question is not None and self._mine(question)
        if action == "add":
            return self._mine()
        if action == "retitle":
            return self._mine()
        if action == "mine":
            pack = self.library.packs.get(question.pack) if question and self.focused is self.query_one("#question-list") else self.pack()
            return pack is not None and pack.builtin
        if action == "star":
            return question is not None
        return True

    def _change(self, title: str, change: Callable[[], object], keep: str | Callable[[], str] | None = None, done: Callable[[], object] | None = None) -> bool:
        """Through the app's one funnel; when the change is made, the packs are read again and shown, on the
        question `keep` (a ref, or what gives it once the change is made: a question just added)."""

        def made() -> None:
            if keep is not None:
                self.current = keep if isinstance(keep, str) else keep()
            self.pal.reload_packs_now()  # which tells every screen showing packs, this one too (packs_changed)
            if done is not None:
                done()

        return attempt(self, title, change, done=made)

    def action_back(self) -> None:
        if self.focused is not self.query_one("#pack-list", OptionList):
            self.query_one("#pack-list", OptionList).focus()
        else:
            self.dismiss()

    def action_filter(self) -> None:
        self.query_one("#packs-filter", Input).focus()

    def action_new_pack(self) -> None:
        def named(title: str | None) -> None:
            if not title:
                return
            pack_id = question_id_for(title, set(self.library.packs))

            def created() -> None:
                self.pack_id = pack_id
                self.packs += 1
                self.notify(f"New pack “{title}” with one example question; a adds more.", markup=False)

            self._change("Pack not created", lambda: new_pack(self.pal.home, pack_id, title), done=created)

        self.app.push_screen(TextDialog("A new pack of your own", "Its title", placeholder="Career transitions", ok="Create"), named)

    def action_add(self) -> None:
        pack = self.pack()
        if pack is not None:
            self.app.push_screen(QuestionDialog(f"A new question in “{pack.title}”"), lambda values: self._add(pack, values))

    def _add(self, pack: Pack, values: dict[str, Any] | None) -> None:
        if not values:
            return
        added: list[Question] = []
        if not self._change("Question not added", lambda: added.append(add_question(pack.path, **values)), lambda: added[0].ref):
            # Refused (a pack broken by hand, a full disk): the coach's wording stays in the form.
            self._offer_again(pack, values, "Not added (see the message): fix the file, then Save again.")

    def _offer_again(self, pack: Pack, values: dict[str, Any], title: str) -> None:
        draft = Question(
            pack.id,
            "draft",
            values["text"],
            tuple(values["tags"]),
            Phase(values["phase"]) if values["phase"] else None,
            tuple(values["follow_ups"]),
        )
        self.app.push_screen(QuestionDialog(title, draft), lambda again: self._add(pack, again))

    def action_edit(self) -> None:
        question = self.question()
        if question is None:
            return
        if not self._mine(question):
            self.notify("Built-in questions are read-only: m copies this one into your packs, where you can change it.", markup=False)
            return
        pack = self.library.packs[question.pack]

        def edited(values: dict[str, Any] | None) -> None:
            if values and not self._change("Question not saved", lambda: edit_question(pack.path, question.id, **values), question.ref):
                # The pack changed under the dialog (or refused the edit): the coach's wording is not
                # thrown away; it can go in as a new question beside the file's version.
                self._offer_again(pack, values, "Not saved (see the message). Save your wording as a new question?")

        self.app.push_screen(QuestionDialog("Edit the question", question), edited)

    def action_delete(self) -> None:
        question = self.question()
        if question is None or not self._mine(question):
            return
        pack = self.library.packs[question.pack]
        self.app.push_screen(
            ConfirmDialog("Delete this question from your pack?", "Delete it", "Keep it", detail=question.text),
            when_yes(lambda: self._change("Question not deleted", lambda: delete_question(pack.path, question.id))),
        )

    def action_move(self, delta: int) -> None:
        question = self.question()
        if question is None or not self._mine(question):
            return
        pack = self.library.packs[question.pack]
        self._change("Question not moved", lambda: move_question(pack.path, question.id, delta), question.ref)

    def action_retitle(self) -> None:
        pack = self.pack()
        if pack is None or pack.builtin:
            return
        self.app.push_screen(
            TextDialog("Rename the pack", "Its title", pack.title),
            when_answered(lambda title: self._change("Pack not renamed", lambda: rename_pack(pack.path, title))),
        )

    def action_mine(self) -> None:
        question = self.question() if self.focused is self.query_one("#question-list", OptionList) else None
        if question is not None and not self._mine(question):
            self._copy_question(question)
            return
        pack = self.pack()
        if pack is None or not pack.builtin:
            return
        self.app.push_screen(
            ConfirmDialog(
                f"Make “{pack.title}” yours?",
                "Copy it into my packs",
                "Cancel",
                detail="The copy, comments and all, replaces the built-in pack, and you can change it freely.",
            ),
            when_yes(lambda: self._change("Pack not copied", lambda: make_pack_mine(self.pal.home, pack))),
        )

    def _copy_question(self, question: Question) -> None:
        mine = [p for p in self.library.packs.values() if not p.builtin]
        choices = [(p.id, f"Into “{p.title}”") for p in mine] + [(NEW_PACK, "Into a new pack of my own…")]

        def chosen(pack_id: str | None) -> None:
            if pack_id == NEW_PACK:
                self.action_new_pack()
            elif pack_id:
                target = self.library.packs[pack_id]
                self._change(
                    "Question not copied",
                    lambda: copy_question(target.path, question),
                    done=lambda: self.notify(f"Copied into “{target.title}”.", markup=False),
                )

        self.app.push_screen(ChoiceDialog("Make this question yours: copy it", choices, detail=question.text), chosen)

    def action_hide(self) -> None:
        question = self.question() if self.focused is self.query_one("#question-list", OptionList) else None
        ref = question.ref if question else (self.pack_id if self.pack_id != ALL else None)
        if ref is None:
            return
        hide = ref not in self.pal.config.hidden
        saved: list[tuple[str, ...]] = []
        if not attempt(self, "Not saved", lambda: saved.append(set_hidden(self.pal.home, ref, hide))):
            return
        self.pal.update_config(hidden=saved[0])
        self.pal.packs_changed()  # the deck and this screen, drawn again
        self.notify(("Hidden from the deck: " if hide else "Back in the deck: ") + (question.text if question else self.library.packs[ref].title), markup=False)

    def action_star(self) -> None:
        question = self.question()
        if question is None:
            return
        star = question.ref not in self.pal.config.starred
        saved: list[tuple[str, ...]] = []
        if not attempt(self, "Not saved", lambda: saved.append(set_starred(self.pal.home, question.ref, star))):
            return
        self.pal.update_config(starred=saved[0])
        self.pal.packs_changed()  # the deck and this screen, drawn again
