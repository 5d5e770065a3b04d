"""comment: a docstring assembled from parts (tasks/comment/parts.py) when no whole answer passes:
the summary and each parameter asked for one at a time behind a growing prefill, each piece gated,
the whole through the same gates and splice check, reported as "assembled: ..."."""

from __future__ import annotations

import ast

import pytest

from codexcli.answers import ParseError
from codexcli.splice.docstring import find_targets
from codexcli.tasks.comment.docstyle import check_docstring, copies_example
from codexcli.tasks.comment.parts import PART_TRIES, assemble, part_error, repeats, salvage_summary
from tests.unit.test_comment_repair import SRC, same_code
from tests.unit.test_comment_repair import run as run_comment

ECHO = "def scale(r, g, b):"  # rejected: repeats the signature, and no usable summary line


def run(answers: list, **kw):
    return run_comment(answers, only=["scale"], **kw)


def test_rejected_answer_then_parts_assembled_and_written():
    answers = [ECHO, " Scale each channel of a colour by two.", " the red channel", " the green channel"]
    result, fake = run(answers + [" the blue channel", " the doubled colour"])
    (outcome,) = result.outcomes
    assert outcome.status == "documented"
    assert outcome.value == (
        "Scale each channel of a colour by two.\n\nArgs:\n    r: The red channel.\n    g: The green channel.\n"
        "    b: The blue channel.\n\nReturns:\n    The doubled colour."
    )
    assert outcome.reason.startswith("assembled: summary from its own request, one request per parameter (r, g, b)")
    prefills = [r.prefill for r in fake.requests]
    assert prefills[1] == '"""'
    assert prefills[2] == '"""Scale each channel of a colour by two.\n\nArgs:\n    r:'
    assert prefills[4].endswith("    g: The green channel.\n    b:")
    assert prefills[5].endswith("\n\nReturns:\n   ")
    assert fake.requests[1].stop == ("\n\n", '"""')  # a summary may begin after a newline
    assert all(r.stop == ("\n", '"""') for r in fake.requests[2:])
    # the pieces come from prompts/comment_parts.toml: no template with <...> to copy
    assert (
        "<what" not in fake.requests[1].messages[-1].content and "<what r is>" in fake.requests[0].messages[-1].content
    )
    assert fake.requests[1].messages[:-1] == fake.requests[0].messages[:-1]  # a shared prefix
    assert len(outcome.attempts) == 6 and result.model_calls == 6
    assert same_code(result.after, SRC) and ast.get_docstring(ast.parse(result.after).body[0]) == outcome.value


def test_summary_salvaged_from_the_rejected_answer_costs_no_request():
    missing = 'Scale each channel.\n\nArgs:\n    r: the red one\n"""'  # no text for g and b: rejected
    result, fake = run([missing, " green", " green one", " the blue one", " the doubled colour"])
    (outcome,) = result.outcomes
    assert outcome.status == "documented"
    assert outcome.reason.startswith(
        "assembled: summary from the rejected answer, r from the rejected answer, one request per parameter (g, b)"
    )
    assert fake.requests[1].prefill == '"""Scale each channel.\n\nArgs:\n    r: The red one.\n    g:'
    # "green" alone is one word: the piece is asked again, greedy behind "The"
    assert fake.requests[2].prefill == fake.requests[1].prefill + " The" and fake.requests[2].temperature == 0
    assert "    g: The green one.\n" in outcome.value and len(fake.requests) == 5


def test_a_part_that_never_passes_skips_the_target_and_keeps_the_file():
    bad = [" <what g is>", " width of the rectangle.", " x = r * 2", " y"]
    assert len(bad) == len(PART_TRIES) and [t for _, t in PART_TRIES][2:] == [1.0, 1.0]
    result, fake = run([ECHO, " Scale each channel.", " the red channel", *bad])
    (outcome,) = result.outcomes
    assert outcome.status == "skipped"
    assert "signature" in outcome.reason and "assembled from parts: no usable description of g" in outcome.reason
    assert result.after == SRC and not result.changed
    assert [a.error for a in outcome.attempts[-4:]] == [
        "a <...> placeholder",
        "the worked example's text",
        "code, not words",
        "fewer than two words",
    ]


