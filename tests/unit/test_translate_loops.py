"""Line assembly of real functions (tasks/translate/line_plan.py, line_rules.py, line_syntax.py):
loops with break/continue, asserts and raises, augmented assignment, tuple unpacking and divmod,
subscripts and len, list constants, Python's floor division and modulo, laid out by codex,
each statement checked on the original's states with the real javac / g++ and harness."""

import ast
import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.line_plan import lay_out, plan
from codexcli.tasks.translate.line_rules import expression
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES
from codexcli.tasks.translate.lines import LINE_TOKENS
from codexcli.tasks.translate.sig_typed import cpp_constants, cpp_includes
from codexcli.verify.compare.toolchains import toolchain_for

needs_java = pytest.mark.skipif(shutil.which("javac") is None, reason="javac is not installed")
needs_cpp = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")
needs_tsc = pytest.mark.skipif(bool(toolchain_for("typescript").missing()), reason="tsc is not installed")

# Real-looking functions: a leap-year test, a bisection with a list constant, a loop that
# accumulates with //= and %, an assert and a raise, tuple unpacking with divmod.
MODULE = dedent('''\
    DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


    def days_before(year, month):
        """
        >>> days_before(2000, 3)
        60
        >>> days_before(2001, 12)
        334
        >>> days_before(1999, 1)
        0
        """
        assert 1 <= month <= 12, "month must be in 1..12"
        total = 0
        for m in range(1, month):
            total += DAYS[m]
            if m == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
                total += 1
        return total


    def digit_sum(n):
        """
        >>> digit_sum(1234)
        10
        >>> digit_sum(-907)
        16
        >>> digit_sum(0)
        0
        """
        if n < 0:
            n = -n
        s = 0
        while n > 0:
            n, d = divmod(n, 10)
            if d == 0:
                continue
            s += d
        return s


    def first_over(xs, limit):
        """
        >>> first_over([1, 5, 9, 12], 6)
        2
        >>> first_over([3, -4], -10)
        0
        >>> first_over([1, 2], 5)
        -1
        """
        found = -1
        i = 0
        while i < len(xs):
            if xs[i] > limit:
                found = i
                break
            i += 1
        return found


    def floor_half(a, b):
        """
        >>> floor_half(-7, 2)
        -4
        >>> floor_half(7, -2)
        -4
        >>> floor_half(9, 4)
        2
        >>> floor_half(1, 0)
        Traceback (most recent call last):
        ValueError: b is zero
        """
        if b == 0:
            raise ValueError("b is zero")
        q = a // b
        r = a % b
        return q + r
    ''')

NAMES = ["days_before", "digit_sum", "first_over", "floor_half"]


def _translate(target, out, backend):
    return task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(MODULE, Path("dates.py"), "python", target, Path(out)),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )


def _fn(source, name):
    return next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)


def test_loops_asserts_raises_and_unpacking_are_laid_out():
    kinds = [s.kind for s in plan(_fn(MODULE, "digit_sum"), {}, MODULE)]
    assert kinds == [
        "if",
        "assign",
        "end",
        "assign",
        "while",
        "unpack",
        "if",
        "continue",
        "end",
        "assign",
        "end",
        "return",
    ]
    steps = plan(_fn(MODULE, "days_before"), {}, MODULE)
    assert [s.kind for s in steps][:3] == ["assert", "assign", "for"]
    laid = lay_out(
        steps, {"year": "int", "month": "int", "total": "int", "m": "int", "DAYS": "int[]"}, "int", JAVA_LINES, {}, {}
    )
    assert laid[0].rule == "((1 <= month) && (month <= 12))" and "IllegalStateException" in laid[0].text
    assert laid[2].text == "for (long codex_i2 = 1; codex_i2 < month; codex_i2 += 1) { m = codex_i2;"
    assert laid[3].rule == "total = total + DAYS[(int) (m)];"
    digits = plan(_fn(MODULE, "digit_sum"), {}, MODULE)
    laid = lay_out(digits, {"n": "int", "s": "int", "d": "int"}, "int", CPP_LINES, {}, {})
    assert laid[5].text.startswith("long long codex_t5_0 = ") and laid[5].text.endswith(
        "n = codex_t5_0; d = codex_t5_1;"
    )
    floor = plan(_fn(MODULE, "floor_half"), {}, MODULE)
    laid = lay_out(floor, {"a": "int", "b": "int", "q": "int", "r": "int"}, "int", JAVA_LINES, {}, {})
    assert [s.rule for s in laid if s.kind == "assign"] == ["q = Math.floorDiv(a, b);", "r = Math.floorMod(a, b);"]
    assert laid[1].text == "throw new IllegalArgumentException(\"ValueError('b is zero')\");"


def test_rules_keep_python_semantics_in_each_target():
    def java(src, kinds):
        found = expression(ast.parse(src, mode="eval").body, kinds, JAVA_LINES, {}, {})
        return found.text if found else None

    ints = {"a": "int", "b": "int", "xs": "int[]", "x": "float", "s": "str"}
    assert java("a // b - a % b", ints) == "Math.floorDiv(a, b) - Math.floorMod(a, b)"
    assert java("xs[-1] + len(xs)", ints) == "xs[(int) (xs.length - 1)] + xs.length"
    # Python's / is a float division, and a zero divisor raises (Java's would give Infinity)
    assert java("a / b", ints) == "(double) (a) / (b != 0 ? b : Math.floorDiv(0, 0))"
    assert java("a / 2", ints) == "(double) (a) / 2"
    assert java("x % 1.0", ints) == "((x % 1.0 + 1.0) % 1.0)"
    assert java("s == 'a'", ints) == 's.equals("a")'
    assert java("a in xs", ints) == "CodexSeq.has(xs, a)"  # line_builtins.py
    assert java("s in xs", ints) is None  # a str in a list of ints: no rule, the model is asked
    assert java("2 ** 70", ints) is None


