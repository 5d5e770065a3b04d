"""What a function's code can raise and what it returns, read from its AST. Pure.

The facts a docstring's claims are checked against (tasks/comment/facts.py): the exceptions the
body can raise (``raise`` statements, a bare re-raise of what an ``except`` caught, ``assert``,
and the builtin operations whose exceptions are well known: a division by zero, a missing index or
key, ``int()`` of bad text, ``next()`` of an exhausted iterator, ``open()``; a call to a function
or class of the same module adds what that one can raise), whether it calls code codex cannot see
(another module's), and the kinds of value its ``return`` statements give. What another
module's code may raise is not a fact codex has: a docstring naming it is not confirmed.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from functools import lru_cache

_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)

# Builtin calls and the exceptions they are known to raise on bad input.
_CALL_RAISES = {
    "int": ("ValueError", "TypeError", "OverflowError"),
    "float": ("ValueError", "TypeError", "OverflowError"),
    "complex": ("ValueError", "TypeError"),
    "next": ("StopIteration",),
    "open": ("OSError",),
    "getattr": ("AttributeError",),
    "chr": ("ValueError", "OverflowError"),
    "ord": ("TypeError",),
    "min": ("ValueError",),
    "max": ("ValueError",),
    "divmod": ("ZeroDivisionError",),
    "pow": ("ValueError", "ZeroDivisionError"),
    "iter": ("TypeError",),
    "hash": ("TypeError",),
    "bytes": ("ValueError", "TypeError"),
    "len": ("TypeError",),
}
# Methods (by name, on any object) and the exceptions they are known to raise.
_METHOD_RAISES = {
    "index": ("ValueError",),
    "remove": ("ValueError", "KeyError"),
    "pop": ("KeyError", "IndexError"),
    "popitem": ("KeyError",),
    "decode": ("UnicodeDecodeError",),
    "encode": ("UnicodeEncodeError",),
    "fromhex": ("ValueError",),
    "__next__": ("StopIteration",),
}
# Builtins that raise nothing worth a Raises section (and are not code codex cannot see).
_QUIET = frozenset(dir(builtins)) - frozenset(_CALL_RAISES)
# What a call into another module may raise that a docstring can honestly name.
_FROM_CALLS = frozenset(
    {
        "ValueError",
        "TypeError",
        "KeyError",
        "IndexError",
        "LookupError",
        "OSError",
        "IOError",
        "FileNotFoundError",
        "PermissionError",
        "AttributeError",
        "RuntimeError",
        "UnicodeError",
        "UnicodeDecodeError",
        "UnicodeEncodeError",
        "StopIteration",
        "NotImplementedError",
    }
)
_BOOL_CALLS = frozenset({"isinstance", "issubclass", "callable", "hasattr", "all", "any", "bool"})
_BOOL_METHODS = frozenset(
    "startswith endswith isdigit isalpha isalnum isspace islower isupper isidentifier isdecimal "
    "isnumeric istitle isprintable isascii issubset issuperset isdisjoint exists is_file is_dir "
    "match_found isatty".split()
)
_STR_METHODS = frozenset(
    "join format upper lower strip lstrip rstrip replace title capitalize casefold zfill center "
    "ljust rjust expandtabs decode swapcase removeprefix removesuffix format_map translate".split()
)
_CALL_KINDS = {
    "list": "list",
    "sorted": "list",
    "dict": "dict",
    "str": "str",
    "repr": "str",
    "format": "str",
    "chr": "str",
    "hex": "str",
    "oct": "str",
    "bin": "str",
    "ascii": "str",
    "len": "number",
    "int": "number",
    "abs": "number",
    "round": "number",
    "ord": "number",
    "float": "number",
    "hash": "number",
    "tuple": "tuple",
    "set": "set",
    "frozenset": "set",
    "bytes": "bytes",
}
_METHOD_KINDS = {**{m: "bool" for m in _BOOL_METHODS}, **{m: "str" for m in _STR_METHODS}}
_METHOD_KINDS.update({"split": "list", "rsplit": "list", "splitlines": "list", "encode": "bytes", "count": "number"})


@dataclass(frozen=True)
class RaiseFacts:
    """What a function can raise: ``explicit`` (raise statements, asserts, and the same of the
    module's functions it calls), ``operations`` (builtin operations' known exceptions), and
    whether it calls code of another module (``opaque``), which may raise more."""

    explicit: frozenset[str]
    operations: frozenset[str]
    opaque: bool
    reraises_any: bool = False  # ``raise err`` of a variable: codex cannot name what it is


@dataclass(frozen=True)
class _Module:
    functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]
    classes: dict[str, ast.ClassDef]


@lru_cache(maxsize=32)
def _module(source: str) -> _Module:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return _Module({}, {})
    functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    classes: dict[str, ast.ClassDef] = {}
    for node in ast.walk(tree):
        if isinstance(node, _FUNCS):
            functions.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.ClassDef):
            classes[node.name] = node
    return _Module(functions, classes)


def last_name(node: ast.AST) -> str | None:
    """``ValueError`` of ``ValueError``, ``errors.ValueError`` or ``ValueError("...")``."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def function_node(code: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The function that ``code`` (a target's source, maybe indented) defines."""
    lines = code.split("\n")
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    try:
        tree = ast.parse("\n".join(l[indent:] for l in lines))
    except SyntaxError:
        return None
    return next((n for n in tree.body if isinstance(n, _FUNCS)), None)


