"""`codex optimize`: rewrite functions to be faster (or simpler), proven equivalent, or leave them.

Per function: ask the model for N rewrites (the first greedy, the rest sampled), keep those that
parse and keep the signature, run each against the original on the same inputs in the sandbox
(return values, exceptions, argument mutation: any difference rejects), time the survivors
against the original in one subprocess on growing inputs, and accept the fastest only if it
beats ``min_speedup``. With the readability objective, accept the simplest (lower cyclomatic
complexity, then nesting) that is no more than 10% slower. Accepted bodies are spliced with
libcst; nothing else in the file changes. When nothing qualifies the file stays byte-for-byte.
"""

from __future__ import annotations

import ast
import dataclasses
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from codexcli.answers import ParseError, extract_function_body
from codexcli.backends.base import Backend, CompletionRequest
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError, UsageError
from codexcli.evidence import Evidence
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import Spliced, SpliceFailed, replace_bodies
from codexcli.tasks.common import GaveUp, ask_with_retries, request_with_context, whole_file
from codexcli.tasks.optimize.effects import readability
from codexcli.tasks.optimize.inputs import model_example_cases, origin_counts
from codexcli.tasks.optimize.judge import baseline, check_candidate, decide, input_groups, reject, why_kept
from codexcli.tasks.optimize.rule_candidates import rule_rewrites
from codexcli.tasks.optimize.rules import RULE_NAMES, rule_named
from codexcli.tasks.optimize.targets import Target, find_targets, function_node, skip_reason, uses_module_names
from codexcli.tasks.optimize.timing import Benchmark, benchmark
from codexcli.tasks.optimize.types import Candidate, FunctionReport, OptimizeOptions, Rewrite
from codexcli.tasks.pipeline import Done, EditResult, Outcome, Skipped, TaskHooks, run_task
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import Behaviour
from codexcli.verify.static.names import undefined_names

__all__ = ["GOALS", "OptimizeOptions", "OptimizeTask", "baseline", "check_candidate", "find_targets", "optimize_source"]

GOALS = {
    "speed": "run faster (a better algorithm or data structure, less work per call)",
    "readability": "are simpler and easier to read (fewer branches, less nesting)",
}
# Temperature for samples after the first when the settings ask for greedy decoding.
SAMPLE_TEMPERATURE = 0.8


# Asking ------------------------------------------------------------------------------------------


def optimize_request(
    prompt: PromptTemplate,
    backend: Backend,
    source: str,
    path: str,
    target: Target,
    settings: Settings,
    objective: str,
    rule: str | None = None,
) -> CompletionRequest:
    """The request for one function: the whole file as context when the function uses something
    else from it and the file fits, else the function alone (``$context`` empty). With ``rule``
    (a name in tasks/optimize/rules), the goal asks for that rewrite."""
    framed = f"This is the Python file {path}:\n```python\n{whole_file(source)}\n```\n"
    contexts = (framed, "") if uses_module_names(source, target) else ("",)
    return request_with_context(
        backend,
        prompt,
        settings,
        contexts,
        where=path,
        label=target.qualname,
        path=path,
        qualname=target.qualname,
        function=target.code.rstrip("\n"),
        goal=_goal(objective, rule),
    )


def _goal(objective: str, rule: str | None) -> str:
    found = rule_named(rule) if rule else None
    return GOALS[objective] if found is None else f"{GOALS[objective]}; in particular: {found.instruction}"


def _same_code(a: str, b: str) -> bool:
    try:
        return ast.dump(ast.parse(textwrap.dedent(a))) == ast.dump(ast.parse(textwrap.dedent(b)))
    except SyntaxError:
        return False


def _original_body(target: Target) -> str:
    node = ast.parse(target.code).body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    stmts = node.body[1:] if ast.get_docstring(node, clean=False) is not None else node.body
    return "\n".join(ast.unparse(s) for s in stmts)


