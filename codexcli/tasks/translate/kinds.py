"""The kind of a value a translation declares (int, float, bool, str, a list of one of them, a
list of such lists: ``int[][]``, or a dict of scalar keys and values: ``dict[str,int]``), read from the canonical values the original produced: shared by the signature writer (sig.py),
line assembly (line_plan.py) and the judge."""

from __future__ import annotations

from typing import Any, Sequence

from codexcli.tasks.translate.tuples import merge_tuples, tuple_kind

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
        mixed = tuple_kind([value_kind(v) for v in value]) if merge([value_kind(v) for v in value]) is None else None
        if mixed:
            return mixed  # items of more than one kind (tuples.py); one kind: a list
    if isinstance(value, list) and not value:
        return "[]"  # an empty list: of whatever kind its other values say (merge)
    if isinstance(value, list):
        inner = [value_kind(v) for v in value]
        if all(k == "[]" for k in inner):
            return "[][]"  # empty rows: of whatever kind the other values say (merge)
        element = merge(inner)
        return f"{element}[]" if element in _ELEMENTS else None
    if isinstance(value, dict) and "__dict__" in value:
        return dict_kind(value["__dict__"])
    return None


_SCALARS = ("int", "float", "bool", "str")
_ELEMENTS = (*_SCALARS, *(k + "[]" for k in _SCALARS))  # a list's: a scalar, or a row of one
_KEYS = ("int", "str")


def dict_kind(pairs: Sequence[Any]) -> str | None:
    """The kind of a canonical dict's ``[key, value]`` pairs: ``dict[str,int]`` (keys int or
    str, values a scalar); ``{}`` for an empty one (of the kind its other values say: merge)."""
    if not pairs:
        return "{}"
    key = merge([value_kind(k) for k, _ in pairs])
    item = merge([value_kind(v) for _, v in pairs])
    return f"dict[{key},{item}]" if key in _KEYS and item in _SCALARS else None


def dict_parts(kind: str) -> tuple[str, str] | None:
    """The key and value kinds of ``dict[K,V]`` (None for any other kind)."""
    if not (kind.startswith("dict[") and kind.endswith("]") and "," in kind):
        return None
    key, item = kind[5:-1].split(",", 1)
    return key, item


def merge(kinds: Sequence[str | None]) -> str | None:
    """One kind for values of these kinds: int and float make float (lists too), an empty list
    (``[]``; ``[][]``: rows all empty) or dict (``{}``) takes the kind of the others; else they
    agree."""
    found = set(kinds)
    concrete = found - {"[]", "[][]", "{}"}
    if concrete and all(k and k.endswith("[][]") for k in concrete):
        found.discard("[][]")
    if concrete and all(k and k.endswith("[]") for k in concrete):
        found.discard("[]")
    if concrete and all(k and k.startswith("dict[") for k in concrete):
        found.discard("{}")
    if None in found or not concrete:
        return None
    if len(found) > 1 and all(k and k.startswith("tuple[") for k in found):
        return merge_tuples({k for k in found if k}, merge)
    for ints, floats in (("int", "float"), ("int[]", "float[]"), ("int[][]", "float[][]")):
        if found <= {ints, floats}:
            return floats if floats in found else ints
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
