"""`sessionpal patterns CLIENT`: its three formats, --since, --share, and its refusals, run as a coach runs it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from sessionpal.core.paths import Home

from .test_cli import run

GOLDEN = Path(__file__).parents[1] / "core" / "golden" / "patterns" / "marta-ruiz"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    shutil.copytree(GOLDEN, Home(root).clients_dir / "marta-ruiz")
    return root


def test_text_lists_their_words_the_carried_action_and_the_themes(home: Path) -> None:
    result = run("patterns", "Marta Ruiz", home=home)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Marta Ruiz: what keeps coming up, 3 sessions\n")
    assert '2026-08-03  "Running is the one hour that is mine #run-5-km"  (Run 5 km)' in out
    assert out.index("Running is the one hour") < out.index("I always give up in March"), "newest first"
    assert "Update my CV #leave-the-bank  (carried over 2 times, first 2026-06-08)" in out
    assert "#stalled #reason" in out, "the real reason's questions, one filter away"
    assert re.search(r"\n  #leave-the-bank +1 +1 +0  ██ \n", out), "a tag in June and July, counted by month, with its sparkline"
    # "一步一步来" says 一步 twice in one quote: once it came up, so no theme of its own, and never "rising".
    assert "一步一步来" in out and not re.search(r"\n  一步 .*rising", out)
    assert "Energy (their own 0-10, start→end)\n  08 Jun: 4→6  06 Jul: 5→·" in out
    assert "\x1b" not in out and "␛[31mred" in out, "a control character in a note is shown, never sent"
    assert "skipped: " in result.stderr and "2026-09-07T1000.md:2:" in result.stderr, "the broken file is named with its place"


def test_json_holds_every_part_and_since_narrows_it(home: Path) -> None:
    result = run("patterns", "marta-ruiz", "--format", "json", "--since", "2026-07-01", home=home)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["sessions"] == 2 and found["since"] == "2026-07-01"
    assert [q["date"] for q in found["quotes"]] == ["2026-08-03"] * 3 + ["2026-07-06"] * 3
    assert [c["times"] for c in found["carried_over"]] == [2], "carried actions look at every session"
    assert found["energy"] == [{"date": "2026-07-06", "start": 5, "end": None}]
    assert {t["kind"] for t in found["themes"]} <= {"tag", "area", "word"}


def test_md_is_private_unless_share_then_only_what_is_marked(home: Path, tmp_path: Path) -> None:
    private = run("patterns", "Marta Ruiz", "--format", "md", home=home)
    assert private.returncode == 0 and private.stdout.startswith("# Marta Ruiz: what keeps coming up\n")
    assert "_Private:" in private.stdout and "Not this year" in private.stdout
    out = tmp_path / "for-marta.md"
    shared = run("patterns", "Marta Ruiz", "--format", "md", "--share", "--out", str(out), home=home)
    assert shared.returncode == 0, shared.stderr
    text = out.read_text()
    assert '"I know what I want, I just do not do it"' in text and "three options to look at" in text
    for private_words in ("Not this year", "I always give up", "CV", "sister", "Energy", "_Private"):
        assert private_words not in text


def test_refusals_exit_with_a_line(home: Path) -> None:
    wrong = run("patterns", "Marta Ruiz", "--share", home=home)
    assert wrong.returncode == 2 and "--share goes with --format md" in wrong.stderr
    nobody = run("patterns", "Marta Ruis", home=home)
    assert nobody.returncode == 1 and "Marta Ruiz" in nobody.stderr, "a close name is offered"
    inside = run("patterns", "Marta Ruiz", "--format", "md", "--out", str(home / "prep.md"), home=home)
    assert inside.returncode == 1 and "inside the data home" in inside.stderr
    bad_day = run("patterns", "Marta Ruiz", "--since", "2026-13-01", home=home)
    assert bad_day.returncode == 2
