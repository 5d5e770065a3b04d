"""Python's str operations in line assembly (tasks/translate/line_str.py, the ``str_methods`` of
line_syntax.py, the helpers of str_helpers.py): what each rule writes, then each rule compiled
with its helpers by the real javac / g++ and run on inputs beyond any trace (negative and
out-of-range bounds, empty strings, non-ASCII text) against what Python gives, then whole
functions translated with the fake backend answering junk (only codex's rules can verify)."""

import ast
import itertools
import json
import shutil
import subprocess
from pathlib import Path
from textwrap import dedent

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.line_plan import _strict
from codexcli.tasks.translate.line_rules import expression
from codexcli.tasks.translate.line_str import condition
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES, TS_LINES
from codexcli.tasks.translate.str_helpers import needed
from codexcli.verify.cases.infer_types import infer_params

needs_java = pytest.mark.skipif(shutil.which("javac") is None, reason="javac is not installed")
needs_cpp = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

KINDS = {"s": "str", "p": "str", "i": "int", "n": "int", "b": "bool", "w": "str[]", "a": "int[]"}


def _render(text, syntax):
    found = expression(ast.parse(text, mode="eval").body, KINDS, syntax, {}, {})
    return found.text if found else None


def test_what_the_rules_write():
    assert _render("p[:i]", JAVA_LINES) == "CodexSlice.of(p, 0, i)"
    assert _render("s[1:-1]", CPP_LINES) == "codex_slice(s, 1, -1)"
    assert _render("s[i:]", TS_LINES) == "s.slice(i)"
    assert _render("s[-1]", JAVA_LINES) == "CodexAt.of(s, -1)"
    assert _render("p.rfind('/') + 1", JAVA_LINES) == '(long) p.lastIndexOf("/") + 1'
    assert _render("p.rfind('/') + 1", CPP_LINES) == 'codex_rfind(p, "/") + 1'  # -1, not npos
    assert _render("not s", JAVA_LINES) == "s.isEmpty()"
    assert _render("'%d-%02d' % (i, n)", JAVA_LINES) == 'String.format(java.util.Locale.ROOT, "%d-%02d", i, n)'
    assert _render("'%s must be int' % s", CPP_LINES) == 'std::string() + s + " must be int"'
    assert _render("str(b)", JAVA_LINES) == '(b ? "True" : "False")'
    assert _render("p.join(w)", JAVA_LINES) == "String.join(p, w)"
    assert _render("s.strip('xy')", JAVA_LINES) == 'CodexStrip.of(s, "xy", true, true)'
    assert _render("s.isupper()", CPP_LINES) == "codex_is(s, 'u')"
    assert _render("len(s)", CPP_LINES) == "codex_len(s)"  # code points, not bytes


def test_a_test_takes_python_truth():
    go = _strict(KINDS, JAVA_LINES, {}, {})
    assert condition(ast.parse("n and s", mode="eval").body, go, JAVA_LINES) == "(n != 0) && (!s.isEmpty())"
    assert condition(ast.parse("not w", mode="eval").body, go, JAVA_LINES) == "(w.length == 0)"
    assert condition(ast.parse("b and n > 1", mode="eval").body, go, JAVA_LINES) == "b && n > 1"  # bools as they were
    assert condition(ast.parse("s", mode="eval").body, _strict(KINDS, CPP_LINES, {}, {}), CPP_LINES) == "!s.empty()"


@pytest.mark.parametrize(
    "text",
    # Where the targets' formatting differs from Python's: %x of a negative (Java prints two's
    # complement), %f rounding, %r quoting, %s of a bool or float, %d of a str, a bool step,
    # flags Java rejects ('-' without a width), str() of a float.
    ["'%x' % i", "'%f' % i", "'%r' % s", "'%s' % b", "'%d' % s", "s[::b]", "'%-d' % i", "str(1.5)"],
)
def test_what_would_differ_has_no_rule(text):
    assert _render(text, JAVA_LINES) is None
    assert _render(text, CPP_LINES) is None


