"""The panes of the patterns view (screens/patterns.py): the client's words, the actions that keep coming back,
the themes by month with their sparklines, and the energy check-ins. Each pane draws from the screen's
`patterns` reactive, bound in with data_bind; none reads a file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive, var
from textual.widgets import Input, Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from ...core.carried import Carried
from ...core.patterns import Patterns, Quote
from ...core.patterns_text import MONTHS_SHOWN
from ...core.safe_text import glimpse

QUOTES_LISTED = 100  # the newest: every option is laid out when the list fills; a filter finds any of them
SPARK_MONTHS = 12  # a year, one cell a month


def sparkline(data: list[float]) -> Sparkline:
    """One cell a value: a Sparkline wider than its data would stretch a few months into blocks."""
    line = Sparkline(data)
    line.styles.width = max(1, len(data))
    return line


def matches(quote: Quote, wanted: str) -> bool:
    """A quote the coach's filter keeps: every word of it in the quote's words, a #tag among its tags or goals."""
    folded = quote.text.casefold()
    for word in wanted.casefold().split():
        if word.startswith("#") and len(word) > 1:
            tag = word[1:]
            if tag not in quote.tags and not any(tag in goal.casefold() for goal in quote.goals):
                return False
        elif word not in folded:
            return False
    return True


def quote_prompt(quote: Quote) -> Content:
    where = ", ".join(quote.goals)
    shared = ("  for the client", "$text-success") if quote.shareable else ""
    return Content.assemble((quote.day, "$text-muted"), "  “", glimpse(quote.text, 400), "”", ("  " + where if where else "", "$accent"), shared)


