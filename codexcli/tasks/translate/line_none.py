"""`codex translate`, line by line: functions that return ``None`` on some paths and locals that
hold ``None`` at times (hooks of tasks/translate/line_plan.py and line_rules.py).

The original's runs give the kinds (kinds.observed_kind): a function that returned ``3`` and
``None`` returns ``int?`` (Java ``Long``, C++ ``std::optional<long long>``, Rust
``Option<i64>``; a Java ``String`` holds ``null`` as it is), a local that held a str and
``None`` is a ``str?``. Then ``return None``, a bare ``return`` and falling off the end return
the target's none (``null``, ``std::nullopt``, ``None``), a value returned or assigned is
wrapped (Java boxes no int literal into a ``Long``: it is cast to ``long`` first; Rust
``Some(...)``), ``x = None`` assigns none, and ``x`` or ``not x`` as a test is Python's truth
(``None`` is false) rather than the unwrapped value's, which would raise. ``x is None`` is
line_lists.py's. The harnesses print none as JSON ``null`` and compare it with Python's ``None``.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable

from codexcli.tasks.translate.line_lists import none_test

if TYPE_CHECKING:
    from codexcli.tasks.translate.line_syntax import LineSyntax
    from codexcli.tasks.translate.rendered import Rendered


def is_none(node: ast.expr | None) -> bool:
    """Whether ``node`` is absent (a bare ``return``) or the constant ``None``."""
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def holds_none(kind: str, syntax: LineSyntax) -> bool:
    """Whether a value of ``kind`` can be none in the target (``int?``; Java's ``String``)."""
    if kind.endswith("?"):
        return kind[:-1] in syntax.nullable
    return kind in syntax.nullable and syntax.nullable[kind] == syntax.type_of(kind)


def none_return(returns: str, syntax: LineSyntax) -> str:
    """``return None`` in a function returning ``returns``: the target's statement, or "" when
    that type cannot be none (then Python's ``None`` has no translation: not laid out)."""
    return f"return {syntax.none};" if holds_none(returns, syntax) and syntax.none else ""


def some(text: str, kind: str, syntax: LineSyntax) -> str:
    """A value of ``kind[:-1]`` stored in a nullable of ``kind`` (``int?``): cast to the
    wrapped type (Java boxes ``0`` into no ``Long``, ``(long) (0)`` it does), then wrapped
    (Rust ``Some(...)``); ``text`` as it is for a kind that is not nullable."""
    if not kind.endswith("?"):
        return text
    cast = {"int": syntax.to_int, "float": syntax.to_float}.get(kind[:-1], "{x}")
    return syntax.some.format(x=cast.format(x=text))


def nullable_name(node: ast.expr, kinds: dict[str, str]) -> str:
    """The name ``node`` is when it names a nullable local or parameter, else ""."""
    return node.id if isinstance(node, ast.Name) and kinds.get(node.id, "").endswith("?") else ""


def truth(
    node: ast.expr,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    value_truth: Callable[[Rendered], str],
) -> str | None:
    """``x`` as a test where ``x`` is nullable: not none, and its value true by Python's rules
    (``value_truth``: line_str.truth); None when ``node`` is no such name."""
    from codexcli.tasks.translate.rendered import Rendered

    name = nullable_name(node, kinds)
    if not name or not syntax.is_none:
        return None
    spelled = names.get(name, name)
    value = Rendered(syntax.unwrap.format(x=spelled), kinds[name][:-1])
    return f"{_present(syntax, spelled)} && ({value_truth(value)})"


def compare(
    node: ast.Compare,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    render: Callable[[ast.expr, dict[str, str], dict[str, str]], Rendered],
) -> tuple[str, str, int] | None:
    """``x is None`` (line_lists.none_test) or ``x == v`` / ``x != v`` (``equality``) on a
    nullable ``x``: the text, kind and precedence of line_rules.Rendered; None for any other."""
    if (none := none_test(node, kinds, syntax, names)) is not None:
        return none, "bool", 4
    found = equality(node, kinds, syntax, names, render)
    return None if found is None else (found, "bool", 1)


def equality(
    node: ast.Compare,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    render: Callable[[ast.expr, dict[str, str], dict[str, str]], Rendered],
) -> str | None:
    """``x == v`` / ``x != v`` with ``x`` nullable and ``v`` not: Python compares ``None`` with
    anything (unequal), so none is tested first and the value compared only when present
    (``render``: the comparison with ``x`` unwrapped); None for any other comparison."""
    if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)) or not syntax.is_none:
        return None
    sides = [node.left, node.comparators[0]]
    nullable = [nullable_name(s, kinds) for s in sides]
    if sum(1 for n in nullable if n) != 1 or any(is_none(s) for s in sides):
        return None
    name = nullable[0] or nullable[1]
    spelled = names.get(name, name)
    plain = ast.Name("codex_present", ast.Load())
    swapped = [plain if n else s for s, n in zip(sides, nullable)]
    inner = render(
        ast.Compare(swapped[0], node.ops, [swapped[1]]),
        {**kinds, "codex_present": kinds[name][:-1]},
        {**names, "codex_present": syntax.unwrap.format(x=spelled)},
    )
    if isinstance(node.ops[0], ast.NotEq):
        return f"{syntax.is_none.format(x=spelled)} || {inner.within(2)}"
    return f"{_present(syntax, spelled)} && {inner.within(3)}"


def _present(syntax: LineSyntax, spelled: str) -> str:
    """``x is not None`` in the target (``x != null``, ``x.has_value()``, ``!(x.is_none())``)."""
    test = syntax.is_none.format(x=spelled)
    return test[1:] if test.startswith("!") else test.replace(" == ", " != ") if " == " in test else f"!({test})"


def as_is(node: ast.expr, kind: str, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str]) -> str:
    """A nullable name returned or assigned where a nullable of its own kind is wanted (``return
    found``): the name itself, not unwrapped (a clone where the target moves it: Rust); ""
    for anything else."""
    name = nullable_name(node, kinds)
    if not name or kinds[name] != kind:
        return ""
    return names.get(name, name) + (".clone()" if syntax.some != "{x}" else "")
