"""MinHash signatures and LSH bands over code tokens, and the exact Jaccard they approximate.

A document is the set of its k-token shingles (tokens: identifiers, numbers and single
punctuation characters, so reformatting changes nothing). Hashes come from crc32 and fixed
permutation parameters derived from sha256, never from Python's randomized ``hash``: the same
file gets the same signature in every process, engine and machine, which is what makes the
local and Ray outputs byte-identical.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import lru_cache

import numpy as np

TOKEN = re.compile(r"\w+|[^\w\s]")
SHINGLE = 5  # tokens per shingle
NUM_PERM = 128
_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd: combining token hashes into a shingle hash
_SHIFT = np.uint64(32)
_CHUNK = 4096  # shingles hashed at a time, so a 1 MB file never needs a huge matrix


def tokens(text: str) -> list[str]:
    """Code tokens: words and single non-space characters."""
    return TOKEN.findall(text)


def shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """The set of k-token shingles, each as a 64-bit hash: a sorted array of unique values (one
    value for the whole token list when it is shorter than k). Token hashes are combined by a
    wrapping polynomial in numpy, so no shingle string is ever built."""
    toks = tokens(text)
    if not toks:
        return np.zeros(0, dtype=np.uint64)
    return np.unique(rolling(hash_tokens(toks), k))


_TOKEN_HASHES: dict[str, int] = {}
_TOKEN_CACHE_MAX = 200_000  # about 20 MB of short strings


def hash_tokens(toks: list[str]) -> np.ndarray:
    """crc32 of each token (memoized per process: a corpus reuses a small vocabulary)."""
    if len(_TOKEN_HASHES) > _TOKEN_CACHE_MAX:
        _TOKEN_HASHES.clear()  # bounded: a corpus with an ever-growing vocabulary must not grow memory
    cache = _TOKEN_HASHES
    for t in set(toks).difference(cache):
        cache[t] = zlib.crc32(t.encode("utf-8", "surrogatepass"))
    return np.fromiter(map(cache.__getitem__, toks), dtype=np.uint64, count=len(toks))


def rolling(h: np.ndarray, k: int) -> np.ndarray:
    """The hash of every run of k consecutive token hashes (one for all when fewer than k)."""
    width = max(1, len(h) - k + 1)
    acc = np.zeros(width, dtype=np.uint64)
    for j in range(min(k, len(h))):
        acc *= _BASE  # uint64 arithmetic wraps: a hash, by design
        acc += h[j : j + width]
    return acc


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two shingle sets (1.0 for two empty sets)."""
    if not len(a) and not len(b):
        return 1.0
    both = len(np.intersect1d(a, b, assume_unique=True))
    return both / (len(a) + len(b) - both)


@lru_cache(maxsize=4)
def _params(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    # Multiply-add-shift hashing: (a*x + b) mod 2**64, top 32 bits; a odd. Fixed by sha256.
    raw = [hashlib.sha256(f"codex-minhash-{i}".encode()).digest() for i in range(num_perm)]
    a = np.array([int.from_bytes(r[:8], "little") | 1 for r in raw], dtype=np.uint64)
    b = np.array([int.from_bytes(r[8:16], "little") for r in raw], dtype=np.uint64)
    return a, b


def signature(shingle_set: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash signature (uint32 per permutation) of a shingle set."""
    a, b = _params(num_perm)
    sig = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint64)
    for start in range(0, len(shingle_set), _CHUNK):
        x = shingle_set[start : start + _CHUNK]
        h = x[:, None] * a[None, :]  # in place from here: one temporary per chunk, not three
        h += b[None, :]
        h >>= _SHIFT
        np.minimum(sig, h.min(axis=0), out=sig)
    return sig.astype(np.uint32)


def choose_bands(threshold: float, num_perm: int = NUM_PERM, target: float = 0.99) -> tuple[int, int]:
    """(bands, rows): the most rows per band (fewest false candidates) for which a pair at the
    threshold still becomes a candidate with probability >= target. Candidates are verified
    with exact Jaccard afterwards, so false candidates cost time, never precision."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= target:
            best = (bands, rows)
    return best


def band_keys(sig: np.ndarray, bands: int, rows: int) -> list[str]:
    """One key per band: ``b<i>:<hash of that band's rows>``; equal keys make a candidate pair."""
    out = []
    for i in range(bands):
        chunk = sig[i * rows : (i + 1) * rows].tobytes()
        out.append(f"b{i}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return out
