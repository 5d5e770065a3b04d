"""Benchmark `codex comment` with the real embedded model (run it; it prints the figures).

    PYTHONPATH=. python benchmarks/bench_comment.py [--max-tokens 96] [--retries 0]

Measures, on this machine:
1. the time to document a file with N=1 and with N=10 undocumented functions (model loaded once
   in this process, a fresh cache for each), split into prompt evaluation (what the shared
   prefix saves: the file is evaluated once and reused for every function) and generation, and
   the per-function cost ratio N=10 / N=1, with and without the model load;
2. `codex comment` end to end for N=1 (a fresh process and cache: start-up and load included);
3. a cached re-run of the N=10 file in a fresh process (every result from the cache, no model);
4. the pre-commit hook on a commit that touches no Python file (`git commit` wall time).
Retries default to 0 so that each function costs exactly one model call and N=1 and N=10
compare like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OPS = [
    ("+", "sum"),
    ("-", "difference"),
    ("*", "product"),
    ("//", "quotient"),
    ("%", "remainder"),
    ("**", "power"),
    ("&", "bitwise and"),
    ("|", "bitwise or"),
    ("^", "exclusive or"),
    ("<<", "shift"),
]


def make_file(n: int) -> str:
    """A module with a docstring and ``n`` small undocumented functions."""
    parts = ['"""Arithmetic helpers (benchmark input)."""\n']
    for i in range(n):
        op, _ = OPS[i % len(OPS)]
        parts.append(f"\n\ndef combine_{i}(left, right):\n    result = left {op} right\n    return result\n")
    return "".join(parts)


def codex(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "codexcli", *args], cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def end_to_end(n: int, work: Path, env: dict[str, str], extra: list[str]) -> tuple[float, dict, Path]:
    path = work / f"n{n}.py"
    path.write_text(make_file(n))
    seconds, proc = codex(["--json", "comment", str(path), *extra], work, env)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"codex failed ({proc.returncode}): {proc.stderr}")
    return seconds, json.loads(proc.stdout), path


class Recorder:
    """Wraps the backend to keep each request's accounting, and counts the prompt tokens that
    llama.cpp must evaluate: those after the prefix shared with the previous prompt (it keeps
    that prefix's KV cache). Unlike seconds, this count does not depend on the machine's load."""

    def __init__(self, backend) -> None:
        self.backend, self.completions = backend, []
        self.previous: list[int] = []
        self.evaluated = 0

    def __getattr__(self, name):
        return getattr(self.backend, name)

    def complete(self, request, on_token=None):
        tokens = self.backend.tokenize_prompt(request)
        shared = 0
        for a, b in zip(self.previous, tokens[:-1]):
            if a != b:
                break
            shared += 1
        self.evaluated += len(tokens) - shared
        self.previous = tokens
        completion = self.backend.complete(request, on_token)
        self.completions.append(completion)
        return completion


def in_process(max_tokens: int, retries: int, home: Path) -> dict:
    """Model loaded once; N=1 then N=10 (fresh cache each), with each request's accounting."""
    from codexcli.backends import create_backend
    from codexcli.backends.base import CompletionRequest, Message
    from codexcli.cache import ResultCache, cache_path, model_identity
    from codexcli.config import load_settings
    from codexcli.prompts import load_prompt
    from codexcli.tasks.comment.run import comment_source

    settings = load_settings(ROOT, env={}, flags={"max_tokens": max_tokens, "retries": retries})
    start = time.perf_counter()
    backend = create_backend(settings)
    backend.complete(CompletionRequest((Message("user", "Say hi."),), max_tokens=1))  # loads the weights
    load = time.perf_counter() - start
    out: dict = {"load": load}
    try:
        for n in (1, 10):
            if getattr(backend, "_llama", None) is not None:
                backend._llama.reset()  # forget the previous run's KV prefix: each N starts cold
            rec = Recorder(backend)
            cache = ResultCache(cache_path({"CODEXCLI_HOME": str(home / f"n{n}")}))
            start = time.perf_counter()
            result = comment_source(
                make_file(n),
                f"n{n}.py",
                settings=settings,
                prompt=load_prompt("comment"),
                backend=lambda: rec,
                cache=cache,
                model_id=model_identity(settings),
                style="google",
            )
            out[n] = {
                "seconds": time.perf_counter() - start,
                "completions": rec.completions,
                "evaluated": rec.evaluated,
                "documented": len(result.done),
                "targets": len(result.outcomes),
            }
            cache.close()
    finally:
        backend.close()
    return out


def describe(n: int, run: dict) -> str:
    cs = run["completions"]
    prompt_s = sum(c.prompt_seconds for c in cs)
    gen_s = sum(c.seconds - c.prompt_seconds for c in cs)
    gen_tokens = sum(c.completion_tokens for c in cs)
    return (
        f"{run['seconds']:7.2f} s = {run['seconds'] / n:6.2f} s/function "
        f"({run['documented']}/{run['targets']} documented, {len(cs)} model calls; prompt evaluation "
        f"{prompt_s / n:.2f} s/function: {sum(c.prompt_tokens for c in cs) / max(1, len(cs)):.0f} prompt tokens "
        f"per call, {run['evaluated'] / n:.0f} evaluated per function; generation {gen_s / n:.2f} s/function, {gen_tokens / n:.0f} tokens/function at "
        f"{gen_tokens / gen_s if gen_s else 0:.1f} tokens/s)"
    )


def hook_commit(env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        git_env = {
            **env,
            "GIT_AUTHOR_NAME": "b",
            "GIT_AUTHOR_EMAIL": "b@example.com",
            "GIT_COMMITTER_NAME": "b",
            "GIT_COMMITTER_EMAIL": "b@example.com",
        }
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=git_env)
        _, proc = codex(["hook", "install"], repo, git_env)
        assert proc.returncode == 0, proc.stderr
        (repo / "notes.txt").write_text("no python here\n")
        subprocess.run(["git", "add", "notes.txt"], cwd=repo, check=True, env=git_env)
        start = time.perf_counter()
        subprocess.run(["git", "commit", "-q", "-m", "notes"], cwd=repo, check=True, env=git_env, capture_output=True)
        with_hook = time.perf_counter() - start
        return with_hook


def summary(payload: dict) -> str:
    targets = payload["files"][0]["targets"]
    done = sum(1 for t in targets if t["status"] == "documented")
    return f"{done}/{len(targets)} documented, {payload['files'][0]['model_calls']} model calls"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--retries", type=int, default=0)
    args = parser.parse_args()
    extra = ["--max-tokens", str(args.max_tokens), "--retries", str(args.retries), "--style", "google"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
        env.pop("CODEX_BACKEND", None)
        try:
            load = os.getloadavg()[0]
        except OSError:
            load = float("nan")
        print(
            f"codex comment benchmark: embedded model, {os.cpu_count()} CPUs (load average {load:.1f}), "
            f"max_tokens={args.max_tokens}, retries={args.retries}",
            flush=True,
        )

        runs = in_process(args.max_tokens, args.retries, work / "home")
        print(f"model load: {runs['load']:.2f} s", flush=True)
        print(f"N=1,  model loaded: {describe(1, runs[1])}", flush=True)
        print(f"N=10, model loaded: {describe(10, runs[10])}", flush=True)
        w1, w10 = runs[1]["seconds"], runs[10]["seconds"] / 10
        e1, e10 = runs["load"] + runs[1]["seconds"], (runs["load"] + runs[10]["seconds"]) / 10
        print(
            f"per-function cost ratio N=10 / N=1: {w10 / w1:.2f} with the model loaded, "
            f"{e10 / e1:.2f} counting the model load",
            flush=True,
        )

        t1, p1, _ = end_to_end(1, work, {**env, "CODEXCLI_HOME": str(work / "e2e")}, extra)
        print(f"end to end N=1 (fresh process and cache): {t1:.2f} s ({summary(p1)})", flush=True)

        cached_env = {**env, "CODEXCLI_HOME": str(work / "home" / "n10")}
        path10 = work / "n10.py"
        path10.write_text(make_file(10))  # the N=10 file again, its results in the cache
        tc, pc = codex(["--json", "comment", str(path10), *extra], work, cached_env)
        cached = json.loads(pc.stdout)
        hits = sum(1 for t in cached["files"][0]["targets"] if t["cached"])
        print(
            f"cached re-run N=10 (fresh process): {tc:.2f} s ({hits}/{len(cached['files'][0]['targets'])} from cache, "
            f"{cached['files'][0]['model_calls']} model calls)",
            flush=True,
        )

        print(f"hook, commit touching no Python file: {hook_commit(env):.2f} s", flush=True)


if __name__ == "__main__":
    main()
