"""Text onto the clipboard of the computer the app runs on, through that computer's own clipboard tool.

The app also sends the text to the terminal as OSC 52 (Textual's copy_to_clipboard), which a terminal may
ignore without a word: macOS Terminal.app does, others let it be turned off, tmux passes it on only with
set-clipboard on. A clipboard tool says whether it took the text: pbcopy on macOS, wl-copy under Wayland,
xclip or xsel under X. Each is looked up on PATH and run with the text on its stdin, its output thrown away,
never through a shell, and given up on after a moment.

Over SSH, pbcopy would fill the clipboard of the computer the app runs on, not the coach's: it is not used
then (an X display that ssh -X forwards is the coach's own, so the X tools are).

No Textual here, and no file is written: the text goes to the tool's stdin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping

TIMEOUT = 2.0  # seconds: a tool whose display does not answer is given up on, and the next one tried
PLATFORM = sys.platform  # which tools this computer has (a test sets it, so that no test fills the real clipboard)


def tools(env: Mapping[str, str], platform: str) -> list[tuple[str, list[str], dict[str, str]]]:
    """The tools that could reach a clipboard here, in the order they are tried: (program, arguments, and
    what the program's environment adds)."""
    found: list[tuple[str, list[str], dict[str, str]]] = []
    if platform == "darwin" and not (env.get("SSH_CONNECTION") or env.get("SSH_TTY")):
        # pbcopy reads its input in the locale's encoding: UTF-8 said outright, or "José" arrives mangled.
        found.append(("pbcopy", [], {"LC_CTYPE": "UTF-8"}))
    if env.get("WAYLAND_DISPLAY"):
        found.append(("wl-copy", [], {}))
    if env.get("DISPLAY"):
        found.append(("xclip", ["-selection", "clipboard"], {}))
        found.append(("xsel", ["--clipboard", "--input"], {}))
    return found


def copy(text: str, env: Mapping[str, str] | None = None, *, platform: str | None = None, timeout: float = TIMEOUT) -> str | None:
    """Put `text` on this computer's clipboard with the first tool that takes it: the tool's name, or None
    when there is none here or none took it (then only OSC 52 may have). Blocks for up to `timeout` seconds
    a tool: call it from a thread."""
    env = os.environ if env is None else env
    data = text.encode("utf-8", errors="replace")  # a lone surrogate from a damaged file: "?", not a failure
    for program, arguments, extra in tools(env, PLATFORM if platform is None else platform):
        found = shutil.which(program, path=env.get("PATH", os.defpath))  # fsio-ok: looks a program up, writes nothing
        if found is None:
            continue
        try:
            # xclip, xsel and wl-copy stay behind to hand the text over when it is pasted: in a session of
            # their own, they outlive the app and no key pressed in its terminal reaches them.
            done = subprocess.run(
                [found, *arguments],
                input=data,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**env, **extra},
                timeout=timeout,
                check=False,
                start_new_session=True,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return program
    return None
