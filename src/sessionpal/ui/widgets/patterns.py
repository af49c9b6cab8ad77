"""The panes of the patterns view (screens/patterns.py): the client's words, the actions that keep coming back,
the themes by month with their sparklines, and the energy check-ins. Each pane draws from the screen's
`patterns` reactive, bound in with data_bind; none reads a file."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.carried import Carried
from ...core.patterns import EnergyPoint, Patterns, Quote, Theme
from ...core.safe_text import glimpse
from ...core.stalled import bars
from .ordered_input import OrderedInput

QUOTES_LISTED = 100  # the newest: every option is laid out when the list fills; a filter finds any of them
FIRST_FRAME_QUOTES = 30  # a tall terminal's worth of quotes in the view's first frame; the rest follow it
SPARK_MONTHS = 12  # a year, one cell a month


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
        self._draws = 0  # how many times the list was drawn: the rest of a draw is added only if none came since

    def compose(self) -> ComposeResult:
        yield OrderedInput(placeholder="Filter: words, or #tag · Enter back to the list · Esc clears", id="words-filter")
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
        had = self.current()
        self.shown = kept[:QUOTES_LISTED]
        options = self.query_one("#words", OptionList)
        options.clear_options()
        self._draws += 1  # what an earlier draw left to add is no longer wanted
        # The quote the coach had stays highlighted when the patterns are read again (the view opens on the last
        # reading and the fresh one follows), or when the filter still keeps it.
        where = [(q.path, q.stamp, q.text) for q in self.shown]
        keep_at = where.index((had.path, had.stamp, had.text)) if had and (had.path, had.stamp, had.text) in where else 0
        # A screenful now, the rest once that is drawn: the list lays out every option it holds (each quote
        # wrapped to the width) before the view's first frame, a third of its cost with a hundred.
        at_once = len(self.shown) if keep_at >= FIRST_FRAME_QUOTES else FIRST_FRAME_QUOTES
        options.add_options([Option(quote_prompt(q)) for q in self.shown[:at_once]])
        if self.shown:
            options.highlighted = keep_at
        if at_once < len(self.shown):
            self.call_after_refresh(self._add_the_rest, self._draws, at_once)
        empty = self.query_one("#words-empty", Static)
        if not patterns.quotes:
            empty.update("No quotes yet: a note typed with \" keeps the client's own words.")
        elif not kept:
            empty.update(Content(f"No quote matches “{self.wanted.strip()}”."))
        else:
            total = len(patterns.quotes)
            count = f"{len(kept):,} of {total:,}" if self.wanted.strip() else f"{total:,}"
            listed = f" · the newest {QUOTES_LISTED} listed: / finds any of them" if len(kept) > QUOTES_LISTED else ""
            empty.update(Content(f"{count} quote{'s' if total != 1 else ''}, newest first{listed}"))
        self.border_title = "Their words" + (f" · {self.wanted.strip()}" if self.wanted.strip() else "")

    def _add_the_rest(self, draw: int, start: int) -> None:
        if draw == self._draws:
            self.query_one("#words", OptionList).add_options([Option(quote_prompt(q)) for q in self.shown[start:]])

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
    CarriedPane > #reason-box { display: none; height: auto; max-height: 16; }
    CarriedPane > #reason-box:focus { background: $boost; }
    CarriedPane.-asking { max-height: 75%; }
    CarriedPane.-asking > #carried { max-height: 6; }
    CarriedPane.-asking > #reason-box { display: block; }
    """

    patterns: var[Patterns | None] = var(None, init=False)
    questions: var[tuple[str, ...]] = var((), init=False)  # the playbook's "find the real reason" questions, when asked for

    def compose(self) -> ComposeResult:
        yield Static("", id="carried-note")
        yield OptionList(id="carried")
        # Scrolled with the keys once focused (r focuses it): eight questions are more than a short pane holds.
        with VerticalScroll(id="reason-box"):
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


def padded(text: str, width: int) -> str:
    """`text` in `width` terminal cells: cut with … or filled with spaces (a CJK word is two cells a character)."""
    text = glimpse(text, width)
    while cell_len(text) > width:
        text = text[:-2] + "…"
    return text + " " * (width - cell_len(text))


