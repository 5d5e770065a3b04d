"""Run a translated function on the original's input cases and compare what it returns.

The original Python function is observed with verify.compare.behaviour.observe (canonical JSON values).
For the translation, a small harness in the target language calls the function on the same
literal arguments and prints each result as JSON (see harness_src for the format). A Python
driver runs in the sandbox next to it: it builds the program once, then runs it, reading one
result line per case with a per-case deadline; a case that hangs or crashes the process is
recorded as such and the program is restarted from the next case.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from codexcli import languages
from codexcli.languages import Toolchain
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare import harness_src
from codexcli.verify.compare.behaviour import Behaviour, values_equal
from codexcli.verify.compare.harness_lits import Unrenderable, cpp_literal, java_literal, js_literal
from codexcli.verify.compare.mutated import after_difference, cpp_call, cpp_takes_reference, rust_call
from codexcli.verify.compare.rust_args import param_types, rust_literal
from codexcli.verify.compare.toolchains import COMPILE_LIMITS, compiler_errors, expand, toolchain_env, toolchain_for
from codexcli.verify.sandbox.sandbox import Limits, run_python

RESULTS_FILE = "__codex_target_results__.json"
Cases = Sequence[tuple[Any, ...]]  # the arguments of each case, as Python values
SPEC_FILE = "__codex_spec__.json"

DRIVER = r"""
import json, os, select, signal, subprocess, sys, time
spec = json.load(open(sys.argv[1]))
def kill(proc):
    # The sandbox prelude disables os.kill/os.killpg towards other processes (the model's code
    # must not signal anything); the driver kills its own child through a pidfd instead.
    try:
        fd = os.pidfd_open(proc.pid)
        signal.pidfd_send_signal(fd, signal.SIGKILL)
        os.close(fd)
    except (OSError, AttributeError):
        pass
    proc.wait()
out = {"results": {}, "build_error": None}
def save():
    with open(sys.argv[2], "w") as fh:
        json.dump(out, fh)
for argv in spec["build"]:
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=spec["build_timeout"])
    except subprocess.TimeoutExpired:
        out["build_error"] = "the build timed out"; save(); sys.exit(0)
    if p.returncode != 0:
        out["build_error"] = (p.stderr or p.stdout)[-3000:] or "build failed"; save(); sys.exit(0)
marker, n, per_case, startup = spec["marker"].encode(), spec["count"], spec["per_case"], spec["startup"]
start = 0
while start < n:
    err = open("__codex_stderr__.txt", "wb")
    proc = subprocess.Popen(spec["run"] + [str(start)], stdout=subprocess.PIPE, stderr=err)
    current, buf, deadline = start, b"", time.monotonic() + startup + per_case
    while current < n:
        left = deadline - time.monotonic()
        if left <= 0:
            kill(proc)
            out["results"][str(current)] = {"timeout": True}; break
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if not ready:
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            rc = proc.wait()
            out["results"][str(current)] = {"crashed": rc}; break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.startswith(marker):
                try:
                    rec = json.loads(line[len(marker):].decode("utf-8", "replace"))
                except ValueError:
                    rec = {"i": current, "unreadable": True}
                out["results"][str(rec.get("i", current))] = rec
                current = int(rec.get("i", current)) + 1
                deadline = time.monotonic() + per_case
    else:
        try:
            proc.wait(timeout=per_case)
        except subprocess.TimeoutExpired:
            kill(proc)
    save()
    start = current + 1 if current < n else n