def raise_facts(fn: ast.FunctionDef | ast.AsyncFunctionDef, source: str) -> RaiseFacts:
    """What ``fn`` (a function of the module ``source``) can raise (see ``RaiseFacts``)."""
    explicit: set[str] = set()
    operations: set[str] = set()
    flags = {"opaque": False, "any": False}
    _collect(fn, _module(source), explicit, operations, flags, set())
    return RaiseFacts(frozenset(explicit), frozenset(operations), flags["opaque"], flags["any"])


def _collect(
    fn: ast.AST, module: _Module, explicit: set[str], operations: set[str], flags: dict[str, bool], seen: set[int]
) -> None:
    """Long: one walk over the function's nodes, one short case per kind of node that raises."""
    if id(fn) in seen:
        return
    seen.add(id(fn))
    caught = [last_name(t) for h in ast.walk(fn) if isinstance(h, ast.ExceptHandler) for t in _handler_types(h)]
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise):
            if node.exc is None:
                explicit.update(n for n in caught if n)
                flags["any"] |= any(isinstance(h, ast.ExceptHandler) and h.type is None for h in ast.walk(fn))
            elif (name := last_name(node.exc)) and name[:1].isupper():
                explicit.add(name)
            else:
                flags["any"] = True
        elif isinstance(node, ast.Assert):
            explicit.add("AssertionError")
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)):
            operations.add("ZeroDivisionError")
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            operations.update(("IndexError", "KeyError"))
        elif isinstance(node, ast.Call):
            _call(node, module, explicit, operations, flags, seen)


def _handler_types(handler: ast.ExceptHandler) -> list[ast.AST]:
    if handler.type is None:
        return []
    return list(handler.type.elts) if isinstance(handler.type, ast.Tuple) else [handler.type]


def _call(
    node: ast.Call, module: _Module, explicit: set[str], operations: set[str], flags: dict[str, bool], seen: set[int]
) -> None:
    func = node.func
    if isinstance(func, ast.Name):
        name = func.id
        if name in _CALL_RAISES:
            operations.update(_CALL_RAISES[name])
        elif name in module.classes:
            init = [n for n in module.classes[name].body if isinstance(n, _FUNCS) and n.name == "__init__"]
            for callee in init:
                _collect(callee, module, explicit, operations, flags, seen)
        elif name in module.functions:
            for callee in module.functions[name]:
                _collect(callee, module, explicit, operations, flags, seen)
        elif name not in _QUIET:
            flags["opaque"] = True
    elif isinstance(func, ast.Attribute):
        owner = func.value
        if func.attr in _METHOD_RAISES:
            operations.update(_METHOD_RAISES[func.attr])
        if isinstance(owner, ast.Name) and owner.id in ("self", "cls") and func.attr in module.functions:
            for callee in module.functions[func.attr]:
                _collect(callee, module, explicit, operations, flags, seen)
        elif func.attr not in _METHOD_KINDS and func.attr not in _METHOD_RAISES and func.attr not in _SAFE_METHODS:
            flags["opaque"] = True
    else:
        flags["opaque"] = True


