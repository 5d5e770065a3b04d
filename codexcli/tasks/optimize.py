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
import json
import textwrap
from typing import Callable, Sequence

from codexcli.answers import ParseError, extract_function_body
from codexcli.backends.base import Backend, CompletionRequest
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError, UsageError
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import Spliced, SpliceFailed, replace_bodies
from codexcli.tasks.common import GaveUp, ask_with_retries, request_with_context, whole_file
from codexcli.tasks.optimize_inputs import keep_observed, model_example_cases, origin_counts, wants_model_inputs
from codexcli.tasks.optimize_targets import Target, find_targets, function_node, skip_reason, uses_module_names
from codexcli.tasks.optimize_types import Candidate, FunctionReport, OptimizeOptions, Rewrite
from codexcli.tasks.pipeline import Done, EditResult, Outcome, Skipped
from codexcli.verify.behaviour import Behaviour, Observation, compare, observe
from codexcli.verify.cases import collect_cases
from codexcli.verify.effects import readability, side_effects
from codexcli.verify.example_calls import merge_cases
from codexcli.verify.inputs import InputCase, scaled_cases
from codexcli.verify.names import undefined_names
from codexcli.verify.timing import Benchmark, InputGroup, benchmark

GOALS = {
    "speed": "run faster (a better algorithm or data structure, less work per call)",
    "readability": "are simpler and easier to read (fewer branches, less nesting)",
}
# Readability rewrites may cost at most this much speed.
READABILITY_SLOWDOWN = 1.1
# Temperature for samples after the first when the settings ask for greedy decoding.
SAMPLE_TEMPERATURE = 0.8
# Labels for the kinds of behaviour difference (verify.behaviour.Difference.kind).
DIFFERENCE_LABELS = {
    "value": "different return value",
    "exception": "different exception",
    "mutation": "mutates arguments differently",
    "timeout": "timed out",
    "crashed": "crashed",
    "error": "crashed",
}


# Asking ------------------------------------------------------------------------------------------


def optimize_request(
    prompt: PromptTemplate, backend: Backend, source: str, path: str, target: Target, settings: Settings, objective: str
) -> CompletionRequest:
    """The request for one function: the whole file as context when the function uses something
    else from it and the file fits, else the function alone (``$context`` empty)."""
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
        goal=GOALS[objective],
    )


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


def sample_rewrites(
    backend: Backend,
    prompt: PromptTemplate,
    source: str,
    path: str,
    target: Target,
    settings: Settings,
    options: OptimizeOptions,
) -> list[Rewrite]:
    """Ask for ``options.samples`` rewrites, each parsed, kept to the signature, spliced into
    the file and checked to compile and to use only defined names."""
    base = optimize_request(prompt, backend, source, path, target, settings, options.objective)
    original = _original_body(target)
    out: list[Rewrite] = []
    bodies: list[str] = []
    for number in range(1, options.samples + 1):
        temperature = settings.temperature if number == 1 or settings.temperature > 0 else SAMPLE_TEMPERATURE
        request = dataclasses.replace(base, temperature=temperature, seed=settings.seed + number - 1)

        def parse(answer: str) -> tuple[str, str] | ParseError:
            body = extract_function_body(answer, target.name, target.params, is_async=target.is_async)
            if isinstance(body, ParseError):
                return body
            if _same_code(body.code, original):
                return ParseError("the rewrite is the same code as the original; change the algorithm")
            spliced = replace_bodies(source, {target.index: body.code}, keep_comments=False)
            if isinstance(spliced, SpliceFailed):
                return ParseError(spliced.reason)
            missing = undefined_names(spliced.text, target.name, target.lineno)
            if missing:
                return ParseError(f"the body uses names that are not defined anywhere: {', '.join(missing)}")
            return body.code, spliced.text

        outcome = ask_with_retries(backend, request, parse, retries=settings.retries, feedback=prompt.retry)
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


# Verifying ---------------------------------------------------------------------------------------


def baseline(
    source: str, target: Target, options: OptimizeOptions, ask: Callable[[], list[InputCase]] | None = None
) -> tuple[list[InputCase], Behaviour] | str:
    """The inputs to compare on and the original's behaviour on them, or why there are none.
    ``ask`` gives the model's example calls, asked for only when no input comes from the code
    itself (tasks/optimize_inputs). Inputs on which the original returns come first; those on
    which it raises are kept as "raises the same exception" cases; those on which it times out
    or dies are left out (nothing to compare)."""
    cases = collect_cases(
        source,
        target.qualname,
        test_sources=options.test_sources,
        limit=options.max_cases,
        random_cases=options.random_cases,
    )
    if ask is not None and wants_model_inputs(cases, target):
        asked = ask()
        cases = merge_cases(asked, cases, limit=len(asked) + len(cases))
    if not cases:
        return "no inputs to compare behaviour on (add a doctest example or type hints)"
    # A few big inputs too: some rewrites only differ once inputs grow.
    cases += scaled_cases(cases, 64, limit=4)
    behaviour = observe(
        source, target.qualname, cases, copy_from=options.copy_from, per_case_timeout_s=options.per_case_timeout_s
    )
    if not behaviour.ok:
        return f"cannot run the original: {behaviour.error}"
    kept = keep_observed(behaviour.observations)
    if not any(o.kind == "value" for o in kept):
        return "the original returns on none of the inputs (it raises or times out on all of them)"
    if len(kept) > 1 and len({_outcome_key(o) for o in kept}) == 1 and kept[0].value is not None:
        # Inputs that all give the same result (count_vowels on lists of numbers: 0) cannot tell
        # a rewrite apart from the original: any constant would pass. (A function returning None
        # on all of them may work by changing its arguments, which are compared too.)
        return "the original gives the same result on every input, so they cannot show a rewrite behaves the same"
    return [o.case for o in kept], Behaviour(tuple(kept), None, behaviour.sandbox)


