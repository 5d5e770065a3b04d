"""`codex cache`: inspect or clear every file codex keeps under its cache folder (the result
cache, the repository indexes, Hypothesis' examples, the journal `codex undo` reads, the
--verbose logs), within the ``cache_max_mb`` cap."""

from __future__ import annotations

import typer

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.output import Output

cache_app = typer.Typer(
    help="Inspect or clear the files codex keeps: verified results, repository indexes, logs, the undo journal.",
    no_args_is_help=True,
)


@cache_app.command("info")
@command("cache")
def cache_info_command(*, ui: Output) -> int:
    """Where each kind of file codex keeps is, how many there are, their size, and the cap."""
    from codexcli.cache import home_dir, kept, open_cache

    cache = open_cache(warn=lambda m: ui.say(f"codex cache: warning: {m}"))
    info = cache.info()
    cache.close()
    kinds = kept(home_dir())
    total = sum(k.size_bytes for k in kinds)
    cap = load_settings_for().cache_max_mb
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
                "kept": {k.kind: {"path": str(k.path), "files": k.files, "size_bytes": k.size_bytes} for k in kinds},
                "total_bytes": total,
                "cap_mb": cap,
            }
        )
        return 0
    tasks = ", ".join(f"{k}: {v}" for k, v in sorted(info.by_task.items())) or "none"
    lines = [f"path: {info.path}", f"entries: {info.entries} ({tasks})", f"size: {info.size_bytes} bytes"]
    lines += [f"{k.kind}: {k.path} ({k.files} file(s), {k.size_bytes} bytes)" for k in kinds]
    lines.append(f"total: {total} bytes; cap {cap} MB" + (" (no cap)" if cap <= 0 else ""))
    ui.write("".join(line + "\n" for line in lines))
    return 0


@cache_app.command("clear")
@command("cache")
def cache_clear_command(*, ui: Output) -> int:
    """Delete every file codex keeps: cached results, indexes, logs, the undo journal."""
    from codexcli.cache import clear_kept, home_dir

    home = home_dir()
    removed = clear_kept(home, warn=lambda m: ui.say(f"codex cache: warning: {m}"))
    if ui.json:
        ui.emit_json({"command": "cache", "ok": True, "removed": removed["results"], "removed_files": removed})
    else:
        others = ", ".join(f"{n} {kind} file(s)" for kind, n in removed.items() if kind != "results")
        ui.say(f"removed {removed['results']} cached result(s) and {others} from {home}")
    return 0
