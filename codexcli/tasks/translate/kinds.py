"""The kind of a value a translation declares (int, float, bool, str, or a list of one of them),
read from the canonical values the original produced: shared by the signature writer (sig.py),
line assembly (line_plan.py) and the judge."""

from __future__ import annotations

from typing import Any, Sequence

MAX_INT = 2**63  # an int outside a 64-bit type has no kind: no target type holds it


def value_kind(value: Any) -> str | None:
    """The kind of one canonical value (verify/compare/behaviour.py's ``canon``): int, float,
    bool, str or a list of one of them (tuples too); None for anything else (an int beyond 64
    bits, a dict, a mixed or empty list)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if -MAX_INT <= value < MAX_INT else None
    if isinstance(value, float) or (isinstance(value, dict) and "__float__" in value):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, dict) and "__tuple__" in value:
        value = value["__tuple__"]
    if isinstance(value, list) and not value:
        return "[]"  # an empty list: of whatever kind its other values say (merge)
    if isinstance(value, list):
        element = merge([value_kind(v) for v in value])
        return f"{element}[]" if element in ("int", "float", "bool", "str") else None
    return None


def merge(kinds: Sequence[str | None]) -> str | None:
    """One kind for values of these kinds: int and float make float (lists too), an empty list
    takes the kind of the other lists; else they agree."""
    found = set(kinds)
    if "[]" in found and len(found) > 1 and all(k and k.endswith("[]") for k in found):
        found.discard("[]")
    if None in found or not found or found == {"[]"}:
        return None
    if found <= {"int", "float"}:
        return "float" if "float" in found else "int"
    if found <= {"int[]", "float[]"}:
        return "float[]" if "float[]" in found else "int[]"
    return next(iter(found)) if len(found) == 1 else None


def observed_kind(values: Sequence[Any]) -> str | None:
    """The kind of values a function returned or a local held (``merge``), where ``None`` among
    them makes a scalar kind nullable (``[3, None]`` -> ``int?``: Java ``Long``, C++
    ``std::optional<long long>``, Rust ``Option<i64>``); None when only ``None`` was seen, or
    ``None`` next to a list."""
    present = [v for v in values if v is not None]
    kind = merge([value_kind(v) for v in present]) if present else None
    if kind is None or len(present) == len(values):
        return kind
    return kind + "?" if kind in ("int", "float", "bool", "str") else None
