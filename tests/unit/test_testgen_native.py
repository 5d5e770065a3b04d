"""testgen for JavaScript and Java, the pieces: probes, targets, calls (pure, tree-sitter), and the
runners against the real toolchains (node, javac/java, JUnit 5), skipped where they are missing."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from codexcli import languages
from codexcli.tasks.native.calls import Call, codex_calls
from codexcli.tasks.native.probes import instrument
from codexcli.tasks.native.targets import DEFAULT, java_targets, javascript_targets
from codexcli.tasks.testgen.native.answers import answer_calls
from codexcli.tasks.testgen.native.junit import JUnit, junit_jar
from codexcli.tasks.testgen.native.node import NodeTest
from codexcli.tasks.testgen.native.runner import runner_for

pytest.importorskip("tree_sitter_javascript")
pytest.importorskip("tree_sitter_java")

JS = """'use strict';
function clamp(x, lo, hi) {
  if (typeof x !== 'number') throw new TypeError('x must be a number');
  if (x < lo) return lo;
  return x > hi ? hi : x;
}
function hidden(a) { return a; }
module.exports = { clamp };
"""
JAVA = """package a.b;

public class MathUtil {
    public static int clamp(int x, int lo, int hi) {
        if (lo > hi) throw new IllegalArgumentException("lo > hi");
        if (x < lo) return lo;
        return Math.min(x, hi);
    }

