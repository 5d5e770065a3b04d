"""`codex data build`: the driver. It reads the sources, hands batches to an engine, and does
all the file I/O itself, inside ``--out`` only.

Stages, each resumable (a stage's outputs are written atomically and a done marker last):

1. scan: batches of files -> filters, content hash, MinHash bands (``.work/scan-*``)
2. shuffle: dedup key lines spread over partition files by key hash (``.work/part-*``)
3. dedup: partitions -> exact duplicates and near candidates; candidates verified with exact
   Jaccard; connected components keep their first file (``.work/dedup.json``)
4. finish: per batch, decontamination and function pairs -> ``files-*.jsonl``, ``pairs-*.jsonl``

then ``stats.json`` (the counts, byte-identical across engines) and ``run.json`` (engine and
timings). Output depends only on the input and options: batches are cut in corpus order and
every result is consumed in task order.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from codexcli.data import decontam, dedup, minhash, readers
from codexcli.data.engine_base import Engine
from codexcli.data.filters import STAGES, FilterConfig
from codexcli.data.stages import FinishConfig, ScanConfig, ScanTask, finish_task, scan_task
from codexcli.errors import UsageError

READER_REASONS = ("unreadable-source", "unreadable", "symlink", "not-a-file", "unsafe-path", "bad-record")
REPORT_ORDER = READER_REASONS + STAGES + ("exact-duplicate", "near-duplicate", "contaminated")
VERIFY_PAIRS_PER_TASK = 256


@dataclass(frozen=True)
class BuildOptions:
    """Everything that decides the output (``--resume`` checks these are unchanged)."""

    sources: tuple[str, ...]
    langs: tuple[str, ...] = ("python",)
    filters: FilterConfig = field(default_factory=FilterConfig)
    threshold: float = 0.85
    num_perm: int = minhash.NUM_PERM
    shingle: int = minhash.SHINGLE
    humaneval: bool = True
    eval_sets: tuple[str, ...] = ()
    ngram: int = decontam.DEFAULT_N
    content_field: str = "content"
    path_field: str | None = None
    batch_files: int = 256
    batch_bytes: int = 16_000_000
    partition_lines: int = 1_000_000

    def fingerprint(self) -> dict[str, Any]:
        """The options as JSON, sources as absolute paths."""
        data = asdict(self)
        data["sources"] = [str(Path(s).resolve()) for s in self.sources]
        return dict(json.loads(json.dumps(data)))  # as it reads back from manifest.json


@dataclass(frozen=True)
class BuildReport:
    """What a build did: the stats written to stats.json plus the run's engine and timing."""

    stats: dict[str, Any]
    run: dict[str, Any]


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def prepare_out(out: Path, opts: BuildOptions, resume: bool) -> Path:
    """Check --out and return its work folder: an empty or new folder, or with --resume one whose
    earlier run had the same options."""
    work = out / ".work"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    if out.exists() and any(out.iterdir()):
        if not resume:
            raise UsageError(f"--out {out}: not empty", hint="pass --resume to continue an interrupted run")
        manifest = work / "manifest.json"
        if not manifest.exists():
            raise UsageError(f"--out {out}: nothing to resume (no .work/manifest.json there)")
        if _read_json(manifest) != opts.fingerprint():
            raise UsageError(f"--out {out}: was started with other sources or options; resume needs the same")
        return work
    work.mkdir(parents=True, exist_ok=True)
    _write_atomic(work / "manifest.json", json.dumps(opts.fingerprint(), indent=1, sort_keys=True))
    return work


def _batches(opts: BuildOptions, skipped: Counter[str]) -> Iterator[ScanTask]:
    """Every readable file, in corpus order, cut into batches; reader skips are counted."""
    fields = {"content": opts.content_field, "path": opts.path_field}
    srcs = [readers.parse_source(s) for s in opts.sources]
    key, batch, size, files = 0, 0, 0, []
    for src in srcs:
        for item in readers.read_source(src, opts.langs, opts.filters.max_bytes, fields):
            key += 1
            if item.skip is not None or item.data is None:
                skipped[item.skip or "unreadable"] += 1
                continue
            files.append((key, item.path, item.license, item.data))
            size += len(item.data)
            if len(files) >= opts.batch_files or size >= opts.batch_bytes:
                yield ScanTask(batch, tuple(files))
                batch, size, files = batch + 1, 0, []
    if files:
        yield ScanTask(batch, tuple(files))


