"""Arguments a function changes, compared across languages (issue 28: in-place algorithms).

The Python side records each case's arguments after the call (behaviour.py ``args_after``).
The list arguments the original changed on some case are the ones a translation must change
the same way: its harness prints them after the call (harness_src.py: ``"after": [...]``, in
the order of ``mutated_args``) and ``after_difference`` compares them with Python's. A
function that changes no argument gets the harness it always had.
"""

from __future__ import annotations

import json
import re
from typing import Any, Sequence

from codexcli.verify.compare.behaviour import Behaviour, Observation, values_equal


def _untagged(value: Any) -> Any:
    """A canonical value with its tuples as lists (the target prints both as arrays)."""
    if isinstance(value, dict) and set(value) == {"__tuple__"}:
        value = value["__tuple__"]
    return [_untagged(v) for v in value] if isinstance(value, list) else value


def _plain(value: Any) -> Any:
    """A Python argument as the canonical form spells it, near enough to tell a change (tuples
    as lists; a float JSON cannot hold reads as changed, which only prints it)."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        return None


def mutated_args(expected: Behaviour) -> tuple[int, ...]:
    """The positions of the list arguments the original changed on at least one case."""
    found: set[int] = set()
    for obs in expected.observations:
        values = obs.case.values()
        after = obs.args_after[0] if isinstance(obs.args_after, list) and obs.args_after else None
        if values is None or not isinstance(after, list) or obs.kind != "value":
            continue
        for k, before in enumerate(values[0]):
            if isinstance(before, list) and k < len(after):
                if not values_equal(_untagged(after[k]), _plain(before)):
                    found.add(k)
    return tuple(sorted(found))


def after_difference(obs: Observation, record: dict[str, Any], mutated: Sequence[int]) -> str:
    """Why the translation's arguments after the call (``record["after"]``) differ from the
    original's, or "" when they agree (or nothing was printed: a harness without it)."""
    printed = record.get("after")
    after = obs.args_after[0] if isinstance(obs.args_after, list) and obs.args_after else None
    if not mutated or not isinstance(printed, list) or not isinstance(after, list):
        return ""
    if len(printed) != len(mutated):
        return f"on {obs.case.call_src}: the arguments are mutated differently (not all printed)"
    for k, got in zip(mutated, printed):
        exp, act = (_untagged(after[k]) if k < len(after) else None), _untagged(got)
        if not values_equal(exp, act):
            return (
                f"on {obs.case.call_src}: the arguments are mutated differently (argument {k + 1}: "
                f"expected {json.dumps(exp)[:60]}, got {json.dumps(act)[:60]})"
            )
    return ""


def cpp_takes_reference(code: str, function: str) -> bool:
    """Whether C++ ``function`` takes a parameter by non-const reference (a braced literal
    cannot bind to it)."""
    m = re.search(rf"\b{re.escape(function)}\s*\(([^)]*)\)\s*(?:noexcept\s*)?\{{", code)
    return m is not None and any("&" in p and "&&" not in p and "const" not in p for p in m.group(1).split(","))


def cpp_call(i: int, function: str, literals: Sequence[str], mutated: Sequence[int]) -> str:
    """Case ``i`` of the C++ harness for a function whose arguments must be variables: a tuple
    of its parameter types, each assigned its literal, the call through ``std::apply``, then the
    ``mutated`` arguments printed."""
    after = ' + ", " + '.join(f"codex_harness::js(std::get<{k}>(a))" for k in mutated)
    printed = f', [&]() {{ return std::string("[") + {after} + "]"; }}' if mutated else ""
    stores = " ".join(
        f"std::get<{k}>(a) = {literal};" for k, literal in enumerate(literals)
    )  # not a{...}: {} is ambiguous
    return (
        f"      case {i}: {{ codex_harness::args_of<decltype(&{function})> a; {stores}"
        f" codex_harness::call({i}, [&]() {{ return std::apply({function}, a); }}{printed}); }} break;"
    )


def rust_call(i: int, function: str, args: Sequence[Any], types: Sequence[str], mutated: Sequence[int]) -> str:
    """Case ``i`` of the Rust harness where the ``mutated`` arguments are variables (``let mut
    a0``), passed as their parameter wants them (``&mut a0``, ``&a0``, a clone) and printed after
    the call (harness_src.py ``done``); the others are literals, as ``rust_program`` writes them."""
    from codexcli.verify.compare.rust_args import rust_literal

    lets, passed = [], []
    for k, (value, ty) in enumerate(zip(args, types)):
        if k not in mutated:
            passed.append(rust_literal(value, ty))
            continue
        borrow = re.match(r"&\s*(?:'\w+\s+)?(mut\s+)?", ty)
        inner = ty[borrow.end() :].strip() if borrow else ty
        inner = f"Vec<{inner[1:-1]}>" if inner.startswith("[") and inner.endswith("]") else inner
        lets.append(f"let mut a{k}: {inner} = {rust_literal(value, inner)};")
        passed.append(f"&{borrow.group(1) or ''}a{k}" if borrow else f"a{k}.clone()")
    call = f"std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {function}({', '.join(passed)})))"
    after = ", ".join(f"a{k}.cx()" for k in mutated)
    return f"            {i} => {{ {' '.join(lets)} codex_harness::done({i}, {call}, vec![{after}]); }}"
