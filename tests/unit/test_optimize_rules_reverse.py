"""The rules of tasks/optimize/rules/reverse.py (reverse-swap, reverse-build) and mapping.py
(translate, list-copy, remove-all): before/after source, the code each leaves alone, and each
rewrite run next to the original in the sandbox on the values its guard takes and on those it
leaves to the original loop, as codex checks a candidate."""

from __future__ import annotations

import pytest

from tests.unit.test_optimize_rules import rewrite
from tests.unit.test_optimize_rules_pick import _code, _same

SWAP = """
def rev(xs):
    i, j = 0, len(xs) - 1
    while i < j:
        xs[i], xs[j] = xs[j], xs[i]
        i += 1
        j -= 1
    return xs, i, j
"""
SWAP_AFTER = """
def rev(xs):
    i, j = 0, len(xs) - 1
    if type(xs) is list and type(i) is int and type(j) is int and 0 <= i < j < len(xs):
        xs[i:j + 1] = xs[i:j + 1][::-1]
        i, j = i + (j - i + 1) // 2, j - (j - i + 1) // 2
    else:
        while i < j:
            xs[i], xs[j] = xs[j], xs[i]
            i += 1
            j -= 1
    return xs, i, j
"""
PART = """
def part(xs, i, j):
    while i < j:
        xs[j], xs[i] = xs[i], xs[j]
        i, j = i + 1, j - 1
    return xs
"""
HALF = """
def rev(s):
    chars = list(s)
    for i in range(len(chars) // 2):
        j = len(chars) - i - 1
        chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)
"""
MIRROR = """
def flip(xs):
    for i in range(len(xs) // 2):
        xs[i], xs[-i - 1] = xs[-i - 1], xs[i]
"""
DOWN = """
def rev(s):
    out = ""
    for i in range(len(s) - 1, -1, -1):
        out += s[i]
    return out
"""
DOWN_AFTER = """
def rev(s):
    out = ""
    if type(s) is str and type(out) is str:
        out += s[::-1]
    else:
        for i in range(len(s) - 1, -1, -1):
            out += s[i]
    return out
"""
FRONT = """
def rev(s, out):
    for c in s:
        out = c + out
    return out
"""
BACKWARDS = """
def rev(xs):
    out = []
    for x in reversed(xs):
        out.append(x)
    return out
"""
JOIN = """
def encode(message, table):
    return "".join(table.get(ch, ch) for ch in message.upper())
"""
JOIN_AFTER = """
def encode(message, table):
    return (message.upper().translate(table2) if type(message) is str and type(table) is dict and \
set(map(type, (table2 := {ord(ch2): table[ch2] for ch2 in set(message.upper()) if ch2 in table}).values())) <= {str} \
else "".join(table.get(ch, ch) for ch in message.upper()))
"""
STRICT = """
def encode(s, table):
    out = ""
    for c in s:
        out += table[c]
    return out
"""
COPY = """
def copy(xs):
    out = []
    for x in xs:
        out.append(x)
    return out, [y for y in xs]
"""
REMOVE = """
def drop(xs, x):
    while x in xs:
        xs.remove(x)
    while 0 in xs:
        xs.remove(0)
    return len(xs)
"""


