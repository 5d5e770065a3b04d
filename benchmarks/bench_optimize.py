"""Figures for `codex optimize`: what the verifier and the timing harness measure.

Runs the optimize pipeline on examples/slow.py with scripted, known-good rewrites (fake
backend), so the figures are about codex's checking and timing, not about a model's luck:
per function, the verdict, the measured speedup at each input size, and the seconds spent
verifying and timing. With --real, asks the configured model instead (slow on 2 cores).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_optimize.py [--real] [--samples N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from codexcli.backends import create_backend
from codexcli.backends.fake import FakeBackend
from codexcli.config import load_settings
from codexcli.prompts import load_prompt
from codexcli.tasks.optimize.run import OptimizeOptions, optimize_source

ROOT = Path(__file__).resolve().parents[1]
REWRITES = {
    "has_duplicates": "def has_duplicates(items: list[int]) -> bool:\n    return len(set(items)) != len(items)\n",
    "common_items": "def common_items(a: list[int], b: list[int]) -> list[int]:\n    wanted = set(b)\n    return [x for x in a if x in wanted]\n",
    "count_words": "def count_words(text: str) -> dict[str, int]:\n    counts = {}\n    for word in text.split():\n        counts[word] = counts.get(word, 0) + 1\n    return counts\n",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--real", action="store_true", help="ask the configured model instead of scripted rewrites")
    parser.add_argument("--samples", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    path = ROOT / "examples" / "slow.py"
    source = path.read_text(encoding="utf-8")
    settings = load_settings(ROOT, flags={"retries": 0, "max_tokens": 160})
    if args.real:
        backend = create_backend(settings)
    else:
        backend = FakeBackend(
            [{"match": f"`{name}`", "answer": f"```python\n{code}```"} for name, code in REWRITES.items()]
        )
    options = OptimizeOptions(samples=args.samples, repeats=args.repeats)
    start = time.perf_counter()
    result = optimize_source(backend, load_prompt("optimize"), source, str(path), settings, options)
    seconds = time.perf_counter() - start
    backend.close()
    print(f"{'function':16} {'result':14} {'speedup (lower quartile)':>24}  by input size")
    for report in result.details:
        accepted = report.accepted
        cand = accepted or next((c for c in report.candidates if c.speedup is not None), None)
        sizes = ", ".join(
            f"{label}: {ratio:.2f}x" for label, ratio in (cand.scaling if cand else ()) if ratio is not None
        )
        speed = (
            f"{cand.speedup:.2f}x (q1 {cand.speedup_low:.2f}x)" if cand and cand.speedup and cand.speedup_low else "-"
        )
        why = report.reason if report.status != "optimized" else ""
        print(f"{report.target.qualname:16} {report.status:14} {speed:>24}  {sizes} {why}".rstrip())
    print(
        f"total {seconds:.1f}s (model, verification and timing), {sum(r.status == 'optimized' for r in result.details)} of {len(result.details)} optimized"
    )


if __name__ == "__main__":
    main()
