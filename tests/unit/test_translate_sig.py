"""Java translations whose signature codex writes (tasks/translate/sig.py): types from the body
and the original's returned values, the stop at the method's end, java.util imports, the
returned-tuple repair, and a tuple compared with a double[] by the real harness."""

import ast
import shutil
from pathlib import Path

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.repair import repair_translation, tuple_return_as_array
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.sig import (
    close_braces,
    java_constants,
    java_signature,
    java_util_imports,
    observed_signature,
    own_signature,
    return_kind,
)
from codexcli.tasks.translate.units import instructions, python_units
from tests.conftest import YIQ


def yiq_to_java(backend):
    return task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(YIQ, Path("colorsys.py"), "python", "java", Path("Colorsys.java")),
        Settings(retries=0),
    )


def _fn(source):
    return ast.parse(source).body[0]


def test_return_types_follow_the_observed_values():
    assert return_kind([{"__tuple__": [0.0, 1.5, 0]}, {"__tuple__": [1, 2, 3]}]) == "float[]"
    assert return_kind([[1, 2], [3]]) == "int[]" and return_kind([[], [3]]) == "int[]"
    assert return_kind([1, 2.5]) == "float" and return_kind([3, 4]) == "int"
    assert return_kind(["a"]) == "str" and return_kind([True, False]) == "bool"
    assert return_kind([1, "a"]) is None and return_kind([None]) is None and return_kind([]) is None
    assert return_kind([2**64]) is None  # beyond every target's 64-bit integer
    ident = _fn("def f(x):\n    return x\n")
    returned = {"double[]": [{"__tuple__": [0.5, 1]}], "long[]": [[1, 2]], "boolean": [True], "String": ["a"]}
    for java, values in returned.items():
        param = "double" if java.startswith("double") else "int"
        assert java_signature(ident, "f", values) == f"public static {java} f({param} x)"


def test_signature_from_inferred_parameters_and_returned_tuples():
    values = [{"__tuple__": [0.5, 0.25, 0.1]}]
    assert (
        java_signature(_fn(YIQ), "rgbToYiq", values) == "public static double[] rgbToYiq(double r, double g, double b)"
    )
    # An int parameter of a function returning floats is a double (Java's int division differs).
    half = "def half(n):\n    return n % 7 / 2\n"
    assert java_signature(_fn(half), "half", [1.5]) == "public static double half(double n)"
    count = "def count(items, x):\n    return sum(1 for i in items if i == x) + len(items)\n"
    assert java_signature(_fn(count), "count", [2]) == "public static long count(int[] items, int x)"
    assert java_signature(_fn("def name(obj):\n    return obj.name\n"), "name", ["a"]) is None  # type unknown
    words = "def first(s):\n    return s.split()[0]\n"
    assert java_signature(_fn(words), "first", ["a"]) == "public static String first(String s)"


def test_observed_signature_runs_the_original_on_its_cases():
    assert observed_signature(YIQ, "rgb_to_yiq", "rgbToYiq", (), 6, 2.0) == (
        "public static double[] rgbToYiq(double r, double g, double b)"
    )
    assert observed_signature("def f(*a):\n    return 1\n", "f", "f", (), 6, 2.0) is None


def test_braces_closed_and_the_models_own_signature_kept():
    assert close_braces("int f() {\n    if (x) {\n        return 1;\n    }\n    return 2;") == (
        "int f() {\n    if (x) {\n        return 1;\n    }\n    return 2;\n}\n"
    )
    assert close_braces("int f() { return 1; }\n") == "int f() { return 1; }\n"
    head, sig = "```java\n", "public static double f(double x)"
    again = head + sig + " {\npublic static int f(int x) {\n    return x;\n"
    assert own_signature(again, head, sig, "f") == head + "public static int f(int x) {\n    return x;\n"
    body = head + sig + " {\n    return x;\n"
    assert own_signature(body, head, sig, "f") == body


def test_java_util_imports_added_for_what_the_body_uses():
    body = "static List<Double> f() { List<Double> a = new ArrayList<>(); Arrays.sort(x); return a; }"
    assert java_util_imports(body, []) == [
        "import java.util.List;",
        "import java.util.ArrayList;",
        "import java.util.Arrays;",
    ]
    assert java_util_imports(body, ["import java.util.*;"]) == []
    assert java_util_imports("static double f() { return Math.max(1, 2); }", []) == []
    assert java_util_imports("static class Stack { Stack next; }", []) == []


def test_java_prompt_no_longer_asks_for_imports_first():
    (unit,) = python_units(YIQ, "java")[0]
    assert "imports" not in instructions(unit, "java", Path("Colorsys.java"), {})
    assert "Put the imports it needs first." in instructions(unit, "javascript", Path("colorsys.js"), {})