# The task ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptimizeTask(TaskHooks):
    """optimize in the pipeline's shape (tasks/pipeline.py): one rewritten body per function.

    ``prepare`` skips what cannot be compared (side effects, no inputs) and runs the original;
    ``draw`` asks for ``options.samples`` rewrites (each with retries), compares each with the
    original, times the survivors and decides; the outcome's ``detail`` is the FunctionReport."""

    prompt: PromptTemplate
    source: str
    path: str
    settings: Settings
    options: OptimizeOptions
    targets: tuple[Target, ...]
    on_progress: Callable[[str], None] | None = None
    # function index -> the inputs to compare on and the original's behaviour (from prepare)
    bases: dict[int, tuple[list[InputCase], Behaviour]] = field(default_factory=dict, compare=False)

    done_status = "optimized"

    def say(self, message: str) -> None:
        if self.on_progress is not None:
            self.on_progress(message)

    def prepare(self, backend: Backend, target: Target) -> Outcome | None:
        """A skipped outcome for a function that cannot be compared; else None, with the
        original's inputs and behaviour kept for ``draw``."""
        reason = skip_reason(self.source, target, self.options.allow_side_effects)
        if reason is not None:
            return _outcome(FunctionReport(target, "skipped", reason))
        self.say(f"{target.qualname}: running the original")

        def ask() -> list[InputCase]:
            self.say(f"{target.qualname}: asking for example calls")
            return model_example_cases(backend, self.settings, self.source, target, self.options.test_sources)

        base = baseline(self.source, target, self.options, ask if self.options.model_inputs else None)
        if isinstance(base, str):
            return _outcome(FunctionReport(target, "skipped", base))
        self.bases[target.index] = base
        return None

    def request(self, backend: Backend, target: Target) -> CompletionRequest:
        self.say(f"{target.qualname}: asking for {self.options.samples} rewrite(s)")
        return optimize_request(
            self.prompt,
            backend,
            self.source,
            self.path,
            target,
            self.settings,
            self.options.objective,
            self.options.rule,
        )

    def unfit(self, target: Target, error: PromptTooLongError) -> Outcome:
        """One long function must not stop the others: skipped, saying why."""
        cases = self.bases[target.index][0]
        report = FunctionReport(target, "skipped", error.message, (), len(cases), inputs=origin_counts(cases))
        return _outcome(report)

    def check(self, target: Target, answer: str) -> tuple[str, str] | ParseError:
        """The rewritten body and the file with it, when it parses, keeps the signature, is not
        the original code, compiles in the file and uses only defined names."""
        body = extract_function_body(answer, target.name, target.params, is_async=target.is_async)
        if isinstance(body, ParseError):
            return body
        if _same_code(body.code, _original_body(target)):
            return ParseError("the rewrite is the same code as the original; change the algorithm")
        spliced = replace_bodies(self.source, {target.index: body.code}, keep_comments=False)
        if isinstance(spliced, SpliceFailed):
            return ParseError(spliced.reason)
        missing = undefined_names(spliced.text, target.name, target.lineno)
        if missing:
            return ParseError(f"the body uses names that are not defined anywhere: {', '.join(missing)}")
        return body.code, spliced.text

    def feedback(self, target: Target, reason: str) -> str:
        return self.prompt.retry(reason)

    def draw(self, backend: Backend, request: CompletionRequest, target: Target) -> Outcome:
        """The rewrites, judged against the original (tasks/optimize/judge.py)."""
        try:
            rewrites = self.rewrites(backend, request, target)
        except PromptTooLongError as exc:
            return self.unfit(target, exc)
        if self.options.rules or self.options.rule:
            only = (self.options.rule,) if self.options.rule else ()
            first = len(rewrites) + 1
            found = rule_rewrites(self.source, target, self.check, first, only, self.options.test_sources)
            if found:
                self.say(f"{target.qualname}: {len(found)} candidate(s) from rewrite rules")
            rewrites += found
        cases, expected = self.bases[target.index]
        return _outcome(judge(self.source, target, cases, expected, rewrites, self.options, self.say))

    def rewrites(self, backend: Backend, request: CompletionRequest, target: Target) -> list[Rewrite]:
        """``options.samples`` answers to ``request`` (the first at the settings' temperature,
        the rest sampled, each seed its own), each checked by ``check`` with retries; a rewrite
        that is the same code as an earlier one is not judged twice."""
        out: list[Rewrite] = []
        bodies: list[str] = []
        for number in range(1, self.options.samples + 1):
            temperature = self.settings.temperature
            if number > 1 and temperature <= 0:
                temperature = SAMPLE_TEMPERATURE
            sample = dataclasses.replace(request, temperature=temperature, seed=self.settings.seed + number - 1)
            outcome = ask_with_retries(
                backend,
                sample,
                lambda answer: self.check(target, answer),
                retries=self.settings.retries,
                feedback=self.prompt.retry,
            )
            if isinstance(outcome, GaveUp):
                out.append(Rewrite(number, None, None, outcome.reason))
                bodies.append("")
                continue
            body_code, module = outcome.value
            twin = next((i for i, b in enumerate(bodies) if b and _same_code(b, body_code)), None)
            bodies.append(body_code)
            if twin is not None:
                out.append(Rewrite(number, None, None, f"same code as candidate {twin + 1}"))
            else:
                out.append(Rewrite(number, body_code, module))
        return out

    def splice(self, source: str, values: Mapping[int, str]) -> Spliced | SpliceFailed:
        return replace_bodies(source, {self.targets[k].index: v for k, v in values.items()}, keep_comments=False)

    def key(self, target: Target) -> int:
        """The function's place among the targets (reports keep that order)."""
        return next(i for i, t in enumerate(self.targets) if t.index == target.index)

    def together_failed(self, reason: str) -> str:
        return f"the rewrites do not compile together: {reason}"

    def unspliced(self, outcome: Done[Target, str], reason: str) -> Skipped[Target]:
        """Each rewrite compiled on its own; together they do not (should not happen)."""
        report = dataclasses.replace(outcome.detail, status="kept original", reason=self.together_failed(reason))
        return Skipped(outcome.target, report.reason, status=report.status, detail=report)


