"""`codex translate`, line by line: codex's rules for lists that change, ``None`` defaults and
``isinstance`` on a typed parameter (hooks of tasks/translate/line_rules.py and line_plan.py).

- A list local grows and shrinks as Python's does: ``xs.append(v)``, ``xs.insert(0, v)`` and
  ``xs.pop()`` as statements (C++: ``push_back``, ``insert``, ``at`` + ``pop_back``; Java, whose
  arrays have a fixed length: a copy one longer or shorter, ``java.util.Arrays.copyOf``). Popping
  an empty list raises in all three.
- A parameter whose default is ``None`` has a nullable type (its kind ``int?``: Java ``Long``,
  C++ ``std::optional<long long>``; verify/cases/infer_types.py gives it ``optional[int]``, so the
  cases pass ``None`` too). ``x is None`` / ``x is not None`` test it; used as a value it is
  unwrapped (C++ ``x.value()``, which raises on an empty one, as Python's ``None + 1`` does; Java
  unboxes ``Long`` by itself, and ``==`` of two ``Long`` is refused: it would compare references).
- ``isinstance(v, int)`` where the signature types ``v`` as an int is true by construction: a
  typed target cannot be passed anything else. The cases that pass other types cannot be
  expressed: ``expressible.inexpressible`` finds them, and the behaviour check leaves them out and says so.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from codexcli.tasks.translate.line_syntax import LineSyntax

_TYPES = {"int": "int", "float": "float", "bool": "bool", "str": "str"}


def nullable(kind: str) -> bool:
    return kind.endswith("?")


def value_of(name: str, kind: str, syntax: LineSyntax) -> tuple[str, str]:
    """A nullable name used as a value: its unwrapped text and the kind of its value."""
    return syntax.unwrap.format(x=name), kind[:-1]


def none_test(node: ast.Compare, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str]) -> str | None:
    """``x is None`` / ``x is not None`` on a nullable name, in the target's syntax; None when
    ``node`` is not such a test (or the target has no nullable types)."""
    if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Is, ast.IsNot)) or not syntax.is_none:
        return None
    left, right = node.left, node.comparators[0]
    if isinstance(left, ast.Constant) and left.value is None:
        left, right = right, left
    if not (isinstance(right, ast.Constant) and right.value is None and isinstance(left, ast.Name)):
        return None
    if not nullable(kinds.get(left.id, "")):
        return None
    test = syntax.is_none.format(x=names.get(left.id, left.id))
    if isinstance(node.ops[0], ast.Is):
        return test
    return test[1:] if test.startswith("!") else test.replace(" == ", " != ") if " == " in test else f"!({test})"


def both_nullable(left: ast.expr, right: ast.expr, kinds: dict[str, str]) -> bool:
    """Whether both sides of a comparison are nullable names (Java compares two ``Long`` by
    reference: no rule)."""
    return all(isinstance(n, ast.Name) and nullable(kinds.get(n.id, "")) for n in (left, right))


def isinstance_test(node: ast.Call, kind_of: Callable[[ast.expr], str]) -> str | None:
    """``isinstance(v, int)`` (or a tuple of types) on a value of a known scalar kind: "true" or
    "false" as the typed value decides; None for anything else (a nullable, a list, ``bool``,
    which Python counts as an int)."""
    if not (isinstance(node.func, ast.Name) and node.func.id == "isinstance" and len(node.args) == 2):
        return None
    types = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
    wanted = [_TYPES.get(t.id) if isinstance(t, ast.Name) else None for t in types]
    if None in wanted or "bool" in wanted:
        return None
    kind = kind_of(node.args[0])
    if kind not in ("int", "float", "str"):
        return None
    return "true" if kind in wanted else "false"


def mutated(s: ast.stmt) -> str:
    """The list name a statement ``xs.append(v)``, ``xs.insert(i, v)`` or ``xs.pop()`` changes
    ("" for any other statement)."""
    call = s.value if isinstance(s, ast.Expr) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and not call.keywords):
        return ""
    counts = {"append": 1, "insert": 2, "pop": 0}
    owner = call.func.value
    if call.func.attr in counts and len(call.args) == counts[call.func.attr] and isinstance(owner, ast.Name):
        return owner.id
    return ""


def list_statement(
    call: ast.Call,
    seq_name: str,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    render: Callable[[ast.expr], Any],
) -> str:
    """codex's statement for ``xs.append(v)``, ``xs.insert(0, v)`` or ``xs.pop()`` ("" when no
    rule: another index, an element of another kind, a target that cannot write it). ``render``
    gives an expression's ``Rendered`` (line_rules.expression) or None."""
    seq_kind, seq = kinds.get(seq_name, ""), names.get(seq_name, seq_name)
    if not seq_kind.endswith("[]") or not isinstance(call.func, ast.Attribute):
        return ""
    method = call.func.attr
    if method == "pop":
        return syntax.list_pop.format(seq=seq)
    if method == "insert" and not (isinstance(call.args[0], ast.Constant) and call.args[0].value == 0):
        return ""
    item = render(call.args[-1])
    if item is None or syntax.widen(item.kind) != seq_kind[:-2]:
        return ""
    template = syntax.append if method == "append" else syntax.list_insert0
    return template.format(seq=seq, item=item.text, type=syntax.type_of(seq_kind), elem=syntax.type_of(seq_kind[:-2]))


def popped(value: ast.expr, kind: str, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str]) -> str:
    """``x = xs.pop()``: the last element read (an empty list raises: Java's index -1, C++'s
    ``at``), then the list shortened as ``xs.pop()`` alone is; ``{x}`` stands for the target.
    "" for any other value, or a target without ``list_pop``."""
    call = value if isinstance(value, ast.Call) and not value.args and not value.keywords else None
    if call is None or not isinstance(call.func, ast.Attribute) or call.func.attr != "pop":
        return ""
    owner = call.func.value
    seq_kind = kinds.get(owner.id, "") if isinstance(owner, ast.Name) else ""
    if not (seq_kind.endswith("[]") and seq_kind[:-2] == kind and syntax.list_pop and isinstance(owner, ast.Name)):
        return ""
    seq = names.get(owner.id, owner.id)
    last = syntax.index.format(seq=seq, idx=f"{syntax.length.format(seq=seq)} - 1")
    return "{x} = " + last + "; " + syntax.list_pop.format(seq=seq)
