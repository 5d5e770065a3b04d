"""Find what lacks a docstring, and insert docstrings with libcst, touching nothing else.

Targets are addressed by their pre-order index: 0 is the module, then every class and function
(methods, nested and async functions included) in file order, the same order in ``ast`` and in
libcst. ``insert_docstrings`` never raises; ``verify_docstring_edit`` is the safety check run on
every file before it is written: the code (the AST without docstrings) is identical, every line
that is not a docstring is byte-for-byte the same, and each new docstring reads back exactly.
"""

from __future__ import annotations

import ast
import copy
import inspect
from dataclasses import dataclass
from typing import Iterator

import libcst as cst

from codexcli.answers import is_docstring, is_stub_statement
from codexcli.splice.body import Spliced, SpliceFailed
from codexcli.splice.nodes import is_docstring_line

_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_CLS_PARAMS = {"self", "cls"}


@dataclass(frozen=True)
class DocTarget:
    """A module, class or function that may receive a docstring."""

    index: int  # 0: the module; then classes and functions in pre-order
    kind: str  # "module" | "class" | "function" | "method"
    qualname: str
    name: str
    lineno: int  # the `def`/`class` line (1 for the module)
    start: int  # first line, decorators included
    end: int  # last line
    params: tuple[str, ...]  # parameter names (no stars), self/cls of methods excluded
    is_async: bool
    returns_value: bool
    is_generator: bool
    docstring: str | None  # the existing docstring, cleaned, if any
    one_line_body: bool  # `def f(): ...` on one line: a docstring cannot go in without reformatting
    code: str  # the target's source (decorators included), as written
    fingerprint: str  # ast.dump of the target without docstrings: what the cache keys on


def _own_nodes(fn: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function body that belong to it (not to nested functions, lambdas, classes)."""
    stack = list(ast.iter_child_nodes(fn))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (*_DEFS, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _returns(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[bool, bool]:
    """(returns a value, is a generator). A stub with a non-None return annotation counts as
    returning a value: its docstring may say what implementations return."""
    body = [s for s in fn.body if not is_docstring(s)] if fn.body else []
    nodes = [n for stmt in body for n in [stmt, *_own_nodes(stmt)]]
    generator = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in nodes)
    value = any(
        isinstance(n, ast.Return)
        and n.value is not None
        and not (isinstance(n.value, ast.Constant) and n.value.value is None)
        for n in nodes
    )
    if not value and (not body or all(is_stub_statement(s) for s in body)):
        ann = fn.returns
        value = ann is not None and not (isinstance(ann, ast.Constant) and ann.value is None)
    return value, generator


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> tuple[str, ...]:
    a = fn.args
    names = [x.arg for x in [*a.posonlyargs, *a.args]]
    if method and names and names[0] in _CLS_PARAMS and not _is_staticmethod(fn):
        names = names[1:]
    if a.vararg:
        names.append(a.vararg.arg)
    names += [x.arg for x in a.kwonlyargs]
    if a.kwarg:
        names.append(a.kwarg.arg)
    return tuple(names)


def _is_staticmethod(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)


def strip_docstrings(tree: ast.AST) -> ast.AST:
    """Remove the docstring statement of the module, every class and every function (in place)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, *_DEFS)) and node.body and is_docstring(node.body[0]):
            node.body = node.body[1:]
    return tree


def code_fingerprint(node: ast.AST) -> str:
    """``ast.dump`` of a copy of ``node`` without docstrings or positions."""
    return ast.dump(strip_docstrings(copy.deepcopy(node)), include_attributes=False)


def _body_on_header_line(lines: list[str], node: ast.AST) -> bool:
    """True for ``def f(): return 1`` (the body follows the colon on the same line)."""
    first = node.body[0]  # type: ignore[attr-defined]
    return bool(lines[first.lineno - 1].encode("utf-8")[: first.col_offset].strip())


def _segment(lines: list[str], start: int, end: int) -> str:
    return "".join(lines[start - 1 : end])


