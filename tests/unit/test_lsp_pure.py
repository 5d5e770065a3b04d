"""The language server's pure parts: which actions apply where, and the smallest edit."""

from __future__ import annotations

import random

from codexcli.lsp.actions import actions_at, outline, outline_at, undocumented
from codexcli.lsp.edits import apply, line_edit
from codexcli.lsp.settings import ServerOptions, merge, parse_options
from tests.conftest import dedent

SOURCE = dedent('''
    def stub(x):
        """Doc."""
        ...


    def plain(x):
        return x


    class Box:
        def _hidden(self):
            return 1
''')


def test_actions_follow_the_function_at_the_cursor():
    shape = outline(SOURCE)
    assert [a.task for a in actions_at(shape, 2)] == ["fill"]
    assert [a.task for a in actions_at(shape, 7, ("java",))] == ["comment", "testgen", "optimize", "translate"]
    assert [a.task for a in actions_at(shape, 12)] == ["comment", "optimize"]  # private: no tests
    assert actions_at(shape, 9) == []


def test_a_buffer_that_does_not_parse_has_no_actions_and_says_why():
    shape = outline("def f(:\n")
    assert shape.error is not None and "line 1" in shape.error
    assert actions_at(shape, 1, ("java",)) == []


def test_undocumented_public_functions_point_at_their_names():
    [only] = undocumented(outline(SOURCE), SOURCE)
    assert (only.qualname, only.line, only.start, only.end) == ("plain", 5, 4, 9)


def test_line_edit_round_trips_and_touches_only_changed_lines():
    rng = random.Random(7)
    pieces = ["x\n", "y\n", "z", "é\n", "\n", "😀\n"]
    for _ in range(2000):
        a = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        b = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        edit = line_edit(a, b)
        assert (apply(a, edit) if edit is not None else a) == b
    edit = line_edit("a\nb\nc\n", "a\nB\nc\n")
    assert edit is not None and (edit.start_line, edit.end_line, edit.text) == (1, 2, "B\n")


def test_options_take_camel_case_and_later_ones_win():
    first = parse_options({"baseUrl": "http://x/v1", "samples": 3, "translateTo": ["go"]})
    assert first.overrides == {"base_url": "http://x/v1"} and first.samples == 3 and first.translate_to == ("go",)
    later = parse_options({"codex": {"evidence": "form", "diagnostics": True}})
    both = merge(first, later)
    assert both.overrides == {"base_url": "http://x/v1", "evidence": "form"} and both.diagnostics
    assert both.samples == 3 and both.translate_to == ("go",)
    assert parse_options(None) == ServerOptions({})


def test_the_outline_of_one_definition_gives_the_actions_of_the_whole_buffer():
    source = "import os\n" + "".join(SOURCE.replace("stub", f"stub{i}").replace("plain", f"plain{i}") for i in range(5))
    source += 'TEXT = """\ndef not_code():\n    ...\n"""\n'  # a boundary inside a string: parsed whole
    whole = outline(source)
    for line in range(1, source.count("\n") + 1):
        assert actions_at(outline_at(source, line), line) == actions_at(whole, line), line
