"""`codex learn`'s training examples: worded exactly as `codex generate --fill` and `codex comment`
ask, through the embedded model's chat template and tokenizer (vocab only: no weights run), and
answers that codex's own checkers turn back into the pair's code and docstring."""

from __future__ import annotations

import textwrap

import pytest

from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.config import Settings
from codexcli.data.pairs import extract_pairs
from codexcli.learn.format import fill_example, format_pair, split_by_file
from codexcli.prompts import load_prompt
from codexcli.splice.body import find_stubs
from codexcli.tasks.comment.docstyle import clean_answer
from codexcli.tasks.generate.fill import fill_parser, fill_request
from tests.conftest import dedent

SOURCE = dedent('''
    import math


    class Circle:
        def area(self, r: float) -> float:
            """Area of a circle of radius r.

            Args:
                r: the radius.
            """
            return math.pi * r ** 2


    def clamp(x, lo, hi):
        """Clamp x into [lo, hi]."""
        if x < lo:
            return lo
        return min(x, hi)
''')


@pytest.fixture(scope="module")
def backend():
    llama = LlamaCppBackend.from_settings(Settings())
    yield llama
    llama.close()


@pytest.fixture(scope="module")
def prompts():
    return {"S": load_prompt("fill"), "D": load_prompt("comment")}


def test_an_s_pair_is_the_fill_request_for_its_stub_and_its_answer_parses_back(backend, prompts):
    pair = next(p for p in extract_pairs(SOURCE, "geo.py") if p.kind == "S" and p.qualname == "clamp")
    example = format_pair(pair, backend, prompts, Settings())
    assert example is not None
    stub, target, _ = fill_example(pair)
    # Exactly the request `codex generate --fill` sends for this function as a stub.
    asked = fill_request(prompts["S"], backend, stub, "geo.py", target, Settings())
    assert example.prompt == backend.render(asked)
    assert list(example.prompt_ids) == backend.tokenize_prompt(asked)
    assert "<|im_start|>assistant" in example.prompt and example.prompt.endswith("```python\n")
    # The answer ends with the prompt's stop sequence and the end-of-generation token ...
    assert example.answer.endswith(prompts["S"].stop[0])
    assert example.answer_ids[-1] == backend.eos_token()
    assert backend.detokenize(list(example.answer_ids[:-1])) == example.answer
    # ... and what --fill's checker accepts from it is the function's own body.
    answer = example.answer[: example.answer.index(prompts["S"].stop[0])]
    body = fill_parser(stub, find_stubs(stub)[0])(answer)
    assert isinstance(body, str)
    assert body.strip() == textwrap.dedent(pair.completion).strip()


def test_a_d_pair_is_the_comment_request_and_its_answer_is_the_docstring(backend, prompts):
    pair = next(p for p in extract_pairs(SOURCE, "geo.py") if p.kind == "D" and p.qualname == "Circle.area")
    example = format_pair(pair, backend, prompts, Settings())
    assert example is not None
    assert example.prompt.endswith('"""')  # comment.toml's prefill
    assert "return math.pi * r ** 2" in example.prompt and "Area of a circle" not in example.prompt
    assert "google style" in example.prompt  # the docstring's own style is what is asked for
    assert clean_answer(example.answer) == pair.completion
    assert list(example.prompt_ids) == backend.tokenize_prompt(example.request)


def test_the_split_holds_out_whole_files_the_same_way_every_time():
    pairs = [p for i in range(10) for p in extract_pairs(SOURCE, f"pkg/m{i}.py")]
    train, held = split_by_file(pairs, 0.2)
    assert {p.path for p in train}.isdisjoint({p.path for p in held})
    assert len({p.path for p in held}) == 2 and len(train) + len(held) == len(pairs)
    assert split_by_file(list(reversed(pairs)), 0.2)[1] == list(reversed(held))
    assert len({p.path for p in split_by_file(pairs[:8], 0.2)[1]}) == 1  # of two files, one is held out
    assert split_by_file(pairs, 0.0) == (pairs, [])
