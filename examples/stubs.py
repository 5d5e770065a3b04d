"""Small utilities with stub bodies, for trying `codex generate --fill`."""

from __future__ import annotations

import re

# Words that never start a title-cased phrase's later words.
SMALL_WORDS = {"a", "an", "the", "of", "and", "or"}


def add(a: int, b: int) -> int:
    """Return the sum of a and b.

    >>> add(2, 3)
    5
    """
    ...


def is_palindrome(text: str) -> bool:
    """Return True if text reads the same forwards and backwards, ignoring case.

    >>> is_palindrome("Level")
    True
    >>> is_palindrome("codex")
    False
    """
    pass


def count_vowels(text: str) -> int:
    """Count the vowels (a, e, i, o, u) in text, case-insensitively.

    >>> count_vowels("Hello World")
    3
    """
    raise NotImplementedError


class Stack:
    """A last-in, first-out stack."""

    def __init__(self) -> None:
        self._items: list[int] = []  # kept as is: not a stub

    def push(self, item: int) -> None:
        """Put item on top of the stack."""
        ...

    def size(self) -> int:
        """Return how many items are on the stack."""
        ...


def slugify(title: str) -> str:
    """Lower-case title and join its words with hyphens, dropping punctuation.

    >>> slugify("Hello, World!")
    'hello-world'
    """
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))