_SAFE_METHODS = frozenset(
    "append extend insert get items keys values copy add update discard clear setdefault sort "
    "reverse find rfind count startswith endswith".split()
)


def exception_ancestors(name: str, source: str) -> set[str]:
    """``name`` and every exception class it derives from (builtins by their MRO, classes of
    the module by their bases, by name)."""
    out = {name}
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, BaseException):
        return out | {c.__name__ for c in builtin.__mro__}
    cls = _module(source).classes.get(name)
    if cls is not None:
        for base in cls.bases:
            base_name = last_name(base)
            if base_name and base_name not in out:
                out |= exception_ancestors(base_name, source)
    return out


def can_raise(name: str, facts: RaiseFacts, source: str) -> bool:
    """True when the code of ``facts`` can raise ``name`` (or a subclass of it): raised
    explicitly, by a builtin operation, or, for a function that calls another module's code, a
    common exception or one the module itself names."""
    if name in ("Exception", "BaseException"):
        return bool(facts.explicit or facts.operations or facts.opaque or facts.reraises_any)
    if any(name in exception_ancestors(r, source) for r in facts.explicit | facts.operations):
        return True
    # An operation's exception may surface as a builtin subclass (open() -> FileNotFoundError);
    # never as a class of the module (int() does not raise the module's InvalidVersion).
    if _builtin_exception(name) and any(op in exception_ancestors(name, source) for op in facts.operations):
        return True
    if facts.reraises_any:
        return name in _FROM_CALLS or _named_in(name, source)
    # What another module's code raises is not checked here: such a claim is not written (the
    # Raises section is dropped, tasks/comment/run.py) unless the code shows it some other way.
    return False


def _builtin_exception(name: str) -> bool:
    found = getattr(builtins, name, None)
    return isinstance(found, type) and issubclass(found, BaseException)


def own_raises(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """The exceptions ``fn``'s own ``raise`` statements raise by name and it does not catch
    itself: what a caller must be told (asserts and the builtin operations' are not)."""
    caught = {last_name(t) for h in ast.walk(fn) if isinstance(h, ast.ExceptHandler) for t in _handler_types(h)}
    raised = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Raise) and node.exc is not None:
            name = last_name(node.exc)
            if name and name[:1].isupper() and name not in caught:
                raised.add(name)
    return frozenset(raised)


def _named_in(name: str, source: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", source) is not None


def return_kinds(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """The kinds of value ``fn``'s own return statements give ("bool", "str", "list", "dict",
    "number", "none", ...; "unknown" where codex cannot tell)."""
    kinds: set[str] = set()
    stack: list[ast.AST] = list(fn.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*_FUNCS, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Return):
            kinds |= kind_of(node.value) if node.value is not None else {"none"}
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(kinds)


def kind_of(node: ast.AST) -> set[str]:
    """The kinds of value the expression ``node`` can have (see ``return_kinds``)."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return {"bool"}
        kinds = {type(None): "none", str: "str", bytes: "bytes", int: "number", float: "number"}
        return {kinds.get(type(value), "unknown")}
    if isinstance(node, ast.Compare) or isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return {"bool"}
    if isinstance(node, ast.BoolOp):
        return set().union(*(kind_of(v) for v in node.values))
    if isinstance(node, ast.IfExp):
        return kind_of(node.body) | kind_of(node.orelse)
    if isinstance(node, (ast.List, ast.ListComp)):
        return {"list"}
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return {"dict"}
    if isinstance(node, (ast.Set, ast.SetComp)):
        return {"set"}
    if isinstance(node, ast.Tuple):
        return {"tuple"}
    if isinstance(node, ast.JoinedStr):
        return {"str"}
    if isinstance(node, ast.BinOp):
        left, right = kind_of(node.left), kind_of(node.right)
        if isinstance(node.op, ast.Mod) and left & {"str", "bytes"}:
            return left
        return left if left == right and "unknown" not in left and "bool" not in left else {"unknown"}
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            if node.func.id in _BOOL_CALLS:
                return {"bool"}
            return {_CALL_KINDS.get(node.func.id, "unknown")}
        if isinstance(node.func, ast.Attribute):
            return {_METHOD_KINDS.get(node.func.attr, "unknown")}
    return {"unknown"}
