"""Probe functions for issue 28's lists of lists and dicts (written for codex's tests, not taken
from any set): textbook matrix and grid code, word counts, mappings. translate_rules_only.py
--file translates them with no model, so only codex's rules can verify them."""


def transpose(m):
    h = len(m)
    w = len(m[0])
    out = [[0] * h for _ in range(w)]
    for i in range(h):
        for j in range(w):
            out[j][i] = m[i][j]
    return out


def mat_mul(a, b):
    n = len(a)
    k = len(b)
    p = len(b[0])
    out = [[0] * p for _ in range(n)]
    for i in range(n):
        for j in range(p):
            total = 0
            for t in range(k):
                total += a[i][t] * b[t][j]
            out[i][j] = total
    return out


def grid_paths(h, w):
    grid = [[1] * w for _ in range(h)]
    for i in range(1, h):
        for j in range(1, w):
            grid[i][j] = grid[i - 1][j] + grid[i][j - 1]
    return grid[h - 1][w - 1]


def row_sums(m):
    out = []
    for row in m:
        total = 0
        for x in row:
            total += x
        out.append(total)
    return out


def diagonal_sum(m):
    total = 0
    for i in range(len(m)):
        total += m[i][i]
    return total


def multiplication_table(n):
    rows = []
    for i in range(1, n + 1):
        row = []
        for j in range(1, n + 1):
            row.append(i * j)
        rows.append(row)
    return rows


def column(m, j):
    out = []
    for row in m:
        out.append(row[j])
    return out


def count_marks(grid):
    count = 0
    for row in grid:
        for cell in row:
            if cell == "#":
                count += 1
    return count


def word_counts(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


def letter_counts(text):
    counts = {}
    for ch in text:
        if ch in counts:
            counts[ch] += 1
        else:
            counts[ch] = 1
    return counts


def invert(mapping):
    out = {}
    for key, value in mapping.items():
        out[value] = key
    return out


def total_count(counts):
    total = 0
    for key in counts:
        total += counts[key]
    return total


def lookup(table, key):
    if key in table:
        return table[key]
    return -1


def squares_of(nums):
    out = {}
    for x in nums:
        out[x] = x * x
    return out


def most_common(counts):
    best = ""
    best_n = -1
    for key, n in counts.items():
        if n > best_n:
            best = key
            best_n = n
    return best


def scaled(counts, factor):
    out = {}
    for key, n in counts.items():
        out[key] = n * factor
    return out
