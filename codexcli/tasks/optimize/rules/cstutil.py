"""libcst helpers the rewrite rules share: walking, the names a piece of code binds or may
change, fresh names, and code from text."""

from __future__ import annotations

import textwrap
from typing import Callable, Iterator

import libcst as cst

# Builtins that neither change their arguments nor keep them: a call of one with unchanging
# arguments gives the same value on every pass of a loop.
PURE_CALLS = frozenset({
    "len", "sorted", "set", "frozenset", "list", "tuple", "max", "min", "sum", "any", "all", "abs", "str",
    "int", "float", "bool", "ord", "chr", "repr", "dict", "round", "isinstance", "divmod", "hash",
    "range", "enumerate", "zip", "reversed", "iter",
})  # fmt: skip
# Methods that read their object and arguments and change neither (str, list, tuple, dict).
PURE_METHODS = frozenset({
    "count", "index", "lower", "upper", "strip", "lstrip", "rstrip", "casefold", "split", "rsplit",
    "find", "rfind", "replace", "startswith", "endswith", "get", "keys", "values", "items", "copy",
    "join", "isdigit", "isalpha", "isalnum", "isspace", "format",
})  # fmt: skip


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """``node`` and everything under it, parents first."""
    yield node
    for child in node.children:
        yield from walk(child)


def code_of(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def target_names(node: cst.CSTNode) -> set[str]:
    """The names an assignment target binds or changes (``a``, ``a, b``, ``a[i]`` -> ``a``)."""
    if isinstance(node, cst.Name):
        return {node.value}
    if isinstance(node, (cst.Tuple, cst.List)):
        return set().union(*(target_names(e.value) for e in node.elements)) if node.elements else set()
    if isinstance(node, cst.StarredElement):
        return target_names(node.value)
    if isinstance(node, (cst.Subscript, cst.Attribute)):
        return target_names(node.value)
    return set()


def bound_names(node: cst.CSTNode) -> set[str]:
    """Names bound or assigned into anywhere in ``node`` (loop and comprehension targets, ``with
    ... as``, walrus, ``del``, nested definitions)."""
    out: set[str] = set()
    for n in walk(node):
        if isinstance(n, cst.AssignTarget):
            out |= target_names(n.target)
        elif isinstance(n, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr, cst.Del)):
            out |= target_names(n.target)
        elif isinstance(n, cst.AsName):
            out |= target_names(n.name)
        elif isinstance(n, (cst.FunctionDef, cst.ClassDef)):
            out.add(n.name.value)
        elif isinstance(n, (cst.Global, cst.Nonlocal)):
            out |= {item.name.value for item in n.names}
    return out


def mutated_names(node: cst.CSTNode) -> set[str]:
    """Names whose object ``node`` may change: a method other than PURE_METHODS called on it, or
    passed to a call other than PURE_CALLS."""
    out: set[str] = set()
    for n in walk(node):
        if not isinstance(n, cst.Call):
            continue
        func = n.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value not in PURE_METHODS:
            out.add(func.value.value)
        pure = isinstance(func, cst.Name) and func.value in PURE_CALLS
        if not pure:
            out |= {a.value.value for a in n.args if isinstance(a.value, cst.Name)}
    return out


def changing_names(node: cst.CSTNode) -> frozenset[str]:
    return frozenset(bound_names(node) | mutated_names(node))


def all_names(node: cst.CSTNode) -> set[str]:
    return {n.value for n in walk(node) if isinstance(n, cst.Name)}


class Namer:
    """Fresh local names for a function: never one it already uses, never one given twice."""

    def __init__(self, fn: cst.CSTNode) -> None:
        self.taken = all_names(fn)

    def fresh(self, base: str) -> str:
        name, n = base, 2
        while name in self.taken:
            name, n = f"{base}{n}", n + 1
        self.taken.add(name)
        return name


def statements(src: str) -> list[cst.BaseStatement]:
    """Statements from text (one or more, at column 0)."""
    return list(cst.parse_module(src).body)


def is_name(node: cst.CSTNode | None, name: str | None = None) -> bool:
    return isinstance(node, cst.Name) and (name is None or node.value == name)


def single_expr_call(stmt: cst.CSTNode) -> cst.Call | None:
    """The call of a statement line that is just one call (``out.append(x)``), else None."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr):
        value = stmt.body[0].value
        return value if isinstance(value, cst.Call) else None
    return None


def single_small(stmt: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The one small statement of a line (``x = 0``, ``acc += v``, ``return True``), else None."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt.body[0]
    return None


def block_statements(body: cst.BaseSuite) -> list[cst.BaseStatement]:
    """The statements of a suite (a one-line suite's small statements as one line)."""
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    assert isinstance(body, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body=body.body)]


def loop_body_one(loop: cst.For) -> cst.BaseStatement | None:
    """The single statement of a plain ``for`` loop (no ``else``, not async), else None."""
    if loop.orelse is not None or loop.asynchronous is not None:
        return None
    body = block_statements(loop.body)
    return body[0] if len(body) == 1 else None


def top_assigns(fn: cst.FunctionDef) -> Iterator[tuple[int, list[cst.BaseStatement], cst.Assign, str]]:
    """(index, the body's statements, the assignment, the name) of each ``name = value`` line
    directly in ``fn``'s body."""
    body = fn.body
    assert isinstance(body, cst.IndentedBlock)
    stmts = list(body.body)
    for i, stmt in enumerate(stmts):
        small = single_small(stmt)
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            yield i, stmts, small, small.targets[0].target.value


class AppendPieces(cst.CSTTransformer):
    """Every small statement that ``piece_of(small, name)`` finds a piece in (``s += piece``,
    ``out.insert(0, piece)``...) becomes ``parts.append(piece)``; the rest stays."""

    def __init__(
        self, name: str, parts: str, piece_of: Callable[[cst.CSTNode, str], cst.BaseExpression | None]
    ) -> None:
        self.name, self.parts, self.piece_of = name, parts, piece_of

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        body = []
        for small in updated.body:
            piece = self.piece_of(small, self.name)
            body.append(cst.Expr(cst.parse_expression(f"{self.parts}.append({code_of(piece)})")) if piece else small)
        return updated.with_changes(body=body)


def flat(node: cst.CSTNode) -> str:
    """``node``'s code without spaces, for matching a small pattern (``xs[i],xs[j]=xs[j],xs[i]``)."""
    return code_of(node).strip().replace(" ", "")


def guarded(test: str, fast: str, slow: cst.BaseStatement) -> str:
    """``if test: fast`` with the original statement ``slow`` as the ``else``: the fast code runs
    only where ``test`` proves it does what ``slow`` does (exact types checked at run time)."""
    original = code_of(slow.with_changes(leading_lines=[])).rstrip("\n")
    return f"if {test}:\n{textwrap.indent(fast, '    ')}\nelse:\n{textwrap.indent(original, '    ')}"
