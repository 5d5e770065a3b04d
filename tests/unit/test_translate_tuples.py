"""Tuples of mixed kinds in `codex translate` (tasks/translate/tuples.py, line_tuples.py and
their hooks in kinds.py, line_syntax.py, line_cells.py and the Java harness): kinds read from
values, types, Java's records, the check's cells, the rules for ``return a, b``, ``t[0]`` and
``a, b = f(x)``, and whole functions assembled line by line and verified against Python with the
real javac / g++ (issue 28)."""

import ast
import shutil
from pathlib import Path

import pytest

from codexcli.tasks.translate.kinds import merge, observed_kind, value_kind
from codexcli.tasks.translate.line_cells import cells, literal_row
from codexcli.tasks.translate.line_rules import expression
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES
from codexcli.tasks.translate.line_tuples import tuple_return, unpack
from codexcli.tasks.translate.str_helpers import needed
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import observe
from codexcli.verify.compare.harness import compare, run_translation
from tests.unit.rules_only import assert_rules_wrote, translate_by_rules

needs_java = pytest.mark.skipif(shutil.which("javac") is None, reason="javac is not installed")
needs_cpp = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

PROBES = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "tuple_probes.py"
# The probes codex's rules lay out whose tuples are of mixed kinds or unpacked.
_TAKEN = ("split_pair", "labelled_divmod", "check_name", "score_label", "key_length")


def _probes(names: tuple[str, ...]) -> str:
    source = PROBES.read_text()
    nodes = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    return "\n\n\n".join(ast.get_source_segment(source, nodes[n]) or "" for n in names) + "\n"


def _t(*items):
    return {"__tuple__": list(items)}


def test_kinds_of_tuples_of_mixed_kinds():
    assert value_kind(_t("a", 3)) == "tuple[str,int]"
    assert value_kind(_t(True, "ok")) == "tuple[bool,str]"
    assert value_kind(_t("a", [1, 2])) == "tuple[str,int[]]"
    assert value_kind(_t(1, 2)) == "int[]"  # one kind: a list, as before
    assert value_kind(_t(1, 2.5)) == "float[]"
    assert value_kind(_t("a", {"__dict__": []})) is None  # a dict item: no kind
    assert merge(["tuple[str,int]", "tuple[str,float]"]) == "tuple[str,float]"
    assert merge(["tuple[str,int]", "tuple[str,int,int]"]) is None  # arities differ
    assert observed_kind([_t("a", 1), _t("b", 2.0)]) == "tuple[str,float]"
    assert observed_kind([_t("a", 1), None]) is None  # a nullable tuple: no kind


def test_types_records_and_kinds_back():
    assert JAVA_LINES.type_of("tuple[str,int]") == "CodexTupleStrInt"
    assert CPP_LINES.type_of("tuple[str,int[]]") == "std::tuple<std::string, std::vector<long long>>"
    for kind in ("tuple[str,int]", "tuple[bool,float[],str]"):
        assert JAVA_LINES.kind_of(JAVA_LINES.type_of(kind)) == kind
        assert CPP_LINES.kind_of(CPP_LINES.type_of(kind)) == kind
    body = "CodexTupleStrInts f() { return new CodexTupleStrInts(a, b); } CodexTupleBoolStr g;"
    assert needed(body, "java")[:2] == [
        "record CodexTupleStrInts(String f0, long[] f1) {}",
        "record CodexTupleBoolStr(boolean f0, String f1) {}",
    ]
    assert not [h for h in needed("long[] xs;", "java") if h.startswith("record")]


def test_the_check_passes_tuples_and_flattens_their_items():
    assert literal_row([_t("a", 3)]) == "(('a', 3),)"
    assert cells(_t("ab", 3)) == [97.0, 98.0, -4.0, 3.0, -4.0]
    assert cells(_t(1, 2)) == [1.0, 2.0]  # a tuple of one kind is a list's cells


def _render(kinds, syntax=JAVA_LINES, calls=None):
    return lambda n: expression(n, kinds, syntax, {}, calls or {})


