"""Atomic writes: the one place where outputs are written.

A file is written to a hidden temporary file in the same folder and renamed over the target, so a
reader (or a later build) sees the old file or the new one, never half of one.  The temporary
name carries the writer's process id: a build killed with SIGKILL cannot clean up after itself,
so the next build removes the temporary files whose writer is gone (`sweep`).
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["write", "write_with", "temp_path", "sweep", "check_writable", "staging_dir"]

_TEMP = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")


def temp_path(path: Path) -> Path:
    """A fresh hidden temporary name beside `path`, tagged with this process id."""
    return path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def write_with(path: str | os.PathLike, fill: Callable[[BinaryIO], None], *, mode: int = 0o644) -> Path:
    """Create `path` atomically: `fill(fh)` writes the content into an open binary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        with open(tmp, "xb") as fh:
            fill(fh)
        os.chmod(tmp, mode)  # outputs are for everyone to read
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write(path: str | os.PathLike, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to `path` atomically."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return write_with(path, lambda fh: fh.write(data))


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs.  A killed process whose parent died too can stay a
    zombie (no init reaps it in some containers): it answers signals but will never clean up."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust the signal
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def sweep(folder: str | os.PathLike) -> list[Path]:
    """Remove temporary files left in `folder` by writers that no longer run; return them."""
    folder = Path(folder)
    removed = []
    if not folder.is_dir():
        return removed
    for p in folder.iterdir():
        m = _TEMP.match(p.name)
        if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def check_writable(folder: str | os.PathLike) -> Path:
    """Create `folder` if needed and make sure this process can write into it, before any work."""
    from .errors import OutputError

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = temp_path(folder / "write-check")
        with open(probe, "xb"):
            pass
        probe.unlink()
    except OSError as err:
        raise OutputError(f"cannot write to the output folder {folder}: {err.strerror or err}") from None
    return folder


_STAGE = re.compile(r"^briefing-(\d+)-[0-9a-f]{8}$")


@contextlib.contextmanager
def staging_dir() -> Iterator[Path]:
    """A working folder in TMPDIR for one build, named with this process id and removed after
    it; those of builds killed before they could remove theirs (SIGKILL, a core-dumping SIGQUIT)
    are removed first."""
    root = Path(tempfile.gettempdir())
    for p in root.glob("briefing-*"):
        m = _STAGE.match(p.name)
        if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))) and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
    path = root / f"briefing-{os.getpid()}-{secrets.token_hex(4)}"
    path.mkdir(mode=0o700)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
