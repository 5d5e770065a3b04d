"""Line assembly for Rust (tasks/translate/sig_rust.py: RUST_LINES, its signature and constants):
loops with break/continue, asserts and raises as panics, divmod and tuple unpacking, Python's
floor division and modulo on negatives, a list constant and a float function, laid out by codex
and each statement checked on the original's states with the real rustc and harness."""

import ast
import itertools
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
from codexcli.tasks.translate.lines import LINE_TOKENS, line_signature, method_text, return_type
from codexcli.tasks.translate.sig_rust import HELPERS, RUST_LINES, rust_cells, rust_constants, rust_helpers
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.harness import run_translation

needs_rust = pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not installed")

# Real-looking integer functions: a leap-year test and a month length with a list constant and a
# raise, a digit sum with divmod and continue, a rounding division on negatives, a countdown
# with a negative range step and an assert, a search with while True / break and a negative
# index, and a float function with a float constant.
MODULE = dedent('''\
    DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    SCALE = 1.0 / 3.0


    def is_leap(year):
        """
        >>> is_leap(2000)
        True
        >>> is_leap(1900)
        False
        >>> is_leap(-4)
        True
        """
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


    def days_in(year, month):
        """
        >>> days_in(2000, 2)
        29
        >>> days_in(2001, 2)
        28
        >>> days_in(2001, 13)
        Traceback (most recent call last):
        ValueError: month
        """
        if not 1 <= month <= 12:
            raise ValueError("month")
        if month == 2 and is_leap(year):
            return 29
        return DAYS[month]


    def reverse_digits(n):
        """
        >>> reverse_digits(1230)
        321
        >>> reverse_digits(-405)
        -504
        >>> reverse_digits(7)
        7
        """
        sign = -1 if n < 0 else 1
        n = abs(n)
        out = 0
        while n > 0:
            n, d = divmod(n, 10)
            if d == 0 and out == 0:
                continue
            out = out * 10 + d
        return sign * out


    def div_round(a, b):
        """
        >>> div_round(7, 2)
        4
        >>> div_round(-7, 2)
        -3
        >>> div_round(7, -2)
        -3
        >>> div_round(-9, -4)
        2
        >>> div_round(5, 0)
        Traceback (most recent call last):
        ZeroDivisionError: integer division or modulo by zero
        """
        q, r = divmod(a, b)
        return q + (2 * r > b if b > 0 else 2 * r < b)


    def countdown_sum(n, step):
        """
        >>> countdown_sum(10, 3)
        22
        >>> countdown_sum(-5, 2)
        0
        >>> countdown_sum(7, 1)
        0
        >>> countdown_sum(7, 0)
        Traceback (most recent call last):
        AssertionError: step must be positive
        """
        assert step > 0, "step must be positive"
        total = 0
        for i in range(n, 0, -1):
            if i % step == 0:
                continue
            total += i
        return total


    def last_over(xs, limit):
        """
        >>> last_over([1, 5, 9, 12], 6)
        12
        >>> last_over([3, -4], -10)
        -4
        >>> last_over([1, 2], 5)
        -1
        """
        found = -1
        i = 0
        while True:
            if i >= len(xs):
                break
            if xs[i] > limit:
                found = xs[-1]
            i += 1
        return found


    def mean_scaled(a, b, c):
        """
        >>> mean_scaled(1.0, 2.0, 3.0)
        2.0
        >>> mean_scaled(0.5, -1.5, 4)
        1.0
        >>> mean_scaled(0.0, 0.0, 0.0)
        0.0
        """
        total = a + b + c
        if total == 0:
            return 0.0
        return total * SCALE
    ''')

NAMES = ["is_leap", "days_in", "reverse_digits", "div_round", "countdown_sum", "last_over", "mean_scaled"]


def _fn(source, name):
    return next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)


def _rust(src, kinds):
    found = expression(ast.parse(src, mode="eval").body, kinds, RUST_LINES, {}, {})
    return found.text if found else None


