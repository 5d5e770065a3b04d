"""Subcommands that are planned but not built yet: they say so and exit with code 2."""

from __future__ import annotations

import typer

from codexcli.cli.common import command
from codexcli.errors import NotImplementedYet

PLANNED = {
    "translate": "Translate code to another language, checked by compiling and running both versions.",
    "optimize": "Rewrite a function to be faster, proven equivalent by differential tests.",
    "comment": "Write missing docstrings (Codex-D) without touching code.",
    "testgen": "Write unit tests that run, pass and raise coverage.",
    "eval": "Measure pass@k on HumanEval or your own problem set.",
}


def _make(name: str, summary: str):
    @command(name)
    def planned_command(ctx: typer.Context) -> int:
        raise NotImplementedYet(f"`codex {name}` is not yet implemented")

    planned_command.__doc__ = f"{summary} (not yet implemented)"
    return planned_command


def register(app: typer.Typer) -> None:
    """Add every planned subcommand that has no real implementation registered yet."""
    existing = {c.name for c in app.registered_commands}
    for name, summary in PLANNED.items():
        if name not in existing:
            app.command(
                name, context_settings={"allow_extra_args": True, "ignore_unknown_options": True}
            )(_make(name, summary))
