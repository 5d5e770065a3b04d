"""`codex eval`: pass@k of codex's own --fill path on a HumanEval-format problem set.

Each problem's prompt becomes the stub file `codex generate --fill` would be given
(tasks/eval/humaneval.stub_source), and the completions come from the same functions the generate
command uses (fill_stubs, with --samples for the selecting strategies), so the number measures
the product, not a special path. Strategies:

* ``greedy``: one completion at temperature 0 (with generate's usual retries);
* ``sample``: N independent samples, pass@k over all of them (the paper's setting);
* ``logprob``: N samples, keep the one with the best mean log-probability;
* ``verified``: N samples, keep the best by verified selection (tasks/select.py).

The problem's hidden tests are used only to judge the chosen completion, never to choose it.
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Sequence

from codexcli.backends.base import (
    Backend,
    Completion,
    CompletionRequest,
    ManyDone,
    ManyTokenCallback,
    TokenCallback,
    complete_many_each,
)
from codexcli.config import Settings, default_workers
from codexcli.data.problems import Problem
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import StubTarget, find_stubs
from codexcli.tasks.eval.humaneval import CheckResult, check_completion, completion_from, stub_source
from codexcli.tasks.eval.passk import mean_pass_at_k
from codexcli.tasks.generate.fill import Filled, fill_parser, fill_request, fill_stubs
from codexcli.tasks.generate.selection import splice_body
from codexcli.tasks.select import Candidate, as_candidates, candidate_request, draw_candidates
from codexcli.verify.sandbox.sandbox import Limits

STRATEGIES = ("greedy", "sample", "logprob", "verified")


@dataclass(frozen=True)
class Sample:
    """One judged completion of one problem."""

    task_id: str
    completion: str
    passed: bool
    result: str  # the judge's verdict ("passed", "failed: ...", "timed out")
    note: str = ""  # how codex chose it, or why it produced nothing


@dataclass(frozen=True)
class EvalReport:
    """Every judged sample, pass@k for each k that the sample counts allow, and timings."""

    strategy: str
    samples_per_problem: int
    problems: int
    samples: tuple[Sample, ...]
    pass_at_k: dict[int, float]
    skipped_k: tuple[int, ...]
    generate_seconds: float
    total_seconds: float
    completion_tokens: int = 0  # tokens the model generated for all problems (retries included)

    @property
    def tokens_per_second(self) -> float:
        """Decode throughput over the generation time (all sequences of a batch together)."""
        return self.completion_tokens / self.generate_seconds if self.generate_seconds > 0 else 0.0

    def counts(self) -> list[tuple[int, int]]:
        """(n, c) per problem, in problem order."""
        order: dict[str, list[bool]] = {}
        for s in self.samples:
            order.setdefault(s.task_id, []).append(s.passed)
        return [(len(v), sum(v)) for v in order.values()]


class TokenTally:
    """A backend that adds up the completion tokens of everything asked through it, so the
    report counts what every path (greedy retries, batched samples) really generated."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.name = inner.name
        self.completion_tokens = 0

    def context_length(self) -> int:
        return self.inner.context_length()

    def count_prompt_tokens(self, request: CompletionRequest) -> int:
        return self.inner.count_prompt_tokens(request)

    def complete(self, request: CompletionRequest, on_token: TokenCallback | None = None) -> Completion:
        completion = self.inner.complete(request, on_token)
        self.completion_tokens += completion.completion_tokens
        return completion

    def complete_many(
        self,
        request: CompletionRequest,
        n: int,
        on_token: ManyTokenCallback | None = None,
        greedy_first: bool = False,
    ) -> list[Completion]:
        completions = self.inner.complete_many(request, n, on_token, greedy_first)
        self.completion_tokens += sum(c.completion_tokens for c in completions)
        return completions

    def complete_many_each(
        self,
        requests: Sequence[CompletionRequest],
        n: int,
        on_done: ManyDone,
        on_token: ManyTokenCallback | None = None,
    ) -> None:
        def counted(index: int, completions: list[Completion]) -> None:
            self.completion_tokens += sum(c.completion_tokens for c in completions)
            on_done(index, completions)

        complete_many_each(self.inner, requests, n, counted, on_token)

    def describe(self) -> dict[str, object]:
        return self.inner.describe()

    def close(self) -> None:
        self.inner.close()


def problem_path(problem: Problem) -> str:
    """The file name the stub is shown to the model under (as --fill shows the user's path)."""
    return f"{problem.entry_point}.py"


def completions_for(
    backend: Backend,
    prompt: PromptTemplate,
    problem: Problem,
    settings: Settings,
    strategy: str,
    n: int,
    *,
    workers: int | None = None,
    on_token: TokenCallback | None = None,
) -> list[tuple[str, str]]:
    """(completion, note) for each sample of ``problem``; an empty completion when codex
    produced nothing usable (it then fails its tests, as it should)."""
    found = _stub(problem)
    if isinstance(found, str):
        return [("", found)] * (n if strategy == "sample" else 1)
    source, target = found
    path = problem_path(problem)
    if strategy == "sample":
        request = fill_request(prompt, backend, source, path, target, settings)
        parse = fill_parser(source, target)
        return [
            _sampled(problem, source, target, c) for c in draw_candidates(backend, request, parse, n, on_token=on_token)
        ]
    if strategy == "greedy":
        settings = dataclasses.replace(settings, temperature=0.0)
    result = fill_stubs(
        lambda: backend,
        prompt,
        source,
        path,
        settings,
        only=[target.qualname],
        on_token=on_token,
        samples=1 if strategy == "greedy" else n,
        strategy=strategy,
        workers=workers,
    )
    outcome = next((o for o in result.outcomes if o.target.index == target.index), None)
    if isinstance(outcome, Filled) and result.changed:
        return [(completion_from(problem, result.after, outcome.value), outcome.reason or "filled")]
    return [("", outcome.reason if outcome is not None else "not filled")]


