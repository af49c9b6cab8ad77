"""The `sessionpal` command, run as a coach would run it: a separate process."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import pytest

from sessionpal import __version__
from sessionpal.core.paths import Home

from ..helpers import START, TOML_TEST_INVALID, env_without_home, present

POSITIONED = re.compile(r"^.+:\d+:\d+: \S")


def run(*args: str, home: Path | None = None, env: dict[str, str] | None = None, stdin: int | IO[Any] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sessionpal", *args]
    if home is not None:
        command[3:3] = ["--home", str(home)]
    result = subprocess.run(command, capture_output=True, text=True, env=env or env_without_home(), stdin=stdin, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"sessionpal {__version__}"


def test_locate_prints_every_place(tmp_path: Path) -> None:
    result = run("locate", home=tmp_path)
    assert result.returncode == 0
    lines = {line[:15].strip(): line[15:] for line in result.stdout.splitlines()}
    assert lines["data home"] == str(tmp_path)
    assert lines["config"] == str(tmp_path / "config.toml")
    assert lines["your packs"] == str(tmp_path / "prompts")
    assert "cache" in lines and lines["built-in packs"].endswith("prompts")
    assert lines["this computer"] == os.environ["SESSIONPAL_MACHINE_CONFIG"], "machine.toml, outside the data home"
    if not sys.platform.startswith("linux"):
        return  # where platformdirs follows XDG_CONFIG_HOME
    unset = env_without_home()
    unset.pop("SESSIONPAL_MACHINE_CONFIG")
    default = run("locate", "machine", home=tmp_path, env=unset | {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}).stdout.strip()
    assert default == str(tmp_path / "xdg" / "sessionpal" / "machine.toml")


def test_home_flag_env_and_position(tmp_path: Path) -> None:
    env = env_without_home() | {"SESSIONPAL_HOME": str(tmp_path / "env")}
    assert run("locate", "data", env=env).stdout.strip() == str(tmp_path / "env")
    assert run("locate", "data", "--home", str(tmp_path / "after"), env=env).stdout.strip() == str(tmp_path / "after")
    assert run("--home", str(tmp_path / "before"), "locate", "data", env=env).stdout.strip() == str(tmp_path / "before")


def test_packs_list_and_check_on_a_fresh_home(tmp_path: Path) -> None:
    listed = run("packs", "list", home=tmp_path)
    assert listed.returncode == 0
    packs_table, models_table = listed.stdout.split("\n\n")
    assert [row.split()[0] for row in models_table.splitlines()] == ["MODEL", "check-in", "grow"]
    rows = packs_table.splitlines()
    assert rows[0].split()[:3] == ["ID", "TITLE", "QUESTIONS"]
    ids = [row.split()[0] for row in rows[1:]]
    assert ids == ["actions", "awareness", "closing", "opening", "relationship", "stalled-goal", "values"]
    assert sum(int(present(re.search(r"\s(\d+)\s+/", row)).group(1)) for row in rows[1:]) >= 150
    checked = run("packs", "check", home=tmp_path)
    assert checked.returncode == 0 and checked.stdout.startswith("all valid: 7 packs (170 questions), 2 session models")


def test_packs_check_reports_each_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[pack]\nid = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntext = "a"\nphase = "middle"\n')
    good = tmp_path / "good.toml"
    good.write_text('[pack]\nid = "y"\ntitle = "t"\n')
    result = run("packs", "check", str(bad), str(good), str(tmp_path / "missing.toml"))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert f"{bad}:7:1: unknown phase 'middle': use one of opening, explore, options, action, closing" in errors
    assert f"{tmp_path / 'missing.toml'}:1:1: file not found" in errors
    assert errors[-1] == "2 files with problems"


def test_a_broken_user_pack_is_named_and_the_rest_still_list(tmp_path: Path) -> None:
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "mine.toml").write_bytes(b"\xef\xbb\xbf[pack]\nid = 'mine'\ntitle = 'Mine'\n")
    (tmp_path / "prompts" / "broken.toml").write_bytes(b"\x00\xff garbage")
    listed = run("packs", "list", home=tmp_path)
    assert listed.returncode == 1
    assert "mine" in listed.stdout and "(yours)" in listed.stdout and "awareness" in listed.stdout
    assert re.match(rf"^{re.escape(str(tmp_path / 'prompts' / 'broken.toml'))}:1:2: not valid UTF-8", listed.stderr)
    checked = run("packs", "check", home=tmp_path)
    assert checked.returncode == 1 and "broken.toml:1:2:" in checked.stderr


def test_packs_check_rejects_the_whole_toml_test_invalid_suite() -> None:
    if not TOML_TEST_INVALID.is_dir():
        pytest.skip(f"toml-test's invalid files are not at {TOML_TEST_INVALID}")
    files = sorted(str(p) for p in TOML_TEST_INVALID.rglob("*.toml"))
    result = run("packs", "check", *files)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == f"{len(files)} files with problems"
    assert len(lines) == len(files) + 1
    assert all(POSITIONED.match(line) for line in lines[:-1])


def test_clients_listing(tmp_path: Path) -> None:
    assert "no clients yet" in run("clients", home=tmp_path).stdout
    from sessionpal.core.clients import create_client
    from sessionpal.core.paths import Home

    create_client(Home(tmp_path), "José Álvarez", 50)
    (tmp_path / "clients" / "broken").mkdir()
    (tmp_path / "clients" / "broken" / "client.toml").write_text("name = \n")
    result = run("clients", home=tmp_path)
    assert result.returncode == 1
    from sessionpal.core.clients import client_code, load_client

    code = client_code(load_client(tmp_path / "clients" / "jose-alvarez" / "client.toml"))
    assert re.search(rf"^jose-alvarez\s+José Álvarez\s+{code}\s+no sessions$", result.stdout, re.M), "the code the ICF log names him by (26.16)"
    assert re.search(r"^broken\s+\(cannot be read\)", result.stdout, re.M)
    assert "client.toml:1:8: invalid TOML" in result.stderr
    create_client(Home(tmp_path), "李小龙", 50)
    create_client(Home(tmp_path), "Ｚoë Wide", 50)  # a fullwidth letter, and a decomposed ë below
    create_client(Home(tmp_path), "Zoe\u0308 Adams", 50)
    from rich.cells import cell_len

    rows = [line for line in run("clients", home=tmp_path).stdout.splitlines() if "no sessions" in line]
    assert len(rows) == 5
    assert {cell_len(line[: line.index("no sessions")]) for line in rows} == {28 + 1 + 32 + 1 + 9 + 1}, "columns line up on screen"


def test_launching_without_a_terminal_says_so(tmp_path: Path) -> None:
    result = run(home=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stderr.strip() == "sessionpal: the app needs a terminal to run in (stdin or stdout is not one); `sessionpal serve` runs it in a browser"


def test_a_textual_driver_other_than_the_terminal_s_needs_no_terminal(tmp_path: Path) -> None:
    """As textual-serve and `textual serve` start it: TEXTUAL_DRIVER set, stdin and stdout pipes."""
    env = env_without_home() | {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}
    app = subprocess.Popen(
        [sys.executable, "-m", "sessionpal", "--home", str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    try:
        assert app.stdout is not None
        assert app.stdout.readline() == b"__GANGLION__\n", "the web driver's greeting: the app started"
    finally:
        app.terminate()
        app.communicate(timeout=30)


def test_an_unwritable_home_is_refused_clearly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run(home=blocker / "home", stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert result.stderr.startswith(f"sessionpal: cannot create the data home {blocker / 'home'}")


def test_usage_errors_exit_2() -> None:
    result = run("packs")
    assert result.returncode == 2 and "usage:" in result.stderr
    assert run("frobnicate").returncode == 2


def every_command() -> list[tuple[str, argparse.ArgumentParser]]:
    """Each command the parser has, its own commands too ("packs check"), with its parser: from the parser itself."""
    from sessionpal.cli.app import build_parser

    found = []
    waiting: list[tuple[str, argparse.ArgumentParser]] = [("", build_parser())]
    while waiting:
        prefix, parser = waiting.pop(0)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append((f"{prefix}{name}", sub))
                    waiting.append((f"{prefix}{name} ", sub))
    return found


def test_the_help_groups_every_command_and_says_what_no_command_does() -> None:
    from sessionpal.cli.app import COMMAND_GROUPS

    result = run("--help", env={**env_without_home(), "COLUMNS": "80"})
    assert result.returncode == 0
    listed: dict[str, str] = {}  # each command the help lists: the group it is under
    group = ""
    for line in result.stdout.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            group = line[:-1]
        elif group and (found := re.match(r"  ([a-z][a-z-]*)  +\S", line)):
            listed[found.group(1)] = group
    commands = [name for name, _ in every_command() if " " not in name]
    assert sorted(name for name in listed if name in commands) == sorted(commands)
    titles = [title for title, _ in COMMAND_GROUPS]
    assert {name: group for name, group in listed.items() if group not in titles and name in commands} == {}, "a command in no group"
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "with no command: the client list" in " ".join(result.stdout.split()).casefold()
    assert "positional arguments" not in result.stdout, "COMMAND is not required: it is not listed as an argument"
    assert result.stdout.startswith("usage: sessionpal [--home DIR] [--client NAME [--code]]\n")
    assert "\n  sessionpal  " in result.stdout, "an example of no command at all"


def test_each_command_s_help_ends_with_examples_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for name, parser in every_command():
        text = parser.format_help()
        examples = text.partition("\nexamples:\n")[2].splitlines()
        assert examples and all(line.startswith("  ") for line in examples), (name, text)
        assert any(line.strip().split()[: len(name.split()) + 1] == ["sessionpal", *name.split()] for line in examples), (name, text)
        assert all(len(line) <= 80 for line in text.splitlines()), (name, text)
    # What a command's --help prints is that same text.
    packs = run("packs", "add", "--help")
    assert packs.returncode == 0 and packs.stdout.startswith("usage: sessionpal packs add ") and "\n  sessionpal packs add my-questions " in packs.stdout


def test_the_cli_does_not_import_textual_or_tomlkit() -> None:
    code = "import sys, sessionpal.cli; print(sorted(m for m in ('textual', 'tomlkit', 'rich') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_phases_the_cli_offers_are_the_models() -> None:
    from sessionpal.cli.packs import PHASES as offered
    from sessionpal.core.model import PHASES

    assert offered == PHASES


def test_a_search_of_a_current_index_reads_no_session_file(tmp_path: Path) -> None:
    """What a warm search imports is its start-up time: no session file reader, no model, when nothing changed."""
    (tmp_path / "clients" / "ana" / "sessions").mkdir(parents=True)
    cold = run("search", "anything", home=tmp_path)
    assert cold.returncode == 1 and "no notes match" in cold.stderr
    code = (
        "import sys\nfrom sessionpal.cli import main\n"
        f"main(['--home', {str(tmp_path)!r}, 'search', 'anything'])\n"
        "print(sorted(m for m in ('sessionpal.core.index_rows', 'sessionpal.core.sessionfile', 'sessionpal.core.model') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env_without_home())
    assert result.stdout.strip().endswith("[]")


def test_packs_check_does_not_import_textual(tmp_path: Path) -> None:
    code = f"import sys\nfrom sessionpal.cli import main\nmain(['--home', {str(tmp_path)!r}, 'packs', 'check'])\nprint('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")


def test_packs_new_and_add(tmp_path: Path) -> None:
    made = run("packs", "new", "career-moves", "--title", "Career moves", home=tmp_path)
    assert made.returncode == 0 and made.stdout.startswith(f"wrote {tmp_path / 'prompts' / 'career-moves.toml'}")
    again = run("packs", "new", "career-moves", home=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = run("packs", "new", "Career Moves", home=tmp_path)
    assert bad.returncode == 1 and "not a valid pack id" in bad.stderr
    added = run(
        "packs",
        "add",
        "career-moves",
        "What would make this move worth it?",
        "--tags",
        "career,values",
        "--phase",
        "options",
        "--follow-up",
        "And what else?",
        home=tmp_path,
    )
    assert added.returncode == 0 and added.stdout.startswith("added career-moves/what-would-make-this-move-worth")
    from sessionpal.core.packs import load_pack_file

    question = load_pack_file(tmp_path / "prompts" / "career-moves.toml").questions[-1]
    assert (question.tags, present(question.phase).value, question.follow_ups) == (("career", "values"), "options", ("And what else?",))
    builtin = run("packs", "add", "awareness", "x?", home=tmp_path)
    assert builtin.returncode == 1 and "built in and read-only" in builtin.stderr
    typo = run("packs", "add", "carer-moves", "x?", home=tmp_path)
    assert typo.returncode == 1 and "did you mean career-moves?" in typo.stderr
    phase = run("packs", "add", "career-moves", "x?", "--phase", "middle", home=tmp_path)
    assert phase.returncode == 2 and "invalid choice" in phase.stderr


def test_packs_add_finds_a_pack_whose_file_is_named_otherwise(tmp_path: Path) -> None:
    """`packs add ID` first tries prompts/ID.toml; a file of that name holding another pack is left alone."""
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "career.toml").write_text('[pack]\nid = "transitions"\ntitle = "Transitions"\n\n[[questions]]\nid = "a"\ntext = "A?"\n')
    (prompts / "misc.toml").write_text('[pack]\nid = "career"\ntitle = "Career"\n\n[[questions]]\nid = "b"\ntext = "B?"\n')
    before = (prompts / "career.toml").read_bytes()
    added = run("packs", "add", "career", "What would the next step be?", home=tmp_path)
    assert added.returncode == 0 and added.stdout.startswith(f"added career/what-would-the-next-step-be to {prompts / 'misc.toml'}")
    assert (prompts / "career.toml").read_bytes() == before
    again = run("packs", "add", "transitions", "What would the next step be?", home=tmp_path)
    assert again.returncode == 0 and f"to {prompts / 'career.toml'}" in again.stdout


def make_practice(root: Path) -> tuple[Home, Path]:
    from datetime import timedelta

    from sessionpal.core.clients import create_client
    from sessionpal.core.live import LiveSession
    from sessionpal.core.paths import Home
    from sessionpal.core.session_models import FALLBACK_MODEL
    from sessionpal.core.timer import FakeClock

    home = Home(root)
    ana = create_client(home, "Ana Pérez", 45)
    clock = FakeClock(START - timedelta(days=7))
    live = LiveSession(home, ana, clock, FALLBACK_MODEL, 45)
    live.start()
    for text in ("José talked about the café", "+You named three options today", "!send the CV draft", "我想跑半程马拉松"):
        clock.advance(60)
        live.add_note(text)
    clock.advance(56 * 60)
    live.end()
    assert live.path is not None
    return home, live.path


def test_search_prints_matches_and_exits_1_without(tmp_path: Path) -> None:
    home, path = make_practice(tmp_path)
    found = run("search", "cafe", home=tmp_path)
    assert found.returncode == 0
    assert found.stdout.strip() == f"Ana Pérez  2026-11-16  00:01:00  José talked about the [café]  ({path})"
    assert run("search", "cafe", "--client", "ANA PÉREZ", home=tmp_path).returncode == 0
    inside = run("search", "马拉松", home=tmp_path)
    assert inside.stdout.strip() == f"Ana Pérez  2026-11-16  00:04:00  我想跑半程[马拉松]  ({path})", "a word inside a line written without spaces"
    none = run("search", "lighthouse", home=tmp_path)
    assert none.returncode == 1 and none.stderr.strip() == "no notes match"
    unknown = run("search", "x", "--client", "Bob", home=tmp_path)
    assert unknown.returncode == 1 and "no client called 'Bob'" in unknown.stderr


def test_search_says_when_more_lines_match_than_it_shows(tmp_path: Path) -> None:
    from sessionpal.core.clients import load_client
    from sessionpal.core.live import LiveSession
    from sessionpal.core.session_models import FALLBACK_MODEL
    from sessionpal.core.timer import FakeClock

    home, _ = make_practice(tmp_path)
    live = LiveSession(home, load_client(home.client_file("ana-perez"), "ana-perez"), FakeClock(START), FALLBACK_MODEL, 45)
    for n in range(101):
        live.add_note(f"apple number {n}")
    live.end()
    found = run("search", "apple", home=tmp_path)
    assert found.returncode == 0 and len(found.stdout.splitlines()) == 100
    assert "[apple] number 100  (" in found.stdout.splitlines()[0], "the newest first"
    assert found.stderr.strip() == "the newest 100 matching lines: add a word to narrow the search"
    fewer = run("search", "apple", "100", home=tmp_path)
    assert fewer.returncode == 0 and len(fewer.stdout.splitlines()) == 1 and fewer.stderr == ""


def test_search_with_an_index_it_cannot_open_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, _ = make_practice(tmp_path / "home")
    monkeypatch.setenv("SESSIONPAL_CACHE", str(tmp_path / "cache"))
    (home.cache_dir / "index.sqlite3").mkdir(parents=True)  # where the database should be
    env = env_without_home() | {"SESSIONPAL_CACHE": str(tmp_path / "cache")}
    result = run("search", "cafe", home=home.root, env=env)
    assert result.returncode == 1
    assert "index.sqlite3 cannot be used" in result.stderr and "your session files are untouched" in result.stderr


def test_export_log_and_shared_recap(tmp_path: Path) -> None:
    import zipfile

    home, path = make_practice(tmp_path / "home")
    out = tmp_path / "out" / "ana.zip"
    exported = run("export", "ana-perez", "--out", str(out), home=home.root)
    assert exported.returncode == 0 and exported.stdout.strip() == f"wrote {out}"
    assert sorted(zipfile.ZipFile(out).namelist()) == ["ana-perez/client.toml", f"ana-perez/sessions/{path.name}"]
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    before = path.read_bytes()
    over = run("export", "ana-perez", "--out", str(path), home=home.root)
    assert over.returncode == 1 and "is inside the data home" in over.stderr and path.read_bytes() == before
    for inside in (home.client_dir("ana-perez") / "ana.zip", home.sessions_dir("ana-perez") / "2030-01-01T1000.md", home.root / "new" / "x.zip"):
        refused = run("export", "ana-perez", "--out", str(inside), home=home.root)
        assert refused.returncode == 1 and "is inside the data home" in refused.stderr and not inside.exists(), inside
    refused = run("log", "icf", "--out", str(home.root / "icf.csv"), home=home.root)
    assert refused.returncode == 1 and not (home.root / "icf.csv").exists(), "every --out keeps out of the home"
    log = run("log", "icf", "--from", "2026-01-01", home=home.root)
    lines = log.stdout.strip().splitlines()
    assert log.returncode == 0 and lines[0].startswith("Client,Contact,First session") and lines[1].endswith(",2026-11-16,2026-11-16,1,1.00,0.00")
    assert lines[-1] == "Total hours,,,,,1.00,"
    bad_date = run("log", "icf", "--from", "yesterday", home=home.root)
    assert bad_date.returncode == 2 and "not a date like 2026-11-23" in bad_date.stderr
    recap = run("export-session", str(path), "--share", home=home.root)
    assert recap.returncode == 0
    assert "You named three options today" in recap.stdout and "- [ ] send the CV draft" in recap.stdout
    assert "café" not in recap.stdout, "a private note stays private"
    missing = run("export-session", str(tmp_path / "nope.md"), "--share", home=home.root)
    assert missing.returncode == 1 and "file not found" in missing.stderr


def test_export_for_obsidian_writes_a_folder_of_copies(tmp_path: Path) -> None:
    home, path = make_practice(tmp_path / "home")
    out = tmp_path / "vault" / "Coaching"
    exported = run("export", "Ana Pérez", "--format", "obsidian", "--out", str(out), home=home.root)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith(f"wrote {out}: 1 session and ana-perez.md")
    assert sorted(p.name for p in out.iterdir()) == [f"{path.stem}.md", "ana-perez.md"]
    note = (out / f"{path.stem}.md").read_text()
    assert note.startswith('---\nclient: "ana-perez"\n') and "José talked about the café" in note
    assert path.read_text().startswith("+++\n"), "the session file itself stays as it is"
    assert oct(out.stat().st_mode & 0o777) == "0o700" and oct((out / "ana-perez.md").stat().st_mode & 0o777) == "0o600"
    (out / "ana-perez.md").unlink()
    (out / "ana-perez.md").symlink_to(tmp_path / "elsewhere.md")  # a link where a note goes: never written through
    again = run("export", "ana-perez", "--format", "obsidian", "--out", str(out), home=home.root)
    assert again.returncode == 0 and not (tmp_path / "elsewhere.md").exists()
    before = path.read_bytes()
    inside = run("export", "ana-perez", "--format", "obsidian", "--out", str(path.parent), home=home.root)
    assert inside.returncode == 1 and "inside the data home" in inside.stderr
    assert path.read_bytes() == before, "a copy never replaces the session it copies"
    assert not (out / "ana-perez.md").is_symlink() and "# Ana Pérez" in (out / "ana-perez.md").read_text()


def test_shell_completion_scripts(tmp_path: Path) -> None:
    """`--print-completion SHELL` (shtab): the bash script, sourced, completes commands and their subcommands."""
    script = run("--print-completion", "bash")
    assert script.returncode == 0 and "complete -o bashdefault -F _shtab_sessionpal sessionpal" in script.stdout
    (tmp_path / "sessionpal.bash").write_text(script.stdout)
    probe = (
        f"source {tmp_path / 'sessionpal.bash'}; "
        "COMP_WORDS=(sessionpal pac); COMP_CWORD=1; _shtab_sessionpal; echo ${COMPREPLY[@]}; "
        "COMP_WORDS=(sessionpal packs ''); COMP_CWORD=2; _shtab_sessionpal; echo ${COMPREPLY[@]}"
    )
    completed = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60)
    assert completed.stdout.splitlines() == ["packs", "check list new add"], completed.stderr
    assert run("--print-completion", "zsh").stdout.startswith("#compdef sessionpal")
    assert "complete sessionpal" in run("--print-completion", "tcsh").stdout
    unknown = run("--print-completion", "cmd")
    assert unknown.returncode == 2 and "invalid choice: 'cmd'" in unknown.stderr


def age_decrypt(path: Path, passphrase: str) -> tuple[int, bytes]:
    """`age -d FILE` as a coach runs it: it asks for the passphrase on its terminal (no other way in)."""
    import pty
    import select
    import time

    pid, master = pty.fork()
    if pid == 0:  # the child: its own terminal, then age
        os.execvp("age", ["age", "-d", "-o", str(path) + ".out", str(path)])
    seen, deadline, typed = b"", time.monotonic() + 30, False
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            try:
                chunk = os.read(master, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if not typed and b"passphrase" in seen.lower():
                os.write(master, passphrase.encode() + b"\n")
                typed = True
    _, status = os.waitpid(pid, 0)
    os.close(master)
    return os.waitstatus_to_exitcode(status), seen


@pytest.mark.skipif(shutil.which("age") is None, reason="age is not installed (python3 dev.py test installs it as root with apt-get)")
def test_an_encrypted_export_opens_with_age(tmp_path: Path) -> None:
    import zipfile

    home, path = make_practice(tmp_path / "home")
    secret = tmp_path / "passphrase.txt"
    secret.write_text("correct horse battery staple\n")
    secret.chmod(0o600)
    out = tmp_path / "ana.zip.age"
    exported = run("export", "ana-perez", "--passphrase-file", str(secret), "--out", str(out), home=home.root)
    assert exported.returncode == 0 and "encrypted" in exported.stdout, exported.stderr
    assert "can be read by other accounts" not in exported.stderr, "a file only the coach can read: no warning"
    sealed = out.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n") and b"client.toml" not in sealed and b"caf" not in sealed
    code, said = age_decrypt(out, "correct horse battery staple")
    assert code == 0, said
    opened = zipfile.ZipFile(str(out) + ".out")
    assert sorted(opened.namelist()) == ["ana-perez/client.toml", f"ana-perez/sessions/{path.name}"]
    assert "José talked about the café" in opened.read(f"ana-perez/sessions/{path.name}").decode()


def test_encrypting_asks_on_a_terminal_or_a_file_and_never_in_an_argument(tmp_path: Path) -> None:
    home, _ = make_practice(tmp_path / "home")
    piped = run("export", "ana-perez", "--encrypt", home=home.root, stdin=subprocess.DEVNULL)
    assert piped.returncode == 2 and "use --passphrase-file FILE" in piped.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    empty.chmod(0o644)
    refused = run("export", "ana-perez", "--passphrase-file", str(empty), home=home.root)
    assert refused.returncode == 1 and "an empty passphrase protects nothing" in refused.stderr
    assert f"warning: {empty} can be read by other accounts of this computer (mode 0644)" in refused.stderr
    assert not list(tmp_path.glob("*.age")) and not list(home.root.glob("*.age"))
    obsidian = run("export", "ana-perez", "--format", "obsidian", "--encrypt", home=home.root)
    assert obsidian.returncode == 2 and "--encrypt is for the zip" in obsidian.stderr


def test_engagement_from_the_command_line(tmp_path: Path) -> None:
    home, _ = make_practice(tmp_path / "home")
    shown = run("engagement", "Ana Pérez", home=home.root)
    assert shown.returncode == 0 and shown.stdout.strip() == "Ana Pérez: no engagement recorded (1 session held)"
    made = run("engagement", "ana-perez", "--sessions", "12", "--ends", "2027-03-31", "--start", "2026-11-01", home=home.root)
    assert made.stdout.strip() == "Ana Pérez: 1 of 12 agreed sessions held since 2026-11-01, ends 2027-03-31"
    moved = run("engagement", "ana-perez", "--next", "2026-12-07", home=home.root)
    assert moved.stdout.strip().endswith("ends 2027-03-31, next session 2026-12-07"), "other fields kept"
    bad = run("engagement", "ana-perez", "--ends", "March", home=home.root)
    assert bad.returncode == 2 and "not a date like" in bad.stderr
    cleared = run("engagement", "ana-perez", "--clear", home=home.root)
    assert cleared.stdout.strip() == "Ana Pérez: no engagement recorded (1 session held)"
    from datetime import date

    fresh = run("engagement", "ana-perez", "--sessions", "8", home=home.root)
    assert fresh.stdout.strip() == f"Ana Pérez: 0 of 8 agreed sessions held since {date.today().isoformat()}", "a new agreement starts the day it is set"


def test_import_hours_checks_the_whole_file_then_imports_once(tmp_path: Path) -> None:
    home, _ = make_practice(tmp_path / "home")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,client,minutes,kind\n2024-03-04,Ana Pérez,60,paid\n2024-03-11,Ana Pérez,lots,paid\n")
    refused = run("import-hours", str(bad), home=home.root)
    assert refused.returncode == 1 and f"{bad}:3: minutes 'lots'" in refused.stderr and "nothing was imported" in refused.stderr
    hours = tmp_path / "hours.csv"
    hours.write_text("date,client,minutes,kind\n2024-03-04,Ana Pérez,60,paid\n2024-03-11,Old Client,45,pro-bono\n2024-03-11,Old Client,45,pro-bono\n")
    asked = run("import-hours", str(hours), home=home.root, stdin=subprocess.DEVNULL)
    assert asked.returncode == 1 and "not clients here yet: Old Client" in asked.stderr
    assert not (home.clients_dir / "old-client").exists(), "nothing imported, no client made"
    done = run("import-hours", str(hours), "--yes", home=home.root)
    assert done.returncode == 0 and done.stdout.strip() == "imported 3 sessions, 2.50 hours (2.50 hours in the file); 1 new client"
    again = run("import-hours", str(hours), "--yes", home=home.root)
    assert again.stdout.strip() == ("imported 0 sessions, 0.00 hours (2.50 hours in the file); 3 already here (2.50 hours, the same client, day and minutes)")
    log = run("log", "icf", home=home.root).stdout
    assert log.strip().splitlines()[-2:] == ["Total,2 clients,,,4,2.00,1.50", "Total hours,,,,,3.50,"], log


def test_move_session_to_the_right_client(tmp_path: Path) -> None:
    home, path = make_practice(tmp_path / "home")
    from sessionpal.core.clients import create_client

    create_client(home, "Ben Ode", 45)
    moved = run("move-session", str(path), "Ben Ode", home=home.root)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.splitlines()[0] == f"moved to {home.sessions_dir('ben-ode') / path.name}"
    assert not path.exists() and (home.sessions_dir("ben-ode") / path.name).exists()
    again = run("move-session", str(path), "Ben Ode", home=home.root)
    assert again.returncode == 1 and "not a session file of this data home" in again.stderr
    found = run("search", "cafe", home=home.root)
    assert "Ben Ode" in found.stdout, "the search index follows"


def test_any_command_finishes_a_move_a_kill_left_half_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hardening 27.1: the move stopped after its links (the session in both folders); the next command, whatever
    it is, finishes it first and says so; a folder that is not a client's is a clear refusal (27.4)."""
    from sessionpal.core import moving
    from sessionpal.core.clients import create_client

    home, path = make_practice(tmp_path / "home")
    create_client(home, "Ben Ode", 45)

    def killed(step: str) -> None:
        if step == "linked":
            raise KeyboardInterrupt  # stands for the kill: nothing after this step happens

    monkeypatch.setattr(moving, "_step", killed)
    with pytest.raises(KeyboardInterrupt):
        moving.move_session(home, path, "ben-ode", START)
    assert path.exists() and (home.sessions_dir("ben-ode") / path.name).exists(), "in both folders"
    listed = run("clients", home=home.root)
    assert listed.returncode == 0
    assert f"finished moving a session from {path.parent.parent.name} to ben-ode" in listed.stderr
    assert not path.exists() and (home.sessions_dir("ben-ode") / path.name).exists()
    assert run("clients", home=home.root).stderr == "", "said once"
    odd = home.root / "X Y" / "sessions" / path.name
    odd.parent.mkdir(parents=True)
    odd.write_text("+++\n+++\n")
    refused = run("move-session", str(odd), "Ben Ode", home=home.root)
    assert refused.returncode == 1 and "not a session file of this data home" in refused.stderr


