"""Parameter types from what the body does with them and from the rest of the module (issue 28,
item 3): one test per rule of verify.cases.infer_types and verify.cases.module_facts."""

from __future__ import annotations

import ast
import textwrap

from codexcli.verify.cases.cases import collect_cases
from codexcli.verify.cases.infer_types import infer_params
from codexcli.verify.cases.module_facts import module_call_cases, module_facts

MODULE = textwrap.dedent(
    """
    _DAYS_IN_MONTH = [-1, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    _DAYS_BEFORE_MONTH = [-1, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    GREETING = "hello"

    def _is_leap(year):
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)

    def days_in_month(year, month):
        assert 1 <= month <= 12, month
        if month == 2 and _is_leap(year):
            return 29
        return _DAYS_IN_MONTH[month]

    def bisect_left(a, x, lo=0, hi=None):
        if hi is None:
            hi = len(a)
        while lo < hi:
            mid = (lo + hi) // 2
            if a[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def month_of(n):
        return bisect_left(_DAYS_BEFORE_MONTH, n)

    def february():
        return bisect_left(_DAYS_BEFORE_MONTH, 40)

    def ymd(year, month, day):
        return days_in_month(year, month) + day

    def echo(s):
        return s

    def shout():
        return echo(GREETING)

    def find(n, k):
        for i in range(n):
            if i == k:
                return i
        return -1

    def same(s, t):
        return s == t

    def area(shape):
        return shape.width * shape.height

    def lookup(table, key):
        return table.get(key, 0) + table["x"]
    """
)


def _fn(name: str) -> ast.FunctionDef:
    return next(n for n in ast.parse(MODULE).body if isinstance(n, ast.FunctionDef) and n.name == name)


def _hints(name: str, module: bool = True) -> list[str | None]:
    inferred = infer_params(_fn(name), [MODULE] if module else [])
    assert inferred is not None
    return [i.hint for i in inferred]


def _evidence(name: str) -> list[str]:
    inferred = infer_params(_fn(name), [MODULE])
    assert inferred is not None
    return [i.evidence for i in inferred]


def _evidence_alone(name: str) -> list[str]:
    inferred = infer_params(_fn(name))
    assert inferred is not None
    return [i.evidence for i in inferred]


def test_subscripted_and_len_is_a_sequence_its_index_an_int_and_compared_value_an_int():
    assert _hints("bisect_left", module=False) == ["list[int]", "int", "int", "optional[int]"]  # hi=None
    assert "len(a)" in _evidence("bisect_left")[0] and "a[...]" in _evidence("bisect_left")[0]


def test_a_value_compared_with_an_int_local_is_an_int():
    assert _hints("find", module=False) == ["int", "int"]
    assert _evidence("find")[1] == "k compared with int i"


def test_a_parameter_passed_to_a_module_function_has_that_functions_parameter_type():
    # Alone, year is only passed on (ints are only a guess); with the module, _is_leap says so.
    assert _evidence_alone("days_in_month")[0] == "no use an int could not have"
    assert _hints("days_in_month") == ["int", "int"]
    assert _evidence("days_in_month")[0].startswith("_is_leap(year)")
    assert _hints("ymd") == ["int", "int", "int"]  # two levels: ymd -> days_in_month -> _is_leap


def test_callers_in_the_module_say_what_is_passed():
    # echo's s is used in no telling way; shout() passes the str constant GREETING.
    assert _hints("echo") == ["str"] and "called as echo(...GREETING...) in shout" in _evidence("echo")[0]
    # _DAYS_BEFORE_MONTH is a list of ints, and month_of's n an int (bisect_left's x).
    assert _hints("month_of") == ["int"]


def test_a_parameter_used_in_no_telling_way_gets_ints_but_one_with_attributes_does_not():
    assert _hints("same", module=False) == ["int", "int"]
    assert _hints("area", module=False) == [None]


def test_a_key_looked_up_in_a_dict_parameter_has_the_key_type():
    assert _hints("lookup", module=False) == ["dict[str,int]", "str"]


def test_module_facts_and_module_calls_with_constants_written_out():
    facts = module_facts((MODULE,))
    assert facts.constants["GREETING"] == "hello" and len(facts.constants["_DAYS_IN_MONTH"]) == 13
    assert {"_is_leap", "bisect_left", "ymd"} <= set(facts.functions)
    cases = module_call_cases(MODULE, "bisect_left")
    assert [c.origin for c in cases] == ["module"]
    values = cases[0].values()
    assert values is not None and values[0][0] == [-1, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    assert module_call_cases(MODULE, "ymd") == []  # no call with literal arguments


def test_every_function_with_parameters_here_gets_cases_but_the_one_with_attributes():
    tree = ast.parse(MODULE)
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.args.args]
    without = [name for name in names if not collect_cases(MODULE, name, limit=6)]
    assert without == ["area"]
    cases = collect_cases(MODULE, "bisect_left", limit=6)
    assert cases[0].origin == "module"  # the real call first, then values of its types
