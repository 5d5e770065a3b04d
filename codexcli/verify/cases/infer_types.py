"""Parameter types inferred from how a function uses its parameters, for code without hints.

Real code rarely has type hints or doctests, and without them verify.cases.inputs has nothing to make
input cases from. The body usually says enough: ``range(n)`` takes an int, ``for x in items``
iterates a sequence (and how ``x`` is used says what it holds), ``s.split()`` is a str method,
``0.3 * r`` is float arithmetic, ``d.items()`` a dict. Calls to the function elsewhere in the
project and its tests say it directly (their literal arguments' types). The result uses the
simplified type names of verify.cases.inputs (``int``, ``list[str]``, ``dict[str,int]``...), so the
same value pools and Hypothesis strategies make cases from it. Static: nothing is run here.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Iterable

from codexcli.verify.cases.infer_locals import called_name as _called_name
from codexcli.verify.cases.infer_locals import const_kind as _const_kind
from codexcli.verify.cases.infer_locals import int_locals as _int_locals
from codexcli.verify.cases.infer_locals import is_name as _is
from codexcli.verify.cases.infer_locals import local_kinds as _local_kinds
from codexcli.verify.cases.infer_str import (
    CHAR_TESTS,
    STR_ARG,
    STR_BOUNDS,
    regex_subject,
    sliced_with_str,
    str_sought_in,
)
from codexcli.verify.cases.inputs import param_hints, test_cases
from codexcli.verify.cases.module_facts import ModuleFacts, callee_hints, caller_hints, module_facts

_STR_METHODS = {
    "split", "rsplit", "strip", "lstrip", "rstrip", "lower", "upper", "startswith", "endswith", "replace",
    "find", "rfind", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "join", "format",
    "encode", "title", "capitalize", "splitlines", "partition", "zfill", "center", "ljust", "rjust", "casefold",
}  # fmt: skip
_LIST_METHODS = {"append", "extend", "pop", "sort", "insert", "remove", "reverse", "copy", "clear"}
_DICT_METHODS = {"items", "keys", "values", "get", "setdefault", "update", "popitem"}
_SET_METHODS = {"add", "discard", "union", "intersection", "difference", "issubset", "issuperset"}
_FLOAT_FUNCS = {"sqrt", "sin", "cos", "tan", "exp", "log", "log10", "log2", "atan", "atan2", "hypot", "fabs"}
_NUMBER_FUNCS = {"abs", "round", "divmod", "pow", "floor", "ceil", "trunc", "isfinite", "isnan"}
_SEQ_FUNCS = {"len", "sorted", "reversed", "sum", "enumerate", "list", "tuple", "set", "any", "all", "zip"}
_INT_OPS = (ast.Mod, ast.FloorDiv, ast.LShift, ast.RShift, ast.BitAnd, ast.BitOr, ast.BitXor)


@dataclass(frozen=True)
class Inferred:
    """A parameter's inferred simplified type (None: unknown) and the evidence for it."""

    name: str
    hint: str | None
    evidence: str  # e.g. "annotation", "default 0", "range(n)", "s.split()", "calls in tests"


@dataclass
class _Ballot:
    """Votes for the kinds of one name, and a short note per kind of use (each note once)."""

    votes: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def vote(self, kind: str, note: str, weight: int = 1) -> None:
        self.votes[kind] += weight
        if note not in self.notes:
            self.notes.append(note)

    def add_elements(self, elem: Counter[str]) -> None:
        """What the name's elements were voted to be, as ``elem:<kind>`` votes."""
        for kind, n in elem.items():
            self.votes["elem:" + kind] += n