TREND_LOOK = {"rising": ("rising", "$text-success"), "quiet": ("went quiet", "$text-warning")}


def theme_line(theme: Theme) -> Content:
    counts = [float(n) for n in theme.counts[-SPARK_MONTHS:]]
    said, style = TREND_LOOK.get(theme.trend, ("", ""))
    return Content.assemble(padded(theme.name, 22), f"{theme.total:>5} ", (padded(bars(counts), SPARK_MONTHS), "$accent"), " ", (said, style))


def themes_text(patterns: Patterns) -> Content:
    """Tags, areas and their words by month, each with its sparkline; then the goals no note names lately. Text,
    not Textual's Sparkline widgets: a themes pane of thirty rows was 120 widgets to mount and style, most of the
    view's opening time."""
    lines: list[Content] = []
    if patterns.months:
        months = patterns.months[-SPARK_MONTHS:]  # the months the sparklines cover
        lines.append(Content.styled(f"{months[0]} to {months[-1]}" if len(months) > 1 else months[0], "$text-muted"))
    for kind, title in (("tag", "Tags"), ("area", "Areas"), ("word", "Their words, most used")):
        rows = [t for t in patterns.themes if t.kind == kind]
        if rows:
            lines += [Content(""), Content.styled(title, "bold $text-muted"), *(theme_line(t) for t in rows)]
    if not patterns.themes:
        lines.append(Content.styled("No tags, areas or quotes yet.", "$text-muted"))
    if patterns.quiet_goals:
        lines += [Content(""), Content.styled("Goals no note has named lately", "bold $text-muted")]
        for goal in patterns.quiet_goals:
            flag = "  possibly stalled" if goal.stalled else ""
            lines.append(Content.assemble(Content(goal.title), (f"  {goal.sessions} sessions", "$text-muted"), (flag, "$text-warning")))
    return Content("\n").join(lines)


class ThemesPane(VerticalScroll):
    """Tags, areas and their words by month, each with a sparkline; then the goals no note names lately."""

    DEFAULT_CSS = """
    ThemesPane { height: 1fr; border: round $primary-muted; border-title-color: $text; padding: 0 1; }
    """

    patterns: var[Patterns | None] = var(None, init=False)

    def compose(self) -> ComposeResult:
        yield Static(id="themes")

    def on_mount(self) -> None:
        self.border_title = "Themes by month"  # focusable (Tab): ↑ ↓ scroll a client's many themes

    def watch_patterns(self, patterns: Patterns | None) -> None:
        if patterns is not None:
            self.query_one("#themes", Static).update(themes_text(patterns))


def energy_text(points: Sequence[EnergyPoint]) -> Content:
    if not points:
        return Content.styled("Only if you ask: ~7 in the note line keeps the client's number, at the start or the end.", "$text-muted")
    lines = []
    for label, values in (("start", [p.start for p in points]), ("end", [p.end for p in points])):
        said = [float(v) for v in values if v is not None][-SPARK_MONTHS * 2 :]
        lines.append(Content.assemble((f"{label:<7}", "$text-muted"), (bars(said, 0.0, 10.0) if said else "·", "$accent")))
    lately = "  ".join(f"{p.when:%d %b}: {'·' if p.start is None else p.start}→{'·' if p.end is None else p.end}" for p in points[-6:] if p.when)
    lines.append(Content.styled(lately, "$text-muted"))
    return Content("\n").join(lines)


class EnergyPane(Static):
    """The client's own energy numbers, start and end of each session that had a check-in (off unless used)."""

    DEFAULT_CSS = """
    EnergyPane { height: auto; border: round $primary-muted; border-title-color: $text; padding: 0 1; }
    """

    patterns: var[Patterns | None] = var(None, init=False)

    def on_mount(self) -> None:
        self.border_title = "Energy, 0-10 in their words"

    def watch_patterns(self, patterns: Patterns | None) -> None:
        if patterns is not None:
            self.update(energy_text(patterns.energy))
