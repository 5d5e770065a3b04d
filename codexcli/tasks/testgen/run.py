"""`codex testgen`, the pipeline: ask, run, filter, mutate, measure, merge.

For each target: the model's tests are merged into (a copy of) the test file and run with
pytest in the sandbox. Tests that fail are fed back to the model (capped retries); tests that
pass are run a second time (flaky ones go), then against mutants of the target (tests that
kill none go, unless one is all there is). What survives is merged for real, the whole file is
run once more (a test that only passes alone goes), and coverage before/after is measured.
Nothing here writes a file: the caller gets the new text and decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.config import Settings
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import Spliced
from codexcli.tasks.pipeline import (
    DECLINED,
    EditResult,
    Outcome,
    Skipped,
    TaskHooks,
    hold_back,
    run_task,
    splice_outcomes,
)
from codexcli.tasks.testgen.coverage_figures import FileCoverage
from codexcli.tasks.testgen.pytest_runner import CaseOutcome
from codexcli.tasks.testgen.request import Target, build_request, existing_examples, module_imports
from codexcli.tasks.testgen.target import TargetCheck, baseline_run, merge, target_report
from codexcli.tasks.testgen.types import (
    REASONS,
    Dropped,
    KeptTest,
    StageCallback,
    TargetReport,
    TestgenFacts,
    TestgenJob,
)

__all__ = [
    "REASONS",
    "Dropped",
    "KeptTest",
    "TargetReport",
    "TestgenFacts",
    "TestgenJob",
    "TestgenTask",
    "baseline_run",
    "generate_tests",
    "kept_tests",
]


def kept_tests(result: EditResult[TestgenFacts]) -> int:
    """How many generated tests ``result`` (from generate_tests) adds to the test file: none of
    a target declined at the --interactive prompt."""
    return sum(len(o.detail.kept) for o in result.outcomes if o.status != DECLINED)


@dataclass(frozen=True)
class TestgenTask(TaskHooks):
    """testgen in the pipeline's shape (tasks/pipeline.py): the kept tests of each target,
    merged into the test file. ``draw`` writes and checks one target's tests
    (tasks/testgen/target.py); ``record`` merges them into the file the next target's tests
    run with; ``finish`` runs the merged file and measures coverage."""

    __test__ = False

    prompt: PromptTemplate
    job: TestgenJob
    settings: Settings
    targets: tuple[Target, ...]
    before: FileCoverage | None  # the existing tests' coverage of the module
    on_stage: StageCallback | None = None
    on_token: TokenCallback | None = None
    # [the test file with the tests kept so far]; each target's checker
    working: list[str] = field(default_factory=list, compare=False)
    checks: dict[int, TargetCheck] = field(default_factory=dict, compare=False)
    threshold: str | None = None  # the write threshold (codexcli/evidence.py); kept tests are "reference"

    done_status = "tested"

    def key(self, target: Target) -> int:
        """The target's place among the targets (the tests are merged in that order)."""
        return self.targets.index(target)

    def stage(self, target: Target, text: str) -> None:
        if self.on_stage is not None:
            number = self.key(target) + 1
            self.on_stage(target, number, len(self.targets), text)

    def request(self, backend: Backend, target: Target) -> CompletionRequest:
        job, working = self.job, self.working[0]
        return build_request(
            self.prompt,
            self.settings,
            module_name=job.module_name,
            path=job.module_path,
            imports=module_imports(job.module_source),
            target=target,
            examples=existing_examples(working, target),
        )

    def check(self, target: Target, answer: str) -> Any:
        return self.checks[self.key(target)].verify(answer)

    def feedback(self, target: Target, reason: str) -> str:
        return self.prompt.retry(reason, qualname=target.qualname)

    def draw(self, backend: Backend, request: CompletionRequest, target: Target) -> Outcome:
        """The target's report (tasks/testgen/target.py) as its outcome."""
        working = self.working[0]
        check = self.checks[self.key(target)] = TargetCheck(
            self.job, target, working, lambda text: self.stage(target, text)
        )
        report = target_report(backend, request, self.prompt, check, working, self.settings.retries, self.on_token)
        return report.outcome

    def record(self, outcome: Outcome) -> None:
        """The target's kept tests join the file the next target's tests run with."""
        if outcome.detail.kept:
            self.working[0] = merge(self.working[0], list(outcome.detail.kept)).text

    def splice(self, source: str, values: Mapping[int, Sequence[KeptTest]]) -> Spliced:
        return Spliced(merge(source, [t for kept in values.values() for t in kept]).text)

    def finish(self, result: EditResult[TestgenFacts]) -> EditResult[TestgenFacts]:
        """All kept tests together, with the existing ones: a test that passed alone but fails
        in company (shared state, order) is dropped, and the rest are run again (three rounds
        at most; never settled: nothing is written). Then each target's coverage before and
        after."""
        job, source = self.job, self.job.test_source
        reports: list[TargetReport] = list(result.details)
        working, after_cov = source, self.before
        for round_ in range(3):
            kept = [t for r in reports for t in r.kept]
            if not kept:
                working = source
                break
            # The first round's file is the one run_task spliced; later rounds splice again.
            outcomes = [r.outcome for r in reports]
            working = result.after if round_ == 0 else splice_outcomes(self, source, outcomes, 0, None).after
            if self.on_stage is not None:
                self.on_stage(
                    self.targets[-1], len(self.targets), len(self.targets), "running the merged test file with coverage"
                )
            with job.timings.phase("coverage"):
                final = job.runner.run(working, None, coverage=True)
            failing = {t.name: final.outcome(t.name) for t in kept if not final.outcome(t.name).passed}
            if not failing:
                after_cov = final.coverage
                break
            reports = [_drop_failing(r, failing) for r in reports]
        else:
            working = source  # never settled: write nothing rather than a failing file
            reports = [_drop_all(r) for r in reports]
        reports = [_with_coverage(r, self.before, after_cov) for r in reports]
        job.timings.add_cpu("cpu pytest sandboxes", job.runner.cpu_seconds)
        facts = TestgenFacts(
            self.before.total() if self.before else None,
            after_cov.total() if after_cov else None,
            job.timings.as_dict(),
        )
        done = [r.outcome for r in reports]
        if self.threshold is not None:
            done = [_as_code(o) for o in hold_back(done, self.threshold)]
            if any(isinstance(o, Skipped) and o.candidate is not None for o in done):
                working = splice_outcomes(self, source, done, 0, None).after
        return EditResult(source, working, tuple(done), model_calls=sum(len(r.attempts) for r in reports), facts=facts)


def _as_code(outcome: Outcome) -> Outcome:
    """A held-back target with its tests' code as the candidate (what --json shows)."""
    if isinstance(outcome, Skipped) and isinstance(outcome.candidate, tuple):
        return replace(outcome, candidate="\n\n".join(t.code for t in outcome.candidate))
    return outcome


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
    threshold: str | None = None,
) -> EditResult[TestgenFacts]:
    """Write, verify and merge tests for each target (TestgenTask, through the pipeline's
    ``run_task``); return the test file before and after, one outcome per target (``detail``:
    its TargetReport) and TestgenFacts (the file's total coverage before and after)."""
    with job.timings.phase("coverage"):
        before = baseline_run(job).coverage
    task = TestgenTask(
        prompt, job, settings, tuple(targets), before, on_stage, on_token, [job.test_source], threshold=threshold
    )
    return run_task(task, job.test_source, targets, lambda: backend, retries=settings.retries, draw=task.draw)


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
