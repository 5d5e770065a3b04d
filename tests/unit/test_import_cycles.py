"""No import cycles among codexcli's modules, function-level imports included.

A cycle hidden by a function-level import still couples two modules both ways (each needs the
other to exist and to keep its names), so it counts here. Imports under ``if TYPE_CHECKING:``
do not: they never run. Pure and fast: it reads the source with ast, imports nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "codexcli"


def module_name(path: Path) -> str:
    """``codexcli/verify/cases/inputs.py`` -> ``codexcli.verify.cases.inputs``; a package is its __init__."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement at any depth (module, function, class), except TYPE_CHECKING blocks."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def imported_modules(source: str, module: str, known: set[str], is_package: bool = False) -> set[str]:
    """The codexcli modules that ``module``'s source imports. ``from pkg import name`` counts as
    importing ``pkg.name`` when that is a module, else ``pkg``."""
    out: set[str] = set()
    for node in _runtime_imports(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name in known)
            continue
        base = node.module or ""
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            full = f"{base}.{alias.name}"
            if full in known:
                out.add(full)
            elif base in known:
                out.add(base)
    out.discard(module)
    return out


def import_graph() -> dict[str, set[str]]:
    """codexcli module -> the codexcli modules it imports."""
    files = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    known = set(files)
    return {
        name: imported_modules(path.read_text(encoding="utf-8"), name, known, path.name == "__init__.py")
        for name, path in files.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_codexcli_has_no_import_cycles():
    graph = import_graph()
    assert len(graph) > 20  # the package was found and read
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_function_level_and_relative_imports_are_edges():
    known = {"codexcli.a", "codexcli.b", "codexcli.c", "codexcli.pkg", "codexcli.pkg.d"}
    source = (
        "from typing import TYPE_CHECKING\n"
        "import codexcli.a\n"
        "def f():\n"
        "    from codexcli.b import thing\n"
        "if TYPE_CHECKING:\n"
        "    from codexcli.c import Type\n"
        "from .pkg import d\n"
    )
    assert imported_modules(source, "codexcli.x", known) == {"codexcli.a", "codexcli.b", "codexcli.pkg.d"}


def test_find_cycle_reports_the_cycle_and_accepts_a_dag():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
