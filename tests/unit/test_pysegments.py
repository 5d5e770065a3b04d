"""A module a top-level segment at a time (issue 25) gives what the whole module gives: the same
stubs, the same spliced text, the same undefined names, the same syntax errors."""

from __future__ import annotations

import ast
import symtable

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from codexcli import pysegments
from codexcli.splice import body
from codexcli.splice.body import Spliced, SpliceFailed, find_stubs, replace_bodies
from codexcli.verify.static import names

TRICKY = '''"""Module."""
from __future__ import annotations

import os
TEXT = """
def not_a_function():
    ...
class NotAClass:
    pass
"""


@decorator(
    option=1,
)
def decorated(x):
    """Doc."""
    ...


async def waits(x):
    raise NotImplementedError


class Shape:
    """A shape."""

    def area(self) -> float:
        ...

    class Inner:
        def deep(self): pass

    @property
    def name(self):
        return "s"

    @name.setter
    def name(self, value):
        ...


class Proto(Protocol):
    def skipped(self): ...


if os.name == "nt":
    def conditional():
        pass
else:
    def conditional():
        return 1


def outer():
    def inner(y):
        ...
    return inner


@dec
def after_blank_decorator():
    ...
def no_blank_line_before(a, /, b, *c, d, **e):
    "Doc."
    pass
x = [
def_like := 1,
]
def last(n): ...'''


def whole_module_stubs(source: str) -> list[body.StubTarget]:
    """find_stubs as it was: libcst over the whole module."""
    module = cst.parse_module(source)
    finder = body._StubFinder(module)
    MetadataWrapper(module, unsafe_skip_copy=True).visit(finder)
    return finder.stubs


def whole_module_replace(source: str, bodies: dict[int, str], keep_comments: bool = True) -> Spliced | SpliceFailed:
    """replace_bodies as it was: libcst over the whole module, then compile it all."""
    module = cst.parse_module(source)
    replacer = body._BodyReplacer(bodies, keep_comments)
    text = module.visit(replacer).code
    try:
        compile(text, "<spliced>", "exec")
    except SyntaxError as exc:
        return SpliceFailed(f"the edited file does not compile: {exc.msg} (line {exc.lineno})")
    return Spliced(text)


def whole_module_undefined(source: str, name: str, lineno: int) -> list[str]:
    top = symtable.symtable(source, "<module>", "exec")
    fn = names._find_function(top, name, lineno)
    assert fn is not None
    defined = pysegments.top_names(top)
    return sorted(n for n in names._free_globals(fn) if n not in defined and n not in names._BUILTINS)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_stubs_are_those_of_the_whole_module(newline: str):
    source = TRICKY.replace("\n", newline)
    found = find_stubs(source)
    assert found == whole_module_stubs(source)
    assert [s.qualname for s in found] == [
        "decorated",
        "waits",
        "Shape.area",
        "Shape.Inner.deep",
        "Shape.name",
        "conditional",
        "outer.inner",
        "after_blank_decorator",
        "no_blank_line_before",
        "last",
    ]
    layout = pysegments.layout(source)
    assert len(layout.segments) > 3  # it really was split
    assert layout.segments[0].start == 0 and layout.segments[-1].end == len(source)
    assert all(a.end == b.start for a, b in zip(layout.segments, layout.segments[1:]))
    assert sum(s.functions for s in layout.segments) == sum(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(ast.parse(source))
    )


def test_splices_are_those_of_the_whole_module():
    stubs = find_stubs(TRICKY)
    bodies = {s.index: f"# filled\nreturn {s.index}\n" for s in stubs}
    for stub in stubs:
        one = {stub.index: bodies[stub.index]}
        assert replace_bodies(TRICKY, one) == whole_module_replace(TRICKY, one), stub.qualname
    assert replace_bodies(TRICKY, bodies) == whole_module_replace(TRICKY, bodies)
    # the edited text's layout, derived from the original's, is the one a fresh split finds
    spliced = replace_bodies(TRICKY, {s.index: "x = 1\n\ndef nested():\n    ...\nreturn nested\n" for s in stubs})
    assert isinstance(spliced, Spliced)
    assert pysegments.layout(spliced.text).segments == pysegments._split(spliced.text).segments
    # a working body replaced without its comments (what optimize does)
    index = next(s.index for s in stubs if s.qualname == "outer.inner") - 1  # outer itself
    new = {index: "return lambda y: y\n"}
    assert replace_bodies(TRICKY, new, keep_comments=False) == whole_module_replace(TRICKY, new, False)


def test_a_body_that_does_not_compile_is_reported_at_its_line_in_the_file():
    stub = next(s for s in find_stubs(TRICKY) if s.qualname == "last")
    bad = {stub.index: "nonlocal nowhere\nreturn nowhere\n"}
    result = replace_bodies(TRICKY, bad)
    assert isinstance(result, SpliceFailed)
    assert result == whole_module_replace(TRICKY, bad)
    assert f"(line {stub.lineno + 1})" in result.reason
    assert isinstance(replace_bodies(TRICKY, {999: "return 1\n"}), SpliceFailed)


def test_the_future_imports_of_the_module_are_kept_for_its_segments():
    import __future__

    source = "from __future__ import annotations\n\n\ndef f(a: Later) -> Later:\n    ...\n"
    assert pysegments.layout(source).future_flags == __future__.annotations.compiler_flag
    [stub] = find_stubs(source)
    assert replace_bodies(source, {stub.index: "return a\n"}) == whole_module_replace(
        source, {stub.index: "return a\n"}
    )


def test_undefined_names_are_those_of_the_whole_module():
    source = (
        "import os\n\n\ndef uses(x):\n    return helper(x) + os.sep + later + CONST + missing\n\n\n"
        "def helper(x):\n    global CONST\n    CONST = 1\n    return x\n\n\nlater = 2\n"
    )
    assert names.undefined_names(source, "uses", 4) == whole_module_undefined(source, "uses", 4) == ["CONST", "missing"]
    assert names.undefined_names(source + "from m import *\n", "uses", 4) == []


@pytest.mark.parametrize(
    "broken",
    [
        "def f(:\n    ...\n",
        "def ok():\n    return 1\n\n\ndef f(x):\n    return (x\n\n\ndef g():\n    pass\n",
        "x = '''\ndef g():\n",
        "def f():\n    return 1\n\x00\n",
        "class A:\n    def m(self):\n  return 1\n",
    ],
)
def test_a_syntax_error_is_the_one_the_whole_module_raises(broken: str):
    with pytest.raises((SyntaxError, ValueError)) as whole:
        ast.parse(broken)
    with pytest.raises(type(whole.value)) as split:
        pysegments.layout(broken)
    assert str(split.value) == str(whole.value)


def test_segments_split_inside_a_string_are_merged_until_they_parse():
    source = "".join(f"def f{i}():\n    return {i}\n\n" for i in range(50))
    source = source.replace("def f10", 'S = """\ndef f10').replace("def f20", '"""\ndef f20')
    layout = pysegments.layout(source)
    assert any('S = """' in layout.piece(n) and "def f19" in layout.piece(n) for n in range(len(layout.segments)))
    assert sum(s.functions for s in layout.segments) == 40  # f10..f19 are text in S
