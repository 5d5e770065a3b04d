"""What `codex optimize` decides and reports: options, candidates, per-function reports (each
the ``detail`` of a pipeline outcome). Kept apart from tasks/optimize/run.py, which does the
asking, checking and timing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codexcli.tasks.optimize.effects import Readability
from codexcli.tasks.optimize.targets import Target


@dataclass(frozen=True)
class OptimizeOptions:
    """How hard to try and what counts as better."""

    samples: int = 3
    min_speedup: float = 1.1
    objective: str = "speed"  # "speed" | "readability"
    allow_side_effects: bool = False
    sizes: tuple[int, ...] = (10, 100, 1000)
    repeats: int = 7
    max_cases: int = 24
    random_cases: int = 16  # drawn with Hypothesis from the type hints, on top of max_cases
    test_sources: tuple[str, ...] = ()
    copy_from: Path | None = None
    per_case_timeout_s: float = 2.0
    # Ask the model for example calls when no input comes from the code (no doctest, test call
    # or type hint); each is kept only if it runs on the original.
    model_inputs: bool = True
    # Candidates from the rewrite rules (tasks/optimize/rules) beside the model's answers.
    rules: bool = True
    # One rule by name: only its candidate, and the model is asked to apply it too.
    rule: str | None = None


@dataclass(frozen=True)
class Candidate:
    """One rewrite and what became of it. ``status``: accepted | rejected | equal (behaved the
    same and was timed, but another one won)."""

    number: int
    status: str
    reason: str = ""
    kind: str = ""  # why rejected: unusable, same, side effects, different return value, ... slower
    body: str | None = None
    speedup: float | None = None  # median per-round ratio at the biggest input size
    speedup_low: float | None = None  # its lower quartile: must reach min_speedup
    scaling: tuple[tuple[str, float | None], ...] = ()
    readability: Readability | None = None
    origin: str = "model"  # "model" or "rule:<name>" (tasks/optimize/rules)


@dataclass(frozen=True)
class FunctionReport:
    """The outcome for one function: ``status`` is optimized | kept original | skipped."""

    target: Target
    status: str
    reason: str = ""
    candidates: tuple[Candidate, ...] = ()
    cases: int = 0
    readability: Readability | None = None
    inputs: tuple[tuple[str, int], ...] = ()  # how many inputs came from where ("model", "inferred", ...)

    @property
    def accepted(self) -> Candidate | None:
        return next((c for c in self.candidates if c.status == "accepted"), None)


@dataclass(frozen=True)
class Rewrite:
    """One sampled answer: the new body and the whole file with it spliced in, or why unusable."""

    number: int
    body: str | None
    module: str | None
    problem: str = ""
    origin: str = "model"  # "model" or "rule:<name>"
