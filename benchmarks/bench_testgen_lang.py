"""`codex testgen` on issue 32's held-out sets (JavaScript, TypeScript, Java; run it, it prints
the figures).

    PYTHONPATH=. python benchmarks/bench_testgen_lang.py --set dev [--max-tokens 96] [--fake] [--no-synthesize]

Each file of benchmarks/sets/lang/<set>/ (benchmarks/sets/lang.toml) is copied alone into a fresh
project folder (a package.json beside a JavaScript or TypeScript file; a Java file by itself) and
`codex --json testgen FILE` runs on it in a fresh process with the embedded model (CODEX_THREADS
from the environment). Printed per file: targets, targets tested / skipped, tests kept (from
codex's own calls and from the model's), coverage before -> after (probed statements), whether
the source file stayed byte for byte as it was, whether the written test file passes when its
real runner (node --test; javac + JUnit 5) runs it again outside codex, and the wall time.
``--fake`` uses the fake backend (no model: codex's own calls only) to check the harness.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SETS = ROOT / "benchmarks" / "sets"


def rerun(language: str, src: Path, test: Path) -> bool:
    """Whether the written test file passes under the real runner, outside codex's sandbox."""
    from codexcli.langspec import JAVA_FLAGS
    from codexcli.tasks.testgen.native.junit import junit_jar

    if language == "javascript":
        return subprocess.run(["node", "--test", str(test)], capture_output=True).returncode == 0
    if language == "java":
        jar, out = str(junit_jar()), test.parent / "classes"
        ok = subprocess.run(["javac", "-d", str(out), "-cp", jar, str(src), str(test)], capture_output=True)
        run = [
            "java", *JAVA_FLAGS, "-jar", jar, "-cp", str(out), "--select-class", test.stem,
            "--disable-banner", "--details=none",
        ]  # fmt: skip
        return ok.returncode == 0 and subprocess.run(run, capture_output=True).returncode == 0
    from codexcli.languages import resolve_tool

    tsc = resolve_tool("tsc") or "tsc"
    project = src.parent
    flags = ["--target", "es2020", "--module", "commonjs", "--esModuleInterop", "--skipLibCheck"]
    subprocess.run([tsc, *flags, "--rootDir", str(project), "--outDir", str(project / "out"), str(src), str(test)],
                   capture_output=True)  # fmt: skip
    compiled = project / "out" / test.relative_to(project).with_suffix(".js")
    return compiled.exists() and subprocess.run(["node", "--test", str(compiled)], capture_output=True).returncode == 0


def one(name: str, entry: dict, folder: Path, work: Path, env: dict[str, str], extra: list[str]) -> dict:
    project = work / Path(name).stem
    project.mkdir()
    if entry["language"] != "java":
        (project / "package.json").write_text('{"name": "bench"}\n')
    src = project / name
    shutil.copyfile(folder / name, src)
    before = src.read_bytes()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "codexcli", "--json", "testgen", str(src), *extra],
        cwd=project, env=env, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    seconds = round(time.perf_counter() - start, 1)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        return {"file": name, "error": (proc.stderr.strip().splitlines() or ["no output"])[-1], "seconds": seconds}
    functions = report.get("functions", [])
    out = Path(report["out"])
    cov = report.get("coverage") or {}
    return {
        "file": name,
        "language": entry["language"],
        "targets": len(functions),
        "tested": sum(1 for f in functions if f["kept"]),
        "skipped": report.get("skipped", ""),
        "kept": sum(f["kept"] for f in functions),
        "kept_codex": sum(f["synthesized"] for f in functions),
        "model_attempts": sum(f["attempts"] for f in functions),
        "before": (cov.get("before") or {}).get("lines"),
        "after": (cov.get("after") or {}).get("lines"),
        "unchanged": src.read_bytes() == before,
        "passes_again": rerun(entry["language"], src, out) if out.exists() else None,
        "seconds": seconds,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", default="dev", choices=("dev", "test"))
    ap.add_argument("--max-tokens", type=int, default=96)
    ap.add_argument("--retries", type=int, default=1)
    ap.add_argument("--fake", action="store_true", help="the fake backend: codex's own calls only")
    ap.add_argument("--only", nargs="*", default=[], help="only these files of the set")
    ap.add_argument("--no-synthesize", action="store_true", help="the model's calls only (no calls made by codex)")
    args = ap.parse_args()
    table = tomllib.loads((SETS / "lang.toml").read_text())[args.set]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CODEX_RETRIES": str(args.retries)}
    if args.fake:
        answers = Path(tempfile.mkdtemp()) / "answers.json"
        answers.write_text(json.dumps(["```\n```"] * 200))
        env.update(CODEX_BACKEND="fake", CODEX_FAKE_ANSWERS=str(answers))
    extra = ["--max-tokens", str(args.max_tokens)] + (["--no-synthesize"] if args.no_synthesize else [])
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-testgen-lang-") as tmp:
        for name, entry in table.items():
            if args.only and name not in args.only:
                continue
            row = one(name, entry, SETS / "lang" / args.set, Path(tmp), env, extra)
            rows.append(row)
            print(json.dumps(row), flush=True)
    print(
        "\n| file | targets | tested | kept (codex + model) | statements before -> after | unchanged | passes again | s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['file']} | error: {r['error'][:80]} | | | | | | {r['seconds']} |")
            continue
        b, a = r["before"] or [0, 0], r["after"] or [0, 0]
        kept = f"{r['kept']} ({r['kept_codex']} + {r['kept'] - r['kept_codex']})"
        cov = f"{b[0]}/{b[1]} -> {a[0]}/{a[1]}" if not r["skipped"] else f"skipped: {r['skipped'][:60]}"
        print(
            f"| {r['file']} | {r['targets']} | {r['tested']} | {kept} | {cov} | {r['unchanged']} | {r['passes_again']} | {r['seconds']} |"
        )


if __name__ == "__main__":
    main()