def test_rules_write_python_semantics_in_rust():
    kinds = {"a": "int", "b": "int", "xs": "int[]", "x": "float", "s": "str", "t": "str", "ok": "bool"}
    assert _rust("a // b - a % b", kinds) == "codex_floordiv(a, b) - codex_mod(a, b)"
    assert _rust("xs[-1] + len(xs)", kinds) == "xs[((xs.len() as i64) - 1) as usize] + (xs.len() as i64)"
    # Python's / is a float division raising on a zero divisor; Rust converts no int by itself
    assert _rust("a / b", kinds) == "((a) as f64) / codex_nonzero(((b) as f64))"
    assert _rust("a / 2", kinds) == "((a) as f64) / 2.0"
    assert _rust("x * 2 + a", kinds) == "x * 2.0 + ((a) as f64)"
    assert _rust("x < 0", kinds) == "x < 0.0"
    assert _rust("a + ok", kinds) == "a + ((ok) as i64)"
    assert _rust("a if ok else b", kinds) == "if ok { a } else { b }"
    assert _rust("max(a, x)", kinds) == "f64::max(((a) as f64), x)"
    assert _rust("abs(a)", kinds) == "i64::abs(a)"
    assert _rust("x ** 0.5", kinds) == "f64::powf(x, 0.5)"
    # strs: code points counted (Python's len), compared as Strings, literals as Strings
    assert _rust("len(s)", kinds) == "(s.chars().count() as i64)"
    assert _rust("s == 'é'", kinds) == '(s == String::from("\\u{e9}"))'
    assert _rust("s + t", kinds) == 'format!("{}{}", s, t)'
    assert _rust("s.find(t)", kinds) is None  # Rust's find counts bytes: no rule
    assert _rust("2 ** 70", kinds) is None


def test_layout_rebinds_assigned_parameters_and_counts_down():
    steps = plan(_fn(MODULE, "countdown_sum"), {}, MODULE)
    kinds = {"n": "int", "step": "int", "total": "int", "i": "int"}
    laid = lay_out(steps, kinds, "int", RUST_LINES, {}, {})
    assert laid[0].rule == "(step > 0)" and laid[0].text.startswith('panic!("{}", ')
    assert laid[2].text == ("for codex_i2 in ((0) + 1..=(n)).rev().step_by((0i64 - (-1)) as usize) { i = codex_i2;")
    digits = plan(_fn(MODULE, "reverse_digits"), {}, MODULE)
    laid = lay_out(digits, {"n": "int", "sign": "int", "out": "int", "d": "int"}, "int", RUST_LINES, {}, {})
    assert laid[0].rule == "sign = if n < 0 { -1 } else { 1 };" and laid[1].rule == "n = i64::abs(n);"
    assert laid[4].text == (
        "let mut codex_t4_0: i64 = codex_floordiv(n, 10); let mut codex_t4_1: i64 = codex_mod(n, 10); "
        "n = codex_t4_0; d = codex_t4_1;"
    )
    typed = line_signature("pub fn reverse_digits(n: i64) -> i64", RUST_LINES)
    assert typed == ("pub fn reverse_digits(n: i64) -> i64", {"n": "int"}, "int")
    assert return_type("pub fn f(xs: Vec<i64>) -> Vec<f64>") == "Vec<f64>"


def test_constants_cells_and_helpers():
    assert rust_constants("DAYS = [31, 28]\nHALF = 1 / 2\nNAME = 'é'\nOK = True\n__all__ = ['x']\n") == (
        'const DAYS: [i64; 2] = [31, 28];\nconst HALF: f64 = 0.5;\nconst NAME: &str = "\\u{e9}";\nconst OK: bool = true;'
    )
    assert rust_constants("X = {1: 2}\n") is None and rust_constants("E = []\n") is None
    # an int the original held in a float local compares as the f64 Rust holds
    assert rust_cells(3) == [[3.0], []] and rust_cells({"__tuple__": [1, 2.5]}) == [[1.0, 2.5], []]
    assert rust_cells(["a", "b"]) == [[], ["a", "b"]] and rust_cells(True) == [[1.0], []]
    body = "q = codex_floordiv(a, b) + codex_mod(a, 3);"
    assert rust_helpers(body, []) == [HELPERS["codex_floordiv"], HELPERS["codex_mod"]]
    assert rust_helpers(body, [HELPERS["codex_mod"]]) == [HELPERS["codex_floordiv"]]


def test_a_function_ending_in_a_loop_gets_a_closing_panic():
    source = "def f(n):\n    while True:\n        if n > 3:\n            return n\n        n += 1\n"
    steps = plan(_fn(source, "f"), {}, source)
    laid = lay_out(steps, {"n": "int"}, "int", RUST_LINES, {}, {})
    chosen = {i: type("C", (), {"text": s.rule})() for i, s in enumerate(laid) if s.rule}
    text = method_text("pub fn f(n: i64) -> i64", laid, chosen, {}, RUST_LINES)
    assert text.splitlines()[1] == "    let mut n = n;"
    assert text.splitlines()[-2] == '    panic!("no value");'


