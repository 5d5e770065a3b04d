"""The written part of test5's and test6's rule (benchmarks/make_heldout_sets.py): which top-level functions
of a module the rule admits by their code alone, so that ``make_heldout_sets.py --check`` can
show that a set took every one of them except those it names with a reason.

A function is a candidate when it is a top-level ``def`` (not decorated) with 1 to 4 named
parameters and no ``*args``/``**kwargs``, spans at most 30 lines, and holds no ``yield``,
``global``/``nonlocal``, nested ``def``/``class``/``lambda``, no call of print/open/input/exit/
eval/exec and no call of a function of os/sys/io/time/socket/subprocess/shutil made directly on
the module name (``os.path.basename`` is an attribute of ``os.path``, not such a call).
"""

from __future__ import annotations

import ast
from pathlib import Path

MAX_LINES = 30
_CALLS_OUT = {"print", "open", "input", "exit", "eval", "exec"}
_MODULES_OUT = {"os", "sys", "io", "time", "socket", "subprocess", "shutil"}


def why_not(fn: ast.FunctionDef) -> str | None:
    """None when ``fn`` is a candidate, else the first reason it is not."""
    args = fn.args
    count = len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs)
    if args.vararg or args.kwarg or not 1 <= count <= 4:
        return "parameters"
    if (fn.end_lineno or fn.lineno) - fn.lineno + 1 > MAX_LINES:
        return "longer than 30 lines"
    if fn.decorator_list:
        return "decorated"
    for node in ast.walk(fn):
        if node is fn:
            continue
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)):
            return "yield or global"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return "nested definition"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _CALLS_OUT:
                return "input or output"
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in _MODULES_OUT:
                return "input or output"
    return None


def candidates(path: Path) -> list[str]:
    """The names of ``path``'s top-level functions the written rule admits, in source order."""
    tree = ast.parse(path.read_text())
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and why_not(n) is None]


def rule_problems(path: Path, chosen: tuple[str, ...], excluded: dict[str, str]) -> list[str]:
    """What breaks the rule: a candidate neither chosen nor excluded with a reason, a chosen
    function that is no candidate, an exclusion of a name that is no candidate."""
    found = candidates(path)
    problems = [
        f"{path.name}: candidate {n} neither chosen nor excluded" for n in found if n not in chosen + tuple(excluded)
    ]
    problems += [f"{path.name}: {n} is chosen but not a candidate" for n in chosen if n not in found]
    problems += [f"{path.name}: {n} is excluded but not a candidate" for n in excluded if n not in found]
    return problems
