"""Which files of a repository the index reads, and which it skips (with the reason).

Files come from ``git ls-files`` (tracked and untracked, ignored ones excluded) when the root is
inside a git work tree, else from a walk that leaves out hidden folders and the usual build and
dependency folders. Binary files, files over the size limit, files that are not UTF-8, and
anything that is not a regular file (a FIFO, a device, a symlink out of the root; see
codexcli/safe_read.py) are skipped, each with a note.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from codexcli import languages
from codexcli.languages import Language

# Folders a walk (no git) never enters: dependencies, builds, caches.
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", "build", "dist", "target", "site-packages"})
MAX_BYTES = 1_000_000  # bigger files are generated or vendored far more often than written
MAX_WALK_FILES = 50_000  # a walk that finds more is probably not a repository (e.g. a home folder)


@dataclass(frozen=True)
class Listing:
    """The candidate files under a root (relative POSIX paths) and how they were found."""

    paths: tuple[str, ...]
    source: str  # "git" | "walk"
    truncated: bool = False


def _indexed(language: Language) -> bool:
    """Whether the index reads a language: Python (parsed with ast) and every language whose
    entry has a tree-sitter spec."""
    return language.name == "python" or language.tree_sitter is not None


def indexed_languages() -> tuple[Language, ...]:
    """The languages the index reads, in registry order."""
    return tuple(language for language in languages.LANGUAGES if _indexed(language))


def _suffixes(registry: tuple[Language, ...]) -> dict[str, str]:
    """Suffix -> index language: each indexed language's own suffixes and its spec's extra ones
    (headers as C/C++, .jsx, .tsx)."""
    table: dict[str, str] = {}
    for language in filter(_indexed, registry):
        extra = tuple(s for s, _ in language.tree_sitter.extra) if language.tree_sitter else ()
        table.update((s.lower(), language.name) for s in (*language.suffixes, *extra))
    return table


def language_of(path: str) -> str | None:
    """The index language of a file name, or None when the index does not read it."""
    return languages.derived(_suffixes).get(os.path.splitext(path)[1].lower())


def _git_files(root: Path) -> list[str] | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    names = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def list_files(root: Path, *, use_git: bool = True) -> Listing:
    """The files under ``root`` the index may read (by suffix), from git (unless ``use_git`` is
    False) or a walk."""
    names = _git_files(root) if use_git else None
    if names is not None:
        return Listing(tuple(n for n in names if language_of(n) and (root / n).is_file()), "git")
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        rel = Path(folder).relative_to(root)
        for name in sorted(files):
            if language_of(name):
                found.append((rel / name).as_posix())
                if len(found) >= MAX_WALK_FILES:
                    return Listing(tuple(found), "walk", truncated=True)
    return Listing(tuple(found), "walk")


def decode(data: bytes, max_bytes: int = MAX_BYTES) -> str | tuple[str]:
    """The text of a file's bytes, or ``(reason,)`` when the index skips it."""
    if len(data) > max_bytes:
        return (f"larger than {max_bytes // 1000} kB",)
    if b"\0" in data[:8192]:
        return ("binary",)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return (f"not UTF-8 (byte {exc.start})",)


def git_root(start: Path) -> Path | None:
    """The top of the git work tree ``start`` (a folder or a file) is in, or None."""
    folder = start if start.is_dir() else start.parent
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    top = done.stdout.strip()
    return Path(top).resolve() if done.returncode == 0 and top else None
