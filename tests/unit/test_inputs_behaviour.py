"""Input cases and sandboxed behaviour comparison."""

from __future__ import annotations

from codexcli.verify.cases.cases import collect_cases
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import Behaviour, compare, observe, values_equal
from tests.conftest import dedent


def first_difference(expected: Behaviour, actual: Behaviour) -> str | None:
    """compare()'s message for the first difference, None when there is none."""
    diff = compare(expected, actual)
    return None if diff is None else diff.message


SOURCE = dedent('''
    def clamp(x: int, lo: int = 0) -> int:
        """Clamp below at lo.

        >>> clamp(-3)
        0
        """
        return max(x, lo)

    def untyped(s):
        """>>> untyped("ab")
        'ba'
        """
        return s[::-1]
''')


def test_cases_from_doctest_then_type_hints():
    cases = collect_cases(SOURCE, "clamp", limit=6)
    assert cases[0] == InputCase("(-3, )", "{}", "doctest")
    assert len(cases) == 6 and all(c.values() is not None for c in cases)
    assert {c.origin for c in cases[1:]} == {"generated"}


def test_types_inferred_from_examples_when_unannotated():
    cases = collect_cases(SOURCE, "untyped", limit=4)
    assert cases[0].origin == "doctest"
    assert all(isinstance(c.values()[0][0], str) for c in cases)


def test_bare_list_annotation_takes_the_element_type_from_the_examples():
    source = 'def below(l: list, t: int):\n    """\n    >>> below([1, 20, 4], 5)\n    False\n    """\n    return all(x < t for x in l)\n'
    cases = collect_cases(source, "below", limit=8)
    assert len(cases) == 8  # without the examples' help a bare `list` gives no values at all
    for case in cases:
        items, t = case.values()[0]
        assert isinstance(items, list) and all(type(x) is int for x in items) and type(t) is int


def test_test_sources_contribute_literal_calls():
    cases = collect_cases(SOURCE, "clamp", test_sources=["def test_x():\n    assert clamp(5, lo=9) == 9\n"], limit=3)
    assert cases[1] == InputCase("(5, )", "{'lo': 9}", "test")


def test_same_behaviour_and_each_kind_of_difference():
    cases = collect_cases(SOURCE, "clamp", limit=5)
    original = observe(SOURCE, "clamp", cases)
    assert original.ok and original.observations[0].value == 0
    assert (
        first_difference(original, observe(SOURCE.replace("max(x, lo)", "lo if x < lo else x"), "clamp", cases)) is None
    )
    wrong = first_difference(original, observe(SOURCE.replace("max(x, lo)", "min(x, lo)"), "clamp", cases))
    assert wrong and wrong.startswith("on (-3)")
    raises = first_difference(
        original, observe(SOURCE.replace("return max(x, lo)", "raise ValueError"), "clamp", cases)
    )
    assert "raised ValueError" in raises
    hangs = observe(SOURCE.replace("return max(x, lo)", "while True: pass"), "clamp", cases[:1], per_case_timeout_s=0.3)
    assert "timed out" in first_difference(original, hangs)


def test_argument_mutation_is_a_difference():
    source = "def f(xs: list[int]) -> int:\n    return sum(xs)\n"
    mutating = "def f(xs: list[int]) -> int:\n    xs.append(0)\n    return sum(xs)\n"
    cases = collect_cases(source, "f", limit=4)
    assert "mutated" in first_difference(observe(source, "f", cases), observe(mutating, "f", cases))


def test_import_failure_is_reported():
    behaviour = observe("raise RuntimeError('boom')\n", "f", [InputCase("()")])
    assert not behaviour.ok and "RuntimeError: boom" in behaviour.error


def test_values_equal_float_tolerance_and_types():
    assert values_equal(0.1 + 0.2, 0.3)
    assert not values_equal(1, True)
    assert values_equal({"__tuple__": [1, 2.0]}, {"__tuple__": [1, 2.0000000000001]})


def test_a_case_whose_arguments_raise_reports_no_arguments_whatever_ran_before():
    # A doctest call naming a doctest-only variable raises NameError before the call; its
    # "arguments after" must not be the previous case's, which depend on the order of cases
    # (optimize runs a candidate on the kept cases, in another order than the baseline).
    source = "def head(xs):\n    return xs[:1]\n"
    first, second, bad = InputCase("([1, 2],)"), InputCase("(['a'],)"), InputCase("(undefined_name,)")
    one = observe(source, "head", [first, bad])
    other = observe(source, "head", [second, bad])
    assert one.observations[1].raised == other.observations[1].raised == "NameError"
    assert one.observations[1].args_after == other.observations[1].args_after == [[], {"__dict__": []}]
