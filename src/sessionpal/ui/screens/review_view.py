"""What the review shows, as values and lines: its sizes, its problems, a search's results, each goal's trend
(screens/review.py draws them from its reactives)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from msgspec import Struct
from rich.cells import cell_len
from textual.content import Content
from textual.widgets.option_list import Option

from ...core.index import SEARCH_LIMIT
from ...core.index_types import Hit, OpenAction, SessionRow
from ...core.model import Goal
from ...core.records import PastRetention
from ...core.stalled import SessionFacts, rating_trend, sparkline
from ...core.stamps import format_stamp
from ...core.timer import format_clock
from ..widgets.goals import STATUS_LOOK
from ..widgets.note_lines import due_part


def goal_trends(goals: Sequence[Goal], sessions: list[SessionFacts]) -> Content:
    """Each goal's status and ratings over time, in aligned columns so the sparklines line up."""
    if not goals:
        return Content.from_markup("[$text-muted]No goals: the review shows sessions and notes only.[/]")
    title_width = max(cell_len(goal.title) for goal in goals)
    status_width = max(cell_len(goal.status.label) for goal in goals)
    lines = [Content.from_markup("[b $text-muted]Goal ratings over time[/]")]
    for goal in goals:
        glyph, colour = STATUS_LOOK[goal.status]
        trend = rating_trend(goal.id, sessions)
        lines.append(
            Content.from_markup(
                f"[{colour}]$glyph[/] $title  [{colour}]$status[/]  [$accent]$spark[/] [$text-muted]$latest[/]",
                glyph=glyph,
                title=goal.title + " " * (title_width - cell_len(goal.title)),
                status=goal.status.label + " " * (status_width - cell_len(goal.status.label)),
                spark=sparkline(trend, 16) if trend else "·",
                latest=f"{trend[-1]}/10" if trend else "not rated yet",
            )
        )
    return Content("\n").join(lines)


def marked_content(marked: str) -> Content:
    """The index marks a match between \\x01 and \\x02; show it in the accent colour."""
    parts = marked.replace("\x02", "\x01").split("\x01")
    content = Content("")
    for index, part in enumerate(parts):
        content += Content.from_markup("[b $accent]$p[/]", p=part) if index % 2 else Content(part)
    return content


class Sizes(Struct, frozen=True):
    """How many sessions and open actions the review lists (None until the index has been read)."""

    sessions: int
    actions: int


class Problems(Struct, frozen=True):
    """What the Problems tab lists: files that cannot be read, sync copies, clients past retention."""

    files: tuple[str, ...] = ()
    copies: tuple[Path, ...] = ()
    past: tuple[PastRetention, ...] = ()
    years: int = 0

    def __len__(self) -> int:
        return len(self.files) + len(self.copies) + len(self.past)


class Found(Struct, frozen=True):
    """A search's results and the words they were found for."""

    query: str = ""
    hits: tuple[Hit, ...] = ()


def problems_text(problems: Problems) -> Content:
    """The Problems tab: session files that cannot be read, the copies a sync tool left, clients past retention."""
    lines = []
    if problems.files:
        lines.append(Content.from_markup("[b]Session files that cannot be read[/b] [$text-muted](left exactly as they are; fix them in your editor)[/]"))
        lines += [Content(f"  {p}") for p in problems.files]
    if problems.copies:
        lines.append(Content.from_markup("[b]Copies a sync tool left[/b] [$text-muted](never read as sessions; compare and delete the one you do not want)[/]"))
        lines += [Content(f"  {c}") for c in problems.copies]
    if problems.past:
        lines.append(
            Content.from_markup(
                f"[b]Past your retention period ({problems.years} years)[/b] [$text-muted](last session; `sessionpal erase CLIENT` when their records should go)[/]"
            )
        )
        lines += [Content(f"  {p.last.isoformat() if p.last else 'date unknown'}  {p.entry.name}  ({p.entry.slug})") for p in problems.past]
    return Content("\n").join(lines) if lines else Content("No problems: every session file reads, and no sync conflict copies.")


def session_cells(row: SessionRow, titles: dict[str, str], *, name: str | None) -> list[Content]:
    """A session's row: its goals by title (sessions record them by id), the client's name in everyone's review."""
    if row.problem:
        cells = [row.path.name, "cannot be read", "", "", "", "", row.problem.split(": ", 1)[-1]]
    else:
        cells = [
            row.started.strftime("%Y-%m-%d %H:%M") if row.started else row.path.stem,
            format_clock(row.elapsed),
            f"{row.planned} min",
            str(row.notes),
            str(row.asked),
            str(row.open_actions) if row.open_actions else "",
            ", ".join(titles.get(goal, goal) for goal in row.goals),
        ]
    if name is not None:  # everyone's review: the client's name as their file says it now
        cells.insert(1, name)
    return [Content(cell) for cell in cells]


def action_cells(item: OpenAction, today: date, *, name: str | None) -> list[Content]:
    when = item.started.strftime("%Y-%m-%d") if item.started else "?"
    who = f"{name} · " if name is not None else ""
    return [Content.assemble("[ ] ", item.action.text, *due_part(item.action, today), "  ", (who + when, "$text-muted"))]  # assemble: 30x faster than markup


SEARCHING_AFTER = 0.3  # seconds a search runs before it says so: words in most sessions but never on one line


def searching() -> Option:
    return Option(Content.from_markup("[$text-muted]Searching every session…[/]"), disabled=True)


def hit_options(found: Found, name_of: Callable[[str, str], str] | None) -> list[Option]:
    """A search's results as the review lists them (`name_of`: each client's name, for everyone's review), and a
    note under them when nothing matched or more did than are shown."""
    options = []
    for hit in found.hits:
        when = hit.started.strftime("%Y-%m-%d") if hit.started else "?"
        # In brackets as in the file: "2021-09-27 00:12:40" would read as a time of day.
        stamp = f"[{format_stamp(hit.stamp)}]" if hit.stamp is not None else " " * 10
        who = f"{name_of(hit.client, hit.name)} · " if name_of else ""
        head = Content.from_markup("[$text-muted]$who$when $stamp[/]  ", who=who, when=when, stamp=stamp)
        options.append(Option(head + marked_content(hit.marked)))
    if found.query.strip() and not found.hits:
        options.append(Option(Content.from_markup("[$text-muted]No notes match.[/]"), disabled=True))
    elif len(found.hits) >= SEARCH_LIMIT:
        options.append(Option(Content.from_markup("[$text-muted]The newest $n lines: a word more narrows the search.[/]", n=SEARCH_LIMIT), disabled=True))
    return options
