"""A docstring of examples codex observed by running the function: true by construction.

When no summary the model writes passes the meaning checks (the 135M default model rarely
writes one that does, docs/heldout.md), a module-level function can still be documented by what
it does: a few calls and the values they returned, observed in the sandbox on the inputs codex
builds for it (the ones `codex optimize` compares on). Each example is shown only when its value
renders back exactly as Python writes it (ints, floats, strings, bytes, None, bools, and lists and
tuples of those), so the docstring is a doctest that passes. Its summary line says what it is;
its evidence is ``examples`` (the docstring's examples pass), never a claim about meaning.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import math
from typing import Any

from codexcli.evidence import Evidence
from codexcli.splice.docstring import DocTarget
from codexcli.tasks.comment.backtranslate import original_behaviour
from codexcli.tasks.pipeline import Done, Skipped
from codexcli.verify.compare.behaviour import Observation, observe

MAX_EXAMPLES = 3
MAX_LINE = 88  # a call or a value longer than this is not shown


class _Unrenderable(Exception):
    pass


def render(value: Any) -> str:
    """The Python repr of a value the sandbox harness canonicalised (verify/compare/behaviour.py
    ``canon``), or _Unrenderable when its repr cannot be known exactly (sets and dicts: their
    order; objects, iterators, NaN)."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise _Unrenderable
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    if isinstance(value, dict) and set(value) == {"__tuple__"}:
        items = [render(v) for v in value["__tuple__"]]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, dict) and set(value) == {"__bytes__"}:
        return repr(bytes.fromhex(value["__bytes__"]))
    raise _Unrenderable


# One example: its doctest lines, the inputs with their ``>>> `` prompt, the outputs without.
Example = tuple[str, ...]


def observed_examples(source: str, target: DocTarget, limit: int = MAX_EXAMPLES) -> list[Example]:
    """Up to ``limit`` examples observed by running ``target`` of ``source`` in the sandbox,
    different values first; [] when it cannot run, has no inputs, or nothing renders. A call that
    changes a list it is given shows the list before and after (``heapify(heap)``)."""
    if target.kind != "function" or "." in target.qualname:
        return []
    found = original_behaviour(source, target.qualname)
    if not isinstance(found, tuple):
        return []
    _, behaviour = found
    picked: list[tuple[Example, Observation]] = []
    seen: set[tuple[str, ...]] = set()
    for observation in behaviour.observations:
        if observation.kind != "value" or observation.case.kwargs_src.strip() != "{}":
            continue
        example = _example(target, observation.case.args_src, observation.value, observation.args_after)
        if example is None or any(len(line) > MAX_LINE for line in example):
            continue
        key = tuple(line for line in example if not line.startswith(">>> "))  # what it shows
        if key in seen:
            continue
        seen.add(key)
        picked.append((example, observation))
        if len(picked) == limit:
            break
    return _repeatable(source, target, picked)


def _repeatable(source: str, target: DocTarget, picked: list[tuple[Example, Observation]]) -> list[Example]:
    """The examples whose call gives the same in a second run (a fresh process): a value that
    depends on the clock or an unseeded random number would make a doctest that fails."""
    if not picked:
        return []
    again = observe(source, target.qualname, [o.case for _, o in picked])
    if not again.ok or len(again.observations) != len(picked):
        return []
    return [
        example
        for (example, first), second in zip(picked, again.observations)
        if (first.kind, first.value, first.args_after) == (second.kind, second.value, second.args_after)
    ]


def _example(target: DocTarget, args_src: str, value: Any, args_after: Any) -> Example | None:
    """The doctest lines of one call, or None when an argument or a value cannot be shown exactly."""
    try:
        shown = render(value)
        args = _arguments(args_src)
    except _Unrenderable:
        return None
    changed = _changed(args, args_after)
    if changed is None:
        return _plain_call(target.name, [source for source, _ in args], shown)
    index, after = changed
    name = _variable(target, index)
    call = f"{target.name}({', '.join(name if i == index else src for i, (src, _) in enumerate(args))})"
    lines: list[str] = [f">>> {name} = {args[index][0]}", f">>> {call}"]
    if shown != "None":
        lines.append(shown)
    return (*lines, f">>> {name}", after)


def _plain_call(name: str, args: list[str], shown: str) -> Example:
    call = f"{name}({', '.join(args)})"
    if shown == "None":  # doctest prints nothing for None: ask the question that shows it
        return (f">>> {call} is None", "True")
    return (f">>> {call}", shown)


def _arguments(args_src: str) -> list[tuple[str, Any]]:
    """Each positional argument's source and value (literals only, read without running them)."""
    try:
        tree = ast.parse(args_src.strip(), mode="eval").body
    except SyntaxError:
        raise _Unrenderable from None
    if not isinstance(tree, ast.Tuple):
        raise _Unrenderable
    out = []
    for element in tree.elts:
        try:
            out.append((ast.unparse(element), ast.literal_eval(element)))
        except ValueError:
            raise _Unrenderable from None
    return out


def _changed(args: list[tuple[str, Any]], args_after: Any) -> tuple[int, str] | None:
    """The one list argument the call changed and how it reads after it, or None (none changed,
    or more than one: an example shows one)."""
    after = args_after[0] if isinstance(args_after, list) and args_after else None
    if not isinstance(after, list) or len(after) != len(args):
        return None
    changes = []
    for i, ((_, before), now) in enumerate(zip(args, after)):
        if isinstance(before, list):
            try:
                rendered = render(now)
            except _Unrenderable:
                return None
            if rendered != repr(before):
                changes.append((i, rendered))
    return changes[0] if len(changes) == 1 else None


def _variable(target: DocTarget, index: int) -> str:
    """The parameter's own name for the changed argument, unless it would hide a builtin or the
    function itself in the doctest's namespace."""
    params = list(target.params)
    name = params[index] if index < len(params) else ""
    if not name.isidentifier() or keyword.iskeyword(name) or hasattr(builtins, name) or name == target.name:
        return f"arg{index + 1}"
    return name


def examples_docstring(target: DocTarget, examples: list[Example], style: str) -> str:
    """The docstring of ``examples`` in ``style`` (a summary line saying what they are)."""
    summary = f"Examples of calls to `{target.name}` and the values they return, observed by running it."
    lines = [line for example in examples for line in example]
    if style == "google":
        body = "Examples:\n" + "\n".join("    " + line for line in lines)
    elif style == "numpy":
        body = "Examples\n--------\n" + "\n".join(lines)
    else:
        body = "\n".join(lines)
    return f"{summary}\n\n{body}"


def facts(examples: list[Example]) -> str:
    """The evidence's facts for an examples docstring."""
    return f"{len(examples)} example call(s) observed by running the function in the sandbox"


def examples_done(outcome: Done[Any, Any] | Skipped[Any], value: str, facts: str, what: str) -> Done[Any, str]:
    """The Done of a docstring or comment (``what``) of observed examples, ``value``, written in
    place of ``outcome`` (the model's, below the threshold), which the note names."""
    model = outcome.reason if isinstance(outcome, Skipped) else outcome.evidence.describe()
    return Done(
        outcome.target,
        value,
        outcome.attempts,
        status="documented",
        evidence=Evidence("examples", facts),
        note=f"the model's {what} was not written ({model})",
    )
