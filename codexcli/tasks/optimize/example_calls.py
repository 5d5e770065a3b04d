"""Example calls from the model, kept only when they run on the original (in the sandbox).

For a function with no doctest, no hints and no tests, the model is asked for example calls
(prompts/examples.toml). Its answer is only a source of arguments: each call is parsed (literal
arguments only) here; the task then runs them on the original in the sandbox with its other cases
and keeps a call that returns, and a few on which the original raises as "raises the same
exception" cases (a rewrite must raise too), dropping those that time out or crash
(tasks/optimize/inputs.keep_observed).
"""

from __future__ import annotations

import ast
from typing import Sequence

from codexcli.answers import candidate_snippets
from codexcli.backends.base import CompletionRequest
from codexcli.config import Settings
from codexcli.prompts import PromptTemplate
from codexcli.verify.cases.infer_types import Inferred, describe
from codexcli.verify.cases.inputs import InputCase

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
