"""Build the optimize sets of issue 28 (item 5): real naive code, not written or tuned here.

    PYTHONPATH=. .venv/bin/python benchmarks/make_optimize_sets.py [--check]

- dev: 19 modules of TheAlgorithms/Python (MIT), files chosen for naive loops while developing
  the rewrite rules (tasks/optimize/rules); every eligible function of each file.
- test: every file of keon/algorithms' ``algorithms/array/`` (MIT) that has an eligible function,
  all of them, chosen by that rule alone and not looked at while developing.
- test2: the same rule on keon/algorithms as it stood at the end of 2017 (f767cec, the last
  commit before 2018-01-01, when much of it was still naive), directories ``string/``, ``set/``,
  ``map/`` and ``search/`` (not ``array/``, whose later version is the test set); files that do
  not parse as Python 3 are left out. Chosen by that rule before any of it was read, and run once.
- test3 (issue 28's fourth round): naive code from two sources no other set draws on, by one
  rule stated here before the set was built and before codex ran on it: keon/algorithms at
  f767cec again, every directory that test2 did not take except ``array/`` (an earlier version
  of test's files), and AllAlgorithms/python (MIT; beginners' contributions, 2018-2020) at
  7f12f2c, its ``algorithms/`` tree. Of these, every file in which ruff's performance rules
  (RUFF_RULES, ``--preview``; what docs/optimize.md calls flagged) flag at least one eligible
  function, as dev's files were chosen for their naive loops; every eligible function of such a
  file, flagged or not. The files' code was not read before choosing: only the counts of eligible
  and flagged functions per directory and per file were looked at, to find sources dense enough
  in flagged functions (a whole-directory rule gave 13 flagged among 133 functions).

Eligible: a top-level function with a parameter, at most 40 lines, with a loop or a
comprehension, no print/input/open call, no yield/global; in a file that imports only the
standard library. Each file is copied as it stands at the recorded commit (the licence and
source in a header comment) to ``benchmarks/sets/optimize/<set>/``; the chosen functions go to
``benchmarks/sets/optimize.toml``. Needs the repositories' snapshots (``--mirror``); ``--check``
only verifies that the stored files still parse and hold their functions.

CPython's datetime, calendar, bisect, string, textwrap, shlex, statistics and posixpath modules are
not in either set (issue 28 is measured on them).
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "sets" / "optimize"
TOML = ROOT / "benchmarks" / "sets" / "optimize.toml"
KEON_2017_UNUSED = [  # every top-level directory of keon/algorithms at f767cec that test2 and test leave
    "backtrack/",
    "bfs/",
    "bit/",
    "calculator/",
    "dfs/",
    "dp/",
    "graph/",
    "heap/",
    "linkedlist/",
    "math/",
    "matrix/",
    "queue/",
    "sort/",
    "stack/",
    "tree/",
    "union-find/",
]
SOURCES = {  # set -> (repository, commit, path prefixes) per source
    "dev": (
        ("TheAlgorithms/Python", "f5988cc09", [
            "ciphers/playfair_cipher.py", "ciphers/beaufort_cipher.py", "strings/frequency_finder.py",
            "other/sdes.py", "maths/series/arithmetic.py", "ciphers/baconian_cipher.py", "ciphers/atbash.py",
            "searches/binary_search.py", "ciphers/simple_keyword_cypher.py", "other/password.py",
            "strings/z_function.py", "other/greedy.py", "maths/average_mode.py", "other/majority_vote_algorithm.py",
            "strings/is_pangram.py", "strings/count_vowels.py", "strings/hamming_distance.py", "maths/three_sum.py",
            "strings/split.py",
        ]),
    ),
    "test": (("keon/algorithms", "a1bf1f3", ["algorithms/array/"]),),
    "test2": (("keon/algorithms", "f767cec", ["string/", "set/", "map/", "search/"]),),
    "test3": (("keon/algorithms", "f767cec", KEON_2017_UNUSED), ("AllAlgorithms/python", "7f12f2c", ["algorithms/"])),
}  # fmt: skip
FLAGGED_FILES = {"test3"}  # sets that keep only files with a flagged eligible function
_CALLS_OUT = {"print", "input", "open", "exit"}


def eligible(fn: ast.FunctionDef) -> bool:
    if not (fn.args.args or fn.args.posonlyargs) or (fn.end_lineno or fn.lineno) - fn.lineno > 40:
        return False
    if not any(isinstance(n, (ast.For, ast.While, ast.comprehension)) for n in ast.walk(fn)):
        return False
    for n in ast.walk(fn):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _CALLS_OUT:
            return False
        if isinstance(n, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)):
            return False
    return True


def stdlib_only(tree: ast.Module) -> bool:
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom) and (n.level or (n.module or "").split(".")[0] not in sys.stdlib_module_names):
            return False
        if isinstance(n, ast.Import) and any(a.name.split(".")[0] not in sys.stdlib_module_names for a in n.names):
            return False
    return True


def flagged(source: str, names: list[str]) -> bool:
    """Whether ruff's performance rules (RUFF_RULES, --preview) flag one of ``names`` in ``source``."""
    from benchmarks.bench_optimize_sets import ruff_flags

    tree = ast.parse(source)
    spans = [
        (n.lineno, n.end_lineno or n.lineno) for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "module.py"
        path.write_text(source, encoding="utf-8")
        rows = ruff_flags(path)
    return any(a <= line <= b for _, line in rows for a, b in spans)


def build(mirrors: dict[str, Path], only: set[str]) -> dict[str, dict[str, list[str]]]:
    chosen: dict[str, dict[str, list[str]]] = {}
    for set_name, sources in SOURCES.items():
        if only and set_name not in only:
            continue
        (OUT / set_name).mkdir(parents=True, exist_ok=True)
        chosen[set_name] = {}
        for repo, commit, paths in sources:
            chosen[set_name] |= build_source(set_name, mirrors[repo], (repo, commit, paths))
    return chosen


def build_source(set_name: str, mirror: Path, source_of: tuple[str, str, list[str]]) -> dict[str, list[str]]:
    repo, commit, paths = source_of
    git = ["git", "-C", str(mirror)]
    listed = subprocess.run([*git, "ls-tree", "-r", "--name-only", commit], capture_output=True, text=True).stdout
    files = sorted(f for f in listed.split() if f.endswith(".py") and any(f.startswith(p) for p in paths))
    chosen: dict[str, list[str]] = {}
    for path in files:
        source = subprocess.run([*git, "show", f"{commit}:{path}"], capture_output=True, text=True).stdout
        try:
            tree = ast.parse(source)
        except SyntaxError:  # Python 2 code in the old snapshot
            continue
        names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and eligible(n)]
        if not names or not stdlib_only(tree) or (set_name in FLAGGED_FILES and not flagged(source, names)):
            continue
        name = Path(path).name
        if name in chosen:
            raise SystemExit(f"{set_name}: two files named {name}")
        header = f"# From {repo} at {commit}: {path} (MIT licence). Stored as it stands.\n"
        (OUT / set_name / name).write_text(header + source, encoding="utf-8")
        chosen[name] = names
    return chosen


