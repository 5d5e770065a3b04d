"""tasks/testgen/tidy.py: kept tests named from what they do, repeated cases parametrized, at
most a few cases per equivalence class (issue 31)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codexcli.tasks.testgen.tidy import PER_CLASS, case_name, cases_of, tidy

MODULE = "def clamp(value, low, high):\n    if not isinstance(value, int):\n        raise TypeError(value)\n    return max(low, min(value, high))\n"


def simple(name: str, body: str) -> tuple[str, str]:
    return name, f"def {name}():\n{body}"


def test_a_misleading_name_gives_way_to_what_the_test_does() -> None:
    """The issue's `test_days_before_year_non_integer` called it with an integer."""
    (t,) = tidy([simple("test_clamp_non_integer", "    assert clamp(15, 0, 10) == 10\n")], "clamp", ["v", "lo", "hi"])
    assert t.name == "test_clamp_15_0_10_returns_10" and t.sources == ("test_clamp_non_integer",)
    assert t.code == "def test_clamp_15_0_10_returns_10():\n    assert clamp(15, 0, 10) == 10\n"


def test_names_spell_values_and_exceptions() -> None:
    (case,) = cases_of("def t():\n    with pytest.raises(TypeError):\n        f(-1.5, '', None, [])\n", "f") or []
    assert case_name("f", case) == "test_f_minus_1_5_empty_string_none_empty_list_raises_typeerror"


def test_repeated_raises_become_one_parametrized_test_with_a_few_cases_per_class() -> None:
    """One test repeated pytest.raises for 12 consecutive values."""
    body = "".join(f"    with pytest.raises(TypeError):\n        clamp('{c}', 0, 10)\n" for c in "abcdefghijkl")
    (t,) = tidy([("test_clamp_bad", f"def test_clamp_bad():\n{body}")], "clamp", ["value", "low", "high"])
    assert t.name == "test_clamp_raises_typeerror" and t.needs_pytest
    assert t.code.startswith(
        "@pytest.mark.parametrize(('value', 'low', 'high'), [('a', 0, 10), ('b', 0, 10), ('c', 0, 10)])"
    )
    assert "('d', 0, 10)" not in t.code and PER_CLASS == 3


def test_consecutive_cases_parametrized_and_other_tests_kept_in_order() -> None:
    tests = [
        simple("test_high", "    assert clamp(15, 0, 10) == 10\n"),
        simple("test_low", "    assert clamp(-5, 0, 10) == 0\n"),
        simple("test_var", "    x = clamp(1, 2, 3)\n    assert x == 2\n"),
        simple("test_mid", "    assert clamp(5, 0, 10) == 5\n"),
    ]
    out = tidy(tests, "clamp", ["value", "low", "high"])
    assert [t.name for t in out] == [
        "test_clamp_returns_expected_values",
        "test_var",  # not only simple checks, and no simple check to name it from: as written
        "test_clamp_5_0_10_returns_5",
    ]
    assert out[0].sources == ("test_high", "test_low")
    assert "[(15, 0, 10, 10), (-5, 0, 10, 0)]" in out[0].code


def test_tidied_tests_pass_under_pytest(tmp_path: Path) -> None:
    (tmp_path / "clampmod.py").write_text(MODULE)
    body = "".join(f"    with pytest.raises(TypeError):\n        clamp('{c}', 0, 10)\n" for c in "abcd")
    tests = [
        simple("test_a", "    assert clamp(15, 0, 10) == 10\n"),
        simple("test_b", "    assert clamp(-5, 0, 10) == 0\n"),
        ("test_c", f"def test_c():\n{body}"),
    ]
    code = "\n\n".join(t.code for t in tidy(tests, "clamp", ["value", "low", "high"]))
    (tmp_path / "test_it.py").write_text(f"import pytest\n\nfrom clampmod import clamp\n\n\n{code}")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_it.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and "5 passed" in run.stdout, run.stdout
