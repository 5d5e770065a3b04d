"""Line assembly of lists that change, None defaults and isinstance (tasks/translate/line_lists.py
and its hooks): lists as locals that grow and shrink, list-of-str parameters, a ``None`` default
as a nullable parameter that the cases pass ``None`` to, checked with the real javac / g++."""

import ast
import shutil
from textwrap import dedent

import pytest

from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.expressible import inexpressible
from codexcli.tasks.translate.line_plan import lay_out, plan
from codexcli.tasks.translate.line_rules import expression
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES
from codexcli.tasks.translate.lines import line_signature
from codexcli.tasks.translate.sig import typed_signature
from codexcli.verify.cases.cases import collect_cases
from codexcli.verify.cases.infer_types import infer_params
from codexcli.verify.cases.inputs import InputCase
from tests.unit.rules_only import assert_rules_wrote, translate_by_rules

needs_java = pytest.mark.skipif(shutil.which("javac") is None, reason="javac is not installed")
needs_cpp = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

MODULE = dedent("""\
    def count_below(a, x, start=0, stop=None):
        if start < 0:
            raise ValueError('start must be non-negative')
        if stop is None:
            stop = len(a)
        n = 0
        while start < stop:
            if a[start] < x:
                n += 1
            start += 1
        return n


    def evens(n):
        out = []
        for i in range(n):
            if i % 2 == 0:
                out.append(i)
        return out


    def total_len(words):
        t = 0
        for w in words:
            t += len(w)
        return t


    def digits(n):
        out = []
        while n > 0:
            out.insert(0, n % 10)
            n //= 10
        return out


    def squares_but_last(n):
        out = []
        for i in range(n):
            out.append(i * i)
        if len(out) > 2:
            out.pop()
        return out


    def checked(v):
        if not isinstance(v, int):
            raise TypeError('not an int')
        if v < 0:
            raise ValueError('negative')
        return v


    def scale(x, factor=None):
        if factor is not None:
            return x * factor
        return x


    def drain(n):
        xs = [n]
        for i in range(n):
            xs.append(i * i)
        total = 0
        while len(xs) > 1:
            last = xs.pop()
            total += last - len(xs)
        return total
    """)

NAMES = ["count_below", "evens", "total_len", "digits", "squares_but_last", "checked", "scale", "drain"]


def _fn(name, source=MODULE):
    return next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)


def test_a_none_default_is_optional_and_the_cases_pass_none():
    hints = {i.name: i.hint for i in infer_params(_fn("count_below"), [MODULE])}
    assert hints == {"a": "list[int]", "x": "int", "start": "int", "stop": "optional[int]"}
    cases = [c.values()[0] for c in collect_cases(MODULE, "count_below", limit=12)]
    assert any(args[3] is None for args in cases) and any(isinstance(args[3], int) for args in cases)
    java = typed_signature(_fn("count_below"), "countBelow", [0, 2], JAVA_LINES, [MODULE])
    assert java == "public static long countBelow(int[] a, int x, int start, Long stop)"
    assert line_signature(java, JAVA_LINES)[1]["stop"] == "int?"
    cpp = typed_signature(_fn("count_below"), "count_below", [0, 2], CPP_LINES, [MODULE])
    assert cpp.endswith("long long start, std::optional<long long> stop)")


def test_str_lists_and_str_arguments_are_inferred_from_their_use():
    def hints(source, name):
        return [i.hint for i in infer_params(_fn(name, source), [source])]

    assert hints(MODULE, "total_len") == ["list[str]"]  # elements only measured by len(): str
    assert hints("def j(words, sep=' '):\n    return sep.join(words)\n", "j") == ["list[str]", "str"]
    assert hints("def s(p, sep):\n    return p[: p.rfind(sep) + 1]\n", "s") == ["str", "str"]
    grid = "def g(rows):\n    t = 0\n    for r in rows:\n        for x in r:\n            t += x\n    return t\n"
    assert hints(grid, "g") == ["list[list[int]]"]  # elements iterated: still lists


