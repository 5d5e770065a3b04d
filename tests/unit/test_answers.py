"""Answer parsing: fenced, unfenced, full function vs body, garbage."""

from __future__ import annotations

import ast

import pytest

from codexcli.answers import (
    FunctionBody,
    ParseError,
    code_blocks,
    extract_code,
    extract_function_body,
    is_docstring,
)
from tests.conftest import dedent


def test_code_blocks_closed_unclosed_and_tagged():
    text = "Here:\n```python\nx = 1\n```\nand\n~~~\ny = 2\n~~~\n```js\nlet z\n"
    blocks = code_blocks(text)
    assert [(b.lang, b.code, b.closed) for b in blocks] == [
        ("python", "x = 1", True),
        ("", "y = 2", True),
        ("js", "let z", False),
    ]


def test_extract_code_prefers_a_block_that_defines_something():
    text = "```python\nprint('usage')\n```\n```python\ndef f():\n    return 1\n```"
    assert extract_code(text) == "def f():\n    return 1\n"


def test_extract_code_unfenced_answer_with_leading_prose():
    text = "Sure, here is the function\ndef f(x):\n    return x + 1\n"
    assert extract_code(text) == "def f(x):\n    return x + 1\n"


def test_extract_code_repairs_a_truncated_answer():
    text = "```python\ndef f(x):\n    return x\n\ndef g(y):\n    return (y +\n"
    assert extract_code(text) == "def f(x):\n    return x\n"


def test_extract_code_garbage_is_a_parse_error():
    result = extract_code("```python\n)(*&^ %$ def def def\n```")
    assert isinstance(result, ParseError)
    assert "does not parse" in result.reason


def test_extract_code_empty_answer():
    assert isinstance(extract_code("   "), ParseError)


def test_extract_code_other_language_returned_as_found():
    assert extract_code("```js\nconst a = 1;\n```", "javascript") == "const a = 1;\n"


PARAMS = ("a", "b")


def test_full_function_is_reduced_to_its_body_without_docstring():
    answer = dedent('''
        ```python
        def add(a, b):
            """Docstring the model repeated."""
            # add them
            return a + b
        ```
    ''')
    body = extract_function_body(answer, "add", PARAMS)
    assert body == FunctionBody("# add them\nreturn a + b\n")


def test_bare_body_with_return_is_accepted():
    body = extract_function_body("```python\n    return a + b\n```", "add", PARAMS)
    assert isinstance(body, FunctionBody)
    assert body.code == "return a + b\n"


def test_changed_signature_is_rejected():
    body = extract_function_body("def add(x, y):\n    return x + y\n", "add", PARAMS)
    assert isinstance(body, ParseError)
    assert "changes the signature" in body.reason and "(a, b) became (x, y)" in body.reason


def test_answer_defining_something_else_is_rejected():
    body = extract_function_body("def helper(a, b):\n    return 1\n", "add", PARAMS)
    assert isinstance(body, ParseError)
    assert "defines helper but not add" in body.reason


def test_stub_answer_is_rejected():
    body = extract_function_body("def add(a, b):\n    pass\n", "add", PARAMS)
    assert isinstance(body, ParseError)
    assert "still a stub" in body.reason


def test_empty_answer_is_rejected():
    assert isinstance(extract_function_body("", "add", PARAMS), ParseError)


def test_garbage_is_rejected_with_a_reason():
    body = extract_function_body("```python\nreturn ((( a b\n```", "add", PARAMS)
    assert isinstance(body, ParseError)
    assert body.reason


def test_imports_above_the_function_move_into_the_body():
    answer = "import math\n\ndef add(a, b):\n    return math.fsum([a, b])\n"
    body = extract_function_body(answer, "add", PARAMS)
    assert isinstance(body, FunctionBody)
    assert body.code == "import math\nreturn math.fsum([a, b])\n"


def test_await_needs_an_async_function():
    answer = "    return await a\n"
    assert isinstance(extract_function_body(answer, "add", PARAMS, is_async=False), ParseError)
    assert isinstance(extract_function_body(answer, "add", PARAMS, is_async=True), FunctionBody)


def test_method_inside_an_echoed_class_is_found():
    answer = dedent("""
        class Stack:
            def push(self, item):
                self.items.append(item)
    """)
    body = extract_function_body(answer, "push", ("self", "item"))
    assert body == FunctionBody("self.items.append(item)\n")


def test_second_block_used_when_first_is_wrong():
    answer = "```python\ndef other():\n    return 0\n```\n```python\ndef add(a, b):\n    return b + a\n```"
    assert extract_function_body(answer, "add", PARAMS) == FunctionBody("return b + a\n")


def test_keyword_only_and_positional_only_signatures():
    answer = "def f(a, /, b, *, c, **kw):\n    return a\n"
    assert isinstance(extract_function_body(answer, "f", ("a", "/", "b", "*", "c", "**kw")), FunctionBody)
    assert isinstance(extract_function_body(answer, "f", ("a", "b", "*", "c", "**kw")), ParseError)


@pytest.mark.parametrize(
    "statement, expected",
    [
        ('"""Docs."""', True),
        ("'single'", True),
        ('"a" "b"', True),
        ('f"not {x}"', False),
        ("b'bytes'", False),
        ("1", False),
        ("x = 'a'", False),
        ("pass", False),
    ],
)
def test_is_docstring(statement, expected):
    assert is_docstring(ast.parse(statement).body[0]) is expected
