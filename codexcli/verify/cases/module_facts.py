"""What the rest of a module says about a function's parameters, for verify.cases.infer_types.

A parameter the body only passes on (``_is_leap(year)``) is what the callee's parameter is; a
function called elsewhere in the module (``days_in_month(y, 2)``, ``bisect_left(_DAYS, n)``) takes
what its callers pass: literals, module constants, the callers' own parameters (their inferred
types). Module constants that are literals also make input cases of their own: a call
``bisect_left(_DAYS_BEFORE_MONTH, 40)`` is a real call with real values. Static: nothing is run.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping

from codexcli.verify.cases.inputs import InputCase, infer_hint

# What infer_types gives for a function: the hint per positional parameter, or None.
Infer = Callable[[ast.FunctionDef | ast.AsyncFunctionDef], "list[str | None] | None"]


@dataclass(frozen=True)
class ModuleFacts:
    """The top-level functions and literal constants of a module (and of any other sources
    given with it: the project's tests)."""

    functions: Mapping[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    constants: Mapping[str, Any] = field(default_factory=dict)


@functools.lru_cache(maxsize=32)
def module_facts(sources: tuple[str, ...]) -> ModuleFacts:
    """The functions and constants defined at the top level of ``sources`` (first definition wins;
    sources that do not parse are skipped)."""
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    constants: dict[str, Any] = {}
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                functions.setdefault(node.name, node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = _literal(node.value, constants)
                for target in targets:
                    if isinstance(target, ast.Name) and value is not None:
                        constants.setdefault(target.id, value)
    return ModuleFacts(functions, constants)


def _literal(node: ast.expr, constants: Mapping[str, Any]) -> Any:
    """The value of a literal expression (names of earlier constants allowed), else None."""
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def _calls(tree: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            yield node, node.func.id


def callee_hints(fn: ast.AST, name: str, own: str, facts: ModuleFacts, infer: Infer) -> list[tuple[str, str]]:
    """``(hint, note)`` for each call in ``fn`` that passes ``name`` on as a positional argument to
    another function of the module whose parameter there has an inferred type."""
    out = []
    for call, called in _calls(fn):
        callee = facts.functions.get(called)
        if callee is None or called == own:
            continue
        for i, arg in enumerate(call.args):
            if isinstance(arg, ast.Name) and arg.id == name:
                hints = infer(callee)
                if hints is not None and i < len(hints) and hints[i] is not None:
                    out.append((str(hints[i]), f"{called}({name})"))
    return out


def caller_hints(own: str, index: int, facts: ModuleFacts, infer: Infer) -> list[tuple[str, str]]:
    """``(hint, note)`` for each call of ``own`` elsewhere in the module whose positional argument
    ``index`` has a type that can be told: a literal, a module constant, ``len(...)``, or a
    parameter of the calling function (its inferred type)."""
    out = []
    for caller in facts.functions.values():
        if caller.name == own:
            continue
        params = [a.arg for a in caller.args.posonlyargs + caller.args.args if a.arg not in ("self", "cls")]
        for call, called in _calls(caller):
            if called != own or index >= len(call.args):
                continue
            hint = _expr_hint(call.args[index], facts)
            arg = call.args[index]
            if hint is None and isinstance(arg, ast.Name) and arg.id in params:
                hints = infer(caller)
                position = params.index(arg.id)
                hint = hints[position] if hints is not None and position < len(hints) else None
            if hint is not None:
                out.append((hint, f"called as {own}(...{ast.unparse(arg)}...) in {caller.name}"))
    return out


def _expr_hint(node: ast.expr, facts: ModuleFacts) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("len", "int", "ord"):
        return "int"
    value = _literal(node, facts.constants)
    return None if value is None or isinstance(value, bool) else infer_hint([value])


def module_call_cases(module_source: str, name: str, extra: Iterable[str] = ()) -> list[InputCase]:
    """Calls of ``name`` in the module whose arguments are literals or the module's literal
    constants, as cases (origin "module"), the constants written out as their values."""
    try:
        tree = ast.parse(module_source)
    except SyntaxError:
        return []
    facts = module_facts((module_source, *extra))
    out: list[InputCase] = []
    for call, called in _calls(tree):
        if called != name or any(isinstance(a, ast.Starred) for a in call.args) or call.keywords:
            continue
        values = [_literal(a, facts.constants) for a in call.args]
        if any(v is None for v in values):
            continue
        case = InputCase(repr(tuple(values)), "{}", "module")
        if case.values() is not None and case not in out:
            out.append(case)
    return out
