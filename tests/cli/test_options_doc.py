"""docs/options.md names every option of every command (issue 31: the table of option names),
in that command's section, and marks the hidden old names as such."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from codexcli.cli import app

DOC = (Path(__file__).resolve().parents[2] / "docs" / "options.md").read_text(encoding="utf-8")


def _sections() -> dict[str, str]:
    parts = re.split(r"^## ", DOC, flags=re.MULTILINE)
    return {part.split("\n", 1)[0].strip(): part for part in parts[1:]}


def _commands(command, path=()):
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path), command


def _options(command):
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option" and param.name != "help":
            yield param, [*param.opts, *param.secondary_opts]


def test_every_option_of_every_command_is_in_its_section() -> None:
    root = typer.main.get_command(app)
    sections = _sections()
    missing = []
    for title, command in [("Global options", root), *((f"codex {n}", c) for n, c in _commands(root))]:
        section = sections.get(title, "")
        for param, names in _options(command):
            for name in names:
                if f"`{name}`" not in section:
                    missing.append(f"{title}: {name}")
            if param.hidden and "old name" not in section:
                missing.append(f"{title}: {names[0]} is not marked as an old name")
    assert missing == [], "regenerate docs/options.md"
