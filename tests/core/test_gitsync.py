"""Optional git: autocommit of ended sessions and client changes, and `sessionpal sync`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sessionpal.core import gitsync
from sessionpal.core.clients import create_client, set_values
from sessionpal.core.gitsync import GitProblem, check_autocommit, commit, sync
from sessionpal.core.paths import Home

from ..helpers import env_without_home

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def repo(home: Home) -> Home:
    home.root.mkdir(parents=True, exist_ok=True)
    git(home.root, "init", "--quiet", "--initial-branch=main")
    return home


def test_autocommit_says_why_it_cannot_work(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    home.root.mkdir(parents=True, exist_ok=True)
    assert check_autocommit(home).startswith("git.autocommit is on, but the data home is not a git repository: git init")
    monkeypatch.setattr(gitsync, "git_path", lambda: None)
    assert check_autocommit(home) == "git.autocommit is on, but git is not installed: install git, or turn the option off"
    with pytest.raises(GitProblem, match="git is not installed"):
        sync(home)


def test_commit_takes_only_the_files_named_with_a_message_and_no_identity_needed(repo: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")  # a machine with no git identity yet
    ana = create_client(repo, "Ana Pérez", 45, date(2026, 1, 1))
    (repo.root / "unrelated.txt").write_text("not ours to commit")
    assert check_autocommit(repo) == ""
    assert commit(repo, [ana.path], "New client ana-perez")
    assert git(repo.root, "log", "--format=%s") == "New client ana-perez"
    assert git(repo.root, "ls-files").splitlines() == [".gitignore", "clients/ana-perez/client.toml"]
    assert not commit(repo, [ana.path], "nothing changed"), "an unchanged file makes no empty commit"
    set_values(repo, ana.slug, ["freedom"])
    assert commit(repo, [ana.path], "Client ana-perez: values")
    assert git(repo.root, "log", "--format=%s").splitlines() == ["Client ana-perez: values", "New client ana-perez"]


def test_the_home_s_gitignore_keeps_locks_and_temp_files_out_of_a_coach_s_git_add(repo: Home) -> None:
    (repo.root / ".gitignore").write_text("*.bak")  # the coach's own line, no newline at the end
    ana = create_client(repo, "Ana Pérez", 45, date(2026, 1, 1))
    for leftover in (
        "clients/ana-perez/session.lock",
        "clients/ana-perez/.sessionpal.lock",
        ".sessionpal-client.toml.123.ab.tmp",
        ".versions/x/1",
        ".moves/x.json",
    ):
        (repo.root / leftover).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / leftover).write_text("")
    assert commit(repo, [ana.path], "New client ana-perez")
    text = (repo.root / ".gitignore").read_text()
    assert text.startswith("*.bak\n\n# sessionpal") and text.count("session.lock") == 1
    git(repo.root, "add", "-A")  # what a coach may type
    assert git(repo.root, "status", "--porcelain").splitlines() == [], "nothing of sessionpal's left to add"
    assert set(git(repo.root, "ls-files").splitlines()) == {".gitignore", "clients/ana-perez/client.toml"}
    assert gitsync.ensure_gitignore(repo) is None, "written once"


def test_sync_pulls_and_pushes_through_the_coach_s_remote(repo: Home, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")  # no identity: the rebase must still commit
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(repo.root, "remote", "add", "origin", str(remote))
    ana = create_client(repo, "Ana Pérez", 45, date(2026, 1, 1))
    commit(repo, [ana.path], "New client ana-perez")
    git(repo.root, "push", "--quiet", "-u", "origin", "main")
    other = tmp_path / "laptop"
    git(tmp_path, "clone", "--quiet", str(remote), str(other))
    (other / "clients" / "ana-perez" / "client.toml").write_text((other / "clients" / "ana-perez" / "client.toml").read_text() + "# from the laptop\n")
    git(other, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-am", "laptop edit")
    git(other, "push", "--quiet")
    set_values(repo, ana.slug, ["freedom"])
    commit(repo, [ana.path], "Client ana-perez: values")
    result = subprocess.run([sys.executable, "-m", "sessionpal", "sync", "--home", str(repo.root)], capture_output=True, text=True, env=env_without_home())
    assert result.returncode == 0, result.stderr
    assert "Synced" in result.stdout
    text = ana.path.read_text()
    assert "# from the laptop" in text and "freedom" in text, "both devices' changes"
    assert git(remote, "log", "--format=%s", "main").splitlines()[0] == "Client ana-perez: values"


def test_sync_without_a_remote_says_how_to_add_one(repo: Home) -> None:
    result = subprocess.run([sys.executable, "-m", "sessionpal", "sync", "--home", str(repo.root)], capture_output=True, text=True, env=env_without_home())
    assert result.returncode == 1 and "no remote is set: git -C" in result.stderr and "remote add origin URL" in result.stderr
