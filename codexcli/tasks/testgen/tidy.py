"""Readable kept tests: names that say what each test does, repeated cases as one parametrized
test, and only a few cases of each kind.

A model names its tests by what it meant them to check (``test_days_in_month_non_leap``), and
the name may be false (the call uses a leap year). Once a test passed every check, codex knows
what it does: it calls the target with some values and expects a value or an exception. So
each kept test is renamed from that (``test_clamp_15_0_10_returns_10``). Runs of simple tests
(one call of the target with literal arguments, checked with ``==`` or ``pytest.raises``), and
tests that are only a list of such checks, become one ``pytest.mark.parametrize`` test per
outcome, keeping at most ``PER_CLASS`` cases of each equivalence class (the same outcome, and
arguments of the same types and signs). Anything else is kept as written, only renamed. Pure:
source text in, source text out; the caller runs the result through the same checks.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Sequence

PER_CLASS = 3  # cases kept of each equivalence class
_MAX_SLUG = 48


@dataclass(frozen=True)
class Case:
    """One check of a simple test: ``callee(*args) == expected``, or raising ``expected``."""

    args: tuple[str, ...]  # each argument's source
    kind: str  # "returns" | "raises"
    expected: str  # the expected value's source, or the exception's name


@dataclass(frozen=True)
class Tidied:
    """One test as written to the file, and the kept tests it came from."""

    name: str
    code: str
    sources: tuple[str, ...]  # names of the kept tests it replaces
    needs_pytest: bool = False


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _call_args(node: ast.expr, callee: str) -> tuple[str, ...] | None:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == callee):
        return None
    if node.keywords or not all(_literal(a) and not isinstance(a, ast.Starred) for a in node.args):
        return None
    return tuple(ast.unparse(a) for a in node.args)


def _case(stmt: ast.stmt, callee: str) -> Case | None:
    """The check one statement makes, when it is a simple one."""
    if isinstance(stmt, ast.Assert) and isinstance(stmt.test, ast.Compare):
        test = stmt.test
        if len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq) and _literal(test.comparators[0]):
            args = _call_args(test.left, callee)
            if args is not None:
                return Case(args, "returns", ast.unparse(test.comparators[0]))
    if isinstance(stmt, ast.With) and len(stmt.items) == 1 and len(stmt.body) == 1:
        ctx = stmt.items[0].context_expr
        if (
            isinstance(ctx, ast.Call)
            and ast.unparse(ctx.func) == "pytest.raises"
            and len(ctx.args) == 1
            and not ctx.keywords
            and isinstance(ctx.args[0], ast.Name)
            and stmt.items[0].optional_vars is None
            and isinstance(stmt.body[0], ast.Expr)
        ):
            args = _call_args(stmt.body[0].value, callee)
            if args is not None:
                return Case(args, "raises", ctx.args[0].id)
    return None


def _plain_test(code: str) -> ast.FunctionDef | None:
    """The test function of ``code`` when it is a plain one (no decorators, no arguments)."""
    try:
        fn = ast.parse(code).body[0]
    except (SyntaxError, IndexError):
        return None
    if not isinstance(fn, ast.FunctionDef) or fn.decorator_list or fn.args.args:
        return None
    return fn


def cases_of(code: str, callee: str) -> list[Case] | None:
    """The checks of a test that is only simple checks (no decorators, no arguments); else None."""
    fn = _plain_test(code)
    if fn is None:
        return None
    body = fn.body[1:] if ast.get_docstring(fn) is not None else fn.body
    cases = [_case(stmt, callee) for stmt in body]
    return None if not cases or None in cases else [c for c in cases if c is not None]


def _slug_value(source: str) -> str:
    value: Any = ast.literal_eval(source)
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, (int, float)):
        text = str(abs(value)).replace(".", "_").replace("-", "_").replace("+", "")
        return ("minus_" if value < 0 else "") + text
    if isinstance(value, (str, bytes)):
        words = re.sub(r"\W+", "_", value if isinstance(value, str) else value.decode("latin-1")).strip("_").lower()
        return words[:16] if words else ("empty_string" if not value else "text")
    kind = type(value).__name__
    return f"empty_{kind}" if not value else f"{kind}_of_{len(value)}"


def _slug(parts: Sequence[str]) -> str:
    text = "_".join(_slug_value(p) for p in parts) or "no_args"
    return text[:_MAX_SLUG].rstrip("_")


def case_name(callee: str, case: Case) -> str:
    """A test's name from what it does: the values it calls with and what it expects."""
    outcome = f"returns_{_slug([case.expected])}" if case.kind == "returns" else f"raises_{case.expected.lower()}"
    return f"test_{callee}_{_slug(case.args)}_{outcome}"


