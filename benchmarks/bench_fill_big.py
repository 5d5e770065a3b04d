"""`codex generate --fill` on a big file (issue 25): wall time and peak memory of the whole run.

Generates a ~5 MB Python module of small, ordinary functions and classes with ONE stub in its
middle, scripts the fake backend to answer that stub with a correct body, runs
``python -m codexcli --backend fake generate --fill FILE`` as a child process, and prints the
child's wall seconds and peak resident memory (``os.wait4``'s ru_maxrss: the child and every
process it waited for). The cost should follow the stubs, not the file: the issue's target is
under 15 s and 500 MB for 5 MB and one stub (303 s and 2.7 GB before the fix).

    python benchmarks/bench_fill_big.py [--mb 5] [--stubs 1] [--git] [--max-seconds 15 --max-mb 500]

``--git`` commits the module in a fresh git repository first, so the run also builds and
consults the repository index (the related-code context). With ``--max-seconds``/``--max-mb``
it exits 1 when a figure is over its limit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_UNITS = [
    '''def total_{i}(items, start=0):
    """Sum the prices of ``items`` (dicts with a "price"), starting from ``start``."""
    result = start
    for item in items:
        result += item.get("price", 0) * item.get("count", 1)
    return result

''',
    '''def slug_{i}(text: str) -> str:
    """A URL slug: lower case, words joined by dashes."""
    words = [w for w in text.lower().replace("_", " ").split() if w.isalnum()]
    return "-".join(words) or "n-{i}"

''',
    '''class Counter{i}:
    """Counts the words it is fed."""

    def __init__(self):
        self.counts = {{}}

    def feed(self, text):
        for word in text.split():
            self.counts[word] = self.counts.get(word, 0) + 1
        return len(self.counts)

    def top(self, n={i_mod}):
        return sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

''',
    '''def parse_pairs_{i}(line, sep=","):
    """Parse "a=1,b=2" into a dict of ints; malformed parts are skipped."""
    out = {{}}
    for part in line.split(sep):
        key, _, value = part.partition("=")
        if key and value.strip().lstrip("-").isdigit():
            out[key.strip()] = int(value)
    return out

''',
]

STUB = '''def clamp(value, low, high):
    """Limit ``value`` to the closed range [low, high].

    >>> clamp(5, 0, 3)
    3
    """
    ...

'''
ANSWER = "def clamp(value, low, high):\n    return max(low, min(value, high))\n"


def stub_source(index: int) -> str:
    return STUB if index == 0 else STUB.replace("clamp", f"clamp_{index}")


def make_module(megabytes: float, stubs: int) -> str:
    """About ``megabytes`` of ordinary code with ``stubs`` stub functions spread through it."""
    target = int(megabytes * 1_000_000)
    parts: list[str] = ['"""A big generated module (benchmarks/bench_fill_big.py)."""\n\n']
    size = len(parts[0])
    i = 0
    while size < target:
        unit = _UNITS[i % len(_UNITS)].format(i=i, i_mod=i % 7 + 1)
        parts.append(unit)
        size += len(unit)
        i += 1
    for k in range(stubs):
        parts.insert(1 + (k + 1) * len(parts) // (stubs + 1), stub_source(k))
    return "".join(parts)


def run(path: Path, answers: Path, stubs: int) -> dict[str, float | int | bool]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(CODEX_FAKE_ANSWERS=str(answers), XDG_CONFIG_HOME=str(path.parent / "config"))
    # One answer per stub (--evidence form): the cost of the file, not of sampling and probing.
    argv = [sys.executable, "-m", "codexcli", "--backend", "fake", "generate", "--fill", str(path)]
    argv += ["--evidence", "form"]
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=path.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 before reading: the pipes carry a few lines only, far below their buffer size.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code != 0:
        print(stderr, file=sys.stderr)
    text = path.read_text(encoding="utf-8")
    filled = text.count("return max(low, min(value, high))") == stubs
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "exit": code, "filled": filled}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of the generated module (default 5)")
    parser.add_argument("--stubs", type=int, default=1, help="stub functions in it (default 1)")
    parser.add_argument("--git", action="store_true", help="inside a git repository (repository context on)")
    parser.add_argument("--max-seconds", type=float, default=None)
    parser.add_argument("--max-mb", type=float, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="codex-bench-fill-") as tmp:
        folder = Path(tmp)
        path = folder / "big_module.py"
        path.write_text(make_module(args.mb, args.stubs), encoding="utf-8")
        if args.git:
            git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
            subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
            subprocess.run([*git, "add", path.name], cwd=folder, check=True)
            subprocess.run([*git, "commit", "-qm", "big module"], cwd=folder, check=True)
        answers = folder / "answers.json"
        script = [ANSWER.replace("clamp", f"clamp_{k}") if k else ANSWER for k in range(args.stubs)]
        answers.write_text(json.dumps({"answers": script}), encoding="utf-8")
        size_mb = path.stat().st_size / 1_000_000
        figures = run(path, answers, args.stubs)
    print(
        f"file {size_mb:.2f} MB, {args.stubs} stub(s){' in a git repository' if args.git else ''}: exit {figures['exit']}, "
        f"filled {'yes' if figures['filled'] else 'NO'}, wall {figures['seconds']:.1f} s, "
        f"peak RSS {figures['peak_mb']:.0f} MB"
    )
    over = (args.max_seconds is not None and float(figures["seconds"]) > args.max_seconds) or (
        args.max_mb is not None and float(figures["peak_mb"]) > args.max_mb
    )
    return 1 if over or figures["exit"] != 0 or not figures["filled"] else 0


if __name__ == "__main__":
    sys.exit(main())