class WordsPane(Vertical):
    """Their words: every quote, newest first; a filter by word or #tag. Enter opens its session at that line."""

    DEFAULT_CSS = """
    WordsPane { width: 3fr; border: round $primary-muted; border-title-color: $text; padding: 0 1; }
    WordsPane > #words-filter { display: none; margin-bottom: 1; }
    WordsPane.-filtering > #words-filter { display: block; }
    WordsPane > #words { height: 1fr; border: none; padding: 0; }
    WordsPane > #words-empty { color: $text-muted; }
    """

    patterns: var[Patterns | None] = var(None, init=False)
    wanted: var[str] = var("", init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: list[Quote] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter: words, or #tag · Enter back to the list · Esc clears", id="words-filter")
        yield Static("Reading their sessions…", id="words-empty")
        yield OptionList(id="words")

    def on_mount(self) -> None:
        self.border_title = "Their words"

    def watch_patterns(self) -> None:
        self._draw()

    def watch_wanted(self) -> None:
        self._draw()

    def _draw(self) -> None:
        patterns = self.patterns
        if patterns is None:
            return
        kept = [q for q in patterns.quotes if matches(q, self.wanted)] if self.wanted.strip() else list(patterns.quotes)
        self.shown = kept[:QUOTES_LISTED]
        options = self.query_one("#words", OptionList)
        options.clear_options()
        options.add_options([Option(quote_prompt(q)) for q in self.shown])
        if self.shown:
            options.highlighted = 0
        empty = self.query_one("#words-empty", Static)
        if not patterns.quotes:
            empty.update("No quotes yet: a note typed with \" keeps the client's own words.")
        elif not kept:
            empty.update(Content(f"No quote matches “{self.wanted.strip()}”."))
        else:
            count = f"{len(kept):,} of {len(patterns.quotes):,}" if self.wanted.strip() else f"{len(patterns.quotes):,}"
            empty.update(Content(f"{count} quote{'s' if len(kept) != 1 else ''}, newest first"))
        self.border_title = "Their words" + (f" · {self.wanted.strip()}" if self.wanted.strip() else "")

    def current(self) -> Quote | None:
        options = self.query_one("#words", OptionList)
        at = options.highlighted
        return self.shown[at] if at is not None and 0 <= at < len(self.shown) else None


class CarriedPane(Vertical):
    """Actions that keep coming back, most sessions first; the playbook's real-reason questions one key away."""

    DEFAULT_CSS = """
    CarriedPane { height: auto; max-height: 45%; border: round $warning-muted; border-title-color: $text; padding: 0 1; }
    CarriedPane > #carried { height: auto; max-height: 12; border: none; padding: 0; }
    CarriedPane > #carried-note { color: $text-muted; }
    CarriedPane > #reason-questions { display: none; color: $text; }
    CarriedPane.-asking > #reason-questions { display: block; }
    """

    patterns: var[Patterns | None] = var(None, init=False)
    questions: var[tuple[str, ...]] = var((), init=False)  # the playbook's "find the real reason" questions, when asked for

    def compose(self) -> ComposeResult:
        yield Static("", id="carried-note")
        yield OptionList(id="carried")
        yield Static("", id="reason-questions")

    def on_mount(self) -> None:
        self.border_title = "Actions that keep coming back"
        self.query_one("#carried", OptionList).can_focus = False

    def watch_patterns(self, patterns: Patterns | None) -> None:
        if patterns is None:
            return
        options = self.query_one("#carried", OptionList)
        options.clear_options()
        options.add_options([Option(carried_prompt(c)) for c in patterns.carried])
        note = self.query_one("#carried-note", Static)
        if patterns.carried:
            note.update("Stayed open across sessions, or came back in other words. r: the questions to find the real reason.")
        else:
            note.update("None: no action has stayed open across two sessions.")

    def watch_questions(self, questions: tuple[str, ...]) -> None:
        self.set_class(bool(questions), "-asking")
        self.query_one("#reason-questions", Static).update(Content("\n").join(Content(f"· {q}") for q in questions))


def carried_prompt(carried: Carried) -> Content:
    first = f"  since {carried.first:%d %b %Y}" if carried.first else ""
    return Content.assemble(glimpse(carried.text, 300), "  ", (carried.label(), "$text-warning"), (first, "$text-muted"))


class ThemeRow(Horizontal):
    DEFAULT_CSS = """
    ThemeRow { height: 1; }
    ThemeRow > .theme-name { width: 22; }
    ThemeRow > Sparkline { height: 1; margin: 0 1; }
    ThemeRow > .theme-count { width: 5; text-align: right; }
    ThemeRow > .theme-trend { width: 1fr; margin-left: 1; color: $text-muted; }
    ThemeRow > .-rising { color: $text-success; }
    ThemeRow > .-quiet { color: $text-warning; }
    """


class ThemesPane(VerticalScroll):
    """Tags, areas and their words by month, each with a sparkline; then the goals no note names lately."""

    DEFAULT_CSS = """
    ThemesPane { height: 1fr; border: round $primary-muted; border-title-color: $text; padding: 0 1; }
    ThemesPane > .themes-head { color: $text-muted; text-style: bold; margin-top: 1; }
    ThemesPane > .themes-note { color: $text-muted; }
    """

    patterns: reactive[Patterns | None] = reactive(None, recompose=True)

    def on_mount(self) -> None:
        self.border_title = "Themes by month"
        self.can_focus = False

    def compose(self) -> ComposeResult:
        patterns = self.patterns
        if patterns is None:
            return
        if patterns.months:
            months = patterns.months[-MONTHS_SHOWN:]
            yield Static(Content(f"{months[0]} to {months[-1]}" if len(months) > 1 else months[0]), classes="themes-note")
        for kind, title in (("tag", "Tags"), ("area", "Areas"), ("word", "Their words, most used")):
            rows = [t for t in patterns.themes if t.kind == kind]
            if not rows:
                continue
            yield Static(title, classes="themes-head")
            for theme in rows:
                trend = {"rising": "rising", "quiet": "went quiet"}.get(theme.trend, "")
                with ThemeRow():
                    yield Label(Content(theme.name), classes="theme-name")
                    yield Label(str(theme.total), classes="theme-count")
                    yield sparkline([float(n) for n in theme.counts[-SPARK_MONTHS:]])
                    yield Label(trend, classes=f"theme-trend -{theme.trend}" if theme.trend else "theme-trend")
        if not patterns.themes:
            yield Static("No tags, areas or quotes yet.", classes="themes-note")
        if patterns.quiet_goals:
            yield Static("Goals no note has named lately", classes="themes-head")
            for goal in patterns.quiet_goals:
                flag = "  possibly stalled" if goal.stalled else ""
                yield Static(Content.assemble(Content(goal.title), (f"  {goal.sessions} sessions", "$text-muted"), (flag, "$text-warning")))


class EnergyPane(Vertical):
    """The client's own energy numbers, start and end of each session that had a check-in (off unless used)."""

    DEFAULT_CSS = """
    EnergyPane { height: auto; border: round $primary-muted; border-title-color: $text; padding: 0 1; }
    EnergyPane > Horizontal { height: 1; }
    EnergyPane > Horizontal > Label { width: 7; color: $text-muted; }
    EnergyPane > Horizontal > Sparkline { height: 1; }
    EnergyPane > .energy-note { color: $text-muted; }
    """

    patterns: reactive[Patterns | None] = reactive(None, recompose=True)

    def on_mount(self) -> None:
        self.border_title = "Energy, 0-10 in their words"

    def compose(self) -> ComposeResult:
        patterns = self.patterns
        if patterns is None:
            return
        points = patterns.energy
        if not points:
            yield Static("Only if you ask: ~7 in the note line keeps the client's number, at the start or the end.", classes="energy-note")
            return
        for label, values in (("start", [p.start for p in points]), ("end", [p.end for p in points])):
            said = [float(v) for v in values if v is not None]
            with Horizontal():
                yield Label(label)
                yield sparkline(said[-SPARK_MONTHS * 2 :] or [0.0])
        lately = "  ".join(f"{p.when:%d %b}: {'·' if p.start is None else p.start}→{'·' if p.end is None else p.end}" for p in points[-6:] if p.when)
        yield Static(Content(lately), classes="energy-note")