def _outcome_key(o: Observation) -> str:
    return json.dumps([o.kind, o.value, o.raised], sort_keys=True, default=repr)


def input_groups(cases: Sequence[InputCase], sizes: Sequence[int]) -> list[InputGroup]:
    """The timing inputs: the cases grown to each size, or the cases as they are if none grow."""
    groups = [InputGroup(f"n={n}", tuple(grown)) for n in sizes if (grown := scaled_cases(cases, n))]
    return groups or [InputGroup("examples", tuple(c for c in cases if not c.origin.startswith("scaled")))]


def _reject(number: int, kind: str, reason: str, **extra: object) -> Candidate:
    return Candidate(number, "rejected", reason, kind, **extra)  # type: ignore[arg-type]


def check_candidate(
    source: str,
    module: str,
    target: Target,
    cases: Sequence[InputCase],
    expected: Behaviour,
    number: int,
    options: OptimizeOptions,
) -> Candidate | None:
    """A rejected Candidate when the rewrite adds side effects or behaves differently, else None."""
    if not options.allow_side_effects:
        added = [
            e
            for e in side_effects(function_node(module, target), ast.parse(module))
            if e not in side_effects(function_node(source, target), ast.parse(source))
        ]
        if added:
            return _reject(number, "side effects", "adds side effects: " + "; ".join(added))
    actual = observe(
        module,
        target.qualname,
        cases,
        copy_from=options.copy_from,
        per_case_timeout_s=options.per_case_timeout_s,
        stop_on_timeout=True,
    )
    diff = compare(expected, actual)
    if diff is not None:
        return _reject(number, DIFFERENCE_LABELS.get(diff.kind, diff.kind), diff.message)
    return None


def _decide(
    timing: Benchmark, survivors: list[Rewrite], source: str, target: Target, options: OptimizeOptions
) -> list[Candidate]:
    """Accept at most one survivor by the objective; every other one says why not."""
    measured: list[Candidate] = []
    before = readability(function_node(source, target))
    for version, rewrite in enumerate(survivors, start=1):
        number, body, module = rewrite.number, rewrite.body, rewrite.module or ""
        score = readability(function_node(module, target))
        problem = timing.error or timing.problem(version)
        speedup, low = timing.speedup(version), timing.speedup_low(version)
        common = dict(
            body=body, speedup=speedup, speedup_low=low, scaling=tuple(timing.scaling(version)), readability=score
        )
        if problem is not None:
            kind = (
                "timed out" if "timed out" in problem else "different exception" if "gave" in problem else "not timed"
            )
            measured.append(_reject(number, kind, problem, **common))
        elif speedup is None:
            measured.append(_reject(number, "not timed", "could not be timed against the original", **common))
        elif options.objective == "speed" and (low or 0.0) < options.min_speedup:
            # Decided on the lower quartile of the per-round ratios: a rewrite that is faster only
            # in some rounds (noise on a busy machine) does not count.
            detail = (
                f"{speedup:.2f}x"
                if low is None or abs(low - speedup) < 0.005
                else f"{speedup:.2f}x (lower quartile {low:.2f}x)"
            )
            measured.append(_reject(number, "not faster", f"{detail}, needs {options.min_speedup:.2f}x", **common))
        elif options.objective == "readability" and speedup < 1 / READABILITY_SLOWDOWN:
            measured.append(_reject(number, "slower", f"{speedup:.2f}x: more than 10% slower", **common))
        elif options.objective == "readability" and not score.better_than(before):
            measured.append(_reject(number, "not simpler", f"{score} (the original: {before})", **common))
        else:
            measured.append(Candidate(number, "equal", "behaves the same", **common))  # type: ignore[arg-type]
    contenders = [c for c in measured if c.status == "equal"]
    if not contenders:
        return measured
    if options.objective == "speed":
        best = max(contenders, key=lambda c: c.speedup or 0.0)
    else:
        best = min(contenders, key=lambda c: (c.readability.complexity, c.readability.nesting, -(c.speedup or 0.0)))  # type: ignore[union-attr]
    return [dataclasses.replace(c, status="accepted", reason="") if c is best else c for c in measured]


