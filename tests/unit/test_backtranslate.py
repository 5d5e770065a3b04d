"""Back-translation of docstrings (issue 27) with the fake backend: a body drawn from the
docstring alone is run against the original in the sandbox."""

from __future__ import annotations

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.evidence import Evidence
from codexcli.splice.docstring import DocTarget, find_targets
from codexcli.tasks.comment.backtranslate import (
    CANNOT_RUN,
    LEVEL,
    MATCH,
    NO_INPUTS,
    NO_MATCH,
    back_translate,
    hollow,
    locate,
)
from tests.conftest import dedent

SETTINGS = Settings()
DOC = "Return x limited to the range lo..hi (lo wins when lo > hi)."
SOURCE = dedent('''
    import math


    def clamp(x: int, lo: int, hi: int) -> int:
        """An old docstring."""
        # SECRET-COMMENT: the original's own words
        if x < lo:
            return lo
        return min(x, hi)


    def unrelated(y):
        return y
''')
RIGHT = "```python\ndef clamp(x: int, lo: int, hi: int) -> int:\n    return lo if x < lo else min(x, hi)\n```"
WRONG = "```python\ndef clamp(x: int, lo: int, hi: int) -> int:\n    return max(lo, min(x, hi))\n```"


def target(source: str, name: str) -> DocTarget:
    return next(t for t in find_targets(source) if t.name == name)


def check(answers, source=SOURCE, name="clamp", doc=DOC, samples=2):
    backend = FakeBackend(answers)
    result = back_translate(backend, source, target(source, name), doc, settings=SETTINGS, samples=samples)
    return result, backend


def test_a_body_that_behaves_like_the_original_is_a_match_with_its_cases():
    result, backend = check([WRONG, RIGHT])
    assert result.status == MATCH, result
    assert result.matched == 2 and result.samples == 2 and result.parsed == 2
    assert result.cases >= 5
    assert result.reason == (
        f"a body written from this docstring alone behaves like the original on {result.cases} cases (sample 2 of 2)"
    )
    assert result.differences and result.differences[0].startswith("sample 1: on (")
    assert result.evidence == Evidence(LEVEL, result.reason)
    assert result.evidence is not None and result.evidence.verified
    # One batched call drew the samples.
    assert [n for _, n in backend.batches] == [2]


def test_wrong_bodies_are_no_match_and_give_no_evidence():
    result, _ = check([WRONG, "```python\ndef clamp(x: int, lo: int, hi: int) -> int:\n    return x\n```"])
    assert result.status == NO_MATCH
    assert result.matched is None and result.evidence is None
    assert "no body written from this docstring behaves like the original" in result.reason
    assert len(result.differences) == 2


def test_identical_bodies_run_once_and_unparsed_answers_are_reported():
    result, _ = check([WRONG, WRONG, "no code at all"], samples=3)
    assert result.status == NO_MATCH and result.parsed == 2
    assert any(d.startswith("sample 3: ") for d in result.differences)


def test_the_original_body_is_not_in_the_prompt():
    _, backend = check([WRONG, RIGHT])
    prompt = "\n".join(m.content for m in backend.requests[0].messages)
    assert DOC in prompt
    assert "SECRET-COMMENT" not in prompt and "min(x, hi)" not in prompt and "return lo" not in prompt
    assert "An old docstring" not in prompt  # the candidate replaces it
    assert "def unrelated(y):\n    return y" in prompt  # the rest of the file is context
    assert "Complete the function `clamp`" in prompt  # the fill prompt


def test_hollow_with_an_empty_docstring_is_the_signature_alone():
    t = target(SOURCE, "clamp")
    text = hollow(SOURCE, t, locate(SOURCE, t), "")
    assert "def clamp(x: int, lo: int, hi: int) -> int:\n    ...\n" in text
    assert "old docstring" not in text and "SECRET" not in text


def test_a_function_without_inputs_says_so_without_asking_the_model():
    source = dedent("""
        import random


        def roll():
            return random.randint(1, 6)
    """)
    result, backend = check([RIGHT], source=source, name="roll", doc="Roll a die.")
    assert result.status == NO_INPUTS
    assert "no inputs" in result.reason
    assert backend.requests == [] and result.evidence is None


def test_a_constant_function_gives_no_evidence():
    source = "def zero(x: int) -> int:\n    return 0\n"
    result, backend = check([RIGHT], source=source, name="zero", doc="Return zero.")
    assert result.status == NO_INPUTS and "same result on every input" in result.reason
    assert backend.requests == []


def test_a_function_that_cannot_run_says_so():
    nested = "def outer(n: int) -> int:\n    def inner(m: int) -> int:\n        return m + 1\n    return inner(n)\n"
    result, _ = check([], source=nested, name="inner", doc="Add one.")
    assert result.status == CANNOT_RUN and "top-level" in result.reason
    broken = "import not_a_module_anywhere\n\n\ndef f(x: int) -> int:\n    return x + 1\n"
    result, backend = check([], source=broken, name="f", doc="Add one.")
    assert result.status == CANNOT_RUN and "cannot run the original" in result.reason
    assert backend.requests == []
    result, _ = check([], source="class C:\n    pass\n", name="C", doc="A class.")
    assert result.status == CANNOT_RUN
    # heapq's way: the Python version is replaced at import, so any body would "match".
    replaced = (
        "def f(x: int) -> int:\n    return x + 1\n\n\ntry:\n    from _fast import *\nexcept ImportError:\n    pass\n"
    )
    result, _ = check([], source=replaced, name="f", doc="Add one.")
    assert result.status == CANNOT_RUN and "rebound later" in result.reason
    result, _ = check([], source=SOURCE + "\nclamp = unrelated\n", name="clamp", doc="Add one.")
    assert result.status == CANNOT_RUN


def test_methods_run_on_a_fresh_instance():
    source = dedent("""
        class Scale:
            def apply(self, x: int) -> int:
                return x * 3
    """)
    answer = "```python\ndef apply(self, x: int) -> int:\n    return 3 * x\n```"
    result, _ = check([answer], source=source, name="apply", doc="Triple x.", samples=1)
    assert result.status == MATCH and result.matched == 1


def test_comment_with_back_translate_writes_a_matching_docstring_as_reference():
    from codexcli.cache import NullCache
    from codexcli.prompts import load_prompt
    from codexcli.tasks.comment.run import comment_source

    bare = SOURCE.replace('    """An old docstring."""\n', "")
    doc = "Return the minimum of x and hi, or lo when x is less than lo.\n\nArgs:\n    x: The value.\n    lo: The low end.\n    hi: The high end."

    def document(bodies):
        fake = FakeBackend([doc, *bodies])
        return comment_source(
            bare,
            "mod.py",
            settings=SETTINGS,
            prompt=load_prompt("comment"),
            backend=lambda: fake,
            cache=NullCache(),
            model_id={"model": "fake"},
            only=["clamp"],
            back_translate=2,
            assemble=False,
        )

    matched = document([WRONG, RIGHT]).outcomes[0]
    assert matched.evidence.level == "reference" and matched.evidence.verified
    assert "behaves like the original" in matched.evidence.facts
    missed = document([WRONG, WRONG]).outcomes[0]
    assert missed.evidence.level == "meaning" and "back-translation: no body" in missed.evidence.facts