def _scan(work: Path, engine: Engine, opts: BuildOptions, skipped: Counter[str], note: Callable[[str], None]) -> None:
    bands, rows = minhash.choose_bands(opts.threshold, opts.num_perm)
    cfg = ScanConfig(opts.filters, bands, rows, opts.num_perm, opts.shingle, opts.langs[0])
    firsts: list[int] = []

    def todo() -> Iterator[ScanTask]:
        for task in _batches(opts, skipped):
            firsts.append(task.files[0][0])
            if not (work / f"scan-{task.batch:05d}.done").exists():
                yield task

    seen = 0
    for res in engine.map(scan_task, todo(), cfg):
        offsets, pos = [], 0
        for line in res.records:
            offsets.append([json.loads(line)["key"], pos])
            pos += len(line.encode("utf-8")) + 1
        stem = work / f"scan-{res.batch:05d}"
        _write_atomic(stem.with_suffix(".jsonl"), "".join(line + "\n" for line in res.records))
        _write_atomic(stem.with_suffix(".keys"), "".join(line + "\n" for line in res.keys))
        _write_atomic(stem.with_suffix(".idx"), json.dumps(offsets))
        _write_atomic(stem.with_suffix(".done"), json.dumps({"counts": res.counts, "keys": len(res.keys)}))
        seen += sum(res.counts.values())
        note(f"scan: {seen} files filtered")
    _write_atomic(work / "batches.json", json.dumps(firsts))


def _shuffle(work: Path, opts: BuildOptions) -> int:
    marker = work / "shuffle.done"
    if marker.exists():
        return int(_read_json(marker))
    total = sum(_read_json(p)["keys"] for p in sorted(work.glob("scan-*.done")))
    parts = max(1, math.ceil(total / opts.partition_lines))
    handles = [open(work / f"part-{i:04d}.tsv", "w", encoding="utf-8") for i in range(parts)]
    try:
        for keys in sorted(work.glob("scan-*.keys")):
            with open(keys, encoding="utf-8") as fh:
                for line in fh:
                    handles[dedup.partition_of(line.partition("\t")[0], parts)].write(line)
    finally:
        for h in handles:
            h.close()
    _write_atomic(marker, json.dumps(parts))
    return parts


