"""Calibrating the reviewer score of `codex comment` (issue 27; codexcli/tasks/comment/reviewer.py).

    CODEX_THREADS=1 python benchmarks/reviewer_calibration.py --per-module 4 --negatives 2   # docs/reviewer.md
    CODEX_THREADS=1 python benchmarks/reviewer_calibration.py --direction code --prompt instruction
    python benchmarks/reviewer_calibration.py --json build/reviewer.json      # every score, for a re-read

Real documented functions and methods of development stdlib modules (DEV_MODULES: never the
modules the comment benchmark measures on, HIDDEN). For each one, its true docstring's first
paragraph is the positive; the first paragraphs of ``--negatives`` other documented functions
of the same module (drawn with a fixed seed) are the negatives: the "describes another function"
mistake, in the vocabulary of the same module. Each pair is scored with ``reviewer_score``
(``--direction reviewer``: P(summary | code)) or ``code_score`` (``--direction code``:
P(body | docstring), its neutral baseline once per function). Printed: AUC, how often the true
summary beats all its negatives, precision and recall at the score deciles (pooled, so the
negatives outnumber the positives ``--negatives`` to 1: the case where most candidates describe
another function), the lowest threshold reaching ``--precision``, and the seconds one call of
the backend's ``score`` takes (wall and CPU; on a shared machine CPU is the steadier figure).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import json
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codexcli.backends.llamacpp import LlamaCppBackend  # noqa: E402
from codexcli.config import load_settings  # noqa: E402
from codexcli.tasks.comment import reviewer  # noqa: E402

# The comment benchmark's hidden measurement: never calibrate on these.
HIDDEN = {"datetime", "calendar", "bisect", "string", "textwrap", "shlex", "statistics", "posixpath"}
DEV_MODULES = (
    "heapq",
    "fnmatch",
    "colorsys",
    "html",
    "quopri",
    "base64",
    "ipaddress",
    "graphlib",
    "difflib",
    "urllib.parse",
    "email.utils",
    "reprlib",
    "gettext",
    "netrc",
    "mimetypes",
)


@dataclass(frozen=True)
class Function:
    module: str
    qualname: str
    code: str
    summary: str


@dataclass(frozen=True)
class Pair:
    module: str
    qualname: str
    docstring_of: str  # whose summary was scored (qualname == docstring_of: the true one)
    score: float

    @property
    def positive(self) -> bool:
        return self.qualname == self.docstring_of


def documented(module_name: str, limit: int) -> list[Function]:
    """Functions and methods of a module with a summary of 3+ words and a body to score."""
    assert module_name not in HIDDEN
    source = inspect.getsource(importlib.import_module(module_name))
    lines = source.splitlines(keepends=True)
    out: list[Function] = []
    seen: set[str] = set()
    stack: list[tuple[ast.AST, str]] = [(ast.parse(source), "")]
    while stack:
        parent, prefix = stack.pop(0)
        for node in ast.iter_child_nodes(parent):
            if isinstance(node, ast.ClassDef):
                stack.append((node, prefix + node.name + "."))
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            doc = ast.get_docstring(node)
            text = reviewer.summary(doc) if doc else ""
            code = "".join(lines[node.lineno - 1 : node.end_lineno])
            if len(text.split()) < 3 or text in seen or reviewer.split_code(code) is None:
                continue
            seen.add(text)
            out.append(Function(module_name, prefix + node.name, code, text))
    return out[:limit]


def auc(pairs: list[Pair]) -> float:
    pos = [p.score for p in pairs if p.positive]
    neg = [p.score for p in pairs if not p.positive]
    wins = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg)
    return wins / (len(pos) * len(neg))


def at(pairs: list[Pair], threshold: float) -> tuple[float, float, int]:
    """Precision, recall and the number passing at ``threshold``."""
    passing = [p for p in pairs if p.score >= threshold]
    positives = sum(p.positive for p in pairs)
    tp = sum(p.positive for p in passing)
    return (tp / len(passing) if passing else 1.0), tp / positives, len(passing)


def pick(pairs: list[Pair], precision: float) -> float | None:
    """The lowest observed score whose threshold reaches ``precision`` (most recall)."""
    for threshold in sorted({p.score for p in pairs}):
        if at(pairs, threshold)[0] >= precision:
            return threshold
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", nargs="*", default=list(DEV_MODULES))
    parser.add_argument("--per-module", type=int, default=12)
    parser.add_argument("--negatives", type=int, default=3)
    parser.add_argument("--prompt", choices=sorted(reviewer.PROMPTS), default=reviewer.PROMPT)
    parser.add_argument("--neutral", default=reviewer.NEUTRAL_DOCSTRING)
    parser.add_argument(
        "--direction",
        choices=("reviewer", "code"),
        default="reviewer",
        help="reviewer: P(docstring | code) (reviewer_score); code: P(code | docstring) (code_score)",
    )
    parser.add_argument("--body-lines", type=int, default=reviewer.MAX_BODY_LINES)
    parser.add_argument("--precision", type=float, default=0.9)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings = load_settings()
    backend = LlamaCppBackend.from_settings(settings)
    build = reviewer.PROMPTS[args.prompt]
    rng = random.Random(0)
    pairs: list[Pair] = []
    seconds: list[tuple[float, float]] = []  # (wall, CPU) of each scoring call
    for name in args.modules:
        functions = documented(name, args.per_module)
        for fn in functions:
            others = [o for o in functions if o is not fn]
            chosen = [fn, *rng.sample(others, min(args.negatives, len(others)))]
            start, cpu = time.perf_counter(), time.process_time()
            base = (
                None
                if args.direction == "reviewer"
                else reviewer.baseline(
                    backend, fn.code, neutral=args.neutral, prompt=build, max_body_lines=args.body_lines
                )
            )
            if base is not None:
                seconds.append((time.perf_counter() - start, time.process_time() - cpu))
            for doc in chosen:
                start, cpu = time.perf_counter(), time.process_time()
                if args.direction == "reviewer":
                    value = reviewer.reviewer_score(backend, fn.code, doc.summary, max_body_lines=args.body_lines)
                else:
                    value = reviewer.code_score(
                        backend, fn.code, doc.summary, baseline=base, prompt=build, max_body_lines=args.body_lines
                    )
                seconds.append((time.perf_counter() - start, time.process_time() - cpu))
                assert value is not None
                pairs.append(Pair(name, fn.qualname, doc.qualname, value))
        print(f"{name}: {len(functions)} functions", file=sys.stderr, flush=True)
    backend.close()
    report(pairs, seconds, args, settings.threads)


def report(
    pairs: list[Pair], seconds: list[tuple[float, float]], args: argparse.Namespace, threads: int | None
) -> None:
    positives = [p for p in pairs if p.positive]
    by_fn: dict[tuple[str, str], list[Pair]] = {}
    for p in pairs:
        by_fn.setdefault((p.module, p.qualname), []).append(p)
    top = sum(
        all(q.score < p.score for q in group if not q.positive) for group in by_fn.values() for p in group if p.positive
    )
    print(
        f"direction {args.direction}, prompt {args.prompt!r}, neutral {args.neutral!r}, body lines {args.body_lines}, threads {threads}"
    )
    print(
        f"{len(positives)} functions from {len(set(p.module for p in pairs))} modules, "
        f"{len(pairs) - len(positives)} negatives; AUC {auc(pairs):.3f}; "
        f"true docstring above all its negatives: {top}/{len(by_fn)}"
    )
    print(
        f"mean score: true {statistics.mean(p.score for p in positives):+.3f}, "
        f"other {statistics.mean(p.score for p in pairs if not p.positive):+.3f}"
    )
    print("threshold  precision  recall  passing")
    scores = sorted(p.score for p in pairs)
    for threshold in sorted({0.0, *(scores[len(scores) * k // 10] for k in range(1, 10))}):
        precision, recall, passing = at(pairs, threshold)
        print(f"{threshold:+9.3f}  {precision:9.3f}  {recall:6.3f}  {passing:7d}")
    chosen = pick(pairs, args.precision)
    if chosen is None:
        print(f"no threshold reaches precision {args.precision}")
    else:
        precision, recall, _ = at(pairs, chosen)
        print(f"picked {chosen:+.3f}: precision {precision:.3f}, recall {recall:.3f}")
    wall, cpu = [w for w, _ in seconds], [c for _, c in seconds]
    print(
        f"seconds per scoring call: wall median {statistics.median(wall):.3f}, mean {statistics.mean(wall):.3f}; "
        f"CPU median {statistics.median(cpu):.3f} ({len(seconds)} calls, {sum(wall):.0f} s wall)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(p) for p in pairs], indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
