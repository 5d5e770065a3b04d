"""`codex testgen`, one target: its candidate tests checked (run twice, then against mutants),
tests from synthesized inputs first, the model asked (with retries or samples), and the tests
that kill no mutant dropped. The task (tasks/testgen/run.py) calls ``target_report`` as its
``draw``; nothing here writes a file."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.errors import PromptTooLongError, TaskFailed
from codexcli.prompts import PromptTemplate
from codexcli.splice.tests import Merged, MergeFailed, bound_names, merge_tests, rename_function, unique_name
from codexcli.tasks.common import Attempt
from codexcli.tasks.testgen.more import ask, check_tests, mutant_sources, synthesized
from codexcli.tasks.testgen.observe import ObservedAssertion, observe_candidates
from codexcli.tasks.testgen.pytest_runner import PytestRun
from codexcli.tasks.testgen.request import CandidateTest, Target, fingerprints_of, module_names, parse_tests
from codexcli.tasks.testgen.synth import as_answer
from codexcli.tasks.testgen.tidy import PER_CLASS, def_name, parameter_names, tidy
from codexcli.tasks.testgen.types import REASONS, Dropped, KeptTest, TargetReport, TestgenJob


def merge(text: str, tests: list[KeptTest] | list[tuple[str, str, tuple[str, ...]]]) -> Merged:
    """``tests`` merged into the test file ``text`` (TaskFailed when they cannot be)."""
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


def baseline_run(job: TestgenJob) -> PytestRun:
    """Coverage of the module by the existing tests (or by importing it, when there are none)."""
    if job.baseline is None:
        job.baseline = job.runner.run(job.test_source, None, coverage=True)
    return job.baseline


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


@dataclass
class TargetCheck:
    """One target's candidate tests, checked: what was dropped and why, which mutants each kept
    test kills, the assertions whose expected value was observed, and the test file (``base``)
    the candidates are merged into."""

    job: TestgenJob
    target: Target
    base: str
    on_stage: Callable[[str], None]
    available: set[str] = field(init=False)
    known: set[str] = field(init=False)
    mutants: list[str] = field(init=False)
    candidates: int = 0
    dropped: list[Dropped] = field(default_factory=list)
    observed: dict[str, tuple[ObservedAssertion, ...]] = field(default_factory=dict)
    kills: dict[str, frozenset[int]] = field(default_factory=dict)  # test -> the mutants it failed against

    def __post_init__(self) -> None:
        self.available = module_names(self.job.module_source)
        self.known = fingerprints_of(self.base)
        self.mutants = mutant_sources(self.job.module_source, self.target, self.job.max_mutants)

    def verify(self, answer: str, observe: bool = True) -> list[KeptTest] | ParseError:
        """The answer's tests that pass twice (the rest dropped, with why), or why none did."""
        job = self.job
        tests = parse_tests(answer, job.module_name, self.available)
        if isinstance(tests, ParseError):
            return tests
        self.candidates += len(tests)
        runnable: list[CandidateTest] = []
        for t in tests:
            if not t.has_assertion:
                self.dropped.append(Dropped(t.name, "no-assertion", "the test checks nothing (no assert)"))
            elif t.fingerprint in self.known:
                self.dropped.append(Dropped(t.name, "duplicate", "the same as a test already in the file"))
            else:
                runnable.append(t)
        if not runnable:
            return ParseError("the tests do not check anything with assert, or repeat existing tests")
        if job.oracle == "observed" and observe:
            with job.timings.phase("observe"):
                runnable, seen = observe_candidates(runnable, job.runner, job.module_source)
            self.observed.update(seen)
        merged = merge_tests(self.base, [(t.name, t.code) for t in runnable], [i for t in runnable for i in t.imports])
        if isinstance(merged, MergeFailed):
            self.dropped.extend(Dropped(t.name, "error", merged.reason) for t in runnable)
            return ParseError(merged.reason)
        self.on_stage(f"running {len(runnable)} candidate test(s) twice, then against {len(self.mutants)} mutant(s)")
        return self.run(runnable, merged)

    def run(self, runnable: list[CandidateTest], merged: Merged) -> list[KeptTest] | ParseError:
        """Run the merged candidates twice and against the mutants; keep those passing both runs."""
        job = self.job
        passing: list[KeptTest] = []
        failures: list[str] = []
        started = time.perf_counter()
        checked = check_tests(job.runner, merged.text, list(merged.names), self.mutants)
        spent = time.perf_counter() - started
        job.timings.add("sandbox runs", spent - min(spent, checked.mutant_seconds))
        job.timings.add("mutants", min(spent, checked.mutant_seconds))
        for t, name in zip(runnable, merged.names):
            first, second = checked.runs[name]
            if t.name in self.observed and name != t.name:
                self.observed[name] = self.observed.pop(t.name)
            if first.passed and second.passed:
                passing.append(KeptTest(name, rename_function(t.code, t.name, name), t.imports))
                self.kills[name] = checked.kills[name]
                continue
            if first.passed:  # a test that passes only sometimes would make the suite flaky
                self.dropped.append(Dropped(name, "flaky", f"passed once, then {second.outcome}: {second.message}"))
                failures.append(f"{name} is flaky: {_first_line(second.message)}")
            else:
                reason = first.outcome if first.outcome in REASONS else "error"
                self.dropped.append(Dropped(name, reason, first.message))
                failures.append(f"{name} {first.outcome}: {_first_line(first.message)}")
        if not passing:
            return ParseError("none of the tests passed when run: " + "; ".join(failures[:3]))
        return passing

    def synthesize(self, working: str, retries: int) -> tuple[list[KeptTest], int]:
        """Tests from synthesized inputs first: they need no model, and when they already reach
        every line the existing tests miss, the model gets one attempt, not retries. Returns the
        kept ones and the retries left for the model."""
        self.on_stage("tests from synthesized inputs for the lines still uncovered")
        coverage = baseline_run(self.job).coverage
        with self.job.timings.phase("synthesized tests"):
            synth = synthesized(self.job.runner, self.job.module_source, self.target, coverage, working)
        extra: list[KeptTest] = []
        if synth:
            passed = self.verify(as_answer(synth), observe=False)  # their expected values are observed
            extra = [] if isinstance(passed, ParseError) else passed
        if extra and coverage is not None:
            reached = {n for t in synth if t.name in {k.name for k in extra} for n in t.lines}
            wanted = {n for n in coverage.missing if self.target.first_line <= n <= self.target.last_line}
            if wanted <= reached:
                retries = 0
            self.base = merge(working, extra).text
        return extra, retries

    def report(
        self, kept: list[KeptTest], extra: list[KeptTest], attempts: tuple[Attempt, ...], error: str | None
    ) -> TargetReport:
        """The target's report: the tests that kill no mutant dropped (unless one is all there is)."""
        target = self.target
        tokens = sum(a.completion_tokens for a in attempts)
        seconds = round(sum(a.seconds for a in attempts), 3)
        self.job.timings.add("model", seconds)
        kept = kept + extra
        if not kept:
            why = error or "no candidate test passed every check"
            return TargetReport(
                target, self.candidates, (), tuple(self.dropped), attempts=attempts, error=why,
                completion_tokens=tokens, model_seconds=seconds,
            )  # fmt: skip
        killed = 0
        if self.mutants:
            strong = [t for t in kept if self.kills.get(t.name)] or kept[:1]
            self.dropped += [
                Dropped(
                    t.name, "no-mutant-killed", f"passes against all {len(self.mutants)} mutants of {target.qualname}"
                )
                for t in kept
                if t not in strong
            ]
            kept = strong
            killed = len(frozenset().union(*(self.kills.get(t.name, frozenset()) for t in kept)))
        synthesized = {t.name for t in extra}
        checked = kept
        kept, sources = (
            readable(kept, target, self.base) if self.job.readable else (kept, {t.name: (t.name,) for t in kept})
        )
        # A kept test folded into a parametrized one still counts as kept; one whose only case
        # was one more of a kind already shown (tidy.PER_CLASS) is dropped, and said so.
        covered = {name for names in sources.values() for name in names}
        self.dropped += [
            Dropped(t.name, "same-class", f"its cases are of a kind already shown {PER_CLASS} times")
            for t in checked
            if t.name not in covered
        ]
        kills = {n: frozenset().union(*(self.kills.get(o, frozenset()) for o in old)) for n, old in sources.items()}
        observed = {n: tuple(a for o in old for a in self.observed.get(o, ())) for n, old in sources.items()}
        return TargetReport(
            target,
            self.candidates,
            tuple(kept),
            tuple(self.dropped),
            len(self.mutants),
            killed,
            {t.name: len(kills[t.name]) for t in kept},
            attempts,
            completion_tokens=tokens,
            model_seconds=seconds,
            observed={n: seen for n, seen in observed.items() if seen},
            synthesized=sum(1 for t in kept if synthesized & set(sources[t.name])),
            kept_candidates=sum(1 for t in checked if t.name in covered),
        )


