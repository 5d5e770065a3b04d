"""Rust literals for Python values, typed by the translated function's signature.

Rust infers nothing across a call from a bare literal the way C++ braced lists do (``&str`` vs
``String``, ``&[i64]`` vs ``Vec<i64>``), so the harness reads the parameter types of the
translated ``fn`` and renders each argument for its type.
"""

from __future__ import annotations

import math
import re
from typing import Any

from codexcli.verify.compare.harness_lits import Unrenderable, c_string

_INTS = {"i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize"}


def split_top(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside <>, (), [] (generic arguments contain commas)."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def param_types(code: str, name: str) -> list[str] | None:
    """The parameter types of ``fn name(...)`` in ``code``, or None when it is not found."""
    m = re.search(rf"\bfn\s+{re.escape(name)}\s*(<[^>{{]*>)?\s*\(", code)
    if m is None:
        return None
    depth, i = 1, m.end()
    while i < len(code) and depth:
        depth += {"(": 1, ")": -1}.get(code[i], 0)
        i += 1
    params = split_top(code[m.end() : i - 1])
    types = []
    for p in params:
        if re.fullmatch(r"&?\s*(mut\s+)?self", p) or ":" not in p:
            return None  # a method: not called by the harness
        types.append(p.split(":", 1)[1].strip())
    return types


def rust_literal(v: Any, ty: str) -> str:
    """A Rust expression of type ``ty`` holding the Python value ``v``."""
    ty = ty.strip()
    if ty.startswith("&"):
        inner = re.sub(r"^&\s*('\w+\s+)?(mut\s+)?", "", ty)
        mut = "mut " if re.match(r"^&\s*('\w+\s+)?mut\s", ty) else ""
        if inner == "str":
            return rust_literal(v, "String") if mut else _str(v)
        if inner.startswith("[") and inner.endswith("]"):
            return f"&{mut}" + rust_literal(v, f"Vec<{inner[1:-1]}>")
        return f"&{mut}" + rust_literal(v, inner)
    generic = re.fullmatch(r"(?:std::collections::)?(\w+)\s*<(.*)>", ty)
    if generic:
        outer, args = generic.group(1), split_top(generic.group(2))
        if outer == "Option":
            return "None" if v is None else f"Some({rust_literal(v, args[0])})"
        if outer in ("Vec", "VecDeque", "HashSet", "BTreeSet") and isinstance(v, (list, tuple, set, frozenset)):
            items = ", ".join(
                rust_literal(x, args[0]) for x in (sorted(v, key=repr) if isinstance(v, (set, frozenset)) else v)
            )
            return f"vec![{items}]" if outer == "Vec" else f"std::collections::{outer}::from([{items}])"
        if outer in ("HashMap", "BTreeMap") and isinstance(v, dict) and len(args) == 2:
            items = ", ".join(f"({rust_literal(k, args[0])}, {rust_literal(x, args[1])})" for k, x in v.items())
            return f"std::collections::{outer}::from([{items}])"
        if outer == "Box":
            return f"Box::new({rust_literal(v, args[0])})"
    if ty.startswith("(") and ty.endswith(")") and isinstance(v, (list, tuple)):
        types = split_top(ty[1:-1])
        if len(types) == len(v):
            return "(" + ", ".join(rust_literal(x, t) for x, t in zip(v, types)) + ("," if len(v) == 1 else "") + ")"
    if ty == "bool" and isinstance(v, bool):
        return "true" if v else "false"
    if ty in _INTS and isinstance(v, int) and not isinstance(v, bool):
        if ty.startswith("u") and v < 0:
            raise Unrenderable(f"{v} does not fit {ty}")
        return f"{v}{ty}"
    if ty in ("f32", "f64") and isinstance(v, (int, float)) and not isinstance(v, bool):
        if math.isnan(v) or math.isinf(v):
            return f"{ty}::{'NAN' if math.isnan(v) else 'INFINITY' if v > 0 else 'NEG_INFINITY'}"
        return f"{float(v)!r}{ty}"
    if ty == "String" and isinstance(v, str):
        return f"String::from({_str(v)})"
    if ty == "char" and isinstance(v, str) and len(v) == 1:
        return "'" + ("\\'" if v == "'" else c_string(v, "rust")[1:-1].replace('\\"', '"')) + "'"
    raise Unrenderable(f"no Rust literal of type {ty} for {v!r}")


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise Unrenderable(f"{v!r} is not a string")
    return c_string(v, "rust")
