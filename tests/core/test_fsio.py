import errno
import os
import stat
from pathlib import Path
from typing import Any, NoReturn

import pytest

from sessionpal.core import fsio

from ..helpers import no_temp_files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_files_0600_and_folders_0700_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        target = tmp_path / "a" / "b" / "note.md"
        fsio.atomic_write(target, "hello")
        created = tmp_path / "a" / "b" / "new.md"
        assert fsio.create_new(created, "x")
    finally:
        os.umask(old)
    assert target.read_text() == "hello"
    assert mode(target) == 0o600
    assert mode(created) == 0o600
    assert mode(tmp_path / "a") == 0o700
    assert mode(tmp_path / "a" / "b") == 0o700


def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "f.toml"
    fsio.atomic_write(target, "a" * 10_000)
    fsio.atomic_write(target, "short")
    assert target.read_text() == "short"
    assert no_temp_files(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "client.toml"
    fsio.atomic_write(target, "old")

    def disk_full(fd: int, data: bytes) -> NoReturn:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsio, "_os_write", disk_full)
    with pytest.raises(fsio.WriteError) as caught:
        fsio.atomic_write(target, "new")
    assert "disk is full" in str(caught.value)
    assert target.read_text() == "old"
    assert no_temp_files(tmp_path) == []


def test_a_short_write_is_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.write
    monkeypatch.setattr(fsio, "_os_write", lambda fd, data: real(fd, bytes(data[:3])))
    fsio.atomic_write(tmp_path / "x", "0123456789")
    assert (tmp_path / "x").read_text() == "0123456789"


def test_create_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "s.md"
    assert fsio.create_new(target, "first")
    assert not fsio.create_new(target, "second")
    assert target.read_text() == "first"
    assert no_temp_files(tmp_path) == []


def test_read_only_home_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x"
    target.write_text("old")
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, *args: Any) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)

    monkeypatch.setattr("sessionpal.core.fsio.os.open", read_only)
    with pytest.raises(fsio.WriteError) as caught:
        fsio.atomic_write(target, "new")
    assert "read-only" in str(caught.value)
    assert target.read_text() == "old"


def test_clean_temp_files_removes_only_orphans(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    (tmp_path / f".sessionpal-a.md.{dead_pid}.1234abcd.tmp").write_text("killed mid-write")
    (tmp_path / ".sessionpal-b.md.1234abcd.tmp").write_text("older format")
    in_flight = tmp_path / f".sessionpal-c.md.{os.getpid()}.feedbeef.tmp"
    in_flight.write_text("being written now")
    (tmp_path / "keep.tmp").write_text("theirs")
    (tmp_path / "2026-11-23T1000.md").write_text("x")
    assert fsio.clean_temp_files(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["2026-11-23T1000.md", in_flight.name, "keep.tmp"])
    # Anything an hour old is abandoned, whoever wrote it.
    assert fsio.clean_temp_files(tmp_path, now=in_flight.stat().st_mtime + fsio.ORPHAN_AGE + 1) == 1


def test_is_private(tmp_path: Path) -> None:
    target = tmp_path / "f"
    fsio.atomic_write(target, "x")
    assert fsio.is_private(target)
    target.chmod(0o644)
    assert not fsio.is_private(target)


def test_no_other_module_writes_files() -> None:
    """fsio is the only module that opens files for writing (the architecture's rule)."""
    import pathlib
    import re

    src = pathlib.Path(fsio.__file__).resolve().parents[1]
    pattern = re.compile(r"write_text|write_bytes|open\([^)]*['\"][wax+]|os\.open\(|\.mkdir\(|os\.replace|shutil\.")
    offenders = []
    for path in src.rglob("*.py"):
        if path.name == "fsio.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line) and "# fsio-ok" not in line:
                offenders.append(f"{path.relative_to(src)}:{number}: {line.strip()}")
    assert offenders == []
