"""Run calls in the sandbox and bring back what they returned, as exact literals.

Each probe is a call's source and the import lines that bind its names. One sandboxed process
runs them all in order (each under an alarm) and reports, per call: the value's repr when it is
exact and re-parseable (``ast.literal_eval`` gives the same value back, types included), its
truth, or the exception's type and module; optionally the lines of the module under test that
the call executed (for coverage-guided choices). Results come back through a file, so prints of
the code under test cannot forge them. Used by testgen's observed oracle and synthesized tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from codexcli.verify.sandbox.sandbox import Limits, run_python

MAX_REPR = 240  # longer observed values make unreadable tests; such an assertion is left alone
RESULTS_FILE = "__codex_observed__.json"

HARNESS = r"""
import ast, json, math, signal, sys
RESULTS, PROBES, PER_CALL = sys.argv[1], json.load(open(sys.argv[2])), float(sys.argv[3])
for entry in json.loads(sys.argv[4]):
    sys.path.insert(0, entry)
TRACE = sys.argv[5]
lines = set()

def tracer(frame, event, arg):
    name = frame.f_code.co_filename
    if name == TRACE or name.endswith("/" + TRACE):
        if event == "line":
            lines.add(frame.f_lineno)
        return tracer
    return None

def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b

def on_alarm(signum, frame):
    raise TimeoutError("call timed out")
signal.signal(signal.SIGALRM, on_alarm)

out = []
def save():
    with open(RESULTS, "w") as fh:
        json.dump(out, fh)

for probe in PROBES:
    ns = {}
    record = {}
    try:
        for line in probe["imports"]:
            exec(line, ns)
        lines.clear()
        signal.setitimer(signal.ITIMER_REAL, PER_CALL)
        if TRACE:
            sys.settrace(tracer)
        try:
            value = eval(probe["expr"], ns)
        finally:
            sys.settrace(None)
            signal.setitimer(signal.ITIMER_REAL, 0)
        text = repr(value)
        try:
            exact = len(text) <= %(max_repr)d and same(ast.literal_eval(text), value)
        except Exception:
            exact = False
        record = {"kind": "value", "repr": text if exact else None, "truthy": bool(value)}
    except TimeoutError:
        record = {"kind": "timeout"}
    except BaseException as exc:
        record = {"kind": "raised", "exception": type(exc).__name__, "module": type(exc).__module__}
    record["lines"] = sorted(lines)
    out.append(record)
    save()
save()
""" % {"max_repr": MAX_REPR}


@dataclass(frozen=True)
class Probe:
    """One call to observe: the import lines that bind its names, and the call's source."""

    imports: tuple[str, ...]
    expr: str


@dataclass(frozen=True)
class CallResult:
    """What a probed call did: ``kind`` is "value", "raised", "timeout" or "lost" (no record)."""

    kind: str
    repr: str | None = None  # the exact, re-parseable repr of the value; None when it has none
    truthy: bool | None = None
    exception: str | None = None
    exception_module: str | None = None
    lines: tuple[int, ...] = ()  # lines of the traced module the call executed (when asked)


def observe_calls(
    probes: Sequence[Probe],
    *,
    files: Mapping[str, str] | None = None,
    copy_from: Path | None = None,
    sys_path: Sequence[str] = (),
    python: str | None = None,
    per_call_s: float = 2.0,
    trace: str = "",
) -> list[CallResult]:
    """Run every probe in one sandboxed process (``files``/``copy_from`` hold the project;
    ``sys_path`` entries are relative to the sandbox folder). One result per probe. With
    ``trace`` (the module's path, relative), each result has the module lines the call ran."""
    if not probes:
        return []
    payload = json.dumps([{"imports": list(p.imports), "expr": p.expr} for p in probes])
    result = run_python(
        HARNESS,
        python=python,
        files={**(files or {}), "__codex_probes__.json": payload},
        copy_from=copy_from,
        limits=Limits(timeout_s=10.0 + per_call_s * len(probes)),
        args=(RESULTS_FILE, "__codex_probes__.json", str(per_call_s), json.dumps(list(sys_path)), trace),
        collect=(RESULTS_FILE,),
    )
    try:
        records = json.loads(result.files.get(RESULTS_FILE) or "[]")
    except json.JSONDecodeError:
        records = []
    out = []
    for i in range(len(probes)):
        rec: dict[str, Any] = records[i] if i < len(records) else {"kind": "lost"}
        out.append(
            CallResult(
                rec["kind"],
                rec.get("repr"),
                rec.get("truthy"),
                rec.get("exception"),
                rec.get("module"),
                tuple(rec.get("lines", ())),
            )
        )
    return out
