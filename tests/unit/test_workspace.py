"""Reading users' files safely and writing atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codexcli.errors import SourceError, UsageError
from codexcli.workspace import atomic_write, read_python, read_text, unified_diff, write_new_file


def test_non_utf8_is_refused_with_line(tmp_path: Path):
    path = tmp_path / "latin.py"
    path.write_bytes(b"x = 1\ny = 'caf\xe9'\n")
    with pytest.raises(SourceError, match=r"latin.py:2: not UTF-8 \(byte 0xe9\)"):
        read_text(path)


def test_syntax_error_is_refused_with_file_line_col(tmp_path: Path):
    path = tmp_path / "bad.py"
    path.write_text("def f(:\n    pass\n")
    with pytest.raises(SourceError, match=r"bad.py:1:\d+: syntax error"):
        read_python(path)


def test_missing_and_directory(tmp_path: Path):
    with pytest.raises(SourceError, match="no such file"):
        read_text(tmp_path / "nope.py")
    with pytest.raises(SourceError, match="is a directory"):
        read_text(tmp_path)


def test_crlf_and_bom_round_trip(tmp_path: Path):
    path = tmp_path / "w.py"
    original = b"\xef\xbb\xbfx = 1\r\ny = 2\r\n"
    path.write_bytes(original)
    source = read_python(path)
    assert source.bom and source.newline == "\r\n" and source.text == "x = 1\r\ny = 2\r\n"
    atomic_write(path, source.text, bom=source.bom)
    assert path.read_bytes() == original


def test_atomic_write_keeps_mode_and_leaves_no_temp(tmp_path: Path):
    path = tmp_path / "s.py"
    path.write_text("old\n")
    os.chmod(path, 0o751)
    atomic_write(path, "new\n")
    assert path.read_text() == "new\n"
    assert path.stat().st_mode & 0o777 == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.py"]


def test_interrupted_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "s.py"
    path.write_text("original\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, "half-written\n")
    assert path.read_text() == "original\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.py"]


def test_write_new_file_refuses_to_overwrite(tmp_path: Path):
    path = tmp_path / "out.py"
    write_new_file(path, "a\n", force=False)
    with pytest.raises(UsageError, match="already exists; pass --force"):
        write_new_file(path, "b\n", force=False)
    write_new_file(path, "b\n", force=True)
    assert path.read_text() == "b\n"
    with pytest.raises(UsageError, match="no such directory"):
        write_new_file(tmp_path / "missing" / "x.py", "", force=False)


def test_unified_diff():
    assert unified_diff("f.py", "a\n", "a\n") == ""
    patch = unified_diff("f.py", "a\nb\n", "a\nc")
    assert patch.startswith("--- a/f.py\n+++ b/f.py\n")
    assert "-b\n+c\n\\ No newline at end of file\n" in patch