def test_cpp_constants_and_includes_are_written_by_codex():
    assert cpp_constants("DAYS = [31, 28]\nHALF = 1 / 2\n__all__ = ['x']\n") == (
        "const std::vector<long long> DAYS = {31LL, 28LL};\nconst double HALF = 0.5;"
    )
    assert cpp_constants("X = {1: 2}\n") is None
    assert cpp_includes("std::vector<long long> v; std::fmod(a, b);", ["#include <vector>"]) == ["#include <cmath>"]


def _check(result, target):
    by_name = {o.target.name: o for o in result.outcomes}
    for name in NAMES:
        outcome = by_name[name]
        assert task.verified(outcome), (target, name, outcome.reason)
        assert outcome.detail.origin == "lines" and outcome.note.startswith("assembled line by line")


@needs_java
def test_java_functions_with_loops_asserts_and_raises_are_assembled_and_verified():
    # The model's whole answers are wrong, its lines junk: codex's rules write every statement.
    backend = FakeBackend([], default="    return 0;\n}\n")
    result = _translate("java", "Dates.java", backend)
    _check(result, "java")
    assert "static final long[] DAYS = {0L, 31L" in result.after
    assert "for (long codex_i" in result.after and "break;" in result.after and "continue;" in result.after
    assert "throw new IllegalArgumentException" in result.after and "Math.floorDiv(a, b)" in result.after
    assert not [r for r, _ in backend.batches if r.max_tokens == LINE_TOKENS]  # no statement needed the model


@needs_cpp
def test_cpp_functions_with_loops_asserts_and_raises_are_assembled_and_verified():
    backend = FakeBackend([], default="    return 0;\n}\n")
    result = _translate("cpp", "dates.cpp", backend)
    _check(result, "cpp")
    assert "const std::vector<long long> DAYS = {0LL, 31LL" in result.after
    assert "long long digit_sum(long long n) {" in result.after
    assert "throw std::invalid_argument" in result.after and "#include <stdexcept>" in result.after


@needs_java
def test_the_model_writes_what_no_rule_covers_and_its_answers_are_checked():
    source = dedent('''\
        def square(a):
            """
            >>> square(3)
            9
            >>> square(-4)
            16
            """
            x = a ** 2
            return x
        ''')
    # No rule writes an integer power: the model's first answer computes something else, its
    # second matches the original on every state.
    backend = FakeBackend(["    return a;\n}\n", "x = a * 2;", "x = a * a;", *["x = a;"] * 4], default="return x;")
    result = task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(source, Path("squares.py"), "python", "java", Path("Squares.java")),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )
    (outcome,) = result.outcomes
    assert task.verified(outcome), outcome.reason
    assert "x = a * a;" in result.after  # the model's second answer, the one that matched
    asked = [r.messages[-1].content for r, _ in backend.batches if r.max_tokens == LINE_TOKENS]
    assert asked == ["x = a ** 2"]  # `return x` was codex's own
    assert "codex wrote 1 of its 2 statements, the model 1" in outcome.note


@needs_tsc
def test_typescript_gets_line_assembly_through_its_own_entry():
    # One function keeps tsc's runs few: its numbers are floats, so // is Math.floor of a division.
    source = MODULE.split("def digit_sum")[0] + "def floor_half" + MODULE.split("def floor_half")[1]
    backend = FakeBackend([], default="    return 0;\n}\n")
    result = task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(source, Path("dates.py"), "python", "typescript", Path("dates.ts")),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )
    by_name = {o.target.name: o for o in result.outcomes}
    for name in ("days_before", "floor_half"):
        assert task.verified(by_name[name]), by_name[name].reason
        assert by_name[name].detail.origin == "lines"
    assert "const DAYS: number[] = [0, 31, 28" in result.after
    assert "function floorHalf(a: number, b: number): number {" in result.after
    assert "Math.floor(a / (b !== 0 ? b :" in result.after and "throw new Error(" in result.after


RUNNING = dedent('''\
    def running(xs: list[int], k: int) -> list[int]:
        """
        >>> running([3, 1, 4, 1, 5], 2)
        [4, 5, 5, 6]
        >>> running([2, -7], 1)
        [2, -7]
        """
        out = []
        acc = [0] * k
        for i in range(len(xs) - k + 1):
            s = 0
            for j in range(k):
                s += xs[i + j]
            acc[i % k] = s
            out.append(s)
        return out
    ''')


@needs_cpp
def test_cpp_lists_as_locals_grow_and_are_stored_into():
    # An empty list and [0] * k as locals (their kind from the values they held), a[i] = v and
    # append checked by the list after them, nested loops.
    result = task.translate_source(
        FakeBackend([], default="    return {};\n}\n"),
        load_prompt("translate"),
        task.TranslateJob(RUNNING, Path("sums.py"), "python", "cpp", Path("sums.cpp")),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )
    (outcome,) = result.outcomes
    assert task.verified(outcome), outcome.reason
    assert "acc = std::vector<long long>(k, 0);" in result.after and "out.push_back(s);" in result.after
