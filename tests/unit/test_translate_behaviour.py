"""Behaviour comparison of translations: the pure comparison, and real harness runs with javac,
node and g++ (skipped when the toolchain is missing): matching, mismatching, raising, crashing
and hanging translations."""

import shutil
from textwrap import dedent

import pytest

from codexcli.verify.cases.cases import collect_cases
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import Behaviour, Observation, observe
from codexcli.verify.compare.harness import compare, cpp_literal, java_literal, js_literal, run_translation, simplify
from codexcli.verify.compare.toolchains import resolve_tool

ORIGINAL = dedent('''\
    def running_total(values: list[int]) -> list[int]:
        """
        >>> running_total([1, 2, 3])
        [1, 3, 6]
        """
        out, total = [], 0
        for v in values:
            total += v
            out.append(total)
        return out
    ''')


def _expected(cases):
    return observe(ORIGINAL, "running_total", cases)


def _cases():
    return collect_cases(ORIGINAL, "running_total", limit=5)


# The pure comparison ---------------------------------------------------------------------------


def _behaviour(*pairs):
    return Behaviour(
        tuple(Observation(InputCase(repr((i,))), kind, value=v, raised=r) for i, (kind, v, r) in enumerate(pairs))
    )


def test_compare_counts_matching_and_mismatching_values():
    expected = _behaviour(("value", 1, None), ("value", [1, 2], None), ("value", {"__tuple__": [1, "a"]}, None))
    report = compare(expected, [{"value": 1}, {"value": [1, 3]}, {"value": [1, "a"]}])
    assert (report.passed, report.total) == (2, 3)
    assert report.failed and not report.verified
    assert "expected [1, 2], got [1, 3]" in report.first_failure()


def test_compare_treats_raising_as_raising_whatever_the_type():
    expected = _behaviour(("raised", None, "ZeroDivisionError"), ("value", 2, None))
    report = compare(expected, [{"raised": "ArithmeticException"}, {"raised": "Error"}])
    assert (report.passed, report.total) == (1, 2)
    assert "raised Error" in report.first_failure()


def test_compare_reports_timeouts_crashes_and_missing_cases_as_failures():
    expected = _behaviour(("value", 1, None), ("value", 2, None), ("value", 3, None))
    report = compare(expected, [{"timeout": True}, {"crashed": 3}, None])
    assert report.passed == 0 and report.total == 3
    kinds = [r.kind for r in report.results]
    assert kinds == ["timeout", "crashed", "missing"]


def test_compare_skips_cases_where_the_original_hung():
    expected = _behaviour(("timeout", None, None), ("value", 2, None))
    report = compare(expected, [{"timeout": True}, {"value": 2}])
    assert (report.passed, report.total) == (1, 1) and report.verified


def test_sets_compare_unordered_and_dicts_by_key():
    exp, act = simplify({"__set__": [1, 2, 3]}, [3, 1, 2])
    assert exp == act
    exp, act = simplify({"__dict__": [[1, "a"], [2, "b"]]}, {"__map__": [["2", "b"], ["1", "a"]]})
    assert exp == act
    exp, act = simplify({"__dict__": [[1, "a"]]}, {"__map__": [["1", "z"]]})
    assert exp != act


def test_literals_per_language():
    assert java_literal([1, (2.5, 'a"b'), None, True]) == 'L(1L, L(2.5d, "a\\"b"), null, true)'
    assert java_literal({"k": 1}) == 'M("k", 1L)'
    assert cpp_literal([[1, 2], []]) == "{{1, 2}, {}}"
    assert cpp_literal("x") == 'std::string("x")'
    assert js_literal({"a": (1, None)}) == '{"a": [1, null]}'


# Real toolchains ---------------------------------------------------------------------------------

needs_java = pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("java") is None, reason="javac/java not on PATH"
)
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node not on PATH")
needs_gxx = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ not on PATH")

