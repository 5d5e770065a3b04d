"""Input cases for a function: where codex gets the arguments it calls code with.

Used wherever behaviour is compared (optimize: original vs rewrite; translate: Python vs the
target language; generate --samples: candidates against each other). Cases come, best first,
from the docstring's doctest examples, calls in existing tests, then values generated from type
hints (or from the types seen in the examples) mixed with literals found in the function's code;
verify.cases.cases.collect_cases puts them together. Everything here is static: no code is run.
"""

from __future__ import annotations

import ast
import doctest
import itertools
import random
from dataclasses import dataclass
from typing import Any, Iterable

# Small, edge-heavy values per type; generated cases draw from these and from the code's literals.
_BASE_VALUES: dict[str, list[Any]] = {
    "int": [0, 1, -1, 2, 3, 7, 10, -5, 100],
    "float": [0.0, 1.0, -1.5, 2.5, 3.14159, 100.0],
    "bool": [True, False],
    "str": ["", "a", "ab", "abc", "Hello World", "racecar", "a b c", "123"],
    "bytes": [b"", b"a", b"ab\x00cd", b"123", b"Hello World", b"\x00", b"\xff\x80", b"0000017\x00"],
    "None": [None],
}


# Annotations that name a container but not what it holds.
_BARE_CONTAINERS = ("list", "tuple", "dict", "set")


@dataclass(frozen=True)
class InputCase:
    """One call's arguments, as Python source (``args_src`` renders a tuple, ``kwargs_src`` a dict)."""

    args_src: str
    kwargs_src: str = "{}"
    origin: str = "generated"  # "doctest" | "test" | "generated"

    def values(self) -> tuple[tuple[Any, ...], dict[str, Any]] | None:
        """The arguments as Python values when they are all literals (needed for other
        languages), else None."""
        try:
            return ast.literal_eval(self.args_src), ast.literal_eval(self.kwargs_src)
        except (ValueError, SyntaxError):
            return None

    @property
    def call_src(self) -> str:
        """``(args)`` text for display: e.g. ``(2, 'a')``."""
        inner = self.args_src[1:-1].rstrip(", ") if self.args_src.startswith("(") else self.args_src
        values = self.values()
        kw = values[1] if values else {}
        parts = [inner] if inner else []
        parts += [f"{k}={v!r}" for k, v in kw.items()]
        return "(" + ", ".join(parts) + ")"


def _call_case(call: ast.Call, source: str, origin: str) -> InputCase | None:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    args = [ast.get_source_segment(source, a) for a in call.args]
    if any(a is None for a in args):
        return None
    kwargs = {k.arg: ast.get_source_segment(source, k.value) for k in call.keywords}
    args_src = "(" + "".join(f"{a}, " for a in args) + ")"
    kwargs_src = "{" + ", ".join(f"{k!r}: {v}" for k, v in kwargs.items()) + "}"
    return InputCase(args_src, kwargs_src, origin)


