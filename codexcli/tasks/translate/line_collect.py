"""`codex translate`, line by line: Python expressions that make a new list, in Java and C++.

A list comprehension (one ``for`` over a list, a str or ``range``, with ``if`` filters),
``sorted(seq)`` with ``key=`` (``len``, ``abs``, ``str.lower``, a module function, a one-argument
lambda) and ``reverse=True``, ``reversed(seq)`` and ``list(seq)``: a loop filling a new list in a
function called where it stands (Java: a ``Supplier`` lambda filling an ``ArrayList`` and
giving the array; C++: ``[&]() {...}()`` filling a ``std::vector``). Sorting is stable, as
Python's: Java's ``List.sort``, C++'s ``std::stable_sort``; ``reverse=True`` compares the other
way round (equal keys keep their order, as in Python) rather than reversing. strs compare by
code point as Python's do (Java: the code points compared; C++: UTF-8 bytes as unsigned, the
same order). Also the loop heads of line_builtins.py's reductions.
"""

from __future__ import annotations

import ast
from typing import Callable

from codexcli.tasks.translate.line_syntax import LineSyntax
from codexcli.tasks.translate.rendered import Rendered

Render = Callable[[ast.expr, dict[str, str], dict[str, str]], Rendered]
HIDDEN = "codexG"
_JAVA_ARRAY = {
    "int": "codexOut.stream().mapToLong(Long::longValue).toArray()",
    "float": "codexOut.stream().mapToDouble(Double::doubleValue).toArray()",
    "str": "codexOut.toArray(new String[0])",
}
_UNBOXED = {"int": "((long) {})", "float": "((double) {})", "str": "{}", "bool": "((boolean) {})"}


class Skip(Exception):
    """Not an expression these rules write."""


def loop(
    gen: ast.comprehension, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], render: Render
) -> tuple[str, str, str]:
    """The loop head of ``for x in seq`` (a list, a str, ``range(n)``/``range(a, b)``), x's kind
    and its name in the target."""
    if not isinstance(gen.target, ast.Name) or gen.is_async:
        raise Skip
    var = HIDDEN + gen.target.id
    it = gen.iter
    if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" and 1 <= len(it.args) <= 2:
        bounds = [render(a, kinds, names) for a in it.args]
        if any(b.kind != "int" for b in bounds) or it.keywords:
            raise Skip
        start, stop = ("0", bounds[0].text) if len(bounds) == 1 else (bounds[0].text, bounds[1].text)
        return f"for ({syntax.type_of('int')} {var} = {start}; {var} < {stop}; {var}++)", "int", var
    seq = render(it, kinds, names)
    if seq.kind == "str":
        chars = "CodexChars.of({})" if syntax.strs == "java" else "codex_chars({})"
        return f"for ({syntax.type_of('str')} {var} : {chars.format(seq.text)})", "str", var
    if seq.kind.endswith("[]") and seq.kind.count("[]") == 1:
        return f"for ({syntax.type_of(seq.kind[:-2])} {var} : {seq.text})", seq.kind[:-2], var
    raise Skip


def inner(
    gen: ast.comprehension, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], render: Render
) -> tuple[str, dict[str, str], dict[str, str], str]:
    """The loop head, the kinds and names inside it, and its filters' condition."""
    head, kind, var = loop(gen, kinds, syntax, names, render)
    target = gen.target.id  # type: ignore[attr-defined]  # loop() took only a Name
    inner_kinds, inner_names = {**kinds, target: kind}, {**names, target: var}
    tests = [render(t, inner_kinds, inner_names) for t in gen.ifs]
    if any(t.kind != "bool" for t in tests):
        raise Skip
    return head, inner_kinds, inner_names, " && ".join(f"({t.text})" for t in tests) or "true"


def _whole(seq: ast.expr) -> ast.ListComp:
    """``[e for e in seq]``: the elements of ``seq`` in a new list (a generator's own)."""
    if isinstance(seq, ast.GeneratorExp):
        return ast.ListComp(seq.elt, seq.generators)
    return ast.ListComp(ast.Name("e", ast.Load()), [ast.comprehension(ast.Name("e", ast.Store()), seq, [], 0)])


def made_list(
    node: ast.expr, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], render: Render
) -> tuple[str, str] | None:
    """``node`` as (text, kind) when it makes a new list these rules cover, else None."""
    if isinstance(node, ast.ListComp):
        return _collect(node, kinds, syntax, names, render, ("", None))
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1):
        return None
    fn, arg = node.func.id, node.args[0]
    if fn == "reversed" and isinstance(arg, ast.GeneratorExp):
        return None  # a TypeError in Python
    if fn in ("list", "reversed") and not node.keywords:
        if fn == "list" and (made := made_list(arg, kinds, syntax, names, render)) is not None:
            return made  # list(sorted(...)): already a new list
        return _collect(_whole(arg), kinds, syntax, names, render, ("reverse" if fn == "reversed" else "", None))
    if fn != "sorted" or any(k.arg not in ("key", "reverse") for k in node.keywords):
        return None
    options = {k.arg: k.value for k in node.keywords}
    backwards = options.get("reverse", ast.Constant(False))
    if not (isinstance(backwards, ast.Constant) and isinstance(backwards.value, bool)):
        raise Skip
    key = _key(options.get("key"))
    sort = ("sort-", key) if backwards.value else ("sort+", key)
    return _collect(_whole(arg), kinds, syntax, names, render, sort)


