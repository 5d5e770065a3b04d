"""Naive, untyped functions of the kind real projects have (no hints, doctests or tests), for
`codex optimize` with the embedded model (benchmarks/bench_small_model.py --tasks optimize).
Quadratic duplicate checks, list membership in a loop, string building in a loop, manual
max/count loops. None of them is in examples/ or in the optimize prompt's worked examples.
"""


def has_dupes(items):
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i] == items[j]:
                return True
    return False


def join_words(words):
    out = ""
    for w in words:
        out += w + " "
    return out.strip()


def missing_ids(wanted, present):
    result = []
    for x in wanted:
        if x not in present:
            result.append(x)
    return result


def first_repeat(seq):
    seen = []
    for x in seq:
        if x in seen:
            return x
        seen.append(x)
    return None


def largest(numbers):
    best = numbers[0]
    for n in numbers:
        if n > best:
            best = n
    return best


def count_vowels(text):
    count = 0
    for ch in text:
        if ch in ["a", "e", "i", "o", "u"]:
            count = count + 1
    return count


def reverse_text(s):
    out = ""
    for ch in s:
        out = ch + out
    return out


def count_matches(items, target):
    n = 0
    for x in items:
        if x == target:
            n += 1
    return n


def unique_count(items):
    seen = []
    for x in items:
        if x not in seen:
            seen.append(x)
    return len(seen)
