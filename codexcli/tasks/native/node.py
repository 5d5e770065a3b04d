"""JavaScript tests with node's built-in runner (``node:test``, ``node:assert/strict``).

Calls are observed by a harness module that loads the probed module (``require`` or
``import``), runs each call with the probes reset, and prints what it returned as a JavaScript
literal (numbers, strings, booleans, null, undefined, arrays, plain objects, Maps and Sets of
them), or what it threw. Tests are ``test(title, () => { assert.deepStrictEqual(f(...),
literal); })`` (``assert.throws`` for a throw, ``await`` for a promise), run by ``node --test``
with a preloaded file that saves the probes each process ran.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Sequence

from codexcli.languages import resolve_tool
from codexcli.tasks.testgen.native.calls import Call
from codexcli.tasks.testgen.native.runner import MARKER, Observed, Project, TestRun, observe_all, title
from codexcli.tasks.testgen.native.targets import DEFAULT, CallTarget
from codexcli.tasks.testgen.types import KeptTest

HITS = "__codex_hits__.jsonl"
TSC_OUT = "__codex_tsc__.txt"
# tsc errors that only say a module's type declarations are missing (no @types/node installed)
_TYPE_PACKAGES = {"TS2307", "TS2580", "TS2591", "TS7016"}
AGAIN = "@@codex-again@@"
PRELOAD = (
    "globalThis.__codexHits = new Set();\n"
    "process.on('exit', () => { try { require('fs').appendFileSync(__dirname + '/" + HITS + "', "
    "JSON.stringify([...globalThis.__codexHits]) + '\\n'); } catch (e) {} });\n"
)
HARNESS = r"""
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const path = process.argv[2], start = Number(process.argv[3] || 0);
const mod = $ESM ? await import(pathToFileURL(path).href) : createRequire(import.meta.url)('./' + path);
const name = $NAME;
const f = name === 'default' ? ($ESM || (mod && mod.__esModule) ? mod.default : mod) : mod[name];
function lit(v, d = 0) {
  if (d > 6) return null;
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  const t = typeof v;
  if (t === 'number') return Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? 'Infinity' : '-Infinity') : Object.is(v, -0) ? '-0' : String(v);
  if (t === 'bigint') return v + 'n';
  if (t === 'boolean') return String(v);
  if (t === 'string') return JSON.stringify(v);
  const all = (xs) => { const out = xs.map((x) => lit(x, d + 1)); return out.includes(null) ? null : out; };
  if (Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype) {
    if (Object.keys(v).length !== v.length) return null;
    const xs = all(v); return xs && '[' + xs.join(', ') + ']';
  }
  if (v instanceof Set && Object.getPrototypeOf(v) === Set.prototype) { const xs = all([...v]); return xs && 'new Set([' + xs.join(', ') + '])'; }
  if (v instanceof Map && Object.getPrototypeOf(v) === Map.prototype) {
    const xs = all([...v].map(([k, x]) => [k, x])); return xs && 'new Map([' + xs.join(', ') + '])';
  }
  if (t === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.getOwnPropertySymbols(v).length === 0) {
    const keys = Object.keys(v);
    if (Object.getOwnPropertyNames(v).length !== keys.length) return null;
    const xs = all(keys.map((k) => v[k]));
    return xs && (keys.length ? '{ ' + keys.map((k, i) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)) + ': ' + xs[i]).join(', ') + ' }' : '{}');
  }
  return null;
}
const cases = [$CASES];
for (let i = start; i < cases.length; i++) {
  globalThis.__codexHits = new Set();
  let rec;
  try {
    if (typeof f !== 'function') throw new TypeError(name + ' is not an exported function');
    let v = cases[i](f), awaited = false;
    if (v && typeof v.then === 'function') {
      awaited = true;
      v = await Promise.race([v, new Promise((_, no) => setTimeout(() => no(new Error('codex: promise timed out')), 2000))]);
    }
    let l = lit(v);
    if (l !== null && l.length > 240) l = null;
    rec = { i, lit: l, type: v === null ? 'null' : typeof v, async: awaited };
  } catch (e) {
    const named = e !== null && typeof e === 'object' && typeof e.name === 'string';
    rec = { i, raised: named ? e.name : '', message: named && typeof e.message === 'string' ? e.message : '' };
  }
  rec.hits = [...globalThis.__codexHits];
  process.stdout.write($MARKER + JSON.stringify(rec) + '\n');
}
"""
_TAP = re.compile(r"^(not ok|ok) \d+ - (.*?)(?: # (?:SKIP|TODO).*)?$")
_TEST_DIRS = ("test", "tests", "__tests__")


@dataclass
class NodeTest(Project):
    """node:test, for a JavaScript module (see the module docstring)."""

    def markers(self) -> tuple[str, ...]:
        return ("package.json", ".git")

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

    @property
    def typescript(self) -> bool:
        return self.language == "typescript"

    def tsc(self, *sources: str) -> str:
        """TypeScript compiled to CommonJS under out/ (its type errors saved to a file: the
        JavaScript is emitted all the same, and the errors are read per line)."""
        tsc = shlex.quote(resolve_tool("tsc") or "tsc")
        flags = "--target es2020 --module commonjs --esModuleInterop --skipLibCheck --rootDir . --outDir out"
        return f"{tsc} {flags} {' '.join(map(shlex.quote, sources))} > {TSC_OUT} 2>&1; "

    def observe(self, target: CallTarget, calls: Sequence[Call]) -> list[Observed]:
        cases = ", ".join(f"(f) => f({', '.join(c.args)})" for c in calls)
        text = (
            HARNESS.replace("$ESM", "true" if target.esm and not self.typescript else "false")
            .replace("$NAME", json.dumps(target.import_name))
            .replace("$MARKER", json.dumps(MARKER))
            .replace("$CASES", cases)
        )
        module = self.rel(self.module)
        files = {"__codex_observe__.mjs": text}
        compile_ = ""
        if self.typescript:  # the calls are type-checked too: an ill-typed call is not kept
            f = self.local(target)
            lines = [self.import_line(target, "__codex_calls__.ts")] + [f"{f}({', '.join(c.args)});" for c in calls]
            files["__codex_calls__.ts"] = "\n".join(lines) + "\n"
            compile_ = self.tsc(module, "__codex_calls__.ts") + f"cat {TSC_OUT}; "
            module = "out/" + module.removesuffix(".ts") + ".js"
        argv = lambda start: ["sh", "-c", f"{compile_}node __codex_observe__.mjs {shlex.quote(module)} {start}"]  # noqa: E731
        seen = observe_all(self, len(calls), lambda start: self.sandbox(argv(start), files))
        if not self.typescript:
            return seen
        bad = type_errors(self.last_stdout, "__codex_calls__.ts")
        return [
            Observed("missing", message=f"does not type-check: {bad[i + 2]}") if i + 2 in bad else o
            for i, o in enumerate(seen)
        ]

    def local(self, target: CallTarget) -> str:
        return target.name if target.import_name == DEFAULT else target.import_name

    def call_text(self, target: CallTarget, call: Call, qualified: bool = False) -> str:
        """The call as the test file (which imports the target under ``local``) writes it."""
        return f"{self.local(target)}({', '.join(call.args)})"

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
        rel = PurePosixPath(Path(self.rel(self.module)).as_posix())
        test_dir = Path(importer or self.rel(self.test_path)).parent
        spec = _relative(PurePosixPath(test_dir.as_posix()), rel)
        local = self.local(target)
        if self.typescript:  # TypeScript imports a module without its suffix
            spec = spec.removesuffix(".ts")
        if target.esm or self.typescript:
            return (
                f"import {local} from {json.dumps(spec)};"
                if target.import_name == DEFAULT
                else (f"import {{ {local} }} from {json.dumps(spec)};")
            )
        if target.import_name == DEFAULT:
            return f"const {local} = require({json.dumps(spec)});"
        return f"const {{ {local} }} = require({json.dumps(spec)});"

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


def type_errors(output: str, file: str) -> dict[int, str]:
    """Line -> tsc's first error on it in ``file``, leaving out the errors that only say a
    module's types are not installed (``node:test`` without @types/node)."""
    out: dict[int, str] = {}
    for m in re.finditer(r"^(\S+)\((\d+),\d+\): error (TS\d+): (.*)$", output, re.M):
        if m.group(1).endswith(file) and m.group(3) not in _TYPE_PACKAGES:
            out.setdefault(int(m.group(2)), f"{m.group(3)}: {m.group(4)}"[:160])
    return out


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


def _relative(folder: PurePosixPath, target: PurePosixPath) -> str:
    """``target`` as a require/import specifier from a file in ``folder`` (both relative to the
    project): ``./x.js``, ``../lib/x.js``."""
    rel = posixpath.relpath(str(target), str(folder) or ".")
    return rel if rel.startswith("../") else "./" + rel
