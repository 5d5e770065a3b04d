"""Parameter types inferred from uses in the body and from call sites, and the cases made from them."""

from __future__ import annotations

import ast
import textwrap

from codexcli.verify.cases.cases import inferred_cases, random_inferred_cases
from codexcli.verify.cases.infer_types import describe, infer_params

NAIVE = textwrap.dedent(
    """
    def count_words(text):
        counts = {}
        for w in text.split():
            counts[w] = counts.get(w, 0) + 1
        return counts

    def matrix_sum(rows):
        total = 0
        for row in rows:
            for v in row:
                total += v
        return total

    def is_prime(n):
        if n < 2:
            return False
        for i in range(2, n):
            if n % i == 0:
                return False
        return True

    def names_upper(names):
        return [n.upper() for n in names]

    def yiq_to_r(y, i, q):
        return y + 0.9468822170900693 * i + 0.6235565819861433 * q

    def counts(table, key):
        return table.get(key, 0) + 1

    def pad(s, width=8):
        return s

    def mystery(x):
        return x

    def apply(f, x):
        return f(x)

    def hinted(xs: list[str], n):
        return xs[:n]
    """
)


def _fn(name: str) -> ast.FunctionDef:
    return next(n for n in ast.parse(NAIVE).body if isinstance(n, ast.FunctionDef) and n.name == name)


def _hints(name: str, call_sites=()) -> list[str | None]:
    inferred = infer_params(_fn(name), call_sites)
    assert inferred is not None
    return [i.hint for i in inferred]


def test_types_from_uses_in_the_body():
    assert _hints("count_words") == ["str"]
    assert _hints("matrix_sum") == ["list[list[int]]"]
    assert _hints("is_prime") == ["int"]
    assert _hints("names_upper") == ["list[str]"]
    assert _hints("counts") == ["dict[str,int]", "str"]  # key: looked up in a dict[str,int]
    assert _hints("mystery") == ["int"]  # used in no way an int could not be


def test_arithmetic_only_parameters_follow_a_float_sibling():
    assert _hints("yiq_to_r") == ["float", "float", "float"]


def test_annotation_default_and_call_sites_come_first():
    assert _hints("hinted") == ["list[str]", "int"]
    assert _hints("pad") == ["int", "int"]
    assert _hints("mystery", ["from m import mystery\nassert mystery('a') == 'a'\n"]) == ["str"]
    inferred = infer_params(_fn("mystery"), ["mystery([1, 2])"])
    assert inferred is not None and inferred[0].evidence == "calls in the project and tests"


def test_evidence_is_reported():
    inferred = infer_params(_fn("is_prime"))
    assert inferred is not None
    assert describe(inferred) == "n: int (n compared with 2, range(n))"


def test_cases_from_inferred_types_are_literals_of_those_types():
    fn = _fn("names_upper")
    inferred = infer_params(fn)
    assert inferred is not None
    cases = inferred_cases(fn, inferred, 5)
    assert 1 < len(cases) <= 5 and all(c.origin == "inferred" for c in cases)
    for case in cases:
        values = case.values()
        assert values is not None
        (arg,) = values[0]
        assert isinstance(arg, list) and all(isinstance(x, str) for x in arg)
    random_cases = random_inferred_cases(fn, inferred, 5)
    assert random_cases and all(isinstance(c.values()[0][0], list) for c in random_cases)
    assert all("list[str]" not in c.args_src for c in random_cases)  # the annotation is no literal


def test_no_cases_when_a_type_is_unknown():
    fn = _fn("apply")
    inferred = infer_params(fn)
    assert inferred is not None
    assert inferred_cases(fn, inferred, 5) == [] and random_inferred_cases(fn, inferred, 5) == []


def test_collect_cases_falls_back_to_inferred_types():
    from codexcli.verify.cases.cases import collect_cases

    source = (
        "def total(rows):\n    s = 0\n    for row in rows:\n        for v in row:\n            s += v\n    return s\n"
    )
    cases = collect_cases(source, "total", limit=4, random_cases=3)
    origins = [c.origin for c in cases]
    assert origins[:4] == ["inferred"] * 4 and origins[4:] == ["random"] * (len(cases) - 4)
    assert 5 <= len(cases) <= 7  # random draws that repeat an earlier case are not added twice
    assert len({c.args_src for c in cases}) == len(cases)
    for case in cases:
        (rows,) = case.values()[0]
        assert all(isinstance(row, list) and all(type(v) is int for v in row) for row in rows)
    assert collect_cases("def g(x):\n    return x.real\n", "g", limit=4) == []


def test_elements_of_str_accumulators_and_str_literal_lists_are_strings():
    def hints(code: str) -> list[str | None]:
        fn = ast.parse(textwrap.dedent(code)).body[0]
        assert isinstance(fn, ast.FunctionDef)
        inferred = infer_params(fn)
        return [] if inferred is None else [i.hint for i in inferred]

    reverse = "def rev(s):\n    out = ''\n    for ch in s:\n        out = ch + out\n    return out\n"
    vowels = "def vowels(text):\n    n = 0\n    for ch in text:\n        if ch in ['a', 'e']:\n            n += 1\n    return n\n"
    numbers = "def small(xs):\n    n = 0\n    for x in xs:\n        if x in (1, 2):\n            n += 1\n    return n\n"
    assert hints(reverse) == ["list[str]"]
    assert hints(vowels) == ["list[str]"]
    assert hints(numbers) == ["list[int]"]


def test_a_parameter_compared_with_a_lists_elements_has_their_type():
    code = "def count(items, target):\n    n = 0\n    for x in items:\n        if x == target:\n            n += 1\n    return n\n"
    member = "def has(words, w):\n    for x in words:\n        if x.startswith('a'):\n            return w in words\n    return False\n"
    fn = ast.parse(code).body[0]
    assert isinstance(fn, ast.FunctionDef)
    inferred = infer_params(fn)
    assert inferred is not None and [i.hint for i in inferred] == ["list[int]", "int"]
    assert "elements of items" in inferred[1].evidence
    assert inferred_cases(fn, inferred, 8)  # cases now exist: every parameter has a type
    fn2 = ast.parse(member).body[0]
    assert isinstance(fn2, ast.FunctionDef)
    inferred2 = infer_params(fn2) or []
    assert [i.hint for i in inferred2] == ["list[str]", "str"] and inferred2[1].evidence == "w in words"


REGEX_AND_SUBSTRINGS = textwrap.dedent(
    """
    import re
    _PAT = re.compile("&[a-z]+;")

    def unescape(s):
        if '&' not in s:
            return s
        return _PAT.sub(lambda m: "?", s)

    def quoted(s):
        return '"' + _PAT.sub(lambda m: "?", s) + '"'

    def matches(pattern, text):
        return re.match(pattern, text) is not None

    def has_tag(s):
        return "<b>" in s

    def has(xs, v):
        return v in xs
    """
)


def test_regex_subjects_and_substring_tests_are_strs():
    fns = {n.name: n for n in ast.parse(REGEX_AND_SUBSTRINGS).body if isinstance(n, ast.FunctionDef)}

    def hints(name: str) -> list[str | None]:
        inferred = infer_params(fns[name], [REGEX_AND_SUBSTRINGS])
        assert inferred is not None
        return [i.hint for i in inferred]

    assert hints("unescape") == ["str"]  # was list[int]: '&' in s alone voted for a sequence
    assert hints("quoted") == ["str"]
    assert hints("matches") == ["str", "str"]
    assert hints("has_tag") == ["str"]
    assert hints("has") == ["list[int]", "int"]  # an item of no known kind: still a list
