"""``--samples N`` for comment, testgen, translate and optimize: choose among verified candidates.

generate --samples ranks candidates that may all be wrong (tasks/select.py). The editing tasks
have a verifier for every candidate, so the choice is simpler: draw N answers (the first greedy,
so one sample is today's behaviour), keep those that pass the task's own gate, and pick by the
task's evidence: tests that passed (testgen), no repair needed (comment, translate; translate's
behaviour cases run once the file is assembled, after the choice), speedup (optimize has its own
-n); the model's mean log-probability and then drawing order break ties. The reason names what separated the winner from the runner-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Generic, Sequence, TypeVar

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.tasks.common import Attempt
from codexcli.tasks.select import Candidate, draw_candidates

T = TypeVar("T")

# Per task: the evidence names, in ranking order, as reasons print them.
EVIDENCE = {
    "comment": ("needed no repair",),
    "translate": ("behaviour cases passed", "needed no repair"),
    "testgen": ("tests passed",),
}


@dataclass(frozen=True)
class Choice(Generic[T]):
    """The chosen verified value (None when no candidate passed), and why."""

    value: T | None
    number: int | None  # which candidate (1-based, drawing order)
    verified: int
    total: int
    reason: str
    attempts: tuple[Attempt, ...] = ()
    first_error: str | None = None  # the first rejection, when none passed


def choose(
    candidates: Sequence[Candidate[T]], evidence: Callable[[T], tuple[float, ...]], names: Sequence[str]
) -> Choice[T]:
    """The best verified candidate by ``evidence`` (higher is better, compared in order), then
    mean log-probability, then drawing order."""
    attempts = tuple(
        Attempt(c.output, c.error, c.completion_tokens, c.seconds) for c in sorted(candidates, key=lambda c: c.number)
    )
    verified = [c for c in candidates if c.error is None and c.value is not None]
    if not verified:
        first = next((c.error for c in candidates if c.error), "no candidate")
        return Choice(None, None, 0, len(candidates), f"none of {len(candidates)} samples passed", attempts, first)

    def key(c: Candidate[T]) -> tuple[float, ...]:
        assert c.value is not None
        lp = -math.inf if c.mean_logprob is None else c.mean_logprob
        return (*evidence(c.value), lp, -c.number)

    ranked = sorted(verified, key=key, reverse=True)
    best = ranked[0]
    head = f"sample {best.number} of {len(candidates)} ({len(verified)} verified)"
    if len(ranked) == 1:
        return Choice(best.value, best.number, 1, len(candidates), f"{head}: the only one verified", attempts)
    a, b = key(best), key(ranked[1])
    labels = [*names, "higher mean log-probability", "drawn first"]
    why = next((labels[i] for i in range(len(a)) if a[i] != b[i]), "drawn first")
    return Choice(best.value, best.number, len(verified), len(candidates), f"{head}: {why}", attempts)


def draw_and_choose(
    backend: Backend,
    request: CompletionRequest,
    check: Callable[[str], T | ParseError],
    n: int,
    evidence: Callable[[T], tuple[float, ...]],
    task: str,
    *,
    on_token: TokenCallback | None = None,
) -> Choice[T]:
    """Draw ``n`` answers (the first greedy when the request is), verify each with ``check``
    (the task's own gate), and choose by the task's evidence."""
    candidates = draw_candidates(backend, request, check, n, on_token=on_token, greedy_first=True)
    return choose(candidates, evidence, EVIDENCE[task])
