"""Observe what a Python function does on input cases, in the sandbox, and compare behaviours.

A harness imports the module under test in a sandboxed subprocess, calls the function once per
case (arguments deep-copied, a per-case alarm), and records for each: the return value (in a
canonical, JSON-able form), the exception type if one was raised, and the arguments after the
call (to catch mutation). Results go to a file, not stdout, so prints and ``sys.exit`` in the
code under test cannot forge them. Methods are called on a fresh instance made with no
arguments (skipped when the class needs some).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.sandbox.sandbox import Limits, SandboxResult, run_python

RESULTS_FILE = "__codex_results__.json"
TARGET_MODULE = "__codex_target__"

# The harness's start: its arguments, ``canon``, the per-case alarm, ``save`` and ``resolve`` (the
# function under test). tasks/translate/line_trace.py runs the same start with its own loop.
HARNESS_HEAD = r"""
import copy, json, math, signal, sys, importlib
sys.setrecursionlimit(3000)
RESULTS, CASES, QUALNAME, PER_CASE = sys.argv[1], json.loads(open(sys.argv[2]).read()), sys.argv[3], float(sys.argv[4])
STOP_ON_TIMEOUT = len(sys.argv) > 5 and sys.argv[5] == "1"

def canon(v, depth=0):
    if depth > 20:
        return {"__repr__": "<too deep>"}
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        if math.isnan(v): return {"__float__": "nan"}
        if math.isinf(v): return {"__float__": "inf" if v > 0 else "-inf"}
        return v
    if isinstance(v, (list, tuple)):
        return [canon(x, depth + 1) for x in v] if isinstance(v, list) else {"__tuple__": [canon(x, depth + 1) for x in v]}
    if isinstance(v, (set, frozenset)):
        items = [canon(x, depth + 1) for x in v]
        return {"__set__": sorted(items, key=lambda x: json.dumps(x, sort_keys=True))}
    if isinstance(v, dict):
        return {"__dict__": sorted(([canon(k, depth + 1), canon(x, depth + 1)] for k, x in v.items()), key=lambda kv: json.dumps(kv[0], sort_keys=True))}
    if isinstance(v, (bytes, bytearray)):
        return {"__bytes__": v.hex()}
    if hasattr(v, "__iter__") and type(v).__name__ in ("generator", "map", "filter", "zip", "range", "dict_keys", "dict_values", "dict_items"):
        return {"__iter__": [canon(x, depth + 1) for x in list(v)[:10000]]}
    return {"__repr__": repr(v)[:2000]}

def on_alarm(signum, frame):
    raise TimeoutError("case timed out")
signal.signal(signal.SIGALRM, on_alarm)

out = []
def save():
    with open(RESULTS, "w") as fh:
        json.dump(out, fh)

try:
    module = importlib.import_module("__codex_target__")
except BaseException as exc:
    out.append({"import_error": type(exc).__name__ + ": " + str(exc)[:500]})
    save()
    sys.exit(0)

parts = QUALNAME.split(".")
def resolve():
    obj = module
    for i, part in enumerate(parts):
        owner, obj = obj, getattr(obj, part)
        if isinstance(obj, type) and i < len(parts) - 1:
            raw = obj.__dict__.get(parts[i + 1])
            if isinstance(raw, (staticmethod, classmethod)):
                continue
            obj = obj()  # methods run on a fresh instance
    return obj
"""

HARNESS = (
    HARNESS_HEAD
    + r"""
for case in CASES:
    record = {}
    call_args, call_kwargs = (), {}  # not the last case's when this one's arguments raise
    try:
        func = resolve()
        args = eval(case["args"], vars(module))
        kwargs = eval(case["kwargs"], vars(module))
        call_args, call_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        signal.setitimer(signal.ITIMER_REAL, PER_CASE)
        try:
            value = func(*call_args, **call_kwargs)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        record["value"] = canon(value)
    except TimeoutError:
        record["timeout"] = True
    except BaseException as exc:  # SystemExit too: exiting is behaviour
        record["raised"] = type(exc).__name__
        call_args, call_kwargs = locals().get("call_args", ()), locals().get("call_kwargs", {})
    try:
        record["args_after"] = canon([list(call_args), call_kwargs])
    except Exception:
        record["args_after"] = None
    out.append(record)
    save()
    if STOP_ON_TIMEOUT and record.get("timeout"):
        break  # the rest would time out too, one per-case timeout each
