"""testgen's observed oracle: expected values taken from the code itself, not from the model.

A small model writes the right calls and the wrong expected values (``assert clamp(15, 0, 10)
== 15``). For each assertion that compares a call's result with a literal, the call is run in
the sandbox (never in the codex process) and the literal is replaced with what the code
returned, when that value has an exact, re-parseable repr: numbers, strings, bytes, None,
bools and containers of them; ``pytest.approx`` for floats; ``pytest.raises(E)`` when the call
raised. The test then documents today's behaviour (a characterization test, as Pynguin and
EvoSuite write them); the caller still runs it twice, against mutants and for coverage.

Only calls whose names all come from the test's imports are observed: a call on a local
variable depends on the statements before it, which this does not replay. A test body that
repeats the same assertion (a looping model) is reduced to one copy first.
"""

from __future__ import annotations

import ast
import builtins
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from codexcli.tasks.testgen.call_values import CallResult, Probe, observe_calls
from codexcli.tasks.testgen.pytest_runner import PytestRunner
from codexcli.tasks.testgen.request import CandidateTest, module_names

# Finding the assertions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """An assertion about one call: ``assert call == literal`` (form "eq"), ``assert call is
    None/True/False`` ("is"), ``assert call`` ("truthy") or ``assert not call`` ("falsy")."""

    lineno: int  # first and last line of the assert statement in the test's code (1-based)
    end_lineno: int
    indent: str
    call: str
    form: str
    expected: str | None  # the literal's source ("eq" / "is"); None for truthiness


def _literal(node: ast.expr, source: str) -> str | None:
    """The source of a literal (``pytest.approx(literal)`` counts), else None."""
    inner = node
    if isinstance(node, ast.Call) and not node.keywords and len(node.args) == 1:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "approx":
            inner = node.args[0]
    try:
        ast.literal_eval(inner)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return ast.get_source_segment(source, node)


def _free_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def import_bindings(imports: Sequence[str]) -> set[str]:
    """The names a list of import statements binds."""
    names: set[str] = set()
    for line in imports:
        try:
            tree = ast.parse(line)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
    return names


def _function(code: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    fn = tree.body[0] if tree.body else None
    return fn if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _alone_on_lines(node: ast.stmt, lines: list[str]) -> bool:
    end_col = node.end_col_offset or 0
    before = lines[node.lineno - 1][: node.col_offset]
    after = lines[(node.end_lineno or node.lineno) - 1][end_col:]
    return not before.strip() and (not after.strip() or after.strip().startswith("#"))


def find_checks(code: str, bound: set[str]) -> list[Check]:
    """The assertions of a test function (``code``) that compare a call made only of ``bound``
    names (the test's imports) and builtins with a literal, or test its truth."""
    fn = _function(code)
    if fn is None:
        return []
    lines = code.split("\n")
    usable = bound | set(dir(builtins))
    checks = []
    for stmt in ast.walk(fn):
        if not isinstance(stmt, ast.Assert) or not _alone_on_lines(stmt, lines):
            continue
        test = stmt.test
        call: ast.expr | None = None
        form, expected = "truthy", None
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            left, right = test.left, test.comparators[0]
            if isinstance(test.ops[0], ast.Eq):
                if isinstance(left, ast.Call) and (lit := _literal(right, code)) is not None:
                    call, form, expected = left, "eq", lit
                elif isinstance(right, ast.Call) and (lit := _literal(left, code)) is not None:
                    call, form, expected = right, "eq", lit
            elif isinstance(test.ops[0], ast.Is) and isinstance(left, ast.Call):
                if isinstance(right, ast.Constant) and right.value in (None, True, False):
                    call, form, expected = left, "is", repr(right.value)
        elif isinstance(test, ast.Call):
            call = test
        elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Call):
            call, form = test.operand, "falsy"
        if call is None or not _free_names(call) <= usable or not _free_names(call) & bound:
            continue
        call_src = ast.get_source_segment(code, call)
        if call_src is None:
            continue
        indent = lines[stmt.lineno - 1][: stmt.col_offset]
        checks.append(Check(stmt.lineno, stmt.end_lineno or stmt.lineno, indent, call_src, form, expected))
    return checks


