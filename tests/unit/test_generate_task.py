"""generate_code and fill_stubs with the fake backend: retries, rejection, context fitting."""

from __future__ import annotations

import pytest

from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.errors import PromptTooLongError, UsageError
from codexcli.prompts import load_prompt
from codexcli.tasks.common import GaveUp
from codexcli.tasks.generate.fill import Filled, Skipped, fill_stubs
from codexcli.tasks.generate.run import GeneratedCode, generate_code, resolve_language
from tests.conftest import dedent

SETTINGS = Settings(retries=2)
SOURCE = dedent('''
    import math

    def area(r: float) -> float:
        """Area of a circle of radius r."""
        ...

    def keep(x):
        return x  # not a stub
''')


def fill(answers, source=SOURCE, **kw):
    backend = FakeBackend(answers, context=kw.pop("context", 4096))
    result = fill_stubs(lambda: backend, load_prompt("fill"), source, "m.py", kw.pop("settings", SETTINGS), **kw)
    return result, backend


def test_fill_accepts_a_full_function_and_keeps_the_rest():
    result, backend = fill(["def area(r: float) -> float:\n    return math.pi * r ** 2\n```"])
    assert [type(o) for o in result.outcomes] == [Filled]
    assert result.after == SOURCE.replace("    ...\n", "    return math.pi * r ** 2\n")
    request = backend.requests[0]
    assert request.prefill == "```python\n"
    assert "Complete the function `area`" in request.messages[-1].content
    assert SOURCE.rstrip("\n") in request.messages[-1].content  # the file is the context


def test_rejection_is_fed_back_and_retried():
    result, backend = fill(["garbage ((( ", "def area(radius):\n    return 1\n", "    return math.pi * r * r\n"])
    assert isinstance(result.outcomes[0], Filled)
    assert len(result.outcomes[0].attempts) == 3
    second, third = backend.requests[1], backend.requests[2]
    assert second.messages[-2].role == "assistant" and "garbage" in second.messages[-2].content
    assert "rejected" in second.messages[-1].content
    assert "(r) became (radius)" in third.messages[-1].content
    assert second.temperature > 0  # a retry does not repeat the greedy answer word for word


def test_gives_up_after_retries_and_changes_nothing():
    result, backend = fill(["nope"] * 3)
    assert result.after == result.before and not result.changed
    [outcome] = result.outcomes
    assert isinstance(outcome, Skipped) and len(outcome.attempts) == 3
    assert outcome.reason
    assert len(backend.requests) == 3


def test_undefined_helper_is_rejected():
    result, _ = fill(["def area(r):\n    return circle_area(r)\n"] * 3)
    assert isinstance(result.outcomes[0], Skipped)
    assert "not defined anywhere: circle_area" in result.outcomes[0].reason


def test_retries_zero_means_one_attempt():
    result, backend = fill(["bad", "def area(r):\n    return r\n"], settings=Settings(retries=0))
    assert isinstance(result.outcomes[0], Skipped) and len(backend.requests) == 1


def test_only_selects_and_unknown_name_is_a_usage_error():
    source = SOURCE + "\ndef other():\n    pass\n"
    result, backend = fill(["def other():\n    return 2\n"], source=source, only=["other"])
    assert [o.target.qualname for o in result.outcomes] == ["other"]
    with pytest.raises(UsageError, match="no stub function named zzz"):
        fill([], only=["zzz"])


def test_long_file_falls_back_to_the_stub_alone():
    big = SOURCE + "\n".join(f"V{i} = {i}" for i in range(400)) + "\n"
    result, backend = fill(["    return r\n"], source=big, context=700)
    assert isinstance(result.outcomes[0], Filled)
    assert "V399" not in backend.requests[0].messages[-1].content


def test_prompt_that_cannot_fit_is_refused_before_the_model_runs():
    with pytest.raises(PromptTooLongError, match="does not fit"):
        fill(["    return r\n"], context=60)


def test_all_stub_prompts_share_the_file_prefix():
    source = SOURCE + "\ndef b(x):\n    pass\n"
    _, backend = fill(["    return r\n", "    return x\n"], source=source)
    first, second = (r.messages[-1].content for r in backend.requests)
    prefix = first.split("Complete the function")[0]
    assert second.startswith(prefix) and len(prefix) > len(source)


def test_generate_code_python_verified():
    backend = FakeBackend(["def f():\n    return 1\n```\nSome prose."])
    result = generate_code(backend, load_prompt("generate"), "one", "python", SETTINGS)
    assert isinstance(result, GeneratedCode)
    assert result.code == "def f():\n    return 1\n" and result.check.verified


def test_generate_code_rejects_undefined_names_then_gives_up():
    backend = FakeBackend(["x = helper()\n"] * 3)
    result = generate_code(backend, load_prompt("generate"), "one", "python", SETTINGS)
    assert isinstance(result, GaveUp) and "helper" in result.reason


def test_generate_empty_description_and_unknown_language():
    with pytest.raises(UsageError):
        generate_code(FakeBackend([]), load_prompt("generate"), "  ", "python", SETTINGS)
    with pytest.raises(UsageError, match="supported: "):
        resolve_language("cobol")
