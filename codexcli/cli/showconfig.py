"""`codex config`: every effective setting, its value, and where it came from (a default, the
user config file, pyproject's [tool.codex], a CODEX_* variable, a flag); then the files codex
reads and keeps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.output import Output


@command("config")
def config_command(*, ui: Output) -> int:
    """Show every effective setting and where it came from, and where codex keeps its files.

    Examples:

      codex config

      codex --model m.gguf config     (flags count: "command line")
    """
    from codexcli.cache import home_dir
    from codexcli.config import find_pyproject, user_config_path

    settings = load_settings_for()
    rows = [
        (f.name, getattr(settings, f.name), settings.sources.get(f.name, "default"))
        for f in dataclasses.fields(settings)
        if f.name != "sources"
    ]
    user, project = user_config_path(), find_pyproject(Path.cwd())
    files = {
        "user config": f"{user}" + ("" if user.is_file() else " (none)"),
        "project config": f"{project} [tool.codex]" if project else "(no pyproject.toml)",
        "cache folder": str(home_dir()),
    }
    if ui.json:
        settings_json = {name: {"value": value, "source": source} for name, value, source in rows}
        ui.emit_json({"command": "config", "ok": True, "settings": settings_json, "files": files})
        return 0
    width = max(len(name) for name, _, _ in rows)
    lines = [f"{name:<{width}} = {value!r}  # {source}" for name, value, source in rows]
    lines += [f"{name}: {where}" for name, where in files.items()]
    ui.write("".join(line + "\n" for line in lines))
    return 0
