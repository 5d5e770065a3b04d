"""What a Python function's lines do: its local variables before each line runs, on input cases.

``codex translate``'s line-by-line assembly (tasks/translate/lines.py) checks each translated
statement on the states the original actually passed through: the locals before the line (what
the statement reads), and what came next (the assigned value, the returned value, the branch
taken). The original runs in the sandbox, under ``sys.settrace`` limited to the one frame of the
call (recursive calls and callees are not recorded), with the same harness start, ``canon`` and
per-case alarm as verify/compare/behaviour.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import HARNESS_HEAD, TARGET_MODULE
from codexcli.verify.sandbox.sandbox import Limits, run_python

TRACE_FILE = "__codex_trace__.json"
MAX_EVENTS = 400  # per case: enough for straight-line and branching code, bounded for loops

_LOOP = r"""
MAX_EVENTS = int(sys.argv[5])
for case in CASES:
    events = []
    try:
        func = resolve()
        code = getattr(func, "__code__", None)
        args = eval(case["args"], vars(module))
        kwargs = eval(case["kwargs"], vars(module))
        top = []

        def local(frame, event, arg):
            if len(events) >= MAX_EVENTS:
                return None
            names = {k: canon(v) for k, v in frame.f_locals.items()}
            if event == "line":
                events.append(["line", frame.f_lineno, names])
            elif event == "return":
                events.append(["return", frame.f_lineno, names, canon(arg)])
            elif event == "exception":
                events.append(["exception", frame.f_lineno])
            return local

        def tracer(frame, event, arg):
            if frame.f_code is not code or top:
                return None
            top.append(frame)
            return local

        signal.setitimer(signal.ITIMER_REAL, PER_CASE)
        sys.settrace(tracer)
        try:
            func(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        finally:
            sys.settrace(None)
            signal.setitimer(signal.ITIMER_REAL, 0)
    except TimeoutError:
        events.append(["timeout"])
    except BaseException as exc:
        events.append(["raised", type(exc).__name__])
    out.append(events)
    save()
save()
"""


@dataclass(frozen=True)
class Event:
    """One traced event of a call: ``line`` (about to run ``line``, with the locals before it),
    ``return`` (the locals and the returned ``value``), ``exception``, ``raised`` or ``timeout``."""

    kind: str
    line: int = 0
    names: dict[str, Any] | None = None
    value: Any = None


def trace_lines(
    module_source: str, qualname: str, cases: Sequence[InputCase], *, per_case_timeout_s: float = 2.0
) -> list[list[Event]] | None:
    """The events of each case's call of ``qualname`` (one list per case), or None when the
    original could not be traced (no results, an import error)."""
    payload = [{"args": c.args_src, "kwargs": c.kwargs_src} for c in cases]
    files = {f"{TARGET_MODULE}.py": module_source, "__codex_cases__.json": json.dumps(payload)}
    result = run_python(
        HARNESS_HEAD + _LOOP,
        files=files,
        limits=Limits(timeout_s=5.0 + per_case_timeout_s * len(cases)),
        args=(TRACE_FILE, "__codex_cases__.json", qualname, str(per_case_timeout_s), str(MAX_EVENTS)),
        collect=(TRACE_FILE,),
    )
    raw = result.files.get(TRACE_FILE)
    if raw is None:
        return None
    try:
        records = json.loads(raw)
    except json.JSONDecodeError:
        return None
    if records and isinstance(records[0], dict):  # the harness start's import_error record
        return None
    calls = []
    for record in records:
        events = []
        for e in record:
            if e[0] == "line":
                events.append(Event("line", e[1], e[2]))
            elif e[0] == "return":
                events.append(Event("return", e[1], e[2], e[3]))
            else:
                events.append(Event(e[0], e[1] if len(e) > 1 and isinstance(e[1], int) else 0))
        calls.append(events)
    return calls
