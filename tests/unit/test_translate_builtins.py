"""Python's reductions and list searches in line assembly (tasks/translate/line_builtins.py and
its hooks in line_rules.py / str_helpers.py): what the rules write, then every rule compiled by
the real javac / g++ and run on inputs beyond any trace (empty lists, absent values, negatives)
against what Python gives, exceptions included (issue 28)."""

import ast
import itertools
import shutil
import subprocess

import pytest

from codexcli.tasks.translate.line_rules import expression
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES, TS_LINES
from codexcli.tasks.translate.str_helpers import needed

needs_java = pytest.mark.skipif(shutil.which("javac") is None, reason="javac is not installed")
needs_cpp = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

KINDS = {"xs": "int[]", "ys": "float[]", "w": "str[]", "s": "str", "n": "int", "v": "int"}


def _render(text, syntax):
    found = expression(ast.parse(text, mode="eval").body, KINDS, syntax, {}, {})
    return (found.text, found.kind) if found else None


def test_what_the_rules_write_and_what_they_leave():
    text, kind = _render("sum(x * x for x in xs if x % 2 == 0)", CPP_LINES)
    assert kind == "int" and text.startswith("[&]() -> long long {") and text.endswith("}()")
    text, kind = _render("any(c.isdigit() for c in s)", JAVA_LINES)
    assert kind == "bool" and "java.util.function.BooleanSupplier" in text and "CodexChars.of(s)" in text
    assert _render("max(ys)", JAVA_LINES)[1] == "float"
    assert _render("v in xs", JAVA_LINES) == ("CodexSeq.has(xs, v)", "bool")
    assert _render("w.index(s)", CPP_LINES) == ("codex_seq_index(w, s)", "int")
    # any/all of a list comprehension evaluate every element first; a str in an int list, two
    # loops, keywords, a TypeScript target: no rule
    for text in ("any([x > 0 for x in xs])", "s in xs", "sum(x for x in xs for y in xs)", "max(xs, key=abs)"):
        assert _render(text, JAVA_LINES) is None, text
    assert _render("sum(xs)", TS_LINES) is None


def test_the_search_helpers_are_written_only_when_used():
    assert needed("return x + 1;", "java") == []
    (seq,) = needed("return CodexSeq.count(xs, v);", "java")
    assert seq.startswith("interface CodexSeq {")
    assert any("CODEX_SEQ" in h for h in needed("return codex_seq_has(xs, v);", "cpp"))
    assert not any("CODEX_SEQ" in h for h in needed("return codex_len(s);", "cpp"))


EXPRESSIONS = [
    "sum(xs)", "min(xs)", "max(xs)", "sum(ys)", "min(ys)", "max(ys)", "sum(x * x for x in xs if x % 2 == 0)",
    "sum([x for x in xs if x > v])", "any(x < 0 for x in xs)", "all(x < v for x in xs)",
    "all(c.isdigit() for c in s)", "any(len(t) > n for t in w)", "len([t for t in w if len(t) > n])",
    "sum(i * i for i in range(n))", "sum(i for i in range(v, n))", "max(x - v for x in xs)",
    "min(len(t) for t in w)", "max(y * 2 for y in ys if y > 0)", "v in xs", "s in w", "v not in xs",
    "xs.index(v)", "w.index(s)", "xs.count(v)", "w.count(s)", "max(xs) - min(xs)", "sum(xs) / len(xs)",
    "[i * i for i in range(n)]", "[x + v for x in xs if x != v]", "[len(t) for t in w]", "[c for c in s if c != '2']",
    "[y / 2 for y in ys]", "sorted(xs)", "sorted(xs, reverse=True)", "sorted(ys)", "sorted(w)", "sorted(w, reverse=True)",
    "sorted(w, key=len)", "sorted(w, key=len, reverse=True)", "sorted(xs, key=abs)", "sorted(xs, key=lambda x: x % 3)",
    "sorted(xs, key=lambda x: -x, reverse=True)", "sorted(w, key=str.upper)", "sorted(s)", "list(reversed(s))",
    "list(reversed(xs))", "' '.join(reversed(w))", "list(xs)", "sorted(xs)[len(xs) // 2]", "sum(sorted(xs)[1:])",
    "len(sorted(x for x in xs if x > 0))",
]  # fmt: skip
ENVS = [
    {"xs": xs, "ys": ys, "w": w, "s": s, "n": n, "v": v}
    for (xs, ys), (w, s), (n, v) in itertools.product(
        [([], []), ([3], [-1.5]), ([4, -2, 7, 4, 0], [0.25, 2.5, -3.0]), ([-5, -5, 2], [1.0, 1.0])],
        [([], "12"), (["ab", "", "xyz", "ab"], "ab"), (["word"], "4x")],
        [(0, 0), (3, 4), (2, -5)],
    )
]


def _shown(value):
    if isinstance(value, bool):
        return f"B{int(value)}"
    if isinstance(value, int):
        return f"I{value}"
    if isinstance(value, str):
        return "S" + value.encode().hex()
    if isinstance(value, list):
        return "L" + ",".join(_shown(x) for x in value)
    return f"F{value:.6f}"


def _number(shown):
    """Numbers compared by value: Python's ``sum`` of an empty float list is the int 0 (== 0.0)."""
    return f"N{float(shown[1:]):.6f}" if shown[:1] in ("I", "F") else shown


def _expected(text, env):
    try:
        return _shown(eval(text, dict(env)))  # globals: a generator sees them
    except (ValueError, ZeroDivisionError, IndexError):
        return "raise"


