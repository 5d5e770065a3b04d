"""`codex testgen` for JavaScript and Java, in the pipeline's shape (tasks/pipeline.py).

Per target (a function or method, targets.py): calls made up by codex from its parameters
come first, then the model's calls (prompts/testgen_calls.toml, with retries fed the reason).
Every call runs in the sandbox against a probed copy of the module (runner.observe): what it
returned or threw, and the lines it ran. The calls that reach lines nothing covers yet (the
existing tests, the tests kept so far) are written as tests by the language's runner, with the
observed values as expectations, and run twice by the real test runner (node --test, JUnit 5);
the tests that pass both times are kept. ``finish`` runs the whole test file once more and
reports coverage before and after, per target and in total (probed statement lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from codexcli.answers import ParseError
from codexcli.backends.base import Backend, CompletionRequest, TokenCallback
from codexcli.config import Settings
from codexcli.languages import get as language_entry
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import Spliced
from codexcli.tasks.common import task_request
from codexcli.tasks.native.calls import Call, codex_calls
from codexcli.tasks.native.probes import Probed
from codexcli.tasks.native.runner import Observed
from codexcli.tasks.native.targets import CallTarget
from codexcli.tasks.pipeline import EditResult, Outcome, TaskHooks, run_task
from codexcli.tasks.testgen.coverage_figures import FileCoverage
from codexcli.tasks.testgen.more import ask
from codexcli.tasks.testgen.native.answers import answer_calls
from codexcli.tasks.testgen.native.runner import Runner, TestRun
from codexcli.tasks.testgen.types import Dropped, KeptTest, TargetReport, TestgenFacts


def coverage(run: TestRun, lines: frozenset[int]) -> FileCoverage:
    """The probed lines a run covered and missed (statement lines; no branch figures)."""
    return FileCoverage(run.lines & lines, lines - run.lines, frozenset(), frozenset())


@dataclass
class Checked:
    """One target's calls so far: how many, which were dropped and why, which were tried."""

    candidates: int = 0
    dropped: list[Dropped] = field(default_factory=list)
    tried: set[tuple[str, ...]] = field(default_factory=set)
    codex: set[str] = field(default_factory=set)  # titles of kept tests from codex's own calls


