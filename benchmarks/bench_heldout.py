"""Measure codex on the held-out sets of issue 27 (benchmarks/sets/, docs/heldout.md), per task.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_heldout.py --set dev [--tasks comment,fill,translate]
        [--out build/heldout] [--limit N] [--files a.py,b.py] [--keep-cache] [EXTRA CODEX OPTIONS...]

Each file of the set is copied to a fresh folder and given to the real command (the embedded
model unless EXTRA options say otherwise; CODEX_THREADS is passed through; --no-context, since
a lone copy has no repository). Options this script does not know (e.g. ``--evidence meaning``)
go to every codex command it runs. ``--limit N`` keeps the first N chosen functions of each file.

- comment: ``codex --json comment FILE --only F ...`` on the copy whose chosen functions have no
  docstring. Per function: written or not, evidence (when the JSON has it), the docstring, the
  reason. ``<out>/comment_<set>.md`` puts each function's code beside the written and the
  original docstrings with a blank "verdict:" line for a human judge (docs/heldout.md).
- fill: a stub per file (the chosen functions that have a docstring keep it and their signature;
  their bodies become ``...``), ``codex --json generate --fill STUB``. Each written body is judged
  by behaviour against the original on the cases codex itself would use (verify.cases.collect_cases
  on the original, Hypothesis ones included), both run only in codex's sandbox (verify.compare.
  behaviour.observe); cases on which the original itself is not repeatable are dropped.
- translate: ``codex --json translate FILE --to java`` (``--to cpp``: another target): per function verified / written but
  unverified / left out, from the JSON.

Progress goes to stderr; a summary table to stdout; everything to ``<out>/summary.json``.
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

from benchmarks.make_heldout_sets import without_docstrings  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def functions_of(source: str) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


def code_of(source: str, name: str) -> str:
    """The text of top-level function ``name`` of ``source``, decorators included."""
    fn = functions_of(source)[name]
    lines = source.splitlines(keepends=True)
    start = min([d.lineno for d in fn.decorator_list] + [fn.lineno])
    return "".join(lines[start - 1 : fn.end_lineno])


def run_codex(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[dict[str, Any] | None, float, str]:
    """``codex --json ARGS`` in ``cwd``: its JSON (None when it printed none), seconds, stderr."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "codexcli", "--json", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    try:
        payload = json.loads(proc.stdout) if proc.stdout.strip() else None
    except json.JSONDecodeError:
        payload = None
    if payload is None:
        log(f"  codex {args[0]} exited {proc.returncode} without JSON: {proc.stderr.strip()[-400:]}")
    return payload, seconds, proc.stderr


def evidence_of(entry: dict[str, Any]) -> tuple[str | None, Any]:
    evidence = entry.get("evidence")
    if isinstance(evidence, dict):
        return evidence.get("level"), evidence.get("facts")
    return (evidence if isinstance(evidence, str) else None), None


# --- comment ---------------------------------------------------------------------------------


def comment_file(work: Path, file: str, names: list[str], ctx: dict[str, Any]) -> tuple[list[dict[str, Any]], float]:
    reference = (SETS / ctx["set"] / file).read_text()
    source = without_docstrings(reference, ctx["chosen"][file])
    target = work / file
    target.write_text(source)
    only = [a for n in names for a in ("--only", n)]
    payload, seconds, _ = run_codex(["comment", str(target), "--no-context", *only, *ctx["extra"]], work, ctx["env"])
    entries: dict[str, dict[str, Any]] = {}
    for f in (payload or {}).get("files", []):
        for t in f.get("targets", []):
            entries[t.get("name", "")] = t
    ref_fns = functions_of(reference)
    rows = []
    for name in names:
        entry = entries.get(name, {})
        level, facts = evidence_of(entry)
        status = entry.get("status", "no result" if payload else "codex failed")
        rows.append(
            {
                "module": file,
                "function": name,
                "status": status,
                "written": status == "documented",
                "docstring": entry.get("docstring") or entry.get("candidate"),
                "reason": entry.get("reason"),
                "evidence": level,
                "facts": facts,
                "code": code_of(source, name),
                "reference": ast.get_docstring(ref_fns[name]),
            }
        )
    return rows, seconds


