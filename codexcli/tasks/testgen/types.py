"""What `codex testgen` decides and reports: the job, why a candidate test was dropped, the tests
kept, each target's report (the ``detail`` of a pipeline outcome) and the run's facts. Kept
apart from tasks/testgen/target.py (one target) and tasks/testgen/run.py (the task)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from codexcli.evidence import Evidence
from codexcli.tasks.common import Attempt
from codexcli.tasks.pipeline import Done, Outcome, Skipped
from codexcli.tasks.testgen.coverage_figures import Coverage
from codexcli.tasks.testgen.observe import ObservedAssertion
from codexcli.tasks.testgen.pytest_runner import PytestRun, PytestRunner
from codexcli.tasks.testgen.request import AnyTarget, Target
from codexcli.tasks.testgen.timings import Timings

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
    "same-class",  # readable tests (tidy.py): more cases of one kind than are shown
    # other languages (tasks/testgen/native/): a call whose test would add no covered line, or
    # whose result has no literal to assert
    "adds-no-coverage",
    "unwritable",
    "does-not-compile",  # javac or tsc rejects the call (a literal of the wrong type)
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

    target: AnyTarget
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
    synthesized: int = 0  # kept tests written from inputs codex made up (synth.py)
    # candidate tests kept, before readable tests fold several into one parametrized test:
    # candidates == kept_candidates + dropped
    kept_candidates: int = 0

    def dropped_by_reason(self) -> dict[str, int]:
        """How many candidates were dropped for each of REASONS."""
        return dict(Counter(d.reason for d in self.dropped))

    @property
    def evidence(self) -> Evidence:
        """Kept tests are "reference" evidence: they ran against the code itself and pass (alone,
        twice, and merged with the file's tests); the facts say where their expected values came
        from, what mutants they kill and the coverage they add."""
        n = len(self.kept)
        observed = sum(1 for t in self.kept if self.observed.get(t.name))
        if observed:
            facts = f"expected values observed from the code ({observed} of {n} tests)"
        else:
            facts = "expected values as written, confirmed by running the code"
        facts += f"; {n} test(s) pass"
        if self.mutants:
            facts += f"; kill {self.mutants_killed} of {self.mutants} mutants"
        before, after = self.coverage_before, self.coverage_after
        if before is not None and after is not None:
            added = after.lines_covered - before.lines_covered
            facts += f"; adds coverage: {before.percent:.0f}% -> {after.percent:.0f}% ({added:+d} lines)"
        return Evidence("reference", facts)

    @property
    def outcome(self) -> Outcome:
        """This report as the pipeline's outcome: Done (status "tested", the kept tests as its
        value) when a test was kept, else Skipped with why; the report is the ``detail``."""
        if self.kept:
            return Done(self.target, self.kept, self.attempts, status="tested", detail=self, evidence=self.evidence)
        if self.error is not None:
            why = self.error
        else:
            dropped = ", ".join(f"{k} {v}" for k, v in sorted(self.dropped_by_reason().items()))
            why = "no candidate test passed every check" + (f" (dropped: {dropped})" if dropped else "")
        return Skipped(self.target, why, self.attempts, detail=self)


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
    readable: bool = True  # kept tests renamed from what they do, repeated cases parametrized (tidy.py)
    timings: Timings = field(default_factory=Timings)

    @property
    def module_name(self) -> str:
        return self.runner.layout.module_name


@dataclass(frozen=True)
class TestgenFacts:
    """What a testgen run reports besides its targets (``EditResult.facts``): the test file's
    total coverage of the module before and after, and where the time went."""

    __test__ = False

    coverage_before: Coverage | None
    coverage_after: Coverage | None
    timings: dict[str, Any] | None = None
