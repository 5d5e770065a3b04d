"""Decontamination against HumanEval and a user's JSONL evaluation set."""

from __future__ import annotations

import json

import pytest

from codexcli.data import decontam
from codexcli.errors import UsageError


def test_a_copied_humaneval_problem_is_caught_whatever_its_layout():
    index = decontam.build_index(True, [], 13)
    [first, *_] = decontam.humaneval_texts()
    assert "has_close_elements" in first
    reformatted = "import os\n\n" + first.replace("    ", "\t").replace(", ", ",")
    assert decontam.contaminated_by(reformatted, index) == "humaneval"
    assert decontam.contaminated_by("def add(a, b):\n    return a + b\n", index) is None


def test_user_jsonl_sets_and_ngram_length(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": 1, "prompt": "alpha beta gamma delta epsilon zeta"}) + "\n")
    index = decontam.build_index(False, [path], 5)
    assert decontam.contaminated_by("# gamma delta epsilon zeta eta\n", index) is None
    assert decontam.contaminated_by("x = 'beta gamma delta epsilon zeta'\n", index) == "mine.jsonl"
    assert decontam.contaminated_by("beta gamma delta epsilon zeta", decontam.build_index(False, [], 5)) is None
    short = decontam.build_index(False, [path], 50)  # the set has fewer words than n: no grams
    assert len(short.keys) == 0


def test_broken_evaluation_set_is_a_usage_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"ok": 1}\nnot json\n')
    with pytest.raises(UsageError, match="bad.jsonl:2"):
        decontam.jsonl_texts(path)
    with pytest.raises(UsageError):
        decontam.jsonl_texts(tmp_path / "missing.jsonl")
