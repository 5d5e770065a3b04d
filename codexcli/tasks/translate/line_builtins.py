"""`codex translate`, line by line: Python's reductions and list searches in Java and C++.

``sum``, ``any``, ``all``, ``min`` and ``max`` of a generator expression or a list comprehension
(one ``for`` over a list, a str or ``range``, with ``if`` filters), ``sum``/``min``/``max`` of a
list of numbers, ``len`` of a list comprehension: a loop in a function called where it stands
(Java: a ``LongSupplier``/``DoubleSupplier``/``BooleanSupplier`` lambda, C++: ``[&]() {...}()``).
As Python's: ``any``/``all`` stop at the first deciding element, ``min``/``max`` of nothing raise
(and keep the first of equal values), ``sum`` of nothing is 0. ``x in xs``, ``xs.index(v)``
(raising when absent) and ``xs.count(v)`` on lists go through small helpers written into the
translation only when used (``CodexSeq`` in Java, ``codex_seq_*`` in C++; see str_helpers.py).
A Java lambda reads only effectively final locals: where a line's captures change, it does not
compile, and the statement falls back like any candidate that does not.
"""

from __future__ import annotations

import ast

from codexcli.tasks.translate import line_collect
from codexcli.tasks.translate.line_collect import Render, Skip
from codexcli.tasks.translate.line_syntax import LineSyntax
from codexcli.tasks.translate.rendered import Rendered

_REDUCERS = ("sum", "any", "all", "min", "max", "len")
_SUPPLIER = {"int": ("LongSupplier", "getAsLong"), "float": ("DoubleSupplier", "getAsDouble")}
_SUPPLIER["bool"] = ("BooleanSupplier", "getAsBoolean")


def builtin_call(
    node: ast.expr, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], render: Render
) -> tuple[str, str] | None:
    """``node`` (a call or a list comprehension) as (text, kind) when it is a reduction, a list
    search or a new list these rules cover, else None (a part that has no rule raises the
    caller's own exception)."""
    if syntax.strs not in ("java", "cpp"):
        return None
    try:
        if (made := line_collect.made_list(node, kinds, syntax, names, render)) is not None:
            return made  # [...], sorted(...), reversed(...), list(...) (line_collect.py)
        if not isinstance(node, ast.Call) or node.keywords:
            return None
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("index", "count") and len(node.args) == 1:
            return _search(
                node.func.attr, render(node.func.value, kinds, names), render(node.args[0], kinds, names), syntax
            )
        if not (isinstance(node.func, ast.Name) and len(node.args) == 1):
            return None
        fn, arg = node.func.id, node.args[0]
        if fn not in _REDUCERS:
            return None
        if isinstance(arg, (ast.GeneratorExp, ast.ListComp)):
            if (
                fn == "len"
                and not isinstance(arg, ast.ListComp)
                or fn in ("any", "all")
                and isinstance(arg, ast.ListComp)
            ):
                return None  # any/all of a list evaluate every element first
            return _reduce(fn, arg, kinds, syntax, names, render)
        if fn in ("sum", "min", "max") and render(arg, kinds, names).kind in ("int[]", "float[]"):
            whole = ast.GeneratorExp(
                elt=ast.Name("e", ast.Load()),
                generators=[ast.comprehension(ast.Name("e", ast.Store()), arg, [], 0)],
            )
            return _reduce(fn, whole, kinds, syntax, names, render)
    except Skip:
        return None
    return None


def _reduce(
    fn: str,
    comp: ast.GeneratorExp | ast.ListComp,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    render: Render,
) -> tuple[str, str]:
    if len(comp.generators) != 1:
        raise Skip
    head, inner_kinds, inner_names, cond = line_collect.inner(comp.generators[0], kinds, syntax, names, render)
    elt = render(comp.elt, inner_kinds, inner_names)
    body, result = _body(fn, elt, syntax)
    loop = f"{head} {{ if ({cond}) {{ {body} }} }}"
    return _called(result, f"{_start(fn, result, syntax)} {loop} {_end(fn)}", syntax), result


def _body(fn: str, elt: Rendered, syntax: LineSyntax) -> tuple[str, str]:
    """One element's step and the result's kind."""
    if fn in ("any", "all"):
        if elt.kind != "bool":
            raise Skip
        return (f"if ({elt.text}) return true;" if fn == "any" else f"if (!({elt.text})) return false;"), "bool"
    if fn == "len":
        unused = "" if syntax.strs == "java" else " (void) codexV;"  # an element that raises still raises
        return f"{syntax.type_of(elt.kind)} codexV = {elt.text};{unused} codexAcc++;", "int"
    if elt.kind not in ("int", "float"):
        raise Skip
    if fn == "sum":
        return f"codexAcc += {elt.text};", elt.kind
    glyph = "<" if fn == "min" else ">"
    step = (
        f"{syntax.type_of(elt.kind)} codexV = {elt.text}; if (!codexSeen || codexV {glyph} codexAcc) codexAcc = codexV;"
    )
    return step + " codexSeen = true;", elt.kind


