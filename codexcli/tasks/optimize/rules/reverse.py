"""Manual reversal (Refurb / Ruff: "use a slice" or "use list.reverse()"): loops that reverse a
list in place by swapping, or build a reversed str or list one item at a time, in Python steps
where a slice does the same in C.

* ``reverse-swap``: ``while i < j: xs[i], xs[j] = xs[j], xs[i]; i += 1; j -= 1`` -> ``xs[i:j + 1]
  = xs[i:j + 1][::-1]`` and ``i``, ``j`` set to where the loop leaves them; ``for i in
  range(len(xs) // 2): xs[i], xs[-i - 1] = xs[-i - 1], xs[i]`` (or ``len(xs) - 1 - i``, or a ``j``
  set to it first) -> ``xs.reverse()``.
* ``reverse-build``: ``for i in range(len(s) - 1, -1, -1): out += s[i]`` (or ``for c in
  reversed(s): out += c``, ``out = out + ...``) -> ``out += s[::-1]``; ``for c in s: out = c + out``
  (or ``out = s[i] + out`` over ``range(len(s))``) -> ``out = s[::-1] + out``; ``out.append(xs[i])``
  over the descending range -> ``out += xs[::-1]``.

Every rewrite is guarded by the exact types (``type(xs) is list``, ``type(s) is str``, int
indexes inside the list) under which it is the same as the loop, results, changes and
exceptions alike, and keeps the loop as the ``else``: on any other value the function runs as
before. Only when the loop's variables are not used after the loop.
"""

from __future__ import annotations

import re
from typing import Sequence

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import block_statements, flat, guarded, target_names
from codexcli.tasks.optimize.rules.reduce import _loop_var_free, fold_function, names_free

_NAME = r"([A-Za-z_]\w*)"


def _smalls(body: cst.BaseSuite) -> list[cst.BaseSmallStatement] | None:
    """The small statements of a body made only of simple lines, else None."""
    out: list[cst.BaseSmallStatement] = []
    for line in block_statements(body):
        if not isinstance(line, cst.SimpleStatementLine):
            return None
        out.extend(line.body)
    return out


def _swap(small: cst.BaseSmallStatement, xs: str, i: str, j: str) -> bool:
    text = flat(small).rstrip(";")
    return text in (f"{xs}[{i}],{xs}[{j}]={xs}[{j}],{xs}[{i}]", f"{xs}[{j}],{xs}[{i}]={xs}[{i}],{xs}[{j}]")


def _swapped_list(small: cst.BaseSmallStatement) -> str | None:
    """The ``xs`` of an assignment ``xs[...], xs[...] = ...``."""
    found = re.match(rf"{_NAME}\[", flat(small)) if isinstance(small, cst.Assign) else None
    return found.group(1) if found else None


def _while_swap(loop: cst.While) -> str | None:
    """The rewrite of ``while i < j:`` swapping ``xs[i]`` and ``xs[j]`` and stepping both."""
    test = loop.test
    if loop.orelse is not None or not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    i, j = test.left, test.comparisons[0].comparator
    if not isinstance(test.comparisons[0].operator, cst.LessThan) or not isinstance(i, cst.Name):
        return None
    smalls = _smalls(loop.body)
    if not isinstance(j, cst.Name) or i.value == j.value or not smalls:
        return None
    i_, j_, xs = i.value, j.value, _swapped_list(smalls[0])
    if xs is None or xs in (i_, j_) or not _swap(smalls[0], xs, i_, j_):
        return None
    steps = sorted(flat(s).rstrip(";") for s in smalls[1:])
    if steps not in (sorted([f"{i_}+=1", f"{j_}-=1"]), [f"{i_},{j_}={i_}+1,{j_}-1"]):
        return None
    test_ = f"type({xs}) is list and type({i_}) is int and type({j_}) is int and 0 <= {i_} < {j_} < len({xs})"
    fast = (
        f"{xs}[{i_}:{j_} + 1] = {xs}[{i_}:{j_} + 1][::-1]\n"
        f"{i_}, {j_} = {i_} + ({j_} - {i_} + 1) // 2, {j_} - ({j_} - {i_} + 1) // 2"
    )
    return guarded(test_, fast, loop)


