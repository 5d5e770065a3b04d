"""`codex optimize`, the judging: the original's behaviour on its inputs, each rewrite compared
with it, and the decision among the rewrites that behave the same (by speed or readability).
Pure of the model: tasks/optimize/run.py asks for the rewrites and drives the task."""

from __future__ import annotations

import ast
import dataclasses
import json
from typing import Callable, Sequence

from codexcli.tasks.optimize.effects import readability, side_effects
from codexcli.tasks.optimize.example_calls import merge_cases
from codexcli.tasks.optimize.inputs import keep_observed, wants_model_inputs
from codexcli.tasks.optimize.targets import Target, function_node
from codexcli.tasks.optimize.timing import Benchmark, InputGroup
from codexcli.tasks.optimize.types import Candidate, OptimizeOptions, Rewrite
from codexcli.verify.cases.inputs import InputCase, scaled_cases
from codexcli.verify.cases.probe_types import original_cases
from codexcli.verify.compare.behaviour import Behaviour, Observation, compare, observe

# Readability rewrites may cost at most this much speed.
READABILITY_SLOWDOWN = 1.1
# Labels for the kinds of behaviour difference (verify.compare.behaviour.Difference.kind).
DIFFERENCE_LABELS = {
    "value": "different return value",
    "exception": "different exception",
    "mutation": "mutates arguments differently",
    "timeout": "timed out",
    "crashed": "crashed",
    "error": "crashed",
}


def baseline(
    source: str, target: Target, options: OptimizeOptions, ask: Callable[[], list[InputCase]] | None = None
) -> tuple[list[InputCase], Behaviour] | str:
    """The inputs to compare on and the original's behaviour on them, or why there are none.
    ``ask`` gives the model's example calls, asked for only when no input comes from the code
    itself (tasks/optimize/inputs). Inputs on which the original returns come first; those on
    which it raises are kept as "raises the same exception" cases; those on which it times out
    or dies are left out (nothing to compare)."""
    cases = original_cases(
        source,
        target.qualname,
        test_sources=options.test_sources,
        limit=options.max_cases,
        random_cases=options.random_cases,
        copy_from=options.copy_from,
        per_case_timeout_s=options.per_case_timeout_s,
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
    """The timing inputs: the cases grown to each size, or the cases as they are if none grow.
    With at least two sizes, one more at 10x the biggest, timed only where the original's cost
    grows faster than its input (timing.py)."""
    groups = [InputGroup(f"n={n}", tuple(grown), n) for n in sizes if (grown := scaled_cases(cases, n))]
    if len(groups) >= 2 and (bigger := scaled_cases(cases, 10 * groups[-1].size)):
        groups.append(InputGroup(f"n={10 * groups[-1].size}", tuple(bigger), 10 * groups[-1].size, True))
    return groups or [InputGroup("examples", tuple(c for c in cases if not c.origin.startswith("scaled")))]


def reject(number: int, kind: str, reason: str, **extra: object) -> Candidate:
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
            return reject(number, "side effects", "adds side effects: " + "; ".join(added))
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
        return reject(number, DIFFERENCE_LABELS.get(diff.kind, diff.kind), diff.message)
    return None


def decide(
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
            measured.append(reject(number, kind, problem, **common))
        elif speedup is None:
            measured.append(reject(number, "not timed", "could not be timed against the original", **common))
        elif options.objective == "speed" and (low or 0.0) < options.min_speedup:
            # Decided on the lower quartile of the per-round ratios: a rewrite that is faster only
            # in some rounds (noise on a busy machine) does not count.
            detail = (
                f"{speedup:.2f}x"
                if low is None or abs(low - speedup) < 0.005
                else f"{speedup:.2f}x (lower quartile {low:.2f}x)"
            )
            measured.append(reject(number, "not faster", f"{detail}, needs {options.min_speedup:.2f}x", **common))
        elif options.objective == "readability" and speedup < 1 / READABILITY_SLOWDOWN:
            measured.append(reject(number, "slower", f"{speedup:.2f}x: more than 10% slower", **common))
        elif options.objective == "readability" and not score.better_than(before):
            measured.append(reject(number, "not simpler", f"{score} (the original: {before})", **common))
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


def why_kept(candidates: Sequence[Candidate]) -> str:
    if not candidates:
        return "no candidates"
    kinds: dict[str, int] = {}
    for c in candidates:
        kinds[c.kind or c.status] = kinds.get(c.kind or c.status, 0) + 1
    return "; ".join(f"{n} {k}" for k, n in kinds.items())
