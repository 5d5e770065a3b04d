"""`codex translate`, the units: what one prompt translates (a top-level definition, the
module's constants, or a chunk of a file in another language), in the order they are asked,
and what the model is told about each (from the target's rules in codexcli/languages.py).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from codexcli.answers import is_docstring
from codexcli.tasks.translate.lang import brace_chunks, function_name, owner_class, rules

if TYPE_CHECKING:
    from codexcli.verify.cases.inputs import InputCase
    from codexcli.verify.compare.behaviour import Behaviour


@dataclass(frozen=True)
class Unit:
    """One thing to translate: a top-level function or class, the module's constants, or a
    chunk of a non-Python file. ``target_name`` is the name the translation must define."""

    name: str
    kind: str  # "function" | "class" | "constants" | "chunk"
    code: str
    lineno: int
    target_name: str = ""
    calls: tuple[str, ...] = ()


def python_units(source: str, target: str) -> tuple[list[Unit], list[str]]:
    """A Python module's units in dependency order (definitions used by others first; source order
    otherwise), and a note for each top-level statement that is left out."""
    tree = ast.parse(source)
    lines = source.splitlines()
    defs: list[Unit] = []
    constants: list[str] = []
    skipped: list[str] = []
    def_names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    for node in tree.body:
        start = min([d.lineno for d in getattr(node, "decorator_list", [])] + [node.lineno])
        text = "\n".join(lines[start - 1 : node.end_lineno])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & (def_names - {node.name})
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            name = node.name if kind == "class" else function_name(node.name, target)
            defs.append(Unit(node.name, kind, text, start, name, tuple(sorted(used))))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            constants.append(text)
        elif isinstance(node, (ast.Import, ast.ImportFrom)) or is_docstring(node):
            continue
        else:
            skipped.append(f"line {node.lineno}: {lines[node.lineno - 1].strip()[:60]}")
    ordered = _dependency_order(defs)
    if constants:
        first = min(n.lineno for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign)))
        ordered.insert(0, Unit("module constants", "constants", "\n".join(constants), first))
    return ordered, skipped


def _dependency_order(units: list[Unit]) -> list[Unit]:
    """Callees before callers (so each piece compiles against what it calls); a cycle keeps
    source order."""
    by_name = {u.name: u for u in units}
    done: list[Unit] = []
    visiting: set[str] = set()

    def visit(unit: Unit) -> None:
        if unit in done or unit.name in visiting:
            return
        visiting.add(unit.name)
        for dep in unit.calls:
            if dep in by_name:
                visit(by_name[dep])
        visiting.discard(unit.name)
        done.append(unit)

    for unit in units:
        visit(unit)
    return done


def other_units(source: str, max_chars: int) -> list[Unit]:
    """A non-Python file: whole when it fits, else brace-balanced chunks."""
    if len(source) <= max_chars:
        return [Unit("whole file", "chunk", source.strip("\n"), 1)]
    units, line = [], 1
    for number, chunk in enumerate(brace_chunks(source, max_chars), start=1):
        units.append(Unit(f"part {number}", "chunk", chunk.strip("\n"), line))
        line += chunk.count("\n")
    return units


def instructions(unit: Unit, target: str, path: Path, names: dict[str, str]) -> str:
    """What the model is told about naming and wrappers for one unit."""
    owner, rule = owner_class(path), rules(target)
    if unit.kind == "class":
        what = rule.class_prompt.format(name=unit.name, owner=owner)
    elif unit.kind == "constants":
        what = rule.constants_prompt.format(owner=owner)
    elif unit.kind == "function":
        what = rule.function_prompt.format(name=unit.target_name, owner=owner)
    else:  # a chunk of a file in another language, translated to Python
        what = "Python 3 code with snake_case names; no tests, no example usage"
    lines = [f"Write it as {what}." + (" Put the imports it needs first." if rule.import_hint else "")]
    calls = [f"`{c}` as `{names[c]}`" for c in unit.calls if c in names and names[c] != c]
    if calls:
        lines.append("Other definitions of the file are translated as: " + ", ".join(calls) + ".")
    return "\n".join(lines)


def context_block(source: str, fence: str) -> str:
    """The file's imports and constants, shown before every definition (shared prompt prefix)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    keep = [
        "\n".join(lines[n.lineno - 1 : n.end_lineno])
        for n in tree.body
        if isinstance(n, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign))
    ]
    if not keep:
        return ""
    return f"The file starts with:\n```{fence}\n" + "\n".join(keep) + "\n```\n"


Observed = tuple[list["InputCase"], "Behaviour"] | None


def original_behaviour(
    source: str,
    name: str,
    test_sources: Sequence[str],
    limit: int,
    per_case_timeout_s: float,
    memo: dict[str, Observed] | None = None,
) -> Observed:
    """The input cases of function ``name`` of ``source`` (at most ``limit``, those with
    literal arguments) and what the original does on them, run in the sandbox; None when it has
    no cases. Java's signature (tasks/translate/sig.py) and the behaviour check both use it:
    with the run's ``memo`` the original runs once per function, not once for each."""
    from codexcli.verify.cases.probe_types import original_cases
    from codexcli.verify.compare.behaviour import observe
    from codexcli.verify.static.lookup import find_function

    if memo is not None and name in memo:
        return memo[name]
    fn = find_function(ast.parse(source), name)
    cases = [
        c
        for c in (
            all_positional(c, fn)
            for c in original_cases(
                source, name, test_sources=test_sources, limit=limit * 2, per_case_timeout_s=per_case_timeout_s
            )
        )
        if (v := c.values()) is not None and not v[1]
    ][:limit]
    found = (cases, observe(source, name, cases, per_case_timeout_s=per_case_timeout_s)) if cases else None
    if memo is not None:
        memo[name] = found
    return found


def all_positional(case: InputCase, fn: ast.FunctionDef | ast.AsyncFunctionDef | None) -> InputCase:
    """``case`` with every positional parameter passed by position: its keyword arguments in
    their places, the literal defaults it leaves out written in (``escape('<')`` ->
    ``escape('<', True)``: the same call), so that a target without default arguments (Java)
    is called with the same values; ``case`` itself when that cannot be done (a ``None`` or
    computed default, a keyword-only argument)."""
    values = case.values()
    if fn is None or values is None:
        return case
    args, kwargs = list(values[0]), dict(values[1])
    params = fn.args.posonlyargs + fn.args.args
    defaults = dict(zip([p.arg for p in params][len(params) - len(fn.args.defaults) :], fn.args.defaults))
    for param in params[len(args) :]:
        default = defaults.get(param.arg)
        if param.arg in kwargs:
            args.append(kwargs.pop(param.arg))
        elif isinstance(default, ast.Constant) and default.value is not None:
            args.append(default.value)
        else:
            return case
    return case if kwargs else replace(case, args_src=repr(tuple(args)), kwargs_src="{}")