def _for_swap(fn: cst.FunctionDef, loop: cst.For) -> str | None:
    """The rewrite of ``for i in range(len(xs) // 2):`` swapping ``xs[i]`` with its mirror."""
    found = re.fullmatch(rf"range\(len\({_NAME}\)//2\)", flat(loop.iter))
    smalls = _smalls(loop.body)
    if loop.orelse is not None or found is None or not isinstance(loop.target, cst.Name) or not smalls:
        return None
    xs, i = found.group(1), loop.target.value
    mirrors = [f"-{i}-1", f"-({i}+1)", f"len({xs})-1-{i}", f"len({xs})-{i}-1"]
    helper: set[str] = set()
    if len(smalls) == 2 and isinstance(smalls[0], cst.Assign):
        first = flat(smalls[0]).rstrip(";")
        j = first.split("=", 1)[0]
        if not re.fullmatch(_NAME, j) or first.split("=", 1)[1] not in mirrors[2:] or j in (xs, i):
            return None
        mirrors, helper, smalls = [j], {j}, smalls[1:]
    if len(smalls) != 1 or not any(_swap(smalls[0], xs, i, m) for m in mirrors):
        return None
    if not names_free(fn, loop, target_names(loop.target) | helper):
        return None
    return guarded(f"type({xs}) is list", f"{xs}.reverse()", loop)


def _reverse_swap(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], k: int) -> tuple[int, str] | None:
    stmt = stmts[k]
    if isinstance(stmt, cst.While):
        text = _while_swap(stmt)
    elif isinstance(stmt, cst.For) and stmt.asynchronous is None:
        text = _for_swap(fn, stmt)
    else:
        return None
    return None if text is None else (1, text)


def reverse_swap(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``reverse-swap``)."""
    return fold_function(fn, _reverse_swap)


def _built(loop: cst.For) -> tuple[str, str, str] | None:
    """(kind, sequence, accumulator) of a loop building the reversed sequence: kind ``+=``,
    ``=+`` (``out = out + piece``), ``append`` or ``prepend``."""
    smalls = _smalls(loop.body)
    if loop.orelse is not None or loop.asynchronous is not None or not isinstance(loop.target, cst.Name):
        return None
    if smalls is None or len(smalls) != 1:
        return None
    v, it, body = loop.target.value, flat(loop.iter), flat(smalls[0]).rstrip(";")
    down = re.fullmatch(rf"range\(len\({_NAME}\)-1,-1,-1\)", it)
    back = re.fullmatch(rf"reversed\({_NAME}\)", it)
    up = re.fullmatch(rf"range\(len\({_NAME}\)\)", it)
    fwd = re.fullmatch(_NAME, it)
    forms = []
    if down or back:
        s = (down or back).group(1)  # type: ignore[union-attr]
        item = f"{s}\\[{v}\\]" if down else v
        forms = [
            ("+=", rf"{_NAME}\+={item}"),
            ("=+", rf"{_NAME}=(\w+)\+{item}"),
            ("append", rf"{_NAME}\.append\({item}\)"),
        ]
    elif up or fwd:
        s = (up or fwd).group(1)  # type: ignore[union-attr]
        item = f"{s}\\[{v}\\]" if up else v
        forms = [("prepend", rf"{_NAME}={item}\+(\w+)")]
    for kind, pattern in forms:
        found = re.fullmatch(pattern, body)
        if found and found.group(1) == found.group(found.lastindex or 1) and found.group(1) not in (v, s):
            return kind, s, found.group(1)
    return None


def _reverse_build(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], k: int) -> tuple[int, str] | None:
    loop = stmts[k]
    if not isinstance(loop, cst.For):
        return None
    found = _built(loop)
    if found is None or not _loop_var_free(fn, loop):
        return None
    kind, s, out = found
    kind_type = "list" if kind == "append" else "str"
    fast = {
        "+=": f"{out} += {s}[::-1]",
        "=+": f"{out} = {out} + {s}[::-1]",
        "append": f"{out} += {s}[::-1]",
        "prepend": f"{out} = {s}[::-1] + {out}",
    }[kind]
    return 1, guarded(f"type({s}) is {kind_type} and type({out}) is {kind_type}", fast, loop)


def reverse_build(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring (``reverse-build``)."""
    return fold_function(fn, _reverse_build)
