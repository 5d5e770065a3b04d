"""Reading users' files safely and writing them atomically, without losing anyone's change.

Reads keep the file's exact text (line endings included, no newline translation) so that an
edit changes only what it means to, in the file's declared encoding (UTF-8, or a PEP 263 coding
line such as latin-1). Writes go to a temporary file in the same folder and are renamed over the
target, so an interrupted run (Ctrl-C, crash, full disk) leaves either the old file or the new
one, never half of each. Before the rename codex checks, under a lock, that the file still holds
the bytes it read (sha256): a change made meanwhile (the user's editor, another codex run) makes
the write refuse with one line instead of overwriting it. A file whose mode grants no write
permission (chmod 444) is refused too, even to root, who could replace it. A symlink is written
through to its target (the link stays a link); mode and ownership are kept. Every file written
is recorded, so an interrupt can say exactly which ones were.
"""

from __future__ import annotations

import ast
import difflib
import errno
import fcntl
import hashlib
import io
import os
import tempfile
import threading
import tokenize
from dataclasses import dataclass
from pathlib import Path

from codexcli.errors import SourceError, UsageError


@dataclass(frozen=True)
class SourceFile:
    """A user's source file as read from disk."""

    path: Path
    text: str
    bom: bool = False
    encoding: str = "utf-8"

    @property
    def newline(self) -> str:
        """The file's line ending ("\\r\\n" or "\\n")."""
        return "\r\n" if "\r\n" in self.text else "\n"


# What this process read: real path -> (sha256 of the bytes, encoding). atomic_write checks it.
_READ: dict[str, tuple[str, str]] = {}
_WRITTEN: list[Path] = []
_LOCK = threading.Lock()


def reset_written() -> None:
    """Forget the files read and written so far (the start of a command: a file is checked
    against what this command read, not what an earlier command in the same process did)."""
    with _LOCK:
        _WRITTEN.clear()
        _READ.clear()


def written_files() -> list[Path]:
    """The files this command has written, in order (what an interrupt reports)."""
    with _LOCK:
        return list(_WRITTEN)


def _declared_encoding(data: bytes) -> str:
    """The PEP 263 encoding of Python source (a coding line in the first two lines), else utf-8."""
    if b"coding" not in data[:400]:
        return "utf-8"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return "utf-8"
    return "utf-8" if encoding in ("utf-8", "utf-8-sig") else encoding


def read_text(path: Path) -> SourceFile:
    """Read ``path`` as UTF-8 (or the encoding its coding line declares), refusing anything
    else with the file and line of the bad byte."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        raise SourceError(f"{path}: is a directory, expected a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    encoding = "utf-8" if bom else _declared_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        start = getattr(exc, "start", 0)
        line = data.count(b"\n", 0, start) + 1
        raise SourceError(
            f"{path}:{line}: not {'UTF-8' if encoding == 'utf-8' else encoding} (byte 0x{data[start]:02x}); codex only edits UTF-8 files "
            "or files whose coding line declares their encoding"
            if isinstance(exc, UnicodeDecodeError)
            else f"{path}: unknown encoding {encoding!r}"
        ) from None
    with _LOCK:
        _READ[os.path.realpath(path)] = (digest, encoding)
    return SourceFile(path, text, bom, encoding)


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


class StaleFileError(SourceError):
    """The file changed after codex read it; writing would lose that change."""


def _write_error(path: Path, exc: OSError) -> SourceError:
    why = exc.strerror or str(exc)
    if exc.errno in (errno.EPERM, errno.EACCES):
        why += " (read-only, immutable or owned by someone else?)"
    return SourceError(f"{path}: cannot write: {why}; the file is unchanged")


def atomic_write(path: Path, text: str, *, bom: bool = False, encoding: str | None = None) -> None:
    """Replace ``path`` with ``text`` atomically, keeping the file's mode and ownership.

    Through a symlink, the link's target is replaced. When this process read the file, the write
    is refused (StaleFileError, exit 2) unless the file still holds exactly what was read, and
    the text is encoded as it was read (its coding line's encoding). Unwritable files raise
    SourceError (exit 2) and stay as they are."""
    path = Path(path)
    real = Path(os.path.realpath(path))
    with _LOCK:
        seen = _READ.get(str(real))
    encoding = encoding or (seen[1] if seen else "utf-8")
    try:
        data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise SourceError(
            f"{path}: the new text has {exc.object[exc.start]!r}, which {encoding} (the file's declared encoding) cannot hold; the file is unchanged"
        ) from None
    folder = real.parent
    if real.exists() and not os.access(real, os.W_OK):
        raise SourceError(f"{path}: cannot write: permission denied (read-only); the file is unchanged")
    if real.exists() and not (mode := real.stat().st_mode & 0o7777) & 0o222:
        # Root passes os.access and could replace the file, but a mode with no write bit (chmod
        # 444) is its owner saying "do not change this"; editors ask before overriding it.
        raise SourceError(
            f"{path}: cannot write: read-only (mode {mode:04o}, no write permission); the file is unchanged"
        )
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".codex-tmp", dir=folder)
    except OSError as exc:
        raise _write_error(path, exc) from None
    lock_fd = None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if real.exists():
            st = real.stat()
            os.chmod(tmp_name, st.st_mode & 0o7777)
            try:
                os.chown(tmp_name, st.st_uid, st.st_gid)
            except PermissionError:
                pass  # not root: the new file is ours, as any editor's save would make it
            # Another codex run takes the same lock between its check and its rename.
            lock_fd = os.open(real, os.O_RDONLY)
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            if seen is not None and hashlib.sha256(real.read_bytes()).hexdigest() != seen[0]:
                raise StaleFileError(
                    f"{path}: changed since codex read it; not written, so that change is kept (run codex again)"
                )
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        try:
            os.replace(tmp_name, real)
        except OSError as exc:
            raise _write_error(path, exc) from None
        with _LOCK:
            _READ[str(real)] = (hashlib.sha256(data).hexdigest(), encoding)
            _WRITTEN.append(path)
    except BaseException:
        # Also on KeyboardInterrupt: the target is untouched, the temp file goes.
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    finally:
        if lock_fd is not None:
            os.close(lock_fd)


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
