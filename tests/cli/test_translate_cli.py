"""`codex translate` end to end through the CLI with the fake backend and real toolchains
(javac, node; each test is skipped when its toolchain is missing)."""

import json
import os
import shutil
from pathlib import Path
from textwrap import dedent

import pytest

from codexcli.verify.compare.toolchains import compile_check
from tests.conftest import run_codex

REPO = Path(__file__).resolve().parents[2]
SOURCE = dedent('''\
    def clamp(value: int, low: int, high: int) -> int:
        """
        >>> clamp(15, 0, 10)
        10
        """
        return max(low, min(value, high))


    def is_even(n: int) -> bool:
        return n % 2 == 0
    ''')
JAVA_OK = [
    "public static int clamp(int value, int low, int high) {\n    return Math.max(low, Math.min(value, high));\n}\n```",
    "public static boolean isEven(int n) {\n    return n % 2 == 0;\n}\n```",
]
JS_ANSWERS = [
    "function clamp(value, low, high) {\n  return Math.max(low, Math.min(value, high));\n}\n```",
    "function isEven(n) {\n  return n % 2 === 1;\n}\n```",  # wrong on purpose
]
needs_java = pytest.mark.skipif(
    shutil.which("javac") is None or shutil.which("java") is None, reason="javac/java not on PATH"
)
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node not on PATH")


def codex(tmp_path: Path, answers, *args, env_extra=None, stdin=None):
    script = tmp_path / "answers.json"
    script.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    env = dict(
        os.environ,
        CODEX_BACKEND="fake",
        CODEX_FAKE_ANSWERS=str(script),
        PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        **(env_extra or {}),
    )
    return run_codex(*args, cwd=tmp_path, env=env, backend_from_env=True, timeout=240, stdin=stdin)


@pytest.fixture
def src(tmp_path):
    path = tmp_path / "num_utils.py"
    path.write_text(SOURCE, encoding="utf-8")
    return path


@needs_java
def test_java_translation_is_written_compiles_and_leaves_the_input_alone(tmp_path, src):
    before = src.read_bytes()
    proc = codex(tmp_path, JAVA_OK, "--json", "translate", "num_utils.py", "--to", "java")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    out = tmp_path / "NumUtils.java"
    assert report["written"] is True and report["out"] == "NumUtils.java" and report["compiled"] is True
    assert src.read_bytes() == before
    text = out.read_text()
    assert "public class NumUtils {" in text
    assert compile_check(text, "java", "NumUtils.java").ok is True
    clamp, is_even = report["functions"]
    assert clamp["name"] == "clamp" and clamp["compiled"] is True and clamp["verified"] is True
    assert clamp["cases_passed"] == clamp["cases_total"] > 0
    assert is_even["translated_as"] == "isEven" and is_even["verified"] is True


@needs_java
def test_interactive_asks_per_definition_and_writes_only_the_accepted_ones(tmp_path, src):
    proc = codex(tmp_path, JAVA_OK, "--json", "-i", "translate", "num_utils.py", "--to", "java", stdin="n\ny\n")
    assert "write NumUtils.java::clamp? [y/N]" in proc.stderr and "write NumUtils.java::is_even?" in proc.stderr
    report = json.loads(proc.stdout)
    assert report["written"] is True and report["compiled"] is True
    text = (tmp_path / "NumUtils.java").read_text()
    assert "isEven" in text and "static int clamp" not in text
    assert compile_check(text, "java", "NumUtils.java").ok is True
    clamp, is_even = report["functions"]
    assert clamp["status"] == "declined" and is_even["verified"] is True


@needs_java
def test_interactive_declining_everything_writes_nothing(tmp_path, src):
    proc = codex(tmp_path, JAVA_OK, "-i", "translate", "num_utils.py", "--to", "java", stdin="")
    assert proc.returncode == 1 and not (tmp_path / "NumUtils.java").exists()
    assert "every definition was declined" in proc.stderr


