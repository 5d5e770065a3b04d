"""`codex hook install|uninstall`: a plain .git/hooks/pre-commit that documents staged code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from codexcli.cli import common
from codexcli.cli.common import JsonOpt, command, emit_json, err_console

hook_app = typer.Typer(
    help="Install or remove the git pre-commit hook that runs codex on staged Python files.", no_args_is_help=True
)


@hook_app.command("install")
@command("hook")
def hook_install_command(
    task: Annotated[str, typer.Option("--task", help="What the hook runs on staged files (comment).")] = "comment",
    json_output: JsonOpt = False,
) -> int:
    """Install the pre-commit hook in this repository.

    A hook that is already there is kept as pre-commit.legacy and still runs first. Refused
    when core.hooksPath is set (hooks are managed elsewhere; use the pre-commit framework's hook
    id codex-comment instead).
    """
    from codexcli.gitio import install_hook, open_repo

    change = install_hook(open_repo(Path.cwd()), task)
    return _done(change, json_output)


@hook_app.command("uninstall")
@command("hook")
def hook_uninstall_command(json_output: JsonOpt = False) -> int:
    """Remove codex's pre-commit hook (and put back the hook it replaced, if any)."""
    from codexcli.gitio import open_repo, uninstall_hook

    change = uninstall_hook(open_repo(Path.cwd()))
    return _done(change, json_output)


def _done(change, json_output: bool) -> int:
    if common.STATE.json or json_output:
        emit_json({"command": "hook", "ok": True, "path": str(change.path), "action": change.action})
    else:
        err_console().print(f"{change.path}: {change.action}", markup=False)
    return 0