def test_helpers_are_emitted_only_when_used():
    assert needed("return x + 1;", "java") == [] and needed("codex_t0_1 = codex_cells(x);", "cpp") == []
    (slice_,) = needed("return CodexSlice.of(s, 1, -1);", "java")
    assert slice_.startswith("interface CodexSlice {")  # sorts after the imports
    assert len(needed("return codex_slice(s, 1, -1);", "cpp")) == 1
    assert len(needed("return codex_is(s, 'u');", "cpp")) == 2  # the classes after the UTF-8 block


def test_str_parameters_from_how_the_body_uses_them():
    source = dedent("""\
        def split_at_last(p, sep):
            i = p.rfind(sep) + 1
            return p[:i]

        def count_upper(s):
            n = 0
            for ch in s:
                if ch.isupper():
                    n += 1
            return n

        def unquote(s):
            if s[0] == '"':
                return s[1:-1]
            return s

        def join_words(words, sep=' '):
            return sep.join(words)

        def cram(text, maxlen):
            if len(text) > maxlen:
                return text[:maxlen - 3] + '...'
            return text

        def unwrap(url):
            if url[:1] == '<':
                return url[1:-1]
            return url

        def longest(words):
            best = ''
            for w in words:
                if len(w) > len(best):
                    best = w.upper()
            return best
        """)
    tree = ast.parse(source)
    hints = {f.name: [i.hint for i in infer_params(f, [source]) or []] for f in tree.body}
    assert hints["split_at_last"] == ["str", "str"]
    assert hints["count_upper"] == ["str"] and hints["unquote"] == ["str"]
    assert hints["join_words"] == ["list[str]", "str"]
    assert hints["cram"] == ["str", "int"] and hints["unwrap"] == ["str"]  # slices next to str literals
    assert hints["longest"] == ["list[str]"]  # words used whole (upper) stay a list of str


# Each rule on inputs no trace needs to hold: compiled with its helpers and run, against Python.

EXPRESSIONS = [
    "s[i:n]", "s[:i]", "s[i:]", "s[1:-1]", "s[-3:]", "w[i:n]", "s[i]", "s[-1]", "s.find(p)", "s.rfind(p)",
    "len(s)", "not s", "'%02d' % i", "'%-5s|' % s", "'%5s' % s", "'%d-%03d' % (i, n)", "'%+d%%' % i",
    "'% 4d' % n", "'%s=%s' % (p, i)", "str(i)", "str(b)", "s * i", "p.join(w)", "s.strip(p)", "s.lstrip(p)",
    "s.rstrip(p)", "s.strip()", "s.lstrip()", "s.rstrip()", "s.split(p)", "s.isupper()", "s.islower()",
    "s.isdigit()", "s.isalpha()", "s.isspace()", "s.isalnum()", "s.upper()", "s.lower()", "s.endswith(p)",
    "s.startswith(p)", "s.replace(p, 'x')", "p in s", "'100%%' % ()", "'{},{}%'.format(i, s)",
]  # fmt: skip
STRS = [
    "",
    "a",
    "Hello World",
    "  hi\t\n",
    "ABC",
    "abc1",
    "12",
    "x-y-",
    "été",
    "ÉTÉ",
    "\xa0pad\u3000",
    "\u2003 \xa0",
    "²3",
    "ǅ",
    "日本",
]
ENVS = [
    {"s": s, "p": p, "i": i, "n": n, "b": i > 0, "w": w}
    for s, (p, i, n, w) in itertools.product(
        STRS,
        [
            ("", -20, 2, []),
            ("-", -1, 5, ["a"]),
            ("l", 0, -1, ["x", "yz", ""]),
            ("é", 3, 100, ["日"]),
            ("ab", 20, 1, []),
        ],
    )
]
ASCII_ONLY_IN_CPP = {
    "s.isupper()",
    "s.islower()",
    "s.isdigit()",
    "s.isalpha()",
    "s.isalnum()",
    "s.upper()",
    "s.lower()",
}


