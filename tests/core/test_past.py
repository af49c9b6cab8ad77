"""Hours from before sessionpal (import-hours' CSV) and sessions written up after the fact."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.clients import create_client
from sessionpal.core.export import icf_log
from sessionpal.core.past import PastSession, plan_import, read_hours, record_past_session, recorded_count
from sessionpal.core.paths import Home
from sessionpal.core.sessions import read_session

names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30).filter(lambda n: n.strip() == n and n)
rows = st.lists(
    st.tuples(st.dates(min_value=date(1970, 1, 1), max_value=date(2027, 12, 3)), names, st.integers(1, 1440), st.booleans()),
    max_size=8,
)


@settings(max_examples=80, deadline=None)
@given(rows)
def test_any_hours_file_reads_back_as_written(tmp_path_factory: pytest.TempPathFactory, written: list[tuple[date, str, int, bool]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "client", "minutes", "kind"])
    for day, name, minutes, pro_bono in written:
        writer.writerow([day.isoformat(), name, minutes, "pro-bono" if pro_bono else "paid"])
    path = tmp_path_factory.mktemp("hours") / "hours.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    read, problems = read_hours(path, today=date(2026, 12, 2))
    assert problems == []
    assert [(r.day, r.client, r.minutes, r.pro_bono) for r in read] == written


def test_every_bad_line_is_named_and_nothing_is_read_as_good(tmp_path: Path) -> None:
    path = tmp_path / "hours.csv"
    path.write_text(
        "\ufeffDate,Client,Minutes,Kind\n"
        "2024-03-04,Ana Pérez,60,paid\n"
        "2024-02-30,Ana Pérez,60,paid\n"
        "2024-03-05,,60,paid\n"
        "2024-03-06,Ana,ninety,paid\n"
        "2024-03-07,Ana,60,free\n"
        "2024-03-08,Ana,60\n"
        "2024-03-09,An\x1ba,60,paid\n"
        "\n"
        "2024-03-10,Ana,0,pro-bono\n"
    )
    read, problems = read_hours(path)
    assert read == [PastSession(date(2024, 3, 4), "Ana Pérez", 60, False, 2)]
    assert problems == [
        f"{path}:3: date '2024-02-30' is not a date like 2026-11-23",
        f"{path}:4: the client is empty",
        f"{path}:5: minutes 'ninety' is not a number from 1 to 1440",
        f"{path}:6: kind 'free' is neither paid nor pro-bono",
        f"{path}:7: 3 fields where 4 are expected (date,client,minutes,kind)",
        f"{path}:8: the client's name holds a control character (U+001B)",
        f"{path}:10: minutes '0' is not a number from 1 to 1440",
    ]
    (tmp_path / "no-header.csv").write_text("2024-03-04,Ana,60,paid\n")
    assert read_hours(tmp_path / "no-header.csv") == ([], [f"{tmp_path / 'no-header.csv'}:1: the first line must be the header date,client,minutes,kind"])


def test_a_past_session_counts_in_the_icf_log_and_keeps_its_notes(home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45)
    path = record_past_session(home, ana.slug, date(2024, 3, 4), 50, pro_bono=True, notes=["she chose the harder path", "!write to Marta"], imported="x.csv:2")
    document = read_session(path)
    assert document.info.is_finished and document.info.elapsed_seconds == 3000 and document.info.pro_bono is True
    assert [n.text for n in document.notes] == ["she chose the harder path"] and [a.text for a in document.actions] == ["write to Marta"]
    rows, problems = icf_log(home)
    assert problems == [] and (rows[0].sessions, rows[0].pro_bono_hours) == (1, 0.83)
    assert recorded_count(home, ana.slug, date(2024, 3, 4), 50) == 1 and recorded_count(home, ana.slug, date(2024, 3, 4), 60) == 0


def test_a_day_outside_1970_to_a_year_ahead_is_refused_with_its_line(tmp_path: Path, home: Home) -> None:
    path = tmp_path / "hours.csv"
    path.write_text(
        "date,client,minutes,kind\n0026-11-23,Ana,60,paid\n0001-01-01,Ana,60,paid\n9999-12-31,Ana,1440,paid\n1969-12-31,Ana,60,paid\n1970-01-01,Ana,60,paid\n"
    )
    read, problems = read_hours(path, today=date(2026, 12, 2))
    assert [r.line for r in read] == [6]
    assert problems == [
        f"{path}:2: the date 0026-11-23 is outside 1970-01-01 to 2027-12-03",
        f"{path}:3: the date 0001-01-01 is outside 1970-01-01 to 2027-12-03",
        f"{path}:4: the date 9999-12-31 is outside 1970-01-01 to 2027-12-03",
        f"{path}:5: the date 1969-12-31 is outside 1970-01-01 to 2027-12-03",
    ]
    ana = create_client(home, "Ana Pérez", 45)
    for day in (date(1, 1, 1), date(9999, 12, 31), date(26, 11, 23)):
        with pytest.raises(ValueError, match="outside"):
            record_past_session(home, ana.slug, day, 1440)
    assert list(home.sessions_dir(ana.slug).glob("*.md")) == [], "nothing half-written"


def test_a_genuine_second_session_is_kept_and_a_file_imported_again_adds_nothing(tmp_path: Path, home: Home) -> None:
    ana = create_client(home, "Ana Pérez", 45)
    rows = [
        PastSession(date(2024, 3, 4), "Ana", 60, False, 2),
        PastSession(date(2024, 3, 4), "Ana", 60, False, 3),
        PastSession(date(2024, 3, 5), "Ana", 45, False, 4),
    ]
    slugs = {"Ana": ana.slug}
    new, old = plan_import(home, rows, slugs)
    assert (new, old) == (rows, [])
    for row in new:
        record_past_session(home, ana.slug, row.day, row.minutes, imported=f"hours.csv:{row.line}")
    assert plan_import(home, rows, slugs) == ([], rows), "the same file again adds nothing"
    other = [
        PastSession(date(2024, 3, 4), "Ana", 60, False, 2),
        PastSession(date(2024, 3, 4), "Ana", 60, False, 3),
        PastSession(date(2024, 3, 4), "Ana", 60, False, 4),
    ]
    assert plan_import(home, other, slugs) == ([other[2]], other[:2]), "a third that day is new"
    assert recorded_count(home, ana.slug, date(2024, 3, 4), 60) == 2