def _start(fn: str, kind: str, syntax: LineSyntax) -> str:
    if fn in ("any", "all"):
        return ""
    seen = f" {syntax.type_of('bool')} codexSeen = false;" if fn in ("min", "max") else ""
    return f"{syntax.type_of(kind)} codexAcc = {syntax.defaults[kind]};{seen}"


def _end(fn: str) -> str:
    if fn in ("any", "all"):
        return f"return {'false' if fn == 'any' else 'true'};"
    if fn in ("min", "max"):
        return "if (!codexSeen) { {throw} } return codexAcc;"
    return "return codexAcc;"


def _called(kind: str, body: str, syntax: LineSyntax) -> str:
    """``body`` (statements ending in a return of ``kind``) as an expression."""
    body = body.replace("{throw}", syntax.throw.format(msg='"arg is an empty sequence"'))
    if syntax.strs == "java":
        iface, get = _SUPPLIER[kind]
        return f"((java.util.function.{iface}) () -> {{ {body} }}).{get}()"
    return f"[&]() -> {syntax.type_of(kind)} {{ {body} }}()"


def _search(method: str, seq: Rendered, item: Rendered, syntax: LineSyntax) -> tuple[str, str]:
    if not (seq.kind.endswith("[]") and _fits(item.kind, seq.kind[:-2])):
        raise Skip
    return (
        f"CodexSeq.{method}({seq.text}, {item.text})"
        if syntax.strs == "java"
        else f"codex_seq_{method}({seq.text}, {item.text})"
    ), "int"


def list_contains(item: Rendered, within: Rendered, syntax: LineSyntax) -> str:
    """``x in xs`` on a list of scalars; "" where not covered."""
    if syntax.strs not in ("java", "cpp") or not (within.kind.endswith("[]") and _fits(item.kind, within.kind[:-2])):
        return ""
    if syntax.strs == "java":
        return f"CodexSeq.has({within.text}, {item.text})"
    return f"codex_seq_has({within.text}, {item.text})"


def _fits(item: str, elem: str) -> bool:
    return item == elem and item in ("int", "float", "bool", "str") or (item, elem) == ("int", "float")


_JAVA_SEQ_ONE = """    static long index({t}[] xs, {v} x) {{
        for (int i = 0; i < xs.length; i++) if ({eq}) return i;
        throw new IllegalArgumentException("not in list");
    }}
    static long count({t}[] xs, {v} x) {{
        long n = 0;
        for ({t} y : xs) if ({eq2}) n++;
        return n;
    }}
    static boolean has({t}[] xs, {v} x) {{
        for ({t} y : xs) if ({eq2}) return true;
        return false;
    }}"""
_JAVA_TYPES = (("int", "long"), ("long", "long"), ("double", "double"), ("boolean", "boolean"), ("String", "String"))

JAVA_SEQ = (
    "interface CodexSeq {\n    // Python's xs.index(x) (ValueError when absent), xs.count(x) and x in xs on lists\n"
    + "\n".join(
        _JAVA_SEQ_ONE.format(
            t=t,
            v=v,
            eq="xs[i].equals(x)" if t == "String" else "xs[i] == x",
            eq2="y.equals(x)" if t == "String" else "y == x",
        )
        for t, v in _JAVA_TYPES
    )
    + "\n}"
)

CPP_SEQ = """#include <vector>
#include <stdexcept>
#include <algorithm>
#ifndef CODEX_SEQ
#define CODEX_SEQ
// Python's xs.index(x) (ValueError when absent), xs.count(x) and x in xs on lists
template <class T, class U> long long codex_seq_index(const std::vector<T>& xs, const U& x) {
  for (std::size_t i = 0; i < xs.size(); ++i) if (xs[i] == x) return (long long) i;
  throw std::invalid_argument("not in list");
}
template <class T, class U> long long codex_seq_count(const std::vector<T>& xs, const U& x) {
  return (long long) std::count(xs.begin(), xs.end(), x);
}
template <class T, class U> bool codex_seq_has(const std::vector<T>& xs, const U& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}
#endif"""


def helpers(text: str, target: str) -> list[str]:
    """The list-search helpers ``text`` calls, for ``target`` ("java", "cpp")."""
    if target == "java":
        return [JAVA_SEQ] if "CodexSeq." in text else []
    return [CPP_SEQ] if target == "cpp" and "codex_seq_" in text else []