save()
"""
)


@dataclass(frozen=True)
class Observation:
    """What one call did: ``kind`` is "value", "raised", "timeout" or "crashed"."""

    case: InputCase
    kind: str
    value: Any = None
    raised: str | None = None
    args_after: Any = None

    def summary(self) -> str:
        if self.kind == "value":
            return f"returned {json.dumps(self.value)[:80]}"
        if self.kind == "raised":
            return f"raised {self.raised}"
        return {"timeout": "timed out", "crashed": "crashed"}.get(self.kind, self.kind)


@dataclass(frozen=True)
class Behaviour:
    """Observations of one function over a list of cases, or why none could be made."""

    observations: tuple[Observation, ...]
    error: str | None = None  # the module failed to import, the sandbox died...
    sandbox: SandboxResult | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def observe(
    module_source: str,
    qualname: str,
    cases: Sequence[InputCase],
    *,
    python: str | None = None,
    extra_files: dict[str, str] | None = None,
    copy_from: Path | None = None,
    per_case_timeout_s: float = 2.0,
    limits: Limits | None = None,
    stop_on_timeout: bool = False,
) -> Behaviour:
    """Run ``qualname`` from ``module_source`` on every case in the sandbox. With
    ``stop_on_timeout`` the cases after the first timeout are not run (they read as "crashed"):
    enough when any difference rejects, and a hanging version costs one timeout, not one per case."""
    payload = [{"args": c.args_src, "kwargs": c.kwargs_src} for c in cases]
    files = dict(extra_files or {})
    files[f"{TARGET_MODULE}.py"] = module_source
    files["__codex_cases__.json"] = json.dumps(payload)
    limits = limits or Limits(timeout_s=5.0 + per_case_timeout_s * len(cases))
    result = run_python(
        HARNESS,
        python=python,
        files=files,
        copy_from=copy_from,
        limits=limits,
        args=(RESULTS_FILE, "__codex_cases__.json", qualname, str(per_case_timeout_s), "1" if stop_on_timeout else "0"),
        collect=(RESULTS_FILE,),
    )
    raw = result.files.get(RESULTS_FILE)
    if raw is None:
        return Behaviour((), f"the harness produced no results ({result.describe()})", result)
    try:
        records = json.loads(raw)
    except json.JSONDecodeError:
        return Behaviour((), "the harness results are unreadable", result)
    if records and "import_error" in records[0]:
        return Behaviour((), f"the module failed to import: {records[0]['import_error']}", result)
    observations = []
    for i, case in enumerate(cases):
        if i >= len(records):
            observations.append(Observation(case, "crashed"))  # the process died mid-case
            continue
        rec = records[i]
        if rec.get("timeout"):
            observations.append(Observation(case, "timeout", args_after=rec.get("args_after")))
        elif "raised" in rec:
            observations.append(Observation(case, "raised", raised=rec["raised"], args_after=rec.get("args_after")))
        else:
            observations.append(Observation(case, "value", value=rec.get("value"), args_after=rec.get("args_after")))
    return Behaviour(tuple(observations), None, result)


def values_equal(a: Any, b: Any, rel: float = 1e-9, abs_tol: float = 1e-12) -> bool:
    """Structural equality of canonical values, with a float tolerance."""
    if isinstance(a, float) or isinstance(b, float):
        if (
            isinstance(a, (int, float))
            and isinstance(b, (int, float))
            and not isinstance(a, bool)
            and not isinstance(b, bool)
        ):
            return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)
        return False
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(values_equal(x, y, rel, abs_tol) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(values_equal(a[k], b[k], rel, abs_tol) for k in a)
    return a == b


@dataclass(frozen=True)
class Difference:
    """The first way two behaviours differ. ``kind``: "value" (return value), "exception"
    (raised something else, or raised where the other returned), "mutation" (arguments changed
    differently), "timeout", "crashed", or "error" (could not be observed at all)."""

    kind: str
    message: str


def compare(expected: Behaviour, actual: Behaviour) -> Difference | None:
    """None when both behave the same on every case, else the first difference, classified."""
    if not expected.ok:
        return Difference("error", f"the original could not be observed: {expected.error}")
    if not actual.ok:
        return Difference("error", actual.error or "could not be observed")
    for exp, act in zip(expected.observations, actual.observations):
        call = exp.case.call_src
        if exp.kind != act.kind or exp.raised != act.raised:
            kind = act.kind if act.kind in ("timeout", "crashed") else "exception"
            return Difference(kind, f"on {call}: the original {exp.summary()}, this version {act.summary()}")
        if exp.kind == "value" and not values_equal(exp.value, act.value):
            return Difference(
                "value", f"on {call}: expected {json.dumps(exp.value)[:80]}, got {json.dumps(act.value)[:80]}"
            )
        if not values_equal(exp.args_after, act.args_after):
            return Difference("mutation", f"on {call}: the arguments are mutated differently")
    return None