@needs_node
def test_by_default_a_behaviour_mismatch_is_not_written_and_reported_with_its_candidate(tmp_path, src):
    proc = codex(tmp_path, JS_ANSWERS, "--json", "translate", "num_utils.py", "--to", "javascript")
    assert proc.returncode == 1, proc.stderr  # written, but one function was left out
    report = json.loads(proc.stdout)
    assert report["written"] is True and report["evidence_threshold"] == "reference"
    by_name = {f["name"]: f for f in report["functions"]}
    clamp, is_even = by_name["clamp"], by_name["is_even"]
    assert clamp["verified"] is True and clamp["evidence"]["level"] == "reference" and clamp["evidence"]["verified"]
    assert clamp["evidence"]["facts"] == f"behaves like the original on {clamp['cases_total']} cases"
    assert is_even["status"] == "below threshold" and is_even["verified"] is False
    assert is_even["evidence"] == {"level": "form", "facts": is_even["evidence"]["facts"], "verified": False}
    assert "differs from the original" in is_even["evidence"]["facts"] and is_even["behaviour"] == "failed"
    assert is_even["candidate"].startswith("function isEven(n)")
    text = (tmp_path / "num_utils.js").read_text()
    assert "function isEven" not in text and "unverified" not in text and "module.exports = { clamp };" in text

    proc = codex(tmp_path, JS_ANSWERS, "translate", "num_utils.py", "--to", "javascript", "--dry-run")
    assert "below threshold" in proc.stderr and "evidence" in proc.stderr and "reference" in proc.stderr
    assert "is_even" in proc.stderr.split("not written (evidence below")[1]


@needs_node
def test_keep_unverified_writes_the_mismatch_marked_and_strict_still_drops_it(tmp_path, src):
    args = ("--json", "translate", "num_utils.py", "--to", "javascript", "--force")
    for flags in (("--keep-unverified",), ("--evidence", "form")):
        proc = codex(tmp_path, JS_ANSWERS, *args, *flags)
        assert proc.returncode == 1, proc.stderr  # written, but one function computes something else
        report = json.loads(proc.stdout)
        by_name = {f["name"]: f for f in report["functions"]}
        assert by_name["clamp"]["verified"] is True
        assert by_name["is_even"]["verified"] is False and by_name["is_even"]["status"] == "translated"
        assert by_name["is_even"]["cases_passed"] < by_name["is_even"]["cases_total"]
        assert by_name["is_even"]["evidence"]["level"] == "form" and "candidate" not in by_name["is_even"]
        text = (tmp_path / "num_utils.js").read_text()
        assert "// codex: unverified: differs from the original" in text and "function isEven" in text
        assert text.count("codex: unverified") == 1
        assert "module.exports = { clamp, isEven };" in text

    proc = codex(tmp_path, JS_ANSWERS, *args, "--keep-unverified", "--strict")
    report = json.loads(proc.stdout)
    text = (tmp_path / "num_utils.js").read_text()
    assert "function isEven" not in text and "module.exports = { clamp };" in text
    assert [f["status"] for f in report["functions"]] == ["translated", "dropped"]
    assert compile_check(text, "javascript", "num_utils.js").ok is True

    proc = codex(tmp_path, JS_ANSWERS, "translate", "num_utils.py", "--to", "js", "--dry-run", "--evidence", "proof")
    assert proc.returncode == 2 and "unknown evidence level" in proc.stderr


@needs_node
def test_dry_run_prints_and_writes_nothing(tmp_path, src):
    proc = codex(tmp_path, JS_ANSWERS, "translate", "num_utils.py", "--to", "javascript", "--dry-run")
    assert "function clamp(value, low, high)" in proc.stdout
    assert not (tmp_path / "num_utils.js").exists()
    assert "translating clamp (1/2)" in proc.stderr  # progress on stderr


@needs_java
def test_code_that_never_compiles_is_not_written(tmp_path, src):
    broken = "public static int clamp(int value, int low, int high) { return value }\n```"
    proc = codex(
        tmp_path, [broken] * 6, "--json", "translate", "num_utils.py", "--to", "java", "--retries", "1", "--no-lines"
    )
    report = json.loads(proc.stdout)
    assert proc.returncode == 1
    clamp = report["functions"][0]
    assert clamp["status"] == "failed" and clamp["attempts"] == 2 and "does not compile (javac)" in clamp["reason"]
    assert clamp["compiled"] is False and clamp["verified"] is False


