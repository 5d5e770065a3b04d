"""Simple mutants of one function: how we tell a test that checks something from one that only
runs the code.

Each mutant is the whole module with ONE small change inside the function under test: return
early, flip a comparison, change a constant, swap an arithmetic or boolean operator, drop a
``not``. A test "kills" a mutant when it fails against it. Mutants are built on the AST and
unparsed, so comments and formatting of the mutant differ from the original; that does not
matter, it only ever runs inside the sandbox and is never written anywhere.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Iterator

from codexcli.answers import is_docstring
from codexcli.verify.static.lookup import find_definition

_COMPARE_FLIPS: dict[type, type] = {
    ast.Lt: ast.GtE,
    ast.LtE: ast.Gt,
    ast.Gt: ast.LtE,
    ast.GtE: ast.Lt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_BINOP_SWAPS: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Add,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
}
_SYMBOLS: dict[type, str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.And: "and",
    ast.Or: "or",
}


@dataclass(frozen=True)
class Mutant:
    """The module's source with one change inside the function under test."""

    description: str  # e.g. "line 12: < became >="
    source: str


def _body_nodes(definition: ast.AST) -> Iterator[ast.AST]:
    """Nodes of the body that may be mutated, skipping docstrings, annotations, defaults and
    f-string pieces (changing those says nothing about the tests)."""
    body = list(getattr(definition, "body", []))
    if body and is_docstring(body[0]):
        body = body[1:]
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.JoinedStr, ast.arguments)):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            children = list(_body_nodes(node))  # nested defs: their bodies, not their headers
            stack.extend(reversed(children))
            continue
        children = [c for c in ast.iter_child_nodes(node) if not _is_annotation_of(node, c)]
        stack.extend(reversed(children))


def _is_annotation_of(parent: ast.AST, child: ast.AST) -> bool:
    return isinstance(parent, ast.AnnAssign) and child is parent.annotation


def _mutations(node: ast.AST) -> list[tuple[str, Callable[[ast.AST], None]]]:
    """The ways ``node`` can be changed: (description, function applying it to a copy)."""
    out: list[tuple[str, Callable[[ast.AST], None]]] = []
    if isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE_FLIPS:
        old: type = type(node.ops[0])
        new = _COMPARE_FLIPS[old]

        def flip(n: ast.AST, new: type = new) -> None:
            n.ops[0] = new()  # type: ignore[attr-defined]

        out.append((f"{_SYMBOLS[old]} became {_SYMBOLS[new]}", flip))
    elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINOP_SWAPS:
        old, new = type(node.op), _BINOP_SWAPS[type(node.op)]

        def swap(n: ast.AST, new: type = new) -> None:
            n.op = new()  # type: ignore[attr-defined]

        out.append((f"{_SYMBOLS[old]} became {_SYMBOLS[new]}", swap))
    elif isinstance(node, ast.BoolOp):
        old, new = type(node.op), ast.Or if isinstance(node.op, ast.And) else ast.And

        def swap_bool(n: ast.AST, new: type = new) -> None:
            n.op = new()  # type: ignore[attr-defined]

        out.append((f"{_SYMBOLS[old]} became {_SYMBOLS[new]}", swap_bool))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):

        def drop_not(n: ast.AST) -> None:
            setattr(n, "op", ast.UAdd())

        out.append(("`not` removed", drop_not))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            out.append((f"{value} became {not value}", lambda n: setattr(n, "value", not n.value)))  # type: ignore[attr-defined]
        elif isinstance(value, (int, float)):
            out.append((f"{value!r} became {value + 1!r}", lambda n: setattr(n, "value", n.value + 1)))  # type: ignore[attr-defined]
        elif isinstance(value, str):
            new_value = "" if value else "codex"

            def set_str(n: ast.AST, v: str = new_value) -> None:
                setattr(n, "value", v)

            out.append((f"{value!r} became {new_value!r}", set_str))
    return out


def _fix_not(tree: ast.AST) -> None:
    """`not x` with its operator removed is marked UAdd above; unwrap it to plain ``x``."""

    class Unwrap(ast.NodeTransformer):
        def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
            self.generic_visit(node)
            if isinstance(node.op, ast.UAdd) and getattr(node, "_codex_unwrap", False):
                return node.operand
            return node

    Unwrap().visit(tree)


def mutants_for(source: str, qualname: str, limit: int = 6) -> list[Mutant]:
    """Up to ``limit`` mutants of the function (or class) ``qualname`` in ``source``.

    "Return early" comes first (it breaks any function whose result matters); the other
    mutation sites are sampled evenly through the body so one long function does not get
    only constant changes. Mutants that do not compile or change nothing are skipped.
    """
    if limit <= 0:
        return []
    original = ast.parse(source)
    definition = find_definition(original, qualname)
    if definition is None:
        return []
    baseline = ast.unparse(original)
    nodes = list(_body_nodes(definition))
    sites = [(i, desc) for i, node in enumerate(nodes) for desc, _ in _mutations(node)]
    chosen: list[tuple[int, str] | None] = [None] if not isinstance(definition, ast.ClassDef) else []
    room = limit - len(chosen)
    if len(sites) <= room:
        chosen += sites
    elif room > 0:
        chosen += [sites[(k * len(sites)) // room] for k in range(room)]
    out: list[Mutant] = []
    seen: set[str] = set()
    for site in chosen:
        tree = ast.parse(source)
        target = find_definition(tree, qualname)
        assert target is not None
        if site is None:
            description = _return_early(target)
            if description is None:
                continue
        else:
            index, description = site
            node = list(_body_nodes(target))[index]
            for desc, apply in _mutations(node):
                if desc == description:
                    if isinstance(node, ast.UnaryOp):
                        node._codex_unwrap = True  # type: ignore[attr-defined]
                    apply(node)
                    break
            _fix_not(tree)
            description = f"line {getattr(node, 'lineno', target.lineno)}: {description}"
        text = ast.unparse(ast.fix_missing_locations(tree)) + "\n"
        if text == baseline + "\n" or text in seen:
            continue
        try:
            compile(text, "<mutant>", "exec")
        except SyntaxError:
            continue
        seen.add(text)
        out.append(Mutant(description, text))
    return out


def _return_early(fn: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> str | None:
    """Insert ``return None`` as the first statement (after the docstring)."""
    if isinstance(fn, ast.ClassDef):
        return None
    body = fn.body
    start = 1 if body and is_docstring(body[0]) else 0
    rest = body[start:]
    if (
        len(rest) == 1
        and isinstance(rest[0], ast.Return)
        and (rest[0].value is None or (isinstance(rest[0].value, ast.Constant) and rest[0].value.value is None))
    ):
        return None  # already returns None at once: the mutant would be the function itself
    body.insert(start, ast.Return(value=ast.Constant(value=None)))
    return f"line {fn.lineno}: returns None at once"
