"""testgen's ways of getting more out of the model (several samples, synthesized inputs), and
the runs every candidate test goes through (twice, against mutants).

``ask`` gets the kept tests for a target from one answer with retries (the rejection fed back),
or, with ``samples`` > 1, from that many answers of which the one with the most passing tests is
used (tasks/samples.py). ``synthesized`` adds tests written from inputs codex made up itself
(synth.py) for the target's lines that the existing tests do not reach; they go through
the same ``verify`` as the model's answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence, TypeVar

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.prompts import PromptTemplate
from codexcli.tasks.common import Attempt, GaveUp, ask_with_retries
from codexcli.tasks.samples import draw_and_choose
from codexcli.tasks.testgen.coverage_figures import FileCoverage
from codexcli.tasks.testgen.mutants import mutants_for
from codexcli.tasks.testgen.pytest_runner import CaseOutcome, Job, PytestRun, PytestRunner
from codexcli.tasks.testgen.request import AnyTarget, Target
from codexcli.tasks.testgen.synth import SynthTest, target_tests

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
    target: AnyTarget,
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
) -> list[SynthTest]:
    """Tests from synthesized inputs for the target's lines ``coverage`` (the existing tests')
    misses, named apart from the tests in ``working``, not yet checked (the caller passes
    ``as_answer`` of them to its ``verify``); [] when there is nothing to reach."""
    if coverage is None:
        return []
    missing = set(coverage.missing)
    return target_tests(runner, module_source, target, missing, test_sources=[working], taken=test_names(working))


def test_names(text: str) -> set[str]:
    """The names of the test functions defined in a test file's text."""
    return set(re.findall(r"^\s*(?:async\s+)?def\s+(test_\w+)", text, re.MULTILINE))


@dataclass(frozen=True)
class Checked:
    """How candidate tests did: per test, its first and second run on the original code, and
    the mutants (indexes into the list given) that it failed against (run only for the tests
    that passed both times)."""

    runs: dict[str, tuple[CaseOutcome, CaseOutcome]]
    kills: dict[str, frozenset[int]]
    mutant_seconds: float = 0.0  # of the sandbox's time, what the mutant runs took


def check_tests(runner: PytestRunner, text: str, names: list[str], mutants: Sequence[str] = ()) -> Checked:
    """Run ``names`` of ``text`` twice (flaky tests show up as pass-then-fail), then against
    each mutant source, all in ONE sandboxed process; the mutant runs take only the tests that
    passed twice. When a run times out (one test loops) or its process is killed (one test
    kills it), each test is run on its own so the others count, and the mutants get a process
    of their own. A mutant whose run hangs counts
    as killed by every test it ran: the tests did not pass."""
    jobs = [Job(text, tuple(names)), Job(text, tuple(names))]
    jobs += [Job(text, tuple(names), m, timeout_s=MUTANT_TIMEOUT_S, only_passed_in=(0, 1)) for m in mutants]
    first, second, *mutant_runs = runner.run_many(jobs, stop_on_timeout=True)
    if not any(run.timed_out or run.killed for run in (first, second)):
        runs = {n: (first.outcome(n), second.outcome(n)) for n in names}
        return Checked(runs, _kills(runs, mutant_runs), sum(r.seconds for r in mutant_runs))
    if len(names) == 1:
        runs = {n: (first.outcome(n), second.outcome(n)) for n in names}
        return Checked(runs, {n: frozenset() for n in names})
    alone = runner.run_many([Job(text, (n,)) for n in names])
    passed = [n for n, run in zip(names, alone) if run.outcome(n).passed]
    again = dict(zip(passed, runner.run_many([Job(text, (n,)) for n in passed]))) if passed else {}
    runs = {n: (run.outcome(n), again[n].outcome(n) if n in again else run.outcome(n)) for n, run in zip(names, alone)}
    twice = tuple(n for n, (a, b) in runs.items() if a.passed and b.passed)
    mutant_runs = runner.run_many([Job(text, twice, m, timeout_s=MUTANT_TIMEOUT_S) for m in mutants]) if twice else []
    return Checked(runs, _kills(runs, mutant_runs), sum(r.seconds for r in mutant_runs))


def _kills(
    runs: Mapping[str, tuple[CaseOutcome, CaseOutcome]], mutant_runs: Sequence[PytestRun]
) -> dict[str, frozenset[int]]:
    twice = [n for n, (a, b) in runs.items() if a.passed and b.passed]
    kills: dict[str, frozenset[int]] = {n: frozenset() for n in runs}
    for n in twice:
        kills[n] = frozenset(i for i, run in enumerate(mutant_runs) if not run.outcome(n).passed)
    return kills


def mutant_sources(module_source: str, target: Target, max_mutants: int) -> list[str]:
    """The sources of up to ``max_mutants`` mutants of the target (tasks.testgen.mutants)."""
    return [m.source for m in mutants_for(module_source, target.qualname, max_mutants)]
