"""Back-translation of docstrings (issue 27) with the real model, on standard-library functions.

    PYTHONPATH=. python benchmarks/backtranslate_probe.py [--samples 4] [--max-tokens 256] [--out FILE]

For each function below, three docstrings are checked (codexcli/tasks/comment/backtranslate.py):
its TRUE docstring, the docstring of ANOTHER function of the list (the next one), and NONE (the
signature alone: a control, since a model may rebuild a well-known function from its name).
A useful check matches often with the true docstring and rarely with another one. Prints one
line per check and the totals (matches per condition, seconds per check); with --out, one JSON
line per check.

The functions come from modules that the project's development and test sets do not use, and
are run from their own source file (the inputs are what codex finds for them: type hints, how
the body uses each parameter, or the literal calls given in TESTS as a project's tests would).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FUNCTIONS = [
    ("colorsys", "rgb_to_yiq"),
    ("colorsys", "yiq_to_rgb"),
    ("colorsys", "rgb_to_hsv"),
    ("colorsys", "hsv_to_rgb"),
    ("ntpath", "splitdrive"),
    ("ntpath", "isabs"),
    ("ntpath", "basename"),
    ("fnmatch", "fnmatchcase"),
    ("fnmatch", "translate"),
    ("html", "escape"),
]
# Literal calls standing in for a project's tests, for functions whose code gives no inputs.
TESTS = {
    "basename": "basename('a/b.txt')\nbasename('c:\\\\x\\\\y')\nbasename('')\nbasename('dir/')\nbasename('z')\n",
    "fnmatchcase": "fnmatchcase('a.py', '*.py')\nfnmatchcase('a.txt', '*.py')\nfnmatchcase('ab', 'a?')\n"
    "fnmatchcase('A.PY', '*.py')\nfnmatchcase('x1', 'x[0-9]')\n",
    "escape": "escape('<a href=\"x\">')\nescape('a & b')\nescape(\"'\", quote=False)\nescape('plain')\n"
    "escape('\"q\"', True)\n",
}
CONDITIONS = ("true", "other", "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--limit", type=int, default=0, help="only the first N functions")
    parser.add_argument("--conditions", default=",".join(CONDITIONS), help="of: " + ", ".join(CONDITIONS))
    parser.add_argument("--out", default="")
    args = parser.parse_args()

    from codexcli.backends import create_backend
    from codexcli.config import load_settings
    from codexcli.splice.docstring import find_targets
    from codexcli.tasks.comment.backtranslate import back_translate

    settings = load_settings(Path.cwd()).with_overrides("probe", max_tokens=args.max_tokens)
    chosen = FUNCTIONS[: args.limit] if args.limit else FUNCTIONS
    sources = {m: inspect.getsource(importlib.import_module(m)) for m, _ in chosen}
    targets = {(m, f): next(t for t in find_targets(sources[m]) if t.qualname == f) for m, f in chosen}
    docs = {key: t.docstring or "" for key, t in targets.items()}
    began = time.perf_counter()
    backend = create_backend(settings)
    print(f"model loaded in {time.perf_counter() - began:.1f}s", flush=True)
    rows = []
    out = Path(args.out).open("w", encoding="utf-8") if args.out else None
    try:
        for number, key in enumerate(chosen):
            other = chosen[(number + 1) % len(chosen)]
            for condition in args.conditions.split(","):
                doc = {"true": docs[key], "other": docs[other], "none": ""}[condition]
                result = back_translate(
                    backend,
                    sources[key[0]],
                    targets[key],
                    doc,
                    settings=settings,
                    samples=args.samples,
                    path=f"{key[0]}.py",
                    test_sources=[TESTS[key[1]]] if key[1] in TESTS else (),
                )
                row = {"function": ".".join(key), "condition": condition, **result.to_json()}
                if condition == "other":
                    row["docstring_of"] = ".".join(other)
                rows.append(row)
                print(
                    f"{row['function']:22} {condition:5} {result.status:10} cases={result.cases:2} "
                    f"parsed={result.parsed}/{result.samples} matched={result.matched} "
                    f"{result.seconds:5.1f}s (model {result.model_seconds:5.1f}s)",
                    flush=True,
                )
                if out is not None:
                    out.write(json.dumps(row) + "\n")
                    out.flush()
    finally:
        backend.close()
        if out is not None:
            out.close()
    print()
    for condition in CONDITIONS:
        mine = [r for r in rows if r["condition"] == condition]
        checked = [r for r in mine if r["status"] in ("match", "no match")]
        matched = sum(r["status"] == "match" for r in mine)
        print(f"{condition:5}: {matched} match of {len(checked)} checked ({len(mine)} functions)")
    timed = [r for r in rows if r["status"] in ("match", "no match")]
    if timed:
        total = sum(float(r["seconds"]) for r in timed)  # type: ignore[arg-type]
        model = sum(float(r["model_seconds"]) for r in timed)  # type: ignore[arg-type]
        print(f"seconds per check: {total / len(timed):.1f} mean ({model / len(timed):.1f} drawing the samples)")


if __name__ == "__main__":
    main()
