"""Codex-S / Codex-D pair extraction: exact slices of the source, stable ids."""

from __future__ import annotations

import json

from codexcli.data.pairs import extract_pairs

SOURCE = '''import math


def area(r: float) -> float:
    """Area of a circle.

    Args:
        r: the radius.
    """
    return math.pi * r * r


class Shape:
    @staticmethod
    def scale(x, k=2):
        """Scale x by k."""
        y = x * k
        return y

    def stub(self):
        """Not written yet."""
        ...


def undocumented(a):
    return a
'''


def test_s_and_d_pairs_are_exact_slices_of_the_function():
    pairs = extract_pairs(SOURCE, "pkg/geo.py")
    assert [(p.kind, p.qualname) for p in pairs] == [
        ("S", "area"),
        ("D", "area"),
        ("S", "Shape.scale"),
        ("D", "Shape.scale"),
    ]
    s, d = pairs[0], pairs[1]
    assert s.prompt.startswith("def area(r: float) -> float:\n") and s.prompt.rstrip().endswith('"""')
    assert s.completion == "    return math.pi * r * r\n"
    assert d.prompt == "def area(r: float) -> float:\n    return math.pi * r * r\n"
    assert d.completion == "Area of a circle.\n\nArgs:\n    r: the radius."
    # A method is dedented to column 0 with its decorator; prompt + completion is the function.
    scale = pairs[2]
    assert scale.prompt.startswith("@staticmethod\ndef scale(x, k=2):\n")
    assert scale.prompt + scale.completion == (
        '@staticmethod\ndef scale(x, k=2):\n    """Scale x by k."""\n    y = x * k\n    return y\n'
    )
    assert scale.line == 14


def test_ids_are_stable_and_distinct():
    first = extract_pairs(SOURCE, "pkg/geo.py", license="MIT")
    again = extract_pairs(SOURCE, "pkg/geo.py", license="MIT")
    assert [p.id for p in first] == [p.id for p in again]
    assert len({p.id for p in first}) == len(first)
    assert {p.id for p in extract_pairs(SOURCE, "other.py")}.isdisjoint(p.id for p in first)
    row = json.loads(first[0].to_json())
    assert row["license"] == "MIT" and row["kind"] == "S" and row["path"] == "pkg/geo.py"


def test_nothing_from_unparsable_or_one_line_layouts():
    assert extract_pairs("def f(:\n", "x.py") == []
    assert extract_pairs('def f(): "doc"; return 1\n', "x.py") == []
    assert extract_pairs('def f():\n    """doc"""; return 1\n', "x.py") == []
    assert extract_pairs('def f():\n    """doc"""\n    pass\n', "x.py") == []


def test_string_continuation_lines_at_column_zero_are_kept():
    src = 'class A:\n    def f(self):\n        """Doc."""\n        return """a\nb"""\n'
    (s, d) = extract_pairs(src, "x.py")
    assert s.completion == '    return """a\nb"""\n'
    assert s.qualname == "A.f"
