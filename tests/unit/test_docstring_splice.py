"""Before/after tests of docstring insertion: only string literals are added, nothing else moves."""

from __future__ import annotations

import ast
import textwrap

import pytest

from codexcli.splice.body import Spliced, SpliceFailed
from codexcli.splice.docstring import docstring_literal, find_targets, insert_docstrings, verify_docstring_edit


def d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def splice(source: str, docs: dict[int, str]) -> str:
    result = insert_docstrings(source, docs)
    assert isinstance(result, Spliced), result
    return result.text


def by_name(source: str) -> dict[str, int]:
    return {t.qualname: t.index for t in find_targets(source)}


def test_targets_in_preorder_with_kinds_params_and_returns() -> None:
    src = d("""
        import functools

        class A:
            def m(self, x, *args, key=1, **kw):
                return x

            @staticmethod
            def s(self_like):
                pass

            @classmethod
            def c(cls):
                yield 1

        @functools.lru_cache
        async def f(a, /, b):
            def inner():
                return None
            return await b
        """)
    got = [(t.index, t.kind, t.qualname, t.params, t.returns_value, t.is_generator) for t in find_targets(src)]
    assert got == [
        (0, "module", "<module>", (), False, False),
        (1, "class", "A", (), False, False),
        (2, "method", "A.m", ("x", "args", "key", "kw"), True, False),
        (3, "method", "A.s", ("self_like",), False, False),
        (4, "method", "A.c", (), False, True),
        (5, "function", "f", ("a", "b"), True, False),
        (6, "function", "f.inner", (), False, False),
    ]
    f = find_targets(src)[5]
    assert f.is_async and f.start == 15 and f.lineno == 16  # the decorator line starts the target


def test_stub_with_return_annotation_counts_as_returning() -> None:
    src = "def f() -> int:\n    ...\n\ndef g() -> None:\n    ...\n"
    assert [t.returns_value for t in find_targets(src)[1:]] == [True, False]


def test_function_method_nested_async_decorated_class() -> None:
    src = d("""
        class Box:
            @property
            def size(self):
                def helper():
                    return 1
                return helper()

        async def run(x):
            await x
        """)
    n = by_name(src)
    out = splice(
        src,
        {
            n["Box"]: "A box.",
            n["Box.size"]: "The size.",
            n["Box.size.helper"]: "Help.",
            n["run"]: "Run it.\n\nArgs:\n    x: The awaitable.",
        },
    )
    assert out == d('''
        class Box:
            """A box."""
            @property
            def size(self):
                """The size."""
                def helper():
                    """Help."""
                    return 1
                return helper()

        async def run(x):
            """Run it.

            Args:
                x: The awaitable.
            """
            await x
        ''')


def test_module_docstring_goes_below_shebang_and_comments() -> None:
    src = "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\nimport os\n"
    out = splice(src, {0: "Tools."})
    assert out == '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n\n"""Tools."""\nimport os\n'
    assert ast.get_docstring(ast.parse(out)) == "Tools."


def test_comments_in_body_stay_below_the_new_docstring() -> None:
    src = "def f():  # noqa: E1\n    # why\n    return 1\n"
    assert splice(src, {1: "One."}) == 'def f():  # noqa: E1\n    """One."""\n    # why\n    return 1\n'


def test_crlf_line_endings_are_kept() -> None:
    src = "def f(a):\r\n    return a\r\n"
    out = splice(src, {1: "Echo a.\n\nArgs:\n    a: Anything."})
    assert out == 'def f(a):\r\n    """Echo a.\r\n\r\n    Args:\r\n        a: Anything.\r\n    """\r\n    return a\r\n'
    assert "\n" not in out.replace("\r\n", "")


def test_tab_indentation_is_used_for_continuation_lines() -> None:
    src = "class A:\n\tdef m(self):\n\t\treturn 1\n"
    out = splice(src, {2: "Return one.\n\nReturns:\n    One."})
    assert out == 'class A:\n\tdef m(self):\n\t\t"""Return one.\n\n\t\tReturns:\n\t\t    One.\n\t\t"""\n\t\treturn 1\n'
    assert ast.get_docstring(ast.parse(out).body[0].body[0]) == "Return one.\n\nReturns:\n    One."


@pytest.mark.parametrize(
    "text",
    [
        'Say "hi".',
        'Ends with a quote"',
        'Has """ triple quotes inside.',
        "A backslash \\ and \\n escape.",
        "Ends with backslash \\",
        'Windows path C:\\temp\\new and a "quote".',
        "Unicode: café, 漢字 and ∑.",
        'Multi\n\nline with \\d and """ both.',
    ],
)
def test_quotes_and_backslashes_round_trip(text: str) -> None:
    src = "def f():\n    pass\n"
    out = splice(src, {1: text})
    assert ast.get_docstring(ast.parse(out).body[0]) == text


def test_literal_prefers_raw_string_for_backslashes() -> None:
    assert docstring_literal("Match \\d+ digits.", "    ") == 'r"""Match \\d+ digits."""'


def test_overwrite_replaces_only_the_docstring() -> None:
    src = 'def f():\n    # c\n    """Old."""\n    return 1\n'
    assert splice(src, {1: "New."}) == 'def f():\n    # c\n    """New."""\n    return 1\n'


def test_one_line_body_is_refused_and_source_kept() -> None:
    result = insert_docstrings("def f(): return 1\n", {1: "One."})
    assert isinstance(result, SpliceFailed) and "one-line" in result.reason


def test_name_guard_refuses_wrong_target() -> None:
    result = insert_docstrings("def f():\n    pass\n", {1: "Doc."}, {1: "g"})
    assert isinstance(result, SpliceFailed)


def test_empty_module_cannot_take_a_docstring() -> None:
    assert isinstance(insert_docstrings("# only a comment\n", {0: "Doc."}), SpliceFailed)


def test_verify_rejects_a_code_change() -> None:
    before = "def f():\n    return 1\n"
    after = 'def f():\n    """Doc."""\n    return 2\n'
    assert "changed" in (verify_docstring_edit(before, after, {1: "Doc."}) or "")


def test_verify_rejects_whitespace_change_outside_docstrings() -> None:
    before = "def f():\n    return 1\n"
    after = 'def f():\n    """Doc."""\n    return  1\n'
    assert verify_docstring_edit(before, after, {1: "Doc."}) == "a line outside the docstrings changed"


def test_verify_rejects_docstring_that_reads_back_differently() -> None:
    before = "def f():\n    return 1\n"
    after = 'def f():\n    """Other."""\n    return 1\n'
    assert "read back" in (verify_docstring_edit(before, after, {1: "Doc."}) or "")
    assert verify_docstring_edit(before, after, {1: "Other."}) is None


def test_one_line_body_detected_after_a_multiline_signature() -> None:
    src = "def f(\n    a,\n): return a\n\ndef g(\n    a,\n):\n    return a\n"
    assert [t.one_line_body for t in find_targets(src)[1:]] == [True, False]