    private static int secret() { return 1; }
}
"""
need_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
need_junit = pytest.mark.skipif(
    shutil.which("javac") is None or junit_jar() is None, reason="javac or JUnit 5's console launcher is missing"
)


def test_probes_leave_every_line_where_it_was_and_count_each_arm():
    probed = instrument(JS, "javascript", languages.get("javascript").tests)
    assert probed.text.count("\n") == JS.count("\n")
    assert "'use strict';\n" in probed.text  # a directive keeps its place
    # line 3 holds the `if` and the throw it guards: two probes; line 4 likewise
    assert {3000, 3001, 4000, 4001, 5000} == set(probed.lines) - {7000}
    line = probed.text.splitlines()[2]
    assert line == (
        "  globalThis.__codexHits?.add(3000); if (typeof x !== 'number') "
        "{ globalThis.__codexHits?.add(3001); throw new TypeError('x must be a number'); }"
    )
    assert probed.text.splitlines()[-1] == JS.splitlines()[-1]  # outside functions: as written


def test_targets_are_the_exports_and_the_public_methods():
    js = javascript_targets(JS)
    assert [(t.qualname, t.import_name, t.params, t.esm) for t in js] == [("clamp", "clamp", ("x", "lo", "hi"), False)]
    esm = javascript_targets("export default function f(a) { return a; }\n", ".mjs")
    assert [(t.name, t.import_name, t.esm) for t in esm] == [("f", DEFAULT, True)]
    java = java_targets(JAVA)
    assert [(t.qualname, t.types, t.returns, t.static, t.package) for t in java] == [
        ("MathUtil.clamp", ("int", "int", "int"), "int", True, "a.b")
    ]


def test_calls_keep_literal_arguments_of_the_right_arity_only():
    target = javascript_targets(JS)[0]
    answer = "```js\nclamp(15, 0, 10)\nclamp(x, 1, 2)\nassert.equal(clamp(-1, [1, 2], {a: 'x'}), 0)\nclamp(1)\n```"
    assert answer_calls(answer, target, "javascript") == [Call(("15", "0", "10")), Call(("-1", "[1, 2]", "{a: 'x'}"))]
    java = java_targets(JAVA)[0]
    said = "assertEquals(10, MathUtil.clamp(15, 0, 10));\nMathUtil.clamp(-2, lo, 3);\nclamp(1, 2, -3)"
    assert answer_calls(said, java, "java") == [Call(("15", "0", "10")), Call(("1", "2", "-3"))]
    made = codex_calls(java, "java")
    assert made and all(len(c.args) == 3 and c.origin == "codex" for c in made)
    assert len(set(made)) == len(made)


def test_test_locations_follow_the_project_layout(tmp_path):
    src = tmp_path / "src" / "main" / "java" / "a" / "b"
    src.mkdir(parents=True)
    assert JUnit.location(src / "X.java") == tmp_path / "src" / "test" / "java" / "a" / "b" / "XTest.java"
    assert JUnit.location(tmp_path / "Y.java") == tmp_path / "YTest.java"
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "lib").mkdir()
    assert NodeTest.location(tmp_path / "lib" / "m.js") == tmp_path / "test" / "m.test.js"
    (tmp_path / "lib" / "n.test.js").write_text("")
    assert NodeTest.location(tmp_path / "lib" / "m.js") == tmp_path / "lib" / "m.test.js"


@need_node
def test_node_observes_calls_and_its_tests_pass_under_node_test(tmp_path):
    (tmp_path / "package.json").write_text("{}")
    module = tmp_path / "m.js"
    module.write_text(JS)
    runner = runner_for("javascript", module, NodeTest.location(module), JS, 30)
    target = javascript_targets(JS)[0]
    calls = [Call(("15", "0", "10")), Call(("'a'", "0", "1")), Call(("-3", "0", "10"))]
    seen = runner.observe(target, calls)
    assert [(s.kind, s.literal or s.error) for s in seen] == [("value", "10"), ("raised", "TypeError"), ("value", "0")]
    assert seen[0].lines != seen[2].lines
    tests = [runner.test(target, c, s, set()) for c, s in zip(calls, seen)]
    text = runner.file_text("", [t for t in tests if t])
    run = runner.run(text)
    assert run.error is None and all(run.ok(t.name) for t in tests if t)
    broken = text.replace(
        "assert.deepStrictEqual(clamp(15, 0, 10), 10)", "assert.deepStrictEqual(clamp(15, 0, 10), 11)"
    )
    assert not runner.run(broken).ok(tests[0].name)
    path = tmp_path / "test" / "m.test.js"
    path.parent.mkdir()
    path.write_text(text)
    assert subprocess.run(["node", "--test", str(path)], capture_output=True).returncode == 0
    assert module.read_text() == JS


@need_junit
def test_junit_observes_calls_and_drops_a_test_javac_rejects(tmp_path):
    module = tmp_path / "MathUtil.java"
    module.write_text(JAVA)
    runner = runner_for("java", module, JUnit.location(module), JAVA, 120)
    target = java_targets(JAVA)[0]
    calls = [Call(("15", "0", "10")), Call(("1", "5", "2")), Call(('"x"', "0", "1"))]
    seen = runner.observe(target, calls)
    assert (seen[0].kind, seen[0].literal) == ("value", "10")
    assert (seen[1].kind, seen[1].error) == ("raised", "java.lang.IllegalArgumentException")
    assert seen[2].kind == "missing"  # a String for an int: javac rejects the call
    tests = [runner.test(target, c, s, set()) for c, s in zip(calls, seen)]
    assert tests[2] is None
    run = runner.run(runner.file_text("", [t for t in tests if t]))
    assert run.error is None and all(run.ok(t.name) for t in tests if t) and run.lines


@need_node
def test_a_test_that_passes_only_once_is_flaky(tmp_path):
    (tmp_path / "package.json").write_text("{}")
    module = tmp_path / "m.js"
    module.write_text(JS)
    runner = runner_for("javascript", module, NodeTest.location(module), JS, 30)
    text = (
        "const test = require('node:test');\nconst fs = require('fs');\n"
        "test('once', () => { if (fs.existsSync('mark')) throw new Error('again'); fs.writeFileSync('mark', ''); });\n"
        "test('always', () => {});\n"
    )
    run = runner.run(text, twice=True)
    assert run.flaky == {"once"} and not run.ok("once") and run.ok("always")
    assert runner.run(text).ok("once")  # run once, in a fresh copy, it passes


@need_node
@pytest.mark.skipif(languages.resolve_tool("tsc") is None, reason="tsc is not installed")
def test_typescript_probes_survive_lines_without_semicolons(tmp_path):
    pytest.importorskip("tree_sitter_typescript")
    source = "export function f(x: number): number {\n  const y = x + 1\n  return y * 2\n}\n"
    (tmp_path / "package.json").write_text("{}")
    module = tmp_path / "m.ts"
    module.write_text(source)
    runner = runner_for("typescript", module, NodeTest.location(module), source, 60)
    target = javascript_targets(source, ".ts", "m", "typescript")[0]
    seen = runner.observe(target, [Call(("3",)), Call(("'a'",))])
    assert (seen[0].kind, seen[0].literal) == ("value", "8")
    assert seen[1].kind == "missing" and "TS2345" in seen[1].message  # a string for a number
    test = runner.test(target, Call(("3",)), seen[0], set())
    assert test is not None and runner.run(runner.file_text("", [test])).ok(test.name)


def test_tests_are_added_to_an_existing_file_keeping_its_text(tmp_path):
    from codexcli.tasks.testgen.types import KeptTest

    module = tmp_path / "MathUtil.java"
    module.write_text(JAVA)
    runner = runner_for("java", module, JUnit.location(module), JAVA, 30)
    existing = "package a.b;\n\nimport org.junit.jupiter.api.Test;\n\nclass MathUtilTest {\n    // mine\n}\n"
    test = KeptTest("test_x", "    @Test\n    void test_x() {\n        assertEquals(1, 1);\n    }\n", ())
    text = runner.file_text(existing, [test])
    assert text.startswith("package a.b;\n\nimport org.junit.jupiter.api.Test;\n")
    assert "import static org.junit.jupiter.api.Assertions.*;" in text and "    // mine\n" in text
    assert text.rstrip().endswith("}\n}") and text.count("class MathUtilTest") == 1
    js = tmp_path / "m.js"
    js.write_text(JS)
    node = runner_for("javascript", js, NodeTest.location(js), JS, 30)
    mine = "const test = require('node:test');\ntest('mine', () => {});\n"
    target = javascript_targets(JS)[0]
    kept = KeptTest("t", "test('t', () => {});\n", (node.import_line(target),))
    assert node.file_text(mine, [kept]).startswith(mine)
    assert node.import_line(target) == 'const { clamp } = require("../m.js");'
