"""`codex cache`: inspect or clear the result cache (verified results keyed by model, prompt and
code; `codex comment` uses it)."""

from __future__ import annotations

import sys
from typing import Any

import typer

from codexcli.cli import common
from codexcli.cli.common import JsonOpt, command, emit_json, err_console

cache_app = typer.Typer(
    help="Inspect or clear the result cache (verified results keyed by model, prompt and code).", no_args_is_help=True
)


@cache_app.command("info")
@command("cache")
def cache_info_command(json_output: JsonOpt = False) -> int:
    """Where the cache is, how many results it holds, and its size."""
    cache = _user_cache()
    info = cache.info()
    cache.close()
    if common.STATE.json or json_output:
        emit_json(
            {
                "command": "cache",
                "ok": True,
                "path": str(info.path),
                "exists": info.exists,
                "entries": info.entries,
                "size_bytes": info.size_bytes,
                "by_task": info.by_task,
                "usable": info.usable,
            }
        )
        return 0
    tasks = ", ".join(f"{k}: {v}" for k, v in sorted(info.by_task.items())) or "none"
    sys.stdout.write(f"path: {info.path}\nentries: {info.entries} ({tasks})\nsize: {info.size_bytes} bytes\n")
    return 0


@cache_app.command("clear")
@command("cache")
def cache_clear_command(json_output: JsonOpt = False) -> int:
    """Delete every cached result."""
    cache = _user_cache()
    removed = cache.clear()
    cache.close()
    if common.STATE.json or json_output:
        emit_json({"command": "cache", "ok": True, "removed": removed, "path": str(cache.path)})
    else:
        err_console().print(f"removed {removed} cached result(s) from {cache.path}", markup=False)
    return 0


def _user_cache() -> Any:
    from codexcli.cache import open_cache

    console = err_console()
    return open_cache(warn=lambda m: console.print(f"codex cache: warning: {m}", markup=False))
