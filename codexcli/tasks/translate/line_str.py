"""`codex translate`, line by line: codex's rules for Python's str operations beyond a method
call with str arguments (those are the ``str_methods`` of each target's ``LineSyntax``).

``s[a:b]`` (str or list: negative bounds, clamping, empty when ``a >= b``), ``s[-1]``, ``not
s`` and a str, int or list as a test (``if s:``), ``'%02d' % n`` and ``'%s, %d' % (a, b)``
(printf-style ``%d %i %s`` with flags and widths, refused where the target's formatting differs
from Python's: ``%x`` of a negative, ``%f`` rounding, ``%r``, ``%s`` of a float or bool),
``str(n)``, ``'ab' * n``, ``sep.join(words)``, ``s.strip(chars)`` (and ``lstrip``/``rstrip``:
a set of characters), ``s.split(sep)``, and ``for ch in s``. Where an expression would get
Python's semantics wrong (clamping, negative indexes), the rule calls a helper codex emits into
the translation (tasks/translate/str_helpers.py). Each rule's output is only a candidate, run on
the original's states like any answer. ``str_rule`` answers None where it has no rule
(line_rules.py then has none either).
"""

from __future__ import annotations

import ast
import json
import re
from typing import TYPE_CHECKING, Callable

from codexcli.tasks.translate.line_str_args import stepped, str_args_rule

if TYPE_CHECKING:
    from codexcli.tasks.translate.line_syntax import LineSyntax
    from codexcli.tasks.translate.rendered import Rendered

Found = tuple[str, str, int]  # text, kind, precedence (line_rules.Rendered's fields)
Go = Callable[[ast.expr], "Rendered"]

# Per target (``LineSyntax.strs``): the templates of the rules below; a target without one has
# no such rule.
_JAVA = {
    "target": "java",
    "slice": "CodexSlice.of({s}, {a}, {b})",
    "end": "Long.MAX_VALUE",
    "at": "CodexAt.of({s}, {i})",
    "str": "Long.toString({x})",
    "bool_str": '({x} ? "True" : "False")',
    "repeat": "{s}.repeat((int) Math.max(0, {n}))",
    "join": "String.join({sep}, {words})",
    "strip": "CodexStrip.of({s}, {chars}, {left}, {right})",
    "split": "CodexSplit.of({s}, {sep})",
    "chars": "CodexChars.of({s})",
    "format": "String.format(java.util.Locale.ROOT, {spec}, {args})",
    "empty_str": "{x}.isEmpty()",
    "empty_list": "{x}.length == 0",
}
_CPP = {
    "target": "cpp",
    "slice": "codex_slice({s}, {a}, {b})",
    "end": "9223372036854775807LL",
    "at": "codex_at({s}, {i})",
    "str": "std::to_string({x})",
    "bool_str": 'std::string({x} ? "True" : "False")',
    "repeat": "codex_repeat({s}, {n})",
    "join": "codex_join({sep}, {words})",
    "strip": "codex_strip({s}, {chars}, {left}, {right})",
    "split": "codex_split({s}, {sep})",
    "chars": "codex_chars({s})",
    "empty_str": "{x}.empty()",
    "empty_list": "{x}.empty()",
}
_TS = {
    "slice": "{s}.slice({a}, {b})",
    "end": "Infinity",
    "bool_str": '({x} ? "True" : "False")',
    "repeat": "{s}.repeat(Math.max(0, {n}))",
    "join": "{words}.join({sep})",
    "chars": "{s}",  # for..of walks a string by code points
    "empty_str": "{x}.length === 0",
    "empty_list": "{x}.length === 0",
}
_TARGETS = {"java": _JAVA, "cpp": _CPP, "ts": _TS}
_ZERO = {"int": "0", "float": "0.0"}  # a float's zero as a float literal (Rust compares no f64 with 0)

# printf-style conversions written as the target's: flags, width, precision, conversion.
_SPEC = re.compile(r"%(?P<flags>[-+ 0#]*)(?P<width>\d*)(?:\.(?P<prec>\d+))?(?P<conv>.)")


class _NoStrRule(Exception):
    """No rule here (or the target would differ from Python)."""


def _table(syntax: LineSyntax) -> dict[str, str]:
    return _TARGETS.get(syntax.strs, {})


def str_rule(node: ast.expr, go: Go, syntax: LineSyntax) -> Found | None:
    """``node`` by one of the rules above in ``syntax``'s target, or None. ``go`` renders a
    sub-expression (line_rules; it raises where no rule covers one)."""
    table = _table(syntax)
    try:
        if isinstance(node, ast.Subscript):
            return _subscript(node, go, table)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return _paren(empty(go(node.operand), syntax)), "bool", 12
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_str_constant(node.left):
            return _format(node, go, syntax.strs)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            return _repeat(go(node.left), go(node.right), table)
        if isinstance(node, ast.Call) and not node.keywords:  # bounds and partition first (line_str_args.py)
            return str_args_rule(node, go, syntax.strs) or _call(node, go, table)
    except (_NoStrRule, KeyError):
        return None
    return None


