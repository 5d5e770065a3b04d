"""One qualname lookup for every check (it was two: verify/inputs.find_function and
verify/mutants.find_definition, which walked the same way and differed only on classes)."""

from __future__ import annotations

import ast

from codexcli.verify.static.lookup import find_definition, find_function

SOURCE = """
def top(x):
    def inner(y):
        return y
    return inner(x)

async def fetch():
    return 1

class Box:
    def get(self):
        return 1

    class Lid:
        def open(self):
            return True

def top(x):
    return x
"""


def test_names_and_dotted_names_resolve_part_by_part():
    tree = ast.parse(SOURCE)
    assert find_definition(tree, "Box.Lid.open").lineno == 15
    assert find_definition(tree, "top.inner").lineno == 3
    assert isinstance(find_definition(tree, "fetch"), ast.AsyncFunctionDef)
    assert find_definition(tree, "top").lineno == 2  # the first definition of a name
    for missing in ("nope", "Box.nope", "nope.get", "Box.get.nope", ""):
        assert find_definition(tree, missing) is None


def test_a_class_is_a_definition_but_not_a_function():
    # Where the two copies differed: mutants mutate a class's methods, the input cases need a function.
    tree = ast.parse(SOURCE)
    assert isinstance(find_definition(tree, "Box"), ast.ClassDef)
    assert find_function(tree, "Box") is None and find_function(tree, "Box.Lid") is None
    assert find_function(tree, "Box.get") is find_definition(tree, "Box.get")
