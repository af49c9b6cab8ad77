"""`sessionpal today` and `sessionpal invite`, through the parser cli/calendar.py builds (registered in cli/app.py
by the lead), and the invite read by a real peer: khal."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sessionpal.cli import calendar as commands
from sessionpal.cli.common import EXIT_OK, EXIT_PROBLEMS, CommandError, CommandParser
from sessionpal.core.clients import add_calendar_name, create_client
from sessionpal.core.paths import Home

LISBON = ZoneInfo("Europe/Lisbon")
TUESDAY = datetime(2026, 12, 8, 9, 30, tzinfo=LISBON)


def parser() -> CommandParser:
    """The top-level parser with the calendar's commands only, built as cli/app.py builds its own."""
    return parsers()[0]


def parsers() -> tuple[CommandParser, dict[str, CommandParser]]:
    top = CommandParser(prog="sessionpal")
    subcommands = top.add_subparsers(dest="command", metavar="COMMAND", prog="sessionpal", parser_class=CommandParser)
    commands.add_commands(subcommands)
    return top, dict(subcommands.choices)


def parse(*argv: str) -> argparse.Namespace:
    return parser().parse_args(list(argv))


def vevent(uid: str, start: str, minutes: int, summary: str, *more: str) -> str:
    """An event at `start` (YYYYMMDDTHHMM, Lisbon time), `minutes` long."""
    begin = datetime.strptime(start, "%Y%m%dT%H%M")
    end = begin + timedelta(minutes=minutes)
    lines = [
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID=Europe/Lisbon:{begin:%Y%m%dT%H%M%S}",
        f"DTEND;TZID=Europe/Lisbon:{end:%Y%m%dT%H%M%S}",
        f"SUMMARY:{summary}",
        *more,
    ]
    return "BEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\n"


