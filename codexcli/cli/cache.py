"""`codex cache`: inspect or clear the result cache (verified results keyed by model, prompt and
code; `codex comment` uses it)."""

from __future__ import annotations

from typing import Any

import typer

from codexcli.cli.common import command
from codexcli.cli.output import Output

cache_app = typer.Typer(
    help="Inspect or clear the result cache (verified results keyed by model, prompt and code).", no_args_is_help=True
)


@cache_app.command("info")
@command("cache")
def cache_info_command(*, ui: Output) -> int:
    """Where the cache is, how many results it holds, and its size."""
    cache = _user_cache(ui)
    info = cache.info()
    cache.close()
    if ui.json:
        ui.emit_json(
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
    ui.write(f"path: {info.path}\nentries: {info.entries} ({tasks})\nsize: {info.size_bytes} bytes\n")
    return 0


@cache_app.command("clear")
@command("cache")
def cache_clear_command(*, ui: Output) -> int:
    """Delete every cached result."""
    cache = _user_cache(ui)
    removed = cache.clear()
    cache.close()
    if ui.json:
        ui.emit_json({"command": "cache", "ok": True, "removed": removed, "path": str(cache.path)})
    else:
        ui.say(f"removed {removed} cached result(s) from {cache.path}")
    return 0


def _user_cache(ui: Output) -> Any:
    from codexcli.cache import open_cache

    return open_cache(warn=lambda m: ui.say(f"codex cache: warning: {m}"))
