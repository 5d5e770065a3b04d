"""Which codex actions apply where in a buffer: pure, no model, fast enough for every keystroke.

An action is named by its task (the registry's name: fill, comment, testgen, optimize,
translate) and its target (a function's qualified name, or a language for translate); the
server lists them at once and runs one only when the editor resolves or executes it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from codexcli.answers import is_docstring, is_stub_statement
from codexcli.pysegments import piece_at

# LSP code action kinds (strings, so this module needs no lsprotocol).
REWRITE = "refactor.rewrite.codex"
SOURCE = "source.codex"
QUICKFIX = "quickfix.codex"


@dataclass(frozen=True)
class Action:
    """One code action: ``task`` (registry name), ``name`` (the function's qualified name, or
    the language to translate to), its ``title`` and LSP ``kind``."""

    task: str
    name: str
    title: str
    kind: str

    def data(self, uri: str, version: int | None) -> dict[str, Any]:
        """The JSON the action carries to codeAction/resolve or workspace/executeCommand."""
        return {"task": self.task, "name": self.name, "uri": uri, "version": version}


@dataclass(frozen=True)
class Function:
    """A function or method of the buffer: its qualified name (``Class.method``), where it is
    (1-based lines; ``start`` includes decorators), and what codex can do with it."""

    qualname: str
    name: str
    lineno: int
    start: int
    end: int
    documented: bool
    one_line: bool  # `def f(): ...` on one line: a docstring cannot go in without reformatting
    stub: bool  # pass / ... / raise NotImplementedError (after a docstring, if any)
    callable_top: bool  # top level, or a method of a top-level class (optimize, testgen)


@dataclass(frozen=True)
class Outline:
    """What the actions of one buffer version are computed from (kept per version)."""

    functions: tuple[Function, ...]  # in pre-order
    error: str | None = None  # why the buffer does not parse


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The fill task's stub (splice/body.py's is_stub, read with ast): only placeholders."""
    body = node.body[1:] if is_docstring(node.body[0]) else node.body
    return bool(body) and all(is_stub_statement(s) for s in body)


def outline(source: str) -> Outline:
    """The functions of ``source`` (ast only); a buffer that does not parse has none and says
    why."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return Outline((), f"line {exc.lineno}: {exc.msg}")
    return _outline_of(tree)


def outline_at(source: str, line: int) -> Outline:
    """The functions of the top-level piece of ``source`` holding ``line`` (1-based), with the
    buffer's line numbers: what listing the actions at a cursor needs, in the time of one
    definition however big the buffer (pysegments.piece_at). A piece that does not parse alone
    falls back to the whole buffer."""
    offset = 0
    for _ in range(line - 1):
        found = source.find("\n", offset)
        if found == -1:
            break
        offset = found + 1
    start, end = piece_at(source, offset)
    try:
        tree = ast.parse(source[start:end])
    except SyntaxError:
        return outline(source)
    ast.increment_lineno(tree, source.count("\n", 0, start))
    return _outline_of(tree)


def _outline_of(tree: ast.Module) -> Outline:
    found: list[Function] = []

    def walk(node: ast.AST, scope: list[str], depth: int, in_top_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualname = ".".join([*scope, child.name])
                if not isinstance(child, ast.ClassDef):
                    first = child.body[0]
                    found.append(
                        Function(
                            qualname,
                            child.name,
                            child.lineno,
                            min([child.lineno, *(d.lineno for d in child.decorator_list)]),
                            child.end_lineno or child.lineno,
                            documented=ast.get_docstring(child) is not None,
                            one_line=first.lineno == child.lineno,
                            stub=_is_stub(child),
                            callable_top=depth == 0 or (depth == 1 and in_top_class),
                        )
                    )
                top_class = isinstance(child, ast.ClassDef) and depth == 0
                walk(child, [*scope, child.name], depth + 1, top_class)
            else:
                walk(child, scope, depth, in_top_class)

    walk(tree, [], 0, False)
    return Outline(tuple(found))


def function_at(shape: Outline, line: int) -> Function | None:
    """The innermost function or method whose lines hold ``line`` (1-based)."""
    holding = [t for t in shape.functions if t.start <= line <= t.end]
    return max(holding, key=lambda t: t.start, default=None)


def _public(qualname: str) -> bool:
    return not any(part.startswith("_") for part in qualname.split("."))


def actions_at(shape: Outline, line: int, translate_to: tuple[str, ...] = ()) -> list[Action]:
    """The actions for the function at ``line`` (1-based), then translating the file."""
    found: list[Action] = []
    target = function_at(shape, line)
    if target is not None:
        name = target.qualname
        if target.stub:
            found.append(Action("fill", name, f"codex: fill in {name}", REWRITE))
        if not target.documented and not target.one_line:
            found.append(Action("comment", name, f"codex: document {name}", REWRITE))
        if not target.stub and target.callable_top:
            if _public(name):
                found.append(Action("testgen", name, f"codex: write tests for {name}", REWRITE))
            found.append(Action("optimize", name, f"codex: optimize {name}", REWRITE))
    for language in translate_to if shape.error is None else ():
        found.append(Action("translate", language, f"codex: translate this file to {language}", SOURCE))
    return found


@dataclass(frozen=True)
class Undocumented:
    """A public function without a docstring: where its name is (0-based line, columns)."""

    qualname: str
    line: int
    start: int
    end: int


def undocumented(shape: Outline, source: str) -> list[Undocumented]:
    """Public functions and methods without a docstring (the optional diagnostics)."""
    lines = source.splitlines()
    out = []
    for t in shape.functions:
        if t.documented or t.one_line or not _public(t.qualname):
            continue
        text = lines[t.lineno - 1] if t.lineno - 1 < len(lines) else ""
        col = max(text.find(f"def {t.name}"), 0)
        start = col + 4 if text.startswith("def ", col) else col
        out.append(Undocumented(t.qualname, t.lineno - 1, start, start + len(t.name)))
    return out
