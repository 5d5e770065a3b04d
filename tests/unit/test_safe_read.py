"""The one reader of files in users' trees: regular files only, bounded, symlinks kept inside the
root. Real FIFOs, real devices and real symlinks; a deadline turns a regression's hang into a
failure instead of a stuck suite."""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from codexcli.safe_read import NOT_A_FILE, OUTSIDE, SYMLINK, TOO_LARGE, UNREADABLE, read_regular

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail the test when the block runs longer (open() of a FIFO is interrupted by the signal)."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@posix_only
def test_a_fifo_is_skipped_without_blocking(tmp_path: Path):
    os.mkfifo(tmp_path / "f.py")
    with deadline(10):
        got = read_regular(tmp_path / "f.py", 1000, root=tmp_path)
        assert (got.data, got.skip, got.detail) == (None, NOT_A_FILE, "a FIFO")
        assert read_regular(tmp_path / "f.py", 1000).skip == NOT_A_FILE


@posix_only
def test_a_device_is_never_read_even_inside_the_root(tmp_path: Path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with deadline(10):
        got = read_regular("/dev/zero", 1000, root="/")  # inside the root: only the file type stops it
        assert (got.data, got.skip, got.detail) == (None, NOT_A_FILE, "a character device")
        os.symlink("/dev/zero", tmp_path / "z.py")
        assert read_regular(tmp_path / "z.py", 1000, root=tmp_path).skip == OUTSIDE
        assert read_regular(tmp_path / "z.py", 1000).skip == SYMLINK


def test_symlinks_are_followed_only_inside_the_root(tmp_path: Path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "pkg").mkdir(parents=True)
    outside.mkdir()
    (root / "pkg" / "real.py").write_bytes(b"x = 1\n")
    (outside / "secret.py").write_bytes(b"token = 2\n")
    os.symlink(root / "pkg" / "real.py", root / "alias.py")
    os.symlink(outside / "secret.py", root / "leak.py")
    os.symlink(outside, root / "elsewhere")  # a folder link: what is under it is outside too
    assert read_regular(root / "alias.py", 100, root=root).data == b"x = 1\n"
    leak = read_regular(root / "leak.py", 100, root=root)
    assert (leak.data, leak.skip) == (None, OUTSIDE) and str(outside / "secret.py") in leak.detail
    assert read_regular(root / "elsewhere" / "secret.py", 100, root=root).skip == OUTSIDE
    assert read_regular(root / "alias.py", 100).skip == SYMLINK  # no root: no link is followed


def test_at_most_max_bytes_and_missing_files_are_reasons(tmp_path: Path):
    (tmp_path / "a.py").write_bytes(b"12345")
    exact = read_regular(tmp_path / "a.py", 5, root=tmp_path)
    assert (exact.data, exact.size) == (b"12345", 5) and exact.mtime_ns > 0
    assert read_regular(tmp_path / "a.py", 4, root=tmp_path).skip == TOO_LARGE
    assert read_regular(tmp_path / "gone.py", 4, root=tmp_path).skip == UNREADABLE