def test_a_description_repeating_another_parameters_is_asked_again():
    answers = [ECHO, " Scale each channel.", " the channel", " the channel", " the green channel"]
    result, fake = run(answers + [" the blue channel", " the doubled colour"])
    (outcome,) = result.outcomes
    assert "    r: The channel.\n    g: The green channel.\n" in outcome.value
    assert outcome.attempts[3].error == "the same words as another parameter's"


def test_no_assemble_keeps_the_whole_answer_path_only():
    result, fake = run([ECHO], assemble=False)
    assert result.outcomes[0].status == "skipped" and len(fake.requests) == 1 and result.after == SRC


def test_assembled_docstring_still_goes_through_the_gates():
    # every piece passes alone, but the summary repeats the instructions: the whole is rejected
    pieces = [" the red channel", " the green channel", " the blue channel", " the result"]
    result, _ = run([ECHO, " Write the docstring for scale, each colour channel", *pieces])
    (outcome,) = result.outcomes
    assert outcome.status == "skipped" and result.after == SRC
    assert outcome.reason.endswith(
        "assembled from parts: the assembled docstring: the docstring repeats the instructions; write only the docstring"
    )


def test_returns_piece_is_optional():
    bad = [" <what it returns>"] * len(PART_TRIES)
    result, _ = run([ECHO, " Scale each channel.", " red channel", " green channel", " blue channel", *bad])
    (outcome,) = result.outcomes
    assert outcome.status == "documented" and "Returns" not in outcome.value
    assert "returned value" not in outcome.reason


def test_plain_style_asks_only_for_the_summary():
    result, fake = run([ECHO, " Scale each channel of a colour by two."], style="plain")
    (outcome,) = result.outcomes
    assert outcome.value == "Scale each channel of a colour by two." and len(fake.requests) == 2


@pytest.mark.parametrize("style", ["google", "numpy", "rest"])
def test_assemble_in_each_style_passes_the_gates(style: str):
    target = next(t for t in find_targets(SRC) if t.name == "scale")
    text = assemble(style, "Double a colour.", [("r", "Red."), ("g", "Green."), ("b", "Blue.")], "The colour.")
    assert not isinstance(check_docstring(text, target, style), ParseError), text
    assert all(line == line.rstrip() for line in text.split("\n"))


def test_part_gate():
    assert part_error("the red channel", "r") is None
    assert part_error("r", "r") == "fewer than two words"
    assert part_error("1.0", "r") == "fewer than two words"
    assert part_error("return r * 2") == "code, not words"
    assert part_error("") == "no text"
    assert salvage_summary(['"""def f(x):', '"""Compute the area of a rectangle.', '"""\nAdd one.\n']) == "Add one."


def test_a_summary_repeating_the_module_docstring_is_not_used():
    module = ["Conversion functions between RGB and other color systems."]
    answers = ['"""Conversion functions between RGB and other color systems.', '"""Convert RGB to YIQ.']
    assert salvage_summary(answers, module) == "Convert RGB to YIQ."
    assert salvage_summary(['"""Compute the RGB of a rectangle.'], code="def f(r): ...") is None
    assert repeats("Conversions functions between RGB and other colour systems", module)
    assert not repeats("Convert a colour from RGB to YIQ.", module)
    assert copies_example("Compute the RGB of a rectangle.", "def f(r): ...") == "rectangle"
    assert copies_example("Compute the RGB of a rectangle.") is None


def test_a_whole_answer_copying_the_worked_example_is_rejected():
    target = next(t for t in find_targets(SRC) if t.name == "scale")
    copied = "Scale it.\n\nArgs:\n    r: The width of the rectangle.\n    g: Green.\n    b: Blue."
    error = check_docstring(copied, target, "google")
    assert isinstance(error, ParseError) and "worked example" in error.reason
    assert copies_example("It is the height of the rectangle") and not copies_example("The height of a tree.")
