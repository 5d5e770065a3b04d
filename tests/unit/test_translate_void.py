"""Functions that return nothing and change a list argument in place (tasks/translate/mutation.py,
verify/compare/mutated.py): their signatures, the harness comparing the arguments after the
call, and their line layout (bare ``return``, element stores and swaps on a parameter), checked
with the real javac / g++ against Python on the functions' own cases."""

import ast
import shutil
from textwrap import dedent

import pytest

from codexcli.tasks.translate.line_plan import lay_out, plan
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES, TS_LINES
from codexcli.tasks.translate.lines import line_signature
from codexcli.tasks.translate.mutation import mutated_params, returns_nothing
from codexcli.tasks.translate.sig import typed_signature
from codexcli.tasks.translate.sig_rust import RUST_LINES
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import observe
from codexcli.verify.compare.harness import compare, run_translation
from codexcli.verify.compare.mutated import mutated_args
from tests.unit.rules_only import assert_rules_wrote, translate_by_rules

needs_java = pytest.mark.skipif(shutil.which("javac") is None, reason="javac is not installed")
needs_cpp = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")
needs_rust = pytest.mark.skipif(shutil.which("rustc") is None, reason="rustc is not installed")

MODULE = dedent("""\
    def exchange(a, i, j):
        a[i], a[j] = a[j], a[i]


    def sift_down(heap, pos, n):
        while True:
            child = 2 * pos + 1
            if child >= n:
                return
            if child + 1 < n and heap[child + 1] < heap[child]:
                child = child + 1
            if heap[pos] <= heap[child]:
                return
            heap[pos], heap[child] = heap[child], heap[pos]
            pos = child


    def sift_up(heap, pos):
        while pos > 0:
            parent = (pos - 1) // 2
            if heap[parent] <= heap[pos]:
                break
            heap[pos], heap[parent] = heap[parent], heap[pos]
            pos = parent


    def insert_sorted(a, n, x):
        i = n - 1
        while i >= 0 and a[i] > x:
            a[i + 1] = a[i]
            i -= 1
        a[i + 1] = x


    def reverse_part(a, lo, hi):
        while lo < hi:
            a[lo], a[hi] = a[hi], a[lo]
            lo += 1
            hi -= 1


    def add_to_all(a, d):
        for i in range(len(a)):
            a[i] += d
        return len(a)


    def last_to_front(a, k):
        v = a[k]
        a[k] = a[0]
        a[0] = v


    def heap_sort_step(heap, n):
        if n < 1 or n > len(heap):
            return
        exchange(heap, 0, n - 1)
        sift_down(heap, 0, n - 1)


    def test_heap():
        h = [1, 3, 2, 7, 5, 4]
        sift_down(h, 0, 6)
        sift_up(h, 5)
        exchange(h, 0, 5)
        reverse_part(h, 1, 4)
        insert_sorted([1, 2, 4, 0], 3, 3)
        add_to_all([1, 2], 1)
        last_to_front([1, 2, 3], -1)
        heap_sort_step([1, 2, 3], 3)
    """)

NAMES = [
    "exchange",
    "sift_down",
    "sift_up",
    "insert_sorted",
    "reverse_part",
    "add_to_all",
    "last_to_front",
    "heap_sort_step",
]


def _fn(name, source=MODULE):
    return next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)


def test_changed_parameters_and_functions_that_return_nothing():
    assert mutated_params(_fn("exchange")) == {"a": False}
    assert mutated_params(_fn("sift_down")) == {"heap": False}
    assert mutated_params(_fn("heap_sort_step")) == {}  # alone: it only passes the list on
    assert mutated_params(_fn("heap_sort_step"), ast.parse(MODULE)) == {"heap": False}  # to exchange, sift_down
    grows = "def f(xs, ys, zs):\n    xs.append(1)\n    ys.sort()\n    zs = [1]\n    zs[0] = 2\n"
    assert mutated_params(_fn("f", grows)) == {"xs": True, "ys": False}  # zs rebound: not the caller's list
    assert returns_nothing(_fn("sift_down"), [None, None])
    assert not returns_nothing(_fn("add_to_all"), [None])  # returns a value (None here only by chance)
    assert not returns_nothing(_fn("exchange"), [])  # no case returned: nothing known
    assert not returns_nothing(_fn("exchange"), [None, 3])


