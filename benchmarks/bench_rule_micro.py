"""Micro timing of the reversal and mapping rules (issue 28): each rule's own rewrite of a small
naive function (made by ``apply_rules``, guards and all), timed against the original at n=1000
with ``timeit`` (best of 7 repeats), the results checked equal first. Functions that change
their argument get a fresh copy per call in both versions (the copy is timed in both).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_rule_micro.py [--n 1000]

Not the pipeline's timing (that is tasks/optimize/timing.py, on the function's inferred inputs):
this shows what each rewrite is worth where its pattern runs, before any run on real code.
"""

from __future__ import annotations

import argparse
import random
import string
import timeit
from textwrap import dedent
from typing import Any, Callable

from codexcli.tasks.optimize.rules import apply_rules

SOURCES: dict[str, tuple[str, str]] = {
    "reverse-swap": (
        "rev",
        """
        def rev(xs):
            i, j = 0, len(xs) - 1
            while i < j:
                xs[i], xs[j] = xs[j], xs[i]
                i += 1
                j -= 1
            return xs
        """,
    ),
    "reverse-swap (half range)": (
        "rev",
        """
        def rev(s):
            chars = list(s)
            for i in range(len(chars) // 2):
                j = len(chars) - i - 1
                chars[i], chars[j] = chars[j], chars[i]
            return "".join(chars)
        """,
    ),
    "reverse-build": (
        "rev",
        """
        def rev(s):
            out = ""
            for i in range(len(s) - 1, -1, -1):
                out += s[i]
            return out
        """,
    ),
    "reverse-build (prepend)": (
        "rev",
        """
        def rev(s):
            out = ""
            for c in s:
                out = c + out
            return out
        """,
    ),
    "translate": (
        "encode",
        """
        def encode(message, table):
            return "".join(table.get(ch, ch) for ch in message.upper())
        """,
    ),
    "translate (loop, table[c])": (
        "encode",
        """
        def encode(message, table):
            out = ""
            for ch in message:
                out += table[ch]
            return out
        """,
    ),
    "char-map": (
        "caesar",
        """
        def caesar(s, k):
            out = ""
            for c in s:
                n = ord(c)
                if 65 <= n <= 90:
                    out += chr((n - 65 + k) % 26 + 65)
                elif 97 <= n <= 122:
                    out += chr((n - 97 + k) % 26 + 97)
                else:
                    out += c
            return out
        """,
    ),
    "char-map (index loop)": (
        "shift",
        """
        def shift(s, k):
            out = ""
            for i in range(len(s)):
                if s[i].isalpha():
                    out += chr(ord(s[i]) + k)
                else:
                    out += s[i]
            return out
        """,
    ),
    "list-copy": (
        "copy",
        """
        def copy(xs):
            out = []
            for x in xs:
                out.append(x)
            return out
        """,
    ),
    "remove-all": (
        "drop",
        """
        def drop(xs, x):
            while x in xs:
                xs.remove(x)
            return xs
        """,
    ),
}


# Rewrites measured and not made into rules: (label, function name, the loop, the rewrite, the input).
DROPPED: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "palindrome, not one",
        "pal",
        "def pal(s):\n    i, j = 0, len(s) - 1\n    while i < j:\n        if s[i] != s[j]:\n            return False\n"
        "        i += 1\n        j -= 1\n    return True\n",
        "def pal(s):\n    return s == s[::-1]\n",
        "text",
    ),
    (
        "map(str, xs)",
        "f",
        "def f(xs):\n    return [str(x) for x in xs]\n",
        "def f(xs):\n    return list(map(str, xs))\n",
        "ints",
    ),
    (
        "filter(str.isalpha, s)",
        "f",
        "def f(s):\n    return ''.join([c for c in s if c.isalpha()])\n",
        "def f(s):\n    return ''.join(filter(str.isalpha, s))\n",
        "text",
    ),
)


def _inputs(n: int) -> dict[str, Callable[[], tuple[Any, ...]]]:
    rng = random.Random(28)
    text = "".join(rng.choice(string.ascii_letters + " ") for _ in range(n))
    upper = text.upper().replace(" ", "A")
    table = {c: string.ascii_uppercase[(7 * k) % 26] for k, c in enumerate(string.ascii_uppercase)}
    ints = [rng.randrange(10) for _ in range(n)]
    return {
        "reverse-swap": lambda: (list(ints),),
        "reverse-swap (half range)": lambda: (text,),
        "reverse-build": lambda: (text,),
        "reverse-build (prepend)": lambda: (text,),
        "translate": lambda: (text, table),
        "translate (loop, table[c])": lambda: (upper, table),
        "char-map": lambda: (text, 3),
        "char-map (index loop)": lambda: (text, 1),
        "list-copy": lambda: (ints,),
        "remove-all": lambda: (list(ints), 3),
    }


def _load(code: str, name: str) -> Callable[..., Any]:
    space: dict[str, Any] = {}
    exec(compile(code, f"<{name}>", "exec"), space)  # noqa: S102 - code written here and by the rules
    return space[name]  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    n = parser.parse_args().n
    inputs = _inputs(n)
    for label, (name, source) in SOURCES.items():
        before = dedent(source).lstrip("\n")
        rule = label.split(" ")[0]
        after = next(r.code for r in apply_rules(before, only=(rule,)) if r.rule == rule)
        old, new, args = _load(before, name), _load(after, name), inputs[label]
        assert old(*args()) == new(*args()), label
        t_old = min(timeit.repeat(lambda: old(*args()), number=100, repeat=7)) / 100
        t_new = min(timeit.repeat(lambda: new(*args()), number=100, repeat=7)) / 100
        print(f"{label:28} n={n}  loop {t_old * 1e6:8.1f} us  rewrite {t_new * 1e6:7.1f} us  {t_old / t_new:6.2f}x")
    values = {"text": inputs["reverse-build"](), "ints": inputs["list-copy"]()}
    for label, name, loop, fast, arg in DROPPED:
        old, new = _load(loop, name), _load(fast, name)
        assert old(*values[arg]) == new(*values[arg]), label
        t_old = min(timeit.repeat(lambda: old(*values[arg]), number=100, repeat=7)) / 100
        t_new = min(timeit.repeat(lambda: new(*values[arg]), number=100, repeat=7)) / 100
        print(
            f"(no rule) {label:18} n={n}  loop {t_old * 1e6:8.1f} us  rewrite {t_new * 1e6:7.1f} us  {t_old / t_new:6.2f}x"
        )


if __name__ == "__main__":
    main()