def judge(
    source: str,
    target: Target,
    cases: Sequence[InputCase],
    expected: Behaviour,
    rewrites: Sequence[Rewrite],
    options: OptimizeOptions,
    say: Callable[[str], None],
) -> FunctionReport:
    """Compare each rewrite with the original, time the survivors, decide, and confirm the
    winner with a second timing. Never edits anything itself."""
    inputs = origin_counts(cases)
    candidates: dict[int, Candidate] = {}
    survivors: list[Rewrite] = []
    for rewrite in rewrites:
        number = rewrite.number
        if rewrite.module is None:
            kind = "same" if rewrite.problem.startswith("same code as candidate") else "unusable answer"
            candidates[number] = reject(number, kind, rewrite.problem)
            continue
        say(f"{target.qualname}: comparing candidate {number} on {len(cases)} inputs")
        rejected = check_candidate(source, rewrite.module, target, cases, expected, number, options)
        if rejected is not None:
            candidates[number] = rejected
        else:
            survivors.append(rewrite)
    if survivors:
        say(f"{target.qualname}: timing {len(survivors)} candidate(s) against the original")
        # Timed only on inputs where the original returns: on the others both versions raise at
        # once, which says nothing about speed (and, grown, hides the inputs that do).
        timed = [o.case for o in expected.observations if o.kind == "value"]
        for cand in decide(_time(source, survivors, target, timed, options), survivors, source, target, options):
            candidates[cand.number] = cand
        winner = next((c for c in candidates.values() if c.status == "accepted"), None)
        if winner is not None:
            say(f"{target.qualname}: timing candidate {winner.number} again to confirm")
            candidates[winner.number] = _confirm(winner, survivors, source, target, timed, options)
    origins = {r.number: r.origin for r in rewrites}
    ordered = tuple(dataclasses.replace(candidates[n], origin=origins[n]) for n in sorted(candidates))
    score = readability(function_node(source, target))
    if any(c.status == "accepted" for c in ordered):
        return FunctionReport(target, "optimized", "", ordered, len(cases), score, inputs)
    return FunctionReport(target, "kept original", why_kept(ordered), ordered, len(cases), score, inputs)


