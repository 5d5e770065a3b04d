"""`codex testgen` end to end through the CLI, with the fake backend in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_codex

REPO = Path(__file__).resolve().parents[2]
MODULE = textwrap.dedent('''\
    """Helpers."""


    def clamp(value, low, high):
        """Return value limited to low..high."""
        if value < low:
            return low
        if value > high:
            return high
        return value
''')
GOOD = (
    "_high():\n    assert clamp(15, 0, 10) == 10\n\n\ndef test_clamp_wrong():\n    assert clamp(1, 0, 10) == 2\n\n\n"
    "def test_clamp_nothing():\n    clamp(1, 0, 3)\n```"
)
BAD = "():\n    assert clamp(1, 0, 10) == 2\n```"
# Today's behaviour before issue 16: the model's literals as written, no synthesized tests.
MODEL_ORACLE = ("--oracle", "model", "--no-synthesize")


def codex(
    tmp_path: Path, *args: str, answers: object = (GOOD,), stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "answers.json"
    script.write_text(json.dumps(answers), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "CODEX_BACKEND": "fake",
        "CODEX_FAKE_ANSWERS": str(script),
        "CODEX_FAKE_LOG": str(tmp_path / "requests.log"),
        "CODEX_RETRIES": "0",
    }
    return run_codex(*args, cwd=tmp_path, env=env, backend_from_env=True, timeout=300, stdin=stdin)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'proj'\n", encoding="utf-8")
    (root / "clampmod.py").write_text(MODULE, encoding="utf-8")
    return root


def model_was_asked(tmp_path: Path) -> bool:
    return (tmp_path / "requests.log").exists()


def test_writes_passing_tests_and_leaves_the_module_alone(tmp_path, project):
    module = project / "clampmod.py"
    before = module.read_bytes()
    result = codex(tmp_path, "testgen", str(module), "--mutants", "2", *MODEL_ORACLE)
    assert result.returncode == 0, result.stderr
    out = project / "tests" / "test_clampmod.py"  # the default --out
    assert (
        out.read_text()
        == "from clampmod import clamp\n\n\ndef test_clamp_15_0_10_returns_10():\n    assert clamp(15, 0, 10) == 10\n"
    )
    assert module.read_bytes() == before
    assert "1 test(s) kept" in result.stderr and "written" in result.stderr
    check = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(out)],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and "1 passed" in check.stdout


def test_interactive_asks_per_function_and_a_no_writes_nothing(tmp_path, project):
    module = project / "clampmod.py"
    result = codex(tmp_path, "-i", "testgen", str(module), "--mutants", "2", *MODEL_ORACLE, stdin="n\n")
    assert "tests/test_clampmod.py::clamp? [y/N]" in result.stderr and "+def test_clamp_15_0_10" in result.stderr
    assert result.returncode == 1 and "not written (declined)" in result.stderr
    assert not (project / "tests" / "test_clampmod.py").exists() and "no generated test passed" not in result.stderr
    again = codex(tmp_path, "-i", "testgen", str(module), "--mutants", "2", *MODEL_ORACLE, stdin="y\n")
    assert again.returncode == 0 and "def test_clamp_15_0_10" in (project / "tests" / "test_clampmod.py").read_text()


def test_json_report_per_function(tmp_path, project):
    result = codex(
        tmp_path,
        "--json",
        "testgen",
        str(project / "clampmod.py"),
        "--out",
        str(project / "t" / "test_c.py"),
        "--mutants",
        "2",
        *MODEL_ORACLE,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["ok"] is True and payload["written"] is True
    (fn,) = payload["functions"]
    assert fn["name"] == "clamp" and fn["candidates"] == 3 and fn["kept"] == 1
    assert fn["kept_tests"] == ["test_clamp_15_0_10_returns_10"]  # named from what it does (tidy.py)
    assert fn["dropped"] == {"failed": 1, "no-assertion": 1}
    assert fn["mutants"]["total"] == 2 and 1 <= fn["mutants"]["killed"] <= 2
    assert fn["coverage"]["before"]["lines"] == [0, 5]
    assert (
        fn["coverage"]["after"]["lines"][0] > 0
        and fn["coverage"]["after"]["percent"] > fn["coverage"]["before"]["percent"]
    )
    assert fn["evidence"]["level"] == "reference" and fn["evidence"]["verified"] is True
    facts = fn["evidence"]["facts"]  # --oracle model: the expected values are the model's, run on the code
    assert facts.startswith("expected values as written, confirmed by running the code; 1 test(s) pass; kill ")
    assert "adds coverage: 0% -> " in facts
    assert payload["totals"]["dropped"] == {"failed": 1, "no-assertion": 1}
    assert payload["coverage"]["after"]["percent"] > payload["coverage"]["before"]["percent"]
    assert (project / "t" / "test_c.py").exists()


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path, project):
    result = codex(tmp_path, "testgen", str(project / "clampmod.py"), "--dry-run", "--mutants", "1")
    assert result.returncode == 0, result.stderr
    # The model's test and the synthesized ones: one parametrized test (tidy.py)
    assert "+def test_clamp_returns_expected_values(value, low, high, expected):" in result.stdout
    assert "+@pytest.mark.parametrize(" in result.stdout and result.stdout.startswith("--- a/")
    assert not (project / "tests" / "test_clampmod.py").exists()
    assert "not written (dry run)" in result.stderr
    assert "evidence" in result.stderr and "referenc" in result.stderr  # the evidence column (folded when narrow)


def test_merges_into_an_existing_test_file(tmp_path, project):
    out = project / "tests" / "test_clampmod.py"
    existing = (
        "import pytest\n\nfrom clampmod import clamp\n\n\n"
        "def test_clamp_returns_expected_values():\n    assert clamp(11, 0, 10) == 10\n"
    )
    out.write_text(existing, encoding="utf-8")
    result = codex(tmp_path, "testgen", str(project / "clampmod.py"), "--function", "clamp", "--mutants", "1")
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.startswith(existing) and "def test_clamp_returns_expected_values_2(value, low, high, expected):" in text
    assert text.count("from clampmod import clamp") == 1


def test_no_passing_test_is_a_failed_task_and_nothing_is_written(tmp_path, project):
    result = codex(tmp_path, "--json", "testgen", str(project / "clampmod.py"), *MODEL_ORACLE, answers=[BAD])
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and payload["written"] is False
    assert payload["functions"][0]["dropped"] == {"failed": 1} and payload["functions"][0]["evidence"] is None
    assert not (project / "tests" / "test_clampmod.py").exists()
    plain = codex(tmp_path, "testgen", str(project / "clampmod.py"), *MODEL_ORACLE, answers=[BAD])
    assert plain.returncode == 1 and "no generated test passed every check" in plain.stderr


@pytest.mark.parametrize(
    "source, message",
    [
        ("import nosuch_pkg_xyz\n", "raises ModuleNotFoundError while being imported"),
        ("print('hi')\n\ndef f():\n    return 1\n", "side effects when imported: prints to stdout ('hi')"),
        ("while True:\n    pass\n\ndef f():\n    return 1\n", "did not finish within 2s"),
        ("def f(:\n", "syntax error"),
    ],
)
def test_bad_modules_write_nothing_and_never_load_the_model(tmp_path, project, source, message):
    module = project / "clampmod.py"
    module.write_text(MODULE + source, encoding="utf-8")
    before = module.read_bytes()
    result = codex(tmp_path, "testgen", str(module), "--timeout", "2")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (project / "tests" / "test_clampmod.py").exists()
    assert module.read_bytes() == before
    assert not model_was_asked(tmp_path)


def test_import_error_traceback_is_summarised(tmp_path, project):
    (project / "helper.py").write_text("def boom():\n    return {}['missing']\n", encoding="utf-8")
    (project / "clampmod.py").write_text("import helper\nX = helper.boom()\n" + MODULE, encoding="utf-8")
    result = codex(tmp_path, "--json", "testgen", str(project / "clampmod.py"))
    assert result.returncode == 2
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "source"
    assert "KeyError: 'missing'" in error["message"] and 'helper.py", line 2, in boom' in error["message"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--function", "nope"], "nothing to test named nope"),
        (["--python", "/no/such/python"], "no such executable"),
    ],
)
def test_usage_errors(tmp_path, project, args, message):
    result = codex(tmp_path, "testgen", str(project / "clampmod.py"), *args)
    assert result.returncode == 2 and message in result.stderr
    assert not model_was_asked(tmp_path)


def test_not_a_python_file_and_nothing_to_test(tmp_path, project):
    (project / "notes.txt").write_text("x", encoding="utf-8")
    assert codex(tmp_path, "testgen", str(project / "notes.txt")).returncode == 2
    (project / "consts.py").write_text("X = 1\n\ndef _private():\n    return 1\n", encoding="utf-8")
    result = codex(tmp_path, "testgen", str(project / "consts.py"))
    assert result.returncode == 0 and "no public functions" in result.stderr
    assert not model_was_asked(tmp_path)


@pytest.mark.parametrize(
    "existing, message",
    [
        ("def test_x(:\n    pass\n", "syntax error"),
        ("import nosuch_helper_xyz\n\ndef test_x():\n    assert 1 == 1\n", "the existing tests cannot be collected"),
    ],
)
def test_a_broken_existing_test_file_is_left_alone(tmp_path, project, existing, message):
    out = project / "tests" / "test_clampmod.py"
    out.write_text(existing, encoding="utf-8")
    result = codex(tmp_path, "testgen", str(project / "clampmod.py"))
    assert result.returncode == 2 and message in result.stderr
    assert out.read_text(encoding="utf-8") == existing
    assert not model_was_asked(tmp_path)


def test_observed_oracle_fixes_wrong_literals_and_reports_them(tmp_path, project):
    out = project / "tests" / "test_clampmod.py"
    result = codex(tmp_path, "--json", "testgen", str(project / "clampmod.py"), "--mutants", "3", answers=[BAD])
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    (fn,) = payload["functions"]
    assert fn["observed_assertions"] == [
        {
            "test": "test_clamp_returns_expected_values",  # with the synthesized cases, parametrized
            "line": 2,
            "written": "assert clamp(1, 0, 10) == 2",
            "observed": "assert clamp(1, 0, 10) == 1",
            "how": "value",
        }
    ]
    assert payload["totals"]["observed_assertions"] == 1
    assert set(payload["timings"]) >= {"model", "observe", "sandbox runs", "mutants", "coverage", "total"}
    assert "(1, 0, 10, 1)" in out.read_text()  # the observed value, a row of the parametrized test
    assert payload["coverage"]["after"]["percent"] >= 80  # synthesized tests reach the other branches
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", str(out)], cwd=project, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout
