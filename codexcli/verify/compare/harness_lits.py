"""Literals of Python values in the languages the behaviour harnesses are written in.

Java gets boxed Objects the harness converts by reflection to the parameter types; C++ gets
braced initializers, which convert to whatever container the function takes; JavaScript gets
plain values. A value with no literal raises Unrenderable (the function is then unverified).
"""

from __future__ import annotations

import json
import math
from typing import Any


class Unrenderable(ValueError):
    """A Python value with no literal in the target language (the case is left out)."""


def java_literal(v: Any) -> str:
    """A Java expression (boxed Object) for a Python value; the harness converts it by reflection."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if not -(2**63) <= v < 2**63:
            raise Unrenderable("integer beyond 64 bits")
        return f"{v}L"
    if isinstance(v, float):
        if math.isnan(v):
            return "Double.NaN"
        if math.isinf(v):
            return "Double.POSITIVE_INFINITY" if v > 0 else "Double.NEGATIVE_INFINITY"
        return f"{v!r}d"
    if isinstance(v, str):
        return c_string(v)
    if isinstance(v, (list, tuple, set, frozenset)):
        return "L(" + ", ".join(java_literal(x) for x in _ordered(v)) + ")"
    if isinstance(v, dict):
        return "M(" + ", ".join(f"{java_literal(k)}, {java_literal(x)}" for k, x in v.items()) + ")"
    raise Unrenderable(f"no Java literal for {type(v).__name__}")


def cpp_literal(v: Any) -> str:
    """A C++ initializer for a Python value (braced lists convert to whatever container the
    translated function takes)."""
    if v is None:
        return "std::nullopt"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if not -(2**63) < v < 2**63:
            raise Unrenderable("integer beyond 64 bits")
        return f"{v}LL" if not -(2**31) <= v < 2**31 else str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise Unrenderable("non-finite float")
        return repr(v)
    if isinstance(v, str):
        return "std::string(" + c_string(v, "cpp") + ")"
    if isinstance(v, (list, tuple, set, frozenset)):
        return "{" + ", ".join(cpp_literal(x) for x in _ordered(v)) + "}"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{{{cpp_literal(k)}, {cpp_literal(x)}}}" for k, x in v.items()) + "}"
    raise Unrenderable(f"no C++ literal for {type(v).__name__}")


def js_literal(v: Any) -> str:
    """A JavaScript expression for a Python value (tuples and sets become arrays)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return json.dumps(v)  # NaN / Infinity are JavaScript too
    if isinstance(v, (list, tuple, set, frozenset)):
        return "[" + ", ".join(js_literal(x) for x in _ordered(v)) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {js_literal(x)}" for k, x in v.items()) + "}"
    raise Unrenderable(f"no JavaScript literal for {type(v).__name__}")


def _ordered(v: Any) -> list[Any]:
    if isinstance(v, (set, frozenset)):
        return sorted(v, key=repr)
    return list(v)


def c_string(s: str, style: str = "java") -> str:
    """A double-quoted string literal. ``style``: "java" (\\uXXXX escapes, also valid JSON-like
    for JavaScript), "cpp" (octal escapes of the UTF-8 bytes: a universal character name may not
    name a control character) or "rust" (\\u{X})."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) <= 0x7E:
            out.append(ch)
        elif style == "cpp":
            out.append("".join(f"\\{b:03o}" for b in ch.encode("utf-8")))
        elif style == "java" and ord(ch) < 0x20:
            out.append(f"\\{ord(ch):03o}")  # \\u000a would end the line before javac lexes the string
        elif style == "rust":
            out.append(f"\\u{{{ord(ch):x}}}")
        elif ord(ch) > 0xFFFF:
            out.append(
                "".join(
                    f"\\u{u:04x}"
                    for u in (0xD800 + ((ord(ch) - 0x10000) >> 10), 0xDC00 + ((ord(ch) - 0x10000) & 0x3FF))
                )
            )
        else:
            out.append(f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'