def find_targets(source: str) -> list[DocTarget]:
    """Every module/class/function of ``source`` (which must parse), in pre-order."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    targets = [
        DocTarget(
            index=0,
            kind="module",
            qualname="<module>",
            name="<module>",
            lineno=1,
            start=1,
            end=max(1, len(lines)),
            params=(),
            is_async=False,
            returns_value=False,
            is_generator=False,
            docstring=ast.get_docstring(tree),
            one_line_body=False,
            code=source,
            fingerprint=code_fingerprint(tree),
        )
    ]

    def walk(node: ast.AST, scope: list[str], in_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _DEFS):
                qual = ".".join([*scope, child.name])
                start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                end = child.end_lineno or child.lineno
                is_fn = not isinstance(child, ast.ClassDef)
                value, gen = _returns(child) if is_fn else (False, False)  # type: ignore[arg-type]
                targets.append(
                    DocTarget(
                        index=len(targets),
                        kind=("method" if in_class else "function") if is_fn else "class",
                        qualname=qual,
                        name=child.name,
                        lineno=child.lineno,
                        start=start,
                        end=end,
                        params=_params(child, in_class) if is_fn else (),  # type: ignore[arg-type]
                        is_async=isinstance(child, ast.AsyncFunctionDef),
                        returns_value=value,
                        is_generator=gen,
                        docstring=ast.get_docstring(child),
                        one_line_body=_body_on_header_line(lines, child),
                        code=_segment(lines, start, end),
                        fingerprint=code_fingerprint(child),
                    )
                )
                walk(child, [*scope, child.name], isinstance(child, ast.ClassDef))
            else:
                walk(child, scope, in_class)

    walk(tree, [], False)
    return targets


# Literal rendering ------------------------------------------------------------------------------


def _literal_value(literal: str) -> str | None:
    try:
        value = ast.literal_eval(literal)
    except (SyntaxError, ValueError):
        return None
    return value if isinstance(value, str) else None


def docstring_literal(text: str, indent: str, newline: str = "\n") -> str:
    """The ``\"\"\"...\"\"\"`` literal for docstring ``text`` in a body indented by ``indent``.

    Continuation lines get the body's indentation; backslashes and quotes are written so that the
    literal reads back as ``text`` (a raw string when that is enough, escapes otherwise).
    """
    lines = text.strip().split("\n")
    multi = len(lines) > 1

    def build(raw: bool) -> str:
        body_lines = []
        for i, line in enumerate(lines):
            if not raw:
                line = line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
            body_lines.append(line if i == 0 or not line.strip() else indent + line)
        body = newline.join(l if l.strip() else "" for l in body_lines)
        if multi:
            body += newline + indent
        elif body.endswith('"') and not raw:
            body = body[:-1] + '\\"'
        return ("r" if raw else "") + '"""' + body + '"""'

    if "\\" in text and '"""' not in text and not text.rstrip().endswith(("\\", '"')):
        candidate = build(raw=True)
        if _literal_value(candidate) is not None and inspect.cleandoc(
            _literal_value(candidate) or ""
        ) == inspect.cleandoc(text):
            return candidate
    return build(raw=False)


# Splicing ---------------------------------------------------------------------------------------


