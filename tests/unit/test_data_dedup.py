"""MinHash/LSH near dedup and exact dedup: deterministic, verified, first file kept."""

from __future__ import annotations

import random

from codexcli.data import dedup, minhash
from codexcli.data.stages import normalized_hash

BASE = "".join(
    f"def function_{i}(alpha, beta):\n    total = alpha * {i} + beta\n    if total > {i * 3}:\n"
    f"        return total - beta\n    return [alpha, beta, total, {i}]\n\n"
    for i in range(12)
)


def test_signature_is_deterministic_and_tracks_jaccard():
    a, b = minhash.shingles(BASE), minhash.shingles(BASE.replace("function_3", "renamed_3"))
    sa, sb = minhash.signature(a), minhash.signature(b)
    assert (sa == minhash.signature(a.copy())).all()
    assert sa.dtype.name == "uint32" and len(sa) == minhash.NUM_PERM
    estimate = float((sa == sb).mean())
    assert abs(estimate - minhash.jaccard(a, b)) < 0.12
    unrelated = minhash.signature(minhash.shingles("import os\nprint(os.getcwd())\n" * 3))
    assert float((sa == unrelated).mean()) < 0.1


def test_reformatting_keeps_all_shingles():
    reformatted = BASE.replace("    ", "  ").replace(" * ", "*").replace("\n\n", "\n\n\n")
    assert (minhash.shingles(reformatted) == minhash.shingles(BASE)).all()


def test_choose_bands_catches_pairs_at_the_threshold():
    bands, rows = minhash.choose_bands(0.85)
    assert (bands, rows) == (16, 8)
    assert 1 - (1 - 0.85**rows) ** bands >= 0.99
    low_bands, low_rows = minhash.choose_bands(0.5)
    assert low_rows < rows


def test_exact_hash_ignores_line_endings_and_trailing_space():
    assert normalized_hash("x = 1  \r\ny = 2\r\n") == normalized_hash("\nx = 1\ny = 2")
    assert normalized_hash("x = 1\n") != normalized_hash("x = 2\n")


def test_partition_groups_exact_and_band_keys():
    lines = ["x:aaa\t7", "x:aaa\t3", "x:bbb\t4", "b0:k\t3", "b0:k\t9", "b1:k\t9", "b1:k\t3", "b2:z\t5"]
    res = dedup.partition_task(None, lines)
    assert res.exact == ((3, 7),)
    assert res.candidates == ((3, 9),)


def test_huge_buckets_stay_linear():
    lines = [f"b0:same\t{i}" for i in range(1000)]
    res = dedup.partition_task(None, lines)
    assert len(res.candidates) < 2000
    assert (0, 999) in res.candidates and (998, 999) in res.candidates


def test_partition_of_is_stable():
    assert dedup.partition_of("b3:abc", 7) == dedup.partition_of("b3:abc", 7)
    assert {dedup.partition_of(f"x:{i}", 4) for i in range(100)} == {0, 1, 2, 3}


def test_verify_keeps_only_pairs_at_or_over_the_threshold():
    near = BASE.replace("function_3", "renamed_3")
    other = "".join(f"print({i})\n" for i in range(50))
    task = dedup.VerifyTask(((1, 2), (1, 3)), {1: BASE, 2: near, 3: other})
    assert dedup.verify_task((0.85, 5), task) == [(1, 2)]
    assert dedup.verify_task((1.0, 5), task) == []


def test_components_keep_their_first_document():
    assert dedup.drops_from_edges([(5, 9), (2, 9), (9, 11), (20, 30)]) == {5, 9, 11, 30}
    assert dedup.drops_from_edges([]) == set()


def test_planted_near_duplicates_become_candidates():
    rng = random.Random(3)
    bands, rows = minhash.choose_bands(0.85)
    docs = {0: BASE, 1: BASE.replace("beta", "gamma", 1), 2: "\n".join(reversed(BASE.split("\n\n")))}
    docs[3] = "".join(f"value_{rng.randint(0, 10**6)} = {i}\n" for i in range(200))
    lines = []
    for key, text in docs.items():
        sig = minhash.signature(minhash.shingles(text))
        lines += [f"{band}\t{key}" for band in minhash.band_keys(sig, bands, rows)]
    res = dedup.partition_task(None, lines)
    assert (0, 1) in res.candidates and (0, 2) in res.candidates
    assert all(3 not in pair for pair in res.candidates)