JAVA = {
    "match": "import java.util.*;\npublic class Sums {\n  public static List<Long> runningTotal(List<Long> values) {\n    List<Long> out = new ArrayList<>(); long t = 0;\n    for (long v : values) { t += v; out.add(t); }\n    return out;\n  }\n}\n",
    "array": "public class Sums {\n  public static int[] runningTotal(int[] values) {\n    int[] out = new int[values.length]; int t = 0;\n    for (int i = 0; i < values.length; i++) { t += values[i]; out[i] = t; }\n    return out;\n  }\n}\n",
    "mismatch": "public class Sums {\n  public static int[] runningTotal(int[] values) { return values; }\n}\n",
    "raise": "public class Sums {\n  public static int[] runningTotal(int[] values) { return new int[]{values[5]}; }\n}\n",
    "crash": "public class Sums {\n  public static int[] runningTotal(int[] values) { if (values.length == 0) System.exit(3); return values; }\n}\n",
    "hang": "public class Sums {\n  public static int[] runningTotal(int[] values) { while (values.length == 0) {} int[] o = values.clone(); for (int i = 1; i < o.length; i++) o[i] += o[i-1]; return o; }\n}\n",
}


@needs_java
@pytest.mark.parametrize("variant", ["match", "array"])
def test_java_translation_that_matches(variant):
    cases = _cases()
    records, error = run_translation("java", "Sums.java", JAVA[variant], "runningTotal", cases, owner="Sums")
    assert error is None
    report = compare(_expected(cases), records)
    assert report.verified and report.passed == report.total == len(cases)


@needs_java
def test_java_translation_that_computes_something_else():
    cases = _cases()
    report = compare(
        _expected(cases), run_translation("java", "Sums.java", JAVA["mismatch"], "runningTotal", cases, owner="Sums")[0]
    )
    assert report.failed and 0 < report.passed < report.total


@needs_java
def test_java_translation_that_throws_where_python_returns():
    cases = _cases()
    report = compare(
        _expected(cases), run_translation("java", "Sums.java", JAVA["raise"], "runningTotal", cases, owner="Sums")[0]
    )
    assert report.passed == 0 and {r.kind for r in report.results} == {"raised"}


@needs_java
def test_java_translation_that_crashes_is_restarted_after_the_crash():
    cases = _cases()
    assert cases[1].values()[0] == ([],)  # the empty list is the crashing input
    report = compare(
        _expected(cases), run_translation("java", "Sums.java", JAVA["crash"], "runningTotal", cases, owner="Sums")[0]
    )
    assert report.results[1].kind == "crashed"
    assert report.results[2].kind == "value"  # the cases after the crash still ran


@needs_java
def test_java_translation_that_hangs_times_out_on_that_case_only():
    cases = _cases()
    records, error = run_translation(
        "java", "Sums.java", JAVA["hang"], "runningTotal", cases, owner="Sums", per_case_timeout_s=1.0
    )
    report = compare(_expected(cases), records)
    assert error is None
    assert [r.kind for r in report.results].count("timeout") == 1 and report.results[1].kind == "timeout"
    assert report.passed == report.total - 1


@needs_node
def test_javascript_match_mismatch_crash_and_hang():
    cases = _cases()
    expected = _expected(cases)
    good = "function runningTotal(v) { let t = 0; return v.map(x => t += x); }\nmodule.exports = { runningTotal };\n"
    bad = "function runningTotal(v) { return v; }\nmodule.exports = { runningTotal };\n"
    crash = "function runningTotal(v) { if (v.length === 0) process.exit(4); let t = 0; return v.map(x => t += x); }\nmodule.exports = { runningTotal };\n"
    hang = "function runningTotal(v) { while (v.length === 0) {} let t = 0; return v.map(x => t += x); }\nmodule.exports = { runningTotal };\n"
    assert compare(expected, run_translation("javascript", "sums.js", good, "runningTotal", cases)[0]).verified
    assert compare(expected, run_translation("javascript", "sums.js", bad, "runningTotal", cases)[0]).failed
    crashed = compare(expected, run_translation("javascript", "sums.js", crash, "runningTotal", cases)[0])
    assert [r.kind for r in crashed.results][1] == "crashed" and crashed.passed == crashed.total - 1
    hung = compare(
        expected, run_translation("javascript", "sums.js", hang, "runningTotal", cases, per_case_timeout_s=0.5)[0]
    )
    assert hung.results[1].kind == "timeout" and hung.passed == hung.total - 1


