"""Calls of a JavaScript or TypeScript function, run with node in the sandbox.

Calls are observed by a harness module that loads the probed module (``require`` or
``import``), runs each call with the probes reset, and prints what it returned as a JavaScript
literal (numbers, strings, booleans, null, undefined, arrays, plain objects, Maps and Sets of
them), or what it threw. TypeScript is compiled to CommonJS by tsc first, with the calls, so that
an ill-typed call is not kept. The tests of those calls are testgen's (tasks/testgen/native/node.py).
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Sequence

from codexcli.languages import resolve_tool
from codexcli.tasks.native.calls import Call
from codexcli.tasks.native.runner import MARKER, Observed, Project, observe_all
from codexcli.tasks.native.targets import DEFAULT, CallTarget

TSC_OUT = "__codex_tsc__.txt"
# tsc errors that only say a module's type declarations are missing (no @types/node installed)
_TYPE_PACKAGES = {"TS2307", "TS2580", "TS2591", "TS7016"}
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


@dataclass
class NodeProject(Project):
    """A JavaScript or TypeScript module's project, where node runs calls of it (see the module
    docstring)."""

    def markers(self) -> tuple[str, ...]:
        return ("package.json", ".git")

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

    def import_line(self, target: CallTarget, importer: str) -> str:
        """How the file ``importer`` (relative to the project) imports the target."""
        rel = PurePosixPath(Path(self.rel(self.module)).as_posix())
        test_dir = Path(importer).parent
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


def type_errors(output: str, file: str) -> dict[int, str]:
    """Line -> tsc's first error on it in ``file``, leaving out the errors that only say a
    module's types are not installed (``node:test`` without @types/node)."""
    out: dict[int, str] = {}
    for m in re.finditer(r"^(\S+)\((\d+),\d+\): error (TS\d+): (.*)$", output, re.M):
        if m.group(1).endswith(file) and m.group(3) not in _TYPE_PACKAGES:
            out.setdefault(int(m.group(2)), f"{m.group(3)}: {m.group(4)}"[:160])
    return out


def _relative(folder: PurePosixPath, target: PurePosixPath) -> str:
    """``target`` as a require/import specifier from a file in ``folder`` (both relative to the
    project): ``./x.js``, ``../lib/x.js``."""
    rel = posixpath.relpath(str(target), str(folder) or ".")
    return rel if rel.startswith("../") else "./" + rel
