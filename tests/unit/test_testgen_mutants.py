"""Mutants of the function under test: one small change each, inside that function only."""

from __future__ import annotations

import ast
import textwrap

from codexcli.tasks.testgen.mutants import mutants_for
from codexcli.verify.static.lookup import find_definition

SOURCE = textwrap.dedent('''\
    LIMIT = 10


    def clamp(value, low, high):
        """Doc string stays."""
        if value < low:
            return low
        if value > high and not value == LIMIT:
            return high + 0
        return value


    def other(x):
        return x < 5


    class Box:
        def get(self, key):
            return key in ("a", "b")
''')


def _functions(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            out[node.name] = ast.unparse(node)
    return out


def test_mutants_change_only_the_function_under_test():
    original = _functions(SOURCE)
    mutants = mutants_for(SOURCE, "clamp", limit=20)
    assert len(mutants) >= 6
    for mutant in mutants:
        changed = _functions(mutant.source)
        assert changed["other"] == original["other"] and changed["Box"] == original["Box"]
        assert changed["clamp"] != original["clamp"]
        assert "Doc string stays." in changed["clamp"]
        compile(mutant.source, "<m>", "exec")
    assert len({m.source for m in mutants}) == len(mutants)


def test_mutation_kinds():
    descriptions = [m.description for m in mutants_for(SOURCE, "clamp", limit=20)]
    assert descriptions[0] == "line 4: returns None at once"
    joined = " | ".join(descriptions)
    for expected in (
        "< became >=",
        "> became <=",
        "and became or",
        "`not` removed",
        "+ became -",
        "0 became 1",
        "== became !=",
    ):
        assert expected in joined, expected


def test_not_removal_unwraps_the_operand():
    mutant = next(m for m in mutants_for(SOURCE, "clamp", limit=20) if "not" in m.description)
    assert "value > high and value == LIMIT" in mutant.source


def test_limit_samples_and_keeps_return_early_first():
    mutants = mutants_for(SOURCE, "clamp", limit=3)
    assert len(mutants) == 3 and "returns None" in mutants[0].description
    assert mutants_for(SOURCE, "clamp", limit=0) == []


def test_methods_and_unknown_names():
    mutants = mutants_for(SOURCE, "Box.get", limit=10)
    descriptions = [m.description for m in mutants]
    assert "in became not in" in " ".join(descriptions)
    assert "'a' became ''" in " ".join(descriptions)
    assert mutants_for(SOURCE, "nope", limit=5) == []
    assert find_definition(ast.parse(SOURCE), "Box.nope") is None


def test_function_returning_none_at_once_has_no_return_early_mutant():
    assert mutants_for("def f():\n    return None\n", "f") == []
    assert mutants_for("def f():\n    pass\n", "f")[0].description == "line 1: returns None at once"


def test_augmented_assignment_is_mutated():
    source = "def bump(c):\n    c.value += 1\n    return c.value\n"
    descriptions = [m.description for m in mutants_for(source, "bump", limit=10)]
    assert "line 2: + became -" in descriptions and "line 2: 1 became 2" in descriptions
