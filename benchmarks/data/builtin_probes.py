"""Probe functions for issue 28's builtins and comprehensions (written for codex's tests, not
taken from any set): small helpers that lean on sorted, min/max, sum, any/all, enumerate, zip,
comprehensions and the conversions. translate_rules_only.py --file translates them with no
model, so only codex's rules can verify them."""


def top_k_lengths(words, k):
    ranked = sorted(words, key=len, reverse=True)
    return ranked[:k]


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n % 2 == 1:
        return float(s[n // 2])
    return (s[n // 2 - 1] + s[n // 2]) / 2


def dedupe(xs):
    seen = []
    for x in xs:
        if x not in seen:
            seen.append(x)
    return seen


def running_max(xs):
    out = []
    best = xs[0]
    for x in xs:
        best = max(best, x)
        out.append(best)
    return out


def first_over(xs, limit):
    for i, x in enumerate(xs):
        if x > limit:
            return i
    return -1


def count_long_words(text, n):
    return len([w for w in text.split() if len(w) > n])


def sum_even_squares(xs):
    return sum(x * x for x in xs if x % 2 == 0)


def pairwise_diffs(xs):
    out = []
    for a, b in zip(xs, xs[1:]):
        out.append(b - a)
    return out


def reverse_words(text):
    words = text.split()
    return " ".join(reversed(words))


def spread(xs):
    return max(xs) - min(xs)


def all_digits(s):
    return all(c.isdigit() for c in s)


def has_negative(xs):
    return any(x < 0 for x in xs)


def squares_upto(n):
    return [i * i for i in range(n)]


def parse_total(s):
    total = 0
    for part in s.split(","):
        total += int(part)
    return total


def digit_sum(n):
    return sum(int(c) for c in str(n))


def position_of(xs, v):
    return xs.index(v)


def largest_of_three(a, b, c):
    return max(a, b, c)


def caesar(s, k):
    out = ""
    for c in s:
        out += chr((ord(c) - 97 + k) % 26 + 97)
    return out


def countdown_sum(xs):
    total = 0
    for i in range(len(xs) - 1, -1, -1):
        total = total * 2 + xs[i]
    return total


def sorted_desc(xs):
    ys = list(xs)
    ys.sort(reverse=True)
    return ys
