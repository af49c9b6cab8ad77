"""The only code that writes files.

Every write goes to a temporary file in the same folder, is flushed and fsync'd,
then renamed over the target with os.replace, and the folder is fsync'd so the
rename itself survives a power cut. A reader therefore sees the old bytes or the
new bytes, never a mix. Files are 0600 and folders 0700 whatever the umask:
client notes are confidential.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one process per client is then up to the session lock
    fcntl = None  # type: ignore[assignment]

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_PREFIX = ".sessionpal-"
TEMP_SUFFIX = ".tmp"

# Tests replace this to inject disk-full and I/O errors at the write layer.
_os_write = os.write


class WriteError(Exception):
    """A write that did not happen; the file on disk is unchanged."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"could not save {path}: {reason}")


def describe_os_error(error: OSError) -> str:
    import errno

    names = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the data folder is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EIO: "an input/output error on the disk",
        errno.ENAMETOOLONG: "the file name is too long",
    }
    return names.get(error.errno or 0, error.strerror or str(error))


def ensure_dir(path: Path) -> Path:
    """Create `path` and any missing parents as 0700 folders."""
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        except OSError as error:
            raise WriteError(folder, describe_os_error(error)) from error
        try:
            os.chmod(folder, DIR_MODE)
        except OSError:
            pass
    if missing:
        _fsync_dir(missing[-1].parent)
    return path


def create_dir(path: Path) -> bool:
    """Create one new 0700 folder; False if something is already there (used to claim a name)."""
    ensure_dir(path.parent)
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        return False
    except OSError as error:
        raise WriteError(path, describe_os_error(error)) from error
    try:
        os.chmod(path, DIR_MODE)
    except OSError:
        pass
    _fsync_dir(path.parent)
    return True


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS journals the rename.
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = _os_write(fd, view)
        view = view[written:]


def _temp_path(path: Path) -> Path:
    # The writer's pid is in the name, so a later start can tell an orphan from a write in flight.
    return path.parent / f"{TEMP_PREFIX}{path.name[:80]}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"


def _write_temp(path: Path, data: bytes | str) -> Path:
    """Write `data` to a fresh 0600 temp file beside `path`, flushed and fsync'd; return it."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    ensure_dir(path.parent)
    temp = _temp_path(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    except OSError as error:
        raise WriteError(path, describe_os_error(error)) from error
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        _remove_quietly(temp)
        raise WriteError(path, describe_os_error(error)) from error
    except BaseException:
        _remove_quietly(temp)
        raise
    return temp


WRITE_LOCK = ".sessionpal.lock"


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the write lock of `path`'s folder: a read-change-write of a file there happens
    whole, before or after another process's, never interleaved (which would lose one of them)."""
    ensure_dir(path.parent)
    try:
        fd = os.open(path.parent / WRITE_LOCK, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as error:
        raise WriteError(path, describe_os_error(error)) from error
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock, and a killed process's lock goes with it


def atomic_write(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` atomically and durably, mode 0600."""
    temp = _write_temp(path, data)
    try:
        os.replace(temp, path)
    except OSError as error:
        _remove_quietly(temp)
        raise WriteError(path, describe_os_error(error)) from error
    _fsync_dir(path.parent)


def create_new(path: Path, data: bytes | str) -> bool:
    """Write `path` only if nothing is there yet (atomically); False if it already exists.

    Used for new session files and client files, so two created in the same
    moment never overwrite each other.
    """
    temp = _write_temp(path, data)
    try:
        try:
            # link() fails if the target exists, unlike replace(): the first writer wins.
            os.link(temp, path)
        except FileExistsError:
            return False
        except (AttributeError, OSError):
            # No hard links on this file system (FAT, some network shares): check, then rename.
            if path.exists():
                return False
            os.replace(temp, path)
    except OSError as error:
        raise WriteError(path, describe_os_error(error)) from error
    finally:
        _remove_quietly(temp)
    _fsync_dir(path.parent)
    return True


def remove_file(path: Path) -> None:
    """Delete a file durably (a person asked for it, or a lock is given back); gone already is fine."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as error:
        raise WriteError(path, describe_os_error(error)) from error
    _fsync_dir(path.parent)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def remove_tree(folder: Path) -> int:
    """Delete a folder and everything in it (an erased client); returns the files removed."""
    removed = 0
    try:
        for root, dirs, files in os.walk(folder, topdown=False):
            for name in files:
                os.unlink(os.path.join(root, name))
                removed += 1
            for name in dirs:
                inner = os.path.join(root, name)
                os.unlink(inner) if os.path.islink(inner) else os.rmdir(inner)  # a link is removed, never followed
        if folder.exists():
            os.rmdir(folder)
    except OSError as error:
        raise WriteError(folder, describe_os_error(error)) from error
    _fsync_dir(folder.parent)
    return removed


def append_line(path: Path, line: str) -> None:
    """Add a line to a small log file (audit.log), atomically: the whole file is rewritten."""
    with exclusive(path):
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            old = b""
        except OSError as error:
            raise WriteError(path, describe_os_error(error)) from error
        if old and not old.endswith(b"\n"):
            old += b"\n"
        atomic_write(path, old + line.rstrip("\n").encode("utf-8") + b"\n")


def is_temp_file(name: str) -> bool:
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


ORPHAN_AGE = 3600  # seconds; a temp file this old is abandoned whoever wrote it (another machine, via sync)


def _writer_gone(name: str) -> bool:
    parts = name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)].rsplit(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return True  # not in our pid format: an older or foreign leftover
    pid = int(parts[1])
    if pid == os.getpid() or os.name == "nt":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def clean_temp_files(folder: Path, now: float | None = None) -> int:
    """Remove temp files that a killed process left in `folder`; return how many.

    A temp file whose writer is still running is a write in flight and is left alone.
    """
    import time

    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not (is_temp_file(entry.name) and entry.is_file(follow_symlinks=False)):
            continue
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > ORPHAN_AGE
        except OSError:
            continue
        if old or _writer_gone(entry.name):
            _remove_quietly(Path(entry.path))
            removed += 1
    return removed


def is_private(path: Path) -> bool:
    """True when no one but the owner can read `path` (always True where modes mean nothing)."""
    if os.name == "nt":
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return True
    return not (stat.S_IMODE(mode) & 0o077)
