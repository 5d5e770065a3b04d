"""`codex translate` to C++ and TypeScript: what codex writes itself, as for Java
(tasks/translate/sig.py): the function's signature (parameter kinds from the body, the return
kind from the values the original returned), the module's constants (``DAYS = [31, 28]`` ->
``const std::vector<long long> DAYS = {31LL, 28LL};`` / ``const DAYS: number[] = [31, 28];``,
each value exactly the Python literal's), C++'s ``#include`` lines for the standard library a
body uses, and the line syntax that assembles a function line by line
(tasks/translate/line_syntax.py). Named by the entries of codexcli/languages.py
(``writes="codexcli.tasks.translate.sig_typed:CPP_WRITER"``, ``TS_WRITER``).
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any, Sequence

from codexcli.tasks.translate.kinds import value_kind
from codexcli.tasks.translate.line_syntax import CPP_LINES, TS_LINES, LineSyntax
from codexcli.tasks.translate.sig import Writer, evaluated_constants, typed_signature
from codexcli.tasks.translate.str_helpers import needed

_INCLUDES = (
    (r"std::vector\b", "<vector>"),
    (r"std::string\b", "<string>"),
    (r"std::(?:fmod|floor|ceil|sqrt|pow|abs|exp|log|sin|cos|tan|atan2|hypot)\b", "<cmath>"),
    (r"std::(?:max|min|sort|reverse)\b", "<algorithm>"),
    (r"std::(?:invalid_argument|logic_error|runtime_error|out_of_range|domain_error)\b", "<stdexcept>"),
    (r"std::(?:map)\b", "<map>"),
    (r"std::(?:optional|nullopt)\b", "<optional>"),
    (r"std::(?:tuple|get)\b", "<tuple>"),
)


def cpp_signature(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str, values: Sequence[Any], sources: Sequence[str] = ()
) -> str | None:
    """The C++ signature (``long long gcd(long long a, long long b)``)."""
    return typed_signature(fn, name, values, CPP_LINES, sources)


def _literal(value: Any, kind: str, brackets: str = "{}", long: str = "{}LL") -> str:
    """A C++ (TypeScript: ``brackets`` "[]", ``long`` "{}") literal of ``value``."""
    if kind.endswith("[]"):
        return brackets[0] + ", ".join(_literal(v, kind[:-2], brackets, long) for v in value) + brackets[1]
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return long.format(value)
    if kind == "float":
        return repr(float(value))
    return json.dumps(value)  # ASCII with \\uXXXX escapes: valid in C++ and TypeScript too


def _constants(code: str, syntax: LineSyntax, template: str, brackets: str, long: str) -> str | None:
    fields = []
    for name, value in evaluated_constants(code) or [("", None)]:
        kind = value_kind(value)
        if kind is None or (isinstance(value, float) and (value != value or value in (float("inf"), float("-inf")))):
            return None
        if (
            syntax.one_number
            and kind.startswith("int")
            and any(abs(v) > 2**53 for v in (value if isinstance(value, list) else [value]))
        ):
            return None  # beyond what a double holds exactly
        literal = _literal(value, kind, brackets, long)
        fields.append(template.format(type=syntax.type_of(syntax.widen(kind)), name=name, value=literal))
    return "\n".join(fields) if fields else None


def cpp_constants(code: str) -> str | None:
    """``const`` globals for a module's constants, their values evaluated (literals, earlier
    constants, + - * /; a list of one scalar kind is a ``std::vector``); dunder names are left
    out; None when any other constant is not such an expression (the model then writes them)."""
    return _constants(code, CPP_LINES, "const {type} {name} = {value};", "{}", "{}LL")


def ts_constants(code: str) -> str | None:
    """TypeScript ``const`` declarations for a module's constants (as ``cpp_constants``)."""
    return _constants(code, TS_LINES, "const {name}: {type} = {value};", "[]", "{}")


def cpp_includes(body: str, imports: Sequence[str]) -> list[str]:
    """``#include`` lines for the standard library ``body`` uses and does not include yet."""
    out = []
    for pattern, header in _INCLUDES:
        line = f"#include {header}"
        if re.search(pattern, body) and not any(header in i for i in imports) and line not in out:
            out.append(line)
    return out + [h for h in needed(body, "cpp") if h not in imports]  # codex's str helpers


def ts_signature(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str, values: Sequence[Any], sources: Sequence[str] = ()
) -> str | None:
    """The TypeScript signature (``function gcd(a: number, b: number): number``)."""
    return typed_signature(fn, name, values, TS_LINES, sources)


def no_imports(body: str, imports: Sequence[str]) -> list[str]:
    """TypeScript: a body codex lays out uses no library."""
    return []


CPP_WRITER = Writer(cpp_signature, cpp_constants, cpp_includes, lines=CPP_LINES)
TS_WRITER = Writer(ts_signature, ts_constants, no_imports, lines=TS_LINES)