def _java_literal(values, type_):
    return f"new {type_}[] {{" + ", ".join(_java_item(x) for x in values) + "}"


def _java_item(x):
    return f'"{x}"' if isinstance(x, str) else repr(x)


def _java_program(rendered):
    rows = []
    for (_, code), env in itertools.product(rendered, ENVS):
        rows.append(
            f"{{ int[] xs = {_java_literal(env['xs'], 'int')}; double[] ys = {_java_literal(env['ys'], 'double')};"
            f' String[] w = {_java_literal(env["w"], "String")}; String s = "{env["s"]}"; long n = {env["n"]}L,'
            f" v = {env['v']}L; try {{ System.out.println(show({code})); }} catch (RuntimeException e)"
            ' { System.out.println("raise"); } }'
        )
    show = """static String show(Object o) {
        if (o instanceof Boolean) return (Boolean) o ? "B1" : "B0";
        if (o instanceof Long || o instanceof Integer) return "I" + o;
        if (o instanceof Double) return "F" + String.format(java.util.Locale.ROOT, "%.6f", o);
        if (o instanceof String) {
            StringBuilder b = new StringBuilder("S");
            for (byte x : ((String) o).getBytes(java.nio.charset.StandardCharsets.UTF_8)) b.append(String.format("%02x", x));
            return b.toString();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        if (o instanceof long[]) for (long x : (long[]) o) out.add(show(x));
        if (o instanceof double[]) for (double x : (double[]) o) out.add(show(x));
        if (o instanceof String[]) for (String x : (String[]) o) out.add(show(x));
        return "L" + String.join(",", out);
    }
"""
    chunks = [rows[i : i + 40] for i in range(0, len(rows), 40)]  # javac's 64 KB method limit
    methods = [f"static void m{k}() {{\n" + "\n".join(c) + "\n}" for k, c in enumerate(chunks)]
    main = "public static void main(String[] a) { " + " ".join(f"m{k}();" for k in range(len(chunks))) + " }"
    helpers = needed(" ".join(code for _, code in rendered), "java")
    return "\n".join(sorted(helpers)) + "\npublic class Builtins {\n" + show + "\n".join(methods) + main + "\n}\n"


def _cpp_program(rendered):
    rows = []
    for (_, code), env in itertools.product(rendered, ENVS):
        words = ", ".join(f'"{x}"' for x in env["w"])
        rows.append(
            f"{{ std::vector<long long> xs = {{{', '.join(map(str, env['xs']))}}};"
            f" std::vector<double> ys = {{{', '.join(map(repr, env['ys']))}}};"
            f' std::vector<std::string> w = {{{words}}}; std::string s = "{env["s"]}"; long long n = {env["n"]},'
            f' v = {env["v"]}; try {{ show({code}); }} catch (const std::exception&) {{ std::puts("raise"); }} }}'
        )
    helpers = needed(" ".join(code for _, code in rendered), "cpp")
    head = "\n".join([*CPP_LINES.check_imports, "#include <cstdio>", *helpers])
    shows = r"""std::string shown(bool b) { return b ? "B1" : "B0"; }
std::string shown(long long i) { return "I" + std::to_string(i); }
std::string shown(double d) { char b[64]; std::snprintf(b, sizeof b, "F%.6f", d); return b; }
std::string shown(const std::string& s) {
  std::string out = "S"; char b[4];
  for (unsigned char c : s) { std::snprintf(b, sizeof b, "%02x", c); out += b; }
  return out;
}
template <class T> std::string shown(const std::vector<T>& v) {
  std::string out = "L";
  for (std::size_t k = 0; k < v.size(); ++k) out += (k ? "," : "") + shown(v[k]);
  return out;
}
template <class T> void show(const T& x) { std::puts(shown(x).c_str()); }
"""
    return head + "\n" + shows + "int main() {\n" + "\n".join(rows) + "\nreturn 0;\n}\n"


def _rendered(syntax):
    rendered = [(text, _render(text, syntax)) for text in EXPRESSIONS]
    missing = [text for text, r in rendered if r is None]
    assert not missing, missing
    return [(text, r[0]) for text, r in rendered]


def _compare(rendered, lines):
    expected = [_expected(text, env) for (text, _), env in itertools.product(rendered, ENVS)]
    assert len(lines) == len(expected)
    wrong = [
        (rendered[k // len(ENVS)][0], ENVS[k % len(ENVS)], got, want)
        for k, (got, want) in enumerate(zip(lines, expected))
        if _number(got) != _number(want) or (got[0] == "F") != (want[0] == "F") and want != "I0"
    ]
    assert not wrong, wrong[:5]


@needs_java
def test_java_reductions_and_searches_behave_as_python(tmp_path):
    rendered = _rendered(JAVA_LINES)
    (tmp_path / "Builtins.java").write_text(_java_program(rendered))
    subprocess.run(["javac", "Builtins.java"], cwd=tmp_path, check=True, capture_output=True, timeout=300)
    out = subprocess.run(["java", "Builtins"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    _compare(rendered, out.stdout.split())


@needs_cpp
def test_cpp_reductions_and_searches_behave_as_python(tmp_path):
    rendered = _rendered(CPP_LINES)
    (tmp_path / "builtins.cpp").write_text(_cpp_program(rendered))
    subprocess.run(["g++", "-std=c++17", "-o", "b", "builtins.cpp"], cwd=tmp_path, check=True, timeout=300)
    out = subprocess.run([str(tmp_path / "b")], capture_output=True, text=True, timeout=120)
    _compare(rendered, out.stdout.split())
