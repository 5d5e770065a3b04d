"""The task registry: every editing task, one entry each.

An entry says what the CLI and the docs need to know about a task, without importing it: the
task's name, its prompt (``prompts/<prompt>.toml``), its Task class (the shape in
tasks/pipeline.py, run by ``run_task``), the subcommand that runs it with that command's
function, and the one line ``codex --help`` shows. Code is named by ``"module:attribute"``
strings and imported only when asked (``TaskSpec.task_class``, ``TaskSpec.command_function``),
so listing the tasks, or ``codex --help``, loads no task code (no libcst, no model).

The CLI (codexcli/cli/__init__.py) registers one subcommand per entry, in this order.

Adding a task:

1. ``prompts/<task>.toml``: the prompt (system, user, retry text).
2. A Task class (tasks/pipeline.py's protocol: request, check, feedback, splice, key; the
   optional hooks from ``TaskHooks``) and a function that finds the targets and calls
   ``run_task``.
3. ``codexcli/cli/<task>.py``: a thin Typer command, ``@command("<task>")``, taking ``ui``;
   it reads its inputs, runs the task inside ``edit_session``, applies the edit with
   ``apply_edit`` and prints a ``Report`` with ``print_report``.
4. One ``TaskSpec`` below (tests/cli/test_task_registry.py adds a toy one the same way).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class TaskSpec:
    """One task: its ``name``, the ``command`` that runs it, its ``prompt`` file's name, its
    Task class (``task``) and command function (``cli``) as ``"module:attribute"`` strings, and
    ``help``: one line for ``codex --help`` (the command's docstring says the rest)."""

    name: str
    command: str
    prompt: str
    task: str
    cli: str
    help: str

    def task_class(self) -> type:
        """The Task class (its module is imported now)."""
        found = resolve(self.task)
        assert isinstance(found, type), f"{self.task} is not a class"
        return found

    def command_function(self) -> Callable[..., Any]:
        """The Typer command function (its CLI module is imported now)."""
        found = resolve(self.cli)
        assert callable(found), f"{self.cli} is not callable"
        return found


def resolve(reference: str) -> Any:
    """``"package.module:name"`` -> that object, importing the module."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


_TASKS: list[TaskSpec] = [
    TaskSpec(
        name="fill",
        command="generate",
        prompt="fill",
        task="codexcli.tasks.generate.fill:FillTask",
        cli="codexcli.cli.generate:generate_command",
        help="Write code from a DESCRIPTION, or fill the stub functions of a file with --fill.",
    ),
    TaskSpec(
        name="translate",
        command="translate",
        prompt="translate",
        task="codexcli.tasks.translate.task:TranslateTask",
        cli="codexcli.cli.translate:translate_command",
        help="Translate FILE to another language; write only the definitions verified to behave the same.",
    ),
    TaskSpec(
        name="optimize",
        command="optimize",
        prompt="optimize",
        task="codexcli.tasks.optimize.run:OptimizeTask",
        cli="codexcli.cli.optimize:optimize_command",
        help="Rewrite functions to run faster, keeping them only when they behave the same and are faster.",
    ),
    TaskSpec(
        name="testgen",
        command="testgen",
        prompt="testgen",
        task="codexcli.tasks.testgen.run:TestgenTask",
        cli="codexcli.cli.testgen:testgen_command",
        help="Write tests for MODULE that run, pass, check something, and raise coverage.",
    ),
    TaskSpec(
        name="comment",
        command="comment",
        prompt="comment",
        task="codexcli.tasks.comment.run:CommentTask",
        cli="codexcli.cli.comment:comment_command",
        help="Write the missing docstrings of modules, classes and functions, changing nothing else.",
    ),
]


def tasks() -> tuple[TaskSpec, ...]:
    """Every registered task, in the order ``codex --help`` lists their commands."""
    return tuple(_TASKS)


def get(name: str) -> TaskSpec:
    """The task called ``name`` (KeyError when there is none)."""
    for spec in _TASKS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def register(spec: TaskSpec) -> None:
    """Add a task (a plugin's, a test's). Its name and its command must be new."""
    clash = [s for s in _TASKS if s.name == spec.name or s.command == spec.command]
    if clash:
        raise ValueError(f"task {spec.name!r} (command {spec.command!r}) clashes with {clash[0].name!r}")
    _TASKS.append(spec)


def unregister(name: str) -> None:
    """Remove the task called ``name`` (nothing happens when there is none)."""
    _TASKS[:] = [s for s in _TASKS if s.name != name]
