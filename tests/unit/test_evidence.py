"""Evidence levels and the write threshold (codexcli/evidence.py, pipeline.hold_back)."""

from __future__ import annotations

import pytest

from codexcli.config import load_settings
from codexcli.errors import ConfigError
from codexcli.evidence import DEFAULT_THRESHOLDS, LEVELS, Evidence, threshold_for
from codexcli.tasks.pipeline import Done, Skipped, hold_back


def test_levels_order_and_only_behaviour_is_verified():
    assert LEVELS == ("form", "meaning", "consensus", "examples", "reference")
    assert [Evidence(level).verified for level in LEVELS] == [False, False, False, True, True]
    assert Evidence("consensus", "3 of 5 agree").at_least("meaning")
    assert not Evidence("meaning").at_least("consensus")
    with pytest.raises(ValueError):
        Evidence("trust me")


def test_careful_defaults_and_an_explicit_threshold_wins():
    assert DEFAULT_THRESHOLDS["comment"] == "meaning"
    assert DEFAULT_THRESHOLDS["fill"] == "consensus"
    assert threshold_for("translate", None) == "reference"
    assert threshold_for("comment", "form") == "form"
    with pytest.raises(ValueError):
        threshold_for("comment", "strong")


def test_hold_back_keeps_the_candidate_and_its_evidence():
    weak = Done("a", "body a", evidence=Evidence("form"))
    strong = Done("b", "body b", evidence=Evidence("consensus", "4 of 5 agree"))
    skipped = Skipped("c", "no answer")
    out = hold_back([weak, strong, skipped], "consensus")
    assert out[1] is strong and out[2] is skipped
    held = out[0]
    assert isinstance(held, Skipped) and held.status == "below threshold"
    assert held.candidate == "body a" and held.evidence == Evidence("form")
    assert "--evidence form" in held.reason


def test_evidence_setting_is_checked(tmp_path, monkeypatch):
    monkeypatch.delenv("CODEX_EVIDENCE", raising=False)
    (tmp_path / "pyproject.toml").write_text('[tool.codex]\nevidence = "examples"\n')
    assert load_settings(tmp_path).evidence == "examples"
    (tmp_path / "pyproject.toml").write_text('[tool.codex]\nevidence = "vibes"\n')
    with pytest.raises(ConfigError, match="evidence must be one of"):
        load_settings(tmp_path)