def test_signatures_return_void_and_pass_changed_lists_back():
    java = typed_signature(_fn("sift_down"), "siftDown", [None], JAVA_LINES, [MODULE])
    assert java == "public static void siftDown(int[] heap, int pos, int n)"  # a Java array is shared
    cpp = typed_signature(_fn("sift_down"), "sift_down", [None], CPP_LINES, [MODULE])
    assert cpp == "void sift_down(std::vector<long long>& heap, long long pos, long long n)"
    assert typed_signature(_fn("add_to_all"), "add_to_all", [2], CPP_LINES, [MODULE]) == (
        "long long add_to_all(std::vector<long long>& a, long long d)"
    )
    assert typed_signature(_fn("sift_down"), "siftDown", [None], TS_LINES, [MODULE]) is None  # no void rule
    grows = "def push(xs, v):\n    xs.append(v + 1)\n"
    assert typed_signature(_fn("push", grows), "push", [None], JAVA_LINES, [grows]) is None  # an array cannot grow
    assert typed_signature(_fn("push", grows), "push", [None], CPP_LINES, [grows]) == (
        "void push(std::vector<long long>& xs, long long v)"
    )
    rust = typed_signature(_fn("sift_down"), "sift_down", [None], RUST_LINES, [MODULE])
    assert rust == "pub fn sift_down(heap: &mut Vec<i64>, pos: i64, n: i64) -> ()"
    assert line_signature(rust, RUST_LINES) == (rust, {"heap": "int[]", "pos": "int", "n": "int"}, "void")
    laid = line_signature(cpp, CPP_LINES)
    assert laid[0] == cpp and laid[1]["heap"] == "int[]" and laid[2] == "void"  # the reference kept


def test_negative_indices_get_a_second_rule_and_calls_of_functions_are_laid_out():
    from codexcli.tasks.translate.line_plan import lay_out_wrapped

    kinds = {"a": "int[]", "k": "int", "v": "int"}
    steps = lay_out_wrapped(plan(_fn("last_to_front"), {}, MODULE, void=True), kinds, "void", JAVA_LINES, {}, {})
    assert steps[0].rule == "v = a[(int) (k)];"
    assert steps[0].wrapped == "v = a[(int) ((k) < 0 ? (k) + a.length : (k))];"  # Python's a[-1]: the last
    names = {"exchange": "exchange", "sift_down": "siftDown"}
    calls = plan(_fn("heap_sort_step"), names, MODULE, void=True)
    laid = lay_out(calls, {"heap": "int[]", "n": "int"}, "void", JAVA_LINES, names, {})
    assert [s.text for s in laid if s.kind == "call"] == ["exchange(heap, 0, n - 1);", "siftDown(heap, 0, n - 1);"]
    assert plan(_fn("heap_sort_step"), {}, MODULE, void=True) is None  # not a function of the module


def test_swaps_of_elements_and_bare_returns_are_laid_out():
    kinds = {"heap": "int[]", "pos": "int", "n": "int", "child": "int"}
    steps = lay_out(plan(_fn("sift_down"), {}, MODULE, void=True), kinds, "void", CPP_LINES, {}, {})
    assert [s.text for s in steps if s.kind == "none"] == ["return;", "return;"]
    swap = next(s.text for s in steps if s.kind == "unpack")
    assert swap == (
        "long long codex_t11_0 = heap.at(child); long long codex_t11_1 = heap.at(pos);"
        " heap.at(pos) = codex_t11_0; heap.at(child) = codex_t11_1;"
    )
    assert plan(_fn("exchange"), {}, MODULE) is None  # no return: laid out only as a void function
    ends = lay_out(
        plan(_fn("insert_sorted"), {}, MODULE, void=True),
        {**kinds, "a": "int[]", "x": "int", "i": "int"},
        "void",
        JAVA_LINES,
        {},
        {},
    )
    assert ends[-1].kind == "none" and ends[-1].text == "return;"  # the end reached


SWAP_CASES = [InputCase(c) for c in ("([1, 2, 3], 0, 2)", "([5, 6], 1, 1)", "([5, 6], 0, 5)", "([], 0, 0)")]
JAVA_SWAPS = {
    "good": "long t = a[i]; a[i] = a[j]; a[j] = t;",
    "half": "a[i] = a[j];",
}
CPP_SWAPS = {
    "good": "void exchange(std::vector<long long>& a, long long i, long long j) { long long t = a.at(i); a.at(i) = a.at(j); a.at(j) = t; }",
    "copy": "void exchange(std::vector<long long> a, long long i, long long j) { long long t = a.at(i); a.at(i) = a.at(j); a.at(j) = t; }",
}


