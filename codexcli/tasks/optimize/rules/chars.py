"""Rewrites of per-character loops over a str into calls that do the loop in C (Ruff PERF,
SIM110/SIM111's any()/all() loops, Refurb FURB). Only for a ``s`` known to be a str (the
inferred parameter types, the module's str constants): its items are then single characters,
for which ``c in letters`` is membership in the set of ``letters``' items.

* ``count-chars``: ``sum(1 for c in s if c in "aeiou")`` (or the loop ``n = 0; for c in s: if c in
  vowels: n += 1``), the letters a str literal (or a local bound once to one) -> ``sum(map(s.count,
  "aeiou"))``, each letter once: one C search per letter instead of a Python step per character;
  ``for c in s: if c in letters: d[c] += 1`` -> one ``s.count(c)`` per letter, added when not 0
  (the same totals; a key missing from ``d`` raises KeyError in both, for a different letter maybe;
  a dict that gains keys then (a defaultdict) gains them in the letters' order).
* ``char-set``: ``any(c in letters for c in s)`` -> ``not set(letters).isdisjoint(s)``, ``all(c in
  letters for c in s)`` -> ``set(letters).issuperset(s)`` (and ``not in`` the other way round):
  the same answer for any ``letters`` whose items hash (a str, list, set, dict's keys), found by
  C iterating ``s``, stopping at the first character that decides, as any()/all() do. ``set(letters)``
  is built even when ``s`` is empty (an unhashable item raises there: the check decides).
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import (
    Namer,
    code_of,
    is_name,
    loop_body_one,
    single_small,
    target_names,
    top_assigns,
    walk,
)
from codexcli.tasks.optimize.rules.pick import _if_then, _simple
from codexcli.tasks.optimize.rules.reduce import _init, _loop_var_free, _mentions, fold_function


def _letters(node: cst.BaseExpression, fn: cst.FunctionDef) -> str | None:
    """The distinct characters of a str literal, or of a local bound once to one, else None."""
    if isinstance(node, cst.Name):
        values = [a.value for _, _, a, n in top_assigns(fn) if n == node.value]
        bound = sum(1 for n in walk(fn) if isinstance(n, (cst.AssignTarget, cst.For, cst.CompFor)) and
                    node.value in target_names(n.target))  # fmt: skip
        node = values[0] if len(values) == 1 and bound == 1 else node
    if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str) and node.evaluated_value:
        return repr("".join(dict.fromkeys(node.evaluated_value)))
    return None


def _char_count(fn: cst.FunctionDef, target: cst.BaseExpression, it: cst.BaseExpression,
                test: cst.BaseExpression, str_names: frozenset[str]) -> str | None:  # fmt: skip
    """``sum(map(s.count, letters))`` for ``for c in s`` tested with ``c in letters``."""
    if not (isinstance(target, cst.Name) and isinstance(it, cst.Name) and it.value in str_names):
        return None
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1 or not is_name(test.left, target.value):
        return None
    if not isinstance(test.comparisons[0].operator, cst.In):
        return None
    letters = _letters(test.comparisons[0].comparator, fn)
    return None if letters is None else f"sum(map({it.value}.count, {letters}))"


def _fold_count(
    f: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int, str_names: frozenset[str]
) -> tuple[int, str] | None:
    """``n = 0`` + a loop counting the characters of a str that are letters (-> one sum), or a
    loop counting them into a dict (-> one count per letter)."""
    first = stmts[i]
    if isinstance(first, cst.For):
        text = _dict_count(f, first, str_names)
        return None if text is None else (1, text)
    init, loop = _init(stmts[i]), stmts[i + 1] if i + 1 < len(stmts) else None
    if init is None or not (isinstance(init[1], cst.Integer) and init[1].value == "0"):
        return None
    if not isinstance(loop, cst.For) or not _loop_var_free(f, loop):
        return None
    then = _if_then(loop_body_one(loop))
    small = single_small(then[1][0]) if then is not None and len(then[1]) == 1 else None
    if not (isinstance(small, cst.AugAssign) and is_name(small.target, init[0])):
        return None
    if not (isinstance(small.operator, cst.AddAssign) and code_of(small.value) == "1"):
        return None
    assert then is not None
    text = _char_count(f, loop.target, loop.iter, then[0], str_names)
    return None if text is None else (2, f"{init[0]} = {text}")


def count_chars(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``count-chars``)."""

    class Sums(cst.CSTTransformer):
        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
            if not (is_name(updated.func, "sum") and len(updated.args) == 1):
                return updated
            gen = updated.args[0].value
            if not isinstance(gen, cst.GeneratorExp) or not (isinstance(gen.elt, cst.Integer) and gen.elt.value == "1"):
                return updated
            loop = gen.for_in
            if loop.inner_for_in is not None or len(loop.ifs) != 1 or loop.asynchronous is not None:
                return updated
            text = _char_count(fn, loop.target, loop.iter, loop.ifs[0].test, str_names)
            return updated if text is None else cst.parse_expression(text)

    new = fold_function(fn, lambda f, stmts, i: _fold_count(f, stmts, i, str_names)).visit(Sums())
    assert isinstance(new, cst.FunctionDef)
    return new


