"""Verified selection among samples (the Codex paper's evidence-based ranking, extended).

Draw N candidates at a temperature above zero with different seeds, drop those that do not
parse, then rank the rest, best first, by:

1. the tests codex found for the function (when there are any), passed or not;
2. the docstring's examples passed (run in the sandbox);
3. agreement with the other candidates on generated inputs (majority behaviour: for each
   input, how many other candidates returned the same value; crashes and time-outs earn none);
4. mean per-token log-probability (the paper's heuristic: 37.7% -> 44.5% for Codex-S-12B).

Strategy ``logprob`` uses only the last key, as the paper did. The reason for the choice is
reported in words, naming the key that separated the winner from the runner-up.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Generic, Sequence, TypeVar

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, Completion, CompletionRequest, ManyTokenCallback, TokenCallback
from codexcli.config import default_workers
from codexcli.tasks.common import fit_request
from codexcli.verify.compare.probes import Example, Probe, probe
from codexcli.verify.sandbox.sandbox import Limits

T = TypeVar("T")

# Sampling temperature when the settings ask for greedy decoding (which would draw N copies of
# one answer). The Codex paper sampled at 0.8 to rank among 100 samples; with 10 samples from
# the 135M default model, 0.5 gave better candidates (benchmarks/selection_study.py): on
# HumanEval 0-119 some candidate passed in 15 problems at 0.5 and 12 at 0.8 (29% vs 37% of
# candidates dropped unparsed); on 0-32, 7 at 0.5, 6 at 0.8 and 5 at 0.3 (too little variety).
SAMPLE_TEMPERATURE = 0.5
STRATEGIES = ("verified", "logprob")


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """One drawn answer: its parsed value, or why it was dropped."""

    number: int  # 1-based, in drawing order
    seed: int
    output: str
    value: T | None
    error: str | None
    mean_logprob: float | None
    completion_tokens: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """A parsed candidate with the evidence gathered about it."""

    candidate: Candidate[T]
    examples_passed: int = 0
    examples_total: int = 0
    agreement: int = 0
    tests_passed: bool | None = None  # None: no tests were found
    probe_error: str | None = None
    # Its observation on each generated input (verify/compare/probes.Probe.outputs): what the
    # consensus rule (tasks/generate/selection.selection_evidence) compares candidates on.
    outputs: tuple[str, ...] = ()

    def key(self, strategy: str) -> tuple[float, ...]:
        logprob = self.candidate.mean_logprob
        lp = -math.inf if logprob is None else logprob
        if strategy == "logprob":
            return (lp,)
        return (1.0 if self.tests_passed else 0.0, float(self.examples_passed), float(self.agreement), lp)


@dataclass(frozen=True)
class Selection(Generic[T]):
    """The ranking of the parsed candidates (best first), the dropped ones, and why."""

    ranking: tuple[Ranked[T], ...]
    dropped: tuple[Candidate[T], ...]
    strategy: str
    inputs: int
    reason: str

    @property
    def chosen(self) -> Ranked[T] | None:
        return self.ranking[0] if self.ranking else None


def sampling_temperature(temperature: float) -> float:
    """The temperature to sample candidates at: the configured one, unless it is greedy."""
    return temperature if temperature > 0 else SAMPLE_TEMPERATURE


def draw_candidates(
    backend: Backend,
    request: CompletionRequest,
    parse: Callable[[str], T | ParseError],
    n: int,
    *,
    on_token: TokenCallback | None = None,
    on_candidate: Callable[[Candidate[T]], None] | None = None,
    greedy_first: bool = False,
) -> list[Candidate[T]]:
    """Draw ``n`` answers with seeds ``request.seed``, +1, ... at a sampling temperature, asking
    for log-probabilities, in one ``backend.complete_many`` call (one llama.cpp batch); parse
    each answer (prefill included). Nothing is retried: a candidate that does not parse is
    dropped, the others carry the choice. ``on_token`` sees every sequence's text as it streams.

    With ``greedy_first`` (and a greedy request), candidate 1 is the temperature-0 answer: a
    small model's single likeliest answer is often its best, so selection starts from what
    codex would have written without --samples and moves away only on evidence. It is
    sequence 0 of the same batch, with a greedy sampler (the batch's rounding can move it off
    the single greedy answer at a near-tie, docs/eval.md); the others keep the seeds they
    always had (seed + 1, ...)."""
    base = candidate_request(backend, request)
    many: ManyTokenCallback | None = None if on_token is None else (lambda _i, text: on_token(text))
    greedy = greedy_first and request.temperature == 0
    completions: list[Completion] = []
    if n > 0:
        completions = backend.complete_many(base, n, many, greedy)
    return as_candidates(base, completions, parse, on_candidate)


def candidate_request(backend: Backend, request: CompletionRequest) -> CompletionRequest:
    """The request candidates are drawn with: a sampling temperature, log-probabilities, fitted
    to the context, and a seed (0 when unset) for the first candidate."""
    base = dataclasses.replace(request, temperature=sampling_temperature(request.temperature), logprobs=True)
    return dataclasses.replace(fit_request(backend, base), seed=request.seed if request.seed is not None else 0)


def as_candidates(
    base: CompletionRequest,
    completions: Sequence[Completion],
    parse: Callable[[str], T | ParseError],
    on_candidate: Callable[[Candidate[T]], None] | None = None,
) -> list[Candidate[T]]:
    """The answers to ``base`` (``candidate_request``'s), in seed order, as parsed Candidates
    (prefill included)."""
    first_seed = base.seed or 0
    out: list[Candidate[T]] = []
    for number, completion in enumerate(completions, start=1):
        output = base.prefill + completion.text
        value = parse(output)
        error = value.reason if isinstance(value, ParseError) else None
        cand: Candidate[T] = Candidate(
            number,
            first_seed + number - 1 if completion.seed is None else completion.seed,
            output,
            None if error else value,  # type: ignore[arg-type]  # not a ParseError when error is None
            error,
            completion.mean_logprob,
            completion.completion_tokens,
            completion.seconds,
        )
        out.append(cand)
        if on_candidate is not None:
            on_candidate(cand)
    return out


def agreement_scores(outputs: Sequence[Sequence[str]]) -> list[int]:
    """For each candidate, summed over inputs, how many other candidates gave the same result.

    ``outputs[c][i]`` is candidate c's observation on input i; observations starting with "!"
    (exceptions, time-outs, crashes) earn no agreement: a shared crash is not shared behaviour."""
    if not outputs:
        return []
    scores = [0] * len(outputs)
    for i in range(len(outputs[0])):
        counts = Counter(row[i] for row in outputs)
        for c, row in enumerate(outputs):
            if not row[i].startswith("!"):
                scores[c] += counts[row[i]] - 1
    return scores


_KEY_NAMES = (
    "the tests found for it",
    "the docstring examples",
    "agreement with the other candidates",
    "mean log-probability",
)


def _reason(ranking: Sequence[Ranked[T]], dropped: int, total: int, strategy: str, inputs: int) -> str:
    best = ranking[0]
    cand = best.candidate
    parts = [f"candidate {cand.number} of {total}"]
    if dropped:
        parts[0] += f" ({dropped} dropped: did not parse)"
    if strategy == "verified":
        if best.tests_passed is not None:
            parts.append("passed the tests found for it" if best.tests_passed else "failed the tests found for it")
        if best.examples_total:
            parts.append(f"passed {best.examples_passed}/{best.examples_total} docstring examples")
        else:
            parts.append("no docstring examples to run")
        if inputs:
            parts.append(f"agreement {best.agreement} on {inputs} generated inputs")
    if cand.mean_logprob is not None:
        parts.append(f"mean log-prob {cand.mean_logprob:.3f}")
    if len(ranking) == 1:
        parts.append("the only candidate that parsed")
        return "; ".join(parts)
    names = _KEY_NAMES if strategy == "verified" else _KEY_NAMES[-1:]
    # Say whether the evidence overrode the model's own preference (the likeliest candidate).
    likeliest = max(ranking, key=lambda r: -math.inf if r.candidate.mean_logprob is None else r.candidate.mean_logprob)
    if likeliest is best:
        runner_up = ranking[1]
        first, second = best.key(strategy), runner_up.key(strategy)
        decided = next((names[i] for i in range(len(first)) if first[i] != second[i]), None)
        parts.append(
            f"the likeliest candidate; ahead of candidate {runner_up.candidate.number} by {decided}"
            if decided
            else f"tied with candidate {runner_up.candidate.number}; the earlier draw wins"
        )
    else:
        first, second = best.key(strategy), likeliest.key(strategy)
        decided = next(names[i] for i in range(len(first)) if first[i] != second[i])
        parts.append(f"preferred to the likeliest candidate {likeliest.candidate.number} by {decided}")
    return "; ".join(parts)


def rank(
    candidates: Sequence[Candidate[T]],
    *,
    module_of: Callable[[T], str],
    name: str,
    examples: Sequence[Example] = (),
    inputs: Sequence[tuple[str, ...]] = (),
    tests: Callable[[T], bool] | None = None,
    strategy: str = "verified",
    workers: int | None = None,
    limits: Limits = Limits(timeout_s=10.0, memory_mb=512),
    context: str | None = None,
) -> Selection[T]:
    """Rank the parsed candidates. ``module_of(value)`` is the module text the candidate makes
    (the function ``name`` in its file); it only ever runs in the sandbox, in the candidate's
    process, ``workers`` sandboxes at a time (None: config.default_workers()). ``context`` is
    the trusted code around it that the checker may load to evaluate examples (probes.probe);
    None when the whole module is the candidate's."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown selection strategy {strategy!r}")
    parsed = [c for c in candidates if c.value is not None]
    dropped = tuple(c for c in candidates if c.value is None)
    if not parsed:
        why = dropped[-1].error if dropped else "no candidates"
        return Selection((), dropped, strategy, 0, f"none of {len(candidates)} candidates parsed (last: {why})")
    if strategy == "verified" and (examples or inputs or tests):

        def evidence(c: Candidate[T]) -> tuple[Probe, bool | None]:
            assert c.value is not None
            seen = probe(module_of(c.value), name, examples, inputs, limits=limits, context=context)
            return seen, (tests(c.value) if tests is not None else None)

        with ThreadPoolExecutor(max_workers=max(1, workers or default_workers())) as pool:
            probes = list(pool.map(evidence, parsed))
        scores = agreement_scores([p.outputs for p, _ in probes])
        ranked = [
            Ranked(c, p.examples_passed, len(examples), score, t, p.error, p.outputs)
            for c, (p, t), score in zip(parsed, probes, scores)
        ]
    else:
        ranked = [Ranked(c) for c in parsed]
    # sorted() is stable: among equal keys the earlier draw stays first (deterministic).
    ordered = tuple(sorted(ranked, key=lambda r: r.key(strategy), reverse=True))
    used_inputs = len(inputs) if strategy == "verified" else 0
    return Selection(
        ordered, dropped, strategy, used_inputs, _reason(ordered, len(dropped), len(candidates), strategy, used_inputs)
    )