def _key(key: ast.expr | None) -> ast.Lambda | None:
    """``key=`` as a one-argument lambda (``len`` -> ``lambda k: len(k)``), None for no key."""
    if key is None or isinstance(key, ast.Constant) and key.value is None:
        return None
    arg = ast.arguments([], [ast.arg("k")], None, [], [], None, [])
    if isinstance(key, ast.Name):
        return ast.Lambda(arg, ast.Call(key, [ast.Name("k", ast.Load())], []))
    if isinstance(key, ast.Attribute) and isinstance(key.value, ast.Name) and key.value.id == "str":
        return ast.Lambda(arg, ast.Call(ast.Attribute(ast.Name("k", ast.Load()), key.attr, ast.Load()), [], []))
    a = key.args if isinstance(key, ast.Lambda) else None
    if a is None or a.posonlyargs or len(a.args) != 1 or a.vararg or a.kwonlyargs or a.kwarg or a.defaults:
        raise Skip
    return key  # type: ignore[return-value]  # a lambda of one argument


def _collect(
    comp: ast.ListComp,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    render: Render,
    order: tuple[str, ast.Lambda | None],
) -> tuple[str, str]:
    if len(comp.generators) != 1:
        raise Skip
    head, inner_kinds, inner_names, cond = inner(comp.generators[0], kinds, syntax, names, render)
    elt = render(comp.elt, inner_kinds, inner_names)
    kind = elt.kind
    if kind not in ("int", "float", "str", "bool") or syntax.strs == "java" and kind == "bool":
        raise Skip
    java = syntax.strs == "java"
    item = elt.text if kind not in ("int", "float") or not java else f"({syntax.type_of(kind)}) ({elt.text})"
    add = f"codexOut.add({item});" if java else f"codexOut.push_back({elt.text});"
    then = _order(order, kind, kinds, syntax, names, render)
    fill = f"{head} {{ if ({cond}) {{ {add} }} }} {then}"
    if java:
        out = f"java.util.ArrayList<{syntax.nullable[kind]}> codexOut = new java.util.ArrayList<>();"
        body = f"{out} {fill} return {_JAVA_ARRAY[kind]};"
        return f"((java.util.function.Supplier<{syntax.type_of(kind + '[]')}>) () -> {{ {body} }}).get()", kind + "[]"
    vector = syntax.type_of(kind + "[]")
    return f"[&]() -> {vector} {{ {vector} codexOut; {fill} return codexOut; }}()", kind + "[]"


def _order(
    order: tuple[str, ast.Lambda | None],
    kind: str,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    render: Render,
) -> str:
    """The statement that reverses or sorts ``codexOut`` ("" for neither)."""
    java = syntax.strs == "java"
    direction, key = order
    if direction == "reverse":
        return "java.util.Collections.reverse(codexOut);" if java else "std::reverse(codexOut.begin(), codexOut.end());"
    if not direction:
        return ""
    a, b = ("codexB", "codexA") if direction == "sort-" else ("codexA", "codexB")
    ka, kb = (_keyed(key, v, kind, kinds, syntax, names, render) for v in (a, b))
    if java:
        return f"codexOut.sort((codexA, codexB) -> {_java_compare(ka[0], kb[0], ka[1])});"
    t = syntax.type_of(kind)
    less = f"[&](const {t}& codexA, const {t}& codexB) {{ return {ka[0]} < {kb[0]}; }}"
    return f"std::stable_sort(codexOut.begin(), codexOut.end(), {less});"


def _keyed(
    key: ast.Lambda | None,
    value: str,
    kind: str,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    render: Render,
) -> tuple[str, str]:
    """The sort key of the element named ``value`` (text, kind)."""
    java = syntax.strs == "java"
    element = _UNBOXED[kind].format(value) if java else value
    if key is None:
        return element, kind
    arg = key.args.args[0].arg
    found = render(key.body, {**kinds, arg: kind}, {**names, arg: element})
    if found.kind not in ("int", "float", "str", "bool"):
        raise Skip
    return found.text, found.kind


def _java_compare(a: str, b: str, kind: str) -> str:
    """An int comparing two keys as Python orders them."""
    if kind == "str":
        return f"java.util.Arrays.compare(({a}).codePoints().toArray(), ({b}).codePoints().toArray())"
    if kind == "bool":
        return f"Boolean.compare({a}, {b})"
    return f"({a} < {b} ? -1 : {a} > {b} ? 1 : 0)"  # -0.0 and 0.0 equal, as in Python
