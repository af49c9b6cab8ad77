"""The only code that writes files.

Every write goes to a temporary file in the same folder, is flushed and fsync'd,
then renamed over the target with os.replace, and the folder is fsync'd so the
rename itself survives a power cut. A reader therefore sees the old bytes or the
new bytes, never a mix. Files are 0600 and folders 0700 whatever the umask:
client notes are confidential.

Links. A data home is synced, shared and edited by scripts, so a link inside it
may point anywhere. The rule, applied here for every data home (see `guard`):
sessionpal reads through a link, but never writes, creates or deletes anything
through one and never walks into a linked folder: below the home's root, a path
whose folder (or, for a write, itself) is a link is refused with LinkRefused. A
link found while removing a folder is removed itself, its target left alone and
reported. The home's root may itself be a link (a home kept in a synced folder).
"""

from __future__ import annotations

import os
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


class LinkRefused(WriteError):
    """The path goes through a link inside the data home: nothing was written or deleted there."""

    def __init__(self, path: Path, link: Path):
        self.link = link
        super().__init__(
            path, f"{link} is a link, and sessionpal never writes or deletes through a link in the data home (put the folder or file itself there)"
        )


_HOMES: set[str] = set()  # the data homes' roots (absolute, as given): below them the link rule holds


def guard(root: Path) -> None:
    """Hold the link rule below `root` (every Home does this when it is made)."""
    _HOMES.add(os.path.abspath(root))


def link_on_the_way(path: Path, *, itself: bool = True) -> Path | None:
    """The first link between a data home's root and `path` (`path` included with `itself`); None if there is none
    or `path` is in no data home. Only what exists is looked at: a missing folder is no link."""
    target = os.path.abspath(path)
    roots = [r for r in _HOMES if target.startswith(r + os.sep)]
    if not roots:
        return None
    root = min(roots, key=len)  # a home inside another: the outer one's rule covers both
    parts = target[len(root) + 1 :].split(os.sep)
    current = root
    for index, part in enumerate(parts):
        if index == len(parts) - 1 and not itself:
            break
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return Path(current)
        except OSError:
            return None
    return None


def refuse_links(path: Path, *, itself: bool = True) -> None:
    link = link_on_the_way(path, itself=itself)
    if link is not None:
        raise LinkRefused(path, link)


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
    refuse_links(path)
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
    refuse_links(path)
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
    return path.parent / f"{TEMP_PREFIX}{path.name[:80]}.{os.getpid()}.{os.urandom(4).hex()}{TEMP_SUFFIX}"


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
    lock = path.parent / WRITE_LOCK
    refuse_links(lock)
    try:
        # O_NOFOLLOW: a link put there between the look and the open is refused by the kernel too.
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
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
    refuse_links(path)  # replacing a link would move its target's place into the home, and hide the link
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
    moment never overwrite each other. A link already there counts as taken.
    """
    if os.path.lexists(path):
        return False
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


def link_file(source: Path, target: Path) -> bool:
    """Give the file `source` a second name, `target`, durably; False (nothing done) if `target` exists.

    The first step of a move that must survive a kill: until the old name is removed (remove_file), the
    file is in both places, never in neither. Both names within one home, so one file system."""
    refuse_links(source)
    refuse_links(target)
    ensure_dir(target.parent)
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        return False
    except OSError as error:
        raise WriteError(target, describe_os_error(error)) from error
    _fsync_dir(target.parent)
    return True


def move_file(source: Path, target: Path) -> bool:
    """Give `source` the name `target`, in one step and durably; False (nothing moved) if `target` exists.

    A hard link then the old name's removal: never over a file already there (os.rename would replace
    it), and at no moment is the file in neither place. Both within one home, so one file system."""
    if not link_file(source, target):
        return False
    try:
        source.unlink()
    except OSError as error:
        raise WriteError(source, describe_os_error(error)) from error
    _fsync_dir(source.parent)
    return True


def remove_file(path: Path) -> None:
    """Delete a file durably (a person asked for it, or a lock is given back); gone already is fine.

    A link is removed itself (never its target); a file reached through a linked folder is refused."""
    refuse_links(path, itself=False)
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


class Removed:
    """What remove_tree did: the files it removed, and the links it removed whose targets it left alone. A plain
    class, counted up as it goes (and not a Struct: every command imports this module, few erase)."""

    def __init__(self) -> None:
        self.files = 0
        self.links: list[tuple[Path, str]] = []  # (the link, where it pointed)


def remove_tree(folder: Path, uncounted: tuple[str, ...] = ()) -> Removed:
    """Delete a folder and everything in it (an erased client). Links are removed, never followed:
    a linked folder's files, wherever they are, are left where they are and named in the result.
    Files named in `uncounted` (bookkeeping, such as locks) go too, without being counted."""
    refuse_links(folder, itself=False)
    done = Removed()

    def unlink_link(path: str) -> None:
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        os.unlink(path)
        done.links.append((Path(path), target))

    try:
        if os.path.islink(folder):
            unlink_link(str(folder))
        elif os.path.isdir(folder):
            for root, dirs, files in os.walk(folder, topdown=False):  # followlinks=False: a linked folder is in dirs
                for name in files:
                    inner = os.path.join(root, name)
                    if os.path.islink(inner):
                        unlink_link(inner)
                    else:
                        os.unlink(inner)
                        done.files += name not in uncounted
                for name in dirs:
                    inner = os.path.join(root, name)
                    unlink_link(inner) if os.path.islink(inner) else os.rmdir(inner)
            os.rmdir(folder)
    except OSError as error:
        raise WriteError(folder, describe_os_error(error)) from error
    _fsync_dir(folder.parent)
    return done


def read_current(path: Path) -> bytes | None:
    """A file's bytes before it is rewritten, None when there is none. Read through the one careful reader:
    a pipe or a device where a file is expected is refused (WriteError), never waited on or read forever."""
    from .problems import FileProblems, read_user_bytes

    try:
        return read_user_bytes(path)
    except FileProblems as error:
        if not os.path.lexists(path):
            return None
        raise WriteError(path, error.problems[0].message) from None


def read_present(path: Path, what: str) -> bytes:
    """As read_current, for a file that must be there (a version to restore, a conflict copy to keep): its going
    missing meanwhile is a WriteError saying `what` is gone."""
    data = read_current(path)
    if data is None:
        raise WriteError(path, f"{what} is gone")
    return data


def append_line(path: Path, line: str) -> None:
    """Add a line to a small log file (audit.log), atomically: the whole file is rewritten."""
    refuse_links(path)  # read through a link, the target's bytes would be copied into the home
    with exclusive(path):
        old = read_current(path) or b""
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
    if link_on_the_way(folder) is not None:
        return 0  # a linked folder in the home is not walked into: what is there is not the home's
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
