"""Records for others: everything about one client (an access request), the ICF hours log, a session recap.

Each is built in memory and written through fsio (atomic, 0600), or returned
for printing. Nothing is sent anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from msgspec import Struct

from . import fsio
from .clients import client_code, load_client
from .fsio import is_temp_file, link_on_the_way
from .index import session_files
from .lock import LOCK_FILES
from .model import Action, ActionState, Client, GoalStatus, Note, NoteKind
from .paths import Home, session_paths
from .problems import FileProblems
from .safe_text import csv_cell
from .sessionfile import SessionInfo
from .sessions import read_session
from .versions import VERSIONS_DIR, folder_for


def export_client(home: Home, slug: str, skipped: list[Path] | None = None) -> bytes:
    """A zip of everything held about one client: client.toml, every session file (a broken one as it
    is), and any other file in their folder (attachments). Private notes included, as the law asks.

    Links are never followed (a link in their folder may point at anything on this computer, and the zip
    leaves it): each one is left out and added to `skipped`."""
    left_out = skipped if skipped is not None else []
    buffer = io.BytesIO()
    # Their earlier versions are held about them too: they go in, under .versions/.
    folders = [(home.client_dir(slug), Path(slug)), (folder_for(home, home.client_dir(slug)), Path(slug) / VERSIONS_DIR)]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder, inside in folders:
            link = link_on_the_way(folder)
            if link is not None:
                left_out.append(link)
                continue
            for root, dirs, files in os.walk(folder):  # followlinks=False: a linked folder is listed, not entered
                dirs.sort()
                left_out += [Path(root) / d for d in dirs if os.path.islink(os.path.join(root, d))]
                for name in sorted(files):
                    path = Path(root) / name
                    if is_temp_file(name) or name in LOCK_FILES:
                        continue
                    if path.is_symlink() or not path.is_file():
                        left_out.append(path)  # a link, a FIFO, a device: not a record of theirs to hand over
                        continue
                    archive.write(path, arcname=str(inside / path.relative_to(folder)))
    return buffer.getvalue()


def obsidian_notes(home: Home, slug: str, problems: list[str] | None = None) -> dict[str, str]:
    """One client's sessions as notes for Obsidian and other Markdown tools: file name -> text.

    Those tools read YAML front matter between `---` lines; sessionpal's is TOML between `+++`, which
    they show as text. Each copy has the same keys and values written as YAML (each value in JSON's
    notation, which YAML reads as it is) and the same body; an index note lists the goals and links
    every session. The session files themselves are not changed. A session that cannot be read is
    left out and named in `problems`."""
    client = load_client(home.client_file(slug), slug)
    notes: dict[str, str] = {}
    for path in session_paths(home, slug):
        try:
            document = read_session(path)
        except FileProblems as error:
            if problems is not None:
                problems += [str(p) for p in error.problems]
            continue
        body = [item if isinstance(item, str) else (item.source or item.render()) for item in document.body]
        notes[f"{path.stem}.md"] = "---\n" + _yaml_front(document.front) + "---\n" + "\n".join(body)
    goals = [f"- {goal.title} ({goal.status.value})" for goal in client.goals]
    sessions = [f"- [[{Path(name).stem}]]" for name in sorted(notes, reverse=True)]
    index = ["---", f"client: {_yaml_string(slug)}", f"name: {_yaml_string(client.name)}", "---", f"# {client.name}", ""]
    index += ["## Goals", "", *(goals or ["(none)"]), "", "## Sessions", "", *(sessions or ["(none)"]), ""]
    notes[f"{slug}.md"] = "\n".join(index)
    return notes


# Characters YAML may not hold raw in a quoted string (or reads as a line break): written as escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # YAML 1.1 reads these as values


def _yaml_string(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar with the same escapes.
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _yaml_value(value: object) -> str:
    """A TOML value as YAML flow notation (one line), read back as the same value; times as ISO text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        mantissa, _, exponent = repr(value).partition("e")
        return (mantissa if "." in mantissa else mantissa + ".0") + (f"e{exponent}" if exponent else "")
    if isinstance(value, (datetime, date, time)):
        return _yaml_string(value.isoformat())
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_yaml_key(str(k))}: {_yaml_value(v)}" for k, v in value.items()) + "}"
    return _yaml_string(str(value))