def _calls_to(tree: ast.AST, name: str) -> Iterable[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if called == name:
                yield node


def doctest_cases(docstring: str | None, name: str) -> list[InputCase]:
    """Calls to ``name`` in the docstring's ``>>>`` examples."""
    if not docstring:
        return []
    cases = []
    try:
        examples = doctest.DocTestParser().get_examples(docstring)
    except ValueError:
        return []
    for ex in examples:
        try:
            tree = ast.parse(ex.source)
        except SyntaxError:
            continue
        cases += [c for call in _calls_to(tree, name) if (c := _call_case(call, ex.source, "doctest"))]
    return cases


def test_cases(test_sources: Iterable[str], name: str) -> list[InputCase]:
    """Calls to ``name`` with literal arguments in existing test files."""
    cases = []
    for source in test_sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for call in _calls_to(tree, name):
            case = _call_case(call, source, "test")
            if case is not None and case.values() is not None:
                cases.append(case)
    return cases


def _hint_name(node: ast.expr | None) -> str | None:
    """A simplified type name: 'int', 'list[int]', 'optional[str]', ... or None if unknown."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _hint_name(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return None
    if isinstance(node, (ast.Name, ast.Attribute)):  # typing.List reads as List
        name = node.id if isinstance(node, ast.Name) else node.attr
        return {"List": "list", "Dict": "dict", "Tuple": "tuple", "Set": "set"}.get(name, name)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _hint_name(node.left), _hint_name(node.right)
        if "None" in (left, right):
            return f"optional[{right if left == 'None' else left}]"
        return left
    if isinstance(node, ast.Subscript):
        outer = _hint_name(node.value)
        inner = node.slice
        items = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        names = [_hint_name(i) for i in items]
        if outer == "Optional":
            return f"optional[{names[0]}]"
        if outer in ("list", "set", "Sequence", "Iterable"):
            return f"list[{names[0]}]"
        if outer == "tuple":
            return f"tuple[{names[0]}]"
        if outer in ("dict", "Mapping"):
            return f"dict[{names[0]},{names[-1]}]"
    return None


def values_for(hint: str | None, literals: dict[str, list[Any]]) -> list[Any]:
    """Candidate values for a simplified type name (see _hint_name); [] when unknown."""
    if hint is None:
        return []
    if hint in _BASE_VALUES:
        extra = [v for v in literals.get(hint, []) if v not in _BASE_VALUES[hint]]
        return _BASE_VALUES[hint] + extra[:6]
    if hint.startswith("optional["):
        return [None] + values_for(hint[9:-1], literals)
    if hint.startswith(("list[", "tuple[")):
        inner = values_for(hint[hint.index("[") + 1 : -1], literals)
        if not inner:
            return []
        lists = [[], inner[1:2], inner[:3], list(reversed(inner[:5])), inner[2:4] * 2]
        return [tuple(x) for x in lists] if hint.startswith("tuple[") else lists
    if hint.startswith("dict["):
        key, val = hint[5:-1].split(",", 1)
        keys, vals = values_for(key, literals), values_for(val, literals)
        if not keys or not vals:
            return []
        return [{}, {keys[1]: vals[1]}, dict(zip(keys[:4], vals[:4]))]
    return []


def code_literals(fn: ast.AST) -> dict[str, list[Any]]:
    """Constants that appear in a function's code, by type name (boundary values matter)."""
    found: dict[str, list[Any]] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.Constant) and not isinstance(node.value, (bytes, type(Ellipsis))):
            value: Any = node.value  # its type is named by ``kind``; mypy cannot follow that
            kind = type(value).__name__ if value is not None else "None"
            if kind == "str" and len(value) > 40:
                continue
            bucket = found.setdefault(kind, [])
            if value not in bucket:
                bucket.append(value)
                if kind == "int":
                    bucket += [value - 1, value + 1]
    return found


def param_hints(fn: ast.FunctionDef | ast.AsyncFunctionDef, examples: list[InputCase]) -> list[str | None] | None:
    """A simplified type name (see _hint_name) per positional parameter, from its annotation or
    else from the types of the example arguments; None when the function cannot be called
    positionally (no parameters, or required keyword-only ones)."""
    params = [a for a in fn.args.posonlyargs + fn.args.args if a.arg not in ("self", "cls")]
    if not params or fn.args.kwonlyargs and any(d is None for d in fn.args.kw_defaults):
        return None
    example_values = [v[0] for c in examples if (v := c.values()) is not None and len(v[0]) == len(params)]
    hints: list[str | None] = []
    for i, param in enumerate(params):
        hint = _hint_name(param.annotation)
        if (hint is None or hint in _BARE_CONTAINERS) and example_values:
            # A bare `list` says too little to make values from; the examples say what is in it.
            hint = infer_hint([ev[i] for ev in example_values]) or hint
        hints.append(hint)
    return hints