class _Inserter(cst.CSTTransformer):
    def __init__(self, docs: dict[int, str], names: dict[int, str], module: cst.Module) -> None:
        self.docs = docs
        self.names = names
        self.module = module
        self.index = 0
        self.stack: list[int] = []
        self.indents: list[str] = []
        self.applied: set[int] = set()
        self.problems: list[str] = []

    def _visit_def(self) -> None:
        self.index += 1
        self.stack.append(self.index)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._visit_def()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._visit_def()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.indents.append(self.module.default_indent if node.indent is None else node.indent)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self.indents.pop()
        return updated_node

    def _leave_def(self, node: cst.FunctionDef | cst.ClassDef) -> cst.FunctionDef | cst.ClassDef:
        index = self.stack.pop()
        if index not in self.docs:
            return node
        if self.names.get(index, node.name.value) != node.name.value:
            self.problems.append(f"target {index} is {node.name.value}, expected {self.names[index]}")
            return node
        block = node.body
        if not isinstance(block, cst.IndentedBlock):
            self.problems.append(f"{node.name.value}: one-line body")
            return node
        own = self.module.default_indent if block.indent is None else block.indent
        indent = "".join(self.indents) + own
        self.applied.add(index)
        return node.with_changes(body=block.with_changes(body=self._with_doc(list(block.body), index, indent)))

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        return self._leave_def(updated_node)  # type: ignore[return-value]

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        return self._leave_def(updated_node)  # type: ignore[return-value]

    def _with_doc(self, body: list[cst.BaseStatement], index: int, indent: str) -> list[cst.BaseStatement]:
        literal = docstring_literal(self.docs[index], indent, self.module.default_newline)
        string = cst.SimpleString(literal)
        if body and is_docstring_line(body[0]):
            first = body[0]
            assert isinstance(first, cst.SimpleStatementLine)
            expr = first.body[0]
            assert isinstance(expr, cst.Expr)
            return [first.with_changes(body=[expr.with_changes(value=string), *first.body[1:]]), *body[1:]]
        return [cst.SimpleStatementLine(body=[cst.Expr(string)]), *body]

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if 0 not in self.docs:
            return updated_node
        body: list[cst.BaseStatement] = list(updated_node.body)
        if not body:
            self.problems.append("the module is empty")
            return updated_node
        self.applied.add(0)
        return updated_node.with_changes(body=self._with_doc(body, 0, ""))


def insert_docstrings(source: str, docs: dict[int, str], names: dict[int, str] | None = None) -> Spliced | SpliceFailed:
    """Insert (or replace) the docstrings of the targets at the given indexes. Never raises.

    ``names`` (index -> name) guards against addressing the wrong definition. The result is
    checked with ``verify_docstring_edit`` before it is returned.
    """
    try:
        module = cst.parse_module(source)
        inserter = _Inserter(docs, names or {}, module)
        text = module.visit(inserter).code
    except (cst.ParserSyntaxError, ValueError) as exc:
        return SpliceFailed(f"cannot splice: {exc}")
    if inserter.problems:
        return SpliceFailed("; ".join(inserter.problems))
    missing = set(docs) - inserter.applied
    if missing:
        return SpliceFailed(f"no definition at index {sorted(missing)}")
    problem = verify_docstring_edit(source, text, docs)
    if problem:
        return SpliceFailed(problem)
    return Spliced(text)


# Verification -----------------------------------------------------------------------------------


def _doc_nodes(tree: ast.Module) -> list[ast.AST]:
    """Module, classes and functions in the same pre-order as the targets."""
    out: list[ast.AST] = [tree]

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _DEFS):
                out.append(child)
            walk(child)

    walk(tree)
    return out


def _docstring_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in _doc_nodes(tree):
        body = getattr(node, "body", [])
        if body and is_docstring(body[0]):
            lines.update(range(body[0].lineno, (body[0].end_lineno or body[0].lineno) + 1))
    return lines


def _code_lines(text: str, tree: ast.Module) -> list[str]:
    skip = _docstring_lines(tree)
    return [line for number, line in enumerate(text.splitlines(keepends=True), 1) if number not in skip]


def verify_docstring_edit(before: str, after: str, docs: dict[int, str]) -> str | None:
    """None when ``after`` differs from ``before`` only in docstrings, and the docstrings of the
    targets in ``docs`` read back as given; else the reason, in words."""
    try:
        old, new = ast.parse(before), ast.parse(after)
    except SyntaxError as exc:
        return f"the edited file does not parse: {exc.msg} (line {exc.lineno})"
    if _code_lines(before, old) != _code_lines(after, new):
        return "a line outside the docstrings changed"
    new_nodes = _doc_nodes(new)
    for index, text in docs.items():
        if index >= len(new_nodes):
            return f"no definition at index {index} after the edit"
        node = new_nodes[index]
        got = ast.get_docstring(node, clean=True)  # type: ignore[arg-type]
        if got != inspect.cleandoc(text):
            return f"the docstring of target {index} does not read back as written"
    stripped_old = ast.dump(strip_docstrings(old), include_attributes=False)
    stripped_new = ast.dump(strip_docstrings(new), include_attributes=False)
    if stripped_old != stripped_new:
        return "the code changed (its AST without docstrings differs)"
    return None
