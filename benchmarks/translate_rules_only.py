"""How far codex's own line rules go, with no model: translate every file of a held-out set
with the fake backend answering junk, so only codex's layout and rules can verify a function.

    PYTHONPATH=. .venv/bin/python benchmarks/translate_rules_only.py --set test4 --to java [--json F]
    PYTHONPATH=. .venv/bin/python benchmarks/translate_rules_only.py --file benchmarks/data/nested_probes.py --to cpp

Prints verified / chosen per module and in total. A lower bound of what the real model's runs
verify (bench_heldout.py), and minutes instead of hours: use it to compare rule changes."""

from __future__ import annotations

import argparse
import ast
import json
import tempfile
import time
import tomllib
from pathlib import Path

from benchmarks.make_heldout_sets import SETS_DIR, stored_source, without_docstrings
from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.prompts import load_prompt
from codexcli.tasks.translate import run as task
from codexcli.tasks.translate.lang import output_path


def translate_file(set_name: str, file: str, chosen: tuple[str, ...], target: str, source: str = "") -> dict:
    source = source or without_docstrings(stored_source(set_name, file), chosen)
    with tempfile.TemporaryDirectory() as tmp:
        out = output_path(Path(tmp) / file, target, None)
        result = task.translate_source(
            FakeBackend([], default="junk"),
            load_prompt("translate"),
            task.TranslateJob(source, Path(file), "python", target, out),
            Settings(retries=0),
            task.TranslateOptions(line_prompt=load_prompt("translate_line")),
        )
    verified = sorted(o.target.name for o in result.outcomes if o.target.name in chosen and task.verified(o))
    return {"file": file, "chosen": len(chosen), "verified": verified}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="dev")
    parser.add_argument("--to", default="java")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--file", type=Path, help="a Python file of probe functions instead of a set: all of them")
    args = parser.parse_args()
    if args.file:
        source = args.file.read_text()
        names = tuple(n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef))
        manifest, args.set = {args.file.name: {"functions": names, "source": source}}, args.file.name
    else:
        manifest = tomllib.loads((SETS_DIR / "sets.toml").read_text())[args.set]
    rows, started = [], time.time()
    for file, entry in manifest.items():
        row = translate_file(args.set, file, tuple(entry["functions"]), args.to, entry.get("source", ""))
        rows.append(row)
        print(f"{file}: {len(row['verified'])} of {row['chosen']} {' '.join(row['verified'])}", flush=True)
    total = sum(len(r["verified"]) for r in rows)
    print(
        f"{args.set} to {args.to}: {total} of {sum(r['chosen'] for r in rows)} verified, {time.time() - started:.0f} s"
    )
    if args.json:
        args.json.write_text(json.dumps({"set": args.set, "to": args.to, "files": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
