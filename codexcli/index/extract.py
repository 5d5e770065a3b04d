"""One file in, its definitions (or the reason it was skipped) out: the unit of indexing work,
a pure function of the file's bytes so it can run in worker processes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from codexcli.index.defs import Definition, python_definitions
from codexcli.index.files import MAX_BYTES, decode
from codexcli.index.tokens import index_text
from codexcli.safe_read import NOT_A_FILE, OUTSIDE, TOO_LARGE, FileRead, read_regular


@dataclass(frozen=True)
class FileResult:
    """What indexing one file found. ``note`` is why it has no definitions (skipped), if so;
    ``keep`` is False when the note should not be remembered (a grammar not installed yet);
    ``rows`` are the definitions with their FTS words (name, signature, docstring, body, path);
    ``same`` means the content hash equals the stored one (nothing to re-extract)."""

    path: str
    language: str
    size: int
    mtime_ns: int
    hash: str
    note: str = ""
    keep: bool = True
    same: bool = False
    rows: tuple[tuple[Definition, tuple[str, str, str, str, str]], ...] = ()


def definitions_of(path: str, text: str, language: str, *, docstrings: bool = True) -> list[Definition]:
    """The definitions of one file's text (SyntaxError for Python that does not parse;
    treesitter.GrammarMissing for a language whose grammar is not installed)."""
    if language == "python":
        return python_definitions(path, text, docstrings=docstrings)
    from codexcli.index.treesitter import tree_sitter_definitions

    return tree_sitter_definitions(path, text.encode("utf-8"), language, docstrings=docstrings)


def fts_row(d: Definition) -> tuple[str, str, str, str, str]:
    """The words FTS5 indexes for a definition, column by column (name, signature, docstring,
    body, and the file's path: a module's name says what its functions are about)."""
    where = d.path.rsplit(".", 1)[0]
    return (
        index_text(d.qualname),
        index_text(d.signature),
        index_text(d.docstring),
        index_text(d.text),
        index_text(where),
    )


def _skip_note(got: FileRead, max_bytes: int) -> tuple[str, bool]:
    """The note for a file that was not read, and whether to remember it: a FIFO, a device or a
    link out of the tree stays skipped until its size or time changes; an unreadable file
    (permissions, a race) is tried again next time."""
    if got.skip == TOO_LARGE:
        return f"larger than {max_bytes // 1000} kB", True
    if got.skip == NOT_A_FILE:
        return f"not a regular file ({got.detail})", True
    if got.skip == OUTSIDE:
        return f"outside the root ({got.detail})", True
    return f"cannot read: {got.detail}", False


def index_file(
    root: str, path: str, language: str, old_hash: str | None, docstrings: bool, max_bytes: int = MAX_BYTES
) -> FileResult:
    """Read, hash and extract one file (relative ``path`` under ``root``)."""
    from codexcli.index.treesitter import GrammarMissing

    got = read_regular(Path(root, path), max_bytes, root=root)
    if got.data is None:
        note, keep = _skip_note(got, max_bytes)
        return FileResult(path, language, got.size, got.mtime_ns, "", note, keep=keep)
    data = got.data
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    base = FileResult(path, language, got.size, got.mtime_ns, digest)
    if digest == old_hash:
        return FileResult(path, language, got.size, got.mtime_ns, digest, same=True)
    text = decode(data, max_bytes)
    if isinstance(text, tuple):
        return FileResult(path, language, base.size, base.mtime_ns, digest, text[0])
    try:
        found = definitions_of(path, text, language, docstrings=docstrings)
    except SyntaxError as exc:
        return FileResult(path, language, base.size, base.mtime_ns, digest, f"does not parse (line {exc.lineno})")
    except (ValueError, RecursionError, MemoryError) as exc:  # ast: null bytes, too deeply nested
        return FileResult(path, language, base.size, base.mtime_ns, digest, f"does not parse ({type(exc).__name__})")
    except GrammarMissing as exc:
        return FileResult(path, language, base.size, base.mtime_ns, digest, str(exc), keep=False)
    rows = tuple((d, fts_row(d)) for d in found)
    return FileResult(path, language, base.size, base.mtime_ns, digest, rows=rows)
