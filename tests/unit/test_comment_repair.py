"""comment: near-miss docstrings repaired and re-gated, reported as "repaired: ..."; --samples
picks a verified docstring, preferring one that needed no repair."""

from __future__ import annotations

import ast

from codexcli.backends import BackendSlot
from codexcli.backends.fake import FakeBackend
from codexcli.cache import NullCache
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.splice.docstring import strip_docstrings
from codexcli.tasks.comment.run import comment_source

# The comment grounds the docstrings below ("double", "channel", "colour"; tasks/comment/grounding.py).
SRC = "def scale(r, g, b):\n    # double each channel of the colour\n    return r * 2, g * 2, b * 2\n"


def run(answers: list, **kw):
    kw.setdefault("examples", False)  # the model's docstrings alone (test_comment_examples: the fallback)
    fake = FakeBackend(answers)
    result = comment_source(
        SRC,
        "mod.py",
        settings=Settings(backend="fake", retries=0),
        prompt=load_prompt("comment"),
        backend=BackendSlot(lambda: fake),
        cache=NullCache(),
        model_id={"backend": "fake"},
        **kw,
    )
    return result, fake


def same_code(a: str, b: str) -> bool:
    return ast.dump(strip_docstrings(ast.parse(a))) == ast.dump(strip_docstrings(ast.parse(b)))


INVENTED = (
    "Scale a colour.\n\nArgs:\n    r: Red.\n    g: Green.\n    b: Blue.\n    alpha: Opacity.\n\n"
    "Returns:\n    <what it returns>\n"
)
CLEAN = "Scale each channel.\n\nArgs:\n    r: Red.\n    g: Green.\n    b: Blue.\n\nReturns:\n    The doubled colour."


def test_invented_parameter_and_placeholder_repaired_then_written():
    result, fake = run([INVENTED + '"""'], only=["scale"])
    (outcome,) = result.outcomes
    assert outcome.status == "documented" and len(fake.requests) == 1
    assert outcome.value == "Scale a colour.\n\nArgs:\n    r: Red.\n    g: Green.\n    b: Blue."
    assert outcome.reason == ("repaired: dropped 1 placeholder line(s); dropped `alpha` (not a parameter)")
    assert same_code(result.after, SRC) and "alpha" not in result.after


def test_unrepairable_answer_is_still_rejected_with_the_original_reason():
    answer = "Scale a colour.\n\nArgs:\n    r: Red.\n    alpha: Opacity.\n" + '"""'
    result, _ = run([answer], only=["scale"], assemble=False)
    (outcome,) = result.outcomes
    assert outcome.status == "skipped" and "alpha" in outcome.reason
    assert result.after == SRC


def test_samples_prefer_a_docstring_that_needed_no_repair():
    result, fake = run([INVENTED + '"""', CLEAN + '"""', "def scale(r, g, b):"], only=["scale"], samples=3)
    (outcome,) = result.outcomes
    assert len(fake.requests) == 3
    assert outcome.value == CLEAN
    assert outcome.reason == "sample 2 of 3 (2 verified): needed no repair"
    assert len(outcome.attempts) == 3 and outcome.attempts[2].error is not None


def test_samples_with_none_verified_skip_the_target():
    result, _ = run(["def scale(r, g, b):"] * 2, only=["scale"], samples=2, assemble=False)
    (outcome,) = result.outcomes
    assert outcome.status == "skipped" and "signature" in outcome.reason and result.after == SRC