def comment_markdown(rows: list[dict[str, Any]], set_name: str) -> str:
    out = [
        f"# codex comment on the {set_name} set: for a human judge",
        "",
        "For each function: its code (docstring removed), what codex wrote (or held back), and the "
        "original docstring. Fill each `verdict:` with true / wrong / partly (and why), judging the "
        "written text against the code by reading it (docs/heldout.md).",
    ]
    for r in rows:
        state = "written" if r["written"] else f"{r['status']}: {r['reason'] or ''}".strip()
        evidence = f", evidence {r['evidence']}" if r["evidence"] else ""
        out += [
            "",
            f"## {r['module']}: {r['function']} ({state}{evidence})",
            "",
            "```python",
            r["code"].rstrip(),
            "```",
        ]
        label = "Written" if r["written"] else "Candidate (not written)"
        if r["docstring"]:
            out += ["", f"{label}:", "", "```text", r["docstring"].rstrip(), "```"]
        if r["facts"]:
            out += ["", f"Facts: {json.dumps(r['facts'])[:600]}"]
        out += ["", "Reference:", "", "```text", (r["reference"] or "(the original has no docstring)").rstrip(), "```"]
        out += ["", "verdict: ", ""]
    return "\n".join(out) + "\n"


def count_verdicts(markdown: str) -> dict[str, int]:
    """Counts of a judged comment_<set>.md: written, true, partly, wrong, unjudged, skipped (a
    verdict's first word decides; only written docstrings are judged)."""
    result = dict.fromkeys(("written", "true", "partly", "wrong", "unjudged", "skipped"), 0)
    written = False
    for line in markdown.splitlines():
        if line.startswith("## "):
            written = line.rstrip().endswith("(written)") or "(written," in line
            result["written" if written else "skipped"] += 1
        elif line.startswith("verdict:") and written:
            words = line[len("verdict:") :].split()
            word = words[0].strip(".,;:").lower() if words else ""
            result[word if word in ("true", "partly", "wrong") else "unjudged"] += 1
    return result


# --- fill ------------------------------------------------------------------------------------


def stub_source(reference: str, names: list[str]) -> tuple[str, list[str]]:
    """``reference`` with the bodies of ``names`` that have a docstring replaced by ``...``, and
    the names so stubbed (a function without a docstring says nothing to fill from)."""
    lines = reference.splitlines(keepends=True)
    fns = functions_of(reference)
    stubbed = [n for n in names if ast.get_docstring(fns[n]) is not None]
    # bottom-up so that earlier line numbers stay valid
    for name in sorted(stubbed, key=lambda n: -fns[n].lineno):
        fn = fns[name]
        doc = fn.body[0]
        indent = " " * (doc.col_offset)
        lines[doc.end_lineno : fn.end_lineno] = [f"{indent}...\n"]
    return "".join(lines), stubbed


def plain_calls(file: str, name: str) -> list[str]:
    """The set's plain calls of ``name`` (benchmarks/heldout_calls.py) as call sources."""
    from benchmarks.heldout_calls import CALLS

    return [f"{name}{args}" for args, _ in CALLS.get(f"{Path(file).stem}.{name}", [])]


def judge_body(reference: str, name: str, filled_code: str, calls: list[str]) -> dict[str, Any]:
    """Compare ``filled_code`` (a whole ``def name``) with the original ``name`` on the cases
    codex itself would build from the original, given ``calls`` (``name(...)`` sources, the
    set's plain calls) as its tests: their types make more cases. Both run only in the sandbox."""
    from codexcli.verify.cases.cases import collect_cases
    from codexcli.verify.compare.behaviour import Behaviour, compare, observe

    cases = collect_cases(reference, name, test_sources=["\n".join(calls)], limit=24, random_cases=12)
    if not cases:
        return {"verdict": "unjudged", "detail": "no input cases"}
    first, second = observe(reference, name, cases), observe(reference, name, cases)
    if not first.ok:
        return {"verdict": "unjudged", "detail": first.error}
    stable = [
        i
        for i, (a, b) in enumerate(zip(first.observations, second.observations))
        if a.kind == b.kind and a.raised == b.raised and a.value == b.value and a.kind != "timeout"
    ]
    if not stable:
        return {"verdict": "unjudged", "detail": "the original is not repeatable on any case"}
    kept = [cases[i] for i in stable]
    expected = Behaviour(tuple(first.observations[i] for i in stable))
    actual = observe(reference.rstrip() + "\n\n\n" + filled_code.strip() + "\n", name, kept, stop_on_timeout=True)
    diff = compare(expected, actual)
    values = sum(1 for o in expected.observations if o.kind == "value")
    return {
        "verdict": "correct" if diff is None else "wrong",
        "detail": None if diff is None else diff.message,
        "cases": len(kept),
        "cases_returning": values,
    }


