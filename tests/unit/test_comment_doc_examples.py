"""`codex comment` on JavaScript, TypeScript and Java: comments of examples observed by running
the function (tasks/comment/docexamples.py), with the fake backend and the real toolchains (node,
javac/java, tsc). Each shown value is checked by running its call again here, outside codex."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from codexcli import languages
from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.splice.doccomment import shape
from codexcli.tasks.comment.doctargets import parse_function
from codexcli.tasks.comment.doctask import comment_other_source
from codexcli.tasks.testgen.native import runner as testgen_runner

pytest.importorskip("tree_sitter_javascript")

SETTINGS = Settings(backend="fake", retries=0)
need_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
need_java = pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("java") is None, reason="javac/java are not installed"
)

MODULE = """'use strict';

// joins two words
function join(left, right) {
  if (typeof left !== 'string') {
    return String(left) + '/' + right;
  }
  return left + '-' + right;
}

function roll(n) {
  return String(Math.random()) + n;
}

function hidden(x) {
  return x;
}

module.exports = { join, roll };
"""

CLASS = """public class Calc {
    public static int twice(int x) {
        return 2 * x;
    }

    public static long stamp(int x) {
        return System.nanoTime() + x;
    }

    public static String greet(String name) {
        if (name == null) {
            return "nobody";
        }
        return "Hello, " + name + "!";
    }
}
"""

# An answer the gates reject (no sentence): the model never brings a comment to the threshold.
NO_COMMENT = " @returns x\n */"


def document(path: Path, **kw):  # type: ignore[no-untyped-def]
    source = path.read_text()
    language = languages.by_suffix(path.suffix)
    fake = FakeBackend([NO_COMMENT] * 300)
    result = comment_other_source(
        source,
        str(path),
        language,
        path.suffix,
        settings=SETTINGS,
        prompt=load_prompt("comment_doc"),
        backend=lambda: fake,
        **kw,
    )
    return source, result, fake


def examples(text: str) -> list[tuple[str, str]]:
    """(call, value) of each ``call // => value`` line of the comments in ``text``."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^\s*\* (.+?) // => (.+)$", text, re.M)]


def unchanged_outside_comments(before: str, after: str, suffix: str, language: str) -> bool:
    """``after`` less whole comment lines is ``before``, and both parse to the same tree."""
    plain = [line for line in after.splitlines(keepends=True) if not line.lstrip().startswith(("/**", "*"))]
    parse = parse_function(languages.get(language), suffix)
    return "".join(plain) == before and shape(parse(after.encode())) == shape(parse(before.encode()))


@pytest.fixture
def words(tmp_path: Path) -> Path:
    """MODULE as a file of its own project (the examples' calls run in a copy of it)."""
    path = tmp_path / "words.js"
    path.write_text(MODULE)
    return path


def node_confirms(module: Path, name: str, shown: list[tuple[str, str]]) -> None:
    """node, outside codex, evaluates each call and its shown value and finds them equal."""
    for call, value in shown:
        check = f"const {{ {name} }} = require({str(module)!r}); require('assert').deepStrictEqual({call}, {value});"
        assert subprocess.run(["node", "-e", check], capture_output=True).returncode == 0, (call, value)


@need_node
def test_javascript_gets_examples_by_default_and_their_values_are_the_functions(words: Path) -> None:
    source, result, _ = document(words)
    by_name = {o.target.name: o for o in result.outcomes}
    assert by_name["join"].status == "documented" and by_name["join"].evidence.level == "examples"
    assert "Examples of calls to `join` and the values they return" in result.after
    assert "@example" in result.after
    shown = examples(result.after)
    assert 1 <= len(shown) <= 3 and all(call.startswith("join(") for call, _ in shown)
    assert len({value for _, value in shown}) == len(shown)  # each value once
    assert unchanged_outside_comments(source, result.after, ".js", "javascript")
    words.write_text(result.after)
    node_confirms(words, "join", shown)


@need_node
def test_a_random_value_and_a_function_codex_cannot_call_get_no_examples(words: Path) -> None:
    _, result, _ = document(words)
    by_name = {o.target.name: o for o in result.outcomes}
    assert by_name["roll"].status != "documented" and by_name["hidden"].status != "documented"
    assert "calls to `roll`" not in result.after and "calls to `hidden`" not in result.after


