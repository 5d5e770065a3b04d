"""The sandboxed pytest runner: project layout, bad modules, outcomes and coverage."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from codexcli.errors import UsageError
from codexcli.tasks.testgen.coverage_figures import Coverage, FileCoverage, from_json_report
from codexcli.tasks.testgen.pytest_runner import Job, PytestRunner, summarise_traceback
from codexcli.verify.sandbox.project import find_layout, project_root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_layout_of_a_src_package_project(tmp_path):
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    write(tmp_path / "src" / "pkg" / "__init__.py", "")
    module = write(tmp_path / "src" / "pkg" / "util.py", "def f():\n    return 1\n")
    layout = find_layout(module, tmp_path / "tests" / "test_util.py")
    assert layout.root == tmp_path.resolve()
    assert (layout.module_rel, layout.module_name, layout.import_root_rel, layout.test_rel) == (
        "src/pkg/util.py",
        "pkg.util",
        "src",
        "tests/test_util.py",
    )
    assert project_root(module) == tmp_path.resolve()


def test_layout_without_project_markers_and_a_test_file_elsewhere(tmp_path):
    module = write(tmp_path / "lone" / "mod.py", "X = 1\n")
    layout = find_layout(module, tmp_path / "elsewhere" / "test_mod.py")
    assert layout.root == (tmp_path / "lone").resolve()
    assert (layout.module_name, layout.import_root_rel, layout.test_rel) == ("mod", "", "codex_tests/test_mod.py")
    with pytest.raises(UsageError, match="module under test itself"):
        find_layout(module, module)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("import nosuchmodule_xyz\n", "mod raises ModuleNotFoundError while being imported"),
        ("def f(:\n    pass\n", "mod raises SyntaxError while being imported"),
        ("raise SystemExit(3)\n", "mod calls sys.exit(3) while being imported"),
        ("print('hello from import')\n", "mod has side effects when imported: prints to stdout ('hello from import')"),
        ("open('made.txt', 'w').write('x')\n", "creates or changes files (made.txt)"),
        (
            "import threading, time\nthreading.Thread(target=time.sleep, args=(30,), name='bg', daemon=True).start()\n",
            "starts threads (bg)",
        ),
    ],
)
def test_bad_modules_are_reported(tmp_path, source, expected):
    module = write(tmp_path / "mod.py", source)
    with PytestRunner(find_layout(module, tmp_path / "tests" / "test_mod.py")) as runner:
        problem = runner.check_import()
    assert problem is not None and expected in problem.message


def test_import_error_is_summarised_with_its_frames(tmp_path):
    write(tmp_path / "helper.py", "def boom():\n    return 1 / 0\n")
    module = write(tmp_path / "mod.py", "import helper\nVALUE = helper.boom()\n")
    with PytestRunner(find_layout(module, tmp_path / "test_mod.py")) as runner:
        problem = runner.check_import()
    assert problem is not None
    assert "ZeroDivisionError: division by zero" in problem.message
    assert 'helper.py", line 2, in boom' in problem.message and "mod.py" in problem.message


def test_a_module_that_runs_forever_at_import(tmp_path):
    module = write(tmp_path / "mod.py", "while True:\n    pass\n")
    with PytestRunner(find_layout(module, tmp_path / "test_mod.py"), import_timeout_s=1) as runner:
        problem = runner.check_import()
    assert problem is not None and "did not finish within 1s" in problem.message


def test_a_python_without_pytest_is_a_usage_error(tmp_path):
    module = write(tmp_path / "mod.py", "X = 1\n")
    with PytestRunner(find_layout(module, tmp_path / "test_mod.py"), python="/usr/bin/python3") as runner:
        import subprocess

        has = subprocess.run(["/usr/bin/python3", "-c", "import pytest"], capture_output=True).returncode == 0
        if has:
            pytest.skip("the system python has pytest")
        with pytest.raises(UsageError, match="has no pytest"):
            runner.check_import()


def test_outcomes_coverage_and_the_module_is_restored_between_jobs(tmp_path):
    module = write(
        tmp_path / "mod.py",
        """\
        def sign(x):
            if x < 0:
                return -1
            return 1
        """,
    )
    tests = "from mod import sign\n\ndef test_neg():\n    assert sign(-2) == -1\n\ndef test_bad():\n    assert sign(2) == 2\n"
    mutant = module.read_text().replace("x < 0", "x > 0")
    with PytestRunner(find_layout(module, tmp_path / "tests" / "test_mod.py")) as runner:
        plain, mutated, again, partial = runner.run_many(
            [
                Job(tests, ("test_neg", "test_bad"), coverage=True),
                Job(tests, ("test_neg",), mutant),
                Job(tests, ("test_neg",)),
                Job(tests, ("test_neg",), coverage=True),
            ]
        )
        nothing = runner.run("", None, coverage=True)
    assert plain.outcome("test_neg").passed and plain.outcome("test_bad").outcome == "failed"
    assert "assert 1 == 2" in plain.outcome("test_bad").message
    assert not mutated.outcome("test_neg").passed
    assert again.outcome("test_neg").passed  # the original module is back after the mutant job
    assert plain.coverage is not None and plain.coverage.within(2, 4) == Coverage(3, 3, 2, 2)
    assert partial.coverage is not None and partial.coverage.within(2, 4) == Coverage(2, 3, 1, 2)
    assert nothing.coverage is not None and nothing.coverage.within(2, 4) == Coverage(0, 3, 0, 2)
    assert module.read_text().startswith("def sign(x):\n    if x < 0:")  # never touched


def test_a_test_that_never_ran_says_why(tmp_path):
    module = write(tmp_path / "mod.py", "X = 1\n")
    with PytestRunner(find_layout(module, tmp_path / "test_mod.py")) as runner:
        broken = runner.run("import nosuch_abc\n\ndef test_a():\n    assert 1 == 1\n", ["test_a"])
    assert broken.outcome("test_a").outcome == "error"
    assert "No module named 'nosuch_abc'" in broken.outcome("test_a").message


def test_coverage_figures():
    report = {
        "files": {
            "m.py": {
                "executed_lines": [1, 2, 3],
                "missing_lines": [4],
                "executed_branches": [[2, 3]],
                "missing_branches": [[2, 4]],
            }
        }
    }
    cov = from_json_report(report)
    assert cov == FileCoverage(frozenset({1, 2, 3}), frozenset({4}), frozenset({(2, 3)}), frozenset({(2, 4)}))
    assert cov.total() == Coverage(3, 4, 1, 2) and cov.total().percent == 66.7
    assert cov.within(3, 4) == Coverage(1, 2, 0, 0)
    assert Coverage(0, 0, 0, 0).percent == 100.0
    assert Coverage(1, 2, 0, 2).as_dict() == {"lines": [1, 2], "branches": [0, 2], "percent": 25.0}
    assert from_json_report({"files": {}}) is None


def test_summarise_traceback():
    tb = (
        'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n    import b\n'
        '  File "b.py", line 3, in <module>\n    x = 1 / 0\nZeroDivisionError: division by zero\n'
    )
    assert summarise_traceback(tb) == (
        'File "a.py", line 1, in <module> | File "b.py", line 3, in <module> | ZeroDivisionError: division by zero'
    )
    assert summarise_traceback("") == ""


def test_a_test_that_changes_directory_still_reports(tmp_path):
    module = write(tmp_path / "mod.py", "def one():\n    return 1\n")
    tests = "import os\nfrom mod import one\n\ndef test_cd():\n    os.chdir('/')\n    assert one() == 1\n"
    with PytestRunner(find_layout(module, tmp_path / "test_mod.py")) as runner:
        run = runner.run(tests, ["test_cd"], coverage=True)
    assert run.outcome("test_cd").passed and run.coverage is not None
