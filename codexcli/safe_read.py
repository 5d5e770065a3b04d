"""Reading one file of a user's tree (the index, corpus folders) without trusting what it is.

A name ending in ``.py`` can be a FIFO (``open`` blocks until a writer comes, forever), a
symlink to ``/dev/zero`` (``read()`` never ends and takes all memory) or a symlink to a file
far outside the tree. So: only regular files are read, checked on the opened descriptor
(``fstat``), opened with ``O_NONBLOCK`` (a FIFO swapped in after the check still cannot block
the open) and read at most ``max_bytes + 1`` bytes (a file that grows meanwhile is still
bounded). Symlinks are followed only to a file inside ``root``; without a root, never.

What happened is a ``FileRead``: data, or the reason it is missing. Nothing here raises.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

# Windows has neither flag; there a FIFO cannot carry a source suffix anyway.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 1 << 20

# skip codes (the corpus readers' vocabulary; the index turns them into notes)
SYMLINK = "symlink"  # no root given, or the link was swapped in between the check and the open
OUTSIDE = "outside-root"
NOT_A_FILE = "not-a-file"
TOO_LARGE = "too-large"
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class FileRead:
    """One file's bytes, or ``skip`` (a code above) and ``detail`` (for people) when it was not
    read. ``size``/``mtime_ns`` are the (followed) file's, 0 when even stat failed."""

    data: bytes | None
    skip: str | None = None
    detail: str = ""
    size: int = 0
    mtime_ns: int = 0


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISLNK, "a symlink"),
    )
    return next((word for test, word in kinds if test(mode)), "not a regular file")


def inside(path: str, root: str) -> bool:
    """Whether the resolved ``path`` is ``root`` or under it (both resolved)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def read_regular(path: Path | str, max_bytes: int, *, root: Path | str | None = None) -> FileRead:
    """The bytes of ``path`` when it is a regular file of at most ``max_bytes`` bytes.

    With ``root``, a symlink (at any level) is followed when it resolves inside ``root`` and
    skipped (OUTSIDE) otherwise; without, a symlink is skipped (SYMLINK)."""
    try:
        if root is None:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                return FileRead(None, SYMLINK, "a symlink", st.st_size, st.st_mtime_ns)
            target = os.fspath(path)
        else:
            st = os.stat(path)  # stat, unlike open, neither blocks on a FIFO nor reads a device
            target = os.path.realpath(path)
            if not inside(target, os.path.realpath(root)):
                return FileRead(None, OUTSIDE, f"a symlink to {target}", st.st_size, st.st_mtime_ns)
        # Checked before opening too: opening a device can have effects of its own (a tape rewinds).
        if not stat.S_ISREG(st.st_mode):
            return FileRead(None, NOT_A_FILE, kind_of(st.st_mode), st.st_size, st.st_mtime_ns)
        if st.st_size > max_bytes:
            return FileRead(None, TOO_LARGE, f"{st.st_size} bytes", st.st_size, st.st_mtime_ns)
        fd = os.open(target, _FLAGS)
        try:
            st = os.fstat(fd)  # the file actually opened: it may have been swapped since the stat
            if not stat.S_ISREG(st.st_mode):
                return FileRead(None, NOT_A_FILE, kind_of(st.st_mode), st.st_size, st.st_mtime_ns)
            if st.st_size > max_bytes:
                return FileRead(None, TOO_LARGE, f"{st.st_size} bytes", st.st_size, st.st_mtime_ns)
            data = _read_at_most(fd, max_bytes + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink swapped in after the check
            return FileRead(None, SYMLINK, "a symlink")
        return FileRead(None, UNREADABLE, exc.strerror or str(exc))
    if len(data) > max_bytes:  # it grew after the fstat
        return FileRead(None, TOO_LARGE, f"over {max_bytes} bytes", st.st_size, st.st_mtime_ns)
    return FileRead(data, None, "", st.st_size, st.st_mtime_ns)


def _read_at_most(fd: int, limit: int) -> bytes:
    parts: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, _CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)
