"""testgen's ways of getting more out of the model (several samples, synthesized inputs), and
the runs every candidate test goes through (twice, against mutants).

``ask`` gets the kept tests for a target from one answer with retries (the rejection fed back),
or, with ``samples`` > 1, from that many answers of which the one with the most passing tests is
used (tasks/samples.py). ``synthesized`` adds tests written from inputs codex made up itself
(testgen_synth) for the target's lines that the existing tests do not reach; they go through
the same ``verify`` as the model's answers.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence, TypeVar

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.prompts import PromptTemplate
from codexcli.tasks.common import Attempt, GaveUp, ask_with_retries
from codexcli.tasks.samples import draw_and_choose
from codexcli.tasks.testgen import Target
from codexcli.tasks.testgen_synth import as_answer, target_tests
from codexcli.verify.coverage_figures import FileCoverage
from codexcli.verify.mutants import mutants_for
from codexcli.verify.pytest_runner import CaseOutcome, Job, PytestRunner

T = TypeVar("T")
# Seconds one mutant's run may take; the tests passed in well under that on the original code.
MUTANT_TIMEOUT_S = 10.0


def ask(
    backend: Backend,
    request: CompletionRequest,
    verify: Callable[[str], list[T] | ParseError],
    *,
    samples: int,
    retries: int,
    prompt: PromptTemplate,
    target: Target,
    on_token: TokenCallback | None,
) -> tuple[tuple[Attempt, ...], list[T], str | None]:
    """(attempts, kept tests, why none was kept)."""
    if samples > 1:
        choice = draw_and_choose(
            backend, request, verify, samples, lambda kept: (float(len(kept)),), "testgen", on_token=on_token
        )
        if choice.value is None:
            return choice.attempts, [], choice.first_error or choice.reason
        return choice.attempts, list(choice.value), None
    outcome = ask_with_retries(
        backend,
        request,
        verify,
        retries=retries,
        feedback=lambda reason: prompt.retry(reason, qualname=target.qualname),
        on_token=on_token,
    )
    if isinstance(outcome, GaveUp):
        return outcome.attempts, [], outcome.reason
    return outcome.attempts, list(outcome.value), None


def synthesized(
    runner: PytestRunner,
    module_source: str,
    target: Target,
    coverage: FileCoverage | None,
    working: str,
    taken: Sequence[str],
    verify: Callable[[str], list[T] | ParseError],
) -> list[T]:
    """Tests from synthesized inputs for the target's lines ``coverage`` (the existing tests')
    misses, checked by ``verify``; [] when there is nothing to reach or none passes."""
    if coverage is None:
        return []
    names = set(taken) | set(re.findall(r"^\s*(?:async\s+)?def\s+(test_\w+)", working, re.MULTILINE))
    tests = target_tests(runner, module_source, target, set(coverage.missing), test_sources=[working], taken=names)
    if not tests:
        return []
    passed = verify(as_answer(tests))
    return [] if isinstance(passed, ParseError) else passed


def run_twice(runner: PytestRunner, text: str, names: list[str]) -> list[tuple[CaseOutcome, CaseOutcome]]:
    """Run ``names`` twice (two processes, one sandbox): flaky tests show up as pass-then-fail.
    When the batch times out (one test loops), each test is run on its own so the others count."""
    first, second = runner.run_many([Job(text, tuple(names)), Job(text, tuple(names))], stop_on_timeout=True)
    if not first.timed_out or len(names) == 1:
        return [(first.outcome(n), second.outcome(n)) for n in names]
    alone = runner.run_many([Job(text, (n,)) for n in names])
    passed = [n for n, run in zip(names, alone) if run.outcome(n).passed]
    again = dict(zip(passed, runner.run_many([Job(text, (n,)) for n in passed]))) if passed else {}
    return [(run.outcome(n), again[n].outcome(n) if n in again else run.outcome(n)) for n, run in zip(names, alone)]


def mutation_check(
    runner: PytestRunner, module_source: str, max_mutants: int, target: Target, text: str, names: list[str]
) -> tuple[int, int, dict[str, int]]:
    """(mutants, killed, kills per test) for the tests ``names`` of ``text``. A mutant that makes
    the run hang (a flipped loop condition) counts as killed: the tests did not pass."""
    mutants = mutants_for(module_source, target.qualname, max_mutants)
    kills = {n: 0 for n in names}
    killed = 0
    if not mutants:
        return 0, 0, kills
    runs = runner.run_many([Job(text, tuple(names), m.source) for m in mutants], timeout_s=MUTANT_TIMEOUT_S)
    for run in runs:
        killers = [n for n in names if not run.outcome(n).passed]
        killed += bool(killers)
        for n in killers:
            kills[n] += 1
    return len(mutants), killed, kills