@needs_rust
def test_floor_division_and_modulo_helpers_match_python_on_every_sign():
    code = (
        "\n".join(HELPERS.values())
        + "\npub fn both(a: i64, b: i64) -> Vec<i64> { vec![codex_floordiv(a, b), codex_mod(a, b)] }\n"
    )
    pairs = [(a, b) for a, b in itertools.product((-7, -6, -1, 0, 1, 6, 7, 2**62 + 3, -(2**62) - 3), (-3, -1, 2, 5, 0))]
    records, error = run_translation("rust", "both.rs", code, "both", [InputCase(repr(p)) for p in pairs])
    assert error is None, error
    for (a, b), record in zip(pairs, records):
        if b == 0:
            assert "raised" in record, (a, b, record)  # ZeroDivisionError in Python, a panic in Rust
        else:
            assert record.get("value") == list(divmod(a, b)), (a, b, record)


def _translate(source, backend):
    return task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(source, Path("dates.py"), "python", "rust", Path("dates.rs")),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )


@needs_rust
def test_rust_functions_with_loops_asserts_and_raises_are_assembled_and_verified():
    # The model's whole answers and lines are junk: codex's rules write every statement.
    backend = FakeBackend([], default="junk")
    result = _translate(MODULE, backend)
    by_name = {o.target.name: o for o in result.outcomes}
    for name in NAMES:
        outcome = by_name[name]
        assert task.verified(outcome), (name, outcome.reason)
        assert outcome.detail.origin == "lines" and outcome.note.startswith("assembled line by line")
    assert (
        "const DAYS: [i64; 13] = [0, 31, 28" in result.after
        and "const SCALE: f64 = 0.3333333333333333;" in result.after
    )
    assert "pub fn mean_scaled(a: f64, b: f64, c: f64) -> f64 {" in result.after
    assert "pub fn last_over(xs: Vec<i64>, limit: i64) -> i64 {" in result.after
    assert result.after.count("fn codex_floordiv(") == 1  # one helper for the file
    assert "break;" in result.after and "continue;" in result.after and "panic!(" in result.after
    assert not [r for r, _ in backend.batches if r.max_tokens == LINE_TOKENS]  # no statement needed the model


STRINGS = dedent('''\
    def tag(name, closing=False):
        """
        >>> tag("b", True)
        '</b>'
        >>> tag("a&b")
        '<a&amp;b>'
        """
        name = name.replace("&", "&amp;")
        if closing:
            out = "</" + name + ">"
        else:
            out = "<" + name + ">"
        return out


    def last_pos(word, ch):
        """
        >>> last_pos("-é-l", "l")
        3
        >>> last_pos("abcb", "b")
        3
        >>> last_pos("ab", "z")
        Traceback (most recent call last):
        ValueError: missing
        >>> last_pos("--a", "a")
        Traceback (most recent call last):
        ValueError: missing
        """
        if ch not in word or word.startswith("--"):
            raise ValueError("missing")
        i = len(word) - 1
        while i >= 0:
            if word[i] == ch:
                break
            i -= 1
        return i
    ''')


@needs_rust
def test_rust_strs_count_code_points_and_are_verified():
    # "-é-l": Python's len and s[i] count code points (é is two bytes); Rust's chars() does too.
    result = _translate(STRINGS, FakeBackend([], default="junk"))
    for outcome in result.outcomes:
        assert task.verified(outcome), (outcome.target.name, outcome.reason)
    assert "pub fn tag(name: String, closing: bool) -> String {" in result.after
    assert "word.chars().nth((i) as usize).unwrap().to_string() == ch" in result.after


def test_a_whole_function_the_model_writes_again_keeps_its_own_signature():
    from codexcli.tasks.translate.sig import own_signature

    head, signature = "```rust\n", "pub fn add(a: i64, b: i64) -> i64"
    again = head + signature + " {\n" + "pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}"
    assert own_signature(again, head, signature, "add") == head + "pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}"
    body = head + signature + " {\n    a + b\n}"
    assert own_signature(body, head, signature, "add") == body
