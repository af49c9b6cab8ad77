"""A client's patterns as text: for the terminal (`sessionpal patterns`), and as Markdown for a prep or
supervision note, or, with `share`, for the client (only the notes marked + and the quotes marked for them).

Everything here is the client's words read from files: the CLI prints it through VisibleText, so nothing
in a note can drive the terminal.
"""

from __future__ import annotations

import unicodedata

from .patterns import Patterns, Quote, Theme
from .safe_text import glimpse
from .stalled import bars

MONTHS_SHOWN = 6  # the themes' columns in text: the last six months up to the latest session
QUOTES_SHOWN = 30  # in text and Markdown: the newest; --format json has every one
QUOTE_CHARACTERS = 400  # a quote's words in text and Markdown, as the view shows them
ENERGY_SHOWN = 12  # the latest check-ins in text and Markdown


def spark(counts: tuple[int, ...] | list[int]) -> str:
    """Counts as block characters, scaled to the largest (a blank for none)."""
    return "".join(" " if n == 0 else bar for n, bar in zip(counts, bars(counts), strict=True))


def _quote_line(quote: Quote) -> str:
    where = ", ".join(quote.goals)  # its #tags are in its words already
    # Cut as the view cuts it: a quote pasted whole from an email is a page, not a line of a prep note.
    return f'{quote.day}  "{glimpse(quote.text, QUOTE_CHARACTERS)}"' + (f"  ({where})" if where else "")


def columns(text: str) -> int:
    """How many terminal columns the text takes: a wide character (中, ア, 한) two, a combining mark none (as
    Textual counts; the core does not import it)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _theme_line(theme: Theme, width: int) -> str:
    counts = theme.counts[-MONTHS_SHOWN:]
    cells = " ".join(f"{n:>3}" for n in counts)
    trend = {"rising": "  rising", "quiet": "  went quiet"}.get(theme.trend, "")
    return f"  {theme.name}{' ' * (width - columns(theme.name))} {cells}  {spark(counts)}{trend}"


def energy_line(patterns: Patterns) -> str:
    def said(value: int | None) -> str:
        return "·" if value is None else str(value)

    # The latest check-ins, dated with their year when they span more than one (years of weekly calls would
    # otherwise be one line of thousands of characters, 02 Jan of which year?).
    shown = patterns.energy[-ENERGY_SHOWN:]
    years = {p.when.year for p in shown if p.when}
    stamp = "%d %b %Y" if len(years) > 1 else "%d %b"
    line = "  ".join(f"{p.when:{stamp}}: {said(p.start)}→{said(p.end)}" if p.when else f"{said(p.start)}→{said(p.end)}" for p in shown)
    earlier = len(patterns.energy) - len(shown)
    return line + (f"  (and {earlier} earlier: --format json has every one)" if earlier else "")


def as_text(patterns: Patterns) -> str:
    since = f" since {patterns.since.isoformat()}" if patterns.since else ""
    lines = [f"{patterns.client}: what keeps coming up, {patterns.sessions} session{'s' if patterns.sessions != 1 else ''}{since}", ""]
    lines.append("Their words")
    lines += [f"  {_quote_line(q)}" for q in patterns.quotes[:QUOTES_SHOWN]] or ["  (no quotes yet: type \" before a note of the client's own words)"]
    if len(patterns.quotes) > QUOTES_SHOWN:
        lines.append(f"  and {len(patterns.quotes) - QUOTES_SHOWN} older (--format json lists every one)")
    lines += ["", "Actions that keep coming back"]
    lines += [f"  {c.text}  ({c.label()}{', first ' + c.first.date().isoformat() if c.first else ''})" for c in patterns.carried] or ["  (none)"]
    if patterns.carried:
        lines.append("  To find the real reason: the stalled-goal playbook's questions (#stalled #reason in the deck).")
    lines += ["", "Themes by month"]
    if patterns.themes:
        width = max(columns(t.name) for t in patterns.themes)
        lines.append(f"  {'':<{width}} " + " ".join(f"{m[5:]:>3}" for m in patterns.months[-MONTHS_SHOWN:]))
        for kind, title in (("tag", "tags"), ("area", "areas"), ("word", "their words")):
            rows = [t for t in patterns.themes if t.kind == kind]
            if rows:
                lines.append(f"  {title}")
                lines += [_theme_line(t, width) for t in rows]
    else:
        lines.append("  (none yet)")
    if patterns.quiet_goals:
        lines += ["", "Goals no note has named lately"]
        lines += [f"  {q.title}: {q.sessions} sessions" + (" (possibly stalled)" if q.stalled else "") for q in patterns.quiet_goals]
    if patterns.energy:
        lines += ["", "Energy (their own 0-10, start→end)", "  " + energy_line(patterns)]
    return "\n".join(lines) + "\n"


def as_markdown(patterns: Patterns, share: bool = False) -> str:
    """A prep or supervision note; with `share`, only what the coach marked for the client."""
    since = f" since {patterns.since.isoformat()}" if patterns.since else ""
    if share:
        lines = [f"# {patterns.client}: what you have said and taken away{since}", ""]
        shared = [q for q in patterns.quotes if q.shareable]
        if shared:
            lines += ["## In your words", ""] + [f'- {q.day}: "{q.text}"' for q in shared[:QUOTES_SHOWN]] + [""]
        if patterns.for_client:
            lines += ["## Notes for you", ""] + [f"- {q.day}: {q.text}" for q in patterns.for_client[:QUOTES_SHOWN]] + [""]
        if not shared and not patterns.for_client:
            lines += ["(Nothing in these sessions was marked for sharing.)", ""]
        return "\n".join(lines)
    lines = [
        f"# {patterns.client}: what keeps coming up{since}",
        "",
        f"_Private: {patterns.sessions} session{'s' if patterns.sessions != 1 else ''}, for preparation or supervision. `--share` makes the version for the client._",
        "",
        "## Their words",
        "",
    ]
    lines += [f"- {_quote_line(q)}" for q in patterns.quotes[:QUOTES_SHOWN]] or ["- (none yet)"]
    lines += ["", "## Actions that keep coming back", ""]
    lines += [f"- {c.text} ({c.label()})" for c in patterns.carried] or ["- (none)"]
    lines += ["", "## Themes by month", ""]
    if patterns.themes:
        months = patterns.months[-MONTHS_SHOWN:]
        lines += ["| | kind | " + " | ".join(months) + " | trend |", "|---|---|" + "---|" * len(months) + "---|"]
        lines += [f"| {_cell(t.name)} | {t.kind} | " + " | ".join(str(n) for n in t.counts[-MONTHS_SHOWN:]) + f" | {t.trend} |" for t in patterns.themes]
    else:
        lines.append("(none yet)")
    if patterns.quiet_goals:
        lines += ["", "## Goals no note has named lately", ""]
        lines += [f"- {q.title}: {q.sessions} sessions" + (" (possibly stalled)" if q.stalled else "") for q in patterns.quiet_goals]
    if patterns.energy:
        lines += ["", "## Energy (their own 0-10, start→end)", "", energy_line(patterns)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