COPY_AFTER = """
def copy(xs):
    out = list(xs)
    return out, list(xs)
"""
REMOVE_AFTER = """
def drop(xs, x):
    if type(xs) is list:
        if x in xs:
            xs[:] = [item for item in xs if not (item is x or item == x)]
    else:
        while x in xs:
            xs.remove(x)
    if type(xs) is list:
        if 0 in xs:
            xs[:] = [item for item in xs if not item == 0]
    else:
        while 0 in xs:
            xs.remove(0)
    return len(xs)
"""
CAESAR = """
def caesar(s, k):
    out = ""
    for c in s:
        n = ord(c)
        if c.isupper():
            out += chr((n - 65 + k) % 26 + 65)
        elif 97 <= n <= 122:
            out += chr(219 - n)
        else:
            out += c
    return out
"""
CAESAR_AFTER = """
def caesar(s, k):
    out = ""
    if type(s) is str and type(out) is str:
        table = {}
        for c in set(s):
            piece = ''
            n = ord(c)
            if c.isupper():
                piece += chr((n - 65 + k) % 26 + 65)
            elif 97 <= n <= 122:
                piece += chr(219 - n)
            else:
                piece += c
            table[ord(c)] = piece
        out += s.translate(table)
    else:
        for c in s:
            n = ord(c)
            if c.isupper():
                out += chr((n - 65 + k) % 26 + 65)
            elif 97 <= n <= 122:
                out += chr(219 - n)
            else:
                out += c
    return out
"""
INDEXED = """
def shift(s, k):
    out = ""
    for i in range(len(s)):
        if s[i].isalpha():
            out += chr(ord(s[i]) + k)
        else:
            out += s[i]
    return out
"""
CASES = {
    "char-map": (CAESAR, CAESAR_AFTER),
    "reverse-swap": (SWAP, SWAP_AFTER),
    "reverse-build": (DOWN, DOWN_AFTER),
    "translate": (JOIN, JOIN_AFTER),
    "list-copy": (COPY, COPY_AFTER),
    "remove-all": (REMOVE, REMOVE_AFTER),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_before_after(name: str):
    before, after = CASES[name]
    assert rewrite(_code(before), name) == _code(after)


@pytest.mark.parametrize(
    ("code", "rule", "parts"),
    [
        (HALF, "reverse-swap", ["if type(chars) is list:\n        chars.reverse()\n    else:"]),
        (MIRROR, "reverse-swap", ["xs.reverse()"]),
        (PART, "reverse-swap", ["xs[i:j + 1] = xs[i:j + 1][::-1]"]),
        (FRONT, "reverse-build", ["if type(s) is str and type(out) is str:\n        out = s[::-1] + out"]),
        (BACKWARDS, "reverse-build", ["if type(xs) is list and type(out) is list:\n        out += xs[::-1]"]),
        (
            STRICT,
            "translate",
            [
                "table.keys() >= set(s) and set(map(type, (table2 := {ord(ch): table[ch] for ch in set(s)}).values())) <= {str}"
            ],
        ),
    ],
)
def test_rule_writes(code: str, rule: str, parts: list[str]):
    after = rewrite(_code(code), rule)
    assert after is not None and all(p in after for p in parts), after


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        # the steps are not one each way, or the swap is of other items.
        ("reverse-swap", SWAP.replace("j -= 1", "j -= 2")),
        ("reverse-swap", SWAP.replace("xs[j], xs[i]", "xs[i], xs[j]")),
        ("reverse-swap", SWAP.replace("while i < j", "while i <= j")),
        # the loop variable (or the helper j) is read after the loop.
        ("reverse-swap", HALF.replace('"".join(chars)', "chars, i")),
        ("reverse-swap", HALF.replace('"".join(chars)', "chars, j")),
        # the mirror is not the mirror of i.
        ("reverse-swap", MIRROR.replace("-i - 1", "-i")),
        # the loop goes up, or adds something else, or its variable is read after it.
        ("reverse-build", DOWN.replace("range(len(s) - 1, -1, -1)", "range(len(s))")),
        ("reverse-build", DOWN.replace("out += s[i]", "out += s[i] + '-'")),
        ("reverse-build", DOWN.replace("return out", "return out, i")),
        ("reverse-build", FRONT.replace("c + out", "out + c")),
        # the default is not the character, or another item is looked up.
        ("translate", JOIN.replace("table.get(ch, ch)", "table.get(ch, '')")),
        ("translate", JOIN.replace("table.get(ch, ch)", "table.get(ch.lower(), ch)")),
        ("translate", STRICT.replace("out += table[c]", "out += table[c] + c")),
        # the piece reads the str built so far, a name set in a branch or before the body sets it,
        # another str, or calls something not known to be pure.
        ("char-map", CAESAR.replace("out += c\n", "out += out[-1:]\n")),
        (
            "char-map",
            CAESAR.replace("        n = ord(c)\n", "").replace("out += c\n", "out += c\n            n = ord(c)\n"),
        ),
        ("char-map", CAESAR.replace("(n - 65 + k)", "(n - 65 + len(k))")),
        ("char-map", CAESAR.replace("out += c\n", "out += c\n        k += 1\n")),
        ("char-map", CAESAR.replace("return out", "return out, n")),
        # the body rebinds the str it maps, or reads the index other than as s[i].
        ("char-map", CAESAR.replace("        n = ord(c)\n", "        n = ord(c)\n        s = 'x'\n")),
        ("char-map", INDEXED.replace("out += s[i]\n", "out += s[i] * i\n")),
        # a numeric total, not a str.
        ("char-map", "def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total\n"),
        # the copy is filtered or mapped, or `list` is rebound in the function.
        ("list-copy", "def f(xs):\n    return [x for x in xs if x]\n"),
        ("list-copy", "def f(xs):\n    return [x + 1 for x in xs]\n"),
        ("list-copy", "def f(xs, list):\n    return [x for x in xs]\n"),
        # removing something computed each pass, or more than remove in the loop.
        ("remove-all", "def f(xs):\n    while xs[0] in xs:\n        xs.remove(xs[0])\n"),
        ("remove-all", "def f(xs, x, n):\n    while x in xs:\n        xs.remove(x)\n        n += 1\n    return n\n"),
    ],
)
def test_rule_leaves_alone(rule: str, code: str):
    assert rewrite(_code(code), rule) is None