save()
"""


@dataclass(frozen=True)
class CaseResult:
    """One case of a translated function: what it did, and whether that matches the original."""

    case: InputCase
    kind: str  # "value" | "raised" | "timeout" | "crashed" | "missing"
    value: Any = None
    passed: bool = False
    detail: str = ""


@dataclass(frozen=True)
class BehaviourReport:
    """How a translated function compares with the original over the cases both could run.

    ``error`` says why no comparison was possible (no harness for the language, the harness did
    not build, toolchain missing); then the function is unverified, not failed."""

    results: tuple[CaseResult, ...] = ()
    error: str | None = None
    # The calls of the cases left out: the translation's parameter types cannot hold their
    # arguments (tasks/translate/expressible.py); not compared, not counted.
    left_out: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def verified(self) -> bool:
        return self.error is None and self.total > 0 and self.passed == self.total

    @property
    def failed(self) -> bool:
        """The translation was run and computed something else on at least one case."""
        return self.error is None and self.passed < self.total

    def first_failure(self) -> str | None:
        return next((r.detail for r in self.results if not r.passed), None)


# Harness programs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HarnessProgram:
    """Files to put in the sandbox, the build commands and the run command (without the start index)."""

    files: dict[str, str]
    build: tuple[tuple[str, ...], ...]
    run: tuple[str, ...]


def harness_program(
    language: str,
    filename: str,
    code: str,
    function: str,
    cases: Sequence[tuple[Any, ...]],
    *,
    owner: str = "",
    mutated: Sequence[int] = (),
) -> HarnessProgram:
    """The harness calling ``function`` of the translated file ``filename`` (``code``) on each
    argument tuple of ``cases``. ``owner`` is the class holding it (Java); ``mutated``: the
    arguments to print after the call (verify/compare/mutated.py), where the builder can. The language's entry in
    codexcli.languages names the builder (``harness``). Raises Unrenderable when a case has no literal in the language, KeyError for a
    language without a harness."""
    ref = languages.get(language).harness
    if ref is None:
        raise KeyError(language)
    return builder(ref)(toolchain_for(language), filename, code, function, cases, owner, mutated=mutated)


def builder(ref: str) -> Callable[..., HarnessProgram]:
    """The harness builder a language's entry names: a function of this module (``java_program``)
    or ``"module:function"``, imported here, in the layer that runs it (codexcli.languages imports
    no builder)."""
    module, _, name = ref.rpartition(":")
    found: Callable[..., HarnessProgram] = getattr(importlib.import_module(module or __name__), name)
    return found


def java_program(
    chain: Toolchain, filename: str, code: str, function: str, cases: Cases, owner: str, mutated: Sequence[int] = ()
) -> HarnessProgram:
    """Java: a separate CodexHarness class calls the translation's static method (and prints
    the ``mutated`` arguments after it: arrays and lists are shared with the caller)."""
    stem = filename.rsplit(".", 1)[0]
    rows = ", ".join("new Object[]{" + ", ".join(java_literal(a) for a in args) + "}" for args in cases)
    arity = len(cases[0]) if cases else 0
    text = harness_src.JAVA.replace("$CLASS", owner or stem).replace("$FUNC", function).replace("$ARITY", str(arity))
    text = text.replace("$AFTER", ", ".join(str(k) for k in mutated))
    files = {filename: code, "CodexHarness.java": text.replace("$CASES", rows)}
    build = tuple(tuple(expand(step, srcs=(filename, "CodexHarness.java"))) for step in chain.build)
    return HarnessProgram(files, build, tuple(expand(chain.run, main="CodexHarness")))


def node_program(
    chain: Toolchain, filename: str, code: str, function: str, cases: Cases, owner: str, mutated: Sequence[int] = ()
) -> HarnessProgram:
    """JavaScript, and languages compiled to it: a JavaScript harness requires the module (it
    prints no ``mutated`` arguments yet: those are not compared)."""
    stem = filename.rsplit(".", 1)[0]
    rows = "[" + ", ".join("[" + ", ".join(js_literal(a) for a in args) + "]" for args in cases) + "]"
    text = harness_src.JAVASCRIPT.replace("$MODULE", stem).replace("$FUNC", function).replace("$CASES", rows)
    if not chain.build:
        files = {filename: code, "__codex_harness__.js": text}
        return HarnessProgram(files, (), tuple(expand(chain.run, main="__codex_harness__.js")))
    # tsc compiles the module into out/; the harness is plain JavaScript placed next to it.
    files = {filename: code, "out/__codex_harness__.js": text}
    build = tuple(tuple(expand(step, srcs=(filename,))) for step in chain.build)
    return HarnessProgram(files, build, tuple(expand(chain.run, main="__codex_harness__.js")))


def cpp_program(
    chain: Toolchain, filename: str, code: str, function: str, cases: Cases, owner: str, mutated: Sequence[int] = ()
) -> HarnessProgram:
    """C++: the translation and a main that calls it, in one file (literals are C++ values; a
    function taking a list by reference gets its arguments as variables: ``cpp_call``)."""
    by_ref = bool(mutated) or cpp_takes_reference(code, function)
    calls = "\n".join(
        cpp_call(i, function, [cpp_literal(a) for a in args], mutated)
        if by_ref
        else f"      case {i}: codex_harness::call({i}, [&]() {{ return {function}({', '.join(cpp_literal(a) for a in args)}); }}); break;"
        for i, args in enumerate(cases)
    )
    code = re.sub(r"\bint\s+main\s*\(", "int codex_original_main(", code)
    return _one_file(chain, filename, code, harness_src.CPP, calls, len(cases))


def rust_program(
    chain: Toolchain, filename: str, code: str, function: str, cases: Cases, owner: str, mutated: Sequence[int] = ()
) -> HarnessProgram:
    """Rust: like C++, with each literal typed by the parameter it is passed to (the
    ``mutated`` arguments as variables, printed after the call: ``rust_call``)."""
    types = param_types(code, function)
    if types is None:
        raise Unrenderable(f"cannot read the parameter types of fn {function}")
    if any(len(args) != len(types) for args in cases):
        raise Unrenderable(f"fn {function} takes {len(types)} parameters")
    calls = "\n".join(
        rust_call(i, function, args, types, mutated)
        if mutated
        else f"            {i} => codex_harness::call({i}, || {function}({', '.join(rust_literal(a, t) for a, t in zip(args, types))})),"
        for i, args in enumerate(cases)
    )
    code = re.sub(r"\bfn\s+main\s*\(", "fn codex_original_main(", code)
    return _one_file(chain, filename, code, harness_src.RUST, calls, len(cases))


def _one_file(chain: Toolchain, filename: str, code: str, template: str, calls: str, count: int) -> HarnessProgram:
    """C++ and Rust: the translation (its own main already renamed, so the harness's main is the
    only one), then the harness, in one file."""
    text = code + "\n" + template.replace("$COUNT", str(count)).replace("$CASES", calls)
    build = tuple(tuple(expand(step, src=filename)) for step in chain.build)
    return HarnessProgram({filename: text}, build, tuple(expand(chain.run)))


def run_translation(
    language: str,
    filename: str,
    code: str,
    function: str,
    cases: Sequence[InputCase],
    *,
    owner: str = "",
    per_case_timeout_s: float = 2.0,
    startup_s: float = 5.0,
    mutated: Sequence[int] = (),
) -> tuple[list[dict[str, Any] | None], str | None]:
    """Run the translated ``function`` on ``cases`` in the sandbox: one record per case (None
    when it never ran), or an error saying why nothing could run. ``mutated``: the arguments
    whose values after the call each record holds too (``"after"``: verify/compare/mutated.py)."""
    entry = languages.lookup(language)
    if entry is None or entry.harness is None:
        return [], f"no behaviour harness for {language} yet"
    chain = toolchain_for(language)
    if chain.missing():
        return [], f"{', '.join(chain.missing())} is not on PATH"
    args = []
    for case in cases:
        values = case.values()
        if values is None or values[1]:
            return [], f"case {case.call_src} is not a plain positional literal call"
        args.append(values[0])
    try:
        program = harness_program(language, filename, code, function, args, owner=owner, mutated=mutated)
    except Unrenderable as exc:
        return [], f"an input has no {language} literal: {exc}"
    spec = {
        "build": [list(step) for step in program.build],
        "run": list(program.run),
        "count": len(args),
        "marker": harness_src.MARKER,
        "per_case": per_case_timeout_s,
        "startup": startup_s,
        "build_timeout": COMPILE_LIMITS.timeout_s,
    }
    files = dict(program.files)
    files[SPEC_FILE] = json.dumps(spec)
    budget = COMPILE_LIMITS.timeout_s + (startup_s + per_case_timeout_s) * (len(args) + 1)
    result = run_python(
        DRIVER,
        files=files,
        args=(SPEC_FILE, RESULTS_FILE),
        limits=Limits(timeout_s=budget, memory_mb=COMPILE_LIMITS.memory_mb, processes=COMPILE_LIMITS.processes),
        env=toolchain_env(),
        collect=(RESULTS_FILE,),
    )
    raw = result.files.get(RESULTS_FILE)
    if raw is None:
        return [], f"the harness produced no results ({result.describe()})"
    data = json.loads(raw)
    if data.get("build_error"):
        return [], "the harness does not build: " + compiler_errors(data["build_error"], 3)
    records = data.get("results", {})
    return [records.get(str(i)) for i in range(len(args))], None


# Comparison ----------------------------------------------------------------------------------------


def simplify(expected: Any, actual: Any) -> tuple[Any, Any]:
    """Bring the original's canonical value and the target's simple one to one shape: tuples
    become lists, sets sorted lists (both sides sorted, since order means nothing), dicts lists
    of [key, value] pairs sorted by key (keys compared as text: a JavaScript object has only
    string keys)."""
    if isinstance(expected, dict) and len(expected) == 1:
        ((tag, inner),) = expected.items()
        if tag == "__tuple__":
            return simplify(inner, actual)
        if tag == "__set__" and isinstance(actual, list) and len(actual) == len(inner):
            pairs = [simplify(e, a) for e, a in zip(sorted(inner, key=_key), sorted(actual, key=_key))]
            return [p[0] for p in pairs], [p[1] for p in pairs]
        if tag == "__set__":
            return inner, actual
        if tag == "__dict__" and isinstance(actual, dict) and isinstance(actual.get("__map__"), list):
            exp_pairs = sorted(([_text_key(k), v] for k, v in inner), key=_key)
            act_pairs = sorted(([_text_key(k), v] for k, v in actual["__map__"]), key=_key)
            if len(exp_pairs) != len(act_pairs):
                return exp_pairs, act_pairs
            out = [simplify(e[1], a[1]) for e, a in zip(exp_pairs, act_pairs)]
            return [[e[0], o[0]] for e, o in zip(exp_pairs, out)], [[a[0], o[1]] for a, o in zip(act_pairs, out)]
        if tag == "__iter__":
            return simplify(inner, actual)
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        pairs = [simplify(e, a) for e, a in zip(expected, actual)]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    return expected, actual


def _key(v: Any) -> str:
    return json.dumps(v, sort_keys=True)


def _text_key(k: Any) -> Any:
    if isinstance(k, (int, float, str)) and not isinstance(k, bool):
        return str(k)
    return k


def compare(
    expected: Behaviour, records: Sequence[dict[str, Any] | None], mutated: Sequence[int] = ()
) -> BehaviourReport:
    """Compare the original's observations with the translation's records, case by case.

    A case counts when the original returned a value or raised; cases where the original timed
    out or crashed say nothing and are left out. Raising counts as raising (exception types
    differ between languages). The ``mutated`` arguments (verify/compare/mutated.py), where the
    harness printed them after a call that returned, must have changed as the original's did."""
    if not expected.ok:
        return BehaviourReport((), f"the original could not be run: {expected.error}")
    results = []
    for obs, rec in zip(expected.observations, records):
        if obs.kind not in ("value", "raised"):
            continue
        call = obs.case.call_src
        if rec is None:
            results.append(CaseResult(obs.case, "missing", detail=f"on {call}: the translation never ran this case"))
            continue
        if rec.get("timeout"):
            results.append(
                CaseResult(
                    obs.case, "timeout", detail=f"on {call}: the original {obs.summary()}, the translation timed out"
                )
            )
            continue
        if "crashed" in rec:
            results.append(
                CaseResult(
                    obs.case,
                    "crashed",
                    detail=f"on {call}: the original {obs.summary()}, the translation crashed (exit {rec['crashed']})",
                )
            )
            continue
        if "raised" in rec:
            ok = obs.kind == "raised"
            detail = "" if ok else f"on {call}: the original {obs.summary()}, the translation raised {rec['raised']}"
            results.append(CaseResult(obs.case, "raised", passed=ok, detail=detail))
            continue
        value = rec.get("value")
        if obs.kind == "raised":
            results.append(
                CaseResult(
                    obs.case,
                    "value",
                    value,
                    False,
                    f"on {call}: the original raised {obs.raised}, the translation returned {json.dumps(value)[:80]}",
                )
            )
            continue
        exp, act = simplify(obs.value, value)
        ok = values_equal(exp, act)
        detail = "" if ok else f"on {call}: expected {json.dumps(exp)[:80]}, got {json.dumps(act)[:80]}"
        if ok and (detail := after_difference(obs, rec, mutated)):
            ok = False
        results.append(CaseResult(obs.case, "value", value, ok, detail))
    return BehaviourReport(tuple(results))
