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

import math
from typing import Any

from codexcli.splice.docstring import DocTarget
from codexcli.tasks.comment.backtranslate import original_behaviour

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


def observed_examples(source: str, target: DocTarget, limit: int = MAX_EXAMPLES) -> list[tuple[str, str]]:
    """Up to ``limit`` (call, value) pairs observed by running ``target`` of ``source`` in the
    sandbox, different values first; [] when it cannot run, has no inputs, or nothing renders."""
    if target.kind != "function" or "." in target.qualname:
        return []
    found = original_behaviour(source, target.qualname)
    if not isinstance(found, tuple):
        return []
    _, behaviour = found
    out: list[tuple[str, str]] = []
    seen: set[tuple[bool, str]] = set()
    for observation in behaviour.observations:
        if observation.kind != "value" or observation.case.kwargs_src.strip() != "{}":
            continue
        try:
            shown = render(observation.value)
        except _Unrenderable:
            continue
        args = observation.case.args_src.strip()
        inner = args[1:-1].rstrip().rstrip(",") if args.startswith("(") and args.endswith(")") else None
        if inner is None:
            continue
        call = f"{target.name}({inner})"
        if shown == "None":  # doctest prints nothing for None: ask the question that shows it
            call, shown = f"{call} is None", "True"
        if len(call) > MAX_LINE or len(shown) > MAX_LINE or (call.endswith(" is None"), shown) in seen:
            continue
        seen.add((call.endswith(" is None"), shown))
        out.append((call, shown))
        if len(out) == limit:
            break
    return out


def examples_docstring(target: DocTarget, examples: list[tuple[str, str]], style: str) -> str:
    """The docstring of ``examples`` in ``style`` (a summary line saying what they are)."""
    summary = f"Examples of calls to `{target.name}` and the values they return, observed by running it."
    lines = [f">>> {call}\n{value}" for call, value in examples]
    if style == "google":
        body = "Examples:\n" + "\n".join("    " + l for line in lines for l in line.split("\n"))
    elif style == "numpy":
        body = "Examples\n--------\n" + "\n".join(lines)
    else:
        body = "\n".join(lines)
    return f"{summary}\n\n{body}"


def facts(examples: list[tuple[str, str]]) -> str:
    """The evidence's facts for an examples docstring."""
    return f"{len(examples)} example call(s) observed by running the function in the sandbox"