def test_returned_tuple_written_as_an_array():
    fixed = tuple_return_as_array("    return (y, i, q);\n", "double[]")
    assert fixed is not None and fixed.text == "    return new double[]{y, i, q};\n"
    assert fixed.note == "repaired: wrote the returned tuple as `new double[]{...}`"
    assert tuple_return_as_array("return y, f(a, b), q;", "double[]").text == "return new double[]{y, f(a, b), q};"
    for untouched in ("return (a, b) + (c, d);", "return f(a, b);", "return (a + b);", "return new double[]{a, b};"):
        assert tuple_return_as_array(untouched, "double[]") is None
    code = "public static double[] f(double x) {\n    return (x, x);\n}\n"
    assert repair_translation(code, "f", "java") is None  # no signature from codex: not applied
    assert "new double[]{x, x}" in repair_translation(code, "f", "java", "double[]").text


@pytest.mark.skipif(not (shutil.which("javac") and shutil.which("java")), reason="needs javac and java")
def test_prefilled_body_with_a_tuple_return_compiles_and_matches_the_original():
    body = (
        "    double y = 0.30*r + 0.59*g + 0.11*b;\n    double i = 0.74*(r-y) - 0.27*(b-y);\n"
        "    double q = 0.48*(r-y) + 0.41*(b-y);\n    return (y, i, q);\n}\nextra text the stop cuts"
    )
    backend = FakeBackend([body])
    result = yiq_to_java(backend)
    (request,) = backend.requests
    assert request.prefill.endswith("public static double[] rgbToYiq(double r, double g, double b) {\n")
    assert "\n}" in request.stop
    (outcome,) = result.outcomes
    assert outcome.status == "translated" and "wrote the returned tuple" in outcome.reason
    assert task.verified(outcome), outcome.detail.behaviour
    assert outcome.detail.behaviour.total >= 3 and "return new double[]{y, i, q};" in result.after
    assert "extra text" not in result.after


def test_the_original_runs_once_for_the_signature_and_the_behaviour_check(monkeypatch):
    from codexcli.verify.compare import behaviour

    calls = []
    real = behaviour.observe

    def counted(source, name, cases, **kwargs):
        calls.append(name)
        return real(source, name, cases, **kwargs)

    monkeypatch.setattr(behaviour, "observe", counted)
    body = "    double y = r;\n    return (y, g, b);\n}\n"
    yiq_to_java(FakeBackend([body]))
    assert calls == ["rgb_to_yiq"]


def test_literal_constants_are_written_by_codex():
    code = '__all__ = ["f"]\nONE_THIRD = 1.0/3.0\nN: int = 3\nM = -N * 2\nS = "h\\u00e9"\nOK = True'
    assert java_constants(code) == (
        "static final double ONE_THIRD = 0.3333333333333333;\nstatic final long N = 3L;\n"
        'static final long M = -6L;\nstatic final String S = "h\\u00e9";\nstatic final boolean OK = true;'
    )
    for other in (
        "X = [1, 2.5]",
        "X = []",
        "X = [[1]]",
        "X = {1: 2}",
        "X = f(2)",
        "X = 1 / 0",
        "A, B = 1, 2",
        "X = 2 ** 3",
    ):
        assert java_constants(other) is None, other


@pytest.mark.skipif(not shutil.which("javac"), reason="needs javac")
def test_constants_unit_asks_no_model_and_compiles_with_the_methods():
    source = "ONE_SIXTH = 1.0/6.0\n\ndef sixth(x):\n    return x * ONE_SIXTH\n"
    backend = FakeBackend(["    return x * ONE_SIXTH;\n}\n"])
    result = task.translate_source(
        backend,
        load_prompt("translate"),
        task.TranslateJob(source, Path("c.py"), "python", "java", Path("C.java")),
        Settings(retries=0),
    )
    assert len(backend.requests) == 1  # only the function was asked
    constants, sixth = result.outcomes
    assert constants.status == "translated" and constants.attempts == ()
    assert constants.reason == "written by codex: the constants' values, evaluated"
    assert "static final double ONE_SIXTH = 0.16666666666666666;" in result.after
    assert task.verified(sixth), sixth.detail.behaviour


def test_what_codex_writes_is_named_by_the_targets_rules():
    from codexcli.tasks.translate.lang import rules
    from codexcli.tasks.translate.sig import JAVA_WRITER, writer

    java = writer(rules("java").writes)
    assert java is JAVA_WRITER and java.lines and java.signature is java_signature
    assert writer(f"{JAVA_WRITER.signature.__module__}:JAVA_WRITER") is JAVA_WRITER  # "module:name" too
    assert writer(rules("javascript").writes) is None and writer(rules("go").writes) is None
    rust = writer(rules("rust").writes)  # tasks/translate/sig_rust.py
    assert rust is not None and rust.lines is not None and rust.lines.types["int"] == "i64"


def test_every_typed_target_signs_with_the_modules_call_sites():
    from codexcli.tasks.translate.sig_typed import cpp_signature, ts_signature

    source = "def shout(s):\n    return s\n\ndef caller():\n    return shout('hey')\n"
    fn = _fn(source)
    assert java_signature(fn, "shout", ["hey"], [source]) == "public static String shout(String s)"
    assert cpp_signature(fn, "shout", ["hey"], [source]) == "std::string shout(std::string s)"
    assert ts_signature(fn, "shout", ["hey"], [source]) == "function shout(s: string): string"
    # Without the module in view the parameter is whatever the body alone allows (not a str).
    assert cpp_signature(fn, "shout", ["hey"]) != "std::string shout(std::string s)"
