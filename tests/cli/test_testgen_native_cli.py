"""`codex testgen` on JavaScript and Java files through the CLI (fake backend, real toolchains)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from codexcli.tasks.testgen.native.junit import junit_jar
from tests.cli.test_testgen_cli import codex

pytest.importorskip("tree_sitter_javascript")

JS = """'use strict';
function clamp(x, lo, hi) {
  if (x < lo) return lo;
  if (x > hi) return hi;
  return x;
}
module.exports = { clamp };
"""
JAVA = """package a.b;

public class Util {
    public static String shout(String s) {
        if (s.isEmpty()) return "";
        return s.toUpperCase() + "!";
    }
}
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_javascript_tests_are_written_to_test_and_pass_under_node(tmp_path):
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "package.json").write_text('{"name": "pkg"}')
    (root / "m.js").write_text(JS)
    # The model's calls; codex's own calls come first and may already cover everything.
    result = codex(tmp_path, "--json", "testgen", str(root / "m.js"), answers=["15, 0, 10)\nclamp(-1, 0, 10)\n```"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    out = root / "test" / "m.test.js"
    assert report["out"] == str(out) and report["language"] == "javascript"
    assert report["coverage"]["after"]["lines"][0] > report["coverage"]["before"]["lines"][0]
    assert (root / "m.js").read_text() == JS
    run = subprocess.run(["node", "--test", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert f"# pass {report['totals']['kept']}" in run.stdout


@pytest.mark.skipif(shutil.which("javac") is None or junit_jar() is None, reason="javac or JUnit 5 is missing")
def test_java_tests_go_to_src_test_java(tmp_path):
    src = tmp_path / "proj" / "src" / "main" / "java" / "a" / "b"
    src.mkdir(parents=True)
    (tmp_path / "proj" / "pom.xml").write_text("<project/>")
    (src / "Util.java").write_text(JAVA)
    result = codex(
        tmp_path, "testgen", str(src / "Util.java"), "--no-synthesize", answers=['"")\nUtil.shout("hi")\n```']
    )
    assert result.returncode == 0, result.stderr
    out = tmp_path / "proj" / "src" / "test" / "java" / "a" / "b" / "UtilTest.java"
    text = out.read_text()
    assert text.startswith("package a.b;") and 'assertEquals("HI!", Util.shout("hi"));' in text
    assert (src / "Util.java").read_text() == JAVA


def test_a_missing_toolchain_is_one_line_and_nothing_is_written(tmp_path, monkeypatch):
    (tmp_path / "X.java").write_text(JAVA)
    monkeypatch.setenv("CODEX_JUNIT_JAR", str(tmp_path / "none.jar"))
    result = codex(tmp_path, "testgen", str(tmp_path / "X.java"))
    assert result.returncode == 0
    assert "skipped" in result.stderr and "junit5" in result.stderr
    assert not (tmp_path / "XTest.java").exists()


def test_an_unsupported_file_is_refused(tmp_path):
    (tmp_path / "x.go").write_text("package x\n")
    result = codex(tmp_path, "testgen", str(tmp_path / "x.go"))
    assert result.returncode == 2 and ".js" in result.stderr and ".java" in result.stderr
    assert (tmp_path / "x.go").read_text() == "package x\n"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_calls_that_cover_nothing_new_are_not_kept_and_the_test_file_stays(tmp_path):
    root = tmp_path / "pkg"
    (root / "test").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "pkg"}')
    (root / "m.js").write_text(JS)
    existing = (
        "const test = require('node:test');\nconst assert = require('node:assert');\n"
        "const { clamp } = require('../m.js');\n"
        "test('all', () => { assert.equal(clamp(-1, 0, 9), 0); assert.equal(clamp(10, 0, 9), 9); "
        "assert.equal(clamp(5, 0, 9), 5); });\n"
    )
    (root / "test" / "m.test.js").write_text(existing)
    result = codex(tmp_path, "--json", "testgen", str(root / "m.js"), answers=["15, 0, 10)\n```"])
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["totals"]["kept"] == 0
    assert report["coverage"]["before"] == report["coverage"]["after"]
    assert report["coverage"]["before"]["lines"][0] == report["coverage"]["before"]["lines"][1]
    assert set(report["functions"][0]["dropped"]) == {"adds-no-coverage"}
    assert (root / "test" / "m.test.js").read_text() == existing