class _Texts:
    """Random access to scanned records by key: keys are corpus positions, batches are ranges."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.firsts: list[int] = _read_json(work / "batches.json")

    @lru_cache(maxsize=8)  # noqa: B019 (one instance per build)
    def _offsets(self, batch: int) -> dict[int, int]:
        return {k: o for k, o in _read_json(self.work / f"scan-{batch:05d}.idx")}

    def text(self, key: int) -> str:
        batch = bisect.bisect_right(self.firsts, key) - 1
        with open(self.work / f"scan-{batch:05d}.jsonl", "rb") as fh:
            fh.seek(self._offsets(batch)[key])
            return str(json.loads(fh.readline())["text"])


def _dedup(work: Path, engine: Engine, opts: BuildOptions, parts: int, note: Callable[[str], None]) -> dict[str, Any]:
    marker = work / "dedup.json"
    if marker.exists():
        return dict(_read_json(marker))

    def partitions() -> Iterator[list[str]]:
        for i in range(parts):
            yield (work / f"part-{i:04d}.tsv").read_text(encoding="utf-8").splitlines()

    exact: set[tuple[int, int]] = set()
    candidates: set[tuple[int, int]] = set()
    for n, res in enumerate(engine.map(dedup.partition_task, partitions(), None), start=1):
        exact.update(res.exact)
        candidates.update(res.candidates)
        note(f"dedup: partition {n}/{parts}")
    exact_drops = dedup.drops_from_edges(sorted(exact))
    pending = sorted(p for p in candidates if p[0] not in exact_drops and p[1] not in exact_drops)
    texts = _Texts(work)

    def verify_tasks() -> Iterator[dedup.VerifyTask]:
        for start in range(0, len(pending), VERIFY_PAIRS_PER_TASK):
            chunk = tuple(pending[start : start + VERIFY_PAIRS_PER_TASK])
            docs = sorted({d for pair in chunk for d in pair})
            yield dedup.VerifyTask(chunk, {d: texts.text(d) for d in docs})

    verified: list[tuple[int, int]] = []
    for res in engine.map(dedup.verify_task, verify_tasks(), (opts.threshold, opts.shingle)):
        verified.extend(res)
        note(f"dedup: {len(verified)} near-duplicate pairs verified")
    result = {
        "exact": sorted(exact_drops),
        "near": sorted(dedup.drops_from_edges(verified)),
        "candidate_pairs": len(pending),
        "verified_pairs": len(verified),
    }
    _write_atomic(marker, json.dumps(result))
    return result


def _finish(
    work: Path, out: Path, engine: Engine, opts: BuildOptions, drops: set[int], note: Callable[[str], None]
) -> None:
    index = decontam.build_index(opts.humaneval, [Path(p) for p in opts.eval_sets], opts.ngram)
    batches = len(_read_json(work / "batches.json"))

    def tasks() -> Iterator[tuple[int, list[str]]]:
        for b in range(batches):
            if (work / f"finish-{b:05d}.done").exists():
                continue
            keys = [k for k, _ in _read_json(work / f"scan-{b:05d}.idx")]
            lines = (work / f"scan-{b:05d}.jsonl").read_text(encoding="utf-8").splitlines()
            yield b, [line for k, line in zip(keys, lines) if k not in drops]

    for res in engine.map(finish_task, tasks(), FinishConfig(index)):
        for kind, lines in (("files", res.files), ("pairs", res.pairs)):
            if lines:
                _write_atomic(out / f"{kind}-{res.batch:05d}.jsonl", "".join(line + "\n" for line in lines))
        _write_atomic(work / f"finish-{res.batch:05d}.done", json.dumps(res.counts))
        note(f"finish: batch {res.batch + 1}/{batches}")


def _stats(work: Path, out: Path, opts: BuildOptions, skipped: Counter[str], dd: dict[str, Any]) -> dict[str, Any]:
    counts: Counter[str] = Counter(skipped)
    for p in sorted(work.glob("scan-*.done")):
        counts.update(_read_json(p)["counts"])
    for p in sorted(work.glob("finish-*.done")):
        counts.update(_read_json(p))
    counts["exact-duplicate"] = len(dd["exact"])
    counts["near-duplicate"] = len(dd["near"])
    bands, rows = minhash.choose_bands(opts.threshold, opts.num_perm)
    return {
        "files_seen": sum(counts[r] for r in REPORT_ORDER) + counts["kept"],
        "dropped": {r: counts[r] for r in REPORT_ORDER},
        "kept": counts["kept"],
        "kept_by_language": {k.split(":", 1)[1]: v for k, v in sorted(counts.items()) if k.startswith("kept:")},
        "contaminated_by": {k.split(":", 1)[1]: v for k, v in sorted(counts.items()) if k.startswith("contaminated:")},
        "files_without_pairs": counts["files-without-pairs"],
        "pairs": {"S": counts["pairs-S"], "D": counts["pairs-D"]},
        "near_dedup": {
            "threshold": opts.threshold,
            "num_perm": opts.num_perm,
            "bands": bands,
            "rows": rows,
            "shingle_tokens": opts.shingle,
            "candidate_pairs": dd["candidate_pairs"],
            "verified_pairs": dd["verified_pairs"],
        },
        "shards": sorted(p.name for p in out.glob("*-*.jsonl")),
    }


def build(
    opts: BuildOptions,
    out: Path,
    engine: Engine,
    *,
    resume: bool = False,
    keep_work: bool = False,
    note: Callable[[str], None] = lambda _m: None,
) -> BuildReport:
    """Run every stage (skipping those a resumed run has done) and write stats.json."""
    if not opts.sources:
        raise UsageError("name at least one SOURCE")
    if not 0 < opts.threshold <= 1:
        raise UsageError(f"the near-dedup threshold must be in (0, 1], got {opts.threshold}")
    for spec in opts.sources:
        readers.parse_source(spec)  # a missing source fails before anything is written
    if any(s.endswith(".parquet") for s in opts.sources) and not readers.parquet_available():
        raise UsageError("reading Parquet needs pyarrow", hint="pip install 'codexcli[parquet]'")
    eval_paths = [Path(p) for p in opts.eval_sets]
    for p in eval_paths:
        decontam.jsonl_texts(p)  # a broken evaluation set fails before the corpus is read
    if resume and (out / "stats.json").exists() and not (out / ".work").exists():
        return BuildReport(_read_json(out / "stats.json"), _read_json(out / "run.json"))
    started = time.perf_counter()
    work = prepare_out(out, opts, resume)
    skipped: Counter[str] = Counter()
    _scan(work, engine, opts, skipped, note)
    parts = _shuffle(work, opts)
    dd = _dedup(work, engine, opts, parts, note)
    _finish(work, out, engine, opts, set(dd["exact"]) | set(dd["near"]), note)
    stats = _stats(work, out, opts, skipped, dd)
    seconds = time.perf_counter() - started
    run = {
        "engine": engine.name,
        "workers": engine.workers,
        "seconds": round(seconds, 3),
        "files_per_second": round(stats["files_seen"] / seconds, 1) if seconds else None,
        "resumed": resume,
    }
    _write_atomic(out / "stats.json", json.dumps(stats, indent=1, sort_keys=True) + "\n")
    _write_atomic(out / "run.json", json.dumps(run, indent=1, sort_keys=True) + "\n")
    if not keep_work:
        shutil.rmtree(work)
    return BuildReport(stats, run)
