"""The per-batch work of `codex data build`, as pure functions an engine runs anywhere.

``scan_task`` applies the file filters and computes each survivor's content hash and MinHash
bands; ``finish_task`` decontaminates the deduplicated files and extracts their function
pairs. Neither reads or writes a file: the driver does all I/O, so a task gives the same
result in this process, a local worker, or a Ray worker on another machine.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from codexcli import languages
from codexcli.data import minhash
from codexcli.data.decontam import DecontamIndex, contaminated_by
from codexcli.data.filters import FilterConfig, first_failure
from codexcli.data.pairs import extract_pairs


@dataclass(frozen=True)
class ScanConfig:
    """What every scan task needs (shipped to each worker once)."""

    filters: FilterConfig
    bands: int
    rows: int
    num_perm: int = minhash.NUM_PERM
    shingle: int = minhash.SHINGLE
    default_language: str = "python"


@dataclass(frozen=True)
class ScanTask:
    """One batch of files: (key, path, license, data); keys are corpus-order positions."""

    batch: int
    files: tuple[tuple[int, str, str | None, bytes], ...]


@dataclass
class ScanResult:
    """A batch after filtering: kept records (JSON lines), dedup key lines, counts."""

    batch: int
    records: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def normalized_hash(text: str) -> str:
    """The exact-dedup hash: line endings, trailing spaces and surrounding blank lines ignored."""
    norm = "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


def language_of(path: str, default: str) -> str:
    """The language registry's name for a path (``default`` for records without a suffix)."""
    found = languages.by_suffix(PurePosixPath(path.rpartition(":")[2] or path).suffix)
    return found.name if found else default


def scan_task(cfg: ScanConfig, task: ScanTask) -> ScanResult:
    """Filter one batch; for each survivor a record line and its dedup key lines."""
    out = ScanResult(task.batch)
    for key, path, license, data in task.files:
        reason, text = first_failure(data, path, cfg.filters)
        if reason is not None or text is None:
            out.counts[reason or "not-utf8"] += 1
            continue
        out.counts["passed-filters"] += 1
        digest = normalized_hash(text)
        record = {"key": key, "path": path, "license": license, "language": language_of(path, cfg.default_language)}
        record.update(sha=digest, text=text)
        out.records.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
        out.keys.append(f"x:{digest}\t{key}")
        sig = minhash.signature(minhash.shingles(text, cfg.shingle), cfg.num_perm)
        out.keys.extend(f"{band}\t{key}" for band in minhash.band_keys(sig, cfg.bands, cfg.rows))
    return out


@dataclass(frozen=True)
class FinishConfig:
    """The decontamination index, shipped to each worker once."""

    index: DecontamIndex


@dataclass
class FinishResult:
    """A batch's output lines (files and pairs) and counts."""

    batch: int
    files: list[str] = field(default_factory=list)
    pairs: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def finish_task(cfg: FinishConfig, task: tuple[int, list[str]]) -> FinishResult:
    """Decontaminate a batch's deduplicated records and extract Python function pairs."""
    batch, lines = task
    out = FinishResult(batch)
    for line in lines:
        record = json.loads(line)
        hit = contaminated_by(record["text"], cfg.index)
        if hit is not None:
            out.counts["contaminated"] += 1
            out.counts[f"contaminated:{hit}"] += 1
            continue
        out.counts["kept"] += 1
        out.counts[f"kept:{record['language']}"] += 1
        pairs = (
            extract_pairs(record["text"], record["path"], record["license"]) if record["language"] == "python" else []
        )
        if not pairs:
            out.counts["files-without-pairs"] += 1
        for pair in pairs:
            out.counts[f"pairs-{pair.kind}"] += 1
            out.pairs.append(pair.to_json())
        record.pop("key")
        out.files.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
    return out
