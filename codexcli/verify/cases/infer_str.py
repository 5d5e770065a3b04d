"""What a function's body says of a str parameter beyond the str methods called on it
(verify/cases/infer_types.py counts these votes): ``s.find(name)`` passes a str, ``sep.join(name)``
a list of strs, ``name[:1] == '<'`` and ``name[a:b] + '...'`` slice a str, and ``isupper()`` or a
comparison with a one-character literal says the items of a sequence are characters (so the
sequence is a str: ``for ch in s: ch.isupper()``)."""

from __future__ import annotations

import ast

from codexcli.verify.cases.infer_locals import is_name

# str methods whose argument is a str (or, for join, a list of strs): the votes it casts.
STR_ARG: dict[str, dict[str, int]] = {
    **{m: {"str": 3} for m in ("find", "rfind", "startswith", "endswith", "split", "rsplit", "replace")},
    **{m: {"str": 3} for m in ("partition", "rpartition")},
    **{m: {"str": 3} for m in ("strip", "lstrip", "rstrip")},
    "join": {"seq": 3, "elem:str": 3},
}
# str methods whose arguments after the first are int bounds (``s.find(x, start, end)``)
STR_BOUNDS = {"find", "rfind", "index", "rindex", "count", "startswith", "endswith"}
CHAR_TESTS = {"isupper", "islower", "isdigit", "isalpha", "isspace", "isalnum"}  # on characters, mostly


def sliced_with_str(node: ast.AST, name: str) -> bool:
    """Whether ``node`` sets a slice of ``name`` next to a str literal (``name[:1] == '<'``,
    ``name[:i] + '...'``): ``name`` is a str."""
    if isinstance(node, ast.BinOp):
        sides = [node.left, node.right]
    elif isinstance(node, ast.Compare):
        sides = [node.left, *node.comparators]
    else:
        return False
    sliced = any(
        isinstance(s, ast.Subscript) and isinstance(s.slice, ast.Slice) and is_name(s.value, name) for s in sides
    )
    return sliced and any(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides)
