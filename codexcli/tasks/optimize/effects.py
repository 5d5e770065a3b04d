"""Static checks on one function: does it have side effects, and how complex is it.

Side effects matter because codex proves a rewrite equivalent by comparing what calls return,
raise and do to their arguments; output, files, clocks, randomness and global state are outside
that picture, so such functions are skipped (unless the user opts in). The check is static and
deliberately over-cautious: a false alarm only means "kept original".

Complexity (McCabe's cyclomatic number, computed from the ast so no linter is needed) is the
lint measure behind ``--objective readability``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

# Builtins whose call is I/O or escapes the function.
_EFFECT_BUILTINS = {
    "print",
    "open",
    "input",
    "exec",
    "eval",
    "breakpoint",
    "exit",
    "quit",
    "compile",
    "__import__",
    "globals",
    "setattr",
    "delattr",
}
# Modules whose use means I/O, time, randomness, processes or interpreter state.
_EFFECT_MODULES = {
    "os",
    "sys",
    "random",
    "time",
    "datetime",
    "subprocess",
    "socket",
    "shutil",
    "pathlib",
    "logging",
    "tempfile",
    "threading",
    "multiprocessing",
    "asyncio",
    "urllib",
    "http",
    "requests",
    "secrets",
    "uuid",
    "signal",
    "io",
    "builtins",
    "importlib",
    "ctypes",
    "sqlite3",
    "pickle",
    "glob",
    "fileinput",
}
# Methods that change the object they are called on.
_MUTATORS = {
    "append",
    "extend",
    "insert",
    "pop",
    "popitem",
    "remove",
    "clear",
    "update",
    "setdefault",
    "add",
    "discard",
    "sort",
    "reverse",
    "write",
    "writelines",
    "send",
    "put",
}


def _module_globals(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(names bound at module level, of those the ones bound by importing an effect module)."""
    bound: set[str] = set()
    effect_imports: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                bound.add(name)
                root = (node.module if isinstance(node, ast.ImportFrom) and node.module else alias.name).split(".")[0]
                if root in _EFFECT_MODULES:
                    effect_imports.add(name)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        else:
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    bound.add(sub.id)
    return bound, effect_imports


def _local_names(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = fn.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {a.asname or a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def _root_name(node: ast.expr) -> ast.Name | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node if isinstance(node, ast.Name) else None


def side_effects(fn: ast.FunctionDef | ast.AsyncFunctionDef, module: ast.Module) -> list[str]:
    """Reasons (short phrases) why ``fn`` may have effects beyond its return value and its
    arguments; [] when none were found."""
    module_names, effect_imports = _module_globals(module)
    local = _local_names(fn)
    self_name = fn.args.args[0].arg if fn.args.args and fn.args.args[0].arg in ("self", "cls") else None
    found: list[str] = []

    def note(reason: str) -> None:
        if reason not in found:
            found.append(reason)

    for node in ast.walk(fn):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            note(f"declares {'global' if isinstance(node, ast.Global) else 'nonlocal'} {', '.join(node.names)}")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in effect_imports and node.id not in local:
                note(f"uses {node.id}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                root = (node.module if isinstance(node, ast.ImportFrom) and node.module else alias.name).split(".")[0]
                if root in _EFFECT_MODULES:
                    note(f"imports {root}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _EFFECT_BUILTINS and func.id not in local:
                note(f"calls {func.id}()")
            elif isinstance(func, ast.Attribute) and func.attr in _MUTATORS:
                owner = _root_name(func.value)
                if owner is not None and owner.id == self_name:
                    note(f"changes {self_name} state")
                elif owner is not None and owner.id in module_names and owner.id not in local:
                    note(f"changes the global {owner.id}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                if isinstance(target, (ast.Attribute, ast.Subscript)):
                    owner = _root_name(target)
                    if owner is not None and owner.id == self_name:
                        note(f"changes {self_name} state")
                    elif owner is not None and owner.id in module_names and owner.id not in local:
                        note(f"changes the global {owner.id}")
    return found


def complexity(fn: ast.AST) -> int:
    """McCabe cyclomatic complexity: 1 + the decision points (branches, loops, handlers, boolean
    operators, comprehension filters, match cases)."""
    score = 1
    for node in ast.walk(fn):
        if isinstance(node, (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.Assert)):
            score += 1
        elif isinstance(node, ast.BoolOp):
            score += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            score += 1 + len(node.ifs)
        elif isinstance(node, ast.match_case):
            score += 1
    return score


def nesting(fn: ast.AST) -> int:
    """The deepest nesting of blocks (if/for/while/with/try) inside ``fn``."""
    blocks = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)

    def depth(node: ast.AST) -> int:
        inner = [depth(child) for child in ast.iter_child_nodes(node)]
        deepest = max(inner, default=0)
        return deepest + 1 if isinstance(node, blocks) else deepest

    return max((depth(child) for child in ast.iter_child_nodes(fn)), default=0)


@dataclass(frozen=True)
class Readability:
    """The lint measure of one function: lower is better, compared complexity first."""

    complexity: int
    nesting: int

    def better_than(self, other: "Readability") -> bool:
        return (self.complexity, self.nesting) < (other.complexity, other.nesting)

    def __str__(self) -> str:
        return f"complexity {self.complexity}, nesting {self.nesting}"


def readability(fn: ast.AST) -> Readability:
    """Complexity and nesting of a function."""
    return Readability(complexity(fn), nesting(fn))
