"""Hours from before sessionpal (import-hours' CSV) and sessions written up after the fact."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from sessionpal.core.clients import create_client
from sessionpal.core.export import icf_log
from sessionpal.core.past import PastSession, already_recorded, read_hours, record_past_session
from sessionpal.core.sessions import read_session

names = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30).filter(lambda n: n.strip() == n and n)
rows = st.lists(
    st.tuples(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), names, st.integers(1, 1440), st.booleans()),
    max_size=8,
)


@settings(max_examples=80, deadline=None)
@given(rows)
def test_any_hours_file_reads_back_as_written(tmp_path_factory, written):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "client", "minutes", "kind"])
    for day, name, minutes, pro_bono in written:
        writer.writerow([day.isoformat(), name, minutes, "pro-bono" if pro_bono else "paid"])
    path = tmp_path_factory.mktemp("hours") / "hours.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    read, problems = read_hours(path)
    assert problems == []
    assert [(r.day, r.client, r.minutes, r.pro_bono) for r in read] == written


def test_every_bad_line_is_named_and_nothing_is_read_as_good(tmp_path):
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


def test_a_past_session_counts_in_the_icf_log_and_keeps_its_notes(home):
    ana = create_client(home, "Ana Pérez", 45)
    path = record_past_session(home, ana.slug, date(2024, 3, 4), 50, pro_bono=True, notes=["she chose the harder path", "!write to Marta"], imported="x.csv:2")
    document = read_session(path)
    assert document.info.is_finished and document.info.elapsed_seconds == 3000 and document.info.pro_bono is True
    assert [n.text for n in document.notes] == ["she chose the harder path"] and [a.text for a in document.actions] == ["write to Marta"]
    rows, problems = icf_log(home)
    assert problems == [] and (rows[0].sessions, rows[0].pro_bono_hours) == (1, 0.83)
    assert already_recorded(home, ana.slug, date(2024, 3, 4), 50) and not already_recorded(home, ana.slug, date(2024, 3, 4), 60)
