"""Back-translation: does a docstring say enough to rebuild its function? (issue 27)

The Codex paper's check for Codex-D: bodies sampled from the signature and the docstring alone
are run against the original on its inputs; a body that behaves the same shows the docstring
carries the function's meaning, the strongest evidence a docstring can have.

1. The function is hollowed: its body (comments too) becomes ``...`` under the candidate
   docstring, in the file the model sees as well, so the original body is nowhere in the prompt.
2. ``samples`` bodies are drawn from the fill task's prompt (prompts/fill.toml, the request
   built as --fill builds it) in one batched ``complete_many`` call (tasks/select.py).
3. The original's inputs and behaviour are taken as `codex optimize` takes them (doctest and
   test calls, values from type hints or from how the body uses each parameter; observed in the
   sandbox), and each drawn body, spliced in place of the original body, runs on the same inputs
   in the sandbox. Generated code only ever runs there.

Pure of the CLI: the comment task decides what to do with the result. Nothing here raises for a
function it cannot check; the result says why (no inputs, cannot run, no match).
"""

from __future__ import annotations

import ast
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from codexcli.backends.base import Backend, TokenCallback
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError
from codexcli.evidence import Evidence
from codexcli.prompts import PromptTemplate, load_prompt
from codexcli.splice.body import SpliceFailed, StubTarget, find_stubs, replace_bodies
from codexcli.splice.docstring import DocTarget, insert_docstrings
from codexcli.tasks.bodies import body_parser
from codexcli.tasks.common import request_with_context, whole_file
from codexcli.tasks.select import Candidate, draw_candidates
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.cases.probe_types import original_cases
from codexcli.verify.compare.behaviour import Behaviour, Observation, compare, observe

# The evidence level a match earns. "reference" (codexcli/evidence.py: "behaves like the
# original on N input cases"), not "examples": the check is the reference check itself, with
# the original function as the reference and a body rebuilt from the docstring as the candidate,
# and it says more than a docstring's examples passing (those are a few calls the docstring
# chose; a match shows the docstring alone determines the behaviour on every case tried). Both
# levels are "verified" there, and only a match is: no match, no inputs or a function that cannot
# run give no evidence from this check (the docstring keeps what its other checks found).
LEVEL = "reference"

# Statuses of a BackTranslation.
MATCH = "match"
NO_MATCH = "no match"
NO_INPUTS = "no inputs"
CANNOT_RUN = "cannot run"

DEFAULT_SAMPLES = 4
MAX_CASES = 12


@dataclass(frozen=True)
class BackTranslation:
    """What back-translating one docstring found.

    ``status``: "match" (sample ``matched`` of ``samples`` behaves like the original on all
    ``cases``), "no match", "no inputs" (nothing to compare on, or inputs on which every body
    would agree), "cannot run" (the function or its file cannot be run, or its stub cannot be
    asked for). ``reason`` says it in words; ``differences`` says how each checked sample
    differed (``sample k: ...``)."""

    status: str
    reason: str
    cases: int = 0
    samples: int = 0
    parsed: int = 0
    matched: int | None = None  # 1-based number of the first matching sample
    body: str | None = None  # that sample's body
    differences: tuple[str, ...] = ()
    seconds: float = 0.0  # the whole check
    model_seconds: float = 0.0  # of which drawing the samples

    @property
    def matches(self) -> bool:
        return self.status == MATCH

    @property
    def evidence(self) -> Evidence | None:
        """The docstring's evidence from this check: ``LEVEL`` with the facts on a match, else None."""
        return Evidence(LEVEL, self.reason) if self.matches else None

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "reason": self.reason,
            "cases": self.cases,
            "samples": self.samples,
            "parsed": self.parsed,
            "matched": self.matched,
            "differences": list(self.differences),
            "seconds": round(self.seconds, 3),
            "model_seconds": round(self.model_seconds, 3),
        }


