"""What a function's body says of a str parameter beyond the str methods called on it
(verify/cases/infer_types.py counts these votes): ``s.find(name)`` passes a str, ``sep.join(name)``
a list of strs, ``name[:1] == '<'`` and ``name[a:b] + '...'`` slice a str, and ``isupper()`` or a
comparison with a one-character literal says the items of a sequence are characters (so the
sequence is a str: ``for ch in s: ch.isupper()``), a regex searches a str (``_PAT.sub(f, name)``,
``re.match(p, name)``) and ``'&' in name`` looks for a str in one."""

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


# regex methods (of a compiled pattern) and the position of the str they search
REGEX_SUBJECT = {"sub": 1, "subn": 1, "match": 0, "fullmatch": 0, "search": 0, "findall": 0, "finditer": 0}


def regex_subject(node: ast.Call, name: str) -> bool:
    """Whether ``node`` runs a regex over ``name``: ``_PAT.sub(f, name)``, ``_PAT.match(name)``, or
    the ``re`` module's function of the same name (``re.sub(p, f, name)``: one position later; the
    pattern ``p`` is a str too)."""
    if not isinstance(node.func, ast.Attribute) or node.func.attr not in REGEX_SUBJECT:
        return False
    module = is_name(node.func.value, "re")
    positions = (0, REGEX_SUBJECT[node.func.attr] + 1) if module else (REGEX_SUBJECT[node.func.attr],)
    return any(p < len(node.args) and is_name(node.args[p], name) for p in positions)


def str_sought_in(node: ast.Compare, name: str) -> int:
    """The weight of ``'&' in name`` / ``'ab' not in name`` as a vote for a str ``name`` (0: no
    such test): a literal of several characters is a substring test, which only a str does; one
    character could also be an item of a list, so it counts less."""
    sides = [node.left, *node.comparators]
    weight = 0
    for k, op in enumerate(node.ops):
        sought = sides[k]
        if isinstance(op, (ast.In, ast.NotIn)) and is_name(sides[k + 1], name):
            if isinstance(sought, ast.Constant) and isinstance(sought.value, str):
                weight = max(weight, 3 if len(sought.value) > 1 else 2)
    return weight
