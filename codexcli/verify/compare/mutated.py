"""Arguments a function changes, compared across languages (issue 28: in-place algorithms).

The Python side records each case's arguments after the call (behaviour.py ``args_after``).
The list arguments the original changed on some case are the ones a translation must change
the same way: its harness prints them after the call (harness_src.py: ``"after": [...]``, in
the order of ``mutated_args``) and ``after_difference`` compares them with Python's. A
function that changes no argument gets the harness it always had.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from codexcli.verify.compare.behaviour import Behaviour, Observation, values_equal


def _plain(value: Any) -> Any:
    """A Python argument as the canonical form spells it, near enough to tell a change (tuples
    as lists; a float JSON cannot hold reads as changed, which only prints it)."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        return None


def mutated_args(expected: Behaviour) -> tuple[int, ...]:
    """The positions of the list arguments the original changed on at least one case."""
    from codexcli.verify.compare.harness import simplify

    found: set[int] = set()
    for obs in expected.observations:
        values = obs.case.values()
        after = obs.args_after[0] if isinstance(obs.args_after, list) and obs.args_after else None
        if values is None or not isinstance(after, list) or obs.kind != "value":
            continue
        for k, before in enumerate(values[0]):
            if isinstance(before, list) and k < len(after):
                exp, act = simplify(after[k], _plain(before))
                if not values_equal(exp, act):
                    found.add(k)
    return tuple(sorted(found))


def after_difference(obs: Observation, record: dict[str, Any], mutated: Sequence[int]) -> str:
    """Why the translation's arguments after the call (``record["after"]``) differ from the
    original's, or "" when they agree (or nothing was printed: a harness without it)."""
    from codexcli.verify.compare.harness import simplify

    printed = record.get("after")
    after = obs.args_after[0] if isinstance(obs.args_after, list) and obs.args_after else None
    if not mutated or not isinstance(printed, list) or not isinstance(after, list):
        return ""
    if len(printed) != len(mutated):
        return f"on {obs.case.call_src}: the arguments are mutated differently (not all printed)"
    for k, got in zip(mutated, printed):
        exp, act = simplify(after[k], got) if k < len(after) else (None, got)
        if not values_equal(exp, act):
            return (
                f"on {obs.case.call_src}: the arguments are mutated differently (argument {k + 1}: "
                f"expected {json.dumps(exp)[:60]}, got {json.dumps(act)[:60]})"
            )
    return ""
