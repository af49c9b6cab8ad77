"""The system clipboard's tools (core.clipboard), each a fake on PATH that keeps what it was given."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from sessionpal.core import clipboard

TEXT = "Recap for José: «courage», 勇気\n- [ ] call the recruiter\n"


def fake_tool(folder: Path, name: str, *, exit_code: int = 0, sleep: float = 0) -> Path:
    """A program called `name` that writes its stdin, its arguments and its environment's LC_CTYPE to files
    (or, given `sleep`, only hangs)."""
    folder.mkdir(exist_ok=True)
    kept = folder / f"{name}.got"
    program = folder / name
    program.write_text(
        "#!/bin/sh\n" + (f"exec /bin/sleep {sleep}\n" if sleep else "") + f'/bin/cat > "{kept}"\n'
        f'echo "$@" > "{kept}.args"\n'
        f'echo "$LC_CTYPE" > "{kept}.env"\n'
        "echo 'to the terminal: nothing, ever'; echo 'nor here' >&2\n"
        f"exit {exit_code}\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return kept


def test_xclip_under_x_gets_the_text_on_its_stdin(tmp_path: Path) -> None:
    kept = fake_tool(tmp_path / "bin", "xclip")
    env = {"PATH": str(tmp_path / "bin"), "DISPLAY": ":0"}
    assert clipboard.copy(TEXT, env, platform="linux") == "xclip"
    assert kept.read_bytes() == TEXT.encode()
    assert (tmp_path / "bin" / "xclip.got.args").read_text().split() == ["-selection", "clipboard"]


def test_wayland_first_then_x_tools_in_turn(tmp_path: Path) -> None:
    bin_ = tmp_path / "bin"
    fake_tool(bin_, "wl-copy", exit_code=1)  # no compositor answers
    fake_tool(bin_, "xclip", exit_code=1)
    kept = fake_tool(bin_, "xsel")
    env = {"PATH": str(bin_), "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert clipboard.copy(TEXT, env, platform="linux") == "xsel"
    assert kept.read_bytes() == TEXT.encode() and (bin_ / "wl-copy.got").exists() and (bin_ / "xclip.got").exists()


def test_pbcopy_on_macos_is_told_utf_8(tmp_path: Path) -> None:
    kept = fake_tool(tmp_path / "bin", "pbcopy")
    assert clipboard.copy(TEXT, {"PATH": str(tmp_path / "bin")}, platform="darwin") == "pbcopy"
    assert kept.read_bytes() == TEXT.encode() and (tmp_path / "bin" / "pbcopy.got.env").read_text().strip() == "UTF-8"


def test_no_tool_no_display_or_over_ssh_is_none(tmp_path: Path) -> None:
    fake_tool(tmp_path / "bin", "pbcopy")
    fake_tool(tmp_path / "bin", "xclip")
    path = str(tmp_path / "bin")
    assert clipboard.copy(TEXT, {"PATH": str(tmp_path / "empty"), "DISPLAY": ":0"}, platform="linux") is None, "not on PATH"
    assert clipboard.copy(TEXT, {"PATH": path}, platform="linux") is None, "no display to copy to"
    # The pbcopy of a Mac reached by SSH would fill that Mac's clipboard, not the coach's.
    assert clipboard.copy(TEXT, {"PATH": path, "SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"}, platform="darwin") is None


def test_a_tool_that_hangs_is_given_up_on(tmp_path: Path) -> None:
    fake_tool(tmp_path / "bin", "xclip", sleep=30)
    kept = fake_tool(tmp_path / "bin", "xsel")
    started = time.monotonic()
    assert clipboard.copy(TEXT, {"PATH": str(tmp_path / "bin"), "DISPLAY": ":0"}, platform="linux", timeout=0.5) == "xsel"
    assert time.monotonic() - started < 10 and kept.read_bytes() == TEXT.encode()


def test_the_platform_is_this_computer_s_by_default(tmp_path: Path) -> None:
    kept = fake_tool(tmp_path / "bin", "wl-copy")
    env = {**os.environ, "PATH": str(tmp_path / "bin"), "WAYLAND_DISPLAY": "wayland-0"}
    assert clipboard.copy(TEXT, env) == "wl-copy", "PLATFORM (linux in tests) and the environment given"
    assert kept.read_bytes() == TEXT.encode()
