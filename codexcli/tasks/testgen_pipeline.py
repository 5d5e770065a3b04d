"""`codex testgen`, the pipeline: ask, run, filter, mutate, measure, merge.

For each target: the model's tests are merged into (a copy of) the test file and run with
pytest in the sandbox. Tests that fail are fed back to the model (capped retries); tests that
pass are run a second time (flaky ones go), then against mutants of the target (tests that
kill none go, unless one is all there is). What survives is merged for real, the whole file is
run once more (a test that only passes alone goes), and coverage before/after is measured.
Nothing here writes a file: the caller gets the new text and decides.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, TokenCallback
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError, TaskFailed
from codexcli.prompts import PromptTemplate
from codexcli.splice.tests import Merged, MergeFailed, merge_tests, rename_function
from codexcli.tasks.common import Attempt
from codexcli.tasks.pipeline import Done, EditResult, Outcome, Skipped
from codexcli.tasks.testgen import (
    CandidateTest,
    Target,
    build_request,
    existing_examples,
    fingerprints_of,
    module_imports,
    module_names,
    parse_tests,
)
from codexcli.tasks.testgen_more import ask, check_tests, mutant_sources, synthesized
from codexcli.tasks.testgen_observe import ObservedAssertion, observe_candidates
from codexcli.tasks.testgen_synth import as_answer
from codexcli.tasks.timings import Timings
from codexcli.verify.coverage_figures import Coverage, FileCoverage
from codexcli.verify.pytest_runner import CaseOutcome, PytestRun, PytestRunner

# Why a candidate test was not kept (the keys of "dropped" in reports).
REASONS = (
    "failed",
    "error",
    "timeout",
    "skipped",
    "no-assertion",
    "duplicate",
    "flaky",
    "no-mutant-killed",
    "failed-together",
)

StageCallback = Callable[[Target, int, int, str], None]


@dataclass(frozen=True)
class Dropped:
    """A candidate test that was not kept, and why."""

    name: str
    reason: str  # one of REASONS
    detail: str = ""


@dataclass(frozen=True)
class KeptTest:
    """A test that passed every check, under its final name in the test file."""

    name: str
    code: str
    imports: tuple[str, ...]


@dataclass(frozen=True)
class TargetReport:
    """What happened for one function/method/class."""

    target: Target
    candidates: int
    kept: tuple[KeptTest, ...]
    dropped: tuple[Dropped, ...]
    mutants: int = 0
    mutants_killed: int = 0
    kills: Mapping[str, int] = field(default_factory=dict)
    attempts: tuple[Attempt, ...] = ()  # the model's answers and why each was rejected
    error: str | None = None  # why no test was kept at all, when the model never got there
    completion_tokens: int = 0  # what the model wrote over all attempts
    model_seconds: float = 0.0
    coverage_before: Coverage | None = None
    coverage_after: Coverage | None = None
    # test name -> assertions whose expected value was observed (run in the sandbox), not written
    observed: Mapping[str, tuple[ObservedAssertion, ...]] = field(default_factory=dict)
    synthesized: int = 0  # kept tests written from inputs codex made up (testgen_synth)

    def dropped_by_reason(self) -> dict[str, int]:
        """How many candidates were dropped for each of REASONS."""
        return dict(Counter(d.reason for d in self.dropped))

    @property
    def outcome(self) -> Outcome:
        """This report as the pipeline's outcome: Done (status "tested", the kept tests as its
        value) when a test was kept, else Skipped with why; the report is the ``detail``."""
        if self.kept:
            return Done(self.target, self.kept, self.attempts, status="tested", detail=self)
        if self.error is not None:
            why = self.error
        else:
            dropped = ", ".join(f"{k} {v}" for k, v in sorted(self.dropped_by_reason().items()))
            why = "no candidate test passed every check" + (f" (dropped: {dropped})" if dropped else "")
        return Skipped(self.target, why, self.attempts, detail=self)


def kept_tests(result: EditResult) -> int:
    """How many generated tests ``result`` (from generate_tests) adds to the test file."""
    return sum(len(report.kept) for report in result.details)


@dataclass
class TestgenJob:
    """The module under test, its test file, and the runner that tests them."""

    __test__ = False

    runner: PytestRunner
    module_source: str
    module_path: str  # for prompts and messages
    test_source: str
    max_mutants: int = 6
    baseline: PytestRun | None = None
    oracle: str = "observed"  # "observed": expected values from running the code; "model": as written
    synthesize: bool = True  # add tests from synthesized inputs for lines the existing tests miss
    samples: int = 1  # answers drawn per target; the one with the most passing tests is used
    timings: Timings = field(default_factory=Timings)

    @property
    def module_name(self) -> str:
        return self.runner.layout.module_name


def _merge(text: str, tests: list[KeptTest] | list[tuple[str, str, tuple[str, ...]]]) -> Merged:
    pairs = [(t.name, t.code) if isinstance(t, KeptTest) else (t[0], t[1]) for t in tests]
    imports: list[str] = []
    for t in tests:
        for statement in t.imports if isinstance(t, KeptTest) else t[2]:
            if statement not in imports:
                imports.append(statement)
    merged = merge_tests(text, pairs, imports)
    if isinstance(merged, MergeFailed):
        raise TaskFailed(f"cannot merge the tests into the test file: {merged.reason}")
    return merged


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _test_target(
    backend: Backend,
    prompt: PromptTemplate,
    job: TestgenJob,
    target: Target,
    working: str,
    settings: Settings,
    on_stage: Callable[[str], None],
    on_token: TokenCallback | None,
) -> TargetReport:
    available = module_names(job.module_source)
    known = fingerprints_of(working)
    dropped: list[Dropped] = []
    counted = {"candidates": 0}
    observed: dict[str, tuple[ObservedAssertion, ...]] = {}
    mutants = mutant_sources(job.module_source, target, job.max_mutants)
    kills: dict[str, frozenset[int]] = {}  # test -> the mutants it failed against
    base = {"text": working}  # the test file the candidates are merged into

    def verify(answer: str, observe: bool = True) -> list[KeptTest] | ParseError:
        tests = parse_tests(answer, job.module_name, available)
        if isinstance(tests, ParseError):
            return tests
        counted["candidates"] += len(tests)
        runnable: list[CandidateTest] = []
        for t in tests:
            if not t.has_assertion:
                dropped.append(Dropped(t.name, "no-assertion", "the test checks nothing (no assert)"))
            elif t.fingerprint in known:
                dropped.append(Dropped(t.name, "duplicate", "the same as a test already in the file"))
            else:
                runnable.append(t)
        if not runnable:
            return ParseError("the tests do not check anything with assert, or repeat existing tests")
        if job.oracle == "observed" and observe:
            with job.timings.phase("observe"):
                runnable, seen = observe_candidates(runnable, job.runner, job.module_source)
            observed.update(seen)
        merged = merge_tests(
            base["text"], [(t.name, t.code) for t in runnable], [i for t in runnable for i in t.imports]
        )
        if isinstance(merged, MergeFailed):
            dropped.extend(Dropped(t.name, "error", merged.reason) for t in runnable)
            return ParseError(merged.reason)
        on_stage(f"running {len(runnable)} candidate test(s) twice, then against {len(mutants)} mutant(s)")
        passing: list[KeptTest] = []
        failures: list[str] = []
        started = time.perf_counter()
        checked = check_tests(job.runner, merged.text, list(merged.names), mutants)
        spent = time.perf_counter() - started
        job.timings.add("sandbox runs", spent - min(spent, checked.mutant_seconds))
        job.timings.add("mutants", min(spent, checked.mutant_seconds))
        for t, name in zip(runnable, merged.names):
            first, second = checked.runs[name]
            if t.name in observed and name != t.name:
                observed[name] = observed.pop(t.name)
            if first.passed and second.passed:
                passing.append(KeptTest(name, rename_function(t.code, t.name, name), t.imports))
                kills[name] = checked.kills[name]
                continue
            if first.passed:  # a test that passes only sometimes would make the suite flaky
                dropped.append(Dropped(name, "flaky", f"passed once, then {second.outcome}: {second.message}"))
                failures.append(f"{name} is flaky: {_first_line(second.message)}")
            else:
                dropped.append(Dropped(name, first.outcome if first.outcome in REASONS else "error", first.message))
                failures.append(f"{name} {first.outcome}: {_first_line(first.message)}")
        if not passing:
            return ParseError("none of the tests passed when run: " + "; ".join(failures[:3]))
        return passing

    # Tests from synthesized inputs first: they need no model, and when they already reach
    # every line the existing tests miss, the model gets one attempt, not retries.
    extra: list[KeptTest] = []
    retries = settings.retries
    if job.synthesize:
        on_stage("tests from synthesized inputs for the lines still uncovered")
        coverage = baseline_run(job).coverage
        with job.timings.phase("synthesized tests"):
            synth = synthesized(job.runner, job.module_source, target, coverage, working)
        if synth:
            passed = verify(as_answer(synth), observe=False)  # their expected values are observed
            extra = [] if isinstance(passed, ParseError) else passed
        if extra and coverage is not None:
            reached = {n for t in synth if t.name in {k.name for k in extra} for n in t.lines}
            wanted = {n for n in coverage.missing if target.first_line <= n <= target.last_line}
            if wanted <= reached:
                retries = 0
            base["text"] = _merge(working, extra).text

    on_stage("asking the model")
    request = build_request(
        prompt,
        settings,
        module_name=job.module_name,
        path=job.module_path,
        imports=module_imports(job.module_source),
        target=target,
        examples=existing_examples(working, target),
    )
    try:
        attempts, kept, error = ask(
            backend,
            request,
            verify,
            samples=job.samples,
            retries=retries,
            prompt=prompt,
            target=target,
            on_token=on_token,
        )
    except PromptTooLongError as exc:
        if not extra:
            return TargetReport(target, 0, (), (), error=exc.message)
        attempts, kept, error = (), [], exc.message
    tokens = sum(a.completion_tokens for a in attempts)
    seconds = round(sum(a.seconds for a in attempts), 3)
    job.timings.add("model", seconds)
    kept = kept + extra
    if not kept:
        return TargetReport(
            target,
            counted["candidates"],
            (),
            tuple(dropped),
            attempts=attempts,
            error=error or "no candidate test passed every check",
            completion_tokens=tokens,
            model_seconds=seconds,
        )
    killed = 0
    if mutants:
        strong = [t for t in kept if kills.get(t.name)] or kept[:1]
        dropped += [
            Dropped(t.name, "no-mutant-killed", f"passes against all {len(mutants)} mutants of {target.qualname}")
            for t in kept
            if t not in strong
        ]
        kept = strong
        killed = len(frozenset().union(*(kills.get(t.name, frozenset()) for t in kept)))
    return TargetReport(
        target,
        counted["candidates"],
        tuple(kept),
        tuple(dropped),
        len(mutants),
        killed,
        {t.name: len(kills.get(t.name, ())) for t in kept},
        attempts,
        completion_tokens=tokens,
        model_seconds=seconds,
        observed={t.name: observed[t.name] for t in kept if t.name in observed},
        synthesized=sum(1 for t in kept if t in extra),
    )


def baseline_run(job: TestgenJob) -> PytestRun:
    """Coverage of the module by the existing tests (or by importing it, when there are none)."""
    if job.baseline is None:
        job.baseline = job.runner.run(job.test_source, None, coverage=True)
    return job.baseline


def _with_coverage(report: TargetReport, before: FileCoverage | None, after: FileCoverage | None) -> TargetReport:
    t = report.target
    return replace(
        report,
        coverage_before=before.within(t.first_line, t.last_line) if before else None,
        coverage_after=after.within(t.first_line, t.last_line) if after else None,
    )


def generate_tests(
    backend: Backend,
    prompt: PromptTemplate,
    job: TestgenJob,
    targets: list[Target],
    settings: Settings,
    *,
    on_stage: StageCallback | None = None,
    on_token: TokenCallback | None = None,
) -> EditResult:
    """Write, verify and merge tests for each target; return the test file before and after,
    one outcome per target (``detail``: its TargetReport) and the file's total coverage before
    and after (``facts["coverage_before"]``, ``facts["coverage_after"]``)."""
    with job.timings.phase("coverage"):
        before_cov = baseline_run(job).coverage
    working = job.test_source
    reports: list[TargetReport] = []
    for number, target in enumerate(targets, start=1):

        def stage(text: str, target: Target = target, number: int = number) -> None:
            if on_stage is not None:
                on_stage(target, number, len(targets), text)

        report = _test_target(backend, prompt, job, target, working, settings, stage, on_token)
        if report.kept:
            working = _merge(working, list(report.kept)).text
        reports.append(report)

    after_cov = before_cov
    # All kept tests together, with the existing ones: a test that passed alone but fails in
    # company (shared state, order) is dropped, and the rest are run again.
    for _round in range(3):
        kept = [t for r in reports for t in r.kept]
        if not kept:
            working = job.test_source
            break
        working = _merge(job.test_source, kept).text
        if on_stage is not None:
            on_stage(targets[-1], len(targets), len(targets), "running the merged test file with coverage")
        with job.timings.phase("coverage"):
            final = job.runner.run(working, None, coverage=True)
        failing = {t.name: final.outcome(t.name) for t in kept if not final.outcome(t.name).passed}
        if not failing:
            after_cov = final.coverage
            break
        reports = [_drop_failing(r, failing) for r in reports]
    else:
        working = job.test_source  # never settled: write nothing rather than a failing file
        reports = [_drop_all(r) for r in reports]
    reports = [_with_coverage(r, before_cov, after_cov) for r in reports]
    job.timings.add_cpu("cpu pytest sandboxes", job.runner.cpu_seconds)
    return EditResult(
        job.test_source,
        working,
        tuple(r.outcome for r in reports),
        model_calls=sum(len(r.attempts) for r in reports),
        facts={
            "coverage_before": before_cov.total() if before_cov else None,
            "coverage_after": after_cov.total() if after_cov else None,
            "timings": job.timings.as_dict(),
        },
    )


def _drop_failing(report: TargetReport, failing: Mapping[str, CaseOutcome]) -> TargetReport:
    gone = [t for t in report.kept if t.name in failing]
    if not gone:
        return report
    return replace(
        report,
        kept=tuple(t for t in report.kept if t.name not in failing),
        dropped=report.dropped + tuple(Dropped(t.name, "failed-together", failing[t.name].message) for t in gone),
    )


def _drop_all(report: TargetReport) -> TargetReport:
    return replace(
        report,
        kept=(),
        dropped=report.dropped
        + tuple(
            Dropped(t.name, "failed-together", "the merged test file never passed as a whole") for t in report.kept
        ),
    )
