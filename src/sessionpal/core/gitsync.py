"""Optional git: commit each ended session and each client change, and `sessionpal sync`.

Everything goes through the git command line (the coach's own git, their own remote); there is
no home-made sync. Commit messages name the client's folder and what happened, never note text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from msgspec import Struct

from . import fsio
from .paths import Home
from .problems import read_user_text

TIMEOUT = 60  # seconds; a commit takes milliseconds, a push over a slow link may take a while


class GitProblem(Exception):
    """git is missing, the home is not a repository, or a git command failed; the message says which."""


def git_path() -> str | None:
    return shutil.which("git")  # fsio-ok: looks a program up, writes nothing


def _run(home: Home, *args: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    git = git_path()
    if git is None:
        raise GitProblem("git is not installed (or not on PATH), so git.autocommit and sync cannot work")
    try:
        return subprocess.run(
            [git, "-C", str(home.root), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_environment(),
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitProblem(f"git {args[0]} did not finish: {error}") from None


def _environment() -> dict[str, str]:
    # Never wait for an editor or a password prompt the coach cannot see behind the app.
    return dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_EDITOR="true")


def _first_line(result: subprocess.CompletedProcess[str]) -> str:
    """git's own words for what went wrong: its fatal or error line, else its last line."""
    lines = [line.strip() for line in (result.stderr or result.stdout or "").splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[-1] if lines else f"exit code {result.returncode}"


def is_repository(home: Home) -> bool:
    result = _run(home, "rev-parse", "--show-toplevel")
    return result.returncode == 0 and Path(result.stdout.strip()).resolve() == home.root.resolve()


def check_autocommit(home: Home) -> str:
    """Why git.autocommit cannot work here ("" when it can)."""
    if git_path() is None:
        return "git.autocommit is on, but git is not installed: install git, or turn the option off"
    if not is_repository(home):
        return f'git.autocommit is on, but the data home is not a git repository: git init "{home.root}"'
    return ""


def _identity(home: Home) -> list[str]:
    # A new machine may have no git identity yet: commit as sessionpal rather than fail.
    name = _run(home, "config", "user.name").stdout.strip()
    email = _run(home, "config", "user.email").stdout.strip()
    return [] if name and email else ["-c", "user.name=sessionpal", "-c", "user.email=sessionpal@localhost"]


# sessionpal's own files in the home that must never be versioned; a coach's `git add -A` would
# otherwise commit them. .versions/ is the app's history of files, which git's history replaces.
GITIGNORE_MARK = "# sessionpal's own files, never to be versioned (written once by sessionpal):"
GITIGNORE_BLOCK = f"""{GITIGNORE_MARK}
# which sessionpal holds a client, and a folder's writes
session.lock
.sessionpal.lock
# a write cut short
.sessionpal-*.tmp
# earlier versions of files, kept by sessionpal when git is not there to keep them
.versions/
# a move of a session under way (a kill leaves it; the next start finishes the move)
.moves/
"""


def ensure_gitignore(home: Home) -> Path | None:
    """The home's .gitignore holds sessionpal's lines (added once below the coach's own); its path when
    it was written now, None when they were there already."""
    path = home.root / ".gitignore"
    current = read_user_text(path) if path.exists() else ""
    if GITIGNORE_MARK in current:
        return None
    before = current if not current or current.endswith("\n") else current + "\n"
    fsio.atomic_write(path, before + ("\n" if before else "") + GITIGNORE_BLOCK)
    return path


def commit(home: Home, paths: list[Path], message: str) -> bool:
    """Commit these files (and only these) with `message`; False when there was nothing to commit.

    The first commit also brings the home's .gitignore (see ensure_gitignore)."""
    made = ensure_gitignore(home)
    if made is not None:
        paths = [*paths, made]
    relative = [str(p.resolve().relative_to(home.root.resolve())) for p in paths]
    added = _run(home, "add", "--all", "--", *relative)
    if added.returncode != 0:
        raise GitProblem(f"git add failed: {_first_line(added)}")
    if _run(home, "diff", "--cached", "--quiet", "--", *relative).returncode == 0:
        return False
    done = _run(home, *_identity(home), "commit", "--quiet", "-m", message, "--", *relative)
    if done.returncode != 0:
        raise GitProblem(f"git commit failed: {_first_line(done)}")
    return True


class SyncResult(Struct, frozen=True):
    pulled: str
    pushed: str


def sync(home: Home) -> SyncResult:
    """git pull --rebase, then git push, when the home is a repository with a remote."""
    if not is_repository(home):
        raise GitProblem(f'the data home is not a git repository: git init "{home.root}", then add a remote')
    remotes = _run(home, "remote").stdout.split()
    if not remotes:
        raise GitProblem(f'no remote is set: git -C "{home.root}" remote add origin URL')
    pulled = _run(home, *_identity(home), "pull", "--rebase", "--autostash")  # a rebase commits too
    if pulled.returncode != 0:
        raise GitProblem(f'git pull --rebase failed: {_first_line(pulled)} (see git -C "{home.root}" status)')
    pushed = _run(home, "push")
    if pushed.returncode != 0:
        raise GitProblem(f"git push failed: {_first_line(pushed)}")
    return SyncResult(pulled.stdout.strip() or pulled.stderr.strip(), pushed.stderr.strip() or pushed.stdout.strip())
