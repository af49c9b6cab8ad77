"""The client list's rows and the line under its filter, as values the screen holds (screens/clients.py) and
the drawing its watchers do with them."""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.clients import ClientEntry
from ...core.paths import fold_name
from ...core.problems import close_matches


def client_prompt(entry: ClientEntry) -> Content:
    # Built on every keystroke in the filter, for every client: assemble is far cheaper than markup.
    if entry.card is None:
        first = entry.problems[0] if entry.problems else "unknown problem"
        return Content.assemble((f"{entry.slug}: client.toml cannot be read", "$error"), "  ", (str(first), "$text-muted"))
    when = f"last session {entry.last_session[:10]}" if entry.last_session else "no sessions yet"
    if entry.attention and not entry.left_open:
        return Content.assemble((entry.name, "bold"), "  ", (when, "$text-muted"), "  ", (entry.attention, "$text-warning"))
    if entry.left_open == "unfinished":
        return Content.assemble((entry.name, "bold"), "  ", (when, "$text-muted"), "  ", ("unfinished: Enter to resume or close it", "$warning"))
    if entry.left_open:
        return Content.assemble((entry.name, "bold"), "  ", (when, "$text-muted"), "  ", ("in session in another sessionpal", "$accent"))
    return Content.assemble((entry.name, "bold"), "  ", (when, "$text-muted"))


class Listed(Struct, frozen=True):
    """What the list shows: the clients the filter finds (at most so many), how many more it finds, the line
    under the filter ("" for none), and whether the client highlighted before stays highlighted (a reload)."""

    clients: tuple[ClientEntry, ...] = ()
    more: int = 0
    message: str = ""
    keep: bool = False


def listing(entries: Sequence[ClientEntry], typed: str, *, at_most: int, private: bool, assigning: bool, add_key: str, keep: bool = False) -> Listed:
    """The clients matching what is typed (accents and case aside, or their folder's name), and what to say."""
    wanted = fold_name(typed)
    matching = [e for e in entries if not wanted or wanted in fold_name(e.name) or wanted in e.slug]
    # A list is for the clients of these weeks; a name typed finds anyone. Options for a thousand clients would
    # cost each keystroke a sixth of a second.
    shown = tuple(matching[:at_most])
    if private:
        message = "Private: the client list is hidden while you share your screen. F9 shows it."
    elif not entries:
        message = f"No clients yet. Press {add_key} to add your first client."
    elif not shown:
        # A typo must not quietly make a second client: the close names are said first.
        by_fold = {fold_name(e.name): e.name for e in entries}
        close = [by_fold[f] for f in close_matches(wanted, list(by_fold))]
        maybe = f" Did you mean {' or '.join(close)}? Fix the name to open them;" if close else ""
        then = "Type another name, or Esc." if assigning else f"Enter adds “{typed.strip()}” as a new client."
        message = f"No client matches “{typed.strip()}”.{maybe} {then}"
    else:
        message = ""
    return Listed(shown, len(matching) - len(shown), message, keep)


def draw_rows(options: OptionList, listed: Listed) -> None:
    was = options.highlighted_option.id if options.highlighted_option is not None else None
    options.clear_options()
    options.add_options([Option(client_prompt(e), id=e.slug) for e in listed.clients])
    if listed.more:
        more = f"… and {listed.more:,} more: type a few letters of a name"
        options.add_option(Option(Content.styled(more, "$text-muted"), id="more", disabled=True))
    if listed.clients:
        slugs = [e.slug for e in listed.clients]
        options.highlighted = slugs.index(was) if listed.keep and was in slugs else 0


def draw_message(line: Static, message: str) -> None:
    line.update(Content(message))  # a typed name is text, never markup
    line.set_class(bool(message), "-visible")
