"""Measure `codex optimize` on the optimize sets of issue 28 (benchmarks/sets/optimize.toml, built
by benchmarks/make_optimize_sets.py): real naive code that codex was not tuned on.

    CODEX_THREADS=1 PYTHONPATH=. .venv/bin/python benchmarks/bench_optimize_sets.py --set dev \\
        [--out build/optimize_sets] [--files a.py,b.py] [--limit N] [EXTRA CODEX OPTIONS...]

Each file is copied to a fresh folder; per chosen function, ``codex --json optimize FILE::NAME``
runs with the embedded model (unless EXTRA options say otherwise) and writes the copy. Per
function: the outcome, the speedup, which candidate won (``model`` or ``rule:<name>``), what a
linter flags in it (ruff's PERF, SIM110 and FURB rules, and whether one of codex's rewrite rules
applies), and, for an accepted rewrite, a second check on held-out inputs: cases drawn with
another seed and 40 more with Hypothesis, the original and the rewrite run in codex's sandbox
(verify.compare.behaviour). A summary per module goes to stdout, everything to
``<out>/optimize_<set>.json``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SETS = ROOT / "benchmarks" / "sets"
RUFF_RULES = "PERF,SIM110,FURB"

from codexcli.tasks.optimize.rules import apply_rules  # noqa: E402
from codexcli.verify.cases.cases import collect_cases  # noqa: E402
from codexcli.verify.cases.inputs import scaled_cases  # noqa: E402
from codexcli.verify.compare.behaviour import compare, observe  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def functions_of(source: str) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


def ruff_flags(path: Path) -> list[tuple[str, int]]:
    """(code, line) of what ruff's performance rules flag in ``path``."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    proc = subprocess.run(
        [ruff, "check", "--isolated", "--preview", "--select", RUFF_RULES, "--output-format", "json", str(path)],
        capture_output=True,
        text=True,
    )
    try:
        return [(d["code"], d["location"]["row"]) for d in json.loads(proc.stdout or "[]")]
    except json.JSONDecodeError:
        return []


def heldout_check(original: str, rewritten: str, name: str) -> dict[str, Any]:
    """The rewrite against the original on inputs codex did not decide on (another seed, 40
    Hypothesis draws, grown copies), both run in the sandbox."""
    cases = collect_cases(original, name, limit=24, seed=7, random_cases=40)
    cases += scaled_cases(cases, 200, limit=4)
    if not cases:
        return {"verdict": "no inputs"}
    expected = observe(original, name, cases)
    if not expected.ok:
        return {"verdict": "unjudged", "detail": expected.error}
    actual = observe(rewritten, name, cases, stop_on_timeout=True)
    diff = compare(expected, actual)
    return {"verdict": "same" if diff is None else "differs", "detail": diff and diff.message, "cases": len(cases)}


def run_function(work: Path, file: Path, name: str, extra: list[str], env: dict[str, str]) -> dict[str, Any]:
    before = file.read_text(encoding="utf-8")
    fn = functions_of(before)[name]
    code = ast.get_source_segment(before, fn) or ""
    flags = sorted({c for c, line in ruff_flags(file) if fn.lineno <= line <= (fn.end_lineno or fn.lineno)})
    rules = [r.rule for r in apply_rules(code)]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "codexcli", "--json", "optimize", f"{file.name}::{name}", *extra],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    row: dict[str, Any] = {"function": name, "ruff": flags, "rules": rules, "seconds": round(seconds, 1)}
    try:
        payload = json.loads(proc.stdout)
        # A file may define the name twice; the last definition is the one callers get.
        (entry,) = [e for e in payload["functions"] if e["line"] == fn.lineno]
    except (json.JSONDecodeError, KeyError, ValueError):
        log(f"  {name}: codex exited {proc.returncode} without a report: {proc.stderr.strip()[-300:]}")
        return {**row, "status": "error", "reason": proc.stderr.strip()[-300:]}
    row |= {k: entry.get(k) for k in ("status", "reason", "speedup", "won_by", "cases", "inputs")}
    row["candidates"] = [f"{c['origin']}: {c['status']} {c['kind']}".strip() for c in entry["candidates"]]
    after = file.read_text(encoding="utf-8")
    if entry["status"] == "optimized":
        row["heldout"] = heldout_check(before, after, name)
        file.write_text(before, encoding="utf-8")  # the next function starts from the original
    return row


def summarize(rows_by_module: dict[str, list[dict[str, Any]]]) -> str:
    head = f"{'module':28} {'fns':>4} {'flagged':>7} {'optimized':>9} {'>=2x':>5} {'rule won':>8} {'model won':>9}"
    lines = [head]
    totals = [0, 0, 0, 0, 0, 0]
    for module, rows in rows_by_module.items():
        flagged = [r for r in rows if r["ruff"] or r["rules"]]
        won = [r for r in rows if r.get("status") == "optimized" and r.get("heldout", {}).get("verdict") == "same"]
        fast = [r for r in won if (r.get("speedup") or 0) >= 2]
        by_rule = [r for r in won if str(r.get("won_by", "")).startswith("rule:")]
        counts = [len(rows), len(flagged), len(won), len(fast), len(by_rule), len(won) - len(by_rule)]
        totals = [a + b for a, b in zip(totals, counts)]
        lines.append(
            f"{module:28} {counts[0]:>4} {counts[1]:>7} {counts[2]:>9} {counts[3]:>5} {counts[4]:>8} {counts[5]:>9}"
        )
    lines.append(
        f"{'total':28} {totals[0]:>4} {totals[1]:>7} {totals[2]:>9} {totals[3]:>5} {totals[4]:>8} {totals[5]:>9}"
    )
    flagged_fast = sum(
        1
        for rows in rows_by_module.values()
        for r in rows
        if (r["ruff"] or r["rules"])
        and r.get("status") == "optimized"
        and r.get("heldout", {}).get("verdict") == "same"
        and (r.get("speedup") or 0) >= 2
    )
    lines.append(
        f"flagged functions with a verified >= 2x speedup, same on held-out inputs: {flagged_fast} of {totals[1]}"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", required=True, choices=["dev", "test", "test2", "test3"])
    parser.add_argument("--out", default="build/optimize_sets")
    parser.add_argument("--files", default="")
    parser.add_argument("--limit", type=int, default=0)
    args, extra = parser.parse_known_args()
    chosen = tomllib.loads((SETS / "optimize.toml").read_text(encoding="utf-8"))[args.set]
    wanted = {f for f in args.files.split(",") if f}
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rows_by_module: dict[str, list[dict[str, Any]]] = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="codex-optimize-sets-") as tmp:
        for name, entry in chosen.items():
            if wanted and name not in wanted:
                continue
            work = Path(tmp) / Path(name).stem
            work.mkdir()
            file = work / name
            shutil.copy(SETS / "optimize" / args.set / name, file)
            functions = entry["functions"][: args.limit or None]
            for fn in functions:
                log(f"{name}::{fn}")
                row = run_function(work, file, fn, extra, env)
                log(f"  {row.get('status')} {row.get('speedup') or ''} {row.get('won_by') or ''} ({row['seconds']} s)")
                rows_by_module.setdefault(name, []).append(row)
            (out / f"optimize_{args.set}.json").write_text(json.dumps(rows_by_module, indent=1), encoding="utf-8")
    print(summarize(rows_by_module))
    print(f"wall {time.perf_counter() - start:.0f} s; codex options: {' '.join(extra) or '(defaults)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
