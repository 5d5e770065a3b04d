"""Global options accepted after the subcommand too: ``codex generate x --model m`` is
``codex --model m generate x``.

Click parses the options of a group before its subcommand's name and the subcommand's own after
it, so a global option given late was "No such option". ``GlobalsAnywhere.parse_args`` moves such
an option (with its value) before the subcommand when the subcommand has no option of that name
itself (its own ``--json`` stays its own), and stops at ``--``. The scan is pure
(``hoist_globals``) and reads only the declared options: nothing is guessed from the values.
"""

from __future__ import annotations

from typing import Any

import typer.core


def _names(params: list[Any]) -> dict[str, bool]:
    """Each option name of ``params`` -> whether it takes a value."""
    names: dict[str, bool] = {}
    for param in params:
        if getattr(param, "param_type_name", None) == "option":  # typer carries its own click
            for name in (*param.opts, *param.secondary_opts):
                names[name] = not param.is_flag and not getattr(param, "count", False)
    return names


def _command_params(group: Any, ctx: Any, args: list[str], start: int) -> list[Any]:
    """The options of the command that ``args[start]`` names, and of its subcommand when it is a
    group (``codex cache clear``): those the hoisting must leave where they are."""
    command = group.get_command(ctx, args[start]) if start < len(args) else None
    params: list[Any] = list(command.params) if command is not None else []
    if command is not None and hasattr(command, "get_command"):  # a group: its subcommand's options too
        for token in args[start + 1 :]:
            if not token.startswith("-"):
                sub = command.get_command(ctx, token)
                params += list(sub.params) if sub is not None else []
                break
    return params


def hoist_globals(
    args: list[str], global_names: dict[str, bool], local_names: dict[str, bool], start: int
) -> list[str]:
    """``args`` with each global option found after ``args[start]`` (the subcommand) moved just
    before it, its value with it. An option the subcommand declares itself stays, and so does
    what follows ``--`` or is the value of one of the subcommand's options."""
    before, moved, after = list(args[:start]), [], [args[start]]
    i = start + 1
    while i < len(args):
        token = args[i]
        if token == "--":
            after += args[i:]
            break
        name = token.split("=", 1)[0] if token.startswith("--") else token
        if name in local_names or name not in global_names:
            after.append(token)
            if local_names.get(name) and "=" not in token and i + 1 < len(args):
                after.append(args[i + 1])
                i += 1
        else:
            moved.append(token)
            if global_names[name] and "=" not in token and i + 1 < len(args):
                moved.append(args[i + 1])
                i += 1
        i += 1
    return before + moved + after


class GlobalsAnywhere(typer.core.TyperGroup):
    """The top-level group: global options may come after the subcommand as well as before it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        global_names = _names(self.params)
        start = _subcommand_index(args, global_names)
        if start is not None:
            local = _names(_command_params(self, ctx, args, start))
            args = hoist_globals(args, global_names, local, start)
        return super().parse_args(ctx, args)


def _subcommand_index(args: list[str], global_names: dict[str, bool]) -> int | None:
    """Where the subcommand's name is in ``args``: the first token that is neither a global
    option nor its value; None when there is none (``codex --help``)."""
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            return None
        if token.startswith("-"):
            if global_names.get(token) and i + 1 < len(args):
                i += 1
            i += 1
            continue
        return i
    return None
