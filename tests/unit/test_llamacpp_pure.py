"""The llama.cpp backend's pure helpers (no model needed)."""

from __future__ import annotations

from codexcli.backends.base import Message
from codexcli.backends.llamacpp import context_size, plain_prompt
from codexcli.backends.llamacpp_batch import find_stop


def test_context_size_rounds_up_keeps_headroom_and_caps():
    assert context_size(100, 8192, None) == 2048
    assert context_size(3000, 8192, None) == 3072
    assert context_size(9000, 8192, None) == 8192
    assert context_size(3000, 8192, 2500) == 2500
    assert context_size(3000, None, None) == 3072


def test_plain_prompt_for_models_without_a_chat_template():
    text = plain_prompt((Message("system", "S\n"), Message("user", "U")))
    assert text == "S\n\nU\n\n"


def test_find_stop_only_looks_at_the_newest_text():
    assert find_stop("abc\n```", ("\n```",), 4) == 3
    assert find_stop("abc", ("\n```",), 0) is None
    assert find_stop("x STOP y END", ("END", "STOP"), 10) == 9  # STOP was already seen earlier
    assert find_stop("ab END STOP", ("STOP", "END"), 2) == 3  # earliest of the new ones


def test_default_workers_is_the_cores_this_process_may_use(monkeypatch):
    import os

    from codexcli.config import default_workers

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5}, raising=False)
    assert default_workers() == 3
