"""Run the docstrings of observed examples that `codex comment` wrote on a held-out set as
doctests against the set's own copy of each function (issue 27, docs/heldout.md).

    PYTHONPATH=. .venv/bin/python benchmarks/heldout_doctests.py build/heldout-dev3/summary.json

Only docstrings with evidence "examples" are run: codex builds them itself (a call on literal
arguments and the value observed), with no model text in them, so each is run in a separate
Python process with a time limit, against the stored copy of the set file (the standard library's
own code). Prints how many pass and names each that fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT / "benchmarks" / "sets"

_RUN = """
import doctest, sys
namespace = {"__name__": "heldout"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
test = doctest.DocTestParser().get_doctest(sys.stdin.read(), namespace, sys.argv[2], sys.argv[1], 0)
result = doctest.DocTestRunner(verbose=False).run(test, out=lambda text: None)
sys.exit(1 if result.failed or not result.attempted else 0)
"""


def main(argv: list[str]) -> int:
    summary = json.loads(Path(argv[0]).read_text())
    rows = [r for rows in summary["tasks"]["comment"]["rows"].values() for r in rows]
    passed = failed = 0
    for row in rows:
        if row["status"] != "documented" or row.get("evidence") != "examples":
            continue
        path = SETS / summary["set"] / row["module"]
        proc = subprocess.run(
            [sys.executable, "-c", _RUN, str(path), row["function"]],
            input=row["docstring"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if proc.returncode == 0:
            passed += 1
        else:
            failed += 1
            print(f"fails: {row['module']}:{row['function']}")
    print(f"examples docstrings run as doctests: {passed} pass, {failed} fail")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