def _class_of(case: Case) -> tuple[str, ...]:
    """A case's equivalence class: its outcome, and each argument's type and sign (or
    emptiness); values of one class most likely take the same branch."""

    def kind(source: str) -> str:
        value: Any = ast.literal_eval(source)
        if isinstance(value, bool) or value is None:
            return repr(value)
        if isinstance(value, (int, float)):
            return f"{type(value).__name__}{'<0' if value < 0 else '=0' if value == 0 else '>0'}"
        return f"{type(value).__name__}{'' if value else ' empty'}"

    outcome = case.expected if case.kind == "raises" else f"returns {kind(case.expected)}"
    return (case.kind, outcome, *(kind(a) for a in case.args))


def _params(names: Sequence[str], arity: int, callee: str) -> list[str]:
    chosen = list(names[:arity]) if len(names) >= arity else [f"arg{i + 1}" for i in range(arity)]
    return [f"{p}_" if p in (callee, "expected", "pytest") else p for p in chosen]


def _parametrized(callee: str, params: Sequence[str], cases: Sequence[Case]) -> tuple[str, str]:
    """One parametrized test over ``cases`` (one outcome kind, one exception)."""
    first = cases[0]
    call = f"{callee}({', '.join(params)})"
    rows = [(*c.args, c.expected) if first.kind == "returns" else c.args for c in cases]
    names = [*params, "expected"] if first.kind == "returns" else list(params)
    if len(names) == 1:
        table = ", ".join(r[0] for r in rows)
        header = repr(names[0])
    else:
        table = ", ".join(f"({', '.join(r)})" for r in rows)
        header = "(" + ", ".join(repr(n) for n in names) + ")"
    if first.kind == "returns":
        same = len({c.expected for c in cases}) == 1
        name = f"test_{callee}_returns" + (f"_{_slug([first.expected])}" if same else "_expected_values")
        body = f"    assert {call} == expected\n"
    else:
        name = f"test_{callee}_raises_{first.expected.lower()}"
        body = f"    with pytest.raises({first.expected}):\n        {call}\n"
    signature = ", ".join(names)
    return name, f"@pytest.mark.parametrize({header}, [{table}])\ndef {name}({signature}):\n{body}"


def _few_per_class(cases: Sequence[Case]) -> list[Case]:
    seen: dict[tuple[str, ...], int] = {}
    kept = []
    for case in cases:
        key = _class_of(case)
        if seen.get(key, 0) < PER_CLASS and case not in kept:
            seen[key] = seen.get(key, 0) + 1
            kept.append(case)
    return kept


def tidy(tests: Sequence[tuple[str, str]], callee: str, params: Sequence[str]) -> list[Tidied]:
    """``tests`` (name, code), made readable: renamed from what they do, runs of simple tests
    of one outcome (exception) and arity folded into one parametrized test with at most
    ``PER_CLASS`` cases of each equivalence class. ``callee`` is the name the tests call the
    target by, ``params`` its parameter names (for the parametrized test's arguments)."""
    out: list[Tidied] = []
    run: list[tuple[str, Case]] = []  # (source test, case) of the current run of simple tests

    def flush() -> None:
        groups: dict[tuple[str, str, int], list[tuple[str, Case]]] = {}
        for source, case in run:
            key = (case.kind, case.expected if case.kind == "raises" else "", len(case.args))
            groups.setdefault(key, []).append((source, case))
        for members in groups.values():
            cases = _few_per_class([c for _, c in members])
            sources = tuple(dict.fromkeys(s for s, _ in members))
            if len(cases) == 1:
                (case,) = cases
                out.append(Tidied(case_name(callee, case), _single(callee, case), sources, case.kind == "raises"))
            else:
                name, code = _parametrized(callee, _params(params, len(cases[0].args), callee), cases)
                out.append(Tidied(name, code, sources, True))
        run.clear()

    for name, code in tests:
        cases = cases_of(code, callee)
        if cases is None:
            flush()
            out.append(Tidied(_renamed(name, code, callee), code, (name,)))
        else:
            run.extend((name, c) for c in cases)
    flush()
    return out


def _single(callee: str, case: Case) -> str:
    name, call = case_name(callee, case), f"{callee}({', '.join(case.args)})"
    if case.kind == "returns":
        return f"def {name}():\n    assert {call} == {case.expected}\n"
    return f"def {name}():\n    with pytest.raises({case.expected}):\n        {call}\n"


def _renamed(name: str, code: str, callee: str) -> str:
    """A test that is not only simple checks keeps its body; its name comes from its first
    simple check, when it has one (else it stays)."""
    fn = _plain_test(code)
    if fn is None:
        return name
    for stmt in fn.body:
        case = _case(stmt, callee)
        if case is not None:
            return case_name(callee, case)
    return name


def parameter_names(source: str) -> list[str]:
    """The positional parameter names of the function defined in ``source``."""
    try:
        fn = ast.parse(source).body[0]
    except (SyntaxError, IndexError):
        return []
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    return [a.arg for a in (*fn.args.posonlyargs, *fn.args.args)]


def def_name(code: str) -> str:
    """The name of the (first) function ``code`` defines."""
    fn = ast.parse(code).body[0]
    return fn.name if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) else ""
