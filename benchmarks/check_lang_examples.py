"""Check, outside codex, every example of the examples comments that bench_lang_comment.py wrote.

    PYTHONPATH=. .venv/bin/python benchmarks/check_lang_examples.py OUT_DIR

For each file of OUT_DIR (a ``--out`` folder of benchmarks/bench_lang_comment.py), each line
``call // => value`` of a comment of observed examples is run again by the language itself, on the
written file, in a fresh process: node (TypeScript compiled by tsc first) asserts
``deepStrictEqual(call, value)``; javac/java check ``Objects.deepEquals(call, value)``. Prints per
file how many examples hold, and every one that does not.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from codexcli.langspec import resolve_tool

EXAMPLE = re.compile(r"^\s*\* (\S.*?) // => (.+)$", re.M)


def examples(text: str) -> list[tuple[str, str]]:
    """(call, value) of each example line inside a comment of observed examples."""
    out = []
    for block in re.findall(r"/\*\*(.*?)\*/", text, re.S):
        if "Examples of calls to" in block:
            out += EXAMPLE.findall(block)
    return out


def check_js(path: Path, shown: list[tuple[str, str]], tmp: Path) -> list[str]:
    module = path
    if path.suffix == ".ts":
        tsc = [resolve_tool("tsc") or "tsc", "--target", "es2020", "--module", "commonjs", "--outDir", str(tmp)]
        subprocess.run([*tsc, str(path)], capture_output=True, check=False)  # type errors: JS is emitted anyway
        module = tmp / (path.stem + ".js")
    bad = []
    for call, value in shown:
        name = call.split("(", 1)[0]
        script = (
            "import assert from 'node:assert/strict';\n"
            f"const ns = await import({str(module.resolve().as_uri())!r});\n"
            f"const {name} = ns[{name!r}] ?? ns.default?.[{name!r}] ?? "
            "(typeof ns.default === 'function' ? ns.default : ns.default?.default);\n"  # CJS from tsc
            f"assert.deepStrictEqual({call}, {value});\n"
        )
        done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True)
        if done.returncode != 0:
            bad.append(f"{call} // => {value}: {done.stderr.strip().splitlines()[-1:] or ''}")
    return bad


def check_java(path: Path, shown: list[tuple[str, str]], tmp: Path) -> list[str]:
    lines = [
        f"        if (!java.util.Objects.deepEquals({call}, {value})) System.out.println({i});"
        for i, (call, value) in enumerate(shown)
    ]
    check = "public class CodexCheck {\n    public static void main(String[] a) {\n" + "\n".join(lines) + "\n    }\n}\n"
    (tmp / "CodexCheck.java").write_text(check)
    (tmp / path.name).write_text(path.read_text())
    built = subprocess.run(
        ["javac", "-d", str(tmp), str(tmp / path.name), str(tmp / "CodexCheck.java")], capture_output=True, text=True
    )
    if built.returncode != 0:
        return [f"does not compile: {built.stderr[:300]}"]
    ran = subprocess.run(["java", "-cp", str(tmp), "CodexCheck"], capture_output=True, text=True)
    return [f"{shown[int(i)][0]} // => {shown[int(i)][1]}" for i in ran.stdout.split()] + (
        [ran.stderr[:300]] if ran.returncode else []
    )


def main(argv: list[str]) -> int:
    total = held = 0
    for path in sorted(Path(argv[0]).iterdir()):
        shown = examples(path.read_text())
        if not shown:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            bad = (check_java if path.suffix == ".java" else check_js)(path, shown, Path(tmp))
        total, held = total + len(shown), held + len(shown) - len(bad)
        print(f"{path.name}: {len(shown) - len(bad)} of {len(shown)} examples hold")
        for line in bad:
            print(f"  does not hold: {line}")
    print(f"all: {held} of {total} examples hold")
    return 0 if held == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