def _yaml_key(key: str) -> str:
    return key if _PLAIN_KEY.fullmatch(key) and key not in _YAML_WORDS else _yaml_string(key)


def _yaml_front(front: dict[str, object]) -> str:
    return "".join(f"{_yaml_key(key)}: {_yaml_value(value)}\n" for key, value in front.items())


class LogRow(Struct, frozen=True):
    client: str
    contact: str
    first: date
    last: date
    sessions: int
    paid_hours: float
    pro_bono_hours: float


def icf_log(home: Home, start: date | None = None, end: date | None = None) -> tuple[list[LogRow], list[str]]:
    """One row per client with sessions in [start, end]; problems for files that could not be read.

    Hours are the session timer's elapsed time. A session is pro bono if its front matter says
    pro_bono = true, else if the client's file does. A client who has not agreed to be named
    (log_name = true in client.toml) appears under their code.
    """
    rows: list[LogRow] = []
    problems: list[str] = []
    by_client: dict[str, list[tuple[date, SessionInfo]]] = {}
    for slug, path in session_files(home):
        try:
            info = read_session(path).info
        except FileProblems as error:
            problems.append(str(error.problems[0]))
            continue
        if info.started is None or not info.is_finished:
            continue
        day = info.started.date()
        if (start and day < start) or (end and day > end):
            continue
        by_client.setdefault(slug, []).append((day, info))
    for slug, sessions in sorted(by_client.items()):
        try:
            client = load_client(home.client_file(slug), slug)
        except FileProblems as error:
            problems.append(str(error.problems[0]))
            continue
        paid = pro_bono = 0.0
        for _, info in sessions:
            hours = info.elapsed_seconds / 3600
            if info.pro_bono if info.pro_bono is not None else client.pro_bono:
                pro_bono += hours
            else:
                paid += hours
        days = [d for d, _ in sessions]
        name = client.name if client.log_name else client_code(client)
        contact = client.contact if client.log_name else ""
        rows.append(LogRow(name, contact, min(days), max(days), len(sessions), round(paid, 2), round(pro_bono, 2)))
    rows.sort(key=lambda r: (r.first, r.client))
    return rows, problems