def _char_test(gen: cst.GeneratorExp, str_names: frozenset[str]) -> tuple[bool, str, str] | None:
    """(``in`` or ``not in``, s, letters) of ``c [not] in letters for c in s``, s a str."""
    loop, test = gen.for_in, gen.elt
    if loop.inner_for_in is not None or loop.ifs or loop.asynchronous is not None:
        return None
    if not (isinstance(loop.target, cst.Name) and isinstance(loop.iter, cst.Name) and loop.iter.value in str_names):
        return None
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1 or not is_name(test.left, loop.target.value):
        return None
    op, letters = test.comparisons[0].operator, test.comparisons[0].comparator
    if not isinstance(op, (cst.In, cst.NotIn)) or _mentions(letters, loop.target.value) or not _simple(letters):
        return None
    return isinstance(op, cst.In), loop.iter.value, code_of(letters)


def char_set(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``char-set``)."""

    class Tests(cst.CSTTransformer):
        def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
            if not (isinstance(updated.func, cst.Name) and updated.func.value in ("any", "all")):
                return updated
            gen = updated.args[0].value if len(updated.args) == 1 else None
            found = _char_test(gen, str_names) if isinstance(gen, cst.GeneratorExp) else None
            if found is None:
                return updated
            inside, s, letters = found
            text = {
                ("any", True): f"not set({letters}).isdisjoint({s})",
                ("all", True): f"set({letters}).issuperset({s})",
                ("any", False): f"not set({letters}).issuperset({s})",
                ("all", False): f"set({letters}).isdisjoint({s})",
            }[(updated.func.value, inside)]
            return cst.parse_expression(f"({text})")

    new = fn.visit(Tests())
    assert isinstance(new, cst.FunctionDef)
    return new


# str methods that give a str from a str and take no argument.
_STR_TO_STR = frozenset({"upper", "lower", "casefold", "strip", "lstrip", "rstrip", "swapcase", "title"})


def _str_source(node: cst.BaseExpression, str_names: frozenset[str]) -> str | None:
    """The code of ``s`` or ``s.upper()`` (and the like) for ``s`` known to be a str, else None."""
    if isinstance(node, cst.Name):
        return node.value if node.value in str_names else None
    if isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute):
        if node.func.attr.value in _STR_TO_STR and _str_source(node.func.value, str_names) is not None:
            return code_of(node)
    return None


def _dict_count(fn: cst.FunctionDef, loop: cst.For, str_names: frozenset[str]) -> str | None:
    """The rewrite of ``for c in s: if c in letters: d[c] += 1``, ``s`` and the letters str."""
    then = _if_then(loop_body_one(loop))
    if then is None or len(then[1]) != 1 or not isinstance(loop.target, cst.Name) or not _loop_var_free(fn, loop):
        return None
    small, c = single_small(then[1][0]), loop.target.value
    if not (isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign)):
        return None
    target, test = small.target, then[0]
    if not (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and len(target.slice) == 1):
        return None
    index = target.slice[0].slice
    if not (isinstance(index, cst.Index) and is_name(index.value, c) and code_of(small.value) == "1"):
        return None
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1 or not is_name(test.left, c):
        return None
    letters = test.comparisons[0].comparator
    known = _letters(letters, fn) is not None or (isinstance(letters, cst.Name) and letters.value in str_names)
    text, d = _str_source(loop.iter, str_names), target.value.value
    if not isinstance(test.comparisons[0].operator, cst.In) or not known or text is None or d == c:
        return None
    n, unique = Namer(fn).fresh(f"{c}_n"), f"dict.fromkeys({code_of(letters)})"
    return f"for {c}, {n} in zip({unique}, map({text}.count, {unique})):\n    if {n}:\n        {d}[{c}] += {n}"
