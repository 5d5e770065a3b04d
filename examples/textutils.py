"""Small, finished text helpers, for trying `codex testgen`."""

from __future__ import annotations


def clamp(value: int, low: int, high: int) -> int:
    """Return value limited to the range low..high.

    >>> clamp(15, 0, 10)
    10
    """
    if value < low:
        return low
    if value > high:
        return high
    return value


def is_palindrome(text: str) -> bool:
    """Return True if text reads the same forwards and backwards, ignoring case and spaces.

    >>> is_palindrome("Never odd or even")
    True
    """
    letters = text.replace(" ", "").lower()
    return letters == letters[::-1]


def count_vowels(text: str) -> int:
    """Count the vowels (a, e, i, o, u) in text, case-insensitively.

    >>> count_vowels("Hello World")
    3
    """
    return sum(1 for ch in text.lower() if ch in "aeiou")


def initials(name: str) -> str:
    """Return the upper-case initials of the words in name.

    >>> initials("ada lovelace")
    'AL'
    """
    return "".join(word[0].upper() for word in name.split())
