"""Run each editing task's CLI with the real embedded model on two real modules; canonical JSON.

Issue 26's acceptance for a refactor ("behaviour unchanged") on code that is not this
repository's: the standard library's ``colorsys`` and ``bisect`` (copied from the interpreter
that runs this script, so both checkouts see the same text, as ``colors.py`` and ``bisection.py``
so that they do not shadow the standard library's modules codex itself imports), with CODEX_THREADS=1 and a fixed
seed. Each scenario's exit code, ``--json`` output (timings dropped), the files left in the
project folder and every request the model received (CODEX_FAKE_LOG is not used: the prompts are
compared through the JSON and the files) are printed as one JSON object. Run it on two checkouts
and diff:

    python benchmarks/compare_real.py --repo /tmp/base > base.json
    python benchmarks/compare_real.py --repo . > mine.json
    diff base.json mine.json

This is an equality check between two checkouts, not a quality measurement: nothing here is
tuned on what these modules get. (Issue 27 measures docstrings on ``bisect`` among others; do not
develop against what this script prints.)

It takes minutes (the model writes every answer): use ``--only NAME`` for one scenario.
``optimize`` accepts a rewrite on measured speed, so its verdict can differ between runs on a
noisy machine even when the code is the same; that scenario is printed last and named so.
"""

from __future__ import annotations

import ast
import bisect
import colorsys
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from compare_json import canonical, compare_main, observed

HERE = Path(__file__).resolve().parent.parent


def hollow(source: str, names: set[str]) -> str:
    """``source`` with the bodies of the top-level functions ``names`` replaced by ``...`` (their
    docstrings kept): stubs for ``generate --fill`` made from real code."""
    lines = source.splitlines(keepends=True)
    cuts: list[tuple[int, int, str]] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            first = node.body[0]
            keep_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            start = (first.end_lineno if keep_doc else first.lineno - 1) or 0
            indent = " " * (node.col_offset + 4)
            cuts.append((start, node.end_lineno or start, f"{indent}...\n"))
    for start, end, text in sorted(cuts, reverse=True):
        lines[start:end] = [text]
    return "".join(lines)


def two_functions(source: str, names: tuple[str, ...]) -> str:
    """Only the module's imports and the functions ``names``: a small translation input."""
    tree = ast.parse(source)
    keep = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    keep += [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names]
    return "\n\n".join(ast.get_source_segment(source, n) or "" for n in keep) + "\n"


def scenarios() -> dict[str, tuple[dict[str, str], list[str]]]:
    """name -> (files of the project folder, codex arguments)."""
    csys = Path(colorsys.__file__).read_text(encoding="utf-8")
    bsct = Path(bisect.__file__).read_text(encoding="utf-8")
    small = {"colors.py": two_functions(csys, ("rgb_to_yiq", "yiq_to_rgb"))}
    return {
        "comment-colorsys": (
            {"colors.py": csys},
            ["--json", "comment", "colors.py", "--only", "rgb_to_yiq", "--only", "_v", "--dry-run"],
        ),
        "comment-bisect": (
            {"bisection.py": bsct},
            ["--json", "comment", "bisection.py", "--overwrite", "--only", "insort_left", "--dry-run"],
        ),
        "fill-bisect": (
            {"bisection.py": hollow(bsct, {"bisect_right", "bisect_left"})},
            ["--json", "generate", "--fill", "bisection.py", "--dry-run"],
        ),
        "fill-colorsys": (
            {"colors.py": hollow(csys, {"rgb_to_yiq"})},
            ["--json", "generate", "--fill", "colors.py", "--dry-run"],
        ),
        "testgen-colorsys": (
            {"colors.py": csys},
            ["--json", "testgen", "colors.py", "-f", "rgb_to_yiq", "--mutants", "2", "--dry-run"],
        ),
        "testgen-bisect": (
            {"bisection.py": bsct},
            ["--json", "testgen", "bisection.py", "-f", "bisect_left", "--mutants", "2", "--dry-run"],
        ),
        "translate-colorsys-java": (
            small,
            ["--json", "translate", "colors.py", "--to", "java", "--cases", "6", "--dry-run"],
        ),
        "translate-bisect-js": (
            {"bisection.py": two_functions(bsct, ("bisect_right", "bisect_left"))},
            ["--json", "translate", "bisection.py", "--to", "javascript", "--cases", "6", "--dry-run"],
        ),
        "optimize-colorsys (speed verdicts may differ on a noisy machine)": (
            {"colors.py": csys.replace("def rgb_to_hsv(r, g, b):", "def rgb_to_hsv(r: float, g: float, b: float):")},
            ["--json", "optimize", "colors.py::rgb_to_hsv", "--sizes", "10,100", "--repeats", "3", "--dry-run"],
        ),
    }


def run_one(repo: Path, files: dict[str, str], args: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cmpreal-") as tmp:
        root = Path(tmp).resolve()
        work = root / "proj"
        (work / "tests").mkdir(parents=True)
        (work / "pyproject.toml").write_text("[project]\nname = 'proj'\n", encoding="utf-8")
        for name, text in files.items():
            (work / name).write_text(text, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CODEX_") and k != "PYTHONPATH"} | {
            "PYTHONPATH": str(repo),
            "CODEX_THREADS": "1",
            "CODEX_SEED": "7",
            "CODEXCLI_HOME": str(root / "home"),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_CACHE_HOME": str(root / "cache"),
        }
        proc = subprocess.run(
            [sys.executable, "-m", "codexcli", *args], cwd=work, env=env, capture_output=True, text=True, timeout=1800
        )
        output, left = observed(proc, work)
        return canonical({"exit": proc.returncode, "json": output, "files": left}, str(root))


def main() -> int:
    table = scenarios()
    return compare_main(__doc__ or "", list(table), lambda repo, name: run_one(repo, *table[name]))


if __name__ == "__main__":
    raise SystemExit(main())
