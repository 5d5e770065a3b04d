"""Parameter types found by running the original, where the static guess makes it fail.

verify.cases.infer_types guesses a parameter's type from how the body uses it, and the guess is
often wrong on real code (``p = s.find(b"\\0")`` reads as a str, ``fnmatch(name, pat)`` passes
``name`` on to a helper and reads as an int). Then every case raises a TypeError or an
AttributeError inside the original, and translate, testgen, optimize and fill have nothing to
compare against. Here the original is run in the sandbox (verify.compare.behaviour.observe) on a
few cases per alternative type from a small fixed lattice, one parameter at a time (coordinate
search, the most doubtful parameter first, every alternative of a parameter batched in one run),
and the assignment under which most cases return (or raise an exception the function raises
itself) is kept. Deterministic, and bounded: at most ``budget`` sandbox runs per function.

``original_cases`` is what the callers that run the original anyway use instead of
verify.cases.cases.collect_cases (which stays static); it probes only where collect_cases makes
its cases from inferred types (no hints, no examples that say the types).
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from codexcli.verify.cases.cases import annotated, collect_cases, inferred_cases, static_inferred
from codexcli.verify.cases.infer_types import Inferred, none_defaults
from codexcli.verify.cases.inputs import InputCase, infer_hint
from codexcli.verify.compare.behaviour import observe

# The types tried for a parameter, in this order (ties go to the earlier one).
LATTICE = (
    "int", "str", "bytes", "float", "bool", "list[int]", "list[str]", "list[float]", "list[list[int]]", "dict[str,int]",
)  # fmt: skip
# Exceptions that say the argument had the wrong type (unless the function raises them itself).
MISMATCH = frozenset({"TypeError", "AttributeError"})
PROBE_BUDGET = 16  # sandbox runs per function, the first (the static guess) included
PROBE_CASES = 6  # cases per alternative
# Evidence that the static guess is right: such parameters are not probed.
_SURE = ("annotation", "calls in the project and tests")


def original_cases(
    module_source: str,
    qualname: str,
    *,
    test_sources: Sequence[str] = (),
    limit: int = 24,
    seed: int = 0,
    random_cases: int = 0,
    copy_from: Path | None = None,
    python: str | None = None,
    per_case_timeout_s: float = 1.0,
    budget: int = PROBE_BUDGET,
) -> list[InputCase]:
    """collect_cases's cases for ``qualname``, made from probed types (see probe_params) where
    they come from inferred types that make the original fail; the static ones otherwise."""
    found = static_inferred(module_source, qualname, test_sources)
    probed = None
    if found is not None:
        probed = probe_params(
            module_source,
            qualname,
            *found,
            copy_from=copy_from,
            python=python,
            per_case_timeout_s=per_case_timeout_s,
            budget=budget,
            seed=seed,
        )
    return collect_cases(
        module_source,
        qualname,
        test_sources=test_sources,
        limit=limit,
        seed=seed,
        random_cases=random_cases,
        inferred=probed,
    )


def probe_params(
    module_source: str,
    qualname: str,
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    inferred: list[Inferred],
    *,
    copy_from: Path | None = None,
    python: str | None = None,
    per_case_timeout_s: float = 1.0,
    budget: int = PROBE_BUDGET,
    seed: int = 0,
) -> list[Inferred] | None:
    """Better types for ``inferred`` found by running the original, or None where the static
    guess stands (its cases mostly do not fail on a type mismatch, nothing did better, or the
    budget ran out before anything did). A parameter whose type changed carries the evidence
    ``probed: returned on 5 of 6 (guessed int)``."""
    deliberate = raised_names(fn)
    timeout = min(per_case_timeout_s, 0.25)
    runs = 0

    def scores(assignments: list[list[Inferred]]) -> list[tuple[int, int, int, int]] | None:
        """Per assignment: (cases that return or raise deliberately, cases that return, cases,
        cases that raise on a type mismatch); None when nothing could run."""
        nonlocal runs
        batches = [inferred_cases(fn, a, PROBE_CASES, seed) for a in assignments]
        cases = [c for b in batches for c in b]
        if not cases or runs >= budget:
            return None
        runs += 1
        behaviour = observe(
            module_source, qualname, cases, python=python, copy_from=copy_from, per_case_timeout_s=timeout
        )
        if not behaviour.ok:
            return None
        out, at = [], 0
        for batch in batches:
            seen = behaviour.observations[at : at + len(batch)]
            at += len(batch)
            fine = sum(o.kind == "value" or o.raised in deliberate for o in seen)
            mismatched = sum(o.raised in MISMATCH and o.raised not in deliberate for o in seen)
            out.append((fine, sum(o.kind == "value" for o in seen), len(batch), mismatched))
        return out

    unknown = any(i.hint is None for i in inferred)
    nones = {k for k, i in enumerate(inferred) if i.name in none_defaults(fn)}
    current = [
        replace(i, hint="None" if k in nones else "int") if i.hint is None else i for k, i in enumerate(inferred)
    ]
    first = scores([current])
    if first is None:
        return None
    best = first[0]
    if not unknown and 2 * best[3] < best[2]:
        return None  # most cases run or fail for other reasons: not a wrong type
    guessed = {i.name: i.hint for i in inferred}
    improved = True
    while improved and runs < budget and best[0] < best[2]:
        improved = False
        for group in _coordinates(inferred, current):
            options = [
                h for h in _alternatives(current[group[0]].hint, group[0] in nones) if h != current[group[0]].hint
            ]
            tried = [[replace(p, hint=h) if k in group else p for k, p in enumerate(current)] for h in options]
            found = scores(tried)
            if found is None:
                break
            top = max(range(len(found)), key=lambda j: (found[j][1], found[j][0], -j))
            if (found[top][1], found[top][0]) > (best[1], best[0]):
                best, current, improved = found[top], tried[top], True
    if best[1] == 0:
        return None  # nothing returns under any assignment tried: the static guess stands
    changed = [
        replace(i, evidence=f"probed: returned on {best[1]} of {best[2]} (guessed {guessed[i.name] or '?'})")
        if i.hint != guessed[i.name]
        else i
        for i in current
    ]
    return changed if any(i.hint != guessed[i.name] for i in changed) else None


def probed_function(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, cases: Sequence[InputCase]
) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """``fn`` annotated with the types of its probed cases (origin "probed"), for what reads
    its parameter types statically (tasks/translate/sig.py's signatures); ``fn`` itself where
    no case was probed or a type cannot be told from the values."""
    params = [a.arg for a in fn.args.posonlyargs + fn.args.args if a.arg not in ("self", "cls")]
    values = [
        v[0] for c in cases if c.origin == "probed" and (v := c.values()) is not None and len(v[0]) == len(params)
    ]
    if not values:
        return fn
    hints = [infer_hint([v[k] for v in values]) for k in range(len(params))]
    typed = annotated(fn, [Inferred(p, h, "probed") for p, h in zip(params, hints)])
    return fn if typed is None else typed


def raised_names(fn: ast.AST) -> frozenset[str]:
    """The exception classes ``fn`` raises by name (``raise ValueError(...)``, ``raise KeyError``)."""
    out = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name):
                out.add(exc.id)
            elif isinstance(exc, ast.Attribute):
                out.add(exc.attr)
    return frozenset(out)


def _coordinates(inferred: list[Inferred], current: list[Inferred]) -> list[tuple[int, ...]]:
    """The parameters to probe, as groups changed together: first those of one guessed type
    together (``same(name, other)`` that fails unless both change), then each alone, the most
    doubtful first; parameters whose type is sure are left out."""
    order = [k for k in sorted(range(len(inferred)), key=lambda k: _doubt(inferred[k])) if _doubt(inferred[k]) < 9]
    alike: dict[str | None, list[int]] = {}
    for k in order:
        alike.setdefault(current[k].hint, []).append(k)
    return [tuple(ks) for ks in alike.values() if len(ks) > 1] + [(k,) for k in order]


def _doubt(param: Inferred) -> int:
    """How sure the static guess is, lowest first: 0 unknown or ``int`` for want of anything
    else, 1 uses in the body, 2 a default value, 9 an annotation or literal calls (not probed)."""
    if param.evidence in _SURE:
        return 9
    if param.hint is None or param.evidence == "no use an int could not have":
        return 0
    return 2 if param.evidence == "default value" else 1


def _alternatives(hint: str | None, none_default: bool) -> list[str]:
    """The lattice, the shapes like ``hint`` first (``list[int]``: the other lists; a tie goes to
    the nearer type), each ``optional[...]`` where ``hint`` is, and ``None`` first for a
    parameter whose default is None."""
    optional = hint is not None and hint.startswith("optional[")
    bare = hint[9:-1] if hint is not None and optional else hint
    shape = (bare or "").split("[")[0]
    ordered = sorted(LATTICE, key=lambda h: h.split("[")[0] != shape)
    out = [f"optional[{h}]" for h in ordered] if optional else ordered
    return (["None"] if none_default else []) + out