@need_node
def test_without_examples_or_above_examples_nothing_is_run_or_written(words: Path) -> None:
    for kw in ({"examples": False}, {"evidence": "reference"}):
        _, result, _ = document(words, **kw)
        assert result.after == MODULE and not any(o.status == "documented" for o in result.outcomes)


@need_node
def test_at_meaning_a_rejected_model_comment_falls_back_to_examples(words: Path) -> None:
    _, result, fake = document(words, evidence="meaning", only=["join"])
    [outcome] = [o for o in result.outcomes if o.target.name == "join"]
    assert fake.requests and outcome.status == "documented" and outcome.evidence.level == "examples"
    assert "the model's comment was not written" in outcome.note


@need_java
def test_java_gets_javadoc_examples_that_javac_and_java_confirm(tmp_path: Path) -> None:
    pytest.importorskip("tree_sitter_java")
    path = tmp_path / "Calc.java"
    path.write_text(CLASS)
    source, result, _ = document(path)
    by_name = {o.target.name: o for o in result.outcomes}
    assert by_name["twice"].evidence.level == "examples" and by_name["greet"].evidence.level == "examples"
    assert by_name["stamp"].status != "documented"  # System.nanoTime differs from run to run
    assert "<pre>{@code" in result.after and "}</pre>" in result.after
    assert unchanged_outside_comments(source, result.after, ".java", "java")
    shown = examples(result.after)
    assert shown and all(call.startswith(("Calc.twice(", "Calc.greet(")) for call, _ in shown)
    path.write_text(result.after)
    checks = "\n".join(
        f"        if (!java.util.Objects.equals({call}, {value})) throw new AssertionError({i});"
        for i, (call, value) in enumerate(shown)
    )
    (tmp_path / "Check.java").write_text(
        f"public class Check {{\n    public static void main(String[] a) {{\n{checks}\n    }}\n}}\n"
    )
    built = subprocess.run(
        ["javac", "-d", str(tmp_path / "out"), str(path), str(tmp_path / "Check.java")], capture_output=True
    )
    assert built.returncode == 0, built.stderr
    ran = subprocess.run(["java", "-cp", str(tmp_path / "out"), "Check"], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr


@need_java
def test_java_examples_need_javac_and_java_but_not_junit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Running calls is the harness's (tasks/native/java.py); JUnit's launcher only testgen's tests need."""
    pytest.importorskip("tree_sitter_java")
    monkeypatch.setenv("CODEX_JUNIT_JAR", str(tmp_path / "no-junit.jar"))  # names no file: no launcher
    path = tmp_path / "Calc.java"
    path.write_text(CLASS)
    tests = testgen_runner.runner_for("java", path, testgen_runner.test_location("java", path), CLASS, 30)
    assert "JUnit 5" in (tests.missing() or "")
    _, result, _ = document(path, only=["twice"])
    [outcome] = [o for o in result.outcomes if o.target.name == "twice"]
    assert outcome.status == "documented" and outcome.evidence.level == "examples"
    assert all(call.startswith("Calc.twice(") for call, _ in examples(result.after))


@pytest.mark.skipif(languages.resolve_tool("tsc") is None or shutil.which("node") is None, reason="needs tsc and node")
def test_typescript_examples_are_type_checked_calls(tmp_path: Path) -> None:
    pytest.importorskip("tree_sitter_typescript")
    path = tmp_path / "pad.ts"
    path.write_text(
        "export function pad(text: string, width: number): string {\n  return text.padStart(width, '.');\n}\n"
    )
    source, result, _ = document(path)
    [outcome] = result.outcomes
    assert outcome.evidence.level == "examples"
    shown = examples(result.after)
    assert shown and unchanged_outside_comments(source, result.after, ".ts", "typescript")
    path.write_text(result.after)
    tsc = [
        str(languages.resolve_tool("tsc")),
        "--target",
        "es2020",
        "--module",
        "commonjs",
        "--outDir",
        str(tmp_path / "out"),
        str(path),
    ]
    assert subprocess.run(tsc, capture_output=True).returncode == 0
    assert all(re.fullmatch(r"pad\(.+, -?[\d.]+\)", call) for call, _ in shown)  # ill-typed calls left out
    node_confirms(tmp_path / "out" / "pad.js", "pad", shown)
