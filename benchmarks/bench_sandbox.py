"""The sandbox's start-up overhead per run, before and after OS isolation, measured in one run.

"before" is the plain subprocess sandbox (temp folder, rlimits, process group: what codex did
before issue 12, and still does with --unsafe-exec where no isolation works); "after" is the
bubblewrap sandbox (mount, PID, network namespaces; nobody + RLIMIT_NPROC). Each row runs the
same trivial program N times through ``sandbox.run`` and prints the median and the 90th
percentile wall time per run, in milliseconds.

    python benchmarks/bench_sandbox.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codexcli.verify.sandbox import isolation, sandbox  # noqa: E402


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        result = sandbox.run(argv)
        assert result.ok, result.describe()
        times.append(result.seconds * 1000)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    programs = {"/bin/true": ["/bin/true"], "python -c pass": [sys.executable, "-c", "pass"]}
    rows = []
    for label, forced in (("before: plain subprocess", "none"), ("after: isolated", "")):
        if forced:
            os.environ["CODEX_ISOLATION"] = forced
        else:
            os.environ.pop("CODEX_ISOLATION", None)
        isolation.detect.cache_clear()
        isolation.allow_unsafe(True)
        iso = isolation.detect()
        if label.startswith("after") and iso.kind == "none":
            print(f"after: no isolation works here ({iso.why})")
            continue
        for name, argv in programs.items():
            median, p90 = measure(argv, args.runs)
            rows.append((label, iso.kind, name, median, p90))
    print(f"{'sandbox':26} {'isolation':9} {'program':16} {'median ms':>9} {'p90 ms':>8}")
    for label, kind, name, median, p90 in rows:
        print(f"{label:26} {kind:9} {name:16} {median:9.1f} {p90:8.1f}")
    by = {(r[0].split(":")[0], r[2]): r[3] for r in rows}
    for name in programs:
        if ("after", name) in by:
            print(f"overhead of isolation ({name}): {by[('after', name)] - by[('before', name)]:+.1f} ms per run")


if __name__ == "__main__":
    main()
