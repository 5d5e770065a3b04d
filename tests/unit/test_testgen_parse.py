"""Targets, prompts and answer parsing of `codex testgen` (pure, no model, no sandbox)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from codexcli.answers import ParseError
from codexcli.config import Settings
from codexcli.errors import UsageError
from codexcli.prompts import load_prompt
from codexcli.tasks.testgen.request import (
    build_request,
    existing_examples,
    find_targets,
    fingerprints_of,
    has_assertion,
    module_imports,
    module_names,
    parse_tests,
    select_targets,
)

MODULE = textwrap.dedent('''\
    """Doc."""
    import re
    from math import floor as fl

    LIMIT = 3


    def public(x):
        """Double x."""
        return x * 2


    def _private(x):
        return x


    def stub(x):
        """Not written yet."""
        ...


    class Box:
        """A box."""

        def __init__(self, v):
            self.v = v

        def get(self):
            return self.v

        def _hidden(self):
            return 1


    class Plain:
        size = 3


    class _Hidden:
        def get(self):
            return 1
''')


def test_targets_are_public_functions_methods_and_method_less_classes():
    targets = find_targets(MODULE)
    assert [(t.qualname, t.kind, t.import_name) for t in targets] == [
        ("public", "function", "public"),
        ("Box.get", "method", "Box"),
        ("Plain", "class", "Plain"),
    ]
    public = targets[0]
    assert public.first_line == 10 and public.last_line == 10  # the body, after the docstring
    assert public.source.startswith("def public(x):") and '"""Double x."""' in public.source
    assert targets[1].source.startswith("class Box:")  # a method is shown with its class


def test_select_targets_by_name_class_or_qualname():
    targets = find_targets(MODULE)
    assert [t.qualname for t in select_targets(targets, ["get"])] == ["Box.get"]
    assert [t.qualname for t in select_targets(targets, ["Box"])] == ["Box.get"]
    assert [t.qualname for t in select_targets(targets, [])] == ["public", "Box.get", "Plain"]
    with pytest.raises(UsageError, match="nothing to test named nope"):
        select_targets(targets, ["nope"])


def test_module_imports_and_names():
    assert module_imports(MODULE) == "import re\nfrom math import floor as fl"
    names = module_names(MODULE)
    assert {"public", "_private", "Box", "LIMIT", "re", "fl"} <= names


def test_existing_examples_only_mention_the_target():
    tests = "from m import public, Box\n\ndef test_public():\n    assert public(1) == 2\n\ndef test_box():\n    assert Box(1).get() == 1\n"
    target = find_targets(MODULE)[0]
    assert existing_examples(tests, target) == "def test_public():\n    assert public(1) == 2"
    assert existing_examples("", target) == ""
    assert existing_examples("def broken(:\n", target) == ""


def test_request_starts_the_answer_with_the_import_and_a_test():
    prompt = load_prompt("testgen")
    target = find_targets(MODULE)[1]
    request = build_request(
        prompt,
        Settings(max_tokens=99),
        module_name="pkg.mod",
        path="pkg/mod.py",
        imports=module_imports(MODULE),
        target=target,
        examples="def test_x():\n    assert 1 == 1",
    )
    assert request.prefill == "```python\nfrom pkg.mod import Box\n\n\ndef test_get"
    user = request.messages[-1].content
    assert "import re" in user and "class Box:" in user and "`Box.get`" in user and "def test_x" in user
    assert request.max_tokens == 99 and request.stop == ("\n```",)


def _fn(code: str) -> ast.FunctionDef:
    node = ast.parse(textwrap.dedent(code)).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


@pytest.mark.parametrize(
    "code, expected",
    [
        ("def test_a():\n    assert f(1) == 2\n", True),
        ("def test_a():\n    with pytest.raises(ValueError):\n        f(-1)\n", True),
        ("def test_a(self):\n    self.assertEqual(f(1), 2)\n", True),
        ("def test_a():\n    m.assert_called_once_with(1)\n", True),
        ("def test_a():\n    f(1)\n", False),
        ("def test_a():\n    assert True\n", False),
        ("def test_a():\n    print(f(1))\n", False),
    ],
)
def test_has_assertion(code, expected):
    assert has_assertion(_fn(code)) is expected


def test_parse_tests_pulls_out_tests_with_the_imports_each_needs():
    answer = textwrap.dedent("""\
        ```python
        import math
        import pytest
        from mod import public, invented

        def helper():
            return 1

        def test_one():
            assert public(2) == 4

        def test_two():
            with pytest.raises(TypeError):
                public()

        def test_three():
            assert Box(1).get() == math.floor(1.2)

        def test_four():
            public(1)

        def test_one():
            assert public(3) == 6

        def test_copy():
            assert public(2) == 4
        ```
        Some prose after.""")
    tests = parse_tests(answer, "mod", module_names(MODULE))
    assert not isinstance(tests, ParseError)
    assert [t.name for t in tests] == ["test_one", "test_two", "test_three", "test_four"]
    by_name = {t.name: t for t in tests}
    assert by_name["test_one"].imports == ("from mod import public",)
    assert by_name["test_two"].imports == ("from mod import public", "import pytest")
    # Box was never imported by the answer: it comes from the module; math from the answer.
    assert by_name["test_three"].imports == ("from mod import Box", "import math")
    assert by_name["test_four"].has_assertion is False
    assert by_name["test_one"].code == "def test_one():\n    assert public(2) == 4\n"
    # `invented` is not in the module: never imported (it would break collection of the file).
    assert all("invented" not in i for t in tests for i in t.imports)


def test_parse_tests_adds_pytest_import_and_keeps_decorators():
    answer = "```python\n@pytest.mark.parametrize('x', [1, 2])\ndef test_p(x):\n    assert public(x) == 2 * x\n```"
    tests = parse_tests(answer, "mod", module_names(MODULE))
    assert not isinstance(tests, ParseError)
    assert tests[0].code.startswith("@pytest.mark.parametrize")
    assert tests[0].imports == ("from mod import public", "import pytest")


def test_parse_tests_repairs_an_answer_cut_off_by_max_tokens():
    answer = "```python\nfrom mod import public\n\ndef test_a():\n    assert public(1) == 2\n\ndef test_b():\n    assert public(2 =="
    tests = parse_tests(answer, "mod", module_names(MODULE))
    assert not isinstance(tests, ParseError)
    assert [t.name for t in tests] == ["test_a"]


@pytest.mark.parametrize(
    "answer, reason",
    [
        ("", "no code"),
        ("```python\ndef helper():\n    return 1\n```", "no test functions"),
        ("```python\ndef test_a(:\n```", "does not parse"),
    ],
)
def test_parse_tests_rejects_answers_without_tests(answer, reason):
    result = parse_tests(answer, "mod", module_names(MODULE))
    assert isinstance(result, ParseError) and reason in result.reason


def test_fingerprints_ignore_the_name():
    existing = "def test_old():\n    assert public(2) == 4\n"
    tests = parse_tests("```python\ndef test_new():\n    assert public(2) == 4\n```", "mod", {"public"})
    assert not isinstance(tests, ParseError)
    assert tests[0].fingerprint in fingerprints_of(existing)
    assert fingerprints_of("def broken(:") == set()