def _time(
    source: str, survivors: Sequence[Rewrite], target: Target, cases: Sequence[InputCase], options: OptimizeOptions
) -> Benchmark:
    return benchmark(
        [source] + [r.module or "" for r in survivors],
        target.qualname,
        input_groups(cases, options.sizes),
        repeats=options.repeats,
        copy_from=options.copy_from,
        pass_timeout_s=options.per_case_timeout_s,
    )


def _confirm(
    winner: Candidate,
    survivors: Sequence[Rewrite],
    source: str,
    target: Target,
    cases: Sequence[InputCase],
    options: OptimizeOptions,
) -> Candidate:
    """Time the winner against the original once more, in a fresh process. On a busy machine a
    rewrite of equal speed sometimes wins one run by noise; it rarely wins two. The smaller
    of the two speedups is reported."""
    rewrite = next(r for r in survivors if r.number == winner.number)
    (again,) = decide(_time(source, [rewrite], target, cases, options), [rewrite], source, target, options)
    if again.status != "accepted":
        first = f"{winner.speedup:.2f}x" if winner.speedup is not None else "n/a"
        return dataclasses.replace(again, reason=f"not confirmed: {first} in the first timing, then {again.reason}")
    return again if (again.speedup or 0.0) < (winner.speedup or 0.0) else winner


def optimize_source(
    backend: Backend,
    prompt: PromptTemplate,
    source: str,
    path: str,
    settings: Settings,
    options: OptimizeOptions,
    *,
    only: str | None = None,
    on_progress: Callable[[str], None] | None = None,
    threshold: str | None = None,
) -> EditResult[None]:
    """Optimize every selected function of ``source``; returns the new text (the same text when
    nothing was accepted) and one outcome per function (``detail``: its FunctionReport). Each
    rewrite is verified against the original file, so function indexes stay valid however many
    are accepted. With ``threshold`` (an evidence level), a rewrite with weaker evidence is held
    back (every accepted rewrite has "reference" evidence: it behaved like the original)."""
    if options.objective not in GOALS:
        raise UsageError(f"unknown objective {options.objective!r}; use speed or readability")
    if options.rule and rule_named(options.rule) is None:
        raise UsageError(f"unknown rule {options.rule!r}; use one of: {', '.join(RULE_NAMES)}")
    targets = tuple(find_targets(source, only))
    task = OptimizeTask(prompt, source, path, settings, options, targets, on_progress)
    return run_task(
        task, source, targets, lambda: backend, retries=settings.retries, draw=task.draw, threshold=threshold
    )


def _outcome(report: FunctionReport) -> Outcome:
    """A function's report as the pipeline's outcome: Done with the accepted body, else Skipped
    ("kept original" or "skipped") with the reason."""
    accepted = report.accepted
    if report.status == "optimized" and accepted is not None:
        return Done(report.target, accepted.body, status="optimized", detail=report, evidence=evidence_of(report))
    return Skipped(report.target, report.reason, status=report.status, detail=report)


def evidence_of(report: FunctionReport) -> Evidence:
    """An accepted rewrite's evidence: it returned, raised and mutated the same as the original
    on every input ("reference"), with how much faster (and, for readability, how much simpler)."""
    accepted = report.accepted
    facts = f"same results as the original on {report.cases} inputs"
    if accepted is not None and accepted.speedup is not None:
        facts += f"; {accepted.speedup:.2f} times faster"
    if accepted is not None and accepted.readability is not None and report.readability is not None:
        facts += f"; complexity {report.readability.complexity} -> {accepted.readability.complexity}"
    return Evidence("reference", facts)
