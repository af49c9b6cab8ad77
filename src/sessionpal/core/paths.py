"""Where sessionpal keeps things, and the client slugs that name folders.

Every path the app uses comes from here. The data home is resolved as
`--home DIR` > `$SESSIONPAL_HOME` > platformdirs' user data dir; tests pass a
folder of their own to `Home`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from . import fsio

APP_NAME = "sessionpal"
HOME_ENV = "SESSIONPAL_HOME"
CACHE_ENV = "SESSIONPAL_CACHE"
MACHINE_ENV = "SESSIONPAL_MACHINE_CONFIG"

SLUG_MAX = 60
# Names Windows reserves for devices, whatever the extension; a folder so named cannot be opened there.
_RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$"} | {f"{base}{n}" for base in ("com", "lpt") for n in range(10)}
_SLUG_RE = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")
_SESSION_NAME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{4})(?:-(\d+))?\.md$")


def slugify(name: str) -> str:
    """A folder name for a client: lowercase letters (any script), digits and dashes.

    Accents are dropped (José Álvarez -> jose-alvarez), other scripts kept
    (李雷 -> 李雷). The result never holds a separator, a dot, or a name Windows
    reserves, is at most SLUG_MAX characters, and is never empty.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[\W_]+", "-", text).strip("-")
    if len(text) > SLUG_MAX:
        text = text[:SLUG_MAX].rstrip("-")
    if not text:
        text = "client"
    if text in _RESERVED:
        text = f"{text}-client"
    return text


def is_valid_slug(slug: str) -> bool:
    return (
        bool(_SLUG_RE.match(slug))
        and len(slug) <= SLUG_MAX + 8
        and slug == slug.casefold()
        and slug not in _RESERVED
        and unicodedata.is_normalized("NFC", slug)
    )


def normalize_name(name: str) -> str:
    """How two spellings of a display name are compared: NFC, casefolded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def fold_name(name: str) -> str:
    """normalize_name, accents dropped too: how a coach's typing is matched against names ("jose" finds José)."""
    decomposed = unicodedata.normalize("NFKD", normalize_name(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def session_file_name(stamp: str, n: int = 1) -> str:
    """`2026-11-23T1000.md`, then `2026-11-23T1000-2.md` for a second session that minute."""
    return f"{stamp}.md" if n <= 1 else f"{stamp}-{n}.md"


def is_session_file_name(name: str) -> bool:
    return bool(_SESSION_NAME_RE.match(name))


def session_sort_key(name: str) -> tuple[str, int]:
    found = _SESSION_NAME_RE.match(name)
    if not found:
        return ("", 0)
    return (found.group(1), int(found.group(2) or 1))


def session_paths(home: Home, slug: str, *, only_files: bool = True) -> list[Path]:
    """A client's session files, oldest first; sync-conflict copies and temp files are not sessions. With
    `only_files=False`, also what is named like a session but is no regular file (a pipe, a folder, a link), so
    the index and the records can report it rather than pass over it. A link is never a session file: what it
    points to may be anywhere on the computer."""
    folder = home.sessions_dir(slug)
    try:
        names = [e.name for e in os.scandir(folder) if is_session_file_name(e.name) and (e.is_file(follow_symlinks=False) or not only_files)]
    except OSError:
        return []
    return [folder / name for name in sorted(names, key=session_sort_key)]


def default_home() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def resolve_home(flag: str | os.PathLike[str] | None = None, environ: dict[str, str] | None = None) -> Path:
    env: Mapping[str, str] = os.environ if environ is None else environ
    if flag:
        chosen = Path(flag)
    elif env.get(HOME_ENV):
        chosen = Path(env[HOME_ENV])
    else:
        chosen = default_home()
    return chosen.expanduser().absolute()


def cache_root(environ: dict[str, str] | None = None) -> Path:
    env: Mapping[str, str] = os.environ if environ is None else environ
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV]).expanduser().absolute()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def machine_config_file(environ: dict[str, str] | None = None) -> Path:
    """This computer's own settings (machine.toml), outside the data home, which may be synced to others:
    the keys, theme and bell that suit this terminal. $SESSIONPAL_MACHINE_CONFIG names another file."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    if env.get(MACHINE_ENV):
        return Path(env[MACHINE_ENV]).expanduser().absolute()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "machine.toml"


def builtin_prompts_dir() -> Path:
    """The packs shipped with sessionpal: inside the installed package, or the checkout's prompts/."""
    # Beside this package's files (importlib.resources would say the same, at 10 ms of imports per command).
    packaged = Path(__file__).resolve().parents[1] / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "prompts"


def _digest(text: str) -> str:
    """The SHA-256 of the text, hex, from Python's own module where there is one: hashlib loads OpenSSL first,
    3 ms of a search's start (the digest is the same either way)."""
    data = text.encode("utf-8", "surrogatepass")
    try:
        from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]  # CPython 3.11's, without OpenSSL
    except ImportError:
        from hashlib import sha256
    return str(sha256(data).hexdigest())


class Home:
    """The coach's data home and the layout inside it: a value (equal, hashed and shown by its root), which
    cannot be changed. A plain class with one slot."""

    __slots__ = ("root",)
    root: Path

    def __init__(self, root: Path) -> None:
        object.__setattr__(self, "root", root)
        fsio.guard(root)  # below the root, nothing is written or deleted through a link

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"cannot assign to field {name!r}: a Home does not change")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"cannot delete field {name!r}: a Home does not change")

    def __eq__(self, other: object) -> bool:
        return other.root == self.root if isinstance(other, Home) else NotImplemented

    def __hash__(self) -> int:
        return hash((self.root,))

    def __repr__(self) -> str:
        return f"Home(root={self.root!r})"

    def __reduce__(self) -> tuple[type[Home], tuple[Path]]:
        return Home, (self.root,)

    @property
    def clients_dir(self) -> Path:
        return self.root / "clients"

    @property
    def prompts_dir(self) -> Path:
        return self.root / "prompts"

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def moves_dir(self) -> Path:
        # The intent records of moves under way (core/moving.py): a kill leaves one, the next start finishes it.
        return self.root / ".moves"

    @property
    def cache_dir(self) -> Path:
        # One cache per home, so two homes (a test's and the coach's) never share an index; named from the
        # home's real path, so the same home reached through a link or `..` finds the same index.
        digest = _digest(os.path.realpath(self.root))[:12]
        return cache_root() / digest

    def client_dir(self, slug: str) -> Path:
        if not is_valid_slug(slug):
            raise ValueError(f"not a client folder name: {slug!r}")
        path = self.clients_dir / slug
        # Belt and braces: a slug is one plain path component, so this always holds.
        if path.parent != self.clients_dir:
            raise ValueError(f"not a client folder name: {slug!r}")
        return path

    def client_file(self, slug: str) -> Path:
        return self.client_dir(slug) / "client.toml"

    def sessions_dir(self, slug: str) -> Path:
        return self.client_dir(slug) / "sessions"
