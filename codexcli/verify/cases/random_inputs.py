"""Random input cases drawn with Hypothesis from a function's type hints.

The fixed pools of verify.cases.inputs cover edge values (0, "", []); these add variety (long lists,
negative numbers, unusual characters) so that a rewrite that is only right on tidy inputs is
caught. Draws are deterministic for a given seed (derandomized, no example database), and every
value is a Python literal, so cases stay plain source text the sandbox can evaluate. Hypothesis
is imported lazily; without it there are simply no random cases.

Hypothesis still keeps caches of its own (the Unicode tables behind ``st.text()``, constants
read from local modules) in ``.hypothesis/`` of the working folder, which is the user's project:
:func:`hypothesis_home` moves them beside codex's result cache.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Mapping

from codexcli.cache import cache_path
from codexcli.verify.cases.inputs import InputCase, code_literals, param_hints

_MAX_LIST = 20


def strategy_for(hint: str | None, literals: dict[str, list[Any]]) -> Any:
    """A Hypothesis strategy for a simplified type name (see inputs._hint_name), or None."""
    from hypothesis import strategies as st

    if hint is None:
        return None
    base: dict[str, Any] = {
        # Mostly small numbers, so that lists share values (duplicates, common items) often.
        "int": st.one_of(st.integers(-10, 10), st.integers(-10_000, 10_000)),
        "float": st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        "bool": st.booleans(),
        # Words and spaces half the time: text functions split, strip and count those.
        "str": st.one_of(st.text(alphabet="abc AB\n,.", max_size=30), st.text(max_size=30)),
        "bytes": st.binary(max_size=30),
        "None": st.none(),
    }
    if hint in base:
        found = [v for v in literals.get(hint, []) if type(v).__name__ == hint]
        return st.one_of(st.sampled_from(found), base[hint]) if found else base[hint]
    if hint.startswith("optional["):
        inner = strategy_for(hint[9:-1], literals)
        return None if inner is None else st.one_of(st.none(), inner)
    if hint.startswith(("list[", "tuple[")):
        inner = strategy_for(hint[hint.index("[") + 1 : -1], literals)
        if inner is None:
            return None
        lists = st.lists(inner, max_size=_MAX_LIST)
        return lists.map(tuple) if hint.startswith("tuple[") else lists
    if hint.startswith("dict["):
        key_hint, value_hint = hint[5:-1].split(",", 1)
        keys, values = strategy_for(key_hint, literals), strategy_for(value_hint, literals)
        if keys is None or values is None:
            return None
        return st.dictionaries(keys, values, max_size=10)
    return None


def hypothesis_home(env: Mapping[str, str] | None = None) -> Path:
    """Where Hypothesis keeps its files when codex uses it: beside the result cache (CODEXCLI_HOME,
    else the user cache folder), never the working folder."""
    return cache_path(env).parent / "hypothesis"


def hypothesis_cases(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, examples: list[InputCase], count: int, seed: int = 0
) -> list[InputCase]:
    """Up to ``count`` cases drawn from the parameters' type hints; [] when a parameter has no
    usable hint or Hypothesis is not installed."""
    try:
        from hypothesis import HealthCheck, given, settings
        from hypothesis import seed as hypothesis_seed
        from hypothesis import strategies as st
        from hypothesis.configuration import set_hypothesis_home_dir
    except ImportError:
        return []
    # Process-wide, set on every call (cheap): the cache folder follows the environment, and
    # the tests change it per test. Hypothesis writes there best-effort, never failing a draw.
    set_hypothesis_home_dir(hypothesis_home())
    hints = param_hints(fn, examples)
    if hints is None or count <= 0:
        return []
    literals = code_literals(fn)
    strategies = [strategy_for(h, literals) for h in hints]
    if any(s is None for s in strategies):
        return []
    drawn: list[tuple[Any, ...]] = []

    @hypothesis_seed(seed)
    @settings(
        max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    @given(st.tuples(*strategies))
    def collect(args: tuple[Any, ...]) -> None:
        drawn.append(args)

    collect()
    out: list[InputCase] = []
    for args in drawn:
        case = InputCase(repr(tuple(args)), "{}", "random")
        if case.values() is not None and case not in out:  # only literal-safe values travel
            out.append(case)
    return out[:count]