@needs_node
def test_javascript_missing_export_counts_as_raising():
    cases = _cases()
    report = compare(
        _expected(cases), run_translation("javascript", "sums.js", "function other() {}\n", "runningTotal", cases)[0]
    )
    assert report.passed == 0 and report.failed


@needs_gxx
def test_cpp_translation_matches_and_its_main_is_replaced():
    cases = _cases()
    code = "#include <vector>\nstd::vector<long long> running_total(const std::vector<long long>& v) {\n  std::vector<long long> o; long long t = 0;\n  for (auto x : v) { t += x; o.push_back(t); }\n  return o;\n}\nint main() { return 1; }\n"
    records, error = run_translation("cpp", "sums.cpp", code, "running_total", cases)
    assert error is None
    assert compare(_expected(cases), records).verified


def test_language_without_harness_is_not_verified_not_failed():
    cases = _cases()
    records, error = run_translation("csharp", "Sums.cs", "class X {}", "RunningTotal", cases)
    assert records == [] and "no behaviour harness" in error


@pytest.mark.skipif(
    resolve_tool("tsc") is None or shutil.which("node") is None,
    reason="tsc not installed (make tools installs it with npm)",
)
def test_typescript_translation_is_compiled_and_run():
    cases = _cases()
    code = "function runningTotal(v: number[]): number[] { let t = 0; return v.map(x => t += x); }\nexport { runningTotal };\n"
    records, error = run_translation("typescript", "sums.ts", code, "runningTotal", cases)
    assert error is None
    assert compare(_expected(cases), records).verified
    wrong = code.replace("t += x", "t -= x")
    assert compare(_expected(cases), run_translation("typescript", "sums.ts", wrong, "runningTotal", cases)[0]).failed


@pytest.mark.skipif(resolve_tool("rustc") is None, reason="rustc not on PATH")
def test_rust_translation_typed_from_its_signature_panics_count_as_raising():
    cases = _cases()
    good = "pub fn running_total(values: &[i64]) -> Vec<i64> { let mut t = 0; values.iter().map(|v| { t += v; t }).collect() }\nfn main() {}\n"
    panics = 'pub fn running_total(values: Vec<i64>) -> Vec<i64> { if values.is_empty() { panic!("empty") } values }\n'
    assert compare(_expected(cases), run_translation("rust", "sums.rs", good, "running_total", cases)[0]).verified
    report = compare(_expected(cases), run_translation("rust", "sums.rs", panics, "running_total", cases)[0])
    assert report.results[1].kind == "raised" and report.failed


def test_rust_literals_follow_the_parameter_types():
    from codexcli.verify.compare.rust_args import param_types, rust_literal

    code = "pub fn f(a: &str, b: Vec<i64>, c: &HashMap<String, f64>, d: Option<(i32, char)>) -> i64 { 0 }"
    types = param_types(code, "f")
    assert types == ["&str", "Vec<i64>", "&HashMap<String, f64>", "Option<(i32, char)>"]
    assert rust_literal("hé", types[0]) == '"h\\u{e9}"'
    assert rust_literal([1, -2], types[1]) == "vec![1i64, -2i64]"
    assert rust_literal({"k": 1}, types[2]) == '&std::collections::HashMap::from([(String::from("k"), 1.0f64)])'
    assert rust_literal((3, "x"), types[3]) == "Some((3i32, 'x'))"
    assert rust_literal(None, types[3]) == "None"
