"""What the embedded small model gets done on real code that is not in this repository.

    CODEX_THREADS=1 PYTHONPATH=. python benchmarks/bench_small_model.py [--tasks comment,testgen,translate,optimize]
        [--module PATH] [--naive PATH] [--extra-TASK "ARGS"] [--git] [--repo-file PATH]...

Copies a small pure-Python standard-library module (default: colorsys.py of the Python running
this, seven functions, no function docstrings, hints or tests) into a fresh folder and runs, each
in a fresh process with a fresh cache:

- ``codex comment``: functions documented (repaired and assembled ones counted), and whether the code's AST
  is unchanged once the docstrings are written;
- ``codex testgen``: tests kept, line coverage before/after, the time split from ``--json``;
- ``codex translate --to java --dry-run``: functions that compile and pass their behaviour cases;
- ``codex optimize`` on ``--naive`` (default: benchmarks/data/naive_code.py, naive untyped
  functions): verified rewrites and their speedups, where the inputs came from, why the others
  were kept.

With ``--git`` the folder is made a git work tree, with ``--repo-file`` (repeatable) those files
copied beside the module first (``test_*.py`` into ``tests/``), so the tasks show the model repository
context (docs/index.md); testgen and translate then report which definitions each function
was shown (``context``). Pass ``--extra-TASK --no-context`` for the same run without it.

Every input file is hashed before and after: a changed input is a corrupted file. Figures are
printed as one JSON object per task, plus the wall time of each command.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _code_ast(text: str) -> str:
    tree = ast.parse(text)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                node.body = body[1:] or [ast.Pass()]  # type: ignore[attr-defined]
    return ast.dump(tree)


def _run(args: list[str], cwd: Path) -> tuple[float, dict[str, Any], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CODEXCLI_HOME": str(cwd / ".codex-home")}
    env.setdefault("CODEX_THREADS", "1")
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "codexcli", "--json", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        data = {"unreadable_stdout": proc.stdout[-500:], "stderr": proc.stderr[-1500:]}
    return seconds, data, proc.stderr


def comment(work: Path, module: Path, extra: list[str]) -> dict[str, Any]:
    original = module.read_text()
    seconds, data, _ = _run(["comment", module.name, "--no-cache", *extra], work)
    files = data.get("files") or [{}]
    targets = [t for t in files[0].get("targets", []) if t.get("kind") != "module"]
    documented = [t for t in targets if t.get("status") == "documented"]
    return {
        "seconds": round(seconds, 1),
        "functions": len(targets),
        "documented": len(documented),
        "repaired": sum(1 for t in documented if "repaired:" in (t.get("reason") or "")),
        "assembled": sum(1 for t in documented if t.get("origin") == "assembled"),
        "model_calls": files[0].get("model_calls"),
        # comment writes the copy: "not corrupted" means the code (AST without docstrings) is the same
        "ast_unchanged": _code_ast(module.read_text()) == _code_ast(original),
        "reasons": {t["name"]: t.get("reason") for t in targets if t.get("reason")},
    }


def testgen(work: Path, module: Path, extra: list[str]) -> dict[str, Any]:
    out = work / "tests" / f"test_{module.stem}.py"
    seconds, data, _ = _run(["testgen", module.name, "--out", str(out), *extra], work)
    passing = None
    if out.exists():
        env = {**os.environ, "PYTHONPATH": str(work)}
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(out)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        passing = run.returncode == 0
    return {
        "seconds": round(seconds, 1),
        "kept": (data.get("totals") or {}).get("kept"),
        "coverage": data.get("coverage"),
        "all_written_tests_pass": passing,
        "timings": data.get("timings"),
        "observed_assertions": (data.get("totals") or {}).get("observed_assertions"),
        "synthesized": (data.get("totals") or {}).get("synthesized"),
        "context": _context(data.get("functions", [])),
        "dropped": (data.get("totals") or {}).get("dropped"),
        # the model's share: answers drawn (retries included) and tokens written, over all functions
        "model_attempts": sum(f.get("attempts", 0) for f in data.get("functions", [])),
        "completion_tokens": sum(f.get("completion_tokens", 0) for f in data.get("functions", [])),
        "pytest_runs": data.get("pytest_runs"),
    }


def translate(work: Path, module: Path, extra: list[str]) -> dict[str, Any]:
    seconds, data, _ = _run(["translate", module.name, "--to", "java", "--dry-run", *extra], work)
    functions = [f for f in data.get("functions", []) if f.get("kind") == "function"]
    return {
        "seconds": round(seconds, 1),
        "functions": len(functions),
        "compiled": data.get("compiled"),
        "verified": sum(1 for f in functions if f.get("verified")),
        "assembled_line_by_line": sum(1 for f in functions if f.get("origin") == "lines"),
        "per_function": {
            f["name"]: f"{f.get('status')} ({f.get('origin')}) cases {f.get('cases_passed')}/{f.get('cases_total')}"
            for f in functions
        },
        "context": _context(functions),
    }


def _context(functions: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The repository context each function's prompt showed (``path:line name``), if any."""
    return {
        f["name"]: [f"{c['path']}:{c['line']} {c['name']}" for c in f.get("context") or []]
        for f in functions
        if f.get("context")
    }


