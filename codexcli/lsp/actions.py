"""Which codex actions apply where in a buffer: pure, no model, fast enough for every keystroke.

An action is named by its task (the registry's name: fill, comment, testgen, optimize,
translate) and its target (a function's qualified name, or a language for translate); the
server lists them at once and runs one only when the editor resolves or executes it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from codexcli.splice.body import find_stubs
from codexcli.splice.docstring import DocTarget, find_targets

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
class Outline:
    """What the actions of one buffer version are computed from (kept per version)."""

    functions: tuple[DocTarget, ...]  # functions and methods, in pre-order
    stubs: frozenset[str]  # qualified names of stub functions
    top_level: frozenset[str]  # functions optimize and testgen can call (top level, methods)
    error: str | None = None  # why the buffer does not parse


def outline(source: str) -> Outline:
    """The functions of ``source``; a buffer that does not parse has none and says why."""
    try:
        targets = find_targets(source)
    except SyntaxError as exc:
        return Outline((), frozenset(), frozenset(), f"line {exc.lineno}: {exc.msg}")
    functions = tuple(t for t in targets if t.kind in ("function", "method"))
    stubs = frozenset(s.qualname for s in find_stubs(source))
    tree = ast.parse(source)
    top = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        top |= {f"{cls.name}.{n.name}" for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return Outline(functions, stubs, frozenset(top))


def function_at(shape: Outline, line: int) -> DocTarget | None:
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
        if name in shape.stubs:
            found.append(Action("fill", name, f"codex: fill in {name}", REWRITE))
        if target.docstring is None and not target.one_line_body:
            found.append(Action("comment", name, f"codex: document {name}", REWRITE))
        if name not in shape.stubs and name in shape.top_level:
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
        if t.docstring is not None or t.one_line_body or not _public(t.qualname):
            continue
        text = lines[t.lineno - 1] if t.lineno - 1 < len(lines) else ""
        col = max(text.find(f"def {t.name}"), 0)
        start = col + 4 if text.startswith("def ", col) else col
        out.append(Undocumented(t.qualname, t.lineno - 1, start, start + len(t.name)))
    return out
