"""Tuples of mixed kinds as a translate kind (issue 28): ``(name, 3)`` is ``tuple[str,int]``,
``(ok, message)`` ``tuple[bool,str]``; each item a scalar or a list of one (``tuple[int,str[]]``).
A tuple of one kind stays a list (kinds.py: ``(1, 2)`` is ``int[]``). Java has no tuple type:
codex declares a small ``record`` per shape (``CodexTupleStrInt(String f0, long f1)``) next to
the translation, only where the translation names it (``java_records``); C++ spells it
``std::tuple<std::string, long long>``, Rust ``(String, i64)``."""

from __future__ import annotations

import re
from typing import Callable, Sequence

_ITEMS = ("int", "float", "bool", "str")
_WORDS = {"int": "Int", "float": "Float", "bool": "Bool", "str": "Str"}
_JAVA = {"int": "long", "float": "double", "bool": "boolean", "str": "String"}
RECORD = "CodexTuple"


def tuple_kind(items: Sequence[str | None]) -> str | None:
    """``tuple[K1,K2,...]`` for items of these kinds (scalars or lists of one); None when an
    item has no such kind or there are fewer than two."""
    if len(items) < 2 or any(k is None or k.removesuffix("[]") not in _ITEMS for k in items):
        return None
    return "tuple[" + ",".join(k for k in items if k) + "]"


def tuple_parts(kind: str | None) -> list[str] | None:
    """The item kinds of ``tuple[...]``; None for any other kind."""
    if not kind or not (kind.startswith("tuple[") and kind.endswith("]")):
        return None
    return kind[6:-1].split(",")


def record_name(parts: Sequence[str]) -> str:
    """Java's record for a tuple shape (``[str, int[]]`` -> ``CodexTupleStrInts``)."""
    return RECORD + "".join(_WORDS[p.removesuffix("[]")] + ("s" if p.endswith("[]") else "") for p in parts)


def java_records(text: str) -> list[str]:
    """The record declarations of the tuple shapes ``text`` names, each once (fields ``f0``,
    ``f1``...; Java's records give equals and hashCode)."""
    out = []
    for name in dict.fromkeys(re.findall(rf"\b{RECORD}((?:(?:Int|Float|Bool|Str)s?)+)\b", text)):
        fields = [
            _JAVA[word.lower()] + ("[]" if plural else "") + f" f{i}"
            for i, (word, plural) in enumerate(re.findall(r"(Int|Float|Bool|Str)(s?)", name))
        ]
        out.append(f"record {RECORD}{name}({', '.join(fields)}) {{}}")
    return out


def merge_tuples(kinds: set[str], merge_one: Callable[[list[str]], str | None]) -> str | None:
    """One tuple kind for tuple kinds of one arity, merged item by item (``merge_one``: kinds.py
    ``merge``); None when they differ in arity or an item's kinds do not merge."""
    split = [tuple_parts(k) for k in kinds]
    if any(s is None for s in split) or len({len(s) for s in split if s}) != 1:
        return None
    columns = zip(*(s for s in split if s))
    return tuple_kind([merge_one(list(c)) for c in columns])


def kind_of_type(type_: str, kind_of: Callable[[str], str | None]) -> str | None:
    """The tuple kind a target type spells (Java's ``CodexTupleStrInt``, C++'s
    ``std::tuple<std::string, long long>``; ``kind_of``: the kind of an item's type), or None."""
    named = re.fullmatch(rf"{RECORD}((?:(?:Int|Float|Bool|Str)s?)+)", type_)
    if named:
        words = re.findall(r"(Int|Float|Bool|Str)(s?)", named.group(1))
        return tuple_kind([word.lower() + ("[]" if plural else "") for word, plural in words])
    if not (type_.startswith("std::tuple<") and type_.endswith(">")):
        return None
    items, depth, start = [], 0, 11
    for i, ch in enumerate(type_[11:-1], 11):
        depth += 1 if ch == "<" else -1 if ch == ">" else 0
        if ch == "," and depth == 0:
            items.append(type_[start:i].strip())
            start = i + 1
    items.append(type_[start:-1].strip())
    return tuple_kind([kind_of(item) for item in items])
