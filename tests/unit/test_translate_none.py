"""Functions that return ``None`` on some paths and locals that hold ``None`` at times, in line
assembly (tasks/translate/line_none.py, kinds.observed_kind): the nullable kind read from the
values seen, each target's signature, and whole functions translated with the fake backend
answering junk (only codex's rules can verify them), compiled and run by the real toolchains
against Python (``None`` compared with ``null`` / ``std::nullopt`` / Rust's ``None``)."""

import ast
import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.expressible import inexpressible
from codexcli.tasks.translate.kinds import observed_kind
from codexcli.tasks.translate.line_none import holds_none, none_return, some
from codexcli.tasks.translate.line_rules import expression
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES, TS_LINES
from codexcli.tasks.translate.sig import typed_signature
from codexcli.tasks.translate.sig_rust import RUST_LINES
from codexcli.verify.cases.inputs import InputCase

needs_java = pytest.mark.skipif(shutil.which("javac") is None, reason="javac is not installed")
needs_cpp = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")
needs_rust = pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not installed")


def test_none_among_the_values_makes_a_scalar_kind_nullable():
    assert observed_kind([3, None, 4]) == "int?"
    assert observed_kind(["a", None]) == "str?" and observed_kind([1.5, None, 2]) == "float?"
    assert observed_kind([3, 4]) == "int"
    assert observed_kind([None, None]) is None  # nothing says what else it could be
    assert observed_kind([[1], None]) is None  # a nullable list has no rule
    assert observed_kind([2**70, None]) is None


def test_each_target_types_a_nullable_return():
    fn = ast.parse("def f(s):\n    return s.find('x') if s.strip() else None\n").body[0]
    assert isinstance(fn, ast.FunctionDef)
    values = [3, None]
    assert typed_signature(fn, "f", values, JAVA_LINES) == "public static Long f(String s)"
    assert typed_signature(fn, "f", values, CPP_LINES) == "std::optional<long long> f(std::string s)"
    assert typed_signature(fn, "f", values, RUST_LINES) == "pub fn f(s: String) -> Option<i64>"
    assert typed_signature(fn, "f", values, TS_LINES) is None  # no nullable type there yet
    assert typed_signature(fn, "f", ["a", None], JAVA_LINES) == "public static String f(String s)"


def test_what_the_rules_write():
    assert none_return("int?", JAVA_LINES) == "return null;" and none_return("str", JAVA_LINES) == "return null;"
    assert none_return("int?", CPP_LINES) == "return std::nullopt;" and none_return("str", CPP_LINES) == ""
    assert none_return("int?", RUST_LINES) == "return None;" and not holds_none("int", JAVA_LINES)
    assert some("0", "int?", JAVA_LINES) == "(long) (0)"  # Java boxes no int literal into a Long
    assert some("n", "int?", RUST_LINES) == "Some(((n) as i64))" and some("n", "int", RUST_LINES) == "n"
    kinds = {"x": "int?", "s": "str?"}
    not_x = expression(ast.parse("not x", mode="eval").body, kinds, JAVA_LINES, {}, {})
    assert not_x is not None and not_x.text == "!(x != null && (x != 0))"  # None is false, as 0 is
    not_s = expression(ast.parse("not s", mode="eval").body, kinds, CPP_LINES, {}, {})
    assert not_s is not None and not_s.text == "!(s.has_value() && (!(s.value().empty())))"
    ne = expression(ast.parse("x != 0", mode="eval").body, kinds, JAVA_LINES, {}, {})
    assert ne is not None and ne.text == "x == null || x != 0"  # None != 0 in Python
    eq = expression(ast.parse("3 == x", mode="eval").body, kinds, RUST_LINES, {}, {})
    assert eq is not None and eq.text == "!(x.is_none()) && 3 == x.clone().unwrap()"


def test_a_java_string_takes_none():
    cases = [InputCase("(None, 1)"), InputCase("('a', None)"), InputCase("(None, None)")]
    code = "public static long f(String s, long n) {"
    assert inexpressible(cases, code, "f", JAVA_LINES) == [1, 2]  # a long is never null; a String may be
    assert inexpressible(cases, "long long f(std::string s, long long n) {", "f", CPP_LINES) == [0, 1, 2]


MODULE = dedent('''\
    def key_of(line):
        """
        >>> key_of('a=b')
        'a'
        >>> key_of('plain')
        >>> key_of('=x')
        ''
        """
        i = line.find('=')
        if i < 0:
            return
        return line[:i]


    def half(n):
        """
        >>> half(4)
        2.0
        >>> half(3)
        >>> half(-8)
        -4.0
        """
        if n % 2:
            return None
        return n / 2


    def last_even(a, b):
        """
        >>> last_even(1, 7)
        6
        >>> last_even(3, 4)
        >>> last_even(5, 5)
        >>> last_even(-3, 0)
        -2
        """
        found = None
        i = a
        while i < b:
            if i % 2 == 0:
                found = i
            i += 1
        if not found and found != 0:
            found = None
        return found
''')


def _verified(target, out):
    result = task.translate_source(
        FakeBackend([], default="junk"),
        load_prompt("translate"),
        task.TranslateJob(MODULE, Path("nones.py"), "python", target, Path(out)),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )
    assert all(o.detail.origin == "lines" for o in result.outcomes if task.verified(o))
    return {o.target.name for o in result.outcomes if task.verified(o)}


@pytest.mark.parametrize(
    "target, out, expected",
    [
        pytest.param("java", "Nones.java", {"key_of", "half", "last_even"}, marks=needs_java),
        pytest.param("cpp", "nones.cpp", {"key_of", "half", "last_even"}, marks=needs_cpp),
        pytest.param("rust", "nones.rs", {"half", "last_even"}, marks=needs_rust),  # Rust has no find rule
    ],
)
def test_functions_returning_none_verify_from_codex_rules(target, out, expected):
    assert _verified(target, out) == expected
