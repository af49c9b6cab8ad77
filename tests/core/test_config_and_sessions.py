import hashlib
import os
import re
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest

from sessionpal.core import fsio
from sessionpal.core.config import load_config, set_starred
from sessionpal.core.model import Note, NoteKind
from sessionpal.core.paths import Home, session_paths
from sessionpal.core.problems import FileProblems
from sessionpal.core.sessions import create_session, find_unfinished, previous_session, read_session, update_session

from ..helpers import START, no_temp_files, present


def front(started: datetime = START, **extra: Any) -> dict[str, Any]:
    return {"client": "ana", "started": started, "planned_minutes": 60, "elapsed_seconds": 0, "timer": "running", "questions": (), "goals": (), **extra}


def test_config_defaults_when_missing(home: Home) -> None:
    loaded = load_config(home)
    assert loaded.problems == [] and loaded.config.session_minutes == 60 and loaded.config.bell is False


def test_config_problems_keep_the_good_keys(home: Home) -> None:
    home.config_file.write_text('session_minutes = 45\nbell = "yes"\nsesion_minutes = 3\n[keys]\nstart_session = "f5"\n')
    loaded = load_config(home)
    assert loaded.config.session_minutes == 45 and loaded.config.bell is False
    assert loaded.config.keys == {"start_session": "f5"}
    messages = [str(p) for p in loaded.problems]
    assert any(m.endswith("config.toml:2:1: 'bell' must be true or false, not text") for m in messages)
    assert any("did you mean 'session_minutes'?" in m for m in messages)


def test_broken_config_falls_back_to_defaults(home: Home) -> None:
    home.config_file.write_text("session_minutes = \n")
    loaded = load_config(home)
    assert loaded.config.session_minutes == 60 and "invalid TOML" in str(loaded.problems[0])


def test_starring_creates_and_edits_config_keeping_comments(home: Home) -> None:
    assert set_starred(home, "awareness/what-else", True) == ("awareness/what-else",)
    assert set_starred(home, "closing/sum-up", True) == ("awareness/what-else", "closing/sum-up")
    assert set_starred(home, "awareness/what-else", False) == ("closing/sum-up",)
    text = home.config_file.read_text()
    assert "# sessionpal preferences" in text
    assert load_config(home).config.starred == ("closing/sum-up",)
    assert oct(home.config_file.stat().st_mode & 0o777) == "0o600"


def test_sessions_started_in_the_same_minute_get_suffixes(home: Home) -> None:
    paths = [create_session(home, "ana", front()).path for _ in range(3)]
    assert [p.name for p in paths] == ["2026-11-23T1000.md", "2026-11-23T1000-2.md", "2026-11-23T1000-3.md"]
    assert session_paths(home, "ana") == paths


def test_concurrent_creates_never_share_a_file(home: Home) -> None:
    results = []

    def start() -> None:
        results.append(create_session(home, "ana", front()).path)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 8


def test_update_reads_fresh_so_hand_edits_survive(home: Home) -> None:
    path = create_session(home, "ana", front()).path
    update_session(path, lambda d: d.add_note(Note(5, "first")))
    # The coach adds a line in their editor while the app is open.
    path.write_text(path.read_text().replace("## Questions asked", "Typed in my editor.\n\n## Questions asked"))
    document, _ = update_session(path, lambda d: d.add_note(Note(9, "second", NoteKind.QUOTE)))
    text = path.read_text()
    assert "Typed in my editor." in text
    assert [n.text for n in document.notes] == ["first", "second"]
    assert no_temp_files(home.root) == []


def test_update_refuses_to_touch_a_broken_file(home: Home) -> None:
    path = create_session(home, "ana", front()).path
    path.write_text(path.read_text().replace("planned_minutes = 60", "planned_minutes = "))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(FileProblems) as caught:
        update_session(path, lambda d: d.add_note(Note(5, "lost?")))
    assert f"{path}:4:" in str(caught.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_unfinished_and_previous_sessions(home: Home) -> None:
    old = create_session(home, "ana", front(started=START - timedelta(days=7), timer="ended"))
    current = create_session(home, "ana", front(timer="paused"))
    assert present(find_unfinished(home, "ana")).path == current.path
    assert present(previous_session(home, "ana", exclude=current.path)).path == old.path
    update_session(current.path, lambda d: d.set_front(timer="ended"))
    assert find_unfinished(home, "ana") is None


def test_stray_temp_files_are_cleaned_when_a_session_starts(home: Home) -> None:
    folder = home.sessions_dir("ana")
    folder.mkdir(parents=True)
    (folder / ".sessionpal-2026-11-23T1000.md.999999999.deadbeef.tmp").write_text("half a file")
    create_session(home, "ana", front())
    assert no_temp_files(home.root) == []


def test_session_files_are_private(home: Home) -> None:
    path = create_session(home, "ana", front()).path
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(path.parent).st_mode & 0o777 == 0o700
    assert fsio.is_private(path)
    assert read_session(path).info.client == "ana"


def uncommented(text: str) -> str:
    """The template with every example taken in, as a coach would: `# key = value` and `# [table]` lines."""
    return re.sub(r"(?m)^# (\[[a-z]+\]|[a-z_]+ = .*)$", r"\1", text)


def test_every_example_in_the_config_template_loads_as_written(home: Home) -> None:
    from sessionpal.core.config import DEFAULT_CONFIG_TEXT
    from sessionpal.ui.app import SessionPalApp
    from sessionpal.ui.keys import known_binding_ids

    taken = uncommented(DEFAULT_CONFIG_TEXT)
    assert taken.count("\n[") >= 2, "the tables were taken in too"
    home.config_file.write_text(taken)
    loaded = load_config(home)
    assert loaded.problems == []
    assert loaded.config.keys and set(loaded.config.keys) <= known_binding_ids(SessionPalApp.BINDINGS), "every key id is a command"


def test_the_app_writes_its_lists_above_the_tables_whatever_the_comments_say(home: Home) -> None:
    from sessionpal.core.config import set_hidden

    set_starred(home, "awareness/what-else", True)  # the file is made from the template
    set_hidden(home, "closing", True)
    home.config_file.write_text(uncommented(home.config_file.read_text()))  # then the coach takes in [git] and [keys]
    loaded = load_config(home)
    assert loaded.problems == [] and loaded.config.starred == ("awareness/what-else",) and loaded.config.hidden == ("closing",)
    assert loaded.config.keys == {"timer": "f2"} and loaded.config.git_autocommit
    # A hand-written file with real tables and a commented one: the new list still lands at the top level.
    home.config_file.write_text('bell = true\n\n# my keys\n[keys]\ndraw = "f4"\n\n# [git]\n# autocommit = true\n')
    set_starred(home, "closing/sum-up", True)
    assert load_config(home).config.starred == ("closing/sum-up",) and load_config(home).config.keys == {"draw": "f4"}
    text = home.config_file.read_text()
    assert text.index("starred") < text.index("# my keys"), "a table's comment stays with it"


def test_a_list_written_as_something_else_is_reported_not_overwritten(home: Home) -> None:
    home.config_file.write_text('starred = "awareness/what-else"\n')
    with pytest.raises(FileProblems, match="'starred' must be a list"):
        set_starred(home, "closing/sum-up", True)
    assert home.config_file.read_text() == 'starred = "awareness/what-else"\n'