def _swap_expected():
    expected = observe(MODULE, "exchange", SWAP_CASES)
    assert mutated_args(expected) == (0,)
    return expected


@needs_java
@pytest.mark.parametrize("variant", ["good", "half"])
def test_java_harness_compares_the_arguments_after_the_call(variant):
    code = (
        f"public class Sw {{\n  public static void exchange(long[] a, int i, int j) {{ {JAVA_SWAPS[variant]} }}\n}}\n"
    )
    expected = _swap_expected()
    records, error = run_translation("java", "Sw.java", code, "exchange", SWAP_CASES, owner="Sw", mutated=(0,))
    assert error is None and records[0]["after"] == ([[3, 2, 1]] if variant == "good" else [[3, 2, 3]])
    report = compare(expected, records, (0,))
    assert report.verified == (variant == "good")
    if variant == "half":
        assert "the arguments are mutated differently" in report.first_failure()
    plain, _ = run_translation("java", "Sw.java", code, "exchange", SWAP_CASES, owner="Sw")
    assert "after" not in plain[0]  # a function that changes nothing: the harness it always had


@needs_cpp
@pytest.mark.parametrize("variant", ["good", "copy"])
def test_cpp_harness_passes_variables_and_compares_them_after_the_call(variant):
    code = "#include <vector>\n" + CPP_SWAPS[variant] + "\n"
    expected = _swap_expected()
    records, error = run_translation("cpp", "sw.cpp", code, "exchange", SWAP_CASES, mutated=(0,))
    assert error is None and records[2].get("raised")  # out of range raises, as Python's IndexError
    report = compare(expected, records, (0,))
    assert report.verified == (variant == "good")
    if variant == "copy":  # a copy changed: the caller's list is not
        assert "the arguments are mutated differently (argument 1" in report.first_failure()
    plain, error = run_translation("cpp", "sw.cpp", code, "exchange", SWAP_CASES)
    assert error is None and "after" not in plain[0]  # a reference parameter still gets variables


RUST_SWAPS = {
    "good": "pub fn exchange(a: &mut Vec<i64>, i: i64, j: i64) -> () { let t = a[i as usize]; a[i as usize] = a[j as usize]; a[j as usize] = t; }",
    "copy": "pub fn exchange(mut a: Vec<i64>, i: i64, j: i64) -> () { let t = a[i as usize]; a[i as usize] = a[j as usize]; a[j as usize] = t; }",
}


@needs_rust
@pytest.mark.parametrize("variant", ["good", "copy"])
def test_rust_harness_passes_variables_and_compares_them_after_the_call(variant):
    expected = _swap_expected()
    records, error = run_translation("rust", "sw.rs", RUST_SWAPS[variant] + "\n", "exchange", SWAP_CASES, mutated=(0,))
    assert error is None and records[2] == {"i": 2, "raised": "panic"}
    report = compare(expected, records, (0,))
    assert report.verified == (variant == "good")
    if variant == "copy":
        assert "the arguments are mutated differently (argument 1" in report.first_failure()


def _translate(target, out, names=tuple(NAMES)):
    result, backend = translate_by_rules(MODULE, "heaps.py", target, out)
    assert_rules_wrote(result, backend, names, every_line=len(names) == len(NAMES))
    return result


@needs_java
def test_java_in_place_heap_functions_are_assembled_and_verified():
    result = _translate("java", "Heaps.java")
    assert "public static void siftDown(long[] heap, long pos, long n) {" in result.after
    assert "heap[(int) (pos)] = codex_t" in result.after


@needs_cpp
def test_cpp_in_place_heap_functions_are_assembled_and_verified():
    result = _translate("cpp", "heaps.cpp")
    assert "void sift_down(std::vector<long long>& heap, long long pos, long long n) {" in result.after
    assert "long long add_to_all(std::vector<long long>& a, long long d) {" in result.after


@needs_rust
def test_rust_in_place_heap_functions_are_assembled_and_verified():
    result = _translate("rust", "heaps.rs", tuple(n for n in NAMES if n != "last_to_front"))
    assert (
        "pub fn last_to_front(" not in result.after
    )  # Rust: no rule for a negative index yet (a[a.len() - 1] = v borrows a twice)
    assert "pub fn sift_down(heap: &mut Vec<i64>, pos: i64, n: i64) -> () {" in result.after
