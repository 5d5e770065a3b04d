"""libcst predicates every splicer shares (body.py, docstring.py, tests.py), so that they agree
on what they keep, replace or insert after."""

from __future__ import annotations

import libcst as cst


def is_docstring_line(stmt: cst.CSTNode) -> bool:
    """A statement line that is only a docstring: one string expression whose value is text.

    The libcst form of answers.is_docstring, line by line: bytes (``b"..."``) and f-strings are
    no docstrings (Python leaves ``__doc__`` None for them), and a line with more after the string
    (``\"\"\"doc\"\"\"; return x``) is not one either, because the splicers keep, replace or insert
    after the whole line: keeping it as "the docstring" would keep the code on it."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return False
    expr = stmt.body[0]
    if not isinstance(expr, cst.Expr) or not isinstance(expr.value, (cst.SimpleString, cst.ConcatenatedString)):
        return False
    try:
        return isinstance(expr.value.evaluated_value, str)  # None for an f-string part, bytes for b""
    except (ValueError, SyntaxError):  # pragma: no cover - libcst parsed it, so it evaluates
        return False