def _is_str_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _paren(text: str) -> str:
    return text if re.fullmatch(r"[\w.]+(?:\([^()]*\))?", text) else f"({text})"  # a name or a plain call


def _int(value: Rendered, syntax_table: dict[str, str]) -> str:
    if value.kind not in ("int", "float") or (value.kind == "float" and syntax_table is not _TS):
        raise _NoStrRule("not an int")
    return value.text


def _subscript(node: ast.Subscript, go: Go, table: dict[str, str]) -> Found:
    seq = go(node.value)
    if not (seq.kind == "str" or seq.kind.endswith("[]")):
        raise _NoStrRule("not a sequence")
    if isinstance(node.slice, ast.Slice):
        if node.slice.step is not None:  # x[a:b:c] (line_str_args.py)
            parts = (node.slice.lower, node.slice.upper, node.slice.step)
            found = stepped(seq, [go(p) if p is not None else None for p in parts], table.get("target", ""))
            if found is None:
                raise _NoStrRule("a step")
            return found
        lower = _int(go(node.slice.lower), table) if node.slice.lower is not None else "0"
        upper = _int(go(node.slice.upper), table) if node.slice.upper is not None else table["end"]
        if table is _TS and node.slice.upper is None:
            return f"{seq.within(12)}.slice({lower})", seq.kind, 12
        return table["slice"].format(s=seq.within(12), a=lower, b=upper), seq.kind, 12
    if seq.kind != "str":
        raise _NoStrRule("a list index: line_rules's")
    return table["at"].format(s=seq.text, i=_int(go(node.slice), table)), "str", 12


def empty(value: Rendered, syntax: LineSyntax) -> str:
    """``not value`` as a boolean expression: a str or list is false when empty, a number when zero."""
    table = _table(syntax)
    if value.kind in ("int", "float"):
        return f"{value.within(5)} == {_ZERO[value.kind]}"
    key = "empty_str" if value.kind == "str" else "empty_list" if value.kind.endswith("[]") else ""
    if not key or key not in table:
        raise _NoStrRule("no truth")
    return table[key].format(x=value.within(12))


def truth(value: Rendered, syntax: LineSyntax) -> str:
    """Python's truth of ``value`` as a boolean expression (``if s:``)."""
    if value.kind == "bool":
        return value.text
    if value.kind in ("int", "float"):
        return f"{value.within(5)} != {_ZERO[value.kind]}"
    return "!" + _paren(empty(value, syntax))


def condition(node: ast.expr, go: Go, syntax: LineSyntax) -> str | None:
    """The test of an ``if``/``while``/``assert`` as a boolean (``if s:``, ``while n and
    s:``), or None: ``and``/``or`` there only decide the branch, so each operand's truth counts."""
    try:
        whole = go(node)
        if whole.kind == "bool" or not isinstance(node, ast.BoolOp):
            return truth(whole, syntax)
    except (_NoStrRule, KeyError):
        pass  # an and/or of non-bools: each operand's truth
    if not isinstance(node, ast.BoolOp):
        return None
    glue = " && " if isinstance(node.op, ast.And) else " || "
    parts = [condition(v, go, syntax) for v in node.values]
    return None if any(p is None for p in parts) else glue.join(f"({p})" for p in parts)


def _repeat(left: Rendered, right: Rendered, table: dict[str, str]) -> Found:
    s, n = (left, right) if left.kind == "str" else (right, left)
    if s.kind != "str":
        raise _NoStrRule("not a str")
    return table["repeat"].format(s=s.within(12), n=_int(n, table)), "str", 12


def _call(node: ast.Call, go: Go, table: dict[str, str]) -> Found:
    func = node.func
    if isinstance(func, ast.Name) and func.id == "str" and len(node.args) == 1:
        x = go(node.args[0])
        if x.kind == "str":
            return x.text, "str", x.prec
        if x.kind == "bool":
            return table["bool_str"].format(x=x.within(3)), "str", 12
        if x.kind != "int":
            raise _NoStrRule("str() of a float: the digits differ")
        return table["str"].format(x=x.text), "str", 12
    if isinstance(func, ast.Attribute) and func.attr == "format" and _is_str_constant(func.value):
        return _brace_format(func.value, node.args, go, table)
    if not isinstance(func, ast.Attribute) or len(node.args) > 1:
        raise _NoStrRule("call")
    owner, args = go(func.value), [go(a) for a in node.args]
    if owner.kind != "str":
        raise _NoStrRule("not a str method")
    if func.attr == "join" and len(args) == 1 and args[0].kind == "str[]":
        return table["join"].format(sep=owner.text, words=args[0].within(12)), "str", 12
    if func.attr in ("strip", "lstrip", "rstrip") and all(a.kind == "str" for a in args):
        chars = args[0].text if args else ("null" if table is _JAVA else '""')
        if table is _CPP:
            chars = f"{chars}, {'true' if args else 'false'}"
        left, right = ("true" if func.attr != "rstrip" else "false"), ("true" if func.attr != "lstrip" else "false")
        return table["strip"].format(s=owner.text, chars=chars, left=left, right=right), "str", 12
    if func.attr == "split" and len(args) == 1 and args[0].kind == "str":
        return table["split"].format(s=owner.text, sep=args[0].text), "str[]", 12
    raise _NoStrRule("str method")


