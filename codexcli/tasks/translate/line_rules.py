"""`codex translate`, line by line: the statements codex writes itself, without the model.

Some Python is deterministic to translate once the types are known: ``x //= 2`` is
``x = Math.floorDiv(x, 2);`` in Java, ``return a[i]`` is ``return a[(int) (i)];``, ``lo = mid + 1``
is itself. ``expression`` renders a Python expression made of names, literals, arithmetic,
comparisons, ``and``/``or``/``not``, subscripts, ``len``/``abs``/``min``/``max``/``int``/``float``,
``math`` functions and calls of the module's own functions in a target's syntax
(tasks/translate/line_syntax.py), knowing each name's kind (int, float, bool, str, lists of
them); None for anything else (the model is asked instead). Python's semantics where the
targets differ: ``//`` and ``%`` floor (``Math.floorDiv``/``floorMod``), ``/`` is a float
division, a negative constant index counts from the end. A rule's output is only a candidate:
it runs on the original's states like any answer.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Callable

from codexcli.tasks.translate import line_builtins, line_lists, line_nested, line_none
from codexcli.tasks.translate.line_str import str_rule, truth
from codexcli.tasks.translate.line_syntax import LineSyntax
from codexcli.tasks.translate.line_tuples import tuple_item
from codexcli.tasks.translate.rendered import Rendered

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}
_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_MATH_FLOAT = {"sqrt", "floor", "ceil", "exp", "log", "sin", "cos", "tan", "atan2", "fabs", "hypot"}
_INT_BITS = 63


class _NoRule(Exception):
    """The expression has a part no rule covers."""


def _numeric(kind: str) -> bool:
    return kind in ("int", "float")


def expression(
    node: ast.expr, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str]
) -> Rendered | None:
    """``node`` in the target's syntax (``kinds``: each local, parameter and constant's kind;
    ``names``: Python name -> target name; ``calls``: the module's functions' return kinds),
    or None when a part of it has no rule."""
    try:
        return _render(node, kinds, syntax, names, calls)
    except _NoRule:
        return None


def _render(
    node: ast.expr, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str]
) -> Rendered:
    if isinstance(node, (ast.Call, ast.ListComp)) and (reduced := _builtin(node, kinds, syntax, names, calls)):
        return Rendered(*reduced)  # hook: sum/any/all/min/max, sorted, comprehensions (line_builtins.py)
    try:
        return _render_plain(node, kinds, syntax, names, calls)
    except _NoRule:  # Python's str operations (slices, formatting, str(n)...): line_str.py
        found = str_rule(node, lambda n: _render(n, kinds, syntax, names, calls), syntax)
        if found is None:
            raise
        return Rendered(*found)


def _builtin(
    node: ast.expr, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str]
) -> tuple[str, str] | None:
    try:
        return line_builtins.builtin_call(node, kinds, syntax, names, _nested(syntax, calls))
    except _NoRule:  # a part without a rule: the call as other rules see it
        return None


def _render_plain(
    node: ast.expr, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str]
) -> Rendered:
    def go(n: ast.expr) -> Rendered:
        return _render(n, kinds, syntax, names, calls)

    if isinstance(node, ast.Constant):
        return _constant(node.value, syntax)
    if isinstance(node, ast.Name):
        if node.id in ("True", "False"):
            return Rendered(node.id.lower(), "bool")
        if node.id not in kinds:
            raise _NoRule(node.id)
        if line_lists.nullable(kinds[node.id]):  # hook: a None default's value (line_lists.py)
            return Rendered(*line_lists.value_of(names.get(node.id, node.id), kinds[node.id], syntax))
        return Rendered(names.get(node.id, node.id), kinds[node.id])
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not) and (
            some := line_none.truth(node.operand, kinds, syntax, names, _truth(syntax))
        ):
            return Rendered(f"!({some})", "bool", 11)  # hook: not x, x nullable (line_none.py)
        operand = go(node.operand)
        if isinstance(node.op, ast.Not) and operand.kind == "bool":
            return Rendered(f"!{operand.within(12)}", "bool", 11)
        if isinstance(node.op, (ast.USub, ast.UAdd)) and _numeric(operand.kind):
            return Rendered(f"{'-' if isinstance(node.op, ast.USub) else '+'}{operand.within(12)}", operand.kind, 11)
        raise _NoRule("unary")
    if isinstance(node, ast.BinOp):
        return _binop(node.op, go(node.left), go(node.right), syntax)
    if isinstance(node, ast.BoolOp):
        parts = [go(v) for v in node.values]
        if any(p.kind != "bool" for p in parts):
            raise _NoRule("and/or of non-bools returns an operand in Python")
        glue, prec = (" && ", 2) if isinstance(node.op, ast.And) else (" || ", 1)
        return Rendered(glue.join(p.within(prec + 1) for p in parts), "bool", prec)
    if isinstance(node, ast.Compare):
        if none := line_none.compare(node, kinds, syntax, names, _nested(syntax, calls)):  # hook: x is None
            return Rendered(*none)
        if line_lists.both_nullable(node.left, node.comparators[0], kinds):
            raise _NoRule("two nullables")
        left = go(node.left)
        terms: list[str] = []
        for op, right_node in zip(node.ops, node.comparators):
            right = go(right_node)
            if isinstance(op, (ast.In, ast.NotIn)) and (found := _contains(left, right, syntax)):
                terms.append(found if isinstance(op, ast.In) else f"!{found}")
                left = right
                continue
            if type(op) not in _CMP:
                raise _NoRule("in / is")
            if left.kind == "str" and right.kind == "str" and isinstance(op, (ast.Eq, ast.NotEq)):
                eq = syntax.str_equals.format(a=left.within(12), b=right.text)
                terms.append(eq if isinstance(op, ast.Eq) else f"!{eq}")
            elif (_numeric(left.kind) and _numeric(right.kind)) or (left.kind == right.kind == "bool"):
                a, b = (as_float(left, syntax), as_float(right, syntax)) if left.kind != right.kind else (left, right)
                terms.append(f"{a.within(5)} {_CMP[type(op)]} {b.within(5)}")
            else:
                raise _NoRule("comparison of these kinds")
            left = right
        if len(terms) == 1:
            return Rendered(terms[0], "bool", 4)
        return Rendered(" && ".join(f"({t})" for t in terms), "bool", 2)
    if isinstance(node, ast.IfExp):
        test, body, other = go(node.test), go(node.body), go(node.orelse)
        if test.kind != "bool" or body.kind != other.kind:
            raise _NoRule("conditional")
        text = syntax.conditional.format(test=test.within(3), body=body.within(3), other=other.within(3))
        return Rendered(text, body.kind, 0)
    if isinstance(node, ast.Subscript):
        return _subscript(node, go, syntax)
    if isinstance(node, ast.Call):
        return _call(node, go, syntax, names, calls)
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
        items = [go(e) for e in node.elts]
        kind = _same_kind([i.kind for i in items])
        items = [as_float(i, syntax) for i in items] if kind == "float" else items
        joined = ", ".join(i.text for i in items)
        return Rendered(syntax.list_literal.format(type=syntax.type_of(kind + "[]"), items=joined), kind + "[]")
    raise _NoRule(type(node).__name__)


def _contains(item: Rendered, within: Rendered, syntax: LineSyntax) -> str:
    """``x in s`` on strs, ``k in d`` on a dict (hook: line_nested.py); "" for other kinds."""
    if has := line_nested.dict_has(item, within, syntax):
        return has
    if in_list := line_builtins.list_contains(item, within, syntax):
        return in_list
    if item.kind == within.kind == "str" and syntax.contains:
        return syntax.contains.format(s=within.within(12), x=item.text)
    return ""


def _same_kind(kinds: list[str]) -> str:
    """The element kind of a list literal: one scalar kind (ints among floats are floats)."""
    found = set(kinds)
    if found <= {"int", "float"} and found:
        return "float" if "float" in found else "int"
    if len(found) == 1 and next(iter(found)) in ("bool", "str"):
        return next(iter(found))
    raise _NoRule("list of mixed kinds")


def _nested(
    syntax: LineSyntax, calls: dict[str, str]
) -> Callable[[ast.expr, dict[str, str], dict[str, str]], Rendered]:
    return lambda node, kinds, names: _render(node, kinds, syntax, names, calls)


def _truth(syntax: LineSyntax) -> Callable[[Rendered], str]:
    return lambda value: truth(value, syntax)


def repeated(node: ast.expr, kind: str, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str]) -> str | None:
    """``[c] * n`` (or ``[]``) as a new list of ``kind`` in the target, or None."""
    if isinstance(node, ast.List) and not node.elts:
        return syntax.list_new.format(elem=syntax.type_of(kind[:-2]), n="0", fill=syntax.default(kind[:-2]))
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult) and isinstance(node.left, ast.List)):
        return None
    if len(node.left.elts) != 1:
        return None
    fill, count = (
        expression(node.left.elts[0], kinds, syntax, names, {}),
        expression(node.right, kinds, syntax, names, {}),
    )
    if fill is None or count is None or not syntax.integral(count.kind) or syntax.widen(fill.kind) != kind[:-2]:
        return None
    if syntax.list_new_zero_only and fill.text not in ("0", "0.0", "false"):
        return None
    return syntax.list_new.format(elem=syntax.type_of(kind[:-2]), n=count.text, fill=fill.text)


def _constant(value: object, syntax: LineSyntax) -> Rendered:
    if isinstance(value, bool):
        return Rendered("true" if value else "false", "bool")
    if isinstance(value, int):
        if value.bit_length() > _INT_BITS:
            raise _NoRule("beyond 64 bits")
        text = str(value) if -(2**31) <= value < 2**31 else syntax.long_literal.format(value)
        return Rendered(text, "int", 12 if value >= 0 else 11)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _NoRule("non-finite")
        return Rendered(repr(value), "float", 12 if value >= 0 else 11)
    if isinstance(value, str):
        return Rendered(syntax.str_literal(value) if syntax.str_literal else json.dumps(value), "str")
    raise _NoRule("constant")


def as_float(value: Rendered, syntax: LineSyntax) -> Rendered:
    """An int where a float is needed, in a target that does not convert it by itself (Rust:
    ``2`` -> ``2.0``, ``n`` -> ``(n as f64)``); else ``value`` as it is."""
    if value.kind != "int" or not syntax.int_to_float:
        return value
    if re.fullmatch(r"\d+", value.text):
        return Rendered(value.text + ".0", "float")
    return Rendered(syntax.int_to_float.format(x=value.text), "float")


def owned(value: Rendered, syntax: LineSyntax) -> str:
    """A list or str passed on or assigned whole, copied where the target moves it (Rust)."""
    template = syntax.owned.get("list" if value.kind.endswith("[]") else value.kind, "")
    return template.format(x=value.within(12)) if template else value.text


def _as_int(value: Rendered, syntax: LineSyntax) -> Rendered:
    """A bool in arithmetic counts as 0 or 1 in Python (``q + (2*r > b)``)."""
    return Rendered(syntax.bool_to_int.format(x=value.within(3)), "int") if value.kind == "bool" else value


def _binop(op: ast.operator, left: Rendered, right: Rendered, syntax: LineSyntax) -> Rendered:
    if not isinstance(op, (ast.BitAnd, ast.BitOr, ast.BitXor)):
        left, right = _as_int(left, syntax), _as_int(right, syntax)
    if isinstance(op, (ast.LShift, ast.RShift)) and left.kind == right.kind == "int":
        # Python shifts below + and -, as Java and C++ do; >> is arithmetic in all three.
        glyph = "<<" if isinstance(op, ast.LShift) else ">>"
        if left.text.isdigit():  # 1 << 40: a 64-bit literal, not a 32-bit one
            left = Rendered(syntax.long_literal.format(left.text), "int")
        return Rendered(f"{left.within(8)} {glyph} {right.within(8, True)}", "int", 8)
    if not (_numeric(left.kind) and _numeric(right.kind)):
        if isinstance(op, ast.Add) and left.kind == right.kind == "str" and syntax.str_concat:
            return Rendered(syntax.str_concat.format(a=left.text, b=right.text), "str")
        if isinstance(op, ast.Add) and left.kind == right.kind == "str":
            return Rendered(f"{left.within(9)} + {right.within(9, True)}", "str", 9)
        raise _NoRule("arithmetic on non-numbers")
    kind = "float" if "float" in (left.kind, right.kind) else "int"
    if kind == "float" or isinstance(op, ast.Div):
        left, right = as_float(left, syntax), as_float(right, syntax)
    if type(op) in _OPS:
        if type(op) in (ast.BitAnd, ast.BitOr, ast.BitXor):
            if kind != "int":
                raise _NoRule("bits of floats")
            return Rendered(f"({left.within(12)} {_OPS[type(op)]} {right.within(12)})", kind)
        prec = 10 if isinstance(op, ast.Mult) else 9
        return Rendered(f"{left.within(prec)} {_OPS[type(op)]} {right.within(prec, True)}", kind, prec)
    if isinstance(op, (ast.Div, ast.FloorDiv, ast.Mod)):
        return _division(op, left, right, kind, syntax)
    if isinstance(op, ast.Pow) and kind == "float":
        return Rendered(f"{_math(syntax, 'pow', 'float')}({left.text}, {right.text})", "float")
    raise _NoRule("operator")


def _division(op: ast.operator, left: Rendered, right: Rendered, kind: str, syntax: LineSyntax) -> Rendered:
    """``/``, ``//`` and ``%`` as Python computes them: ``/`` in floats, ``//`` and ``%`` floored,
    and a zero divisor raising (Java's floorDiv/floorMod on ints raise by themselves; a float
    division and every C++ one get the divisor guarded, unless it is a non-zero literal)."""
    a, b = left.text, right.text
    guarded = kind == "float" or isinstance(op, ast.Div) or syntax.guard_ints
    literal = (
        right.prec == 12 and re.fullmatch(r"[\d.]+(?:[eE][-+]?\d+)?L*", b) is not None and float(b.rstrip("L")) != 0
    )
    g = syntax.nonzero.format(b=right.within(5)) if guarded and not literal else right.within(10, True)
    if isinstance(op, ast.Div):
        if "float" in (left.kind, right.kind):
            return Rendered(f"{left.within(10)} / {g}", "float", 10)
        return Rendered(f"{syntax.to_float.format(x=a)} / {g}", "float", 10)
    if isinstance(op, ast.FloorDiv):
        if kind == "int":
            return Rendered(syntax.floordiv.format(a=a, b=b, g=g), "int")
        return Rendered(f"{_math(syntax, 'floor', 'float')}({left.within(10)} / {g})", "float")
    if kind == "int":
        return Rendered(syntax.floormod.format(a=a, b=b, g=g), "int")
    return Rendered(syntax.float_mod.format(a=left.within(12), b=right.within(12), g=g), "float")


def _subscript(node: ast.Subscript, go: Callable[[ast.expr], Rendered], syntax: LineSyntax) -> Rendered:
    seq = go(node.value)
    if (item := line_nested.dict_read(seq, node.slice, go, syntax)) is not None:
        return item  # hook: d[k] (line_nested.py)
    if (item := tuple_item(seq, node.slice, syntax)) is not None:
        return item  # hook: t[0] on a tuple of mixed kinds (line_tuples.py)
    if seq.kind == "str" and syntax.char and not isinstance(node.slice, (ast.Slice, ast.UnaryOp)):
        at = go(node.slice)  # s[i]: a str of one character, as Python's
        if syntax.integral(at.kind):
            return Rendered(syntax.char.format(s=seq.within(12), i=at.text), "str")
    if not seq.kind.endswith("[]") or isinstance(node.slice, ast.Slice):
        raise _NoRule("subscript")
    index = node.slice
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and isinstance(index.operand, ast.Constant):
        # a[-k]: from the end, as Python counts it
        k = go(index.operand)
        idx = f"{syntax.length.format(seq=seq.text)} - {k.text}"
    else:
        found = go(index)
        if not syntax.integral(found.kind):
            raise _NoRule("index")
        idx = found.text
    return Rendered(syntax.index.format(seq=seq.text, idx=idx), seq.kind[:-2])


def _call(
    node: ast.Call,
    go: Callable[[ast.expr], Rendered],
    syntax: LineSyntax,
    names: dict[str, str],
    calls: dict[str, str],
) -> Rendered:
    if node.keywords:
        raise _NoRule("keywords")
    if (typed := line_lists.isinstance_test(node, lambda a: go(a).kind)) is not None:  # hook (line_lists.py)
        return Rendered(typed, "bool")
    args = [go(a) for a in node.args]
    if (on_dict := line_nested.dict_call(node, args, go, syntax)) is not None:
        return on_dict  # hook: len(d), d.get(k, v) (line_nested.py)
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "math":
        if func.attr not in _MATH_FLOAT or not all(_numeric(a.kind) for a in args):
            raise _NoRule("math")
        fn = "abs" if func.attr == "fabs" else func.attr
        text = f"{_math(syntax, fn, 'float')}({', '.join(as_float(a, syntax).text for a in args)})"
        if fn in ("floor", "ceil"):  # Python's return ints
            return Rendered(syntax.to_int.format(x=text), "int", 11)
        return Rendered(text, "float")
    if isinstance(func, ast.Attribute) and func.attr in syntax.str_methods:
        return _str_method(syntax.str_methods[func.attr], go(func.value), args)
    if not isinstance(func, ast.Name):
        raise _NoRule("call")
    if func.id == "len" and len(args) == 1:
        if args[0].kind == "str":
            return Rendered(syntax.str_length.format(seq=args[0].text), "int")
        if args[0].kind.endswith("[]"):
            return Rendered(syntax.length.format(seq=args[0].text), "int")
        raise _NoRule("len")
    if func.id == "abs" and len(args) == 1 and _numeric(args[0].kind):
        return Rendered(f"{_math(syntax, 'abs', args[0].kind)}({args[0].text})", args[0].kind)
    if func.id in ("min", "max") and len(args) >= 2 and all(_numeric(a.kind) for a in args):
        kind = "float" if any(a.kind == "float" for a in args) else "int"
        args = [as_float(a, syntax) for a in args] if kind == "float" else args
        type_ = syntax.type_of(kind)
        nested = args[-1].text
        for a in reversed(args[:-1]):
            nested = syntax.min_max.format(fn=func.id, a=a.text, b=nested, type=type_)
        return Rendered(nested, kind)
    if func.id == "int" and len(args) == 1 and _numeric(args[0].kind):
        return args[0] if args[0].kind == "int" else Rendered(syntax.to_int.format(x=args[0].text), "int", 11)
    if func.id == "float" and len(args) == 1 and _numeric(args[0].kind):
        return Rendered(syntax.to_float.format(x=args[0].text), "float", 11)
    if func.id in calls:
        return Rendered(f"{names.get(func.id, func.id)}({', '.join(owned(a, syntax) for a in args)})", calls[func.id])
    raise _NoRule("call")


def _math(syntax: LineSyntax, fn: str, kind: str) -> str:
    """The target's name of a math function on values of ``kind`` (``Math.sqrt``, ``f64::sqrt``)."""
    return syntax.math.format(fn=syntax.math_names.get(fn, fn), type=syntax.type_of(kind))


def _str_method(rule: tuple[str, str], owner: Rendered, args: list[Rendered]) -> Rendered:
    """``s.startswith(p)`` and the other str methods the target's ``str_methods`` name, on a
    str with as many str arguments as its template takes."""
    template, kind = rule
    if owner.kind != "str" or any(a.kind != "str" for a in args) or template.count("{") - 1 != len(args):
        raise _NoRule("str method")
    return Rendered(template.format(*(a.text for a in args), s=owner.within(12)), kind, 11)  # maybe a cast


def message(node: ast.expr | None) -> str:
    """The message of a ``raise X(msg)`` or ``assert c, msg`` as a string literal: the Python
    source of the exception (its text does not take part in the behaviour check)."""
    return json.dumps(ast.unparse(node)[:80] if node is not None else "assertion failed")
