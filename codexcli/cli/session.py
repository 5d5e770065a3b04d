"""The one edit session of every editing command (generate, comment, testgen, translate,
optimize): the repository context its prompts show, the backend, and the progress display,
opened together and closed together.

A command parses its arguments and reads its inputs first (bad input never loads a model),
then runs its task inside ``edit_session`` and prints what came back.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from codexcli.cli.output import Output, Progress

if TYPE_CHECKING:
    from codexcli.backends import BackendSlot


@dataclass(frozen=True)
class EditSession:
    """What a task runs with: ``repo`` (index/context.py's RepoContext, or None without
    context), ``backend`` (a provider: the model loads on its first call) and ``progress``."""

    repo: Any
    backend: BackendSlot
    progress: Progress


@contextmanager
def edit_session(
    ui: Output,
    command: str,
    settings: Any,
    anchor: Path | None,
    *,
    no_context: bool = False,
    total: int | None = None,
) -> Iterator[EditSession]:
    """Open the repository context around ``anchor`` (None: no context; ``no_context``: turned
    off), the backend ``settings`` name, and a progress display (a bar over ``total`` targets
    when given); warnings say ``codex COMMAND``."""
    from codexcli.backends import open_backend

    with (
        open_context(ui, anchor, settings, no_context, command) as repo,
        open_backend(settings, verbose_log(ui, command)) as backend,
        ui.progress(total) as progress,
    ):
        yield EditSession(repo, backend, progress)


def verbose_log(ui: Output, command: str) -> Path | None:
    """--verbose: the file this run's prompts and answers go to (under the cache folder's
    logs/, one per run), said once on stderr; None otherwise."""
    if not ui.verbose:
        return None
    import os
    import time

    from codexcli.cache import home_dir

    path = home_dir() / "logs" / f"{time.strftime('%Y%m%d-%H%M%S')}-{command}-{os.getpid()}.jsonl"
    ui.say(f"codex {command}: prompts and answers are logged to {path}")
    return path


@contextmanager
def open_context(ui: Output, anchor: Path | None, settings: Any, no_context: bool, name: str) -> Iterator[Any]:
    """The repository context (index/context.py) for a task on ``anchor`` (None: none), closed
    on exit; warnings about the index go to stderr."""
    from codexcli.index.context import open_repo_context

    repo = None
    if anchor is not None:
        with ui.progress() as progress:
            repo = open_repo_context(
                anchor,
                settings,
                enabled=not no_context,
                warn=lambda m: ui.say(f"codex {name}: warning: {m}"),
                on_progress=lambda done, total: progress.set(f"indexing the repository ({done}/{total} files)"),
            )
    try:
        yield repo
    finally:
        if repo is not None:
            repo.close()
