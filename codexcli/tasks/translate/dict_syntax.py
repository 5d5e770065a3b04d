"""`codex translate`, line by line: how Java and C++ write Python's dicts and new lists of lists
(issue 28), one
``DictSyntax`` per target, held by its ``LineSyntax`` (tasks/translate/line_syntax.py); the
rules that use it are tasks/translate/line_nested.py.

A dict of scalar keys and values (kind ``dict[str,int]``) is Java's ``java.util.Map`` of the
boxed types, made a ``LinkedHashMap`` (Python's dicts keep insertion order; the harness builds
one for a ``Map`` parameter too), and C++'s ``std::map`` (its order is its keys': codex lays out
only the loops over a dict whose result does not depend on the order, line_nested.py). A key
is cast to the key type (Java: ``get(1)`` would look up an ``Integer`` in a map of ``Long``).
Templates take ``{d}`` (the dict), ``{k}`` (the key), ``{v}`` (a value), ``{type}`` (the
value's type), ``{key}`` (the key's type) and ``{hidden}`` (a loop's variable).

A new list of lists, ``[[fill] * w for _ in range(h)]``, is ``rows`` (``{x}`` the target,
``{elem}`` the element type, ``{row}`` a row's type, ``{type}`` the whole's; a negative count
makes an empty list, as Python's), and ``[]`` of that kind is ``no_rows``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DictSyntax:
    """One target's spelling of a dict: its type (``{key}``, ``{value}``: the boxed types where
    the target needs them), a new empty one, a read (``d[k]``: raises on a missing key, as
    Python's KeyError), ``d.get(k, v)``, a store, ``k in d``, ``len(d)``, and the headers of a
    loop over its keys and over its items (each ends by assigning the Python loop variables:
    ``{name}``, ``{value_name}``)."""

    type: str
    new: str
    read: str
    get: str
    put: str
    has: str
    size: str
    keys: str
    items: str
    ordered: bool  # iteration in insertion order, as Python's (False: another order)
    boxed: bool = False  # the type names the key and value types boxed (Java's ``Long``)
    rows: str = ""
    no_rows: str = ""


JAVA_DICTS = DictSyntax(
    type="java.util.Map<{key}, {value}>",
    new="new java.util.LinkedHashMap<>()",
    read="(({type}) java.util.Objects.requireNonNull({d}.get(({key}) ({k}))))",
    get="(({type}) {d}.getOrDefault(({key}) ({k}), ({type}) ({v})))",
    put="{d}.put(({key}) ({k}), ({type}) ({v}));",
    has="{d}.containsKey(({key}) ({k}))",
    size="(long) {d}.size()",
    keys="for ({key} {hidden} : {d}.keySet()) {{ {name} = {hidden};",
    items=(
        "for (java.util.Map.Entry<{boxed_key}, {boxed}> {hidden} : {d}.entrySet()) {{"
        " {name} = {hidden}.getKey(); {value_name} = {hidden}.getValue();"
    ),
    ordered=True,
    boxed=True,
    rows=(
        "{x} = new {elem}[(int) Math.max(0, {h})][(int) Math.max(0, {w})];"
        " for ({row} {hidden} : {x}) java.util.Arrays.fill({hidden}, {fill});"
    ),
    no_rows="{x} = new {elem}[0][];",
)

CPP_DICTS = DictSyntax(
    type="std::map<{key}, {value}>",
    new="{dict_type}{{}}",
    read="{d}.at({k})",  # a missing key raises std::out_of_range
    get="({d}.count({k}) ? {d}.at({k}) : ({type}) ({v}))",
    put="{d}[{k}] = {v};",
    has="({d}.count({k}) > 0)",
    size="(long long) {d}.size()",
    keys="for (const auto& {hidden} : {d}) {{ {name} = {hidden}.first;",
    items="for (const auto& {hidden} : {d}) {{ {name} = {hidden}.first; {value_name} = {hidden}.second;",
    ordered=False,
    rows="{x} = {type}(std::max<long long>(0, {h}), {row}(std::max<long long>(0, {w}), {fill}));",
    no_rows="{x} = {type}{{}};",
)