def icf_csv(rows: list[LogRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Client", "Contact", "First session", "Last session", "Sessions", "Paid hours", "Pro bono hours"])
    for row in rows:
        writer.writerow(
            # A name or contact a spreadsheet would run as a formula (=HYPERLINK(…), +1…) is kept as text.
            [
                csv_cell(row.client),
                csv_cell(row.contact),
                row.first.isoformat(),
                row.last.isoformat(),
                row.sessions,
                f"{row.paid_hours:.2f}",
                f"{row.pro_bono_hours:.2f}",
            ]
        )
    paid = sum(r.paid_hours for r in rows)
    free = sum(r.pro_bono_hours for r in rows)
    writer.writerow(["Total", f"{len(rows)} client{'' if len(rows) == 1 else 's'}", "", "", sum(r.sessions for r in rows), f"{paid:.2f}", f"{free:.2f}"])
    writer.writerow(["Total hours", "", "", "", "", f"{paid + free:.2f}", ""])
    return out.getvalue()


def share_recap(path: Path, client: Client | None = None, next_session: datetime | None = None) -> str:
    """A recap for the client: the session agreement, the notes marked for them (+) and their actions
    (the coach's own, "Coach: …", stay out); and when the next session is, once it is set.

    Everything else (notes, quotes, insights, questions) stays private.
    """
    document = read_session(path)
    info = document.info
    when = info.started.strftime("%A %d %B %Y") if info.started else path.stem
    lines = [f"# Our session, {when}", ""]
    if client is not None:
        lines[0] = f"# {client.name}: our session, {when}"
    if info.agreement:
        lines += ["What you wanted from this session:", "", f"> {info.agreement}", ""]
    shared = [n for n in document.notes if isinstance(n, Note) and n.kind is NoteKind.SHARED]
    if shared:
        lines += ["## Notes for you", ""] + [f"- {n.text}" for n in shared] + [""]
    actions = [a for a in document.actions if isinstance(a, Action) and a.state is not ActionState.DROPPED and not a.for_coach]
    if actions:
        lines += ["## What you will do", ""] + [f"- [{'x' if a.state is ActionState.DONE else ' '}] {a.text}{_by(a)}" for a in actions] + [""]
    goals = _goal_news(client, info) if client is not None else []
    if goals:
        lines += ["## Your goals", ""] + [f"- {line}" for line in goals] + [""]
    if not shared and not actions and not info.agreement and not goals:
        lines += ["(Nothing in this session was marked for sharing.)", ""]
    if next_session is not None:
        lines += ["## Our next session", "", f"{next_session:%A %d %B %Y} at {next_session:%H:%M}", ""]
    return "\n".join(lines)


def _by(action: Action) -> str:
    """The day an action is due, after its words: "(by Friday 04 December)", or "(Friday 04 December)" when
    the words say the weekday already ("by Friday" alone leaves the client to work out which Friday)."""
    if action.due is None:
        return ""
    words = action.text.casefold()
    if action.due.strftime("%A").casefold() in words:
        return f" ({action.due.strftime('%d %B')})"  # "by Friday (04 December)": which Friday, not the weekday twice
    if re.search(r"\bby\b", words):
        return f" ({action.due.strftime('%A %d %B')})"  # "by tomorrow (Thursday 03 December)": one "by"
    return f" (by {action.due.strftime('%A %d %B')})"


# How a goal's change reads in the client's recap; the coach's own readings (at risk, stalled) stay out.
CLIENT_WORDS = {
    GoalStatus.ACHIEVED: "achieved",
    GoalStatus.ON_TRACK: "on track",
    GoalStatus.ACTIVE: "active again",
    GoalStatus.PAUSED: "paused for now",
    GoalStatus.DROPPED: "set aside",
}


def _goal_news(client: Client, info: SessionInfo) -> list[str]:
    """The goals this session made or changed, in the client's words: new ones, and where a goal now stands."""
    from .goals_then import made_during, session_window

    window = session_window(info)
    if window is None:
        return []
    news = []
    for goal in client.goals:
        if goal.created is not None and made_during(goal.created, window):
            news.append(f"New goal: {goal.title}")
            continue
        changes = [c for c in goal.history if made_during(c.date, window) and c.from_status is not c.to_status]
        if changes:
            replaced = client.goal(goal.replaced_by) if goal.replaced_by else None
            to = changes[-1].to_status
            if to is GoalStatus.CHANGED and replaced is not None:
                news.append(f"{goal.title}: now {replaced.title}")
            elif to in CLIENT_WORDS:  # "at risk" or "stalled" is the coach's reading, not news for the client
                news.append(f"{goal.title}: {CLIENT_WORDS[to]}")
    return news


def recap_path(session: Path) -> Path:
    """Where a session's recap for the client is kept: beside it, named so it is never read as a session."""
    return session.with_name(f"{session.stem}.recap.md")


def write_recap(session: Path, client: Client | None = None, next_session: datetime | None = None) -> tuple[Path, str]:
    """The recap for the client (share_recap), written beside the session; its path and text."""
    text = share_recap(session, client, next_session)
    path = recap_path(session)
    fsio.atomic_write(path, text)
    return path, text


class EncryptionUnavailable(Exception):
    """pyrage (the age format's library) is not installed here."""


def encrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    """`data` in the age format (scrypt, from a passphrase): `age -d` or `rage -d` opens it."""
    if not passphrase:
        raise ValueError("an empty passphrase protects nothing")
    try:
        from pyrage import passphrase as age  # type: ignore[import-untyped]
    except ImportError as error:
        raise EncryptionUnavailable("encrypted export needs pyrage: pip install pyrage") from error
    encrypted: bytes = age.encrypt(data, passphrase)
    return encrypted


def default_export_name(slug: str, today: date | None = None) -> str:
    return f"sessionpal-{slug}-{(today or datetime.now().date()).isoformat()}.zip"