def test_rules_for_returns_items_and_unpacking():
    node = ast.parse("return a, n").body[0].value
    java = tuple_return(node, "tuple[str,float]", JAVA_LINES, _render({"a": "str", "n": "int"}))
    assert java == "return new CodexTupleStrFloat(a, n);"
    cpp = tuple_return(node, "tuple[str,int]", CPP_LINES, _render({"a": "str", "n": "int"}, CPP_LINES))
    assert cpp == "return std::tuple<std::string, long long>{a, n};"
    assert tuple_return(node, "tuple[str,str]", JAVA_LINES, _render({"a": "str", "n": "int"})) == ""
    assert tuple_return(node, "int[]", JAVA_LINES, _render({})) is None  # not this rule's
    item = expression(ast.parse("t[-1]").body[0].value, {"t": "tuple[str,int]"}, CPP_LINES, {}, {})
    assert item is not None and (item.text, item.kind) == ("std::get<1>(t)", "int")
    assert expression(ast.parse("t[2]").body[0].value, {"t": "tuple[str,int]"}, JAVA_LINES, {}, {}) is None
    stmt = ast.parse("k, n = f(s)").body[0]
    kinds = {"k": "str", "n": "int", "s": "str"}
    slots = {"k": ("str", "k"), "n": ("int", "n")}
    text = unpack(
        stmt.targets[0].elts,
        stmt.value,
        JAVA_LINES,
        _render(kinds, calls={"f": "tuple[str,int]"}),
        lambda t: slots.get(t.id),
        3,
    )
    assert text == "CodexTupleStrInt codex_tup3 = f(s); k = codex_tup3.f0(); n = codex_tup3.f1();"
    assert unpack(stmt.targets[0].elts, stmt.value, JAVA_LINES, _render(kinds), lambda t: slots.get(t.id), 3) is None


_RECORD = "record CodexTupleStrInt(String f0, long f1) {}\n"
_JAVA = {
    "good": "public static CodexTupleStrInt f(CodexTupleStrInt t, long d) { return new CodexTupleStrInt(t.f0(), t.f1() + d); }",
    "bad": "public static CodexTupleStrInt f(CodexTupleStrInt t, long d) { return new CodexTupleStrInt(t.f0(), t.f1()); }",
}
_CPP = {
    "good": "#include <string>\n#include <tuple>\nstd::tuple<std::string, long long> f(std::tuple<std::string, long long> t, long long d) { return {std::get<0>(t), std::get<1>(t) + d}; }\n",
    "bad": '#include <string>\n#include <tuple>\nstd::tuple<std::string, long long> f(std::tuple<std::string, long long> t, long long d) { return {std::get<1>(t) > 0 ? "x" : std::get<0>(t), std::get<1>(t)}; }\n',
}
_PY = "def f(t, d):\n    return t[0], t[1] + d\n"
_CASES = [InputCase(args_src=a) for a in ("(('a', 1), 2)", "(('bc', -4), 0)", "(('', 0), 7)")]


@needs_java
@pytest.mark.parametrize("variant", ["good", "bad"])
def test_java_harness_passes_and_prints_records(variant):
    code = _RECORD + "public class T {\n" + _JAVA[variant] + "\n}\n"
    results, error = run_translation("java", "T.java", code, "f", _CASES, owner="T")
    assert error is None, error
    report = compare(observe(_PY, "f", _CASES), results)
    assert report.verified == (variant == "good")


@needs_cpp
@pytest.mark.parametrize("variant", ["good", "bad"])
def test_cpp_harness_passes_and_prints_tuples(variant):
    results, error = run_translation("cpp", "t.cpp", _CPP[variant], "f", _CASES)
    assert error is None, error
    report = compare(observe(_PY, "f", _CASES), results)
    assert report.verified == (variant == "good")


def _translate(target, out):
    result, backend = translate_by_rules(_probes(_TAKEN), "pairs.py", target, out)
    assert_rules_wrote(result, backend, _TAKEN)
    return result


@needs_java
def test_java_tuple_functions_are_assembled_and_verified():
    result = _translate("java", "Pairs.java")
    assert "record CodexTupleIntIntStr(long f0, long f1, String f2) {}" in result.after
    assert "public static CodexTupleBoolStr checkName(String name) {" in result.after


@needs_cpp
def test_cpp_tuple_functions_are_assembled_and_verified():
    result = _translate("cpp", "pairs.cpp")
    assert "std::tuple<long long, long long, std::string> labelled_divmod(long long a, long long b) {" in result.after
    assert "#include <tuple>" in result.after


def test_targets_without_tuple_rules_get_no_signature():
    from codexcli.tasks.translate.line_syntax import TS_LINES
    from codexcli.tasks.translate.sig import typed_signature
    from codexcli.tasks.translate.sig_rust import RUST_LINES

    source = "def f(a):\n    return a.strip(), 1\n"
    fn = ast.parse(source).body[0]
    values = [_t("x", 1), _t("y", 2)]
    assert typed_signature(fn, "f", values, JAVA_LINES, [source]) == "public static CodexTupleStrInt f(String a)"
    assert typed_signature(fn, "f", values, RUST_LINES, [source]) is None
    assert typed_signature(fn, "f", values, TS_LINES, [source]) is None