def test_rules_for_none_isinstance_and_changing_lists():
    kinds = {"hi": "int?", "lo": "int", "v": "int", "f": "float", "xs": "int[]", "n": "int"}

    def render(target, src):
        found = expression(ast.parse(src, mode="eval").body, kinds, target, {}, {})
        return found.text if found else None

    assert render(JAVA_LINES, "hi is None") == "hi == null"
    assert render(CPP_LINES, "hi is not None") == "hi.has_value()"
    assert render(JAVA_LINES, "None is not hi") == "hi != null"
    assert render(CPP_LINES, "lo + hi") == "lo + hi.value()"  # an empty one raises, as None + 1 does
    assert render(JAVA_LINES, "lo is None") is None  # not nullable: no rule
    assert render(JAVA_LINES, "isinstance(v, int)") == "true"
    assert render(JAVA_LINES, "isinstance(f, int)") == "false"
    assert render(JAVA_LINES, "isinstance(v, bool)") is None  # a bool is an int in Python: no rule
    source = "def f(n):\n    xs = []\n    xs.append(n)\n    xs.insert(0, n)\n    xs.pop()\n    return xs\n"
    steps = plan(_fn("f", source), {}, source)
    java = [s.rule for s in lay_out(steps, kinds, "int[]", JAVA_LINES, {}, {}) if s.kind == "store"]
    assert java[0] == "xs = java.util.Arrays.copyOf(xs, xs.length + 1); xs[xs.length - 1] = n;"
    assert "System.arraycopy(xs, 0, codexGrown, 1, xs.length)" in java[1]
    assert java[2] == "xs = java.util.Arrays.copyOf(xs, xs.length - 1);"  # empty: a negative size raises
    cpp = [s.rule for s in lay_out(steps, kinds, "int[]", CPP_LINES, {}, {}) if s.kind == "store"]
    assert cpp == ["xs.push_back(n);", "xs.insert(xs.begin(), n);", "(void) xs.at(xs.size() - 1); xs.pop_back();"]
    popped = "def f(xs):\n    v = xs.pop()\n    return v\n"  # a popped value used: the last, then the list shorter
    laid = lay_out(plan(_fn("f", popped), {}, popped), {**kinds, "v": "int"}, "int", JAVA_LINES, {}, {})
    assert laid[0].rule == "v = xs[(int) (xs.length - 1)]; xs = java.util.Arrays.copyOf(xs, xs.length - 1);"
    other = "def f(xs, n):\n    xs.insert(1, n)\n    return xs\n"
    assert lay_out(plan(_fn("f", other), {}, other), kinds, "int[]", JAVA_LINES, {}, {})[0].rule == ""


def _translate(target, out):
    result, backend = translate_by_rules(MODULE, "lists.py", target, out)
    assert_rules_wrote(result, backend, NAMES)
    return result


@needs_java
def test_java_lists_and_none_defaults_are_assembled_and_verified():
    result = _translate("java", "Lists.java")
    assert "public static long countBelow(long[] a, long x, long start, Long stop) {" in result.after
    assert "if (stop == null) {" in result.after and "stop = (long) (a.length);" in result.after
    assert "out = java.util.Arrays.copyOf(out, out.length + 1);" in result.after
    assert "for (String codex_i" in result.after


@needs_cpp
def test_cpp_lists_and_none_defaults_are_assembled_and_verified():
    result = _translate("cpp", "lists.cpp")
    assert "std::optional<long long> stop)" in result.after and "#include <optional>" in result.after
    assert "if (!stop.has_value()) {" in result.after and "out.insert(out.begin(), " in result.after
    assert (
        "a.at(start)" in result.after and "start < stop.value()" in result.after
    )  # an index out of range raises (IndexError), not a crash


def test_cases_the_signature_cannot_take_are_found():
    code = "public static long checked(long v, Long hi, String[] ws) {\n    return v;\n}\n"
    cases = [
        InputCase(src) for src in ("(3, None, [])", "('x', 1, ['a'])", "(1, 2.5, [])", "(1, 2, [3])", "(True, 1, [])")
    ]
    assert inexpressible(cases, code, "checked", JAVA_LINES) == [1, 2, 3, 4]  # a bool is no long either
    assert inexpressible(cases, "long other(long v) { return v; }", "checked", JAVA_LINES) == []  # not found
    cpp = "long long checked(long long v, std::optional<long long> hi, std::vector<std::string> ws) {"
    assert inexpressible(cases, cpp, "checked", CPP_LINES) == [1, 2, 3, 4]


ISINSTANCE = dedent('''\
    def checked(v):
        """
        >>> checked(3)
        3
        >>> checked('x')
        Traceback (most recent call last):
        TypeError: not an int
        """
        if not isinstance(v, int):
            raise TypeError('not an int')
        if v < 0:
            raise ValueError('negative')
        return v
    ''')


@needs_java
def test_a_case_a_typed_parameter_cannot_take_is_left_out_and_reported():
    # isinstance(v, int) is true by construction for a long v; checked('x') cannot be expressed:
    # it is not run (a harness that failed to convert it would "raise" like the original) but said.
    result, _ = translate_by_rules(ISINSTANCE, "lists.py", "java", "Lists.java")
    (outcome,) = result.outcomes
    assert task.verified(outcome), outcome.reason
    report = outcome.detail.behaviour
    assert report.left_out == ("('x')",) and all("'x'" not in r.case.args_src for r in report.results)
    assert "1 cases left out: the signature's types cannot hold their arguments" in outcome.detail.evidence.facts
