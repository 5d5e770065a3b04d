"""JavaScript tests with node's built-in runner (``node:test``, ``node:assert/strict``).

The calls are observed by node's harness (tasks/native/node.py). Tests are ``test(title, () => {
assert.deepStrictEqual(f(...), literal); })`` (``assert.throws`` for a throw, ``await`` for a
promise), run by ``node --test`` with a preloaded file that saves the probes each process ran.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from codexcli.tasks.native.calls import Call
from codexcli.tasks.native.node import TSC_OUT, NodeProject, type_errors
from codexcli.tasks.native.runner import Observed
from codexcli.tasks.native.targets import CallTarget
from codexcli.tasks.testgen.native.runner import TestRun, title
from codexcli.tasks.testgen.types import KeptTest

HITS = "__codex_hits__.jsonl"
AGAIN = "@@codex-again@@"
PRELOAD = (
    "globalThis.__codexHits = new Set();\n"
    "process.on('exit', () => { try { require('fs').appendFileSync(__dirname + '/" + HITS + "', "
    "JSON.stringify([...globalThis.__codexHits]) + '\\n'); } catch (e) {} });\n"
)
_TAP = re.compile(r"^(not ok|ok) \d+ - (.*?)(?: # (?:SKIP|TODO).*)?$")
_TEST_DIRS = ("test", "tests", "__tests__")


@dataclass
class NodeTest(NodeProject):
    """node:test, for a JavaScript module (see the module docstring); its tests go to ``test_path``."""

    test_path: Path = field(kw_only=True)

    @staticmethod
    def location(module: Path) -> Path:
        """Where the project keeps its tests: its test/ (tests/, __tests__/) folder, else beside
        the module when tests sit there already (``*.test.js``), else a new test/ folder."""
        module = module.resolve()
        root = next((f for f in module.parents if (f / "package.json").exists()), module.parent)
        suffix = ".test" + {".mjs": ".mjs", ".ts": ".ts"}.get(module.suffix, ".js")
        for name in _TEST_DIRS:
            if (root / name).is_dir():
                return root / name / (module.stem + suffix)
        if any(module.parent.glob("*.test.*[jt]s")):
            return module.with_name(module.stem + suffix)
        return root / "test" / (module.stem + suffix)

    def test(self, target: CallTarget, call: Call, seen: Observed, taken: set[str]) -> KeptTest | None:
        """The test of one observed call, or None when there is nothing to assert."""
        f = self.call_text(target, call)
        if seen.kind == "raised":
            expect = {"name": seen.error} if seen.error else {}
            if seen.error and seen.message and len(seen.message) < 160 and "\n" not in seen.message:
                expect["message"] = seen.message
            shape = "{ " + ", ".join(f"{k}: {json.dumps(v)}" for k, v in expect.items()) + " }" if expect else ""
            what = f"throws {seen.error or 'a value'}"
            if seen.awaited:
                body = f"await assert.rejects({f}{', ' + shape if shape else ''});"
            else:
                body = f"assert.throws(() => {f}{', ' + shape if shape else ''});"
        elif seen.kind == "value":
            got = f"await {f}" if seen.awaited else f
            if seen.literal:
                what, body = f"returns {seen.literal}", f"assert.deepStrictEqual({got}, {seen.literal});"
            elif seen.type in ("function", "object", "symbol"):
                what, body = f"returns a {seen.type}", f"assert.strictEqual(typeof ({got}), {json.dumps(seen.type)});"
            else:
                return None
        else:
            return None
        name = title(f"{f} {what}")
        while name in taken:
            name = title(name + " again")
        asynchronous = "async " if seen.awaited else ""
        code = f"test({json.dumps(name)}, {asynchronous}() => {{\n  {body}\n}});\n"
        return KeptTest(name, code, (self.import_line(target),))

    def import_line(self, target: CallTarget, importer: str = "") -> str:
        """How the test file (or ``importer``, relative to the project) imports the target."""
        return super().import_line(target, importer or self.rel(self.test_path))

    def file_text(self, existing: str, tests: Sequence[KeptTest]) -> str:
        """The test file: ``existing`` with the tests appended (and the imports it lacks), or a
        new file with node:test's imports."""
        esm = any(t.imports and t.imports[0].startswith("import ") for t in tests)
        head: list[str] = []
        if not existing.strip():
            head = (
                ["import test from 'node:test';", "import assert from 'node:assert/strict';"]
                if esm
                else [
                    "'use strict';",
                    "const test = require('node:test');",
                    "const assert = require('node:assert/strict');",
                ]
            )
        for t in tests:
            for line in t.imports:
                if line not in head and line not in existing:
                    head.append(line)
        body = "\n".join(t.code for t in tests)
        if not existing.strip():
            return "\n".join(head) + "\n\n" + body
        sep = "" if existing.endswith("\n") else "\n"
        return existing + sep + "\n" + "\n".join(head) + ("\n\n" if head else "") + body

    def run(self, test_text: str, twice: bool = False) -> TestRun:
        """``node --test`` on the test file, in the sandbox, with the probes saved; ``twice``:
        run it twice (a test passing only the first time is flaky)."""
        test = self.rel(self.test_path)
        files = {test: test_text, "__codex_probe__.cjs": PRELOAD}
        compile_, runs = "", test
        if self.typescript:
            compile_ = self.tsc(self.rel(self.module), test) + f"cat {TSC_OUT}; echo {AGAIN}; "
            runs = "out/" + test.removesuffix(".ts") + ".js"
        once = f"node --require ./__codex_probe__.cjs --test --test-reporter=tap {shlex.quote(runs)}"
        script = compile_ + (f"{once}; echo {AGAIN}; {once}" if twice else once)
        result = self.sandbox(["sh", "-c", script], files, collect=(HITS,))
        stdout = result.stdout
        errors: dict[int, str] = {}
        if self.typescript:
            tsc_out, _, stdout = stdout.partition(AGAIN + "\n")
            errors = type_errors(tsc_out, test)
        first, _, second = stdout.partition(AGAIN + "\n")
        run = tap_run(first, result.files.get(HITS, ""), result.timed_out)
        if errors:  # a test with a type error fails, whatever it does at run time
            titles = _titles(test_text)
            bad = {
                titles[max(k for k in titles if k <= n)]: m for n, m in errors.items() if any(k <= n for k in titles)
            }
            run = replace(
                run, passed={**run.passed, **dict.fromkeys(bad, False)},
                messages={**run.messages, **{t: "does not type-check: " + m for t, m in bad.items()}},
            )  # fmt: skip
        if not twice:
            return run
        again = tap_run(second, "")
        return replace(run, flaky=frozenset(n for n, ok in run.passed.items() if ok and not again.ok(n)))


def _titles(text: str) -> dict[int, str]:
    """Line -> the title of the test that starts on it."""
    found = {}
    for n, line in enumerate(text.splitlines(), start=1):
        m = re.match(r'^test\(("(?:[^"\\]|\\.)*")', line)
        if m:
            found[n] = json.loads(m.group(1))
    return found


def tap_run(stdout: str, hits: str, timed_out: bool = False) -> TestRun:
    """Verdicts from node's TAP report (top-level tests) and the probes from the hits file."""
    passed: dict[str, bool] = {}
    messages: dict[str, str] = {}
    last = ""
    for line in stdout.splitlines():
        m = _TAP.match(line)
        if m:
            last = m.group(2).replace("\\#", "#").replace("\\\\", "\\")
            passed[last] = m.group(1) == "ok"
        elif last and not passed.get(last, True) and line.strip().startswith("error:") and last not in messages:
            messages[last] = line.strip()[6:].strip(" |-'")
    lines = frozenset(n for row in hits.splitlines() if row.strip() for n in json.loads(row))
    error = "the test run timed out" if timed_out and not passed else None
    return TestRun(passed, messages, lines, error)