def _shown(value):
    """A value as the test programs print it (str as UTF-8 hex: no encoding in between)."""
    if isinstance(value, bool):
        return f"B{int(value)}"
    if isinstance(value, int):
        return f"I{value}"
    if isinstance(value, str):
        return "S" + value.encode().hex()
    return "L" + ",".join(_shown(v) for v in value)


def _expected(text, env, cpp):
    if cpp and text in ASCII_ONLY_IN_CPP and not env["s"].isascii():
        return "raise"  # C++ classifies ASCII only: it throws rather than answer differently
    try:
        return _shown(eval(text, {}, dict(env)))
    except (ValueError, IndexError):
        return "raise"


def _java_string(value):
    return json.dumps(value)  # ASCII: \n and \t as such, the rest as \\uXXXX (all in the BMP here)


_cpp_string = _java_string


JAVA_MAIN = """
    static String hex(String s) {
        StringBuilder b = new StringBuilder("S");
        for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) b.append(String.format("%02x", x));
        return b.toString();
    }
    static String show(Object v) {
        if (v instanceof Boolean) return (Boolean) v ? "B1" : "B0";
        if (v instanceof Long || v instanceof Integer) return "I" + v;
        if (v instanceof String) return hex((String) v);
        StringBuilder b = new StringBuilder("L");
        String[] xs = (String[]) v;
        for (int k = 0; k < xs.length; k++) b.append(k > 0 ? "," : "").append(hex(xs[k]));
        return b.toString();
    }
"""

CPP_MAIN = """
#include <iostream>
std::string hex(const std::string& s) {
  std::string out = "S"; char buf[4];
  for (unsigned char c : s) { std::snprintf(buf, sizeof buf, "%02x", c); out += buf; }
  return out;
}
std::string show(bool v) { return v ? "B1" : "B0"; }
std::string show(long long v) { return "I" + std::to_string(v); }
std::string show(const std::string& v) { return hex(v); }
std::string show(const std::vector<std::string>& v) {
  std::string out = "L";
  for (std::size_t k = 0; k < v.size(); ++k) out += (k ? "," : "") + hex(v[k]);
  return out;
}
"""


def _java_program(rendered):
    methods, calls = [], []
    for k, (text, code) in enumerate(rendered):
        rows = []
        for env in ENVS:
            w = "new String[] {" + ", ".join(_java_string(x) for x in env["w"]) + "}"
            rows.append(
                f"{{ String s = {_java_string(env['s'])}, p = {_java_string(env['p'])}; long i = {env['i']}L, "
                f"n = {env['n']}L; boolean b = {str(env['b']).lower()}; String[] w = {w}; "
                f"try {{ System.out.println(show({code})); }} catch (RuntimeException e) "
                f'{{ System.out.println("raise"); }} }}'
            )
        methods.append(f"    static void e{k}() {{\n" + "\n".join(rows) + "\n    }")
        calls.append(f"e{k}();")
    body = "\n".join(methods) + f"\n    public static void main(String[] args) {{ {' '.join(calls)} }}"
    helpers = needed(" ".join(code for _, code in rendered), "java")
    return "\n".join(sorted(helpers)) + "\npublic class StrOps {" + JAVA_MAIN + body + "\n}\n"


def _cpp_program(rendered):
    functions, calls = [], []
    for k, (text, code) in enumerate(rendered):
        rows = []
        for env in ENVS:
            w = "{" + ", ".join(f"std::string({_cpp_string(x)})" for x in env["w"]) + "}"
            rows.append(
                f"{{ std::string s = {_cpp_string(env['s'])}, p = {_cpp_string(env['p'])}; long long i = "
                f"{env['i']}LL, n = {env['n']}LL; bool b = {str(env['b']).lower()}; std::vector<std::string> w = {w}; "
                f'try {{ std::cout << show({code}) << "\\n"; }} catch (const std::exception&) '
                f'{{ std::cout << "raise\\n"; }} (void) s; (void) p; (void) i; (void) n; (void) b; (void) w; }}'
            )
        functions.append(f"void e{k}() {{\n" + "\n".join(rows) + "\n}")
        calls.append(f"e{k}();")
    helpers = needed(" ".join(code for _, code in rendered), "cpp")
    main = f"int main() {{ {' '.join(calls)} return 0; }}\n"
    return "\n".join(helpers) + CPP_MAIN + "\n".join(functions) + "\n" + main


