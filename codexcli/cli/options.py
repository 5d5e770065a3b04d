"""Options several subcommands share, declared once (Typer's Annotated aliases)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

Temperature = Annotated[
    Optional[float], typer.Option("--temperature", "-t", help="Sampling temperature (0 = greedy).", min=0.0, max=2.0)
]
MaxTokens = Annotated[Optional[int], typer.Option("--max-tokens", help="Most tokens per answer.", min=1)]
Retries = Annotated[
    Optional[int],
    typer.Option(
        "--retries", help="Times a rejected answer is retried with the reason fed back to the model.", min=0, max=10
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the unified diff, write nothing.")]
Diff = Annotated[bool, typer.Option("--diff", help="Same as --dry-run.")]
Samples = Annotated[
    int,
    typer.Option(
        "--samples",
        "-n",
        help="Candidates to draw per target (different seeds); the best verified one is kept.",
        min=1,
        max=100,
    ),
]
NoContext = Annotated[
    bool,
    typer.Option(
        "--no-context",
        help="Do not show the model related definitions from the repository (see `codex index`; config: context = false).",
    ),
]
EvidenceLevel = Annotated[
    Optional[str],
    typer.Option(
        "--evidence",
        help="Write only results with at least this evidence: form < meaning < consensus < examples "
        "< reference (default: the task's own, README 'What codex promises'; config: evidence).",
        metavar="LEVEL",
    ),
]


def write_threshold(task: str, asked: str | None, settings: object) -> str:
    """The write threshold of ``task``: ``--evidence`` (``asked``), else the config's
    ``evidence``, else the task's own (codexcli/evidence.py); an unknown level is a usage error."""
    from codexcli.errors import UsageError
    from codexcli.evidence import threshold_for

    try:
        return threshold_for(task, asked or getattr(settings, "evidence", None))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


# One target selector for every task: FILE::NAME (NAME may be Class.method), as pytest names a
# test; --only NAME (repeatable) is kept as the same thing for every file given.
SELECTOR = "::"


def split_target(path: Path) -> tuple[Path, list[str]]:
    """``FILE::NAME`` -> (FILE, [NAME]); a plain FILE -> (FILE, [])."""
    text = str(path)
    if SELECTOR not in text:
        return path, []
    file, _, name = text.partition(SELECTOR)
    return Path(file), [name] if name else []


def split_targets(paths: list[Path]) -> tuple[list[Path], dict[Path, list[str]]]:
    """The files of ``FILE`` and ``FILE::NAME`` arguments (each once, in order), and the names
    asked for each file named with ``::``."""
    files: list[Path] = []
    named: dict[Path, list[str]] = {}
    for path in paths:
        file, names = split_target(path)
        if file not in files:
            files.append(file)
        if names:
            named.setdefault(file, []).extend(names)
    return files, named
