"""Near-dedup quality against brute-force Jaccard, measured in one run.

A synthetic corpus: real modules from the standard library as bases, and planted variants of
some of them: renamed identifiers, reformatting (indentation, spacing, blank lines) and
reordered top-level definitions. The pipeline's own code (shingles, MinHash, LSH bands over
hashed partitions, exact-Jaccard verification) finds duplicate pairs; brute force computes the
exact Jaccard of every pair. Recall = found true pairs / true pairs (J >= threshold); precision
= true found pairs / found pairs. Shown for the LSH candidates alone and after verification.

    python benchmarks/bench_dedup_quality.py [--bases 300] [--threshold 0.85]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import sysconfig
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codexcli.data import dedup, minhash  # noqa: E402


def rename(text: str, rng: random.Random) -> str:
    """Rename one identifier defined in the file everywhere it occurs."""
    names = sorted(set(re.findall(r"^\s*def (\w+)", text, re.MULTILINE)))
    if not names:
        return text + "\n# renamed\n"
    old = rng.choice(names)
    return re.sub(rf"\b{re.escape(old)}\b", old + "_renamed", text)


def reformat(text: str, rng: random.Random) -> str:
    """Same tokens, other layout: 2-space indents, no spaces around '=', doubled blank lines."""
    text = text.replace("    ", "  ").replace(" = ", "=").replace("\n\n", "\n\n\n")
    return text


def reorder(text: str, rng: random.Random) -> str:
    """Top-level blocks (split at unindented def/class) in another order."""
    blocks = re.split(r"\n(?=(?:def|class) )", text)
    head, rest = blocks[0], blocks[1:]
    rng.shuffle(rest)
    return "\n".join([head, *rest])


def corpus(bases: int, seed: int) -> tuple[list[str], list[str]]:
    lib = Path(sysconfig.get_paths()["stdlib"])
    files = [
        p
        for p in sorted(lib.rglob("*.py"))
        if 3_000 <= p.stat().st_size <= 60_000 and not {"site-packages", "test", "tests"} & set(p.parts)
    ][:bases]
    rng = random.Random(seed)
    texts, labels = [], []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        texts.append(text)
        labels.append(str(path.relative_to(lib)))
        for name, variant in (("rename", rename), ("reformat", reformat), ("reorder", reorder)):
            if rng.random() < 0.4:
                texts.append(variant(text, rng))
                labels.append(f"{labels[-1].partition('+')[0]}+{name}")
        if rng.random() < 0.4:
            # All three at once, with 1-8 renames: similarities spread around the threshold.
            mixed = reformat(reorder(text, rng), rng)
            for _ in range(rng.randint(1, 8)):
                mixed = rename(mixed, rng)
            texts.append(mixed)
            labels.append(f"{labels[-1].partition('+')[0]}+mixed")
    return texts, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bases", type=int, default=300)
    parser.add_argument("--threshold", type=float, default=0.85)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--partitions", type=int, default=8)
    args = parser.parse_args()
    texts, labels = corpus(args.bases, args.seed)
    sets = [minhash.shingles(t) for t in texts]
    bands, rows = minhash.choose_bands(args.threshold)
    started = time.perf_counter()
    parts: list[list[str]] = [[] for _ in range(args.partitions)]
    for key, s in enumerate(sets):
        for band in minhash.band_keys(minhash.signature(s), bands, rows):
            parts[dedup.partition_of(band, args.partitions)].append(f"{band}\t{key}")
    candidates = sorted({p for part in parts for p in dedup.partition_task(None, part).candidates})
    task = dedup.VerifyTask(tuple(candidates), dict(enumerate(texts)))
    found = set(dedup.verify_task((args.threshold, minhash.SHINGLE), task))
    lsh_seconds = time.perf_counter() - started
    started = time.perf_counter()
    truth = {
        (a, b) for a, b in combinations(range(len(sets)), 2) if minhash.jaccard(sets[a], sets[b]) >= args.threshold
    }
    brute_seconds = time.perf_counter() - started
    planted = sum("+" in label for label in labels)
    print(f"corpus: {len(texts)} files ({len(texts) - planted} stdlib modules, {planted} planted variants)")
    print(f"threshold {args.threshold}: {bands} bands x {rows} rows of {minhash.NUM_PERM} permutations")
    print(f"brute force: {len(truth)} pairs with Jaccard >= {args.threshold} ({brute_seconds:.1f} s)")
    for name, pairs in (("LSH candidates", set(candidates)), ("after verification", found)):
        hit = len(pairs & truth)
        recall = hit / len(truth) if truth else 1.0
        precision = hit / len(pairs) if pairs else 1.0
        print(f"{name:>18}: {len(pairs):6d} pairs  recall {recall:7.2%}  precision {precision:7.2%}")
    missed = sorted(truth - found)
    for a, b in missed[:5]:
        print(f"  missed: {labels[a]} ~ {labels[b]} J={minhash.jaccard(sets[a], sets[b]):.3f}")
    near = sorted(minhash.jaccard(sets[a], sets[b]) for a, b in truth)
    if near:
        print(f"  true pairs' Jaccard: min {near[0]:.3f}, {sum(j < 0.9 for j in near)} of them under 0.90")
    by_kind: dict[str, list[int]] = {}
    for a, b in truth:
        kind = labels[b].partition("+")[2] or "natural"
        by_kind.setdefault(kind, [0, 0])[0] += 1
        by_kind[kind][1] += (a, b) in found
    for kind, (n, hit) in sorted(by_kind.items()):
        print(f"  {kind:>9}: {hit}/{n} true pairs found")
    print(f"LSH + verification: {lsh_seconds:.1f} s")


if __name__ == "__main__":
    main()
