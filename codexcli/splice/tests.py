"""Merge new test functions into a test file with libcst, touching nothing that is there.

New tests are appended at the end; imports they need and the file lacks go after the file's
last leading import (or after its docstring). A test name already in the file is never
repeated: the new test is renamed (``test_x`` -> ``test_x_2``). Everything else in the file,
fixtures, comments and formatting included, stays byte-for-byte as it was.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import libcst as cst

from codexcli.splice.nodes import is_docstring_line


@dataclass(frozen=True)
class Merged:
    """The new test file text and the names the appended tests got."""

    text: str
    names: tuple[str, ...]
    imports_added: tuple[str, ...]


@dataclass(frozen=True)
class MergeFailed:
    """Why the tests could not be merged (the file is untouched)."""

    reason: str


def bound_names(source: str) -> set[str]:
    """Names bound at the top level of ``source``: defs, classes, imports, assignments."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def unique_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or ``name_2``, ``name_3``... whichever is not taken."""
    taken = set(taken)
    if name not in taken:
        return name
    number = 2
    while f"{name}_{number}" in taken:
        number += 1
    return f"{name}_{number}"


def rename_function(code: str, old: str, new: str) -> str:
    """Rename the (first) function definition ``old`` in ``code``; calls are left alone."""
    if old == new:
        return code
    return re.sub(rf"^(\s*(?:async\s+)?def\s+){re.escape(old)}\b", rf"\g<1>{new}", code, count=1, flags=re.MULTILINE)


def _missing_imports(imports: Sequence[str], taken: set[str]) -> list[str]:
    """The import statements (reduced to the names not bound yet) the file still needs."""
    out: list[str] = []
    for statement in imports:
        try:
            tree = ast.parse(statement)
        except SyntaxError:
            continue
        for node in tree.body:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            wanted = [a for a in node.names if (a.asname or a.name.split(".")[0]) not in taken and a.name != "*"]
            if not wanted:
                continue
            taken |= {a.asname or a.name.split(".")[0] for a in wanted}
            if isinstance(node, ast.ImportFrom):
                out.append(ast.unparse(ast.ImportFrom(module=node.module, names=wanted, level=node.level)))
            else:
                out.append(ast.unparse(ast.Import(names=wanted)))
    return out


def _is_import(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
    )


def _import_position(body: Sequence[cst.BaseStatement]) -> int:
    """Index after the leading docstring and import block."""
    position = 1 if body and is_docstring_line(body[0]) else 0
    for index, stmt in enumerate(body[position:], start=position):
        if _is_import(stmt):
            position = index + 1
        else:
            break
    return position


def merge_tests(existing: str, tests: Sequence[tuple[str, str]], imports: Sequence[str] = ()) -> Merged | MergeFailed:
    """Append ``tests`` ((name, code) pairs) and the ``imports`` they need to ``existing``.

    Never raises. A test whose name is taken is renamed; the returned ``names`` say what each
    test is called in the new text.
    """
    try:
        module = cst.parse_module(existing)
    except cst.ParserSyntaxError as exc:
        return MergeFailed(f"the test file does not parse: {exc.message} (line {exc.raw_line})")
    taken = bound_names(existing)
    new_imports = _missing_imports(imports, set(taken))
    names: list[str] = []
    new_defs: list[cst.BaseStatement] = []
    for name, code in tests:
        final = unique_name(name, taken | set(names))
        try:
            parsed = cst.parse_module(rename_function(code, name, final).strip("\n") + "\n")
        except cst.ParserSyntaxError as exc:
            return MergeFailed(f"test {name} does not parse: {exc.message}")
        if len(parsed.body) != 1 or not isinstance(parsed.body[0], cst.FunctionDef):
            return MergeFailed(f"test {name} is not one function definition")
        blank = cst.EmptyLine(indent=False, whitespace=cst.SimpleWhitespace(""))
        new_defs.append(parsed.body[0].with_changes(leading_lines=[blank, blank]))
        names.append(final)
    body = list(module.body)
    position = _import_position(body)
    import_nodes = [cst.parse_statement(s + "\n") for s in new_imports]
    body[position:position] = import_nodes
    if new_defs and not body:
        new_defs[0] = new_defs[0].with_changes(leading_lines=[])
    new_module = module.with_changes(body=[*body, *new_defs])
    text = new_module.code
    if text and not text.endswith(("\n", "\r")):
        text += module.default_newline
    try:
        compile(text, "<tests>", "exec")
    except SyntaxError as exc:
        return MergeFailed(f"the merged test file does not compile: {exc.msg} (line {exc.lineno})")
    return Merged(text, tuple(names), tuple(new_imports))