def _format(node: ast.BinOp, go: Go, target: str) -> Found:
    """``'%02d' % n``, ``'%s-%s' % (a, b)``: each conversion checked against the value's kind,
    then the target's formatting (Java ``String.format`` in the root locale; C++ ``snprintf``
    per integer and a code-point padding per str)."""
    spec = node.left.value if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str) else ""
    items = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
    values = [go(i) for i in items]
    pieces: list[tuple[str, str, str]] = []  # (literal text, "", "") or (conversion, value, kind)
    at, k = 0, 0
    for m in _SPEC.finditer(spec):
        pieces.append((spec[at : m.start()], "", ""))
        at = m.end()
        if m.group("conv") == "%" and m.group(0) == "%%":
            pieces.append(("%", "", ""))
            continue
        if k >= len(values):
            raise _NoStrRule("too few values")
        pieces.append((_conversion(m, values[k]), values[k].text, values[k].kind))
        k += 1
    pieces.append((spec[at:], "", ""))
    if k != len(values) or any(v.kind not in ("int", "str") for v in values):
        raise _NoStrRule("values")
    if target == "java":
        text = "".join(c.replace("%", "%%") if not v else c for c, v, _ in pieces)
        args = ", ".join(v for _, v, _ in pieces if v)
        return _JAVA["format"].format(spec=json.dumps(text), args=args).replace(", )", ")"), "str", 12
    if target == "cpp":
        parts = [_cpp_piece(c, v, kind) for c, v, kind in pieces if c or v]
        return " + ".join(["std::string()", *parts]), "str", 9
    raise _NoStrRule("no formatting rule")


def _brace_format(spec: ast.expr, args: list[ast.expr], go: Go, table: dict[str, str]) -> Found:
    """``'{},{}'.format(a, b)`` of ints and strs: ``'%s,%s' % (a, b)``, the same text."""
    text = spec.value if isinstance(spec, ast.Constant) and isinstance(spec.value, str) else "{"
    if re.search(r"[{}]", text.replace("{}", "")) or any(isinstance(a, ast.Starred) for a in args):
        raise _NoStrRule("a field name, spec or brace escape")
    printf = ast.Constant(text.replace("%", "%%").replace("{}", "%s"))
    syntax_name = "java" if table is _JAVA else "cpp" if table is _CPP else ""
    return _format(ast.BinOp(printf, ast.Mod(), ast.Tuple(args, ast.Load())), go, syntax_name)


def _conversion(m: re.Match[str], value: Rendered) -> str:
    """One conversion, Java-spelled (``%02d``), where it formats ``value`` as Python would."""
    flags, width, prec, conv = m.group("flags"), m.group("width"), m.group("prec"), m.group("conv")
    if "#" in flags or len(set(flags)) < len(flags) or (width and len(width) > 3):
        raise _NoStrRule("flags")
    if (set("-0") <= set(flags)) or (set("+ ") <= set(flags)) or (set(flags) & set("-0") and not width):
        raise _NoStrRule("flags Java rejects (Python ignores one of them)")
    if conv in "di" and value.kind == "int" and prec is None:
        return f"%{flags}{width}d"
    if conv == "s" and value.kind == "str" and not (set(flags) - {"-"}):
        return f"%{flags}{width}" + (f".{prec}" if prec else "") + "s"
    if conv == "s" and value.kind == "int" and not (set(flags) - {"-"}) and prec is None:
        return f"%{flags}{width}s"
    raise _NoStrRule(f"%{conv} of {value.kind}")  # %x of a negative, %f rounding, %r: they differ


def _cpp_piece(conversion: str, value: str, kind: str) -> str:
    if not value:
        return json.dumps(conversion)
    m = _SPEC.fullmatch(conversion)
    if m is None:
        raise _NoStrRule("spec")
    if m.group("conv") == "d":
        return f'codex_format_int("%{m.group("flags")}{m.group("width")}lld", {value})'
    if m.group("prec"):
        raise _NoStrRule("a precision on %s")
    left = "true" if "-" in m.group("flags") else "false"
    text = f"std::to_string({value})" if kind == "int" else value
    return f"codex_pad({text}, {m.group('width')}, {left})" if m.group("width") else text


def iterable(seq: Rendered, syntax: LineSyntax) -> Found | None:
    """``for ch in s``: the characters of a str as a list of one-character strs."""
    template = _table(syntax).get("chars")
    if seq.kind != "str" or template is None:
        return None
    return template.format(s=seq.text), "str[]", 12