def _run(tmp_path, files, build, run):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run(build, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[:3000]
    return subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=120).stdout.splitlines()


def _compare(rendered, lines, cpp):
    wrong = []
    at = 0
    for text, _ in rendered:
        for env in ENVS:
            expected = _expected(text, env, cpp)
            if lines[at] != expected:
                wrong.append(f"{text} on {env}: {lines[at]} (Python: {expected})")
            at += 1
    assert not wrong, "\n".join(wrong[:20])


def check_rules(expressions, cpp, tmp_path):
    """Every expression rendered by codex's rules (none left without one), compiled with its
    helpers by the real javac or g++, run on every input of ENVS and compared with Python."""
    rendered = [(text, _render(text, CPP_LINES if cpp else JAVA_LINES)) for text in expressions]
    assert [t for t, code in rendered if code is None] == []
    if cpp:
        build = ["g++", "-std=c++17", "-O0", "-o", "strops", "strops.cpp"]
        lines = _run(tmp_path, {"strops.cpp": _cpp_program(rendered)}, build, ["./strops"])
    else:
        files = {"StrOps.java": _java_program(rendered)}
        lines = _run(tmp_path, files, ["javac", "StrOps.java"], ["java", "StrOps"])
    _compare(rendered, lines, cpp=cpp)


@needs_java
def test_java_rules_give_what_python_gives(tmp_path):
    check_rules(EXPRESSIONS, False, tmp_path)


@needs_cpp
def test_cpp_rules_give_what_python_gives(tmp_path):
    check_rules(EXPRESSIONS, True, tmp_path)


# Whole functions: with the fake backend answering junk, only codex's rules can verify them.

MODULE = dedent('''\
    def tail_of(p):
        """
        >>> tail_of('a/b/c.txt')
        'c.txt'
        >>> tail_of('plain')
        'plain'
        """
        i = p.rfind('/') + 1
        head, tail = p[:i], p[i:]
        return tail


    def count_upper(s):
        """
        >>> count_upper('Hello World')
        2
        >>> count_upper('')
        0
        """
        n = 0
        for ch in s:
            if ch.isupper():
                n += 1
        return n


    def quote_if_needed(s):
        """
        >>> quote_if_needed('')
        "''"
        >>> quote_if_needed('a b')
        "'a b'"
        >>> quote_if_needed('ab')
        'ab'
        """
        if not s:
            return "''"
        if ' ' not in s:
            return s
        return "'" + s.strip() + "'"


    def stamp(y, m, name):
        """
        >>> stamp(2024, 3, 'x')
        '2024-03 x'
        >>> stamp(7, 11, ' ')
        '7-11 '
        """
        return '%d-%02d %s' % (y, m, name.strip())  # strip: name is a str (the signature says so)
''')


def _translate(target, out):
    return task.translate_source(
        FakeBackend([], default="junk"),
        load_prompt("translate"),
        task.TranslateJob(MODULE, Path("strs.py"), "python", target, Path(out)),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )


@pytest.mark.parametrize(
    "target, out, helper",
    [
        pytest.param("java", "Strs.java", "interface CodexSlice {", marks=needs_java),
        pytest.param("cpp", "strs.cpp", "#ifndef CODEX_STR_UTF8", marks=needs_cpp),
    ],
)
def test_str_functions_are_assembled_from_codex_rules_and_verified(target, out, helper):
    result = _translate(target, out)
    by_name = {o.target.name: o for o in result.outcomes}
    assert {n for n, o in by_name.items() if task.verified(o)} == {"tail_of", "count_upper", "quote_if_needed", "stamp"}
    assert all(o.detail.origin == "lines" for o in by_name.values())
    assert result.after.count(helper) == 1  # written once, though two functions use it
