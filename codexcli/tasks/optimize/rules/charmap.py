"""``char-map``: a loop that builds a str from each character of a str by a pure computation on
that character alone (``for c in s: n = ord(c); if 65 <= n <= 90: out += chr(155 - n) ...``,
the Atbash or Caesar shape; Refurb / Ruff: "use str.translate") -> the computation run once per
distinct character into a table, and one ``s.translate(table)``.

Pure means: the body only assigns names of its own (before it reads them, at its top level),
branches with ``if``, and adds pieces to ``out`` with ``+=``; its expressions use the character,
those names, literals, names the loop does not change (as operands only), ``ord``/``chr`` and the
str methods that read a str; no break, continue, return or other call; ``out`` set to a str
literal earlier in the same block. The rewrite is guarded by
``type(s) is str`` and ``type(out) is str`` and keeps the loop as the ``else``. The same pieces,
in the same order; a body that raises for some character raises the same exception type, at the
first such character of ``set(s)`` instead of ``s``'s (the behaviour check compares). Only when
the loop variable and the body's names are not used after the loop. An index loop ``for i in
range(len(s))`` that reads ``i`` only as ``s[i]`` is the same loop over the characters.
"""

from __future__ import annotations

import re
from typing import Sequence

import libcst as cst

from codexcli.tasks.optimize.rules.cstutil import (
    Namer,
    block_statements,
    bound_names,
    changing_names,
    code_of,
    flat,
    guarded,
    is_name,
    single_small,
    walk,
)
from codexcli.tasks.optimize.rules.reduce import _init, _loop_var_free, fold_function

_CALLS = frozenset({"ord", "chr"})
_STR_READS = frozenset({
    "upper", "lower", "swapcase", "casefold", "isalpha", "isupper", "islower", "isdigit", "isspace",
    "isalnum", "isdecimal", "isnumeric", "isprintable", "isascii",
})  # fmt: skip
_EXPR_NODES = (
    cst.Name, cst.Dot, cst.Integer, cst.SimpleString, cst.BinaryOperation, cst.UnaryOperation, cst.Comparison,
    cst.BooleanOperation, cst.Call, cst.Attribute, cst.Arg, cst.ComparisonTarget, cst.LeftParen, cst.RightParen,
    cst.BaseBinaryOp, cst.BaseUnaryOp, cst.BaseCompOp, cst.BaseBooleanOp, cst.IfExp, cst.Comma,
    cst.ParenthesizedWhitespace, cst.SimpleWhitespace, cst.Newline, cst.EmptyLine, cst.TrailingWhitespace,
)  # fmt: skip


