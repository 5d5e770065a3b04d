"""Which functions of a file `codex optimize` may rewrite, and which it must leave alone.

Targets are top-level functions and methods of top-level classes (what the sandbox harnesses can
call), addressed by their pre-order index among all function definitions, the address
splice.body.replace_bodies uses.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass

from codexcli.answers import signature_of
from codexcli.errors import UsageError
from codexcli.tasks.optimize.effects import side_effects


@dataclass(frozen=True)
class Target:
    """A function codex may rewrite: its pre-order index among all defs (the splice address)."""

    index: int
    qualname: str
    name: str
    lineno: int
    params: tuple[str, ...]
    is_async: bool
    code: str  # decorators + def, dedented
    decorators: tuple[str, ...] = ()


def _decorator_text(node: ast.expr) -> str:
    return ast.unparse(node.func if isinstance(node, ast.Call) else node)


def find_targets(source: str, only: str | None = None) -> list[Target]:
    """Top-level functions and methods of top-level classes (what the sandbox can call), with
    their splice index; only the one named ``only`` (qualified or bare name) when given."""
    tree = ast.parse(source)
    lines = source.splitlines()
    defs = sorted(
        (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))),
        key=lambda n: (n.lineno, n.col_offset),
    )
    index_of = {id(n): i for i, n in enumerate(defs)}  # document order = libcst's pre-order
    found: list[Target] = []
    scopes = [(None, n) for n in tree.body] + [
        (cls.name, n) for cls in tree.body if isinstance(cls, ast.ClassDef) for n in cls.body
    ]
    for owner, node in scopes:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        first = min([d.lineno for d in node.decorator_list] + [node.lineno])
        code = textwrap.dedent("\n".join(lines[first - 1 : node.end_lineno])) + "\n"
        found.append(
            Target(
                index=index_of[id(node)],
                qualname=f"{owner}.{node.name}" if owner else node.name,
                name=node.name,
                lineno=node.lineno,
                params=signature_of(node.args),
                is_async=isinstance(node, ast.AsyncFunctionDef),
                code=code,
                decorators=tuple(_decorator_text(d) for d in node.decorator_list),
            )
        )
    found.sort(key=lambda t: t.lineno)
    if only is None:
        return found
    chosen = [t for t in found if only in (t.qualname, t.name)]
    if not chosen:
        names = ", ".join(t.qualname for t in found) or "none"
        raise UsageError(f"no function named {only} (functions in the file: {names})")
    return chosen


def function_node(source: str, target: Target) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """The ast node of ``target`` in ``source`` (the original or a rewritten module)."""
    defs = sorted(
        (n for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))),
        key=lambda n: (n.lineno, n.col_offset),
    )
    return defs[target.index]


def skip_reason(source: str, target: Target, allow_side_effects: bool) -> str | None:
    """Why ``target`` cannot be optimized safely, or None."""
    if target.is_async:
        return "async function: its behaviour cannot be compared call by call"
    if target.name.startswith("__") and target.name.endswith("__"):
        return "special method"
    if any(
        d in ("property", "abstractmethod", "abc.abstractmethod", "overload", "typing.overload")
        or d.endswith((".setter", ".getter", ".deleter"))
        for d in target.decorators
    ):
        return "property, abstract method or overload"
    node = function_node(source, target)
    body = (
        node.body[1:]
        if node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(getattr(node.body[0], "value", None), ast.Constant)
        else node.body
    )
    if not body or all(
        isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)) for s in body
    ):
        return "empty or stub body"
    if not allow_side_effects:
        effects = side_effects(node, ast.parse(source))
        if effects:
            return "side effects (" + "; ".join(effects) + "); pass --allow-side-effects to try anyway"
    return None


def uses_module_names(source: str, target: Target) -> bool:
    """Whether the function reads a name its file defines (another function, a constant, an
    import), or is a method: then the model needs the file to rewrite it."""
    if "." in target.qualname:
        return True
    tree = ast.parse(source)
    defined: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            defined |= {(a.asname or a.name).split(".")[0] for a in stmt.names}
        else:
            defined |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    defined.discard(target.name)  # recursion needs nothing else
    used = {n.id for n in ast.walk(function_node(source, target)) if isinstance(n, ast.Name)}
    return bool(used & defined)