def calendar_file(path: Path, *events: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n", encoding="utf-8")
    return path


@pytest.fixture
def practice(home: Home, tmp_path: Path) -> Home:
    """Three clients and a calendar: a call each, one naming two clients, one naming none, one tomorrow."""
    for name in ("Ngozi Adeyemi", "Sam Lee", "José Álvarez"):
        create_client(home, name, 50)
    add_calendar_name(home, "jose-alvarez", "Weekly J.A.")
    calendar_file(
        tmp_path / "work.ics",
        vevent("1", "20261208T1000", 50, "Coaching: Ngozi Adeyemi"),
        vevent("2", "20261208T1200", 60, "Sam Lee & Ngozi Adeyemi: intro"),
        vevent("3", "20261208T1500", 30, "Dentist"),
        vevent("4", "20261208T1700", 50, "weekly j.a.", "RRULE:FREQ=WEEKLY;COUNT=4"),
        vevent("5", "20261209T1100", 50, "Sam Lee"),
        vevent("6", "20261214T1100", 50, "Sam Lee, next week"),
    )
    home.config_file.write_text(f'[calendar]\nsources = ["{tmp_path / "work.ics"}"]\n')
    return home


def test_the_commands_help_fits_80_columns_and_ends_with_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("today", "invite"):
        text = parsers()[1][name].format_help()
        examples = text.partition("\nexamples:\n")[2].splitlines()
        assert examples and all(line.startswith(f"  sessionpal {name}") or line.startswith("      ") for line in examples), text
        assert all(len(line) <= 80 for line in text.splitlines()), text


def test_today_lists_the_calls_with_whose_each_is(practice: Home, capsys: pytest.CaptureFixture[str]) -> None:
    assert commands.cmd_today(parse("today", "--home", str(practice.root)), TUESDAY) == EXIT_OK
    out, err = capsys.readouterr()
    who = 33  # the widest: "ambiguous: Ngozi Adeyemi, Sam Lee"
    assert out.splitlines() == [
        f"10:00-10:50  {'Ngozi Adeyemi':<{who}}  Coaching: Ngozi Adeyemi",
        "12:00-13:00  ambiguous: Ngozi Adeyemi, Sam Lee  Sam Lee & Ngozi Adeyemi: intro",
        f"15:00-15:30  {'not matched':<{who}}  Dentist",
        f"17:00-17:50  {'José Álvarez':<{who}}  weekly j.a.",
    ]
    assert err == ""


def test_today_for_the_week_by_day(practice: Home, capsys: pytest.CaptureFixture[str]) -> None:
    assert commands.cmd_today(parse("today", "--week", "--home", str(practice.root)), TUESDAY) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Tuesday 8 December 2026 (today)" and lines[1].startswith("  10:00-10:50  Ngozi Adeyemi")
    assert lines[5:] == ["", "Wednesday 9 December 2026", f"  11:00-11:50  {'Sam Lee':<33}  Sam Lee"]
    assert not any("next week" in line for line in lines), "Monday to Sunday"


def test_today_with_a_calendar_that_cannot_be_read(practice: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    practice.config_file.write_text(
        f'[calendar]\nsources = ["{tmp_path / "gone"}", "{tmp_path / "work.ics"}", "webcal://example.org/x.ics"]\nwriteable = "x"\n'
    )
    assert commands.cmd_today(parse("today", "--home", str(practice.root)), TUESDAY) == EXIT_PROBLEMS
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 4, "the calendar that is there is read"
    assert err.splitlines() == [
        f"{practice.config_file}:2:1: 'webcal://example.org/x.ics' is an address: sessionpal reads calendar files only (let your calendar app or vdirsyncer keep a copy)",
        f"{practice.config_file}:3:1: unknown key 'writeable' in [calendar]; did you mean 'writable'?",
        f"{practice.config_file}:2:1: calendar {tmp_path / 'gone'} not found (named in [calendar] sources)",
    ]


def test_today_without_a_calendar_says_how_to_set_one(home: Home, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match=r"no calendar: add \[calendar\] with sources"):
        commands.cmd_today(parse("today", "--home", str(home.root)), TUESDAY)
    home.config_file.write_text("[calendar]\nsources = []\n")
    with pytest.raises(CommandError, match="docs/calendar.md"):
        commands.cmd_today(parse("today", "--home", str(home.root)), TUESDAY)


def test_today_prints_no_control_character_a_calendar_holds(practice: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    calendar_file(tmp_path / "work.ics", vevent("x", "20261208T1000", 50, "Sam Lee \x1b]52;c;cHduZWQ=\x07\x1b[2J\u202eevil"))
    assert commands.cmd_today(parse("today", "--home", str(practice.root)), TUESDAY) == EXIT_OK
    out = capsys.readouterr().out
    assert out == "10:00-10:50  Sam Lee  Sam Lee ␛]52;c;cHduZWQ=␇␛[2J⟨U+202E⟩evil\n"


def test_invite_writes_the_file_asked_for(practice: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "next.ics"
    args = parse("invite", "Ngozi Adeyemi", "--at", "2026-12-15T10:00", "--zone", "Europe/Lisbon", "--out", str(out), "--home", str(practice.root))
    assert commands.cmd_invite(args) == EXIT_OK
    said = capsys.readouterr().out.splitlines()
    assert said == ["Coaching: Ngozi Adeyemi, Tuesday 2026-12-15 at 10:00 (WET), 50 minutes", f"written to {out}"]
    text = out.read_text()
    assert (
        "SUMMARY:Coaching: Ngozi Adeyemi" in text
        and "DTSTART;TZID=Europe/Lisbon:20261215T100000" in text
        and "DTEND;TZID=Europe/Lisbon:20261215T105000" in text
    )
    assert "DESCRIPTION:sessionpal:ngozi-adeyemi" in text


def test_invite_options_code_minutes_weekly_and_where_it_goes(
    practice: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    args = parse(
        "invite", "sam lee", "--at", "2026-12-15T16:00", "--zone", "Asia/Tokyo", "--code", "--minutes", "45", "--weekly", "3", "--home", str(practice.root)
    )
    assert commands.cmd_invite(args) == EXIT_OK
    made = tmp_path / "invite-2026-12-15T1600.ics"
    text = made.read_text()
    assert "SUMMARY:Coaching: C-" in text and "Sam" not in text and "sam-lee" not in text
    assert "DTSTART;TZID=Asia/Tokyo:20261215T160000" in text and "DTEND;TZID=Asia/Tokyo:20261215T164500" in text and "RRULE:FREQ=WEEKLY;COUNT=3" in text
    assert capsys.readouterr().out.splitlines()[0].endswith("(JST), 45 minutes, then weekly: 3 sessions in all")
    # Never into the data home, where it would be read as the home's own file.
    inside = parse("invite", "Sam Lee", "--at", "2026-12-15T10:00", "--out", str(practice.root / "clients" / "x.ics"), "--home", str(practice.root))
    with pytest.raises(CommandError, match="inside the data home"):
        commands.cmd_invite(inside)
    assert not (practice.root / "clients" / "x.ics").exists()
    with pytest.raises(CommandError, match="--zone or the offset, not both"):
        commands.cmd_invite(parse("invite", "Sam Lee", "--at", "2026-12-15T10:00+01:00", "--zone", "Asia/Tokyo", "--home", str(practice.root)))
    with pytest.raises(CommandError, match="no client called 'Nobody'"):
        commands.cmd_invite(parse("invite", "Nobody", "--at", "2026-12-15T10:00", "--home", str(practice.root)))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--at", "2026-12-15"), "has no time"),
        (("--at", "tomorrow"), "is not a date and time"),
        (("--at", "1900-01-01T10:00"), "is not between 1970 and 2199"),
        (("--at", "2026-12-15T10:00", "--zone", "Mars/Olympus"), "is not a time zone's name"),
        (("--at", "2026-12-15T10:00", "--minutes", "2"), "a session is 5 to 600 minutes long"),
        (("--at", "2026-12-15T10:00", "--weekly", "0"), "a weekly series is 1 to 52 sessions"),
        (("--at", "2026-12-15T10:00", "--code", "--name"), "not allowed with argument"),
    ],
)
def test_invite_refuses_what_cannot_be_a_session(argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse("invite", "Sam Lee", *argv)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def khal(config_dir: Path, vdir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """khal, installed with the test extras, with its own config and database in a temp folder."""
    found = shutil.which("khal", path=str(Path(sys.executable).parent)) or shutil.which("khal")
    if found is None:
        pytest.skip("khal is not installed (pip install -e '.[test]')")
    config = config_dir / "khal.conf"
    config.write_text(
        f"[calendars]\n[[coaching]]\npath = {vdir}\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\nlocal_timezone = Europe/Lisbon\ndefault_timezone = Europe/Lisbon\n"
        f"[sqlite]\npath = {config_dir / 'khal.db'}\n"
    )
    env = {**os.environ, "HOME": str(config_dir), "XDG_CONFIG_HOME": str(config_dir), "XDG_DATA_HOME": str(config_dir), "TZ": "Europe/Lisbon"}
    return subprocess.run([found, "-c", str(config), *argv], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_khal_shows_the_invite_on_the_right_day(practice: Home, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vdir = tmp_path / "calendars" / "coaching"
    vdir.mkdir(parents=True)
    practice.config_file.write_text(f'[calendar]\nsources = ["{vdir}", "{tmp_path / "work.ics"}"]\nwritable = "{vdir}"\n')
    # 10:00 in New York on the Monday after the US clocks go back: 15:00 in Lisbon.
    args = parse("invite", "Ngozi Adeyemi", "--at", "2026-11-02T10:00", "--zone", "America/New_York", "--weekly", "2", "--home", str(practice.root))
    assert commands.cmd_invite(args) == EXIT_OK
    (written,) = vdir.iterdir()
    assert capsys.readouterr().out.splitlines()[-1] == f"written to {written}"
    (tmp_path / "khal").mkdir()
    listed = khal(tmp_path / "khal", vdir, "list", "--format", "{start} {end} {title}", "2026-11-01", "10d")
    assert listed.returncode == 0, listed.stderr
    shown = [line for line in listed.stdout.splitlines() if "Coaching" in line]
    assert shown == ["2026-11-02 15:00 2026-11-02 15:50 Coaching: Ngozi Adeyemi", "2026-11-09 15:00 2026-11-09 15:50 Coaching: Ngozi Adeyemi"]
    # And sessionpal reads its own invite back from the folder, placed with the client by its mark.
    assert commands.cmd_today(parse("today", "--home", str(practice.root)), datetime(2026, 11, 2, 8, 0, tzinfo=LISBON)) == EXIT_OK
    assert capsys.readouterr().out == "15:00-15:50  Ngozi Adeyemi  Coaching: Ngozi Adeyemi\n"
