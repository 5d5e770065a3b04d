"""Big files in bounded time and memory (issue 12, item 8): finding no stubs builds no tree."""

from __future__ import annotations

import ast

import libcst

from codexcli.splice import body
from codexcli.splice.body import find_stubs, may_have_stubs


def _big(n: int) -> str:
    return "".join(f"def f{i}(x):\n    '''Doc.'''\n    return x + {i}\n\n" for i in range(n))


def test_a_file_without_placeholders_is_decided_without_parsing(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("parsed a file that has no placeholder statement")

    monkeypatch.setattr(ast, "parse", boom)
    monkeypatch.setattr(body.cst, "parse_module", boom)
    assert find_stubs(_big(20000)) == []  # ~0.9 MB


def test_placeholders_outside_function_bodies_stop_at_ast(monkeypatch):
    source = _big(2000) + "class Empty:\n    pass\n\nfor i in range(3):\n    pass\n"
    monkeypatch.setattr(body.cst, "parse_module", lambda *a, **k: (_ for _ in ()).throw(AssertionError("libcst")))
    assert may_have_stubs(source) is False and find_stubs(source) == []


def test_stubs_in_a_big_file_are_still_found():
    source = _big(2000) + "def todo(x):\n    '''Later.'''\n    ...\n\nclass A:\n    def m(self): pass\n"
    assert [t.qualname for t in find_stubs(source)] == ["todo", "A.m"]
    assert libcst  # the real parser ran for this one
