"""Hypothesis' files go beside codex's cache, never into the user's project (issue 25).

Hypothesis caches its Unicode tables (and constants of local modules) under ``.hypothesis/`` in
the working folder unless told otherwise. The CLI test runs codex in a fresh interpreter from a
project folder (in-process, an earlier test may already have loaded the tables), then looks for
that folder.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path
from typing import Callable

from codexcli.cache import cache_path
from tests.conftest import PYTHON, subprocess_env


def hypothesis_home() -> Path:
    """Where codex tells Hypothesis to keep its files (verify/cases/random_inputs.py)."""
    return cache_path().parent / "hypothesis"


VOWELS = '''\
def count_vowels(s: str) -> int:
    """How many vowels s has."""
    total = 0
    for ch in s:
        if ch in "aeiouAEIOU":
            total += 1
    return total
'''
FASTER = '```python\ndef count_vowels(s: str) -> int:\n    return sum(ch in "aeiouAEIOU" for ch in s)\n```'


def test_random_cases_point_hypothesis_at_the_cache(tmp_path: Path, monkeypatch):
    """In-process and cheap (no text drawn): after drawing, Hypothesis' folder is codex's."""
    from hypothesis.configuration import storage_directory

    from codexcli.verify.cases.random_inputs import hypothesis_cases

    monkeypatch.chdir(tmp_path)
    fn = ast.parse("def f(n: int, xs: list[int]) -> int:\n    return n\n").body[0]
    assert isinstance(fn, ast.FunctionDef) and hypothesis_cases(fn, [], 5)
    home = storage_directory(intent_to_write=False)
    assert Path(getattr(home, "home_directory", home)) == hypothesis_home()
    assert not (tmp_path / ".hypothesis").exists()


def test_optimize_leaves_no_hypothesis_folder_in_the_project(tmp_path: Path, fake_answers: Callable[..., Path]):
    project = tmp_path / "project"
    project.mkdir()
    module = project / "vowels.py"
    module.write_text(VOWELS, encoding="utf-8")
    fake_answers(FASTER, default="no code here")
    proc = subprocess.run(
        [PYTHON, "-m", "codexcli", "optimize", f"{module}::count_vowels", "--samples", "1", "--retries", "0", "--diff"],
        cwd=project,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert sorted(p.name for p in project.iterdir()) == ["vowels.py"]
    assert list(hypothesis_home().rglob("charmap*")), "optimize drew no text with Hypothesis"
