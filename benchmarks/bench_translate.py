"""Figures for `codex translate` on examples/translate_me.py: per target language, how many
definitions were translated, compiled and behaviour-verified, the cases passed, and the time.

    python benchmarks/bench_translate.py [--max-tokens N] [--retries N] LANG...

Runs the real CLI (`codex --json translate ... --dry-run`) once per language with the configured
model (default: the embedded SmolLM2-135M) and prints one line per language.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "translate_me.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("languages", nargs="*", default=["java", "javascript"])
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--retries", type=int, default=1)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print(f"{'target':<11} {'translated':>10} {'compiled':>9} {'verified':>9} {'cases':>8} {'seconds':>8}")
    for language in args.languages:
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "codexcli",
                "--json",
                "translate",
                str(EXAMPLE),
                "--to",
                language,
                "--dry-run",
                "--max-tokens",
                str(args.max_tokens),
                "--retries",
                str(args.retries),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
        )
        seconds = time.perf_counter() - start
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            print(f"{language:<11} failed: {proc.stderr.strip()[-200:]}")
            continue
        fns = report.get("functions", [])
        translated = sum(f["status"] == "translated" for f in fns)
        compiled = sum(f["compiled"] is True for f in fns)
        verified = sum(f["verified"] for f in fns)
        passed, total = sum(f["cases_passed"] for f in fns), sum(f["cases_total"] for f in fns)
        print(
            f"{language:<11} {translated:>6}/{len(fns):<3} {compiled:>5}/{len(fns):<3} {verified:>5}/{len(fns):<3} "
            f"{passed:>4}/{total:<3} {seconds:>8.0f}"
        )
        for f in fns:
            why = f["reason"] or f["behaviour_detail"] or ""
            print(
                f"    {f['name']:<14} {f['status']:<10} cases {f['cases_passed']}/{f['cases_total']}  {why.splitlines()[0][:90] if why else ''}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
