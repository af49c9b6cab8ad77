"""Where a client stands in their engagement, and whether they are due: from file names only.

Session files are named by their day (YYYY-MM-DD…), so counting sessions and the usual gap
between them needs a folder listing, no file read: cheap enough for the whole client list.
"""

from __future__ import annotations

import statistics
from datetime import date

from msgspec import Struct

from .model import Engagement

NEAR_END_SESSIONS = 2  # sessions left at which the list says the engagement is nearly over
NEAR_END_DAYS = 14  # days before its end date, the same
GAP_SESSIONS = 3  # sessions needed before a usual gap means anything


def session_days(names: list[str]) -> list[date]:
    """The days of these session file names, in order (a name that is no day is passed over)."""
    days = []
    for name in names:
        try:
            days.append(date.fromisoformat(name[:10]))
        except ValueError:
            continue
    return sorted(days)


def usual_gap(days: list[date]) -> int | None:
    """The median number of days between sessions; None with too few of them to say."""
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False) if (b - a).days > 0]
    return int(statistics.median(gaps)) if len(days) >= GAP_SESSIONS and gaps else None


class Standing(Struct, frozen=True):
    number: int  # this session's number (or the next one's), counting every session file
    agreed: int | None
    ends: date | None
    next_session: date | None

    def label(self) -> str:
        """ "session 5 of 12" (or "session 5"), for the header."""
        return f"session {self.number} of {self.agreed}" if self.agreed else f"session {self.number}"


def standing(engagement: Engagement | None, sessions_so_far: int, current_has_file: bool) -> Standing | None:
    """Where the session under way stands; None for a client without an engagement."""
    if engagement is None:
        return None
    number = sessions_so_far if current_has_file else sessions_so_far + 1
    return Standing(number, engagement.sessions, engagement.ends, engagement.next_session)


def attention(engagement: Engagement | None, days: list[date], today: date) -> str:
    """What the client list says about a client's rhythm: near the end of their engagement, or longer
    than usual without a session; "" when nothing."""
    if engagement is not None:
        if engagement.sessions is not None:
            left = engagement.sessions - len([d for d in days if engagement.counts(d)])
            if left <= 0:
                return f"all {engagement.sessions} agreed sessions held"
            if left <= NEAR_END_SESSIONS:
                return f"{left} of {engagement.sessions} agreed sessions left"
        if engagement.ends is not None and 0 <= (engagement.ends - today).days <= NEAR_END_DAYS:
            return f"engagement ends {engagement.ends.strftime('%a %d %b')}"
    gap = usual_gap(days)
    if gap is not None and days:
        since = (today - days[-1]).days
        if since > max(gap * 3 // 2, gap + 7):
            return f"no session for {since} days (usually {gap})"
    return ""
