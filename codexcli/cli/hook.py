"""`codex hook install|uninstall`: a plain .git/hooks/pre-commit that documents staged code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codexcli.cli.common import command
from codexcli.cli.output import Output

hook_app = typer.Typer(
    help="Install or remove the git pre-commit hook that runs codex on staged Python, JavaScript, TypeScript and Java files.",
    no_args_is_help=True,
)


@hook_app.command("install")
@command("hook")
def hook_install_command(
    task: Annotated[str, typer.Option("--task", help="What the hook runs on staged files (comment).")] = "comment",
    *,
    ui: Output,
) -> int:
    """Install the pre-commit hook in this repository.

    A hook that is already there is kept as pre-commit.legacy and still runs first. Refused
    when core.hooksPath is set (hooks are managed elsewhere; use the pre-commit framework's hook
    id codex-comment instead).
    """
    from codexcli.gitio import install_hook, open_repo

    change = install_hook(open_repo(Path.cwd()), task)
    return _done(change, ui)


@hook_app.command("uninstall")
@command("hook")
def hook_uninstall_command(*, ui: Output) -> int:
    """Remove codex's pre-commit hook (and put back the hook it replaced, if any)."""
    from codexcli.gitio import open_repo, uninstall_hook

    change = uninstall_hook(open_repo(Path.cwd()))
    return _done(change, ui)


def _done(change, ui: Output) -> int:
    if ui.json:
        ui.emit_json({"command": "hook", "ok": True, "path": str(change.path), "action": change.action})
    else:
        ui.say(f"{change.path}: {change.action}")
    return 0