def generated_cases(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, examples: list[InputCase], limit: int, seed: int = 0
) -> list[InputCase]:
    """Cases from type hints (or from the types of the example arguments) and code literals."""
    hints = param_hints(fn, examples)
    if hints is None:
        return []
    literals = code_literals(fn)
    pools: list[list[Any]] = []
    for hint in hints:
        pool = values_for(hint, literals)
        if not pool:
            return []
        pools.append(pool)
    rng = random.Random(seed)
    combos = list(itertools.islice(itertools.product(*pools), 5000))
    rng.shuffle(combos)
    # Keep the all-first-values combinations (edge cases: 0, "", []) at the front.
    edge = tuple(p[0] for p in pools)
    ordered = [edge] + [c for c in combos if c != edge]
    return [InputCase(repr(tuple(c)), "{}", "generated") for c in ordered[:limit]]


def infer_hint(samples: list[Any]) -> str | None:
    """The simplified type name that all ``samples`` share (``int``, ``list[str]``...), else None."""
    kinds = {type(s).__name__ for s in samples}
    if len(kinds) != 1:
        return None
    kind = kinds.pop()
    if kind in _BASE_VALUES:
        return kind
    if kind in ("list", "tuple"):
        inner = infer_hint([x for s in samples for x in s])
        return f"{kind}[{inner}]" if inner else None
    return None


# Scaling ---------------------------------------------------------------------------------------


def _grow(value: Any, size: int, distinct: bool) -> tuple[Any, bool]:
    """``value`` grown to about ``size`` elements (sequences, strings, dicts, sets), and whether it
    grew. Elements are cycled from the value itself so they stay in the function's domain;
    ``distinct`` instead spreads integer lists over distinct values (no early exits on repeats)."""
    if not isinstance(value, (str, list, tuple, dict, set)) or not value or len(value) >= size:
        return value, False
    if isinstance(value, str):
        return (value * (size // len(value) + 1))[:size], True
    if isinstance(value, (list, tuple)):
        items = list(value)
        if distinct and all(isinstance(x, int) and not isinstance(x, bool) for x in items):
            rng = random.Random(size)
            grown = list(range(min(items), min(items) + size))
            rng.shuffle(grown)
        else:
            grown = [items[i % len(items)] for i in range(size)]
        return (tuple(grown) if isinstance(value, tuple) else grown), True
    if isinstance(value, set):
        if all(isinstance(x, int) and not isinstance(x, bool) for x in value):
            return set(range(min(value), min(value) + size)), True
        return value, False
    if isinstance(value, dict):
        keys = list(value)
        if all(isinstance(k, int) and not isinstance(k, bool) for k in keys):
            vals = list(value.values())
            return {min(keys) + i: vals[i % len(vals)] for i in range(size)}, True
        if all(isinstance(k, str) for k in keys):
            vals = list(value.values())
            return {f"{keys[i % len(keys)]}{i}": vals[i % len(vals)] for i in range(size)}, True
    return value, False


def scaled_cases(cases: Iterable[InputCase], size: int, limit: int = 4) -> list[InputCase]:
    """Cases whose collection and string arguments are grown to ``size`` elements, for timing how
    code scales (and for checking behaviour on big inputs too). Only cases with literal arguments
    scale; those with nothing to grow are left out. At most ``limit``, without duplicates."""
    out: list[InputCase] = []
    seen: set[str] = set()
    for case in cases:
        values = case.values()
        if values is None:
            continue
        args, kwargs = values
        for distinct in (False, True):
            grown = [_grow(a, size, distinct) for a in args]
            grown_kw = {k: _grow(v, size, distinct) for k, v in kwargs.items()}
            if not any(g for _, g in grown) and not any(g for _, g in grown_kw.values()):
                break
            new = InputCase(
                repr(tuple(v for v, _ in grown)), repr({k: v for k, (v, _) in grown_kw.items()}), f"scaled:{size}"
            )
            if new.args_src + new.kwargs_src not in seen:
                seen.add(new.args_src + new.kwargs_src)
                out.append(new)
        if len(out) >= limit:
            break
    return out[:limit]
