"""The unbiased pass@k estimator of the Codex paper (Chen et al. 2021, section 2.1).

With n samples of which c pass, pass@k = 1 - C(n-c, k) / C(n, k): the chance that at least one
of k samples drawn without replacement from the n passes. The binomials overflow floats for
large n, so it is computed as the product 1 - prod_{i=n-c+1}^{n} (1 - k / i), which only ever
multiplies numbers in [0, 1].
"""

from __future__ import annotations

from typing import Iterable


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimate of pass@k for one problem with ``n`` samples, ``c`` of them correct."""
    if n < 1 or k < 1:
        raise ValueError(f"pass@k needs n >= 1 and k >= 1 (got n={n}, k={k})")
    if not 0 <= c <= n:
        raise ValueError(f"c must be between 0 and n (got n={n}, c={c})")
    if k > n:
        raise ValueError(f"pass@{k} needs at least {k} samples per problem (got {n})")
    if n - c < k:
        return 1.0  # every draw of k samples contains a correct one
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def mean_pass_at_k(counts: Iterable[tuple[int, int]], k: int) -> float:
    """pass@k averaged over problems, each given as (n, c)."""
    values = [pass_at_k(n, c, k) for n, c in counts]
    if not values:
        raise ValueError("no problems to average over")
    return sum(values) / len(values)
