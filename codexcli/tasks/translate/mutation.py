"""`codex translate`: functions that return nothing and change a list argument in place (issue 28).

A heap's sift-down, a swap, an insertion into a sorted list: Python returns ``None`` and the
caller sees its list changed. The signature writers (sig.py, sig_typed.py) read here whether a
function returns nothing (a ``void`` return: Java/C++ ``void``, Rust ``()``) and which list
parameters its body changes, so the target passes them where the change is visible (C++
``std::vector<T>&``, Rust ``&mut Vec<T>``; a Java array is shared already, but cannot grow).
The behaviour harness then compares those arguments after the call (verify/compare/harness.py).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from codexcli.tasks.translate.line_syntax import LineSyntax

VOID = "void"  # the kind of a function that returns nothing
# list methods that change a list in place: those that change its length, and those that do not
GROWING = frozenset({"append", "pop", "insert", "extend", "remove", "clear"})
IN_PLACE = frozenset({"sort", "reverse"})


def _stored_name(target: ast.expr) -> str:
    """The name ``target`` stores into when it is ``xs[i]`` (or ``xs[i:j]``), else ""."""
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
        return target.value.id
    return ""


def mutated_params(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, module: ast.Module | None = None, seen: frozenset[str] = frozenset()
) -> dict[str, bool]:
    """The parameters whose list the body changes in place (``a[i] = v``, ``a[i] += v``,
    ``a[i], a[j] = a[j], a[i]``, ``del a[i]``, ``a.append(v)`` ...), each with whether it changes
    the list's length (``append``, ``pop``, ``insert``, ``del``: a Java array cannot); with the
    ``module``, also those passed to another of its functions that changes that parameter
    (``_siftdown(heap, 0, pos)``). A parameter the body rebinds (``a = ...``) is left out: its
    later changes are to another list."""
    params = {a.arg for a in (*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs)}
    rebound = {
        n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id in params
    }
    found: dict[str, bool] = {}

    def note(name: str, grows: bool) -> None:
        if name in params and name not in rebound:
            found[name] = found.get(name, False) or grows

    for node in ast.walk(fn):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = [
                t for target in node.targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])
            ]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            sliced = isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Slice)
            note(_stored_name(target), sliced)
        if isinstance(node, ast.Delete):
            for target in node.targets:
                note(_stored_name(target), True)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            if node.func.attr in GROWING or node.func.attr in IN_PLACE:
                note(node.func.value.id, node.func.attr in GROWING)
        for name, grows in _passed_on(node, module, seen | {fn.name}):
            note(name, grows)
    return found


def _passed_on(node: ast.AST, module: ast.Module | None, seen: frozenset[str]) -> list[tuple[str, bool]]:
    """The names ``node`` (a call of one of ``module``'s functions, not one of ``seen``) passes
    to parameters that function changes, each with whether it changes the length."""
    if module is None or not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return []
    callee = next(
        (f for f in module.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name == node.func.id),
        None,
    )
    if callee is None or callee.name in seen:
        return []
    changed = mutated_params(callee, module, seen)
    params = [a.arg for a in (*callee.args.posonlyargs, *callee.args.args)]
    return [(arg.id, changed[p]) for arg, p in zip(node.args, params) if isinstance(arg, ast.Name) and p in changed]


def module_of(sources: Sequence[str]) -> ast.Module | None:
    """The module of ``sources`` (its first: the signature writers' ``sources`` start with it)."""
    try:
        return ast.parse(sources[0]) if sources else None
    except SyntaxError:
        return None


def returns_nothing(fn: ast.FunctionDef | ast.AsyncFunctionDef, values: Sequence[Any]) -> bool:
    """Whether ``fn`` returns nothing: it returned ``None`` on every case that returned (at
    least one did), and no ``return`` of its own (nested functions aside) gives a value."""
    if not values or any(v is not None for v in values):
        return False
    own: list[ast.AST] = list(fn.body)
    while own:
        node = own.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
            return False
        if isinstance(node, ast.Return) and not (
            node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            return False
        own.extend(ast.iter_child_nodes(node))
    return True


def changed_list(type_: str, syntax: LineSyntax) -> str | None:
    """The list type inside a parameter type that passes a changed list back (C++
    ``std::vector<long long>&`` -> ``std::vector<long long>``: tasks/translate/mutation.py), or None."""
    before, _, after = syntax.mut_param.partition("{type}")
    if not (before or after) or not (type_.startswith(before) and type_.endswith(after)):
        return None
    inner = type_[len(before) : len(type_) - len(after)].strip()
    return inner if (syntax.kind_of(inner) or "").endswith("[]") else None


def passed(declared: str, kind: str, syntax: LineSyntax) -> str:
    """The type of a parameter of ``kind``, passed so the caller sees the change where the
    signature codex wrote passed it so (``declared``: ``changed_list``)."""
    type_ = syntax.type_of(kind)
    return syntax.mut_param.format(type=type_) if changed_list(declared, syntax) is not None else type_
