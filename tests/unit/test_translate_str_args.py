"""Python's str methods with bounds, ``index``, ``count`` and ``partition`` in line assembly
(tasks/translate/line_str_args.py): what the rules write, each compiled with its helpers by the
real javac / g++ and run on inputs no trace needs to hold (negative and out-of-range bounds,
empty strings and separators, non-ASCII text) against what Python gives, and a function that
unpacks a partition assembled from codex's rules alone (the fake backend answers junk)."""

import ast
from pathlib import Path
from textwrap import dedent

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.line_str_args import partition_items
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES, TS_LINES
from codexcli.tasks.translate.str_helpers import needed
from tests.unit.test_translate_str_ops import _render, check_rules, needs_cpp, needs_java

EXPRESSIONS = [
    "s.find(p, i)", "s.find(p, i, n)", "s.rfind(p, i)", "s.rfind(p, i, n)", "s.find('', i)", "s.rfind('', i, n)",
    "s.index(p)", "s.index(p, i)", "s.rindex(p)", "s.rindex(p, i, n)", "s.count(p)", "s.count(p, i)",
    "s.count(p, i, n)", "s.count('', i, n)", "s.startswith(p, i)", "s.startswith(p, i, n)", "s.endswith(p, i)",
    "s.endswith(p, i, n)", "s.partition(p)", "s.rpartition(p)", "s.partition('l')[2]", "s.count('l') + 1",
    "s[::-1]", "s[::2]", "s[i:n:2]", "s[n:i:-1]", "s[i::-2]", "s[:i:-1]", "s[::i]", "w[::-1]", "w[i:n:-1]",
]  # fmt: skip


@pytest.mark.parametrize("cpp", [pytest.param(False, marks=needs_java), pytest.param(True, marks=needs_cpp)])
def test_rules_give_what_python_gives(cpp, tmp_path):
    check_rules(EXPRESSIONS, cpp, tmp_path)  # 31 rules, 75 inputs each


def test_what_the_rules_write():
    assert _render("s.find(p, i)", JAVA_LINES) == "CodexFind.find(s, p, i, Long.MAX_VALUE, false)"
    assert _render("s.rindex(p, i, n)", CPP_LINES) == "codex_index_in(s, p, i, n, true)"
    assert _render("s.partition(p)", JAVA_LINES) == "CodexFind.partition(s, p, false)"
    assert _render("s.find(p)", JAVA_LINES) == "(long) s.indexOf(p)"  # one argument: the plain method
    assert _render("s.find(p, b)", JAVA_LINES) is None  # a bound that is not an int
    assert _render("s.find(p, i)", TS_LINES) is None  # no rule for TypeScript
    assert _render("s[::-1]", JAVA_LINES) == "CodexStep.of(s, Long.MIN_VALUE, Long.MIN_VALUE, -1)"  # omitted
    assert _render("w[i:n:2]", CPP_LINES) == "codex_step(w, i, n, 2)" and _render("s[::b]", CPP_LINES) is None


def test_helpers_come_only_with_their_calls():
    assert [h.split(" {")[0] for h in needed("x = CodexFind.count(s, p, 0, 1);", "java")] == ["interface CodexFind"]
    assert needed("x = CodexSlice.of(s, 0, 1);", "java")[-1].startswith("interface CodexSlice")
    cpp = needed("x = codex_count(s, p, 0, 1);", "cpp")
    assert len(cpp) == 2 and "CODEX_STR_UTF8" in cpp[0] and "CODEX_STR_FIND" in cpp[1]  # codex_len first
    assert len(needed("x = codex_find(s, p);", "cpp")) == 1


def test_only_a_three_way_unpacking_of_a_partition():
    call = ast.parse("s.partition(':')", mode="eval").body
    assert [ast.unparse(i) for i in partition_items(call, 3) or []] == [f"s.partition(':')[{j}]" for j in range(3)]
    assert partition_items(call, 2) is None
    assert partition_items(ast.parse("s.split(':')", mode="eval").body, 3) is None


MODULE = dedent('''\
    def key_of(line):
        """
        >>> key_of('a=b')
        'a'
        >>> key_of('plain')
        'plain'
        >>> key_of('=x=y')
        ''
        """
        key, sep, value = line.partition('=')
        return key.strip()


    def next_field(text, start):
        """
        >>> next_field('a,b,c', 0)
        1
        >>> next_field('a,b,c', 2)
        3
        >>> next_field('abc', 1)
        -1
        >>> next_field('a,b', -1)
        -1
        """
        return text.find(',', start)


    def commas(text):
        """
        >>> commas(' a,b,,c ')
        3
        >>> commas('')
        0
        """
        return text.strip().count(",")
''')


@pytest.mark.parametrize(
    "target, out",
    [pytest.param("java", "Fields.java", marks=needs_java), pytest.param("cpp", "fields.cpp", marks=needs_cpp)],
)
def test_functions_with_bounds_and_partition_verify_from_codex_rules(target, out):
    result = task.translate_source(
        FakeBackend([], default="junk"),
        load_prompt("translate"),
        task.TranslateJob(MODULE, Path("fields.py"), "python", target, Path(out)),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )
    by_name = {o.target.name: o for o in result.outcomes}
    assert {n for n, o in by_name.items() if task.verified(o)} == {"key_of", "next_field", "commas"}
    assert all(o.detail.origin == "lines" for o in by_name.values())
