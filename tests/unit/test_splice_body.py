"""Body splicing: only the stub's body changes; every other byte stays."""

from __future__ import annotations

import pytest

from codexcli.splice.body import Spliced, SpliceFailed, find_stubs, replace_bodies
from tests.conftest import dedent


def stubs_by_name(source):
    return {s.qualname: s for s in find_stubs(source)}


def fill(source, qualname, body):
    target = stubs_by_name(source)[qualname]
    result = replace_bodies(source, {target.index: body})
    assert isinstance(result, Spliced), result
    return result.text


def test_finds_each_kind_of_stub():
    source = dedent('''
        def a():
            pass
        def b():
            ...
        def c():
            raise NotImplementedError
        def d():
            raise NotImplementedError("later")
        def e():
            """Doc."""
            ...
        def f(): ...
        def not_a_stub():
            return 1
        def docstring_only():
            """Deliberately empty."""
    ''')
    assert list(stubs_by_name(source)) == ["a", "b", "c", "d", "e", "f"]


def test_skips_abstract_overload_and_protocol_members():
    source = dedent("""
        import abc
        from typing import Protocol, overload

        class Base(abc.ABC):
            @abc.abstractmethod
            def run(self): ...

        class P(Protocol):
            def meth(self) -> int: ...

        @overload
        def g(x: int) -> int: ...
        def g(x):
            ...
    """)
    stubs = find_stubs(source)
    assert [s.qualname for s in stubs] == ["g"]
    assert stubs[0].lineno == 13


def test_qualified_names_params_and_async():
    source = dedent("""
        class A:
            async def m(self, x, /, y=1, *args, z, **kw):
                ...
        def outer():
            def inner(q):
                pass
            return inner
    """)
    stubs = stubs_by_name(source)
    assert stubs["A.m"].is_async
    assert stubs["A.m"].params == ("self", "x", "/", "y", "*args", "z", "**kw")
    assert "outer.inner" in stubs and "outer" not in stubs


def test_header_holds_decorators_signature_and_docstring():
    source = dedent('''
        class K:
            @staticmethod
            def s(a: int) -> int:
                """Twice a."""
                ...
    ''')
    header = stubs_by_name(source)["K.s"].header
    assert header == '@staticmethod\ndef s(a: int) -> int:\n    """Twice a."""\n'


def test_replacement_preserves_every_other_byte():
    source = dedent('''
        # leading comment
        import os   # odd spacing kept

        X = {'a' :1}


        def f(a,b):  # trailing comment on def
            """Doc with 'quotes'."""
            ...

        def untouched( x ):
            return   x
    ''')
    after = fill(source, "f", "return a + b")
    expected = source.replace(
        '    """Doc with \'quotes\'."""\n    ...\n', '    """Doc with \'quotes\'."""\n    return a + b\n'
    )
    assert after == expected


def test_comments_inside_the_stub_are_kept():
    source = dedent('''
        def f(x):
            """Doc."""
            # hint: x is never negative
            pass  # TODO
    ''')
    after = fill(source, "f", "return x * 2")
    assert after == dedent('''
        def f(x):
            """Doc."""
            # hint: x is never negative
            return x * 2
    ''')


def test_nested_blocks_take_the_files_indentation_tabs():
    source = "class A:\n\tdef m(self, xs):\n\t\tpass\n"
    after = fill(source, "A.m", "for x in xs:\n    if x:\n        return x\nreturn None\n")
    assert after == "class A:\n\tdef m(self, xs):\n\t\tfor x in xs:\n\t\t\tif x:\n\t\t\t\treturn x\n\t\treturn None\n"


def test_crlf_line_endings_are_kept():
    source = "def f(a):\r\n    ...\r\n\r\ndef g():\r\n    return 1\r\n"
    after = fill(source, "f", "return a\n")
    assert after == "def f(a):\r\n    return a\r\n\r\ndef g():\r\n    return 1\r\n"


def test_one_line_stub_becomes_a_block():
    source = "def f(a): ...  # later\nY = 2\n"
    after = fill(source, "f", "return a")
    assert after == "def f(a):  # later\n    return a\nY = 2\n"


def test_decorated_method_and_nested_function():
    source = dedent("""
        import functools

        class A:
            @functools.lru_cache(maxsize=None)
            def m(self, n):
                raise NotImplementedError

        def outer():
            def inner(q):
                pass
            return inner
    """)
    stubs = stubs_by_name(source)
    result = replace_bodies(source, {stubs["A.m"].index: "return n", stubs["outer.inner"].index: "return q"})
    assert isinstance(result, Spliced)
    assert "    @functools.lru_cache(maxsize=None)\n    def m(self, n):\n        return n\n" in result.text
    assert "    def inner(q):\n        return q\n    return inner\n" in result.text


def test_body_that_breaks_compilation_is_refused_not_raised():
    source = "def f():\n    pass\n"
    index = find_stubs(source)[0].index
    result = replace_bodies(source, {index: "return await g()"})
    assert isinstance(result, SpliceFailed)
    assert "does not compile" in result.reason


def test_unknown_index_and_bad_source_are_failures():
    assert isinstance(replace_bodies("def f():\n    pass\n", {5: "return 1"}), SpliceFailed)
    assert isinstance(replace_bodies("def f(:\n", {0: "return 1"}), SpliceFailed)


@pytest.mark.parametrize("body", ["", "   \n"])
def test_empty_body_is_refused(body):
    source = "def f():\n    pass\n"
    assert isinstance(replace_bodies(source, {0: body}), SpliceFailed)