def _votes(fn: ast.AST, name: str, depth: int = 0) -> tuple[Counter[str], list[str]]:
    """Votes for the kind of ``name`` (int, float, str, list[...], dict, set) from its uses in
    ``fn``, with a short note per kind of use."""
    ballot = _Ballot()
    local_kinds = _local_kinds(fn)
    int_locals = _int_locals(fn)
    for node in ast.walk(fn):
        if sliced_with_str(node, name):  # name[:1] == '<' (verify/cases/infer_str.py)
            ballot.vote("str", f"{name}[...] with a str", 2)
        if isinstance(node, ast.Call):
            _vote_call(ballot, node, name)
        elif isinstance(node, ast.BinOp) and (_is(node.left, name) or _is(node.right, name)):
            _vote_arithmetic(ballot, node, name, local_kinds)
        elif isinstance(node, ast.AugAssign) and _is(node.target, name):
            kind = _const_kind(node.value)
            ballot.vote(kind or "number", f"{name} {_op(node.op)}= {ast.unparse(node.value)}")
        elif isinstance(node, ast.Compare):
            _vote_compare(ballot, node, name, int_locals)
        elif isinstance(node, ast.Subscript) and not _is(node.value, name) and _indexes(node.slice, name):
            ballot.vote("int", f"...[{name}]", 2)
        elif isinstance(node, ast.Subscript) and _is(node.value, name):
            _vote_subscript(ballot, fn, node, name, depth)
        elif isinstance(node, (ast.For, ast.comprehension)) and _is(node.iter, name):
            ballot.vote("seq", f"for ... in {name}", 2)
            if depth < 2 and isinstance(node.target, ast.Name):
                ballot.add_elements(_votes(fn, node.target.id, depth + 1)[0])
    return ballot.votes, ballot.notes


def _vote_call(ballot: _Ballot, node: ast.Call, name: str) -> None:
    """``name.split()``, ``range(name)``, ``len(name)``..."""
    called = _called_name(node)
    if isinstance(node.func, ast.Attribute) and _is(node.func.value, name):
        method = node.func.attr
        if method in _STR_METHODS:
            ballot.vote("str", f"{name}.{method}()", 3)
            ballot.votes["char"] += method in CHAR_TESTS
        elif method in _LIST_METHODS:
            ballot.vote("list", f"{name}.{method}()", 3)
        elif method in _DICT_METHODS:
            ballot.vote("dict", f"{name}.{method}()", 3)
        elif method in _SET_METHODS:
            ballot.vote("set", f"{name}.{method}()", 3)
    elif any(_is(a, name) for a in node.args):
        bound = [k for k, a in enumerate(node.args) if _is(a, name)] if called in STR_BOUNDS else []
        if isinstance(node.func, ast.Attribute) and bound and bound[0] > 0:  # s.find(x, name): a bound
            ballot.vote("int", f".{called}(..., {name})", 3)
        elif isinstance(node.func, ast.Attribute) and called in STR_ARG:  # s.find(name), sep.join(name)
            for kind, weight in STR_ARG[called].items():
                ballot.vote(kind, f".{called}({name})", weight)
        elif regex_subject(node, name):
            ballot.vote("str", f"a regex .{called}() over {name}", 3)
        elif called == "range":
            ballot.vote("int", f"range({name})", 3)
        elif called in _FLOAT_FUNCS:
            ballot.vote("float", f"{called}({name})", 2)
        elif called in _NUMBER_FUNCS or called in ("min", "max") and len(node.args) > 1:
            ballot.vote("number", f"{called}({name})")
        elif called in _SEQ_FUNCS or called in ("min", "max"):
            ballot.vote("seq", f"{called}({name})", 2)
            ballot.votes.update(["len"] if called == "len" else [])  # only measured: a str, as an element
        elif called == "ord":
            ballot.vote("str", f"ord({name})", 2)
        elif called == "chr":
            ballot.vote("int", f"chr({name})", 2)


def _vote_arithmetic(ballot: _Ballot, node: ast.BinOp, name: str, local_kinds: dict[str, str]) -> None:
    """``name + ""``, ``name * 0.5``, ``name % 2``...: the other operand and the operator."""
    other = node.right if _is(node.left, name) else node.left
    kind = _const_kind(other) or (local_kinds.get(other.id) if isinstance(other, ast.Name) else None)
    if isinstance(node.op, ast.Mod) and _is(node.right, name) and kind == "str":
        return  # "%s" % name: formatting says nothing about name
    if kind == "str":
        ballot.vote("str", f"{name} + {ast.unparse(other)}", 2)
    elif kind == "float":
        ballot.vote("float", f"{name} {_op(node.op)} {ast.unparse(other)}", 2)
    elif isinstance(node.op, _INT_OPS):
        ballot.vote("int", f"{name} {_op(node.op)} {ast.unparse(other)}", 2)
    elif kind == "int":
        ballot.vote("number", f"{name} {_op(node.op)} {ast.unparse(other)}", 2)
    elif isinstance(node.op, ast.Div):
        ballot.vote("number", f"{name} / ...")
    else:
        ballot.vote("number", f"arithmetic on {name}")


