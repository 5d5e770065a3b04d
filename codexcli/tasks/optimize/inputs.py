"""Inputs for `codex optimize` when the code gives none worth the name: example calls from the
model, kept only when they run on the original.

Real code rarely has doctests, tests next to it or type hints; then the only inputs are those
that verify.cases.infer_types makes up from how the body uses each parameter (``for ch in text``
gives lists, where the function is meant for strings). The model is asked for a few example
calls (prompts/examples.toml); each must call the function with literal arguments that bind to
its signature, and baseline() runs them on the original in the sandbox with the other inputs:
calls that return are kept, up to MAX_RAISED that raise are kept as "raises the same exception"
cases, the rest are dropped. The report counts the inputs by origin.
"""

from __future__ import annotations

import ast
import dataclasses
from typing import Sequence

from codexcli.backends.base import Backend
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError
from codexcli.prompts import load_prompt
from codexcli.tasks.common import fit_request
from codexcli.tasks.optimize.example_calls import ORIGIN, example_request, parse_example_calls
from codexcli.tasks.optimize.targets import Target, function_node
from codexcli.verify.cases.infer_types import infer_params
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import Observation

# Inputs that the code itself gives (doctests, calls in tests, values from type hints): with
# any of these the model is not asked.
CODE_ORIGINS = frozenset({"doctest", "test", "generated"})
# Model calls on which the original raises, kept as "raises the same exception" cases.
MAX_RAISED = 3
# Example calls wanted, and the most answers asked for them.
WANTED = 6
ASKS = 4
SAMPLE_TEMPERATURE = 0.8


def wants_model_inputs(cases: Sequence[InputCase], target: Target) -> bool:
    """True for a plain function (not a method) none of whose inputs come from the code."""
    return "." not in target.qualname and not any(c.origin in CODE_ORIGINS for c in cases)


def model_example_cases(
    backend: Backend, settings: Settings, source: str, target: Target, test_sources: Sequence[str] = ()
) -> list[InputCase]:
    """The model's example calls of ``target`` that bind to its signature (origin "model");
    [] when the prompt does not fit or the answer has none."""
    fn = function_node(source, target)
    prompt = load_prompt("examples", settings.prompts_dir)
    request = example_request(
        prompt, settings, target.qualname, target.code.rstrip("\n"), infer_params(fn, [source, *test_sources])
    )
    try:
        request = fit_request(backend, request)
    except PromptTooLongError:
        return []
    # A small model often writes one call and closes the block: ask again (sampled, another
    # seed) until there are WANTED calls or ASKS answers.
    found: list[InputCase] = []
    for number in range(ASKS):
        if number:
            request = dataclasses.replace(request, temperature=SAMPLE_TEMPERATURE, seed=settings.seed + number)
        answer = request.prefill + backend.complete(request).text
        found += [c for c in parse_example_calls(answer, target.name) if binds(fn, c) and c not in found]
        if len(found) >= WANTED:
            break
    return found


def binds(fn: ast.FunctionDef | ast.AsyncFunctionDef, case: InputCase) -> bool:
    """Whether the case's arguments fit the signature (so a wrong call is dropped here rather
    than kept as a TypeError every rewrite reproduces)."""
    values = case.values()
    if values is None:
        return False
    args, kwargs = values
    a = fn.args
    positional = [p.arg for p in a.posonlyargs + a.args]
    required = len(positional) - len(a.defaults)
    if len(args) > len(positional) and a.vararg is None:
        return False
    named = {p.arg for p in a.args + a.kwonlyargs}
    if any(k not in named for k in kwargs) and a.kwarg is None:
        return False
    if any(k in positional[: len(args)] for k in kwargs):
        return False
    given = set(positional[: len(args)]) | set(kwargs)
    missing_pos = [p for p in positional[:required] if p not in given]
    missing_kw = [p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is None and p.arg not in kwargs]
    return not missing_pos and not missing_kw


def keep_observed(observations: Sequence[Observation]) -> list[Observation]:
    """The observations to compare on: every call that returned, then those that raised (at
    most MAX_RAISED of the model's); timeouts and crashes are left out."""
    returned = [o for o in observations if o.kind == "value"]
    raised = [o for o in observations if o.kind == "raised"]
    model_raised = {id(o) for o in [o for o in raised if o.case.origin == ORIGIN][:MAX_RAISED]}
    return returned + [o for o in raised if o.case.origin != ORIGIN or id(o) in model_raised]


def origin_counts(cases: Sequence[InputCase]) -> tuple[tuple[str, int], ...]:
    """How many inputs came from where, scaled copies counted as "scaled"."""
    counts: dict[str, int] = {}
    for case in cases:
        key = case.origin.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    return tuple(counts.items())
