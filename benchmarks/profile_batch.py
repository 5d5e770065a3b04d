"""Where the time of a batched step goes (issue 30): N answers to one HumanEval fill request,
decoded by ``complete_many`` with every part of the loop timed.

    CODEX_THREADS=1 python benchmarks/profile_batch.py                    # embedded model as used
    CODEX_THREADS=1 python benchmarks/profile_batch.py --types source,bf16,q8_0,q4_0
    CODEX_THREADS=1 python benchmarks/profile_batch.py --n 1 10 --max-tokens 128
    CODEX_THREADS=1 python benchmarks/profile_batch.py --steps --types off,bf16,f16,q8_0,q4_0

For each model type (``source``: the file as given, no conversion; otherwise a converted copy
made by codexcli/model/convert.py) and each N, the same request (seeds 1..N, temperature 0.8)
is decoded after a warm-up, and the loop's parts are timed by wrapping them:

* ``decode``: ``llama_decode`` (the forward pass of one step; the prompt's chunks apart),
* ``prompt``: the prompt's evaluation (its ``llama_decode`` calls before the first step),
* ``sample``: the llama.cpp sampler chains (``llama_sampler_sample``, one call per sequence),
* ``detok``: turning a token into bytes (``llama_token_to_piece``),
* ``stream``: ``Stream.push`` (UTF-8 decoding, stop-sequence checks, streaming),
* ``other``: the rest of the Python loop (batch filling, end-of-generation tests).

``--steps`` times ``llama_decode`` alone instead: steps of 1 row and of each ``--n`` rows after a
200-token prompt, CPU milliseconds (the forward pass of each type's weights, nothing else).

N=1 is ``complete`` (one answer: always the source file); N>1 is ``complete_many`` on the
weights the type names (``off``: the source file; ``auto``: what codex picks, model/convert.py).

Each part is shown as wall milliseconds per step and as a share of the run; CPU seconds of the
process are printed beside the wall time (with CODEX_THREADS=1 they are the work itself, which
a loaded machine does not inflate). The threads the process holds at the end are listed by
name: one llama.cpp (OpenMP) pool is expected, and no BLAS pool spinning beside it.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_batch import requests  # noqa: E402
from codexcli.backends import llamacpp_batch  # noqa: E402
from codexcli.backends.llamacpp import LlamaCppBackend, import_llama_cpp  # noqa: E402
from codexcli.config import load_settings  # noqa: E402

PARTS = ("prompt", "decode", "sample", "detok", "stream", "other")


class Timers:
    """Accumulated wall seconds per part, and the wrappers that feed them."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = collections.defaultdict(float)
        self.calls: dict[str, int] = collections.defaultdict(int)
        self.in_prompt = False

    def wrap(self, part: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                name = "prompt" if part == "decode" and self.in_prompt else part
                self.seconds[name] += time.perf_counter() - start
                self.calls[name] += 1

        return timed


def instrument(timers: Timers) -> Callable[[], None]:
    """Wrap the batch loop's parts; returns the function that undoes it."""
    lib, low = import_llama_cpp(), import_llama_cpp().llama_cpp
    saved: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, name: str, value: Any) -> None:
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    for module in (lib, low):  # BatchDecoder calls the package's names, llama-cpp-python's internals the module's
        patch(module, "llama_decode", timers.wrap("decode", module.llama_decode))
        patch(module, "llama_sampler_sample", timers.wrap("sample", module.llama_sampler_sample))
        patch(module, "llama_token_to_piece", timers.wrap("detok", module.llama_token_to_piece))
    patch(llamacpp_batch.Stream, "push", timers.wrap("stream", llamacpp_batch.Stream.push))
    prefill = llamacpp_batch.BatchDecoder._prefill

    def timed_prefill(self: Any, *args: Any, **kwargs: Any) -> Any:
        timers.in_prompt = True
        try:
            return prefill(self, *args, **kwargs)
        finally:
            timers.in_prompt = False

    patch(llamacpp_batch.BatchDecoder, "_prefill", timed_prefill)

    def undo() -> None:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)

    return undo


def thread_names() -> list[str]:
    """Names of this process's threads (Linux), counted."""
    names: collections.Counter[str] = collections.Counter()
    for task in Path("/proc/self/task").glob("*"):
        try:
            names[(task / "comm").read_text().strip()] += 1
        except OSError:
            continue
    return [f"{name} x{count}" for name, count in sorted(names.items())]


