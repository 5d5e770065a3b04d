"""testgen with the observed oracle, synthesized tests, samples and the time split: the fake
backend and the real sandboxed pytest runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_testgen_pipeline import MODULE, reply, run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "mod.py").write_text(MODULE, encoding="utf-8")
    return root


WRONG = reply("""
    def test_clamp_high():
        assert clamp(15, 0, 10) == 15

    def test_clamp_low():
        assert clamp(-5, 0, 10) == 0
        assert clamp(-5, 0, 10) == 0
        assert clamp(-5, 0, 10) == 0
""")


def test_wrong_literals_are_replaced_by_observed_values(project: Path):
    result, _ = run(project, [WRONG], oracle="observed")
    (report,) = result.details
    assert sorted(t.name for t in report.kept) == ["test_clamp_high", "test_clamp_low"]
    high = next(t for t in report.kept if t.name == "test_clamp_high")
    assert "assert clamp(15, 0, 10) == 10" in high.code
    low = next(t for t in report.kept if t.name == "test_clamp_low")
    assert low.code.count("assert clamp(-5, 0, 10) == 0") == 1  # the looped copies collapsed
    ((line, written, observed, how),) = [
        (o.line, o.written, o.observed, o.how) for o in report.observed["test_clamp_high"]
    ]
    assert (written, observed, how) == ("assert clamp(15, 0, 10) == 15", "assert clamp(15, 0, 10) == 10", "value")
    assert "test_clamp_low" not in report.observed  # right as written: the model's own
    assert "== 10" in result.after
    split = result.facts.timings
    assert {"model", "observe", "sandbox runs", "mutants", "coverage", "total"} <= set(split)


def test_oracle_model_keeps_todays_behaviour(project: Path):
    result, _ = run(project, [WRONG], oracle="model")
    (report,) = result.details
    assert [t.name for t in report.kept] == ["test_clamp_low"] and report.observed == {}


def test_synthesized_tests_cover_what_the_model_missed(project: Path):
    only_high = reply("""
        def test_clamp_high():
            assert clamp(15, 0, 10) == 10
    """)
    result, _ = run(project, [only_high], synthesize=True, mutants=6)
    (report,) = result.details
    assert report.synthesized >= 1
    assert any(t.name.startswith("test_clamp_observed_") for t in report.kept)
    assert report.coverage_after.lines_covered == report.coverage_after.lines_total
    assert result.facts.coverage_after.percent > result.facts.coverage_before.percent


def test_synthesized_tests_even_when_the_model_gives_up(project: Path):
    result, _ = run(project, ["this is not code"], synthesize=True)
    (report,) = result.details
    assert report.kept and report.synthesized == len(report.kept)
    assert report.attempts and report.attempts[0].error


def test_samples_use_the_answer_with_most_passing_tests(project: Path):
    one = reply("""
        def test_clamp_high():
            assert clamp(15, 0, 10) == 10
    """)
    two = reply("""
        def test_clamp_high():
            assert clamp(15, 0, 10) == 10

        def test_clamp_low():
            assert clamp(-5, 0, 10) == 0
    """)
    result, backend = run(project, [one, two, "nothing"], samples=3, mutants=0)
    (report,) = result.details
    assert len(backend.requests) == 3 and len(report.attempts) == 3
    assert sorted(t.name for t in report.kept) == ["test_clamp_high", "test_clamp_low"]
