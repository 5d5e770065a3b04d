"""Issue 31: `codex testgen` writes readable tests: named from what they do, repeated cases as
one `pytest.mark.parametrize` test, at most a few cases per equivalence class."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli.test_testgen_cli import MODEL_ORACLE, codex, project  # noqa: F401 (project: the fixture)

RAISES = "".join(f"    with pytest.raises(TypeError):\n        clamp('{c}', 0, 10)\n" for c in "abcdefghijkl")
# The model's name says "non_integer" but the call uses integers; the second test repeats
# pytest.raises for 12 strings of one kind.
ANSWER = f"_non_integer():\n    assert clamp(15, 0, 10) == 10\n\n\ndef test_clamp_strings():\n{RAISES}```"


def test_written_tests_read_as_what_they_do(tmp_path: Path, project: Path) -> None:  # noqa: F811
    module = project / "clampmod.py"
    result = codex(tmp_path, "testgen", str(module), "--mutants", "0", *MODEL_ORACLE, answers=[ANSWER])
    assert result.returncode == 0, result.stderr
    text = (project / "tests" / "test_clampmod.py").read_text()
    assert "def test_clamp_15_0_10_returns_10():\n    assert clamp(15, 0, 10) == 10\n" in text
    assert "non_integer" not in text
    assert (
        "@pytest.mark.parametrize(('value', 'low', 'high'), [('a', 0, 10), ('b', 0, 10), ('c', 0, 10)])\n"
        "def test_clamp_raises_typeerror(value, low, high):\n"
        "    with pytest.raises(TypeError):\n"
        "        clamp(value, low, high)\n"
    ) in text
    assert "import pytest\n" in text and text.count("pytest.raises") == 1
    check = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project / "tests")],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and "4 passed" in check.stdout, check.stdout


def test_every_candidate_is_accounted_for_after_folding(tmp_path: Path, project: Path) -> None:  # noqa: F811
    import json

    several = "".join(f"    assert clamp({v}, 0, 10) == {min(max(v, 0), 10)}\n" for v in (1, 2, 3, 4, 5))
    answer = (
        "_one():\n"
        + several
        + "".join(f"\n\ndef test_clamp_{v}():\n    assert clamp({v}, 0, 10) == {v}\n" for v in (6, 7, 8, 9))
        + "```"
    )
    module = project / "clampmod.py"
    result = codex(tmp_path, "--json", "testgen", str(module), "--mutants", "0", *MODEL_ORACLE, answers=[answer])
    assert result.returncode == 0, result.stderr
    (fn,) = json.loads(result.stdout)["functions"]
    # simple tests of one kind folded into fewer written tests; every candidate still counted
    assert fn["candidates"] == fn["kept_candidates"] + sum(fn["dropped"].values()), fn
    assert fn["kept"] < fn["kept_candidates"], fn
