"""Small, complete functions with doctests, for trying `codex translate` (see docs/readme-translate.md).

The doctests and type hints are where codex gets the inputs it runs both versions on.
"""

from __future__ import annotations


def clamp(value: int, low: int, high: int) -> int:
    """Limit value to the range [low, high].

    >>> clamp(15, 0, 10)
    10
    >>> clamp(-3, 0, 10)
    0
    """
    return max(low, min(value, high))


def is_palindrome(text: str) -> bool:
    """Return True if text reads the same forwards and backwards, ignoring case.

    >>> is_palindrome("Level")
    True
    >>> is_palindrome("codex")
    False
    """
    lowered = text.lower()
    return lowered == lowered[::-1]


def count_vowels(text: str) -> int:
    """Count the vowels (a, e, i, o, u) in text, case-insensitively.

    >>> count_vowels("Hello World")
    3
    """
    return sum(1 for ch in text.lower() if ch in "aeiou")


def running_total(values: list[int]) -> list[int]:
    """The running sums of values.

    >>> running_total([1, 2, 3])
    [1, 3, 6]
    """
    totals = []
    total = 0
    for v in values:
        total += v
        totals.append(total)
    return totals