def readable(kept: list[KeptTest], target: Target, base: str) -> tuple[list[KeptTest], dict[str, tuple[str, ...]]]:
    """The kept tests made readable (tasks/testgen/tidy.py: named from what they do, repeated
    cases parametrized, a few per equivalence class), each under a name the test file ``base``
    does not use; and for each, the kept tests it replaces. Only a function's tests: a method's
    call through its class instance stays as written."""
    if target.kind != "function" or not kept:
        return kept, {t.name: (t.name,) for t in kept}
    by_name = {t.name: t for t in kept}
    taken = bound_names(base) - set(by_name)
    out: list[KeptTest] = []
    sources: dict[str, tuple[str, ...]] = {}
    for t in tidy([(k.name, k.code) for k in kept], target.import_name, parameter_names(target.source)):
        name = unique_name(t.name, taken)
        taken.add(name)
        imports = [i for s in t.sources for i in by_name[s].imports] + (["import pytest"] if t.needs_pytest else [])
        out.append(KeptTest(name, rename_function(t.code, def_name(t.code), name), tuple(dict.fromkeys(imports))))
        sources[name] = t.sources
    return out, sources


def target_report(
    backend: Backend,
    request: CompletionRequest,
    prompt: PromptTemplate,
    check: TargetCheck,
    working: str,
    retries: int,
    on_token: TokenCallback | None,
) -> TargetReport:
    """Tests for one target: synthesized ones first (when the job asks for them), then the
    model's (``request``, with retries or samples), each checked by ``check``."""
    extra: list[KeptTest] = []
    if check.job.synthesize:
        extra, retries = check.synthesize(working, retries)
    check.on_stage("asking the model")
    try:
        attempts, kept, error = ask(
            backend,
            request,
            check.verify,
            samples=check.job.samples,
            retries=retries,
            prompt=prompt,
            target=check.target,
            on_token=on_token,
        )
    except PromptTooLongError as exc:
        if not extra:
            return TargetReport(check.target, 0, (), (), error=exc.message)
        attempts, kept, error = (), [], exc.message
    return check.report(kept, extra, attempts, error)
