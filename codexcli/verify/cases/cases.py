"""All the input cases for a function: its examples, then values made from its type hints, then
(optionally) random ones drawn with Hypothesis. A function with neither hints nor examples gets
cases from the types its body implies (verify.cases.infer_types: ``range(n)``, ``s.split()``, ...).

This sits above verify.cases.inputs (fixed pools) and verify.cases.random_inputs (Hypothesis), which both
build on inputs' type hints, so neither needs the other.
"""

from __future__ import annotations

import ast
import itertools
import random
from typing import Iterable

from codexcli.verify.cases.infer_types import Inferred, infer_params
from codexcli.verify.cases.inputs import (
    InputCase,
    code_literals,
    doctest_cases,
    generated_cases,
    test_cases,
    values_for,
)
from codexcli.verify.cases.module_facts import module_call_cases
from codexcli.verify.cases.random_inputs import hypothesis_cases
from codexcli.verify.static.lookup import find_function


def collect_cases(
    module_source: str,
    qualname: str,
    *,
    test_sources: Iterable[str] = (),
    limit: int = 24,
    seed: int = 0,
    random_cases: int = 0,
    inferred: list[Inferred] | None = None,
) -> list[InputCase]:
    """Input cases for function ``qualname`` of ``module_source``: doctest calls, calls in
    ``test_sources``, then generated ones, without duplicates, at most ``limit``. With
    ``random_cases`` > 0, that many more (beyond ``limit``) are drawn with Hypothesis from the
    same type hints (see verify.cases.random_inputs), for callers that only run Python.
    ``inferred`` stands for the inferred types where those are used (static_inferred): the
    types verify.cases.probe_types found by running the original (cases of origin "probed")."""
    fn = find_function(ast.parse(module_source), qualname)
    if fn is None:
        return []
    examples = _examples(fn, module_source, test_sources)
    cases: list[InputCase] = []
    seen: set[tuple[str, str]] = set()

    def add(new: Iterable[InputCase], most: int) -> None:
        for case in new:
            key = (case.args_src, case.kwargs_src)
            if key not in seen and len(cases) < most:
                seen.add(key)
                cases.append(case)

    generated = generated_cases(fn, examples, limit, seed)
    add(examples + generated, limit)
    if not generated:
        # No hints, and examples say too little: what the body does with each parameter, and
        # literal calls anywhere in the module and its tests, say which values make sense.
        probed = inferred is not None
        inferred = inferred or infer_params(fn, [module_source, *test_sources])
        if inferred is not None:
            add(inferred_cases(fn, inferred, limit, seed, "probed" if probed else "inferred"), limit)
            if random_cases > 0:
                add(random_inferred_cases(fn, inferred, random_cases, seed), len(cases) + random_cases)
            return cases
    if random_cases > 0:
        add(hypothesis_cases(fn, examples, random_cases, seed), len(cases) + random_cases)
    return cases


def _examples(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, module_source: str, test_sources: Iterable[str]
) -> list[InputCase]:
    """The calls to ``fn`` that the code shows: doctests, tests, literal calls in the module."""
    return (
        doctest_cases(ast.get_docstring(fn, clean=False), fn.name)
        + test_cases(test_sources, fn.name)
        + module_call_cases(module_source, fn.name, tuple(test_sources))
    )


def static_inferred(
    module_source: str, qualname: str, test_sources: Iterable[str] = ()
) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, list[Inferred]] | None:
    """The function and the inferred types collect_cases makes its cases from, or None where it
    makes them from type hints or examples (or has none to make)."""
    fn = find_function(ast.parse(module_source), qualname)
    if fn is None:
        return None
    sources = list(test_sources)
    if generated_cases(fn, _examples(fn, module_source, sources), 1):
        return None
    inferred = infer_params(fn, [module_source, *sources])
    return None if inferred is None else (fn, inferred)


def inferred_cases(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    inferred: list[Inferred],
    limit: int,
    seed: int = 0,
    origin: str = "inferred",
) -> list[InputCase]:
    """Up to ``limit`` cases drawn from the inferred types' value pools and the code's literals
    (``origin``: "inferred", or "probed" for types found by running the original); [] when a
    parameter's type is unknown."""
    literals = code_literals(fn)
    pools = [values_for(i.hint, literals) for i in inferred]
    if not pools or any(not p for p in pools):
        return []
    combos = list(itertools.islice(itertools.product(*pools), 5000))
    random.Random(seed).shuffle(combos)
    edge = tuple(p[0] for p in pools)
    ordered = [edge] + [c for c in combos if c != edge]
    return [InputCase(repr(tuple(c)), "{}", origin) for c in ordered[:limit]]


def random_inferred_cases(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, inferred: list[Inferred], count: int, seed: int = 0
) -> list[InputCase]:
    """Up to ``count`` cases drawn with Hypothesis from the inferred types (origin "random");
    [] when a type is unknown or Hypothesis is missing. The inferred types are passed to
    verify.cases.random_inputs as if they were annotations."""
    typed = annotated(fn, inferred)
    return [] if typed is None else hypothesis_cases(typed, [], count, seed)


def annotated(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, inferred: list[Inferred]
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """A copy of ``fn`` whose positional parameters carry the inferred types as annotations."""
    if any(i.hint is None for i in inferred):
        return None
    copy = ast.parse(ast.unparse(fn)).body[0]
    assert isinstance(copy, (ast.FunctionDef, ast.AsyncFunctionDef))
    by_name = {i.name: i.hint for i in inferred}
    for arg in copy.args.posonlyargs + copy.args.args:
        if arg.arg in by_name:
            # A type expression, not a string: code_literals would take a string for a literal.
            arg.annotation = ast.parse(str(by_name[arg.arg]).replace(",", ", "), mode="eval").body
    return copy