@dataclass
class NativeTask(TaskHooks):
    """testgen for a language with ``TestRules``: see the module docstring."""

    __test__ = False

    prompt: PromptTemplate
    runner: Runner
    language: str
    settings: Settings
    targets: tuple[CallTarget, ...]
    existing: str
    before: TestRun
    synthesize: bool = True
    on_stage: Callable[[CallTarget, str], None] | None = None
    on_token: TokenCallback | None = None
    covered: set[int] = field(default_factory=set)
    kept: list[KeptTest] = field(default_factory=list)  # every target's kept tests, in order

    done_status = "tested"

    def __post_init__(self) -> None:
        self.covered |= self.before.lines

    def key(self, target: CallTarget) -> int:
        return self.targets.index(target)

    def stage(self, target: CallTarget, text: str) -> None:
        if self.on_stage is not None:
            self.on_stage(target, text)

    def request(self, backend: Backend, target: CallTarget) -> CompletionRequest:
        entry = language_entry(self.language)
        call = f"{target.owner}.{target.name}" if target.owner and target.static else target.name
        if target.owner and not target.static:
            call = f"new {target.owner}().{target.name}"
        messages, prefill = self.prompt.render(
            language=entry.display,
            fence=entry.fence,
            path=Path(self.runner_module()).name,
            source=target.source.rstrip("\n"),
            qualname=target.qualname,
            call=call,
            count=str(max(3, min(8, 2 * len(target.params) + 2))),
            first=f"{call}({', '.join(self.shown(target).args)})",
        )
        return task_request(messages, prefill, self.prompt, self.settings)

    def shown(self, target: CallTarget) -> Call:
        """The call of codex's that the prompt starts with (it shows the model the shape)."""
        return codex_calls(target, self.language, 3)[-1]

    def runner_module(self) -> str:
        return str(getattr(self.runner, "module", ""))

    def check(self, target: CallTarget, answer: str) -> Any:
        return self.verify(target, answer_calls(answer, target, self.language), Checked())

    def feedback(self, target: CallTarget, reason: str) -> str:
        return self.prompt.retry(reason, qualname=target.qualname)

    def verify(self, target: CallTarget, calls: Sequence[Call], checked: Checked) -> list[KeptTest] | ParseError:
        """The calls' tests that reach new lines and pass twice, or why there are none."""
        calls = [c for c in calls if c.args not in checked.tried]
        if not calls:
            return ParseError(
                f"no new call of `{target.name}` with literal arguments (one per line, like `{target.name}(1, 'a')`)"
            )
        checked.tried |= {c.args for c in calls}
        checked.candidates += len(calls)
        self.stage(target, f"running {len(calls)} call(s) in the sandbox")
        seen = self.runner.observe(target, calls)
        picked = self.pick(target, calls, seen, checked)
        if not picked:
            return ParseError(f"none of the {len(calls)} calls reached a line of `{target.name}` not yet tested")
        self.stage(target, f"running {len(picked)} test(s) twice with the real runner")
        trial = self.runner.file_text(self.existing, [*self.kept, *[t for t, _ in picked]])
        first = self.runner.run(trial, twice=True)
        if first.error:
            checked.dropped += [Dropped(t.name, "error", first.error) for t, _ in picked]
            return ParseError(first.error)
        kept: list[KeptTest] = []
        for test, call in picked:
            if first.ok(test.name):
                kept.append(test)
                if call.origin == "codex":
                    checked.codex.add(test.name)
            elif test.name in first.flaky:
                checked.dropped.append(Dropped(test.name, "flaky", "passed once, then failed"))
            else:
                checked.dropped.append(Dropped(test.name, "failed", first.messages.get(test.name, "did not pass")))
        if not kept:
            return ParseError(
                "the tests of those calls did not pass: " + "; ".join(d.detail[:80] for d in checked.dropped[-2:])
            )
        self.covered |= first.lines
        self.kept += kept
        return kept

    def pick(
        self, target: CallTarget, calls: Sequence[Call], seen: Sequence[Observed], checked: Checked
    ) -> list[tuple[KeptTest, Call]]:
        """Greedily, the calls that add the most lines not yet covered, each as a test."""
        lines = self.runner.probed.lines
        covered = set(self.covered)
        taken = {t.name for t in self.kept}
        tests: dict[int, KeptTest] = {}
        for i, (call, obs) in enumerate(zip(calls, seen)):
            test = self.runner.test(target, call, obs, taken)
            if test is None:
                why = obs.message or (
                    "it timed out" if obs.kind == "timeout" else "its result has no literal to assert"
                )
                reason = "timeout" if obs.kind == "timeout" else "unwritable"
                reason = "does-not-compile" if why.startswith("does not ") else reason
                checked.dropped.append(Dropped(f"{target.name}({', '.join(call.args)})", reason, why))
            else:
                tests[i] = test
        picked: list[tuple[KeptTest, Call]] = []
        while tests:
            best = max(tests, key=lambda i: (len((seen[i].lines & lines) - covered), -i))
            if not (seen[best].lines & lines) - covered:
                break
            covered |= seen[best].lines
            test = tests.pop(best)
            if test.name in taken:  # the same call again (as another test already has it)
                checked.dropped.append(Dropped(test.name, "duplicate", "the same as a test already kept"))
                continue
            taken.add(test.name)
            picked.append((test, calls[best]))
        checked.dropped += [
            Dropped(t.name, "adds-no-coverage", "reaches no line not yet covered") for t in tests.values()
        ]
        return picked

    def wanted(self, target: CallTarget) -> set[int]:
        """The probed lines the target's tests should reach: its own, and those of no target (the
        helpers a module does not export, reached only through what it does)."""
        spans = [Probed.span(t.first_line, t.last_line) for t in self.targets]
        low, high = Probed.span(target.first_line, target.last_line)
        lines = self.runner.probed.lines
        return {n for n in lines if low <= n <= high or not any(a <= n <= b for a, b in spans)}

    def draw(self, backend: Backend, request: CompletionRequest, target: CallTarget) -> Outcome:
        """Codex's own calls first; the model's when lines of the target are still uncovered."""
        checked = Checked()
        extra: list[KeptTest] = []
        retries = self.settings.retries
        if self.synthesize:
            got = self.verify(target, codex_calls(target, self.language), checked)
            extra = [] if isinstance(got, ParseError) else got
        # The prompt's first call is codex's, not the model's: it is not taken from the answer.
        checked.tried.add(self.shown(target).args)
        if self.wanted(target) <= self.covered:
            attempts: tuple[Any, ...] = ()
            kept: list[KeptTest] = []
            error = None
        else:
            self.stage(target, "asking the model for calls")
            attempts, kept, error = ask(
                backend, request, lambda answer: self.verify(target, answer_calls(answer, target, self.language), checked),
                samples=1, retries=retries, prompt=self.prompt, target=target, on_token=self.on_token,
            )  # fmt: skip
        tests = tuple(extra + kept)
        report = TargetReport(
            target, checked.candidates, tests, tuple(checked.dropped), attempts=attempts,
            error=None if tests else (error or "no call reached a line the tests do not cover"),
            completion_tokens=sum(a.completion_tokens for a in attempts),
            model_seconds=round(sum(a.seconds for a in attempts), 3),
            synthesized=len(checked.codex), kept_candidates=len(tests),
        )  # fmt: skip
        return report.outcome

    def splice(self, source: str, values: Mapping[int, Sequence[KeptTest]]) -> Spliced:
        return Spliced(self.runner.file_text(self.existing, [t for k in sorted(values) for t in values[k]]))

    def finish(self, result: EditResult[Any]) -> EditResult[Any]:
        """The whole file run once more: a test failing there is dropped (and the rest run
        again); then coverage before and after per target."""
        reports: list[TargetReport] = list(result.details)
        lines = self.runner.probed.lines
        after_run, working = self.before, result.before
        for _ in range(2):
            tests = [t for r in reports for t in r.kept]
            if not tests:
                working, after_run = result.before, self.before
                break
            working = self.runner.file_text(self.existing, tests)
            after_run = self.runner.run(working)
            failing = {t.name for t in tests if not after_run.ok(t.name)}
            if not failing:
                break
            reports = [_drop(r, failing) for r in reports]
        else:
            working, after_run = result.before, self.before
            reports = [_drop(r, {t.name for t in r.kept}) for r in reports]
        before, after = coverage(self.before, lines), coverage(after_run, lines)
        reports = [
            replace(r, coverage_before=before.within(*Probed.span(r.target.first_line, r.target.last_line)),
                    coverage_after=after.within(*Probed.span(r.target.first_line, r.target.last_line)))
            for r in reports
        ]  # fmt: skip
        facts = TestgenFacts(before.total(), after.total(), None)
        outcomes = tuple(r.outcome for r in reports)
        return EditResult(result.before, working, outcomes, model_calls=result.model_calls, facts=facts)


def _drop(report: TargetReport, failing: set[str]) -> TargetReport:
    """``report`` without its tests in ``failing`` (dropped as failed-together)."""
    keep = tuple(t for t in report.kept if t.name not in failing)
    gone = [Dropped(t.name, "failed-together", "failed with the whole test file") for t in report.kept if t not in keep]
    return replace(report, kept=keep, dropped=(*report.dropped, *gone), kept_candidates=len(keep)) if gone else report


def generate_native_tests(
    backend: Callable[[], Backend],
    prompt: PromptTemplate,
    runner: Runner,
    language: str,
    targets: list[CallTarget],
    settings: Settings,
    existing: str,
    *,
    synthesize: bool = True,
    on_stage: Callable[[CallTarget, str], None] | None = None,
    on_token: TokenCallback | None = None,
) -> EditResult[TestgenFacts]:
    """Tests for ``targets`` through the pipeline's ``run_task`` (NativeTask); the existing test
    file ``existing`` is run first for the coverage before."""
    before = runner.run(existing) if existing.strip() else TestRun()
    task = NativeTask(
        prompt, runner, language, settings, tuple(targets), existing, before, synthesize, on_stage, on_token
    )
    return run_task(task, existing, targets, backend, retries=settings.retries, draw=task.draw)