def fill_file(work: Path, file: str, names: list[str], ctx: dict[str, Any]) -> tuple[list[dict[str, Any]], float]:
    reference = (SETS / ctx["set"] / file).read_text()
    stub, stubbed = stub_source(reference, names)
    rows = [{"module": file, "function": n, "status": "not a task: no docstring"} for n in names if n not in stubbed]
    if not stubbed:
        return rows, 0.0
    target = work / file
    target.write_text(stub)
    only = [a for n in stubbed for a in ("--only", n)]
    payload, seconds, _ = run_codex(
        ["generate", "--fill", str(target), "--no-context", *only, *ctx["extra"]], work, ctx["env"]
    )
    entries = {f.get("name"): f for f in (payload or {}).get("functions", [])}
    filled_source = target.read_text()
    for name in stubbed:
        entry = entries.get(name, {})
        level, _ = evidence_of(entry)
        row: dict[str, Any] = {
            "module": file,
            "function": name,
            "status": entry.get("status", "no result" if payload else "codex failed"),
            "reason": entry.get("reason"),
            "evidence": level,
        }
        if row["status"] == "filled":
            code = code_of(filled_source, name)
            row.update(code=code, **judge_body(reference, name, code, plain_calls(file, name)))
        elif isinstance(entry.get("candidate"), str):  # held back below the threshold: judged too
            cand = judge_body(reference, name, entry["candidate"], plain_calls(file, name))
            row.update(candidate=entry["candidate"], candidate_verdict=cand["verdict"])
        rows.append(row)
        log(f"  {file}:{name}: {row['status']} {row.get('verdict', '')} {row.get('detail') or ''}"[:200])
    return rows, seconds


# --- translate -------------------------------------------------------------------------------


def translate_file(work: Path, file: str, names: list[str], ctx: dict[str, Any]) -> tuple[list[dict[str, Any]], float]:
    target = work / file
    target.write_text(without_docstrings((SETS / ctx["set"] / file).read_text(), ctx["chosen"][file]))
    payload, seconds, _ = run_codex(
        ["translate", str(target), "--to", ctx["to"], "--no-context", *ctx["extra"]], work, ctx["env"]
    )
    entries = {f.get("name"): f for f in (payload or {}).get("functions", [])}
    written = bool((payload or {}).get("written"))
    rows = []
    for name in names:
        entry = entries.get(name, {})
        status = entry.get("status", "no result" if payload else "codex failed")
        if status == "translated" and written and entry.get("verified"):
            outcome = "verified"
        elif status == "translated" and written:
            outcome = "unverified"
        else:
            outcome = "left out"
        level, _ = evidence_of(entry)
        rows.append(
            {
                "module": file,
                "function": name,
                "status": status,
                "outcome": outcome,
                "evidence": level,
                "behaviour": entry.get("behaviour"),
                "detail": entry.get("behaviour_detail") or entry.get("reason"),
            }
        )
    return rows, seconds


# --- driver ----------------------------------------------------------------------------------

TASKS = {"comment": comment_file, "fill": fill_file, "translate": translate_file}