def optimize(work: Path, module: Path, extra: list[str]) -> dict[str, Any]:
    seconds, data, _ = _run(["optimize", module.name, "--dry-run", *extra], work)
    functions = data.get("functions", [])
    return {
        "seconds": round(seconds, 1),
        "functions": len(functions),
        "accepted": {f["name"]: f.get("speedup") for f in functions if f.get("speedup")},
        "reasons": {f["name"]: f.get("reason") for f in functions if not f.get("speedup")},
        "inputs": {f["name"]: f.get("inputs") for f in functions},
    }


def _make_repo(work: Path, files: list[Path]) -> None:
    """Copy ``files`` into ``work`` (tests into tests/) and make it a git work tree."""
    for file in files:
        folder = work / "tests" if file.name.startswith("test_") else work
        folder.mkdir(exist_ok=True)
        shutil.copy(file, folder / file.name)
    subprocess.run(["git", "init", "-q", str(work)], check=True)


TASKS = {"comment": comment, "testgen": testgen, "translate": translate, "optimize": optimize}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="comment,testgen,translate,optimize")
    parser.add_argument("--module", type=Path, default=Path(sysconfig.get_paths()["stdlib"]) / "colorsys.py")
    parser.add_argument(
        "--naive", type=Path, default=ROOT / "benchmarks" / "data" / "naive_code.py", help="module for optimize"
    )
    for task in TASKS:
        parser.add_argument(f"--extra-{task}", default="", help=f"more arguments for codex {task}")
    parser.add_argument(
        "--repo-file", type=Path, action="append", default=[], help="copy beside the module; implies --git"
    )
    parser.add_argument("--git", action="store_true", help="make the folder a git work tree (repository context)")
    args = parser.parse_args()
    for task in args.tasks.split(","):
        source = args.naive if task == "optimize" else args.module
        with tempfile.TemporaryDirectory(prefix=f"codex-bench-{task}-") as tmp:
            work = Path(tmp)
            module = work / source.name
            shutil.copy(source, module)
            if args.repo_file or args.git:
                _make_repo(work, args.repo_file)
            digest = hashlib.sha256(module.read_bytes()).hexdigest()
            extra = shlex.split(getattr(args, f"extra_{task}"))
            figures = TASKS[task](work, module, extra)
            if task != "comment":  # the only task that writes its input (docstrings only)
                figures["input_unchanged"] = hashlib.sha256(module.read_bytes()).hexdigest() == digest
            print(json.dumps({"task": task, "module": source.name, "args": extra, **figures}), flush=True)


if __name__ == "__main__":
    main()
