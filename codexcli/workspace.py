"""Reading users' files safely and writing them atomically.

Reads keep the file's exact text (line endings included, no newline translation) so that an
edit changes only what it means to. Writes go to a temporary file in the same folder and are
renamed over the target, so an interrupted run (Ctrl-C, crash, full disk) leaves either the old
file or the new one, never half of each.
"""

from __future__ import annotations

import ast
import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from codexcli.errors import SourceError, UsageError


@dataclass(frozen=True)
class SourceFile:
    """A user's source file as read from disk."""

    path: Path
    text: str
    bom: bool = False

    @property
    def newline(self) -> str:
        """The file's line ending ("\\r\\n" or "\\n")."""
        return "\r\n" if "\r\n" in self.text else "\n"


def read_text(path: Path) -> SourceFile:
    """Read ``path`` as UTF-8, refusing anything else with the file and line of the bad byte."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        raise SourceError(f"{path}: is a directory, expected a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); codex only edits UTF-8 files"
        ) from None
    return SourceFile(path, text, bom)


def read_python(path: Path) -> SourceFile:
    """Read a Python file and check that it parses; SourceError with file:line:col if not."""
    source = read_text(path)
    check_python_syntax(source.text, str(path))
    return source


def check_python_syntax(text: str, filename: str) -> None:
    """Raise SourceError pointing at the first syntax error in ``text``."""
    try:
        ast.parse(text, filename=filename)
    except SyntaxError as exc:
        where = f"{filename}:{exc.lineno or 0}:{exc.offset or 0}"
        raise SourceError(f"{where}: syntax error: {exc.msg}; fix it before running codex") from None
    except ValueError as exc:  # e.g. null bytes
        raise SourceError(f"{filename}: cannot parse: {exc}") from None


def atomic_write(path: Path, text: str, *, bom: bool = False) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically, keeping the file's permissions."""
    path = Path(path)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".codex-tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except BaseException:
        # Also on KeyboardInterrupt: the target is untouched, the temp file goes.
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def write_new_file(path: Path, text: str, *, force: bool) -> None:
    """Write a file codex creates; refuse to overwrite an existing one unless ``force``."""
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; pass --force to overwrite it")
    if path.exists() and path.is_dir():
        raise UsageError(f"{path} is a directory")
    if not path.parent.exists():
        raise UsageError(f"{path.parent}: no such directory")
    atomic_write(path, text)


def unified_diff(path: Path | str, before: str, after: str) -> str:
    """A unified diff of one file, as git would show it ('' when nothing changed)."""
    if before == after:
        return ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{str(path).lstrip('/')}",
        tofile=f"b/{str(path).lstrip('/')}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