def write_toml(chosen: dict[str, dict[str, list[str]]]) -> None:
    lines = ["# The optimize sets of issue 28: set -> file -> chosen functions (benchmarks/bench_optimize_sets.py).",
             "# Built by benchmarks/make_optimize_sets.py; docs/optimize.md reports the figures.", ""]  # fmt: skip
    for set_name, files in chosen.items():
        for name, functions in files.items():
            lines += [f'[{set_name}."{name}"]', "functions = [" + ", ".join(f'"{f}"' for f in functions) + "]", ""]
    TOML.write_text("\n".join(lines), encoding="utf-8")


def check() -> int:
    sets = tomllib.loads(TOML.read_text(encoding="utf-8"))
    for set_name, files in sets.items():
        for name, entry in files.items():
            tree = ast.parse((OUT / set_name / name).read_text(encoding="utf-8"))
            defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
            assert set(entry["functions"]) <= defined, (set_name, name)
        count = sum(len(e["functions"]) for e in files.values())
        print(f"{set_name}: {len(files)} modules, {count} functions")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirror", action="append", default=[], help="OWNER/NAME=PATH of a git snapshot")
    parser.add_argument("--set", action="append", default=[], help="build only this set (the others stay)")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        return check()
    mirrors = {k: Path(v) for k, v in (m.split("=", 1) for m in args.mirror)}
    built = build(mirrors, set(args.set))
    kept = tomllib.loads(TOML.read_text(encoding="utf-8")) if args.set and TOML.exists() else {}
    stored = {s: {f: e["functions"] for f, e in files.items()} for s, files in kept.items()}
    write_toml({s: built.get(s, stored.get(s, {})) for s in SOURCES if s in built or s in stored})
    return check()


if __name__ == "__main__":
    sys.exit(main())