def test_packs_check_says_how_many_the_deck_offers_and_why_not_all(tmp_path: Path) -> None:
    """Issue 26.21: packs check counted 190 questions where the deck showed 172, with no word of why."""
    before = run("packs", "check", home=tmp_path)
    total = int(present(re.search(r"\((\d+) questions\)", before.stdout)).group(1))
    assert f"the deck offers {total} of the {total};" in before.stdout
    (tmp_path / "config.toml").write_text('hidden = ["grow/what-else", "stalled-goal"]\n')
    after = run("packs", "check", home=tmp_path)
    offered = int(present(re.search(r"the deck offers (\d+) of", after.stdout)).group(1))
    assert offered < total - 1 and f"({total - offered} hidden in config.toml)" in after.stdout


def test_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`sessionpal --print-completion bash | head -1`: the reader leaves after the first bytes; the command ends
    with 0 and nothing on stderr (it printed a BrokenPipe traceback about one run in 30). The pipe is made small
    (4 KB, where Linux lets a process set it), so the 12 KB script cannot all be written before the reader goes."""
    import fcntl
    import os

    home, _ = make_practice(tmp_path / "home")
    seen = []
    for args in [["--print-completion", "bash"]] * 5 + [["packs", "list"]] * 3:
        read_end, write_end = os.pipe()
        with contextlib.suppress(OSError, AttributeError):
            fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), 4096)
        command = [sys.executable, "-m", "sessionpal", "--home", str(home.root), *args]
        process = subprocess.Popen(command, stdout=write_end, stderr=subprocess.PIPE, env=env_without_home())
        os.close(write_end)
        os.read(read_end, 1)
        os.close(read_end)  # as head does, at once
        assert process.stderr is not None
        err = process.stderr.read().decode()
        seen.append((process.wait(timeout=60), err))
    assert [(code, err) for code, err in seen if code not in (0, 141) or err] == []
