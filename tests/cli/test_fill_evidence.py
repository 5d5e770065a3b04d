"""`codex generate --fill` writes only what has evidence (issue 27): consensus by default, five
samples drawn for it, a weaker body held back as "below threshold" with its candidate; and plain
`codex generate` reports its evidence, saying "verified" only for examples/reference."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from tests.conftest import dedent, read_log

runner = CliRunner()

STUB = dedent('''
    import math


    def area(r: float) -> float:
        """Area of a circle."""
        ...
''')
RIGHT = "    return math.pi * r * r\n"
# Five bodies that behave differently on every generated input: no two samples agree.
APART = ["    return 1.0\n", "    return 2.0 * r\n", "    return r + 3.0\n", "    return r * r\n", "    return -r\n"]


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def stub(tmp_path: Path) -> Path:
    """The one stub, written afresh for each test."""
    (tmp_path / "geometry.py").write_text(STUB)
    return tmp_path / "geometry.py"


def test_default_holds_back_a_body_whose_only_evidence_is_form(fake_answers, stub: Path):
    log = fake_answers(*APART)
    before = stub.read_bytes()
    result = invoke("--json", "generate", "--fill", str(stub))
    assert result.exit_code == 1, result.output  # as a skipped stub exits
    assert stub.read_bytes() == before
    payload = json.loads(result.stdout)
    assert payload["threshold"] == "consensus" and not payload["written"] and not payload["ok"]
    [fn] = payload["functions"]
    assert fn["status"] == "below threshold" and "below the threshold 'consensus'" in fn["reason"]
    assert fn["evidence"]["level"] == "form" and fn["evidence"]["verified"] is False
    assert "no consensus" in fn["evidence"]["facts"] and "of 5 samples" in fn["evidence"]["facts"]
    assert fn["candidate"] in [a.strip() + "\n" for a in APART]
    assert len(fn["selection"]["ranking"]) == 5  # how the candidate was chosen, as for a filled one
    assert len(read_log(log)) == 5  # no --samples: five drawn so that consensus was possible


def test_dry_run_shows_the_held_back_body_and_the_table_its_evidence(fake_answers, stub: Path):
    fake_answers(*APART)
    result = invoke("generate", "--fill", str(stub), "--diff")
    assert result.exit_code == 1 and stub.read_text() == STUB
    assert result.stdout == ""  # nothing would be written
    assert "below threshold" in result.stderr and "evidence" in result.stderr
    assert "0 filled, 1 below threshold, 0 skipped (threshold consensus)" in result.stderr
    assert "held back, not written (area)" in result.stderr and "-    ...\n+    return" in result.stderr


def test_evidence_form_writes_the_one_answer(fake_answers, stub: Path):
    log = fake_answers(APART[0])
    result = invoke("--json", "generate", "--fill", str(stub), "--evidence", "form")
    assert result.exit_code == 0, result.output
    assert stub.read_text() == STUB.replace("    ...\n", APART[0])
    [fn] = json.loads(result.stdout)["functions"]
    assert fn["status"] == "filled" and fn["evidence"]["level"] == "form" and "candidate" not in fn
    assert len(read_log(log)) == 1


def test_samples_that_agree_reach_consensus_and_are_written(fake_answers, stub: Path):
    fake_answers(APART[0], RIGHT, APART[1], RIGHT, RIGHT)
    result = invoke("--json", "generate", "--fill", str(stub))
    assert result.exit_code == 0, result.output
    assert stub.read_text() == STUB.replace("    ...\n", RIGHT)
    [fn] = json.loads(result.stdout)["functions"]
    assert fn["status"] == "filled" and fn["evidence"]["level"] == "consensus"
    assert fn["evidence"]["facts"].startswith("3 of 5 samples behave the same on ")
    stub.write_text(STUB)
    fake_answers(default=RIGHT)
    result = invoke("generate", "--fill", str(stub))
    assert result.exit_code == 0 and "consensus" in result.stderr and "5 of 5 samples" in result.stderr


def test_two_of_five_agreeing_is_no_majority(fake_answers, stub: Path):
    fake_answers(RIGHT, RIGHT, *APART[:3])
    result = invoke("--json", "generate", "--fill", str(stub))
    assert result.exit_code == 1 and stub.read_text() == STUB
    [fn] = json.loads(result.stdout)["functions"]
    assert fn["status"] == "below threshold" and fn["candidate"] == RIGHT.strip() + "\n"


def test_passing_docstring_examples_are_examples_evidence(fake_answers, tmp_path: Path):
    path = tmp_path / "calc.py"
    doc = '    """Twice x.\n\n    >>> double(2)\n    4\n    >>> double(-3)\n    -6\n    """\n'
    path.write_text("def double(x: int) -> int:\n" + doc + "    ...\n")
    fake_answers("    return x + 2\n", default="    return 2 * x\n")
    result = invoke("--json", "generate", "--fill", str(path), "--samples", "2")
    assert result.exit_code == 0, result.output
    [fn] = json.loads(result.stdout)["functions"]
    assert fn["evidence"] == {"level": "examples", "facts": "2/2 docstring examples pass", "verified": True}


def test_one_passing_docstring_example_alone_is_not_examples_evidence(fake_answers, tmp_path: Path):
    path = tmp_path / "calc.py"
    path.write_text('def double(x: int) -> int:\n    """Twice x.\n\n    >>> double(2)\n    4\n    """\n    ...\n')
    fake_answers("    return x + 1\n", default="    return x + 2\n")  # right on the example only
    result = invoke("--json", "generate", "--fill", str(path), "--samples", "2")
    [fn] = json.loads(result.stdout)["functions"]
    assert fn["status"] == "below threshold" and fn["evidence"]["level"] == "form"
    assert fn["evidence"]["facts"].startswith("1/1 docstring examples pass; ")
    assert path.read_text().endswith("    ...\n")


def test_an_unknown_level_is_a_usage_error(stub: Path):
    result = invoke("generate", "--fill", str(stub), "--evidence", "vibes")
    assert result.exit_code == 2 and "unknown evidence level" in result.stderr


def test_describe_reports_evidence_and_holds_back_below_an_asked_threshold(fake_answers, tmp_path: Path):
    fake_answers("def f(x: int) -> int:\n    return x\n")
    payload = json.loads(invoke("--json", "generate", "identity").stdout)
    assert payload["evidence"]["level"] == "form" and payload["verified"] is False and payload["checked"]
    fake_answers(*[f"def f(x: int) -> int:\n    return x + {i}\n" for i in range(5)])
    out = tmp_path / "f.py"
    result = invoke("--json", "generate", "identity", "--evidence", "consensus", "--out", str(out))
    assert result.exit_code == 1 and not out.exists()
    payload = json.loads(result.stdout)
    assert payload["status"] == "below threshold" and payload["candidate"].startswith("def f(")
    fake_answers(default="def f(x: int) -> int:\n    return x\n")
    result = invoke("generate", "identity", "--evidence", "consensus")
    assert result.exit_code == 0 and "evidence: consensus: 5 of 5 samples" in result.stderr
    assert "not verified" in result.stderr


def test_interactive_fill_asks_per_stub_and_writes_only_the_accepted_body(fake_answers, tmp_path: Path):
    two = tmp_path / "two.py"
    two.write_text(STUB + "\n\ndef perimeter(r: float) -> float:\n    ...\n")
    fake_answers(APART[0], APART[1])
    result = runner.invoke(app, ["-i", "--json", "generate", "--fill", str(two), "--evidence", "form"], input="n\ny\n")
    assert "two.py::area? [y/N]" in result.stderr and "two.py::perimeter? [y/N]" in result.stderr
    text = two.read_text()
    assert APART[0] not in text and text.endswith("def perimeter(r: float) -> float:\n" + APART[1])
    fns = {f["name"]: f for f in json.loads(result.stdout.splitlines()[-1])["functions"]}
    assert fns["area"]["status"] == "declined" and fns["perimeter"]["status"] == "filled"
    assert result.exit_code == 1  # a stub left as it was exits 1, whatever the reason