def optimize_function(
    backend: Backend,
    prompt: PromptTemplate,
    source: str,
    path: str,
    target: Target,
    settings: Settings,
    options: OptimizeOptions,
    on_progress: Callable[[str], None] | None = None,
) -> FunctionReport:
    """Sample, verify, time and decide for one function. Never edits anything itself."""
    say = on_progress or (lambda _msg: None)
    reason = skip_reason(source, target, options.allow_side_effects)
    if reason is not None:
        return FunctionReport(target, "skipped", reason)
    say(f"{target.qualname}: running the original")

    def ask() -> list[InputCase]:
        say(f"{target.qualname}: asking for example calls")
        return model_example_cases(backend, settings, source, target, options.test_sources)

    base = baseline(source, target, options, ask if options.model_inputs else None)
    if isinstance(base, str):
        return FunctionReport(target, "skipped", base)
    cases, expected = base
    inputs = origin_counts(cases)
    say(f"{target.qualname}: asking for {options.samples} rewrite(s)")
    candidates: dict[int, Candidate] = {}
    survivors: list[Rewrite] = []
    try:
        rewrites = sample_rewrites(backend, prompt, source, path, target, settings, options)
    except PromptTooLongError as exc:  # one long function must not stop the others
        return FunctionReport(target, "skipped", exc.message, (), len(cases), inputs=inputs)
    for rewrite in rewrites:
        number = rewrite.number
        if rewrite.module is None:
            kind = "same" if rewrite.problem.startswith("same code as candidate") else "unusable answer"
            candidates[number] = _reject(number, kind, rewrite.problem)
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
        for cand in _decide(_time(source, survivors, target, timed, options), survivors, source, target, options):
            candidates[cand.number] = cand
        winner = next((c for c in candidates.values() if c.status == "accepted"), None)
        if winner is not None:
            say(f"{target.qualname}: timing candidate {winner.number} again to confirm")
            candidates[winner.number] = _confirm(winner, survivors, source, target, timed, options)
    ordered = tuple(candidates[n] for n in sorted(candidates))
    score = readability(function_node(source, target))
    if any(c.status == "accepted" for c in ordered):
        return FunctionReport(target, "optimized", "", ordered, len(cases), score, inputs)
    return FunctionReport(target, "kept original", _why_kept(ordered), ordered, len(cases), score, inputs)


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
    (again,) = _decide(_time(source, [rewrite], target, cases, options), [rewrite], source, target, options)
    if again.status != "accepted":
        first = f"{winner.speedup:.2f}x" if winner.speedup is not None else "n/a"
        return dataclasses.replace(again, reason=f"not confirmed: {first} in the first timing, then {again.reason}")
    return again if (again.speedup or 0.0) < (winner.speedup or 0.0) else winner


def _why_kept(candidates: Sequence[Candidate]) -> str:
    if not candidates:
        return "no candidates"
    kinds: dict[str, int] = {}
    for c in candidates:
        kinds[c.kind or c.status] = kinds.get(c.kind or c.status, 0) + 1
    return "; ".join(f"{n} {k}" for k, n in kinds.items())


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
) -> EditResult:
    """Optimize every selected function of ``source``; returns the new text (the same text when
    nothing was accepted) and one outcome per function (``detail``: its FunctionReport). Each
    rewrite is verified against the original file, so function indexes stay valid however many
    are accepted."""
    if options.objective not in GOALS:
        raise UsageError(f"unknown objective {options.objective!r}; use speed or readability")
    reports = [
        optimize_function(backend, prompt, source, path, t, settings, options, on_progress)
        for t in find_targets(source, only)
    ]
    bodies = {r.target.index: r.accepted.body for r in reports if r.accepted is not None and r.accepted.body}
    if not bodies:
        return EditResult(source, source, tuple(_outcome(r) for r in reports))
    combined = replace_bodies(source, bodies, keep_comments=False)
    if isinstance(combined, Spliced):
        return EditResult(source, combined.text, tuple(_outcome(r) for r in reports))
    # Each rewrite compiled on its own; together they do not (should not happen): write nothing.
    failed = tuple(
        dataclasses.replace(
            r, status="kept original", reason=f"the rewrites do not compile together: {combined.reason}"
        )
        if r.accepted is not None
        else r
        for r in reports
    )
    return EditResult(source, source, tuple(_outcome(r) for r in failed))


def _outcome(report: FunctionReport) -> Outcome:
    """A function's report as the pipeline's outcome: Done with the accepted body, else Skipped
    ("kept original" or "skipped") with the reason."""
    accepted = report.accepted
    if report.status == "optimized" and accepted is not None:
        return Done(report.target, accepted.body, status="optimized", detail=report)
    return Skipped(report.target, report.reason, status=report.status, detail=report)
