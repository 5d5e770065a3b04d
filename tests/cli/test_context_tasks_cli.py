"""Repository context for `codex testgen` and `codex translate` (issue 17, item 3): the prompt the
(fake) model receives shows the related definitions of the repository and, for testgen, their
existing tests; --no-context leaves them out; --json says which were shown."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import dedent, read_log, run_codex, subprocess_env

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
RANGES = dedent('''
    def bounded(value, low, high):
        """Return whether value lies in low..high."""
        return low <= value <= high
''')
CLAMP = dedent('''
    from ranges import bounded


    def clamp(value, low, high):
        """Return value limited to low..high."""
        if bounded(value, low, high):
            return value
        return low if value < low else high
''')
RANGE_TESTS = dedent("""
    from ranges import bounded


    def test_bounded_inside():
        assert bounded(5, 0, 10)
""")
LEGACY_TESTS = dedent("""
    from clampmod import clamp


    def test_clamp_legacy():
        assert clamp(3, 0, 1) == 1


    def test_unrelated():
        assert abs(-1) == 1
""")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'proj'\n", encoding="utf-8")
    (root / "ranges.py").write_text(RANGES, encoding="utf-8")
    (root / "clampmod.py").write_text(CLAMP, encoding="utf-8")
    (root / "tests" / "test_ranges.py").write_text(RANGE_TESTS, encoding="utf-8")
    (root / "tests" / "test_legacy.py").write_text(LEGACY_TESTS, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def codex(tmp_path: Path, *args: str, answers: list[str]) -> tuple[subprocess.CompletedProcess[str], Path]:
    script = tmp_path / "answers.json"
    script.write_text(json.dumps(answers), encoding="utf-8")
    log = tmp_path / "requests.log"
    log.unlink(missing_ok=True)
    env = {
        **subprocess_env(),
        "CODEX_BACKEND": "fake",
        "CODEX_FAKE_ANSWERS": str(script),
        "CODEX_FAKE_LOG": str(log),
        "CODEX_RETRIES": "0",
    }
    return run_codex(*args, cwd=tmp_path, env=env, backend_from_env=True), log


TESTGEN = ("testgen", "--function", "clamp", "--mutants", "0", "--oracle", "model", "--no-synthesize", "--json")
TEST_ANSWER = "_high():\n    assert clamp(15, 0, 10) == 10\n```"


@needs_git
def test_testgen_shows_related_definitions_and_their_existing_tests(tmp_path: Path, project: Path):
    result, log = codex(tmp_path, *TESTGEN, str(project / "clampmod.py"), answers=[TEST_ANSWER])
    assert result.returncode == 0, result.stderr
    [function] = json.loads(result.stdout)["functions"]
    assert function["context"] == [
        {"path": "ranges.py", "line": 1, "name": "bounded"},
        {"path": "tests/test_legacy.py", "line": 4, "name": "test_clamp_legacy"},
        {"path": "tests/test_ranges.py", "line": 4, "name": "test_bounded_inside"},
    ]
    [request] = read_log(log)
    prompt = request["messages"][-1]["content"]
    assert "# ranges.py:1 bounded\ndef bounded(value, low, high):" in prompt
    assert "# tests/test_ranges.py:4 test_bounded_inside\ndef test_bounded_inside():" in prompt
    assert "def test_clamp_legacy():" in prompt
    assert "test_unrelated" not in prompt  # a test that calls neither the target nor its relatives
    assert "# clampmod.py" not in prompt  # the target itself is shown once, as the code to test
    # prefix-friendly: the module's imports (shared by every target) come first
    assert prompt.index("from ranges import bounded") < prompt.index("Related code") < prompt.index("The code to test")


@needs_git
def test_testgen_without_context(tmp_path: Path, project: Path):
    result, log = codex(tmp_path, *TESTGEN, "--no-context", str(project / "clampmod.py"), answers=[TEST_ANSWER])
    assert result.returncode == 0, result.stderr
    [function] = json.loads(result.stdout)["functions"]
    assert function["context"] == []
    [request] = read_log(log)
    assert "Related code" not in request["messages"][-1]["content"]
    assert "test_bounded_inside" not in request["messages"][-1]["content"]


# --keep-unverified: these tests are about the prompt, not the evidence (the scripted answer
# does not call the helper, so it is not verified and the default would leave it out).
TRANSLATE = ("translate", "--to", "javascript", "--dry-run", "--json", "--keep-unverified")
JS_ANSWER = "function clamp(value, low, high) {\n  return Math.max(low, Math.min(value, high));\n}\n```"
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node not on PATH")


@needs_git
@needs_node
def test_translate_shows_the_helpers_the_code_calls(tmp_path: Path, project: Path):
    result, log = codex(tmp_path, *TRANSLATE, str(project / "clampmod.py"), answers=[JS_ANSWER])
    payload = json.loads(result.stdout)
    [function] = payload["functions"]
    assert function["status"] == "translated", result.stderr
    assert function["context"] == [{"path": "ranges.py", "line": 1, "name": "bounded"}]
    [request] = read_log(log)
    prompt = request["messages"][-1]["content"]
    assert "Related code from this repository:\n```python\n# ranges.py:1 bounded\ndef bounded(" in prompt
    assert "clampmod.py:" not in prompt  # not the code being translated itself
    # prefix-friendly: the file's start (shared by every definition) first, the related code after
    assert prompt.index("The file starts with") < prompt.index("Related code") < prompt.index("Translate this")


@needs_git
@needs_node
def test_translate_without_context(tmp_path: Path, project: Path):
    result, log = codex(tmp_path, *TRANSLATE, "--no-context", str(project / "clampmod.py"), answers=[JS_ANSWER])
    [function] = json.loads(result.stdout)["functions"]
    assert function["status"] == "translated", result.stderr
    assert function["context"] == []
    [request] = read_log(log)
    assert "Related code" not in request["messages"][-1]["content"]
    assert "def bounded" not in request["messages"][-1]["content"]


@needs_git
@needs_node
def test_the_stderr_reports_name_what_each_prompt_showed(tmp_path: Path, project: Path):
    module = str(project / "clampmod.py")
    result, _ = codex(tmp_path, *TESTGEN[:-1], module, answers=[TEST_ANSWER])
    assert result.returncode == 0, result.stderr
    assert (
        "context for clamp: ranges.py:1 bounded, tests/test_legacy.py:4 test_clamp_legacy, "
        "tests/test_ranges.py:4 test_bounded_inside" in result.stderr
    )
    result, _ = codex(tmp_path, *(a for a in TRANSLATE if a != "--json"), module, answers=[JS_ANSWER])
    assert "context for clamp: ranges.py:1 bounded" in result.stderr, result.stderr