def _pure(expr: cst.CSTNode, own: set[str], fixed: frozenset[str]) -> bool:
    """Whether ``expr`` computes from the character and the body's names (``own``) alone."""
    for n in walk(expr):
        if not isinstance(n, _EXPR_NODES):
            return False
        if isinstance(n, cst.Call):
            func = n.func
            method = isinstance(func, cst.Attribute) and func.attr.value in _STR_READS and not n.args
            if not (method and isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
                if not (isinstance(func, cst.Name) and func.value in _CALLS and len(n.args) == 1):
                    return False
            elif func.value.value not in own:
                return False
        if isinstance(n, cst.Attribute) and not any(isinstance(p, cst.Call) and p.func is n for p in walk(expr)):
            return False
        if isinstance(n, cst.Name) and n.value not in own | _CALLS | {"True", "False", "None"} and n.value in fixed:
            return False
    return True


def _body_ok(stmts: Sequence[cst.BaseStatement], out: str, own: set[str], fixed: frozenset[str], top: bool) -> bool:
    """Whether the statements only assign own names (at the top level), branch, and add to ``out``."""
    for stmt in stmts:
        if isinstance(stmt, cst.If):
            branches: list[cst.CSTNode] = []
            node: cst.CSTNode | None = stmt
            while isinstance(node, cst.If):
                if not _pure(node.test, own, fixed):
                    return False
                branches.append(node.body)
                node = node.orelse.body if isinstance(node.orelse, cst.Else) else node.orelse
            branches += [node] if node is not None else []
            if not all(_body_ok(block_statements(b), out, own, fixed, False) for b in branches):  # type: ignore[arg-type]
                return False
            continue
        small = single_small(stmt)
        if (
            isinstance(small, cst.AugAssign)
            and is_name(small.target, out)
            and isinstance(small.operator, cst.AddAssign)
        ):
            if not _pure(small.value, own, fixed):
                return False
        elif isinstance(small, cst.Assign) and top and len(small.targets) == 1:
            target = small.targets[0].target
            if not isinstance(target, cst.Name) or target.value == out or not _pure(small.value, own, fixed):
                return False
            own.add(target.value)
        else:
            return False
    return True


def _by_char(fn: cst.FunctionDef, loop: cst.For) -> cst.For | None:
    """``loop`` as ``for c in s``: itself, or ``for i in range(len(s))`` reading ``i`` only as
    ``s[i]`` with ``s[i]`` renamed to a fresh ``c`` (the same characters, in the same order)."""
    if not isinstance(loop.target, cst.Name):
        return None
    if isinstance(loop.iter, cst.Name):
        return loop
    found = re.fullmatch(r"range\(len\(([A-Za-z_]\w*)\)\)", flat(loop.iter))
    if found is None:
        return None
    s, i, c = found.group(1), loop.target.value, Namer(fn).fresh("ch")
    reads = sum(1 for n in walk(loop.body) if isinstance(n, cst.Subscript) and flat(n) == f"{s}[{i}]")
    if reads == 0 or reads != sum(1 for n in walk(loop.body) if is_name(n, i)):
        return None

    class Chars(cst.CSTTransformer):
        def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
            return cst.Name(c) if flat(original) == f"{s}[{i}]" else updated

    body = loop.body.visit(Chars())
    return loop.with_changes(target=cst.Name(c), iter=cst.Name(s), body=body)


def _char_map(fn: cst.FunctionDef, stmts: Sequence[cst.BaseStatement], i: int) -> tuple[int, str] | None:
    original = stmts[i]
    if not isinstance(original, cst.For) or original.orelse is not None or original.asynchronous is not None:
        return None
    loop = _by_char(fn, original) if _loop_var_free(fn, original) else None
    if loop is None or not isinstance(loop.target, cst.Name) or not isinstance(loop.iter, cst.Name):
        return None
    body = block_statements(loop.body)
    adds = [n for n in walk(loop) if isinstance(n, cst.AugAssign) and isinstance(n.target, cst.Name)]
    outs = {n.target.value for n in adds if isinstance(n.target, cst.Name)}
    if len(outs) != 1:
        return None
    out, c, s = outs.pop(), loop.target.value, loop.iter.value
    inits = [_init(st) for st in stmts[:i]]
    if not any(x and x[0] == out and isinstance(x[1], cst.SimpleString) for x in inits):
        return None  # ``out`` is not started as a str just before (a numeric total, say)
    own = {c}
    # names the loop changes: read only after the body assigned them itself (then in ``own``)
    fixed = changing_names(loop) | {out}
    if out in (c, s) or s in bound_names(original.body) or not _body_ok(body, out, own, fixed, True):
        return None
    temps = own - {c}
    if sum(1 for n in walk(fn) if isinstance(n, cst.Name) and n.value in temps) != sum(
        1 for n in walk(original) if isinstance(n, cst.Name) and n.value in temps
    ):
        return None
    namer = Namer(fn)
    table, piece = namer.fresh("table"), namer.fresh("piece")

    class Piece(cst.CSTTransformer):
        def leave_AugAssign(self, original: cst.AugAssign, updated: cst.AugAssign) -> cst.AugAssign:
            return updated.with_changes(target=cst.Name(piece)) if is_name(updated.target, out) else updated

    renamed = loop.visit(Piece())
    assert isinstance(renamed, cst.For)
    inner = "".join(code_of(st) for st in block_statements(renamed.body))
    per_char = f"{piece} = ''\n{inner}{table}[ord({c})] = {piece}\n"
    fast = f"{table} = {{}}\nfor {c} in set({s}):\n" + "".join(f"    {line}\n" for line in per_char.splitlines())
    fast += f"{out} += {s}.translate({table})"
    return 1, guarded(f"type({s}) is str and type({out}) is str", fast, original)


def char_map(fn: cst.FunctionDef, str_names: frozenset[str]) -> cst.FunctionDef:
    """See the module docstring."""
    return fold_function(fn, _char_map)
