"""The one libcst docstring predicate the splicers share, and what it changed where the two copies
it replaces disagreed (body.py took only a lone string, docstring.py any line starting with one;
both took bytes and f-string concatenations for docstrings)."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from codexcli.answers import is_docstring
from codexcli.splice.body import Spliced, replace_bodies
from codexcli.splice.docstring import insert_docstrings
from codexcli.splice.nodes import is_docstring_line
from codexcli.splice.tests import Merged, merge_tests


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('"""Doc."""', True),
        ("'single'", True),
        ('"a" "b"', True),
        ('("parenthesized")', True),
        ('r"raw text"', True),
        ('b"bytes"', False),
        ('f"{x}"', False),
        ('"a" f"{x}"', False),
        ("x = 'a'", False),
        ("...", False),
        ('"""Doc."""; x = 1', False),  # the line holds code too: not "the docstring line"
    ],
)
def test_is_docstring_line(line, expected):
    stmt = cst.parse_module(line + "\n").body[0]
    assert is_docstring_line(stmt) is expected


@pytest.mark.parametrize("line", ['"""Doc."""', '"a" "b"', 'b"bytes"', 'f"{x}"', '"a" f"{x}"', "x = 'a'"])
def test_agrees_with_the_ast_check_on_a_one_statement_line(line):
    assert is_docstring_line(cst.parse_module(line + "\n").body[0]) is is_docstring(ast.parse(line).body[0])


def test_a_bytes_first_statement_is_not_replaced_as_a_docstring():
    source = 'def f(x):\n    b"raw"\n    return x\n'
    # Before: docstring.py replaced b"raw" (then refused its own edit: "a line outside the
    # docstrings changed"); after: the docstring goes above it, as Python would read it.
    assert insert_docstrings(source, {1: "New."}) == Spliced('def f(x):\n    """New."""\n    b"raw"\n    return x\n')
    # Before: body.py kept b"raw" as the docstring of the new body; after: it is old code, replaced.
    assert replace_bodies(source, {0: "return x * 2\n"}) == Spliced("def f(x):\n    return x * 2\n")


def test_an_f_string_concatenation_is_no_docstring_either():
    source = 'def f(x):\n    "a" f"{x}"\n    return x\n'
    assert insert_docstrings(source, {1: "New."}) == Spliced(
        'def f(x):\n    """New."""\n    "a" f"{x}"\n    return x\n'
    )
    assert replace_bodies(source, {0: "return x * 2\n"}) == Spliced("def f(x):\n    return x * 2\n")


def test_a_docstring_sharing_its_line_with_code_is_left_alone():
    # Where the copies disagreed: docstring.py (len >= 1) rewrote the string in place, body.py
    # (len == 1) did not count it. The one predicate takes body.py's side, since its callers keep
    # or replace whole lines: a replaced body keeps no `return x + 1` from the old one, and the
    # docstring splice refuses (the file unchanged, the reason given) rather than guess.
    source = 'def f(x):\n    """Old."""; return x + 1\n'
    assert replace_bodies(source, {0: "return x * 2\n"}) == Spliced("def f(x):\n    return x * 2\n")
    failed = insert_docstrings(source, {1: "New."})
    assert not isinstance(failed, Spliced)


def test_new_imports_go_after_the_module_docstring_line_only():
    merged = merge_tests('"""Tests."""\nimport os\n', [("test_b", "def test_b():\n    assert sys\n")], ["import sys"])
    assert isinstance(merged, Merged)
    assert merged.text.startswith('"""Tests."""\nimport os\nimport sys\n')
