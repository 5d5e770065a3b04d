"""One rendered expression of line assembly (its text, kind and binding strength): apart from
line_rules.py so the rule modules it calls (line_none, line_str, line_str_args) can make one
without importing line_rules, which imports them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    """A rendered expression: its text, kind, and how tightly it binds (``prec``: Python's
    order, + - 9, * / 10, unary 11, an atom or call 12; bit operators and conditionals 0, so
    they are always bracketed: Java binds ``a & b == c`` as ``a & (b == c)``)."""

    text: str
    kind: str
    prec: int = 12

    def within(self, prec: int, right: bool = False) -> str:
        """The text as an operand of an operator binding ``prec`` (bracketed when it binds
        less tightly, or as tightly on the right: ``a - (b - c)``)."""
        return f"({self.text})" if self.prec < prec or (right and self.prec == prec) else self.text