def test_missing_toolchain_is_not_written_unless_asked(tmp_path, src):
    env = {"CODEX_JAVAC": str(tmp_path / "no-such-javac")}
    proc = codex(tmp_path, JAVA_OK, "--json", "translate", "num_utils.py", "--to", "java", env_extra=env)
    report = json.loads(proc.stdout)
    assert proc.returncode == 1 and report["written"] is False and report["compiled"] is None
    assert "not verified" in report["not_written_because"] and "--keep-unverified" in report["not_written_because"]
    assert not (tmp_path / "NumUtils.java").exists()
    assert all(f["verified"] is False and f["compiled"] is None for f in report["functions"])

    proc = codex(
        tmp_path, JAVA_OK, "--json", "translate", "num_utils.py", "--to", "java", "--keep-unverified", env_extra=env
    )
    report = json.loads(proc.stdout)
    assert report["written"] is True and report["compiled"] is None
    assert proc.returncode == 1  # written as asked, but not verified: not a success
    assert (tmp_path / "NumUtils.java").exists()


def test_unknown_language_lists_the_supported_ones(tmp_path, src):
    proc = codex(tmp_path, [], "translate", "num_utils.py", "--to", "cobol")
    assert proc.returncode == 2
    assert "supported: python, java, javascript, typescript, cpp, go, rust, csharp" in proc.stderr


def test_undetectable_source_language_asks_for_from(tmp_path):
    (tmp_path / "notes.txt").write_text("int f() { return 1; }\n")
    proc = codex(tmp_path, [], "translate", "notes.txt", "--to", "python")
    assert proc.returncode == 2 and "--from" in proc.stderr


def test_existing_output_needs_force(tmp_path, src):
    (tmp_path / "NumUtils.java").write_text("keep me")
    proc = codex(tmp_path, JAVA_OK, "translate", "num_utils.py", "--to", "java")
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert (tmp_path / "NumUtils.java").read_text() == "keep me"


def test_answer_that_cannot_be_parsed_gives_a_clear_reason(tmp_path, src):
    proc = codex(
        tmp_path, ["```"] * 6, "--json", "translate", "num_utils.py", "--to", "java", "--retries", "0", "--no-lines"
    )
    report = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert [f["reason"] for f in report["functions"]] == ["the answer contains no code"] * 2
    assert report["written"] is False


def test_other_language_to_python(tmp_path):
    java = tmp_path / "MathUtils.java"
    java.write_text("public class MathUtils {\n    public static int add(int a, int b) { return a + b; }\n}\n")
    answers = ["def add(a, b):\n    return a + c\n```", "def add(a, b):\n    return a + b\n```"]
    # Only compiled: a Java original is not run next to its translation, so it is not verified and
    # by default not written; its code is the candidate.
    proc = codex(tmp_path, answers, "--json", "translate", "MathUtils.java", "--to", "python")
    report = json.loads(proc.stdout)
    assert proc.returncode == 1 and not report["written"] and report["out"] == "math_utils.py"
    (whole,) = report["functions"]
    assert whole["attempts"] == 2  # `c` is undefined: rejected, then fixed
    assert whole["status"] == "below threshold" and whole["evidence"]["level"] == "form"
    assert whole["candidate"] == "def add(a, b):\n    return a + b"
    assert "evidence threshold 'reference'" in report["not_written_because"]
    assert not (tmp_path / "math_utils.py").exists()

    proc = codex(tmp_path, answers, "--json", "translate", "MathUtils.java", "--to", "python", "--keep-unverified")
    assert proc.returncode == 1 and json.loads(proc.stdout)["written"]  # written marked, still not verified
    text = (tmp_path / "math_utils.py").read_text()
    assert "# codex: unverified: behaviour not checked: only a Python original is run" in text
    assert "def add(a, b):\n    return a + b" in text


@needs_java
def test_a_function_assembled_line_by_line_says_so(tmp_path):
    (tmp_path / "colors.py").write_text(
        "def rgb_to_y(r, g, b):\n    y = 0.30*r + 0.59*g + 0.11*b\n    return y\n", encoding="utf-8"
    )
    wrong = "    return r;\n}\n"
    lines = ["y = 0.3 * r + 0.59 * g + 0.11 * b;"] * 6 + ["return y;"] * 6
    proc = codex(tmp_path, [wrong, *lines], "--json", "translate", "colors.py", "--to", "java", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    (fn,) = json.loads(proc.stdout)["functions"]
    assert fn["verified"] is True and fn["origin"] == "lines" and fn["reason"].startswith("assembled line by line")

    proc = codex(tmp_path, [wrong], "--json", "translate", "colors.py", "--to", "java", "--dry-run", "--no-lines")
    assert proc.returncode == 1
    (fn,) = json.loads(proc.stdout)["functions"]
    assert fn["verified"] is False and fn["origin"] == "model" and fn["behaviour"] == "failed"
