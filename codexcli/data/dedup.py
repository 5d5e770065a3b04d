"""Exact and near deduplication that never needs the whole corpus in one process.

The scan stage writes one line per (key, document) to disk: ``x:<content hash>`` for exact
dedup and ``b<i>:<band hash>`` for each MinHash band. Lines are spread over partition files by
the hash of their key, so every group of equal keys lands in one partition, and one task
reads one partition (a fixed fraction of the corpus's lines, whatever its size). A partition
gives exact duplicates (same content hash: the first document in corpus order stays) and near
candidates (same band). Candidates are then verified with exact Jaccard on their shingles, so
no pair under the threshold is ever dropped; connected components of verified pairs keep
their first document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from codexcli.data import minhash

_ALL_PAIRS_UP_TO = 32  # larger buckets pair each member with its neighbours and the first


def partition_of(key: str, partitions: int) -> int:
    """The partition file a line goes to (stable across processes: no Python ``hash``)."""
    return int(hashlib.blake2b(key.encode(), digest_size=4).hexdigest(), 16) % partitions


@dataclass(frozen=True)
class PartitionResult:
    """What one partition says: exact duplicates (kept, dropped) and near candidates (a < b)."""

    exact: tuple[tuple[int, int], ...]
    candidates: tuple[tuple[int, int], ...]


def partition_task(_shared: object, lines: list[str]) -> PartitionResult:
    """Group one partition's ``key<TAB>doc`` lines by key."""
    groups: dict[str, list[int]] = {}
    for line in lines:
        key, _, doc = line.partition("\t")
        groups.setdefault(key, []).append(int(doc))
    exact: set[tuple[int, int]] = set()
    candidates: set[tuple[int, int]] = set()
    for key, docs in groups.items():
        docs = sorted(set(docs))
        if len(docs) < 2:
            continue
        if key.startswith("x:"):
            exact.update((docs[0], d) for d in docs[1:])
        elif len(docs) <= _ALL_PAIRS_UP_TO:
            candidates.update(combinations(docs, 2))
        else:
            # A huge bucket (boilerplate shared by thousands of files) would give quadratic pairs;
            # star + chain keeps it linear and still links every member it can to the first.
            candidates.update((docs[0], d) for d in docs[1:])
            candidates.update(zip(docs, docs[1:]))
    return PartitionResult(tuple(sorted(exact)), tuple(sorted(candidates)))


@dataclass(frozen=True)
class VerifyTask:
    """Candidate pairs with the texts they need (each text once)."""

    pairs: tuple[tuple[int, int], ...]
    texts: dict[int, str]


def verify_task(shared: tuple[float, int], task: VerifyTask) -> list[tuple[int, int]]:
    """The candidate pairs whose exact shingle Jaccard reaches the threshold."""
    threshold, k = shared
    sets: dict[int, np.ndarray] = {}

    def shingles(doc: int) -> np.ndarray:
        if doc not in sets:
            sets[doc] = minhash.shingles(task.texts[doc], k)
        return sets[doc]

    return [(a, b) for a, b in task.pairs if minhash.jaccard(shingles(a), shingles(b)) >= threshold]


def drops_from_edges(edges: list[tuple[int, int]]) -> set[int]:
    """Documents to drop: in each connected component of duplicate pairs all but the first
    (smallest key, i.e. first in corpus order)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x for x in parent if find(x) != x}
