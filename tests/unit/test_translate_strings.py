"""Line assembly of functions on strings (tasks/translate/line_rules.py with each target's
``str_methods``, ``contains`` and ``char`` in line_syntax.py), input cases that pass every
positional argument (tasks/translate/units.py ``all_positional``), and the types those need
(verify/cases/infer_types.py): pure checks, then the real javac / g++ / tsc and harnesses."""

import ast
import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.line_rules import expression
from codexcli.tasks.translate.line_syntax import CPP_LINES, JAVA_LINES, TS_LINES
from codexcli.tasks.translate.lines import line_signature, signature_columns
from codexcli.tasks.translate.units import all_positional
from codexcli.verify.cases.infer_types import infer_params
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.toolchains import toolchain_for

MODULE = dedent('''\
    def escape(s, quote=True):
        """
        >>> escape('<a href="x">&</a>')
        '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'
        >>> escape('"hi" & bye', False)
        '"hi" &amp; bye'
        """
        s = s.replace("&", "&amp;")
        s = s.replace("<", "&lt;")
        s = s.replace(">", "&gt;")
        if quote:
            s = s.replace('"', "&quot;")
        return s


    def flag_at(opts, flag):
        """
        >>> flag_at("-a-b", "b")
        3
        >>> flag_at("-a", "c")
        Traceback (most recent call last):
        ValueError: no such flag
        """
        if flag not in opts:
            raise ValueError("no such flag")
        for i in range(len(opts)):
            if opts[i] == flag and opts.startswith("-"):
                return i
        return -1
''')


def _fn(source, name):
    return next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)


def _render(text, syntax):
    found = expression(ast.parse(text, mode="eval").body, {"s": "str", "p": "str", "i": "int"}, syntax, {}, {})
    return found.text if found else None


def test_str_rules_per_target():
    assert _render('s.replace("&", "&amp;")', JAVA_LINES) == 's.replace("&", "&amp;")'
    assert _render('s.replace("&", "&amp;")', TS_LINES) == 's.split("&").join("&amp;")'
    assert _render('s.replace("&", "&amp;")', CPP_LINES) == 'codex_replace(s, "&", "&amp;")'  # a helper
    assert _render('"&" not in s', JAVA_LINES) == '!s.contains("&")'
    assert _render("p in s", CPP_LINES) == "(s.find(p) != std::string::npos)"
    assert _render("s[i] == p", JAVA_LINES) == "CodexAt.of(s, i).equals(p)"  # a negative i counts from the end
    assert _render("s.startswith(p)", CPP_LINES) == "(s.rfind(p, 0) == 0)"
    assert _render("s.find(p) + 1", JAVA_LINES) == "(long) s.indexOf(p) + 1"
    assert _render("s.startswith(p, i)", TS_LINES) is None  # an int bound: Java and C++ only (line_str_args.py)
    assert _render("i in s", JAVA_LINES) is None


def test_cpp_signatures_with_strings_are_read_as_cpp():
    cpp = "long long flag_at(std::string opts, std::string flag)"
    assert signature_columns(cpp) == [("std::string", "opts"), ("std::string", "flag")]
    assert line_signature(cpp, CPP_LINES) == (cpp, {"opts": "str", "flag": "str"}, "int")
    assert signature_columns("function f(a: string, n: number): number") == [("string", "a"), ("number", "n")]


def test_cases_pass_every_positional_argument():
    fn = _fn("def f(a, b=True, c='x', d=None):\n    return a\n", "f")
    assert all_positional(InputCase("(1,)", "{'d': 2}"), fn) == InputCase("(1, True, 'x', 2)", "{}")
    assert all_positional(InputCase("(1,)", "{'c': 'y', 'd': 3}"), fn).args_src == "(1, True, 'y', 3)"
    assert all_positional(InputCase("(1, False, 'z', 3)"), fn).args_src == "(1, False, 'z', 3)"
    # d=None is not written in (a target's parameter of a plain type cannot take it): the case
    # stays as it was, and so does one with a keyword that is no positional parameter.
    assert all_positional(InputCase("(1,)"), fn) == InputCase("(1,)")
    assert all_positional(InputCase("(1, 2, 'x', 4)", "{'e': 2}"), fn) == InputCase("(1, 2, 'x', 4)", "{'e': 2}")


def test_types_from_a_bool_default_and_membership_in_a_str():
    hints = {i.name: i.hint for i in infer_params(_fn(MODULE, "escape"), [MODULE]) or []}
    assert hints == {"s": "str", "quote": "bool"}
    hints = {i.name: i.hint for i in infer_params(_fn(MODULE, "flag_at"), [MODULE]) or []}
    assert hints == {"opts": "str", "flag": "str"}


def _translate(target, out):
    return task.translate_source(
        FakeBackend([], default="    return 0;\n}\n"),  # wrong whole answers, junk lines
        load_prompt("translate"),
        task.TranslateJob(MODULE, Path("strs.py"), "python", target, Path(out)),
        Settings(retries=0),
        task.TranslateOptions(line_prompt=load_prompt("translate_line")),
    )


@pytest.mark.parametrize(
    "target, out, verified",
    [
        ("java", "Strs.java", {"escape", "flag_at"}),
        ("cpp", "strs.cpp", {"escape", "flag_at"}),
        ("typescript", "strs.ts", {"escape", "flag_at"}),
    ],
)
def test_string_functions_are_assembled_and_verified(target, out, verified):
    tool = {"java": "javac", "cpp": "g++"}.get(target)
    if (tool and shutil.which(tool) is None) or (target == "typescript" and toolchain_for(target).missing()):
        pytest.skip(f"no {target} toolchain")
    result = _translate(target, out)
    by_name = {o.target.name: o for o in result.outcomes}
    assert {name for name, o in by_name.items() if task.verified(o)} == verified
    for name in verified:
        assert by_name[name].detail.origin == "lines", by_name[name].reason