@pytest.mark.parametrize(
    ("rule", "code", "name", "calls"),
    [
        (
            "reverse-swap",
            SWAP,
            "rev",
            [
                "([1, 2, 3, 4],)",
                "([1, 2, 3],)",
                "([],)",
                "([7],)",
                "('ab',)",
                "('a',)",
                "((1, 2),)",
                "({0: 'a', 1: 'b'},)",
            ],
        ),
        (
            "reverse-swap",
            PART,
            "part",
            ["([1, 2, 3, 4, 5], 1, 3)", "([1, 2, 3], -3, -1)", "([1, 2], 0, 5)", "([1, 2], 1.0, 0)", "([4, 5], 0, 1)"],
        ),
        ("reverse-swap", HALF, "rev", ["('hello',)", "('',)", "('ab',)", "([1, 2, 3],)"]),
        ("reverse-swap", MIRROR, "flip", ["([1, 2, 3, 4],)", "([],)", "('ab',)", "(bytearray(b'abc'),)"]),
        ("reverse-build", DOWN, "rev", ["('hello',)", "('',)", "(['ab', 'c'],)", "(5,)", "([],)"]),
        ("reverse-build", FRONT, "rev", ["('abc', 'x')", "('', '')", "('ab', [1])", "(['a', 'b'], '')", "('ab', 3)"]),
        ("reverse-build", BACKWARDS, "rev", ["([1, 2, 3],)", "('abc',)", "([],)", "((1, 2),)"]),
        (
            "translate",
            JOIN,
            "encode",
            [
                "('hello world', {'H': 'J', 'E': 'xy', 'L': ''})",
                "('abc', {})",
                "('ab', {'A': 1})",
                "('ab', {'AB': 'z', 'A': 'q'})",
                "(['a'], {'A': 'b'})",
                "('ab', [('A', 'b')])",
            ],
        ),
        (
            "translate",
            STRICT,
            "encode",
            ["('abc', {'a': 'x', 'b': 'yy', 'c': ''})", "('abd', {'a': 'x', 'b': 'y'})", "('', {})", "('a', {'a': 2})"],
        ),
        (
            "char-map",
            CAESAR,
            "caesar",
            [
                "('Hello, World xyz', 3)",
                "('', 1)",
                "('AZ', -1)",
                "(['A'], 1)",
                "('a', 1.5)",
                "('B', 1.5)",
                "('\\u00e9A', 2)",
            ],
        ),
        ("char-map", INDEXED, "shift", ["('ab c', 1)", "('', 2)", "(['a'], 1)", "('z!', -1)", "('a', 10**7)"]),
        ("list-copy", COPY, "copy", ["([1, 2, 2],)", "('ab',)", "({'k': 1},)", "(5,)", "([],)"]),
        (
            "remove-all",
            REMOVE,
            "drop",
            [
                "([1, 0, 2, 1, 1, 0], 1)",
                "([2, 3], 9)",
                "([float('nan'), 1.0, 0.0], 1)",
                "([True, 1, 1.0, 0, False], True)",
                "('abc', 'b')",
                "([[1], [2], [1]], [1])",
            ],
        ),
    ],
)
def test_rules_behave_as_the_original(rule: str, code: str, name: str, calls: list[str]):
    before = _code(code)
    after = rewrite(before, rule)
    assert after is not None and after != before
    assert _same(before, after, name, calls)