def _stub(problem: Problem) -> tuple[str, StubTarget] | str:
    """The problem's stub file and its entry point's stub, or why codex could not fill it."""
    source = stub_source(problem)
    try:
        targets = [t for t in find_stubs(source) if t.name == problem.entry_point]
    except Exception as exc:  # libcst cannot parse the prompt: codex could not fill it either
        return f"the prompt does not parse: {type(exc).__name__}"
    if not targets:
        return f"no stub function {problem.entry_point} in the prompt"
    return source, targets[-1]


def _sampled(problem: Problem, source: str, target: StubTarget, cand: Candidate[str]) -> tuple[str, str]:
    """(completion, note) of one sampled candidate."""
    if cand.value is None:
        return ("", f"did not parse: {cand.error}")
    filled = splice_body(source, target.index, cand.value)
    return (completion_from(problem, filled, cand.value), f"seed {cand.seed}")


def sample_problems(
    backend: Backend,
    prompt: PromptTemplate,
    problems: Sequence[Problem],
    settings: Settings,
    n: int,
    on_done: Callable[[int, list[tuple[str, str]]], None],
    on_token: TokenCallback | None = None,
) -> None:
    """Strategy ``sample`` for every problem at once: each problem's request is built as
    ``completions_for`` builds it (same seeds), all are decoded through ``complete_many_each``
    (llama.cpp: continuous batching across problems), and ``on_done(i, [(completion, note)])``
    follows as soon as problem i's samples are parsed (a problem with no stub at once)."""
    asked: list[tuple[int, str, StubTarget, CompletionRequest]] = []
    for index, problem in enumerate(problems):
        found = _stub(problem)
        if isinstance(found, str):
            on_done(index, [("", found)] * n)
            continue
        source, target = found
        request = fill_request(prompt, backend, source, problem_path(problem), target, settings)
        asked.append((index, source, target, candidate_request(backend, request)))

    def done(number: int, completions: list[Completion]) -> None:
        index, source, target, request = asked[number]
        cands = as_candidates(request, completions, fill_parser(source, target))
        on_done(index, [_sampled(problems[index], source, target, c) for c in cands])

    many: ManyTokenCallback | None = None if on_token is None else (lambda _i, text: on_token(text))
    complete_many_each(backend, [request for *_, request in asked], n, done, many)


def pass_at_ks(counts: Sequence[tuple[int, int]], ks: Sequence[int]) -> tuple[dict[int, float], tuple[int, ...]]:
    """pass@k for each k that every problem has enough samples for; the other ks."""
    if not counts:
        return {}, tuple(ks)
    fewest = min(n for n, _ in counts)
    done = {k: mean_pass_at_k(counts, k) for k in ks if k <= fewest}
    return done, tuple(k for k in ks if k > fewest)


def evaluate(
    backend: Backend,
    prompt: PromptTemplate,
    problems: Sequence[Problem],
    settings: Settings,
    *,
    strategy: str = "greedy",
    n: int = 1,
    ks: Sequence[int] = (1,),
    workers: int | None = None,
    limits: Limits = Limits(timeout_s=5.0),
    on_problem: Callable[[int, int, Problem], None] | None = None,
    on_token: TokenCallback | None = None,
    cross: bool = False,
) -> EvalReport:
    """Generate completions (the model is one process) while a pool of sandboxes judges finished
    ones, then compute pass@k. Problem by problem, except strategy ``sample`` with ``cross``:
    every problem's samples through ``sample_problems`` (decoded across problems where the
    backend can), each problem judged as soon as its samples are done and reported to
    ``on_problem`` then (in the order they finish)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}")
    n = 1 if strategy == "greedy" else n
    tally = TokenTally(backend)
    start = time.perf_counter()
    generate_seconds = 0.0
    judged: dict[int, list[tuple[str, str, Future[CheckResult]]]] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers or default_workers())) as pool:

        def judge(index: int, made: list[tuple[str, str]]) -> None:
            problem = problems[index]
            judged[index] = [(c, note, pool.submit(check_completion, problem, c, limits)) for c, note in made]

        if strategy == "sample" and cross:

            def finished(index: int, made: list[tuple[str, str]]) -> None:
                judge(index, made)
                if on_problem is not None:
                    on_problem(len(judged), len(problems), problems[index])

            sample_problems(tally, prompt, problems, settings, n, finished, on_token)
            generate_seconds = time.perf_counter() - start
        else:
            for number, problem in enumerate(problems, start=1):
                if on_problem is not None:
                    on_problem(number, len(problems), problem)
                began = time.perf_counter()
                made = completions_for(
                    tally, prompt, problem, settings, strategy, n, workers=workers, on_token=on_token
                )
                generate_seconds += time.perf_counter() - began
                judge(number - 1, made)
        samples = tuple(
            Sample(problems[i].task_id, completion, fut.result().passed, fut.result().result, note)
            for i in sorted(judged)
            for completion, note, fut in judged[i]
        )
    per_problem = n if strategy == "sample" else 1
    report = EvalReport(
        strategy, per_problem, len(problems), samples, {}, (), generate_seconds, 0.0, tally.completion_tokens
    )
    done, skipped = pass_at_ks(report.counts(), ks)
    return dataclasses.replace(report, pass_at_k=done, skipped_k=skipped, total_seconds=time.perf_counter() - start)
