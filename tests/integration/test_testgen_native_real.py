"""`codex testgen` on a JavaScript file with the real embedded model (SmolLM2-135M).

What holds whatever the model writes: the module is byte-for-byte unchanged, every test in the
written file passes when node's own runner runs it again, and the report's counts add up (each
call tried is kept or dropped for a stated reason). ``--no-synthesize``: only the model's calls.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from codexcli.tasks.testgen.types import REASONS
from tests.conftest import run_codex

REPO = Path(__file__).resolve().parents[2]
JS = """'use strict';
function clamp(x, lo, hi) {
  if (x < lo) return lo;
  if (x > hi) return hi;
  return x;
}
module.exports = { clamp };
"""


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_real_model_calls_become_tests_that_pass_under_node(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "t"}\n')
    module = tmp_path / "clamp.js"
    module.write_text(JS)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    env.pop("CODEX_BACKEND", None)
    args = ("--json", "testgen", str(module), "--no-synthesize", "--max-tokens", "64", "--retries", "1")
    result = run_codex(*args, cwd=tmp_path, env=env, timeout=900)
    assert module.read_text() == JS
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    (function,) = report["functions"]
    assert function["candidates"] == function["kept"] + len(function["dropped_tests"])
    assert set(function["dropped"]) <= set(REASONS)
    out = Path(report["out"])
    assert out == tmp_path / "test" / "clamp.test.js"
    if function["kept"]:
        run = subprocess.run(["node", "--test", str(out)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout
        assert f"# pass {function['kept']}" in run.stdout
    else:
        assert not out.exists()