def match_facts(cases: int, sample: int, samples: int) -> str:
    return (
        f"a body written from this docstring alone behaves like the original on {cases} "
        f"case{'s' if cases != 1 else ''} (sample {sample} of {samples})"
    )


# Where the function is -------------------------------------------------------------------------


def _function_defs(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function definition in document order: libcst's pre-order, replace_bodies' address."""
    defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return sorted(defs, key=lambda n: (n.lineno, n.col_offset))


def _callable_nodes(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """(qualname, node) of what the sandbox harness can call: top-level functions and methods of
    top-level classes (called on a fresh instance)."""
    out: list[tuple[str, ast.AST]] = [(n.name, n) for n in tree.body if isinstance(n, ast.FunctionDef)]
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef):
            out += [(f"{cls.name}.{n.name}", n) for n in cls.body if isinstance(n, ast.FunctionDef)]
    return out


def locate(source: str, target: DocTarget) -> int | str:
    """The function's index among all function definitions (the splice address), or why it
    cannot be back-translated."""
    if target.kind not in ("function", "method"):
        return f"a {target.kind} has no body to rebuild"
    if target.is_async:
        return "an async function cannot be run on inputs"
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return f"the file does not parse: {exc.msg} (line {exc.lineno})"
    runnable = {id(node) for qual, node in _callable_nodes(tree) if qual == target.qualname}
    for index, node in enumerate(_function_defs(tree)):
        if node.lineno == target.lineno and node.name == target.name:
            if id(node) not in runnable:
                return "only top-level functions and methods of top-level classes can be run"
            if node in tree.body and _rebound_later(tree, node):
                # heapq ends with `from _heapq import *`: the C versions would run whatever the
                # body, and every sample would "match".
                return f"{target.name} is rebound later in the module (a star import or a new definition)"
            return index
    return f"no function {target.qualname} at line {target.lineno}"


def _rebound_later(tree: ast.Module, fn: ast.AST) -> bool:
    """True when a top-level statement after ``fn`` may bind its name again."""
    name = getattr(fn, "name", "")
    for stmt in tree.body[tree.body.index(fn) + 1 :]:  # type: ignore[arg-type]
        for node in ast.walk(stmt):
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                return True
            if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name.split(".")[0]) == name for a in node.names
            ):
                return True
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
                return True
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
                return True
    return False


# The stub the model sees -----------------------------------------------------------------------


def _drop_docstring(source: str, fn_index: int) -> str | None:
    """``source`` without the docstring of function ``fn_index`` (whose body is ``...`` after
    it), or None when it cannot be cut out line by line."""
    lines = source.splitlines(keepends=True)
    fn = _function_defs(ast.parse(source))[fn_index]
    first = fn.body[0]
    if not (
        isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    ):
        return source
    if first.lineno == fn.lineno or len(fn.body) < 2 or fn.body[1].lineno == (first.end_lineno or first.lineno):
        return None
    text = "".join(lines[: first.lineno - 1] + lines[first.end_lineno or first.lineno :])
    try:
        ast.parse(text)
    except SyntaxError:
        return None
    return text


def hollow(source: str, target: DocTarget, fn_index: int, docstring: str) -> str:
    """The file with the function reduced to its signature, ``docstring`` (none when empty) and
    ``...``: the original body and its comments are gone. Raises ValueError with the reason."""
    hollowed = replace_bodies(source, {fn_index: "..."}, keep_comments=False)
    if isinstance(hollowed, SpliceFailed):
        raise ValueError(hollowed.reason)
    text = hollowed.text
    if docstring.strip():
        documented = insert_docstrings(text, {target.index: docstring}, {target.index: target.name})
        if isinstance(documented, SpliceFailed):
            raise ValueError(documented.reason)
        return documented.text
    bare = _drop_docstring(text, fn_index)
    if bare is None:
        raise ValueError("the existing docstring cannot be removed")
    return bare


def _stub(hollowed: str, fn_index: int) -> StubTarget | None:
    return next((s for s in find_stubs(hollowed) if s.index == fn_index), None)


# The original's behaviour ----------------------------------------------------------------------


def _outcome_key(o: Observation) -> str:
    return json.dumps([o.kind, o.value, o.raised], sort_keys=True, default=repr)


def original_behaviour(
    source: str,
    qualname: str,
    *,
    test_sources: Sequence[str] = (),
    max_cases: int = MAX_CASES,
    random_cases: int = 0,
    copy_from: Path | None = None,
    per_case_timeout_s: float = 1.0,
) -> tuple[list[InputCase], Behaviour] | BackTranslation:
    """The inputs to compare on and the original's behaviour on them, as `codex optimize`'s
    baseline takes them (without asking the model for example calls), or the BackTranslation
    saying why there are none.
    Calls that return come first, then those that raise (kept as "raises the same exception");
    time-outs and crashes are left out."""
    cases = original_cases(
        source,
        qualname,
        test_sources=test_sources,
        limit=max_cases,
        random_cases=random_cases,
        copy_from=copy_from,
        per_case_timeout_s=per_case_timeout_s,
    )
    if not cases:
        return BackTranslation(
            NO_INPUTS, "no inputs to compare behaviour on (no doctest, test call, type hint or usable parameter)"
        )
    behaviour = observe(source, qualname, cases, copy_from=copy_from, per_case_timeout_s=per_case_timeout_s)
    if not behaviour.ok:
        return BackTranslation(CANNOT_RUN, f"cannot run the original: {behaviour.error}")
    returned = [o for o in behaviour.observations if o.kind == "value"]
    kept = returned + [o for o in behaviour.observations if o.kind == "raised"]
    if not returned:
        return BackTranslation(
            NO_INPUTS, "the original returns on none of the inputs (it raises or times out on all of them)"
        )
    if len(kept) > 1 and len({_outcome_key(o) for o in kept}) == 1 and kept[0].value is not None:
        # One result for every input (a count of vowels on lists of numbers: 0): any body
        # returning that constant would match, which says nothing about the docstring. (One
        # returning None everywhere may work by changing its arguments, which are compared.)
        return BackTranslation(
            NO_INPUTS, "the original gives the same result on every input, so they cannot tell bodies apart"
        )
    return [o.case for o in kept], Behaviour(tuple(kept), None, behaviour.sandbox)


# The check -------------------------------------------------------------------------------------


def back_translate(
    backend: Backend,
    source: str,
    target: DocTarget,
    docstring: str,
    *,
    settings: Settings,
    samples: int = DEFAULT_SAMPLES,
    path: str = "<file>",
    prompt: PromptTemplate | None = None,
    test_sources: Sequence[str] = (),
    max_cases: int = MAX_CASES,
    random_cases: int = 0,
    copy_from: Path | None = None,
    per_case_timeout_s: float = 1.0,
    on_token: TokenCallback | None = None,
) -> BackTranslation:
    """Draw ``samples`` bodies for ``target`` from its signature and ``docstring`` alone (an
    empty one: from the signature alone, the control), and check whether one behaves like the
    original body of ``source`` on its inputs. The original runs first: a function without
    inputs, or one that cannot run, costs no model call. ``prompt`` defaults to the fill prompt.
    Each sample is spliced into the original file in place of the original body and observed in
    the sandbox, stopping at the first match (identical bodies are run once).
    """
    began = time.perf_counter()

    def result(status: str, reason: str, **facts: object) -> BackTranslation:
        return BackTranslation(status, reason, seconds=time.perf_counter() - began, **facts)  # type: ignore[arg-type]

    prepared = _prepare(source, target, docstring)
    if isinstance(prepared, str):
        return result(CANNOT_RUN, prepared)
    fn_index, hollowed, stub = prepared
    baseline = original_behaviour(
        source,
        target.qualname,
        test_sources=test_sources,
        max_cases=max_cases,
        random_cases=random_cases,
        copy_from=copy_from,
        per_case_timeout_s=per_case_timeout_s,
    )
    if isinstance(baseline, BackTranslation):
        return result(baseline.status, baseline.reason)
    cases, expected = baseline
    try:
        request = request_with_context(
            backend,
            prompt or load_prompt("fill", settings.prompts_dir),
            settings,
            (whole_file(hollowed), stub.header.rstrip("\n")),
            where=path,
            label=f"the stub {stub.qualname}",
            path=path,
            qualname=stub.qualname,
            header=stub.header,
        )
    except PromptTooLongError as exc:
        return result(CANNOT_RUN, str(exc), cases=len(cases))
    drawn_at = time.perf_counter()
    parse = body_parser(hollowed, stub)
    candidates = draw_candidates(
        backend, request, parse, samples, on_token=on_token, greedy_first=settings.temperature == 0
    )
    model_seconds = time.perf_counter() - drawn_at
    parsed = [c for c in candidates if c.value is not None]

    def differs(body: str) -> str:
        return _differs(source, fn_index, body, target.qualname, cases, expected, copy_from, per_case_timeout_s)

    match, differences = _first_match(candidates, differs)
    facts = dict(cases=len(cases), samples=len(candidates), parsed=len(parsed), model_seconds=model_seconds)
    if match is not None:
        reason = match_facts(len(cases), match.number, len(candidates))
        return result(MATCH, reason, matched=match.number, body=match.value, differences=differences, **facts)
    reason = (
        f"no body written from this docstring behaves like the original on its {len(cases)} cases "
        f"({len(parsed)} of {len(candidates)} samples parsed)"
    )
    return result(NO_MATCH, reason, differences=differences, **facts)


def _prepare(source: str, target: DocTarget, docstring: str) -> tuple[int, str, StubTarget] | str:
    """(the function's splice index, the hollowed file, its stub), or why there is none."""
    fn_index = locate(source, target)
    if isinstance(fn_index, str):
        return fn_index
    try:
        hollowed = hollow(source, target, fn_index, docstring)
    except ValueError as exc:
        return f"cannot hollow the function: {exc}"
    stub = _stub(hollowed, fn_index)
    if stub is None:
        return "the hollowed function is not a stub the fill prompt can complete"
    return fn_index, hollowed, stub


def _first_match(
    candidates: Sequence[Candidate[str]], differs: Callable[[str], str]
) -> tuple[Candidate[str] | None, tuple[str, ...]]:
    """The first parsed candidate whose body behaves like the original (``differs`` gives ""),
    and how each one before it failed (unparsed ones included); identical bodies run once."""
    differences = [f"sample {c.number}: {c.error}" for c in candidates if c.error]
    seen: dict[str, str] = {}
    for cand in candidates:
        if cand.value is None:
            continue
        key = _body_key(cand.value)
        why = seen.get(key)
        if why is None:
            why = seen[key] = differs(cand.value)
        if why == "":
            return cand, tuple(differences)
        differences.append(f"sample {cand.number}: {why}")
    return None, tuple(differences)


def _body_key(body: str) -> str:
    try:
        return ast.dump(ast.parse(body))
    except SyntaxError:
        return body


def _differs(
    source: str,
    fn_index: int,
    body: str,
    qualname: str,
    cases: Sequence[InputCase],
    expected: Behaviour,
    copy_from: Path | None,
    per_case_timeout_s: float,
) -> str:
    """The empty string when ``body`` in place of the original behaves the same on ``cases``,
    else how it differs."""
    module = replace_bodies(source, {fn_index: body}, keep_comments=False)
    if isinstance(module, SpliceFailed):
        return f"does not splice into the original file: {module.reason}"
    actual = observe(
        module.text, qualname, cases, copy_from=copy_from, per_case_timeout_s=per_case_timeout_s, stop_on_timeout=True
    )
    diff = compare(expected, actual)
    return "" if diff is None else diff.message
