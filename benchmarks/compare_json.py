"""Run each editing task's CLI with the fake backend on the examples and print canonical JSON.

Issue 26's acceptance check for a refactor of the task driver: the ``--json`` output (timings
dropped), the exit code, the files written and the requests the model received must be the same
before and after. Run it on two checkouts and diff:

    python benchmarks/compare_json.py --repo /tmp/base > base.json
    python benchmarks/compare_json.py --repo . > mine.json
    diff base.json mine.json

``--repo`` is the checkout whose ``codexcli`` runs (put first on PYTHONPATH); the examples and
scripted answers come from this file, so both runs see the same inputs. ``--only NAME`` runs one
scenario. CODEX_THREADS=1 and a fixed seed keep the runs comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent.parent
EXAMPLES = HERE / "examples"

# Keys whose values are measured times or ratios of times: dropped everywhere.
TIMING_KEYS = {"seconds", "timings", "model_seconds", "speedup", "speedup_lower_quartile", "wall_s"}


def fenced(code: str) -> str:
    return f"```python\n{textwrap.dedent(code).strip()}\n```"


OPTIMIZE_ANSWERS = [
    # has_duplicates: a faster one, then a wrong one
    fenced("def has_duplicates(items: list[int]) -> bool:\n    return len(set(items)) != len(items)"),
    fenced("def has_duplicates(items: list[int]) -> bool:\n    return False"),
    # common_items: a faster one, then no code at all
    fenced(
        """
        def common_items(a: list[int], b: list[int]) -> list[int]:
            seen = set(b)
            return [x for x in a if x in seen]
        """
    ),
    "I cannot improve this.",
    # count_words: wrong twice, the second the same code as the first
    fenced("def count_words(text: str) -> dict[str, int]:\n    return {}"),
    fenced("def count_words(text: str) -> dict[str, int]:\n    return {}"),
]
READABILITY_ANSWERS = [
    fenced("def has_duplicates(items: list[int]) -> bool:\n    return len(set(items)) != len(items)"),
]
JAVA_ANSWERS = [
    "    return Math.max(low, Math.min(value, high));\n}\n",  # clamp: right
    "    String lowered = text.toLowerCase();\n    return new StringBuilder(lowered).reverse().toString().equals(lowered);\n}\n",
    "    return 0;\n}\n",  # count_vowels: wrong (then line by line, with the default answer)
    "    this is not java\n}\n",  # running_total: does not compile
]
JS_ANSWERS = [
    "function clamp(value, low, high) {\n  return Math.max(low, Math.min(value, high));\n}\n```",
    "function isPalindrome(text) {\n  const l = text.toLowerCase();\n  return l === l.split('').reverse().join('');\n}\n```",
    "function countVowels(text) {\n  return 1;\n}\n```",  # wrong
    "no code here",
    "function runningTotal(values) {\n  let t = 0;\n  return values.map(v => (t += v));\n}\n```",  # the retry
]
JAVA_SOURCE = """\
public class MathUtils {
    public static int add(int a, int b) {
        return a + b;
    }

