"""`codex data build` throughput and memory, measured in one run.

Throughput: files/s over a copy of the standard library's Lib/ (site-packages left out) with the
local engine on 1 and 2 workers and Ray in local mode (2 CPUs); the outputs are compared byte for
byte. Memory: peak RSS of the whole process tree (driver + workers, one worker) for Lib/ and
for Lib/ plus ``--extra`` copies of it with every file changed (so nothing is an exact or near
duplicate that would be dropped early): the corpus grows, the peak must not grow with it.

    python benchmarks/bench_data.py [--engines local1,local2,ray2] [--extra 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_lib(dest: Path, variant: int = 0) -> int:
    """Copy Lib/'s .py files (no site-packages); variant > 0 renames every word-ish token's
    first identifier so the copy is no duplicate. Returns the number of files."""
    lib = Path(sysconfig.get_paths()["stdlib"])
    count = 0
    for path in sorted(lib.rglob("*.py")):
        rel = path.relative_to(lib)
        if "site-packages" in rel.parts or any(p.startswith(".") for p in rel.parts):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if variant:
            # A different identifier on every line: shingles change everywhere (Jaccard ~0).
            lines = data.split(b"\n")
            data = b"\n".join(
                line + b"  # v%d_%d" % (variant, i) if line.strip() else line for i, line in enumerate(lines)
            )
        target.write_bytes(data)
        count += 1
    return count


def run_build(sources: list[Path], out: Path, engine: str, workers: int, *extra: str) -> tuple[float, int]:
    """Seconds and peak RSS (KiB, largest process of the tree) of one build in a child."""
    argv = [sys.executable, "-m", "codexcli", "-q", "data", "build", *map(str, sources), "--out", str(out)]
    argv += ["--engine", engine, "--workers", str(workers), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed ({status}): {' '.join(argv)}")
    return seconds, usage.ru_maxrss


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "run.json"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="local1,local2,ray2", help="'none': memory figures only")
    parser.add_argument("--extra", type=int, default=3, help="changed copies of Lib/ for the larger memory corpus")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        files = copy_lib(tmp / "Lib")
        load = os.getloadavg()[0]
        print(
            f"corpus: Lib/ of Python {sys.version.split()[0]}, {files} .py files; {os.cpu_count()} CPUs, load {load:.1f}"
        )
        first = None
        for spec in [e for e in args.engines.split(",") if e and e != "none"]:
            engine, workers = spec.rstrip("0123456789"), int(spec[len(spec.rstrip("0123456789")) :])
            out = tmp / f"out-{spec}"
            seconds, _ = run_build([tmp / "Lib"], out, engine, workers)
            same = "reference" if first is None else ("identical" if outputs(out) == first else "DIFFERENT")
            first = first if first is not None else outputs(out)
            load = os.getloadavg()[0]
            print(
                f"{engine:>5} x{workers}: {seconds:7.1f} s  {files / seconds:7.1f} files/s  output {same}  (load {load:.1f})"
            )
            shutil.rmtree(out)
        if args.skip_memory:
            return
        sources = [tmp / "Lib"]
        for v in range(1, args.extra + 1):
            copy_lib(tmp / f"Lib{v}", v)
            sources.append(tmp / f"Lib{v}")
        for n in (1, len(sources)):
            # Partitions of 20k lines: both sizes need several, so the bound is visible.
            seconds, rss = run_build(sources[:n], tmp / f"mem{n}", "local", 1, "--partition-lines", "20000")
            print(
                f"memory: {n * files:6d} files ({n} x Lib/), 1 worker: peak RSS {rss / 1024:6.0f} MiB, {seconds:.0f} s"
            )


if __name__ == "__main__":
    main()