def _vote_compare(ballot: _Ballot, node: ast.Compare, name: str, int_locals: set[str]) -> None:
    """``x in name``, ``name in "abc"``, ``name < other``, ``name == 0``, ``name == i`` (an int
    local)..."""
    sides = [node.left, *node.comparators]
    if not any(_is(s, name) for s in sides):
        return
    if weight := str_sought_in(node, name):
        ballot.vote("str", f"a str literal in {name}", weight)
    ints = [s.id for s in sides if isinstance(s, ast.Name) and s.id in int_locals and s.id != name]
    if ints and not any(isinstance(o, (ast.In, ast.NotIn)) for o in node.ops):
        ballot.vote("number", f"{name} compared with int {ints[0]}", 2)
    for op, right in zip(node.ops, node.comparators):
        if isinstance(op, (ast.In, ast.NotIn)) and _is(right, name):
            ballot.vote("seq", f"... in {name}")
        elif isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Constant):
            if isinstance(right.value, str):
                ballot.vote("str", f"{name} in {right.value!r}", 2)
        elif isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (ast.List, ast.Tuple, ast.Set)):
            kinds = {_const_kind(e) for e in right.elts}
            if len(kinds) == 1 and None not in kinds:
                (kind,) = kinds
                ballot.vote("number" if kind == "int" else str(kind), f"{name} in [{kind} literals]", 2)
    if any(isinstance(o, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) for o in node.ops) and not any(
        _const_kind(side) or isinstance(side, ast.Constant) for side in sides
    ):
        ballot.vote("number", f"{name} ordered against another value")
    for side in sides:
        side_kind = _const_kind(side)
        if side_kind and not any(isinstance(o, (ast.In, ast.NotIn)) for o in node.ops):
            ballot.vote("number" if side_kind == "int" else side_kind, f"{name} compared with {ast.unparse(side)}")
            ballot.votes["char"] += side_kind == "str" and len(ast.unparse(side)) == 3  # one character: 'x'


def _vote_subscript(ballot: _Ballot, fn: ast.AST, node: ast.Subscript, name: str, depth: int) -> None:
    """``name["key"]`` (a dict), ``name[1:]``, ``name[i]`` (a sequence, and how the element is used)."""
    index = node.slice
    if isinstance(index, ast.Constant) and isinstance(index.value, str):
        ballot.vote("dict", f"{name}[{index.value!r}]", 2)
    elif isinstance(index, ast.Slice):
        ballot.vote("seq", f"{name}[...:...]", 2)
    else:
        ballot.vote("seq", f"{name}[...]", 2)
        if depth < 2:
            ballot.add_elements(_element_votes(fn, node, depth)[0])


def _indexes(index: ast.expr, name: str) -> bool:
    """Whether ``name`` is the index or a slice bound (``x[name]``, ``x[:name]``, ``x[name - 1]``)."""
    parts = [index.lower, index.upper, index.step] if isinstance(index, ast.Slice) else [index]
    return any(
        p is not None and (_is(p, name) or isinstance(p, ast.BinOp) and (_is(p.left, name) or _is(p.right, name)))
        for p in parts
    )


def _element_votes(fn: ast.AST, subscript: ast.Subscript, depth: int) -> tuple[Counter[str], list[str]]:
    """Votes for what ``name[i]`` holds, from the expressions it appears in (via a stand-in name)."""
    marker = "__codex_elem__"
    target = ast.dump(subscript)

    class Swap(ast.NodeTransformer):
        def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
            if ast.dump(node) == target:
                return ast.copy_location(ast.Name(marker, ast.Load()), node)
            return self.generic_visit(node)

    swapped = Swap().visit(ast.parse(ast.unparse(fn)))
    return _votes(swapped, marker, depth + 1)


def _op(op: ast.operator) -> str:
    return {
        ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
        ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
    }.get(type(op), "?")  # fmt: skip


