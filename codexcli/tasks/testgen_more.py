"""testgen's ways of getting more out of the model: several samples, and synthesized inputs.

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
from codexcli.verify.pytest_runner import PytestRunner

T = TypeVar("T")


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