    public static int twice(int a) {
        return 2 * a;
    }
}
"""
JAVA_TO_PYTHON = [
    "def add(a, b):\n    return a + b\n```",
    "def twice(a):\n    return 2 * a\n```",
]
TESTGEN_ANSWERS = [
    # clamp
    "_high():\n    assert clamp(15, 0, 10) == 10\n\n\ndef test_clamp_wrong():\n    assert clamp(1, 0, 10) == 2\n\n\n"
    "def test_clamp_nothing():\n    clamp(1, 0, 3)\n```",
    # initials
    "_two_words():\n    assert initials('ada lovelace') == 'AL'\n\n\ndef test_initials_empty():\n    assert initials('') == 'x'\n```",
]


def scenarios() -> dict[str, tuple[str, list[Any], list[str]]]:
    """name -> (example file to copy in, scripted answers, CLI arguments)."""
    return {
        "optimize": (
            "slow.py",
            OPTIMIZE_ANSWERS,
            ["--json", "optimize", "slow.py", "--samples", "2", "--retries", "0"],
        ),
        "optimize-readability": (
            "slow.py",
            READABILITY_ANSWERS,
            ["--json", "optimize", "slow.py::has_duplicates", "--samples", "1", "--objective", "readability"],
        ),
        "translate-java": (
            "translate_me.py",
            JAVA_ANSWERS,
            ["--json", "translate", "translate_me.py", "--to", "java", "--retries", "0", "--dry-run"],
        ),
        "translate-java-strict-samples": (
            "translate_me.py",
            JAVA_ANSWERS + JAVA_ANSWERS,
            ["--json", "translate", "translate_me.py", "--to", "java", "--strict", "--samples", "2", "--no-lines"],
        ),
        "translate-js": (
            "translate_me.py",
            JS_ANSWERS,
            ["--json", "translate", "translate_me.py", "--to", "javascript", "--retries", "1"],
        ),
        "translate-java-to-python": (
            "MathUtils.java",
            JAVA_TO_PYTHON,
            ["--json", "translate", "MathUtils.java", "--to", "python"],
        ),
        "testgen-observed": (
            "textutils.py",
            TESTGEN_ANSWERS,
            ["--json", "testgen", "textutils.py", "-f", "clamp", "-f", "initials", "--mutants", "2", "--retries", "0"],
        ),
        "testgen-model": (
            "textutils.py",
            TESTGEN_ANSWERS,
            ["--json", "testgen", "textutils.py", "-f", "clamp", "-f", "initials", "--mutants", "2"]
            + ["--oracle", "model", "--no-synthesize", "--retries", "1"],
        ),
        "comment": ("undocumented.py", [], ["--json", "comment", "undocumented.py", "--dry-run"]),
        "fill": ("stubs.py", [], ["--json", "generate", "--fill", "stubs.py", "--dry-run"]),
    }


def canonical(value: Any, root: str) -> Any:
    """``value`` without timing keys and with the scenario's folder written as <tmp>."""
    if isinstance(value, dict):
        return {k: canonical(v, root) for k, v in sorted(value.items()) if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [canonical(v, root) for v in value]
    if isinstance(value, str):
        return value.replace(root, "<tmp>")
    return value


def observed(proc: subprocess.CompletedProcess[str], work: Path) -> tuple[Any, dict[str, str]]:
    """A run's ``--json`` object (its raw output when it printed none) and the files left in
    ``work`` (caches and compiled files aside)."""
    try:
        output: Any = json.loads(proc.stdout)
    except json.JSONDecodeError:
        output = {"stdout": proc.stdout, "stderr_tail": proc.stderr[-2000:]}
    files = {
        str(p.relative_to(work)): p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(work.rglob("*"))
        if p.is_file()
        and not {"__pycache__", ".hypothesis", ".pytest_cache"} & set(p.parts)
        and not p.name.endswith((".pyc", ".class"))
    }
    return output, files


def run_one(repo: Path, name: str, example: str, answers: list[Any], args: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cmpjson-") as tmp:
        root = Path(tmp).resolve()
        work = root / "proj"
        (work / "tests").mkdir(parents=True)
        (work / "pyproject.toml").write_text("[project]\nname = 'proj'\n", encoding="utf-8")
        if example.endswith(".java"):
            (work / example).write_text(JAVA_SOURCE, encoding="utf-8")
        else:
            shutil.copy(EXAMPLES / example, work / example)
        script, log = root / "answers.json", root / "requests.jsonl"
        script.write_text(json.dumps({"answers": answers, "default": "no code here"}), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CODEX_") and k not in ("PYTHONPATH",)} | {
            "PYTHONPATH": str(repo),
            "CODEX_BACKEND": "fake",
            "CODEX_FAKE_ANSWERS": str(script),
            "CODEX_FAKE_LOG": str(log),
            "CODEX_THREADS": "1",
            "CODEX_SEED": "7",
            "CODEXCLI_HOME": str(root / "home"),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_CACHE_HOME": str(root / "cache"),
        }
        if os.environ.get("CODEX_UNSAFE_EXEC"):
            env["CODEX_UNSAFE_EXEC"] = os.environ["CODEX_UNSAFE_EXEC"]
        proc = subprocess.run(
            [sys.executable, "-m", "codexcli", *args], cwd=work, env=env, capture_output=True, text=True, timeout=900
        )
        output, files = observed(proc, work)
        requests = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
        return canonical({"exit": proc.returncode, "json": output, "files": files, "requests": requests}, str(root))


def compare_main(doc: str, names: list[str], run: Callable[[Path, str], dict[str, Any]]) -> int:
    """The command line of a comparison script: ``--repo`` and ``--only``, then each scenario of
    ``names`` run by ``run(repo, name)`` and printed as one canonical JSON object. ``--only``
    matches a name's first word."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=HERE, help="the checkout whose codexcli runs")
    parser.add_argument("--only", action="append", default=[], help="run only this scenario (repeatable)")
    args = parser.parse_args()
    repo = args.repo.resolve()
    out: dict[str, Any] = {}
    for name in names:
        if args.only and name.split(" ")[0] not in args.only:
            continue
        print(f"{name} ...", file=sys.stderr, flush=True)
        out[name] = run(repo, name)
    json.dump(out, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def main() -> int:
    table = scenarios()
    return compare_main(__doc__ or "", list(table), lambda repo, name: run_one(repo, name, *table[name]))


if __name__ == "__main__":
    raise SystemExit(main())
