"""`codex index` and `codex search`: the repository index of definitions, and lexical search over it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.output import Output
from codexcli.errors import UsageError

NoGit = Annotated[
    bool, typer.Option("--no-git", help="Walk the folder instead of asking git (ignored files are then included).")
]
SHOWN_SKIPS = 10  # skipped files listed one by one; the rest are counted


def _refresh(ui: Output, root: Path, no_git: bool, rebuild: bool = False) -> tuple[Any, Any]:
    """Open and refresh the index of ``root``, with progress and warnings on stderr."""
    from codexcli.index.store import index_path, open_index

    if not root.is_dir():
        raise UsageError(f"{root} is not a folder")
    if rebuild:
        index_path(root).unlink(missing_ok=True)
    index = open_index(root, use_git=not no_git, warn=lambda m: ui.say(f"codex: warning: {m}"))
    with ui.progress() as progress:
        progress.set(f"indexing {root}")
        stats = index.refresh(lambda done, total: progress.set(f"indexing {root} ({done}/{total} files)"))
    return index, stats


def _stats_json(stats: Any) -> dict[str, Any]:
    return {
        "files": stats.files,
        "indexed": stats.indexed,
        "unchanged": stats.unchanged,
        "removed": stats.removed,
        "definitions": stats.definitions,
        "seconds": round(stats.seconds, 3),
        "source": stats.source,
        "truncated": stats.truncated,
        "skipped": [{"path": s.path, "reason": s.reason} for s in stats.skipped],
    }


def _default_root(path: Path | None, ask: str) -> Path:
    """``path``, else the git work tree here, else this folder if it was indexed before (as the
    tasks' context does). Anything else is a usage error saying ``ask``: indexing whatever folder
    the shell is in (a home folder, ``/``) is never what was meant."""
    from codexcli.index.files import git_root
    from codexcli.index.store import index_path

    if path is not None:
        return path.resolve()
    here = Path.cwd().resolve()
    top = git_root(here)
    if top is not None:
        return top
    if index_path(here).is_file():
        return here
    raise UsageError(f"{here} is in no git repository and was never indexed; {ask}")


@command("index")
def index_command(
    path: Annotated[
        Optional[Path],
        typer.Argument(help="Folder to index (default: the git work tree here, or this folder if indexed before)."),
    ] = None,
    no_git: NoGit = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start from an empty index.")] = False,
    *,
    ui: Output,
) -> int:
    """Index the functions, methods and classes of a repository for `codex search` and for the
    repository context of generate, comment, testgen and translate.

    Python, JavaScript, TypeScript, Java, C, C++, Go, Rust and C#. Files come from `git ls-files`
    (ignored files excluded) or a folder walk; binary, huge and non-UTF-8 files are skipped with a
    note. Re-indexing reads only files whose size or time changed, and re-extracts only those
    whose content hash changed.

    Examples:

      codex index

      codex index ../other-repo --json
    """
    root = _default_root(path, "pass the folder to index: codex index DIR")
    index, stats = _refresh(ui, root, no_git, rebuild)
    index.close()
    if ui.json:
        ui.emit_json(
            {"command": "index", "ok": True, "root": str(root), "database": str(index.db), **_stats_json(stats)}
        )
        return 0
    console = ui.err()
    for skip in stats.skipped[:SHOWN_SKIPS]:
        console.print(f"{skip.path}: skipped: {skip.reason}", markup=False)
    if len(stats.skipped) > SHOWN_SKIPS:
        console.print(f"... and {len(stats.skipped) - SHOWN_SKIPS} more skipped files (--json lists all)", markup=False)
    if stats.truncated:
        console.print(f"note: the walk stopped after {stats.files} files; is {root} a repository?", markup=False)
    console.print(
        f"{root}: {stats.definitions} definitions from {stats.files - len(stats.skipped)} files ({stats.source}); "
        f"{stats.indexed} indexed, {stats.unchanged} unchanged, {stats.removed} removed, "
        f"{len(stats.skipped)} skipped in {stats.seconds:.1f}s",
        markup=False,
    )
    return 0


@command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="What you are looking for, in words or identifiers.")],
    lang: Annotated[Optional[str], typer.Option("--lang", "-l", help="Only definitions in this language.")] = None,
    k: Annotated[int, typer.Option("-k", help="How many results.", min=1, max=200)] = 10,
    root: Annotated[
        Optional[Path],
        typer.Option(
            "--root", help="Repository to search (default: the git work tree here, or this folder if indexed before)."
        ),
    ] = None,
    no_git: NoGit = False,
    lexical: Annotated[
        bool, typer.Option("--lexical", help="BM25 only, even when an embedding model (embed_model) is configured.")
    ] = False,
    *,
    ui: Output,
) -> int:
    """Find the functions, methods and classes of the repository that match QUERY (BM25 over
    code-aware words: parse_iso_date and parseIsoDate both match "parse an ISO date"; with
    embed_model configured, also by embedding similarity, fused by reciprocal rank).
    Builds or refreshes the index first.

    Examples:

      codex search "parse an ISO date"

      codex search "retry with backoff" --lang go -k 5 --json
    """
    from codexcli import languages
    from codexcli.index.files import indexed_languages

    language = None
    if lang is not None:
        language = languages.resolve(lang, indexed_languages()).name
    if not query.strip():
        raise UsageError("the query is empty")
    top = _default_root(root, "pass --root DIR")
    settings = None if lexical else load_settings_for()
    index, stats = _refresh(ui, top, no_git)
    mode = "bm25"
    try:
        if settings is not None and settings.embed_model:
            hits = _fused(ui, index, settings, query, k, language)
            mode = "fused"
        else:
            hits = index.search(query, k, language=language)
    finally:
        index.close()
    words = _highlight_words(query)
    if ui.json:
        ui.emit_json(
            {
                "command": "search",
                "ok": True,
                "query": query,
                "mode": mode,
                "root": str(top),
                "hits": [_hit_json(h, words) for h in hits],
                "index": _stats_json(stats),
            }
        )
        return 0
    _print_hits(ui, hits, words)
    if not hits:
        ui.say(f"no definitions match {query!r} ({stats.definitions} indexed)")
    return 0


def _fused(ui: Output, index: Any, settings: Any, query: str, k: int, language: str | None) -> list[Any]:
    """BM25 fused with dense search, embedding what has no vector yet (with progress)."""
    from codexcli.index.dense import open_embedder
    from codexcli.index.store import DenseIndex

    embedder = open_embedder(settings)
    assert embedder is not None
    try:
        dense = DenseIndex(index, embedder)
        with ui.progress() as progress:
            dense.embed_missing(lambda done, total: progress.set(f"embedding definitions ({done}/{total})"))
        return dense.fused(query, k, language=language)
    finally:
        embedder.close()


def _highlight_words(query: str) -> set[str]:
    from codexcli.index.tokens import query_words

    return set(query_words(query))


def _matches(word: str, wanted: set[str]) -> bool:
    """Whether an identifier in a snippet is one of the query's words (or shares a stem with one)."""
    from codexcli.index.tokens import split_identifier

    for part in split_identifier(word):
        for w in wanted:
            if part == w or (len(part) >= 4 and len(w) >= 4 and part[:4] == w[:4] and part[:5] == w[:5]):
                return True
    return False


def _snippet(hit: Any, words: set[str], lines: int = 3) -> list[tuple[int, str]]:
    """The definition's first line and the lines that match the query most, with numbers."""
    d = hit.definition
    body = d.text.splitlines()
    scored = [
        (sum(_matches(w, words) for w in re.findall(r"[A-Za-z_]\w*", text)), number)
        for number, text in enumerate(body)
        if number > 0 and text.strip()
    ]
    best = sorted(n for score, n in sorted(scored, key=lambda s: (-s[0], s[1]))[: lines - 1] if score > 0)
    return [(d.line + n, body[n]) for n in [0, *best] if n < len(body)]


def _hit_json(hit: Any, words: set[str]) -> dict[str, Any]:
    d = hit.definition
    return {
        "path": d.path,
        "line": d.line,
        "end_line": d.end_line,
        "name": d.qualname,
        "kind": d.kind,
        "language": d.language,
        "signature": d.signature,
        "docstring": d.docstring,
        "score": round(hit.score, 4),
        "snippet": [{"line": n, "text": t} for n, t in _snippet(hit, words)],
    }


def _print_hits(ui: Output, hits: list[Any], words: set[str]) -> None:
    from rich.text import Text

    console = ui.out()
    plain = not ui.colour
    for hit in hits:
        d = hit.definition
        head = f"{d.path}:{d.line}: {d.qualname} ({d.kind}, {d.language})"
        if plain:
            ui.write(head + "\n")
        else:
            console.print(Text(head, style="bold"))
        for number, text in _snippet(hit, words):
            line = f"  {number:>5} | {text.rstrip()}"
            if plain:
                ui.write(line + "\n")
                continue
            shown = Text(line)
            for match in re.finditer(r"[A-Za-z_]\w*", line):
                if match.start() > 9 and _matches(match.group(), words):
                    shown.stylize("bold yellow", match.start(), match.end())
            console.print(shown)


def shown(repo: Any, key: tuple[str, str]) -> list[dict[str, Any]]:
    """The definitions a target's prompt showed, for --json (empty without context)."""
    if repo is None:
        return []
    return [{"path": d.path, "line": d.line, "name": d.qualname} for d in repo.shown.get(key, ())]


def shown_line(repo: Any, key: tuple[str, str], what: str) -> str | None:
    """One report line naming the definitions a target's prompt showed, or None."""
    items = shown(repo, key)
    if not items:
        return None
    return f"context for {what}: " + ", ".join(f"{i['path']}:{i['line']} {i['name']}" for i in items)
