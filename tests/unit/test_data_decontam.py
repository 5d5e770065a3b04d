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
    assert decontam.contaminated_by(reformatted, index, 13) == "humaneval"
    assert decontam.contaminated_by("def add(a, b):\n    return a + b\n", index, 13) is None


def test_user_jsonl_sets_and_ngram_length(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": 1, "prompt": "alpha beta gamma delta epsilon zeta"}) + "\n")
    index = decontam.build_index(False, [path], 5)
    assert decontam.contaminated_by("# gamma delta epsilon zeta eta\n", index, 5) is None
    assert decontam.contaminated_by("x = 'beta gamma delta epsilon zeta'\n", index, 5) == "mine.jsonl"
    assert decontam.build_index(False, [], 13) == {}


def test_broken_evaluation_set_is_a_usage_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"ok": 1}\nnot json\n')
    with pytest.raises(UsageError, match="bad.jsonl:2"):
        decontam.jsonl_texts(path)
    with pytest.raises(UsageError):
        decontam.jsonl_texts(tmp_path / "missing.jsonl")
