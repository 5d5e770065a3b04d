"""Naive code written here (issue 28, point 4, third round) to show the min-max, find-index,
sorted-first, count-chars and char-set rules at work: not a measurement on code nobody tuned
for (docs/optimize.md)."""


def biggest(items):
    best = items[0]
    for x in items:
        if x > best:
            best = x
    return best


def longest(words):
    best = words[0]
    for w in words:
        if len(w) > len(best):
            best = w
    return best


def position(items, target):
    for i in range(len(items)):
        if items[i] == target:
            return i
    return -1


def smallest(items):
    return sorted(items)[0]


def vowel_count(text: str) -> int:
    count = 0
    for ch in text:
        if ch in "aeiouAEIOU":
            count += 1
    return count


def has_digit(text: str) -> bool:
    for ch in text:
        if ch in "0123456789":
            return True
    return False
