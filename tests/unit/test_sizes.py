"""Sizes (issue 26): no module over 450 lines; no function over 80 lines without a reason.

A function's length is ``end_lineno - lineno + 1`` of its ``def`` (decorators not counted,
signature and docstring counted), nested functions measured on their own too. A long function
is allowed when a line of its docstring starts with the marker ``Long: `` and says why, e.g.
``Long: the signature is the command's Typer options; the body is short.``. The marker excuses
what is declared, not what is done: a marked function's statements after the docstring still
span at most BODY_LINES lines (a longer body is split into helpers instead).

Pure and fast: it reads the source with ast, imports nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "codexcli"

MODULE_LINES = 450
FUNCTION_LINES = 80
BODY_LINES = 60
MARKER = re.compile(r"^\s*Long: \S", re.MULTILINE)

Function = ast.FunctionDef | ast.AsyncFunctionDef


def _modules(package: Path) -> list[Path]:
    return sorted(package.rglob("*.py"))


def _functions(tree: ast.AST) -> list[Function]:
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _length(node: Function) -> int:
    assert node.end_lineno is not None
    return node.end_lineno - node.lineno + 1


def _body_length(node: Function) -> int:
    """Lines from the first statement after the docstring to the end."""
    body = node.body[1:] if ast.get_docstring(node) is not None and len(node.body) > 1 else node.body
    assert node.end_lineno is not None
    return node.end_lineno - body[0].lineno + 1


def long_modules(package: Path = PACKAGE) -> list[str]:
    """``path: N lines`` for every module over MODULE_LINES."""
    out = []
    for path in _modules(package):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MODULE_LINES:
            out.append(f"{path.relative_to(package.parent)}: {lines} lines")
    return out


def unexcused_functions(package: Path = PACKAGE) -> list[str]:
    """``path:line name N lines`` for every function over FUNCTION_LINES without the marker, or
    with it but a body over BODY_LINES."""
    out = []
    for path in _modules(package):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _functions(tree):
            length = _length(node)
            if length <= FUNCTION_LINES:
                continue
            where = f"{path.relative_to(package.parent)}:{node.lineno} {node.name} {length} lines"
            if not MARKER.search(ast.get_docstring(node) or ""):
                out.append(f"{where}, no 'Long: ' reason in its docstring")
            elif (body := _body_length(node)) > BODY_LINES:
                out.append(f"{where}, marked long but its body alone is {body} lines")
    return out


def test_no_module_over_the_limit():
    assert long_modules() == [], f"split these modules (at most {MODULE_LINES} lines)"


def test_no_long_function_without_a_reason():
    assert unexcused_functions() == [], (
        f"split these functions (at most {FUNCTION_LINES} lines) or give the reason in a 'Long: ' docstring line"
    )


def test_the_checks_see_what_they_should(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    signature = "".join(f"    a{i}: int = 0,\n" for i in range(75))
    (package / "ok.py").write_text(
        f'def excused(\n{signature}):\n    """Options.\n\n    Long: the signature is the options."""\n    return 1\n'
    )
    (package / "bad.py").write_text("def long():\n" + "    x = 1\n" * 85 + "x = 2\n" * 400)
    (package / "lying.py").write_text('def f():\n    """Long: not really."""\n' + "    x = 1\n" * 85)
    assert long_modules(package) == ["pkg/bad.py: 486 lines"]
    assert unexcused_functions(package) == [
        "pkg/bad.py:1 long 86 lines, no 'Long: ' reason in its docstring",
        "pkg/lying.py:1 f 87 lines, marked long but its body alone is 85 lines",
    ]