def _resolve(votes: Counter[str]) -> str | None:
    """The simplified type name the votes point to, or None."""
    elements = Counter({k[5:]: n for k, n in votes.items() if k.startswith("elem:")})
    kinds = Counter({k: n for k, n in votes.items() if not k.startswith("elem:")})
    if not kinds:
        return None
    if kinds["str"] and kinds["str"] >= kinds["list"] + kinds["dict"]:
        return "str"
    if kinds["dict"]:
        return "dict[str,int]"
    if kinds["set"]:
        return "list[int]"  # sets are built from lists by the caller's values; a list is close
    if kinds["seq"] and not kinds["list"] and elements["char"]:
        return "str"  # its items are characters: ``for ch in s: ch.isupper()``, ``s[0] == '"'``
    if kinds["seq"] or kinds["list"]:
        inner = "str" if set(elements) == {"seq", "len"} else _resolve(elements) or "int"  # only len(): str
        return f"list[{inner}]"
    if kinds["float"]:
        return "float"
    if kinds["int"] or kinds["number"]:
        return "int"
    return None


def _default_kinds(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
    """Parameters whose default is a literal of a simple type: that type."""
    positional = fn.args.posonlyargs + fn.args.args
    out = {}
    for arg, default in zip(positional[len(positional) - len(fn.args.defaults) :], fn.args.defaults):
        bool_ = isinstance(default, ast.Constant) and isinstance(default.value, bool)
        if kind := "bool" if bool_ else _const_kind(default):
            out[arg.arg] = kind
    return out


def _like_elements(fn: ast.AST, param: Inferred, known: list[Inferred]) -> Inferred:
    """An untyped parameter compared with the elements of a list (or str) parameter (``x ==
    target`` with ``for x in items``, ``target in items``) gets the elements' type; one looked up in a
    dict parameter (``table.get(key)``, ``table[key]``, ``key in table``) its keys' type."""
    lists = {
        i.name: i.hint[5:-1] if i.hint != "str" else "str" for i in known if i.hint and i.hint[:5] in ("list[", "str")
    }
    keys = {i.name: i.hint[5:].split(",")[0] for i in known if i.hint and i.hint.startswith("dict[")}
    for node in ast.walk(fn):
        looked_up = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop"):
            looked_up = node.func.value if node.args and _is(node.args[0], param.name) else None
        elif isinstance(node, ast.Subscript) and _is(node.slice, param.name):
            looked_up = node.value
        elif isinstance(node, ast.Compare) and _is(node.left, param.name) and isinstance(node.ops[0], ast.In):
            looked_up = node.comparators[0]
        if isinstance(looked_up, ast.Name) and looked_up.id in keys:
            return replace(param, hint=keys[looked_up.id], evidence=f"a key of {looked_up.id}")
    loops = {
        node.target.id: node.iter.id
        for node in ast.walk(fn)
        if isinstance(node, (ast.For, ast.comprehension))
        and isinstance(node.target, ast.Name)
        and isinstance(node.iter, ast.Name)
        and node.iter.id in lists
    }
    for node in ast.walk(fn):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        left, op, right = node.left, node.ops[0], node.comparators[0]
        if isinstance(op, (ast.In, ast.NotIn)) and _is(left, param.name) and isinstance(right, ast.Name):
            if right.id in lists:
                return replace(param, hint=lists[right.id], evidence=f"{param.name} in {right.id}")
        elif isinstance(op, (ast.Eq, ast.NotEq)):
            other = right if _is(left, param.name) else left if _is(right, param.name) else None
            if isinstance(other, ast.Name) and other.id in loops:
                return replace(
                    param, hint=lists[loops[other.id]], evidence=f"compared with elements of {loops[other.id]}"
                )
    return param


def infer_params(fn: ast.FunctionDef | ast.AsyncFunctionDef, call_sites: Iterable[str] = ()) -> list[Inferred] | None:
    """An inferred type per positional parameter (self/cls left out), best evidence first:
    annotation, the arguments of literal calls in ``call_sites`` (project and test sources),
    a literal default, then uses in the body and in the module (what the callees it passes a
    parameter to take, what its callers pass; see verify.cases.module_facts), and last ``int``
    for a parameter used in no way that an int could not be. None when the function cannot be
    called positionally (see verify.cases.inputs.param_hints)."""
    sources = tuple(call_sites)
    return _infer(fn, sources, module_facts(sources), frozenset(), {})


def _infer(
    fn: ast.FunctionDef | ast.AsyncFunctionDef,
    sources: tuple[str, ...],
    facts: ModuleFacts,
    stack: frozenset[str],
    memo: dict[str, list[str | None] | None],
) -> list[Inferred] | None:
    """infer_params for ``fn``, the module's other functions inferred on demand (``stack``: those
    being inferred, cut off to end cycles; ``memo``: those done)."""
    examples = test_cases(sources, fn.name)
    hints = param_hints(fn, examples)
    if hints is None:
        return None
    params = [a for a in fn.args.posonlyargs + fn.args.args if a.arg not in ("self", "cls")]
    defaults = _default_kinds(fn)
    inner = stack | {fn.name}

    def other(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str | None] | None:
        if node.name in inner or len(inner) > _MODULE_DEPTH:
            return None
        if node.name not in memo:
            found = _infer(node, sources, facts, inner, memo)
            memo[node.name] = None if found is None else [i.hint for i in found]
        return memo[node.name]

    out = []
    for index, (param, hint) in enumerate(zip(params, hints)):
        if hint is not None and hint not in ("list", "tuple", "dict", "set"):
            origin = "annotation" if param.annotation is not None else "calls in the project and tests"
            out.append(Inferred(param.arg, hint, origin))
            continue
        if param.arg in defaults:
            out.append(Inferred(param.arg, defaults[param.arg], "default value"))
            continue
        votes, notes = _votes(fn, param.arg)
        module = callee_hints(fn, param.arg, fn.name, facts, other) + caller_hints(fn.name, index, facts, other)
        for module_hint, note in module:
            _vote_hint(votes, module_hint)
            notes.append(note)
        hint = _resolve(votes)
        if hint == "int" and not votes["int"]:
            hint = "number"  # only arithmetic: int or float, decided below
        out.append(Inferred(param.arg, hint, ", ".join(notes[:2]) or "no use that says its type"))
    out = [_like_elements(fn, i, out) if i.hint is None else i for i in out]
    out = [replace(i, hint="int", evidence="no use an int could not have") if _plain(fn, i) else i for i in out]
    # Numbers that only take part in arithmetic are floats when a sibling parameter is one
    # (``y + 0.95 * i``: y is a float like i), else ints.
    number = "float" if any(i.hint == "float" for i in out) else "int"
    out = [replace(i, hint=number) if i.hint == "number" else i for i in out]
    nones = none_defaults(fn)
    return [replace(i, hint=f"optional[{i.hint}]") if i.name in nones and i.hint else i for i in out]  # None passed too


def none_defaults(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The positional parameters whose default is ``None``."""
    params = fn.args.posonlyargs + fn.args.args
    return {
        a.arg for a, d in zip(params[::-1], fn.args.defaults[::-1]) if isinstance(d, ast.Constant) and d.value is None
    }


# How many functions deep the module's callers and callees are followed.
_MODULE_DEPTH = 3


def _vote_hint(votes: Counter[str], hint: str) -> None:
    """A type that the module says a parameter has, as votes (``list[int]``: a sequence of ints)."""
    hint = hint[9:-1] if hint.startswith("optional[") else hint
    if hint.startswith(("list[", "tuple[")):
        votes["seq"] += 3
        element = hint[hint.index("[") + 1 : -1]
        if element in ("int", "float", "str"):
            votes["elem:" + element] += 3
    elif hint.startswith("dict["):
        votes["dict"] += 3
    elif hint in ("int", "float", "str"):
        votes[hint] += 3


def _plain(fn: ast.AST, param: Inferred) -> bool:
    """Whether a parameter of unknown type is used in no way an int could not be (no attribute,
    no call of it, no unpacking): compared, returned, passed on; ints then make fair cases."""
    if param.hint is not None:
        return False
    for node in ast.walk(fn):
        if isinstance(node, ast.Attribute) and _is(node.value, param.name):
            return False
        if isinstance(node, ast.Call) and _is(node.func, param.name):
            return False
        if isinstance(node, (ast.Starred, ast.keyword)) and _is(node.value, param.name):
            return False
        if isinstance(node, ast.Call) and _called_name(node) in ("isinstance", "type", "getattr", "hasattr"):
            if any(_is(a, param.name) for a in node.args):
                return False
    return True


def describe(inferred: list[Inferred]) -> str:
    """One line for reports: ``n: int (range(n)); items: list[int] (for ... in items)``."""
    return "; ".join(f"{i.name}: {i.hint or '?'} ({i.evidence})" for i in inferred)
