"""Example calls from the model, kept only when they run on the original (in the sandbox).

For a function with no doctest, no hints and no tests, the model is asked for example calls
(prompts/examples.toml). Its answer is only a source of arguments: each call is parsed (literal
arguments only), run on the original in the sandbox, and kept when it returns; a call on which
the original raises is kept apart as a "raises the same exception" case (a rewrite or a
translation must raise too), and calls that time out or crash are dropped. ``origins`` counts
where a list of cases came from, for reports.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from codexcli.answers import candidate_snippets
from codexcli.backends.base import CompletionRequest
from codexcli.config import Settings
from codexcli.prompts import PromptTemplate
from codexcli.verify.behaviour import observe
from codexcli.verify.infer_types import Inferred, describe
from codexcli.verify.inputs import InputCase

ORIGIN = "model"


def example_request(
    prompt: PromptTemplate, settings: Settings, qualname: str, function: str, inferred: list[Inferred] | None
) -> CompletionRequest:
    """The request for example calls of one function (prompts/examples.toml)."""
    messages, prefill = prompt.render(
        qualname=qualname,
        name=qualname.rsplit(".", 1)[-1],
        function=function,
        types=describe(inferred) if inferred else "unknown",
    )
    return CompletionRequest(
        messages=messages,
        max_tokens=min(settings.max_tokens, 200),
        temperature=settings.temperature,
        stop=prompt.stop,
        seed=settings.seed,
        prefill=prefill,
    )


def parse_example_calls(answer: str, name: str, limit: int = 12) -> list[InputCase]:
    """Calls to ``name`` with literal arguments in an answer, one case each, without repeats.
    Each line is read alone, so a call cut off by max_tokens costs only its own line."""
    out: list[InputCase] = []
    for snippet in candidate_snippets(answer, "python") or [answer]:
        for line in snippet.splitlines():
            case = _literal_call(line.strip().removeprefix(">>> "), name)
            if case is not None and case not in out:
                out.append(case)
    return out[:limit]


def _literal_call(line: str, name: str) -> InputCase | None:
    """The case of ``name(literals...)`` (alone or as ``x = name(...)`` / ``print(name(...))``)."""
    try:
        tree = ast.parse(line)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if not isinstance(node, ast.Call) or called != name:
            continue
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        try:
            args = tuple(ast.literal_eval(a) for a in node.args)
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None
        return InputCase(repr(args), repr(kwargs), ORIGIN)
    return None


@dataclass(frozen=True)
class RunnableCases:
    """Cases on which the original returned, those on which it raised, and how many were
    dropped (timeouts, crashes), with the reason the run failed as a whole if it did."""

    returned: tuple[InputCase, ...]
    raised: tuple[InputCase, ...]
    dropped: int
    error: str | None = None

    @property
    def cases(self) -> list[InputCase]:
        """Returning cases first, then the raising ones (each a "raises the same" check)."""
        return [*self.returned, *self.raised]


def keep_runnable(
    module_source: str,
    qualname: str,
    cases: Sequence[InputCase],
    *,
    max_raised: int = 3,
    python: str | None = None,
    copy_from: Path | None = None,
    extra_files: dict[str, str] | None = None,
) -> RunnableCases:
    """Run ``cases`` on the original in the sandbox; keep the ones that return, and up to
    ``max_raised`` that raise (their origin gets ":raises")."""
    if not cases:
        return RunnableCases((), (), 0)
    behaviour = observe(
        module_source,
        qualname,
        list(cases),
        python=python,
        copy_from=copy_from,
        extra_files=extra_files,
        per_case_timeout_s=1.0,
        stop_on_timeout=True,
    )
    if not behaviour.ok:
        return RunnableCases((), (), len(cases), behaviour.error)
    returned: list[InputCase] = []
    raised: list[InputCase] = []
    for obs in behaviour.observations:
        if obs.kind == "value":
            returned.append(obs.case)
        elif obs.kind == "raised" and len(raised) < max_raised:
            raised.append(InputCase(obs.case.args_src, obs.case.kwargs_src, obs.case.origin + ":raises"))
    return RunnableCases(tuple(returned), tuple(raised), len(cases) - len(returned) - len(raised))


def origins(cases: Sequence[InputCase]) -> dict[str, int]:
    """How many cases came from where ({"doctest": 2, "inferred": 6, "model": 3, ...})."""
    return dict(Counter(c.origin for c in cases))


def merge_cases(*groups: Sequence[InputCase], limit: int) -> list[InputCase]:
    """Groups of cases joined in order (best sources first), without repeated arguments."""
    seen: set[tuple[str, str]] = set()
    out: list[InputCase] = []
    for group in groups:
        for case in group:
            key = (case.args_src, case.kwargs_src)
            if key not in seen:
                seen.add(key)
                out.append(case)
    return out[:limit]
