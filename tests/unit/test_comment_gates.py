"""Quality gates and styles of generated docstrings (pure functions)."""

from __future__ import annotations

import pytest

from codexcli.answers import ParseError
from codexcli.splice.docstring import find_targets
from codexcli.tasks.comment.docstyle import (
    STYLES,
    check_docstring,
    clean_answer,
    detect_style,
    example_answer,
    example_target,
    template,
)

SRC = """
def add(a, b):
    return a + b

def log(message, *args, level=1, **kw):
    print(message)

class Box:
    def put(self, item):
        self.item = item

    @classmethod
    def make(cls):
        return cls()

def count(n):
    yield from range(n)
"""
T = {t.qualname: t for t in find_targets(SRC)}


def ok(doc: str, name: str, style: str = "google") -> None:
    assert check_docstring(doc, T[name], style) == doc


def bad(doc: str, name: str, style: str = "google") -> str:
    result = check_docstring(doc, T[name], style)
    assert isinstance(result, ParseError), f"accepted: {doc!r}"
    return result.reason


GOOGLE_ADD = "Add two numbers.\n\nArgs:\n    a: The first.\n    b (int): The second.\n\nReturns:\n    The sum."
NUMPY_ADD = "Add two numbers.\n\nParameters\n----------\na : int\n    The first.\nb : int\n    The second.\n\nReturns\n-------\nint\n    The sum."
REST_ADD = "Add two numbers.\n\n:param a: The first.\n:param int b: The second.\n:returns: The sum."


def test_each_style_accepts_a_correct_docstring() -> None:
    ok(GOOGLE_ADD, "add", "google")
    ok(NUMPY_ADD, "add", "numpy")
    ok(REST_ADD, "add", "rest")
    ok("Add two numbers and give back the total.", "add", "plain")


def test_empty_is_rejected() -> None:
    assert "empty" in bad("", "add")


def test_code_echo_is_rejected() -> None:
    assert "signature" in bad("def add(a, b):", "add")
    assert "signature" in bad("add(a, b)", "add")
    assert "code" in bad("return a + b\nx = a\nimport os", "add", "plain")
    assert "code block" in bad("Add.\n\n```python\nadd(1, 2)\n```", "add", "plain")


def test_placeholders_and_instruction_echo_are_rejected() -> None:
    assert "placeholders" in bad("Add two numbers.\n\nArgs:\n    a: <what a is>\n    b: The second.", "add")
    assert "instructions" in bad("Add two numbers. Answer with only the docstring text.", "add", "plain")


def test_summary_needs_words_and_length_limits() -> None:
    assert "two words" in bad("Adds.", "add", "plain")
    assert "characters" in bad("Add " + "very " * 40 + "much.", "add", "plain")
    assert "too long" in bad("Add two numbers.\n\n" + "More words here.\n" * 45, "add", "plain")


def test_invented_parameter_is_rejected() -> None:
    reason = bad("Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n    c: Invented.", "add")
    assert "c" in reason and "does not have" in reason


def test_missing_parameter_is_rejected_in_every_structured_style() -> None:
    assert "missing: b" in bad("Add two numbers.\n\nArgs:\n    a: The first.", "add", "google")
    assert "missing: b" in bad("Add two numbers.\n\nParameters\n----------\na : int\n    The first.", "add", "numpy")
    assert "missing: b" in bad("Add two numbers.\n\n:param a: The first.", "add", "rest")
    assert "missing: a, b" in bad("Add two numbers together.", "add", "google")


def test_star_params_and_keyword_only_must_all_be_named() -> None:
    good = "Log a message.\n\nArgs:\n    message: Text.\n    *args: Values.\n    level: How loud.\n    **kw: Extras."
    ok(good, "log")
    assert "missing: kw" in bad(
        "Log a message.\n\nArgs:\n    message: Text.\n    *args: Values.\n    level: How loud.", "log"
    )


def test_self_and_cls_are_optional() -> None:
    ok("Store an item.\n\nArgs:\n    item: The item.", "Box.put")
    ok("Store an item.\n\nArgs:\n    self: The box.\n    item: The item.", "Box.put")
    ok("Make a new box.\n\nReturns:\n    The box.", "Box.make")


def test_returns_only_when_a_value_is_returned() -> None:
    assert "returns no value" in bad(
        "Store an item.\n\nArgs:\n    item: The item.\n\nReturns:\n    Nothing.", "Box.put"
    )
    assert "returns no value" in bad("Store an item.\n\n:param item: The item.\n:returns: None.", "Box.put", "rest")
    assert "returns no value" in bad(
        "Store an item.\n\nParameters\n----------\nitem\n    The item.\n\nReturns\n-------\nNone", "Box.put", "numpy"
    )
    ok("Count up to n.\n\nArgs:\n    n: Where to stop.\n\nYields:\n    Each number.", "count")


def test_wrong_style_sections_are_rejected() -> None:
    assert "google style" in bad(REST_ADD, "add", "google")
    assert "plain style" in bad(GOOGLE_ADD, "add", "plain")


def test_class_docstring_has_no_parameter_section() -> None:
    ok("A box that holds one item.", "Box")
    assert "class docstring" in bad("A box of things.\n\nArgs:\n    item: X.", "Box")


def test_detect_style_majority_else_none() -> None:
    assert detect_style([GOOGLE_ADD, NUMPY_ADD, NUMPY_ADD]) == "numpy"
    assert detect_style([REST_ADD]) == "rest"
    assert detect_style(["Just prose.", "More prose."]) is None


def test_clean_answer_strips_quotes_and_dedents() -> None:
    assert clean_answer('"""Add two.\n\n    Args:\n        a: x.\n    """ trailing') == "Add two.\n\nArgs:\n    a: x."


@pytest.mark.parametrize("style", STYLES)
def test_worked_example_passes_its_own_gates(style: str) -> None:
    answer = example_answer(style)
    assert check_docstring(answer, example_target(), style) == answer
    assert "<" not in answer


def test_template_names_the_real_parameters() -> None:
    assert template("google", T["log"]).splitlines()[2:] == [
        "Args:",
        "    message: <what message is>",
        "    args: <what args is>",
        "    level: <what level is>",
        "    kw: <what kw is>",
    ]
    assert "Returns" not in template("numpy", T["Box.put"])
