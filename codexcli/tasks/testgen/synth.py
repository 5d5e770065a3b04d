"""testgen from synthesized inputs: characterization tests for the lines the model's tests miss.

When the model's tests leave lines of a function uncovered, codex makes inputs itself (doctest
and test calls, types inferred from the body, the model's example calls; see verify.cases.infer_types
and tasks.optimize.example_calls), runs each on the code in the sandbox with line tracing, picks the
fewest inputs that reach the uncovered lines (greedy set cover), and writes one test per input
asserting what the code returned (or ``pytest.raises`` for what it raised). The caller runs
these tests through the same checks as the model's: twice, against mutants, for coverage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from codexcli.tasks.testgen.call_values import CallResult, Probe, observe_calls
from codexcli.tasks.testgen.observe import Check, observed_statement
from codexcli.tasks.testgen.pytest_runner import PytestRunner
from codexcli.tasks.testgen.request import Target, module_names
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.cases.probe_types import original_cases


@dataclass(frozen=True)
class SynthTest:
    """A test written from an observed call; ``origin`` says where its input came from."""

    name: str
    code: str
    imports: tuple[str, ...]
    origin: str
    lines: frozenset[int]  # module lines its call runs


def greedy_cover(reached: Sequence[frozenset[int]], wanted: set[int], limit: int) -> list[int]:
    """Indexes of at most ``limit`` entries of ``reached`` that together reach as many of the
    ``wanted`` lines as possible, each pick the one adding most (ties: the earlier entry)."""
    left = set(wanted)
    picked: list[int] = []
    while left and len(picked) < limit:
        gains = [(len(r & left), -i) for i, r in enumerate(reached) if i not in picked]
        if not gains:
            break
        gain, neg = max(gains)
        if gain == 0:
            break
        picked.append(-neg)
        left -= reached[-neg]
    return picked


def call_source(import_name: str, qualname: str, case: InputCase) -> str | None:
    """The call expression of a case: ``f(1, 'a')``, or ``Cls().method(1)`` for a method.
    None when the arguments are not literals (they would not read back in a test)."""
    if case.values() is None:
        return None
    parts = qualname.split(".")
    callee = import_name if len(parts) == 1 else f"{import_name}().{parts[-1]}"
    return callee + case.call_src


def _test_name(qualname: str, taken: set[str]) -> str:
    base = "test_" + re.sub(r"\W", "_", qualname.replace(".", "_")).lower() + "_observed"
    n = 1
    while f"{base}_{n}" in taken:
        n += 1
    taken.add(f"{base}_{n}")
    return f"{base}_{n}"


def synthesized_tests(
    module_name: str,
    module_names: set[str],
    import_name: str,
    qualname: str,
    cases: Sequence[InputCase],
    uncovered: set[int],
    *,
    module_rel: str,
    limit: int = 4,
    taken: set[str] | None = None,
    files: Mapping[str, str] | None = None,
    copy_from: Path | None = None,
    sys_path: Sequence[str] = (),
    python: str | None = None,
) -> list[SynthTest]:
    """Up to ``limit`` tests, one per input, chosen to reach the ``uncovered`` lines (when
    none are given, the lines of the inputs that reach most). Inputs whose result has no exact
    literal (or that time out) give no test."""
    imports = (f"from {module_name} import {import_name}",)
    calls = [(case, src) for case in cases if (src := call_source(import_name, qualname, case))]
    results = observe_calls(
        [Probe(imports, src) for _, src in calls],
        files=files,
        copy_from=copy_from,
        sys_path=sys_path,
        python=python,
        trace=module_rel,
    )
    usable = [(case, src, result) for (case, src), result in zip(calls, results) if result.kind in ("value", "raised")]
    reached = [frozenset(result.lines) for _, _, result in usable]
    wanted = uncovered or set().union(*reached)
    taken = set() if taken is None else taken
    tests: list[SynthTest] = []
    for index in greedy_cover(reached, wanted, limit):
        case, src, result = usable[index]
        test = _one_test(module_name, module_names, imports, qualname, src, result, taken)
        if test is not None:
            tests.append(SynthTest(test[0], test[1], test[2], case.origin, reached[index]))
    return tests


def _one_test(
    module_name: str,
    module_names: set[str],
    imports: tuple[str, ...],
    qualname: str,
    src: str,
    result: CallResult,
    taken: set[str],
) -> tuple[str, str, tuple[str, ...]] | None:
    statement = observed_statement(Check(2, 2, "    ", src, "eq", None), result, module_name, module_names)
    if statement is None:
        return None
    lines, _, extra = statement
    name = _test_name(qualname, taken)
    code = f"def {name}():\n" + "\n".join(lines) + "\n"
    return name, code, tuple(dict.fromkeys([*imports, *extra]))


def target_tests(
    runner: PytestRunner,
    module_source: str,
    target: Target,
    uncovered: set[int],
    *,
    test_sources: Sequence[str] = (),
    taken: set[str] | None = None,
    limit: int = 4,
) -> list[SynthTest]:
    """Synthesized tests for one testgen target (a function or a method of a class that can be
    made without arguments), reaching the ``uncovered`` lines of its body, inputs from
    verify.cases.cases (doctests, test calls, hints, inferred types, Hypothesis)."""
    if target.kind == "class":
        return []
    wanted = {n for n in uncovered if target.first_line <= n <= target.last_line}
    if not wanted:
        return []
    cases = original_cases(
        module_source,
        target.qualname,
        test_sources=test_sources,
        limit=24,
        random_cases=12,
        copy_from=runner.staged,
        python=runner.python,
    )
    if not cases:
        return []
    layout = runner.layout
    return synthesized_tests(
        layout.module_name,
        module_names(module_source),
        target.import_name,
        target.qualname,
        cases,
        wanted,
        module_rel=layout.module_rel,
        limit=limit,
        taken=taken,
        copy_from=runner.staged,
        sys_path=[layout.import_root_rel, ""],
        python=runner.python,
    )


def as_answer(tests: Sequence[SynthTest]) -> str:
    """Synthesized tests as a model-style answer (imports, then the test functions), so they go
    through exactly the checks the model's answers go through."""
    imports = list(dict.fromkeys(i for t in tests for i in t.imports))
    return "```python\n" + "\n".join(imports) + "\n\n\n" + "\n\n".join(t.code for t in tests) + "```\n"
