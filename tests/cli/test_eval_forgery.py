"""Verdicts that a planted module cannot forge (issue 25), through the real CLI and the fake backend.

The completion (or candidate body) under test is wrong, and while it runs it writes a module
into every folder it can guess the checker imports from: its own working folder, the folder
above it, the entries of PYTHONPATH and ``sys.path``. The module, once imported, runs in the
checker: it writes a passing verdict on the checker's descriptor and exits. Before the fix the
checker imported it the first time the problem's check (or a helper a docstring example
calls) imported that module, and the wrong answer passed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app

# What the planted module does in the checker: the verdicts of eval and of the probes.
EVAL_FORGERY = "import __main__, os\n__main__._verdict(True, 'passed')\nos._exit(0)\n"
PROBE_FORGERY = (
    "import __main__, os, json\n"
    "os.write(__main__._vfd, json.dumps({'loaded': True, 'examples': [True, True], 'outputs': []}).encode())\n"
    "os._exit(0)\n"
)


def planting_body(files: dict[str, str], result: str) -> str:
    """A function body that writes ``files`` (name -> text) into every folder it can reach that
    some interpreter might import from, then returns ``result``."""
    return (
        "    import os, sys\n"
        "    here = os.getcwd()\n"
        "    folders = {here, os.path.dirname(here), os.path.dirname(os.path.abspath(sys.argv[0]))}\n"
        "    folders.update(p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p)\n"
        "    folders.update(p for p in sys.path if p and os.path.isdir(p))\n"
        "    user_site = '.local/lib/python%d.%d/site-packages' % sys.version_info[:2]\n"
        "    folders.add(os.path.join(os.environ.get('HOME', here), user_site))\n"
        "    for folder in folders:\n"
        f"        for name, text in {files!r}.items():\n"
        "            try:\n"
        "                os.makedirs(folder, exist_ok=True)\n"
        "                with open(os.path.join(folder, name), 'w') as fh:\n"
        "                    fh.write(text)\n"
        "            except OSError:\n"
        "                pass\n"
        f"    return {result}\n"
    )


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    monkeypatch.chdir(tmp_path)

    def script(answers: list[str]) -> None:
        path = tmp_path / "answers.json"
        path.write_text(json.dumps({"answers": answers, "default": "no code"}), encoding="utf-8")
        monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(path))

    return script


PROMPT = 'def add(a: int, b: int) -> int:\n    """Return a + b."""\n'


def eval_pass_at_1(tmp_path: Path, fake, check: str, body: str) -> float:
    """pass@1 of `codex eval` on one problem (add, with ``check``) whose answer has ``body``."""
    problem = {"task_id": "Mine/add", "prompt": PROMPT, "entry_point": "add", "test": check}
    problems = tmp_path / "problems.jsonl"
    problems.write_text(json.dumps(problem) + "\n", encoding="utf-8")
    fake(["def add(a: int, b: int) -> int:\n" + body + "```"])
    result = CliRunner().invoke(app, ["--json", "eval", str(problems)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])["pass_at_k"]["pass@1"]


LAZY_CHECK = (
    "def check(candidate):\n"
    "    got = candidate(2, 3)\n"
    "    import fractions\n"  # imported only after the candidate ran
    "    assert fractions.Fraction(got) == 5\n"
)


@pytest.mark.parametrize(
    "planted, check",
    [
        # A standard-library module the check imports after calling the candidate.
        ("fractions.py", LAZY_CHECK),
        # A module that is nowhere on the checker's path yet: the check tolerates its absence.
        (
            "codex_helper_25.py",
            "def check(candidate):\n    got = candidate(2, 3)\n    try:\n        import codex_helper_25\n"
            "    except ImportError:\n        pass\n    assert got == 5\n",
        ),
    ],
    ids=["lazy-stdlib-import", "optional-import"],
)
def test_eval_planted_module_does_not_pass(tmp_path: Path, fake, planted: str, check: str):
    assert eval_pass_at_1(tmp_path, fake, check, planting_body({planted: EVAL_FORGERY}, "0")) == 0.0
    assert not (tmp_path / planted).exists()


def test_eval_planted_startup_files_do_not_pass(tmp_path: Path, fake):
    """sitecustomize, usercustomize and .pth files run when an interpreter starts: the checker
    starts before the completion, and no trusted interpreter starts after it. (This one passes
    on the code before the fix too: it pins that rule for whoever adds a helper process.)"""
    startup = {
        "sitecustomize.py": EVAL_FORGERY,
        "usercustomize.py": EVAL_FORGERY,
        "codex25.pth": "import codex25_forge\n",
        "codex25_forge.py": EVAL_FORGERY,
    }
    assert eval_pass_at_1(tmp_path, fake, LAZY_CHECK, planting_body(startup, "0")) == 0.0


def test_fill_samples_evidence_not_forged_by_a_planted_module(tmp_path: Path, fake):
    """`generate --fill --samples`: a docstring example calls a module helper that imports
    ``fractions`` lazily; a wrong body that plants fractions.py must still fail its examples
    (so the stub is left alone) instead of reporting every example passed."""
    stub = tmp_path / "stub.py"
    source = (
        "def _whole(x):\n"
        "    import fractions\n"
        "    return int(fractions.Fraction(x))\n"
        "\n\n"
        "def double(n: int) -> int:\n"
        '    """Twice n.\n\n    >>> double(2)\n    4\n    >>> double(_whole(3))\n    6\n    """\n'
        "    ...\n"
    )
    stub.write_text(source, encoding="utf-8")
    answer = "```python\ndef double(n: int) -> int:\n" + planting_body({"fractions.py": PROBE_FORGERY}, "0") + "```"
    fake([answer, answer])
    result = CliRunner().invoke(app, ["--json", "generate", "--fill", str(stub), "--samples", "2"])
    assert stub.read_text(encoding="utf-8") == source, result.output
    (fn,) = json.loads(result.stdout)["functions"]
    assert fn["status"] != "filled", fn


def test_generate_samples_evidence_not_forged_by_module_code(tmp_path: Path, fake):
    """`generate --samples`: the whole program is the candidate's, so none of it may run in the
    checker. Two wrong candidates whose top-level code writes "every example passed, and we
    agree" on the checker's descriptor must lose to the right one."""
    forger = (
        "import __main__, os, json\n"
        "n = len(__main__.spec['inputs'])\n"
        "os.write(__main__._vfd, json.dumps({'loaded': True, 'examples': [True], 'outputs': ['=0'] * n}).encode())\n"
        "os._exit(0)\n\n\n"
        "def double(n: int) -> int:\n    return 0\n```"
    )
    honest = "def double(n: int) -> int:\n    return 2 * n\n```"
    fake([forger, forger, honest])
    result = CliRunner().invoke(
        app, ["--json", "generate", "double(n: int) -> int, twice n: double(2) == 4", "--samples", "3"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["code"] == "def double(n: int) -> int:\n    return 2 * n\n", result.stdout