def counts(task: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    if task == "comment":
        keys = {"written": sum(r["written"] for r in rows), "skipped": sum(not r["written"] for r in rows)}
        keys["below threshold"] = sum(r["status"] == "below threshold" for r in rows)
        return keys
    if task == "fill":
        tasks = [r for r in rows if not r["status"].startswith("not a task")]
        return {
            "stubs": len(tasks),
            "filled": sum(r["status"] == "filled" for r in tasks),
            "correct": sum(r.get("verdict") == "correct" for r in tasks),
            "wrong": sum(r.get("verdict") == "wrong" for r in tasks),
            "unjudged": sum(r.get("verdict") == "unjudged" for r in tasks),
            "skipped": sum(r["status"] != "filled" for r in tasks),
        }
    return {k: sum(r["outcome"] == k for r in rows) for k in ("verified", "unverified", "left out")}


def table(task: str, per_module: dict[str, list[dict[str, Any]]], seconds: float) -> str:
    all_rows = [r for rows in per_module.values() for r in rows]
    total = counts(task, all_rows)
    head = ["module", "functions", *total]
    lines = [f"\n{task} ({seconds:.0f} s)", " | ".join(head), " | ".join("---" for _ in head)]
    for module, rows in per_module.items():
        lines.append(" | ".join([module, str(len(rows)), *(str(v) for v in counts(task, rows).values())]))
    lines.append(" | ".join(["total", str(len(all_rows)), *(str(v) for v in total.values())]))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("dev", "test", "test2", "test3", "test4", "test5", "test6"), default="dev")
    parser.add_argument("--tasks", default="comment", help="comma-separated: comment, fill, translate")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "heldout")
    parser.add_argument("--to", default="java", help="translate: the target language (java, cpp, ...)")
    parser.add_argument("--limit", type=int, default=0, help="the first N chosen functions of each file (0: all)")
    parser.add_argument("--files", default="", help="comma-separated file names of the set (default: all)")
    parser.add_argument("--keep-cache", action="store_true", help="reuse <out>/codex_home's result cache")
    parser.add_argument("--count-verdicts", type=Path, metavar="MD", help="count a judged comment_<set>.md and exit")
    args, extra = parser.parse_known_args()
    if args.count_verdicts:
        print(json.dumps(count_verdicts(args.count_verdicts.read_text())))
        return 0
    tasks = [t.strip() for t in args.tasks.split(",") if t.strip()]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        parser.error(f"unknown task(s): {', '.join(unknown)}")
    manifest = tomllib.loads((SETS / "sets.toml").read_text())[args.set]
    wanted = {f.strip() for f in args.files.split(",") if f.strip()}
    files = {f: v["functions"][: args.limit or None] for f, v in manifest.items() if not wanted or f in wanted}
    args.out.mkdir(parents=True, exist_ok=True)
    home = args.out / "codex_home"
    if not args.keep_cache:
        shutil.rmtree(home, ignore_errors=True)
    home.mkdir(exist_ok=True)
    env = {**os.environ, "CODEXCLI_HOME": str(home), "PYTHONPATH": str(ROOT)}
    chosen = {f: tuple(v["functions"]) for f, v in manifest.items()}
    ctx = {"set": args.set, "env": env, "extra": extra, "chosen": chosen, "to": args.to}
    summary: dict[str, Any] = {"set": args.set, "files": files, "extra_args": extra, "tasks": {}}
    tables = []
    for task in tasks:
        per_module: dict[str, list[dict[str, Any]]] = {}
        model_seconds = 0.0
        start = time.perf_counter()
        for file, names in files.items():
            log(f"{task}: {file} ({len(names)} functions)")
            with tempfile.TemporaryDirectory(prefix="heldout-") as tmp:
                rows, seconds = TASKS[task](Path(tmp), file, names, ctx)
            model_seconds += seconds
            per_module[file] = rows
            log(f"  {json.dumps(counts(task, rows))} in {seconds:.0f} s")
        wall = time.perf_counter() - start
        if task == "comment":
            all_rows = [r for rows in per_module.values() for r in rows]
            (args.out / f"comment_{args.set}.md").write_text(comment_markdown(all_rows, args.set))
        summary["tasks"][task] = {
            "wall_s": round(wall, 1),
            "codex_s": round(model_seconds, 1),
            "counts": counts(task, [r for rows in per_module.values() for r in rows]),
            "per_module": {m: counts(task, rows) for m, rows in per_module.items()},
            "rows": per_module,
        }
        tables.append(table(task, per_module, wall))
    (args.out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"set {args.set}: {sum(len(n) for n in files.values())} functions in {len(files)} files; extra: {extra}")
    print("\n".join(tables))
    log(f"wrote {args.out / 'summary.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
