"""Small functions written the slow way, for trying `codex optimize`."""

from __future__ import annotations


def has_duplicates(items: list[int]) -> bool:
    """Return True if some value occurs twice in items.

    >>> has_duplicates([1, 2, 3, 2])
    True
    >>> has_duplicates([1, 2, 3])
    False
    """
    # Compare every pair: simple, but quadratic.
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i] == items[j]:
                return True
    return False


def common_items(a: list[int], b: list[int]) -> list[int]:
    """Items of a that also occur in b, in a's order.

    >>> common_items([1, 2, 3, 4], [4, 2])
    [2, 4]
    """
    result = []
    for x in a:
        if x in b:
            result.append(x)
    return result


def count_words(text: str) -> dict[str, int]:
    """How often each whitespace-separated word occurs in text.

    >>> count_words("a b a")
    {'a': 2, 'b': 1}
    """
    counts = {}
    for word in text.split():
        if word in counts:
            counts[word] = counts[word] + 1
        else:
            counts[word] = 1
    return counts


def log_total(values: list[int]) -> int:
    """Print and return the sum of values (a side effect: codex skips it)."""
    total = sum(values)
    print("total:", total)
    return total
