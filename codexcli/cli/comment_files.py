"""Which files `codex comment` documents and how it reads them: Python files (docstrings) and
the files of every language whose registry entry has a ``doc_comment`` (JSDoc, Javadoc).

A file of another language is reported in one line ("not a supported file"); one whose
tree-sitter grammar is not installed is skipped with one line saying what to install; one that
does not parse is an error naming its first bad line, as a Python file's syntax error is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codexcli import languages
from codexcli.cli.common import iter_paths
from codexcli.cli.output import Output
from codexcli.errors import CodexError, SourceError
from codexcli.languages import Language
from codexcli.workspace import PYTHON_SUFFIXES

Ranges = list[tuple[int, int]] | None


def documented_languages() -> list[Language]:
    """The languages `codex comment` writes doc comments for, besides Python."""
    return [language for language in languages.LANGUAGES if language.doc_comment is not None]


def comment_suffixes() -> tuple[str, ...]:
    """Every file suffix `codex comment` reads (Python's first)."""
    return (*PYTHON_SUFFIXES, *(s for language in documented_languages() for s in language.suffixes))


def supported_names(python: bool = True) -> str:
    """The languages `codex comment` documents, in words ("Python, Java, JavaScript, TypeScript")."""
    return ", ".join(["Python"] * python + [language.display for language in documented_languages()])


def language_of(path: Path) -> Language | None:
    """The doc-comment language of ``path`` (None: Python, read as Python is)."""
    language = languages.by_suffix(path.suffix)
    return language if language is not None and language.doc_comment is not None else None


def comment_files(paths: list[Path], staged: bool) -> tuple[list[tuple[Path, Ranges]], list[dict[str, str]]]:
    """(files to document with their staged line ranges, or None for all lines; files skipped)."""
    if not staged:
        return [(p, None) for p in iter_paths(paths, comment_suffixes())], []
    from codexcli.gitio import open_repo, staged_python_files

    repo = open_repo(Path.cwd())
    chosen = list(iter_paths(paths, comment_suffixes())) if paths else None
    files: list[tuple[Path, Ranges]] = []
    skips: list[dict[str, str]] = []
    cwd = Path.cwd().resolve()
    for f in staged_python_files(repo, chosen, comment_suffixes()):
        shown = f.path.resolve().relative_to(cwd) if f.path.resolve().is_relative_to(cwd) else f.path
        if f.symlink:
            reason = "is a symlink; codex does not edit the file it points to through a staged link"
            skips.append({"path": str(shown), "reason": reason})
        elif f.unstaged_changes:
            reason = "has unstaged changes; stage or stash them so the commit matches what codex checked"
            skips.append({"path": str(shown), "reason": reason})
        else:
            files.append((shown, list(f.ranges)))
    return files, skips


def read_source(path: Path) -> tuple[Any, Language | None] | dict[str, str]:
    """(the file read, its doc-comment language or None for Python), or a skip (its grammar is
    not installed); SourceError for a file codex cannot read, does not document, or that does
    not parse."""
    from codexcli.workspace import read_python, read_text

    language = language_of(path)
    suffix = path.suffix.lower()
    if language is None:
        if suffix and suffix not in PYTHON_SUFFIXES and path.is_file():
            raise SourceError(
                f"{path}: not a supported file ({path.suffix}); codex comment documents {supported_names()} files"
            )
        return read_python(path), None
    from codexcli.index.treesitter import GrammarMissing
    from codexcli.tasks.comment.doctargets import parse_function

    source = read_text(path)
    try:
        tree = parse_function(language, suffix)(source.text.encode("utf-8"))
    except GrammarMissing as exc:
        return {"path": str(path), "reason": f"{exc}; codex documents {language.display} files once it is"}
    if tree.root_node.has_error:
        bad = _first_error(tree.root_node)
        where = f"{path}:{bad.start_point[0] + 1}:{bad.start_point[1] + 1}"
        raise SourceError(f"{where}: syntax error ({language.display}); fix it before running codex")
    return source, language


def _first_error(node: Any) -> Any:
    for child in node.children:
        if child.type == "ERROR" or child.is_missing:
            return child
        if child.has_error:
            return _first_error(child)
    return node


def read_sources(
    ui: Output, files: list[tuple[Path, Ranges]]
) -> tuple[list[tuple[Path, Any, Ranges, Language | None]], list[dict[str, str]], list[CodexError]]:
    """Every file read before any work: (path, source, ranges, language) of each read, the files
    skipped for a missing grammar, and the errors (each reported in one line; the rest go on)."""
    read: list[tuple[Path, Any, Ranges, Language | None]] = []
    skips: list[dict[str, str]] = []
    errors: list[CodexError] = []
    for path, ranges in files:
        try:
            found = read_source(path)
        except CodexError as exc:
            ui.errors().print(f"codex comment: error: {exc.message}", markup=False)
            errors.append(exc)
            continue
        if isinstance(found, dict):
            skips.append(found)
        else:
            read.append((path, found[0], ranges, found[1]))
    return read, skips, errors


def target_names(source: str, path: Path, language: Language | None) -> set[str]:
    """The names a FILE::NAME or --only may give in ``source`` (qualified and plain)."""
    if language is None:
        from codexcli.splice.docstring import find_targets

        targets: list[Any] = find_targets(source)
    else:
        from codexcli.tasks.comment.doctargets import find_comment_targets

        targets = find_comment_targets(source, language, path.suffix.lower())
    return {n for t in targets for n in (t.qualname, t.name)}
