"""Naive code written here (issue 28, second round) to show the deque, prepend-reverse and
contains rules at work: not a measurement on code nobody tuned for (docs/optimize.md)."""


def reverse_items(items):
    out = []
    for x in items:
        out.insert(0, x)
    return out


def drain(items):
    queue = list(items)
    total = 0
    while queue:
        total += queue.pop(0)
    return total


def has_item(items, target):
    for x in items:
        if x == target:
            return True
    return False
