"""Benchmark the repository index (`codex index` / `codex search`); it prints the figures.

    PYTHONPATH=. python benchmarks/bench_index.py [--package rich] [--queries 500] [--stdlib PATH]
        [--embed-model FILE.gguf] [--skip-speed]

1. Retrieval quality on a real repository that is not this one (a pure-Python package installed
   in this environment, `rich` by default): the index is built with every docstring removed, the
   queries are the first lines of the functions' docstrings, and the answer counts when the
   function itself is among the hits. Recall@5 and MRR (over the top 10) for BM25, and with
   --embed-model for dense search and BM25+dense fused by reciprocal rank.
2. Speed on a ~2,000-file Python tree (the standard library's Lib/ by default): a fresh index
   with 2 worker processes (wall and CPU seconds), the time per query (median and 95th
   percentile), and an incremental refresh after one file changed.
The machine's load average is printed with the figures: CPU seconds do not depend on it, wall
seconds do.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from codexcli.index.defs import python_definitions  # noqa: E402
from codexcli.index.store import open_index  # noqa: E402


def cpu_seconds() -> float:
    """User + system CPU of this process and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def queries_of(root: Path) -> list[tuple[str, str, str]]:
    """(first docstring line, path, qualname) of every function and method under ``root``
    whose docstring's first line has at least three words."""
    out = []
    for file in sorted(root.rglob("*.py")):
        rel = file.relative_to(root).as_posix()
        try:
            defs = python_definitions(rel, file.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for d in defs:
            first = d.docstring.strip().split("\n", 1)[0].strip()
            if d.kind != "class" and len(first.split()) >= 3:
                out.append((first, d.path, d.qualname))
    return out


def scores(ranks: list[int | None]) -> str:
    recall1 = sum(1 for r in ranks if r == 1) / len(ranks)
    recall5 = sum(1 for r in ranks if r is not None and r <= 5) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return f"Recall@1 {recall1:.3f}  Recall@5 {recall5:.3f}  MRR@10 {mrr:.3f}"


def rank_of(hits: list, path: str, qualname: str) -> int | None:
    found = [i for i, h in enumerate(hits, 1) if (h.definition.path, h.definition.qualname) == (path, qualname)]
    return found[0] if found else None


def retrieval(package: str, limit: int, db_dir: Path, embed_model: Path | None = None) -> None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {package!r} is not installed here")
    root = Path(list(spec.submodule_search_locations)[0])
    queries = queries_of(root)
    random.Random(0).shuffle(queries)
    chosen = queries[:limit]
    with open_index(root, db=db_dir / "retrieval.sqlite3", docstrings=False, use_git=False) as index:
        stats = index.refresh()
        print(
            f"retrieval: {package} ({root}), {stats.files} files, {stats.definitions} definitions, docstrings removed"
        )
        print(f"  {len(chosen)} queries (of {len(queries)} docstring first lines, shuffled with seed 0)")
        print(f"  BM25: {scores([rank_of(index.search(t, 10), p, q) for t, p, q in chosen])}", flush=True)
        if embed_model is not None:
            from codexcli.config import Settings
            from codexcli.index.dense import GGUFEmbedder
            from codexcli.index.store import DenseIndex

            embedder = GGUFEmbedder(embed_model, Settings(threads=int(os.environ.get("CODEX_THREADS", "0")) or None))
            dense = DenseIndex(index, embedder)
            start = time.perf_counter()
            dense.embed_missing()
            print(
                f"  embedded {stats.definitions} definitions with {embed_model.name} in {time.perf_counter() - start:.0f} s"
            )
            print(f"  dense: {scores([rank_of(dense.search(t, 10), p, q) for t, p, q in chosen])}")
            print(f"  fused (RRF): {scores([rank_of(dense.fused(t, 10), p, q) for t, p, q in chosen])}")
            embedder.close()


def speed(stdlib: Path, db_dir: Path, workers: int) -> None:
    db = db_dir / "stdlib.sqlite3"
    load = os.getloadavg()[0]
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    with open_index(stdlib, db=db, use_git=False) as index:
        stats = index.refresh(workers=workers)
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    print(f"speed: {stdlib}: {stats.files} files, {stats.definitions} definitions, {len(stats.skipped)} skipped")
    print(f"  fresh index, {workers} workers: {wall:.1f} s wall, {cpu:.1f} s CPU (load average {load:.1f} before)")
    queries = [q for q, _, _ in queries_of(stdlib / "json")] + [
        "parse an ISO date",
        "split a path into its components",
        "compute the md5 digest of a file",
        "open a temporary file",
        "retry a request with backoff",
        "read a zip archive",
        "format a number with thousands separators",
        "quote a string for the shell",
    ]
    with open_index(stdlib, db=db, use_git=False) as index:
        index.search("warm up", 10)
        times, cpu_times = [], []
        for _ in range(3):
            for q in queries:
                start, cpu_start = time.perf_counter(), time.process_time()
                index.search(q, 10)
                times.append((time.perf_counter() - start) * 1000)
                cpu_times.append((time.process_time() - cpu_start) * 1000)
        times.sort()
        cpu_times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        cpu_p95 = cpu_times[int(len(cpu_times) * 0.95) - 1]
        print(
            f"  query (k=10, {len(times)} runs): wall median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms; "
            f"CPU median {statistics.median(cpu_times):.1f} ms, p95 {cpu_p95:.1f} ms (load average {os.getloadavg()[0]:.1f})"
        )
        target = stdlib / "colorsys.py"
        original = target.read_bytes()
        try:
            target.write_bytes(original + b"\n\ndef added_for_the_benchmark(x):\n    return x\n")
            start = time.perf_counter()
            stats = index.refresh(workers=workers)
            once = time.perf_counter() - start
        finally:
            target.write_bytes(original)
        index.refresh(workers=workers)
    print(
        f"  incremental refresh after one changed file: {once:.2f} s ({stats.indexed} re-extracted, {stats.unchanged} unchanged)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", default="rich")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--stdlib", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--embed-model", type=Path, help="an embedding GGUF: adds dense and fused figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        retrieval(args.package, args.queries, Path(tmp), args.embed_model)
        if not args.skip_speed:
            speed(args.stdlib, Path(tmp), args.workers)


if __name__ == "__main__":
    main()
