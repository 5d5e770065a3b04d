"""`codex comment` on the held-out JavaScript, TypeScript and Java sets of issue 32.

    CODEX_THREADS=1 PYTHONPATH=. .venv/bin/python benchmarks/bench_lang_comment.py dev|test|test2 \
        [--out DIR] [--json FILE] [--files NAME ...]

For each file of the set (benchmarks/sets/lang.toml) it documents the chosen functions (only
those) with the embedded model, through the same code as ``codex comment FILE --only NAME``, and
prints per file: documented (written at the default threshold), held back (below threshold, with
the candidate), skipped, the seconds, and every comment written, for judging by hand
(docs/heldout.md). With ``--out`` the documented files are written there; with ``--json`` the
per-target outcomes. Every written file is checked: byte-identical to the original outside the
inserted comments and re-parsed with the same syntax tree (the splice's own checks, repeated).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from codexcli import languages
from codexcli.backends import create_backend
from codexcli.config import load_settings
from codexcli.prompts import load_prompt
from codexcli.splice.doccomment import shape
from codexcli.tasks.comment.doctargets import parse_function
from codexcli.tasks.comment.doctask import comment_other_source

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT / "benchmarks" / "sets"


def unchanged_outside_comments(before: str, after: str) -> bool:
    """``after`` less the inserted lines (each a line of a ``/** */`` block) is ``before``."""
    old = before.splitlines(keepends=True)
    kept = []
    i = 0
    for line in after.splitlines(keepends=True):
        if i < len(old) and line == old[i]:
            kept.append(line)
            i += 1
        elif not line.lstrip().startswith(("/**", "*")):
            return False
    return "".join(kept) == before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=["dev", "test", "test2"])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--files", nargs="*")
    args = parser.parse_args(argv)
    manifest = tomllib.loads((SETS / "lang.toml").read_text())[args.set]
    settings = load_settings()
    prompt = load_prompt("comment_doc")
    backend = None

    def get():  # type: ignore[no-untyped-def]
        nonlocal backend
        backend = backend or create_backend(settings)
        return backend

    rows = []
    totals = {"chosen": 0, "documented": 0, "below threshold": 0, "skipped": 0}
    for name, entry in manifest.items():
        if args.files and name not in args.files:
            continue
        path = SETS / "lang" / args.set / name
        language = languages.get(entry["language"])
        source = path.read_text(encoding="utf-8")
        started = time.time()
        with tempfile.TemporaryDirectory(prefix="bench-lang-comment-") as tmp:
            copy = Path(tmp) / name  # a project of its own: the examples' calls run in a copy of it
            shutil.copyfile(path, copy)
            result = comment_other_source(
                source, str(copy), language, path.suffix, settings=settings, prompt=prompt, backend=get,
                only=entry["functions"],
            )  # fmt: skip
        seconds = time.time() - started
        parse = parse_function(language, path.suffix)
        safe = unchanged_outside_comments(source, result.after) and shape(parse(result.after.encode())) == shape(
            parse(source.encode())
        )
        counts = {k: sum(o.status == k for o in result.outcomes) for k in ("documented", "below threshold", "skipped")}
        totals["chosen"] += len(entry["functions"])
        for key, value in counts.items():
            totals[key] += value
        print(
            f"{name}: {len(entry['functions'])} chosen, {counts['documented']} documented, "
            f"{counts['below threshold']} held back, {counts['skipped']} skipped; {seconds:.0f} s; "
            f"file unchanged outside the comments and same syntax tree: {safe}"
        )
        for o in result.outcomes:
            print(f"  {o.target.qualname}: {o.status}: {o.reason[:160] if o.status != 'documented' else ''}")
            if o.status == "documented":
                print("    | " + o.value.replace("\n", "\n    | "))
            rows.append(
                {
                    "file": name,
                    "name": o.target.qualname,
                    "status": o.status,
                    "reason": o.reason,
                    "comment": getattr(o, "value", None) or getattr(o, "candidate", None),
                    "evidence": o.evidence.level if getattr(o, "evidence", None) else None,
                    "attempts": len(o.attempts),
                }
            )
        if args.out and result.changed:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / name).write_text(result.after, encoding="utf-8")
    print(
        f"{args.set}: {totals['chosen']} chosen, {totals['documented']} documented, "
        f"{totals['below threshold']} held back, {totals['skipped']} skipped"
    )
    if args.json:
        args.json.write_text(json.dumps({"totals": totals, "targets": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
