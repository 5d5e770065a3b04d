"""Figures for batched sampling (issue 15): N candidates decoded one after another against in one
llama.cpp batch (``complete_many``), with the embedded model on the CPU.

    python benchmarks/bench_batch.py                   # wall/CPU time and tok/s, N = 1, 4, 10
    python benchmarks/bench_batch.py --greedy 20       # temperature 0: batched vs single, 20 prompts
    python benchmarks/bench_batch.py --rss             # peak RSS of N=10 against N=1 (child processes)
    python benchmarks/bench_batch.py --eval 40         # pass@k of `eval --strategy sample`, both ways
    python benchmarks/bench_batch.py --eval 20 --strategy verified   # the same for verified selection
    python benchmarks/bench_batch.py --quantize q4_0   # the same on a Q4_0 copy (repacked kernels)

The prompts are `codex generate --fill` requests for HumanEval stubs (what `eval` and
`generate --fill --samples` send), with their stop sequences, so sequences finish at different
lengths as they do in use. Each round runs both ways back to back (order alternating) and the
ratios are taken within a round: on a shared machine they are far steadier than either time.
CPU seconds (this process) are printed beside wall seconds: under load they show the work
itself. Set CODEX_THREADS=1 on a shared machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codexcli.backends.base import Completion, CompletionRequest, complete_each  # noqa: E402
from codexcli.backends.llamacpp import LlamaCppBackend  # noqa: E402
from codexcli.config import load_settings  # noqa: E402
from codexcli.data.problems import load_problems  # noqa: E402
from codexcli.prompts import load_prompt  # noqa: E402
from codexcli.splice.body import find_stubs  # noqa: E402
from codexcli.tasks.eval.humaneval import stub_source  # noqa: E402
from codexcli.tasks.generate.fill import fill_request  # noqa: E402


class Sequential:
    """The backend with ``complete_many`` done one request after another (the old behaviour)."""

    def __init__(self, inner: LlamaCppBackend) -> None:
        self.inner = inner
        self.name = inner.name

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def complete_many(
        self, request: CompletionRequest, n: int, on_token: Any = None, greedy_first: bool = False
    ) -> list[Completion]:
        return complete_each(self.inner, request, n, on_token, greedy_first)


def requests(backend: LlamaCppBackend, count: int, temperature: float, max_tokens: int) -> list[CompletionRequest]:
    """Fill requests for the first ``count`` HumanEval stubs."""
    settings = load_settings(ROOT)
    prompt = load_prompt("fill", settings.prompts_dir)
    out = []
    for problem in load_problems(None)[:count]:
        source = stub_source(problem)
        target = [t for t in find_stubs(source) if t.name == problem.entry_point][-1]
        request = fill_request(prompt, backend, source, f"{problem.entry_point}.py", target, settings)
        out.append(dataclasses.replace(request, temperature=temperature, max_tokens=max_tokens, seed=1))
    return out


def timed(fn: Callable[[], list[Completion]]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    completions = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, sum(c.completion_tokens for c in completions)


def speed(backend: LlamaCppBackend, args: argparse.Namespace) -> None:
    [request] = requests(backend, 1, 0.5, args.max_tokens)
    greedy = dataclasses.replace(request, temperature=0.0)
    backend.complete(greedy)  # load the model
    rows: dict[str, list[tuple[float, float, int]]] = {}
    for round_number in range(args.rounds):
        runs: list[tuple[str, Callable[[], list[Completion]]]] = [("greedy 1", lambda: [backend.complete(greedy)])]
        for n in args.n:
            runs.append((f"sequential {n}", lambda n=n: complete_each(backend, request, n)))
            runs.append((f"batched {n}", lambda n=n: backend.complete_many(request, n)))
        for name, fn in runs if round_number % 2 == 0 else reversed(runs):
            rows.setdefault(name, []).append(timed(fn))
    med = statistics.median
    base_wall = med(r[0] for r in rows["greedy 1"])
    base_cpu = med(r[1] for r in rows["greedy 1"])
    base_rate = med(r[2] / r[0] for r in rows["greedy 1"])
    print(f"prompt tokens {backend.count_prompt_tokens(request)}, max_tokens {args.max_tokens}, rounds {args.rounds}")
    print(
        f"{'run':<14} {'wall s':>8} {'x greedy':>9} {'cpu s':>8} {'x greedy':>9} {'tokens':>7} {'tok/s':>7} {'x greedy':>9}"
    )
    for name, values in rows.items():
        wall, cpu = med(v[0] for v in values), med(v[1] for v in values)
        tokens, rate = med(v[2] for v in values), med(v[2] / v[0] for v in values)
        print(
            f"{name:<14} {wall:8.2f} {wall / base_wall:9.2f} {cpu:8.2f} {cpu / base_cpu:9.2f} "
            f"{tokens:7.0f} {rate:7.1f} {rate / base_rate:9.2f}"
        )


def greedy_agreement(backend: LlamaCppBackend, args: argparse.Namespace) -> None:
    agree = 0
    for number, request in enumerate(requests(backend, args.greedy, 0.0, args.max_tokens)):
        single = backend.complete(dataclasses.replace(request, logprobs=True))
        batch = backend.complete_many(dataclasses.replace(request, logprobs=True), 4)
        same = [[t.text for t in b.tokens] == [t.text for t in single.tokens] for b in batch]
        agree += all(same)
        print(f"prompt {number:2}: {sum(same)}/4 batched sequences equal the single greedy answer", flush=True)
    print(f"{agree}/{args.greedy} prompts: every batched sequence equals the single greedy answer token for token")


def rss(args: argparse.Namespace) -> None:
    """Peak RSS of a child that loads the model and draws N candidates (batched)."""
    for n in (1, 10):
        code = (
            "import sys, resource; sys.path.insert(0, sys.argv[1]);"
            "from benchmarks.bench_batch import child_draw; child_draw(int(sys.argv[2]), int(sys.argv[3]))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(ROOT), str(n), str(args.max_tokens)],
            capture_output=True,
            text=True,
            check=True,
        )
        print(f"N={n:<3} peak RSS {out.stdout.strip()} MiB")


def child_draw(n: int, max_tokens: int) -> None:
    backend = LlamaCppBackend.from_settings(load_settings(ROOT))
    [request] = requests(backend, 1, 0.5, max_tokens)
    backend.complete_many(request, n) if n > 1 else backend.complete(request)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


def eval_both(backend: LlamaCppBackend, args: argparse.Namespace) -> None:
    from codexcli.tasks.eval.evaluate import evaluate
    from codexcli.verify.sandbox.sandbox import Limits

    settings = dataclasses.replace(load_settings(ROOT), max_tokens=args.max_tokens)
    prompt = load_prompt("fill", settings.prompts_dir)
    problems = load_problems(None)[: args.eval]
    runs = (("batched", backend), ("sequential", Sequential(backend)))
    for name, live in runs if args.order == "batched" else runs[::-1]:
        wall, cpu = time.perf_counter(), time.process_time()
        report = evaluate(
            live,  # type: ignore[arg-type]
            prompt,
            problems,
            settings,
            strategy=args.strategy,
            n=args.samples,
            ks=(1, 10),
            limits=Limits(timeout_s=5.0),
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        solved = sum(1 for _, c in report.counts() if c)
        print(
            json.dumps(
                {
                    "run": name,
                    "strategy": args.strategy,
                    "wall_s": round(wall, 1),
                    "cpu_s": round(cpu, 1),
                    "load": round(os.getloadavg()[0], 1),
                    "problems": len(problems),
                    "samples": args.samples,
                    "pass_at_k": {k: round(v, 4) for k, v in report.pass_at_k.items()},
                    "solved": solved,
                    "per_problem": report.counts(),
                    "completion_tokens": report.completion_tokens,
                    "generate_seconds": round(report.generate_seconds, 1),
                }
            ),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[4, 10])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--greedy", type=int, default=0, help="compare temperature 0 on this many prompts")
    parser.add_argument("--rss", action="store_true")
    parser.add_argument("--eval", type=int, default=0, help="pass@k of this many HumanEval problems, both ways")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--strategy", default="sample", help="eval strategy for --eval (sample, verified)")
    parser.add_argument("--order", choices=("batched", "sequential"), default="batched", help="which --eval run first")
    parser.add_argument("--model", default=None)
    parser.add_argument(
        "--quantize", choices=("q4_0",), default=None, help="requantize first (llama.cpp repacks Q4_0 for batches)"
    )
    args = parser.parse_args()
    if args.quantize:
        from benchmarks.bench_generate import requantize
        from codexcli.config import Settings
        from codexcli.model.find import resolve_model

        args.model = str(requantize(resolve_model(Settings(model=args.model)).path, args.quantize))
    if args.model:
        os.environ["CODEX_MODEL"] = args.model
    if args.rss:
        rss(args)
        return
    backend = LlamaCppBackend.from_settings(load_settings(ROOT))
    print(f"model {backend.model_path.name}, threads {backend.threads}, load {os.getloadavg()[0]:.1f}", flush=True)
    try:
        if args.greedy:
            greedy_agreement(backend, args)
        elif args.eval:
            eval_both(backend, args)
        else:
            speed(backend, args)
    finally:
        backend.close()
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