def profile(backend: LlamaCppBackend, n: int, max_tokens: int) -> dict[str, Any]:
    [request] = requests(backend, 1, 0.8, max_tokens)
    request = dataclasses.replace(request, seed=1)
    backend.complete_many(request, n) if n > 1 else backend.complete(request)  # load, warm up
    timers = Timers()
    undo = instrument(timers)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        out = backend.complete_many(request, n) if n > 1 else [backend.complete(request)]
    finally:
        undo()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    timers.seconds["other"] = max(0.0, wall - sum(timers.seconds[p] for p in PARTS if p != "other"))
    steps = max(1, timers.calls["decode"])
    return {
        "n": n,
        "wall": wall,
        "cpu": cpu,
        "tokens": sum(c.completion_tokens for c in out),
        "steps": steps,
        "parts": {p: timers.seconds[p] for p in PARTS},
    }


def decode_steps(backend: LlamaCppBackend, sizes: tuple[int, ...] = (1, 10), steps: int = 20) -> dict[int, float]:
    """CPU ms of one ``llama_decode`` step of each of ``sizes`` rows on the batch weights."""
    rows = max(sizes)
    llm = backend._batch_model(1024)
    decoder = llamacpp_batch.BatchDecoder(llm, backend.threads)
    ctx = decoder._context(1024, rows, 512)
    lib, raw = decoder.lib, ctx.ctx
    memory = lib.llama_get_memory(raw)
    batch = lib.llama_batch_init(512, 0, 1)
    prompt = list(range(1000, 1200))
    out: dict[int, float] = {}
    try:
        decoder._prefill(memory, raw, batch, prompt, 512, rows)
        for n in (*sizes, *sizes):  # twice each, the better kept
            start = time.process_time()
            for step in range(steps):
                batch.n_tokens = n
                for j in range(n):
                    batch.token[j], batch.pos[j], batch.n_seq_id[j], batch.logits[j] = 1500 + j, 200 + step, 1, True
                    batch.seq_id[j][0] = j
                decoder._run(raw, batch)
            ms = 1000 * (time.process_time() - start) / steps
            out[n] = min(out.get(n, ms), ms)
            for seq in range(rows):
                lib.llama_memory_seq_rm(memory, seq, 200, -1)
    finally:
        lib.llama_batch_free(batch)
        decoder.close()
    return out


def show(label: str, row: dict[str, Any]) -> None:
    parts = row["parts"]
    per_step = {p: 1000 * s / row["steps"] for p, s in parts.items() if p != "prompt"}
    print(
        f"{label:<10} N={row['n']:<3} wall {row['wall']:6.2f} s  cpu {row['cpu']:6.2f} s  "
        f"tokens {row['tokens']:5}  tok/s {row['tokens'] / row['wall']:6.1f}  "
        f"tok/cpu-s {row['tokens'] / max(row['cpu'], 1e-9):6.1f}  steps {row['steps']}"
    )
    shares = "  ".join(f"{p} {100 * parts[p] / row['wall']:4.1f}%" for p in PARTS)
    print(f"{'':<10} share of wall: {shares}")
    print(f"{'':<10} ms per step:   " + "  ".join(f"{p} {v:6.2f}" for p, v in per_step.items()), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--types", default="auto", help="comma-separated: auto (as codex chooses), source, bf16, ...")
    parser.add_argument("--n", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--steps", action="store_true", help="time llama_decode steps alone (CPU ms)")
    args = parser.parse_args()
    settings = load_settings(ROOT)
    print(f"threads {settings.threads or 'default'}, load {os.getloadavg()[0]:.1f}", flush=True)
    for number, kind in enumerate(args.types.split(",")):
        os.environ["CODEX_CONVERT"] = kind
        backend = LlamaCppBackend.from_settings(load_settings(ROOT))
        try:
            if args.steps:
                sizes = tuple(sorted({1, *args.n}))
                ms = decode_steps(backend, sizes)
                weights = backend.conversion.split(" ")[0]
                print(
                    f"{kind:<6} {weights:<7} "
                    + "  ".join(f"{n} rows {ms[n]:6.2f} ms ({ms[n] / ms[1]:4.2f}x 1 row)" for n in sizes),
                    flush=True,
                )
                continue
            for n in args.n:
                if n == 1 and number:  # one answer runs on the source file whatever the type
                    continue
                row = profile(backend, n, args.max_tokens)
                weights = backend.info.quantization if n == 1 else backend.conversion.split(" ")[0]
                show(f"{kind}:{weights}", row)
        finally:
            backend.close()
    print("threads at the end: " + ", ".join(thread_names()))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
