"""Which input cases a typed translation cannot be given: ``clamp('x')`` where the translated
function takes a ``long`` (an ``isinstance`` test is true by construction there). The behaviour
check leaves them out and says so (tasks/translate/judge.py), never counting them as matching."""

from __future__ import annotations

import re
from typing import Any, Sequence

from codexcli.tasks.translate.kinds import dict_parts
from codexcli.tasks.translate.line_none import holds_none
from codexcli.tasks.translate.line_syntax import LineSyntax
from codexcli.tasks.translate.lines import signature_columns
from codexcli.verify.cases.inputs import InputCase


def _fits(value: Any, kind: str) -> bool:
    """Whether a Python argument can be passed as a parameter of ``kind`` (a list's elements
    each; None only to a nullable)."""
    if kind.endswith("?"):
        return value is None or _fits(value, kind[:-1])
    if kind.endswith("[]"):
        return isinstance(value, (list, tuple)) and all(_fits(v, kind[:-2]) for v in value)
    if (parts := dict_parts(kind)) is not None:  # dict[str,int]: each key and value
        return isinstance(value, dict) and all(_fits(k, parts[0]) and _fits(v, parts[1]) for k, v in value.items())
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, {"bool": bool, "str": str}.get(kind, object))


def inexpressible(cases: Sequence[InputCase], code: str, defined: str, syntax: LineSyntax) -> list[int]:
    """The indexes of the cases whose arguments the translated function ``defined`` cannot be
    given, by its signature in ``code`` (``clamp('x')`` where it takes a ``long``: an
    ``isinstance`` test is true by construction there). They are left out of the comparison and
    reported (tasks/translate/judge.py), never counted as matching. [] when the signature or a
    parameter's kind cannot be read."""
    header = re.search(rf"^[^\n;{{}}]*\b{re.escape(defined)}\s*\([^)]*\)[^\n{{;]*", code, re.M)
    columns = signature_columns(header.group(0).rstrip()) if header else None
    kinds = [syntax.kind_of(t) for t, _ in columns or []]
    # a type that holds none as it is (Java's String) takes None too (line_none.py)
    kinds = [k + "?" if k and not k.endswith("?") and holds_none(k, syntax) else k for k in kinds]
    if not kinds or None in kinds:
        return []
    out = []
    for k, case in enumerate(cases):
        values = case.values()
        args = values[0] if values is not None and not values[1] else None
        if args is not None and len(args) == len(kinds) and not all(_fits(a, t) for a, t in zip(args, kinds) if t):
            out.append(k)
    return out
