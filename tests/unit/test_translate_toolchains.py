"""Compile checks per target language: a missing toolchain is "not verified", never success."""

import shutil

import pytest

from codexcli.verify.compare.toolchains import compile_check, compiler_errors


@pytest.mark.parametrize(
    "language, exe, filename",
    [
        ("go", "GO", "m.go"),
        ("csharp", "CSC", "M.cs"),
        ("java", "JAVAC", "M.java"),
        ("typescript", "TSC", "m.ts"),
        ("rust", "RUSTC", "m.rs"),
        ("cpp", "G++", "m.cpp"),
    ],
)
def test_missing_toolchain_is_not_verified(monkeypatch, tmp_path, language, exe, filename):
    monkeypatch.setenv(f"CODEX_{exe}", str(tmp_path / "missing"))  # an override that does not exist
    check = compile_check("anything", language, filename)
    if language == "csharp":
        monkeypatch.setenv("CODEX_MCS", str(tmp_path / "missing"))
        check = compile_check("anything", language, filename)
    assert check.ok is None and not check.verified
    assert "not on PATH" in check.detail


@pytest.mark.skipif(shutil.which("javac") is None, reason="javac not on PATH")
def test_javac_errors_name_the_line():
    check = compile_check("public class M { static int f() { return 1 } }", "java", "M.java")
    assert check.ok is False and check.checker == "javac"
    assert "M.java:1: error: ';' expected" in check.detail


@pytest.mark.skipif(shutil.which("node") is None, reason="node not on PATH")
def test_node_check_accepts_and_rejects():
    assert compile_check("function f(a) { return a + 1; }\n", "javascript", "m.js").ok is True
    bad = compile_check("function f(a: number) { return a; }\n", "javascript", "m.js")
    assert bad.ok is False and bad.detail.startswith("m.js:1")  # the sandbox's path is not shown


def test_python_is_compiled_in_process_with_the_line():
    check = compile_check("def f():\n    return (\n", "python", "m.py")
    assert check.ok is False and "m.py:" in check.detail
    assert compile_check("def f():\n    return 1\n", "python", "m.py").ok is True


def test_compiler_errors_keep_the_error_lines_first():
    out = "warning: unused\nfoo.cpp:3:5: error: expected ';'\nnote: here\nfoo.cpp:9:1: error: bad\n"
    assert compiler_errors(out) == "foo.cpp:3:5: error: expected ';'\nfoo.cpp:9:1: error: bad"