# Rewriting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservedAssertion:
    """An assertion whose expected value now comes from running the code."""

    line: int  # in the test as the model wrote it
    written: str  # the model's assertion
    observed: str  # what replaced it
    how: str  # "value" | "approx" | "raises"


@dataclass(frozen=True)
class ObservedTest:
    """A test with observed expectations, the extra imports they need, and what changed."""

    code: str
    imports: tuple[str, ...]
    observed: tuple[ObservedAssertion, ...]
    collapsed: int = 0  # repeated assertions removed


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_float(v) for v in value)
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    return False


def _approx_ok(value: Any) -> bool:
    """Whether pytest.approx compares ``value``: a number, or a flat list/tuple/dict of numbers."""
    number = (int, float)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, number) and not isinstance(v, bool) for v in value)
    if isinstance(value, dict):
        return all(isinstance(v, number) and not isinstance(v, bool) for v in value.values())
    return False


def _equal(expected_src: str, observed_src: str) -> bool:
    """Whether the model's literal already says what the code does (so it stays the model's)."""
    node = ast.parse(expected_src, mode="eval").body
    approx = isinstance(node, ast.Call)
    if approx:
        assert isinstance(node, ast.Call)
        node = node.args[0]
    want, got = ast.literal_eval(node), ast.literal_eval(observed_src)
    if approx or _has_float(got):
        return _close(want, got)
    return type(want) is type(got) and want == got


def _close(want: Any, got: Any) -> bool:
    """Equality with pytest.approx's default tolerance on numbers (relative 1e-6)."""
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(want, got, rel_tol=1e-6, abs_tol=1e-12)
    if isinstance(want, (list, tuple)) and isinstance(got, (list, tuple)):
        return len(want) == len(got) and all(_close(w, g) for w, g in zip(want, got))
    if isinstance(want, dict) and isinstance(got, dict):
        return want.keys() == got.keys() and all(_close(want[k], got[k]) for k in want)
    return bool(want == got)


def observed_statement(check: Check, result: CallResult, module_name: str, module_names: set[str]):
    """(the new statement lines, how, extra imports) for one check, or None to leave it. A check
    with no expected literal (``expected`` None, form "eq") always gets the observed assertion."""
    ind = check.indent
    if result.kind == "raised" and result.exception:
        if result.exception_module == "builtins":
            imports = ["import pytest"]
        elif result.exception in module_names:
            imports = ["import pytest", f"from {module_name} import {result.exception}"]
        else:
            return None
        return [f"{ind}with pytest.raises({result.exception}):", f"{ind}    {check.call}"], "raises", imports
    if result.kind != "value":
        return None
    if result.repr is None:
        if check.form in ("truthy", "falsy") and result.truthy is not None:
            flipped = result.truthy != (check.form == "truthy")
            if flipped:
                return [f"{ind}assert {'' if result.truthy else 'not '}{check.call}"], "value", []
        return None
    if check.form in ("eq", "is") and check.expected is not None and _equal(check.expected, result.repr):
        return None
    if check.form in ("truthy", "falsy") and result.truthy == (check.form == "truthy"):
        return None
    value = ast.literal_eval(result.repr)
    if value is None or isinstance(value, bool):
        return [f"{ind}assert {check.call} is {result.repr}"], "value", []
    if _has_float(value) and _approx_ok(value):
        return [f"{ind}assert {check.call} == pytest.approx({result.repr})"], "approx", ["import pytest"]
    return [f"{ind}assert {check.call} == {result.repr}"], "value", []


def rewrite(
    code: str,
    checks: Sequence[Check],
    results: Sequence[CallResult],
    module_name: str,
    module_names: set[str],
) -> ObservedTest:
    """``code`` with each check whose call behaved otherwise than written replaced by what
    was observed (``results`` pairs with ``checks``); checks with no usable observation stay."""
    lines = code.split("\n")
    observed: list[ObservedAssertion] = []
    imports: list[str] = []
    # Bottom-up, so line numbers of the checks above stay valid.
    for check, result in sorted(zip(checks, results), key=lambda cr: -cr[0].lineno):
        new = observed_statement(check, result, module_name, module_names)
        if new is None:
            continue
        new_lines, how, extra = new
        written = "\n".join(lines[check.lineno - 1 : check.end_lineno]).strip()
        lines[check.lineno - 1 : check.end_lineno] = new_lines
        observed.append(ObservedAssertion(check.lineno, written, "\n".join(l.strip() for l in new_lines), how))
        imports += [i for i in extra if i not in imports]
    return ObservedTest("\n".join(lines), tuple(imports), tuple(reversed(observed)))


def collapse_repeats(code: str, bound: set[str]) -> tuple[str, int]:
    """A test function with repeated assertions kept once (a looping model writes the same
    line dozens of times), and how many copies went. Only assertions made of ``bound`` names,
    builtins and literals are collapsed: one on a local variable may rely on state that the
    statements between the copies change."""
    fn = _function(code)
    if fn is None:
        return code, 0
    usable = bound | set(dir(builtins))
    lines = code.split("\n")
    seen: set[str] = set()
    drop: list[ast.stmt] = []
    for stmt in fn.body:
        if not isinstance(stmt, ast.Assert) or not _free_names(stmt) <= usable or not _alone_on_lines(stmt, lines):
            continue
        key = ast.dump(stmt)
        if key in seen:
            drop.append(stmt)
        seen.add(key)
    for stmt in reversed(drop):
        del lines[stmt.lineno - 1 : stmt.end_lineno]
    return "\n".join(lines), len(drop)


def observe_test(
    code: str,
    imports: Sequence[str],
    module_name: str,
    module_names: set[str],
    *,
    files: Mapping[str, str] | None = None,
    copy_from: Path | None = None,
    sys_path: Sequence[str] = (),
    python: str | None = None,
) -> ObservedTest:
    """One candidate test with its repeats collapsed and its checks' expectations observed."""
    return observe_tests(
        [(code, imports)],
        module_name,
        module_names,
        files=files,
        copy_from=copy_from,
        sys_path=sys_path,
        python=python,
    )[0]


def observe_tests(
    tests: Sequence[tuple[str, Sequence[str]]],
    module_name: str,
    module_names: set[str],
    *,
    files: Mapping[str, str] | None = None,
    copy_from: Path | None = None,
    sys_path: Sequence[str] = (),
    python: str | None = None,
) -> list[ObservedTest]:
    """Several (code, imports) tests observed in one sandboxed run."""
    prepared = []
    probes: list[Probe] = []
    for code, imports in tests:
        bound = import_bindings(imports)
        code, collapsed = collapse_repeats(code, bound)
        checks = find_checks(code, bound)
        prepared.append((code, checks, len(probes), collapsed))
        probes += [Probe(tuple(imports), c.call) for c in checks]
    results = observe_calls(probes, files=files, copy_from=copy_from, sys_path=sys_path, python=python)
    return [
        replace(rewrite(code, checks, results[start : start + len(checks)], module_name, module_names), collapsed=n)
        for code, checks, start, n in prepared
    ]


def observe_candidates(
    tests: Sequence[CandidateTest], runner: PytestRunner, module_source: str
) -> tuple[list[CandidateTest], dict[str, tuple[ObservedAssertion, ...]]]:
    """testgen's candidates with observed expectations (run against the runner's staged copy of
    the project), and per test name the assertions that now come from the code."""
    layout = runner.layout
    observed = observe_tests(
        [(t.code, t.imports) for t in tests],
        layout.module_name,
        module_names(module_source),
        copy_from=runner.staged,
        sys_path=[layout.import_root_rel, ""],
        python=runner.python,
    )
    out: list[CandidateTest] = []
    notes: dict[str, tuple[ObservedAssertion, ...]] = {}
    for test, seen in zip(tests, observed):
        if seen.code == test.code and not seen.imports:
            out.append(test)
            continue
        imports = tuple(dict.fromkeys([*test.imports, *seen.imports]))
        out.append(replace(test, code=seen.code.rstrip("\n") + "\n", imports=imports))
        if seen.observed:
            notes[test.name] = seen.observed
    return out, notes
