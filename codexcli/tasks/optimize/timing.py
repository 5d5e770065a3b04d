"""Time several versions of one function against each other, fairly, in the sandbox.

All versions (index 0 is the original) run in the SAME subprocess, so they share the
interpreter, the CPU frequency and the noise of other processes. For each input size:

* every version is called once on every case (warm-up); the outcome of each call (returned, or
  which exception) is recorded so a version that fails only on big inputs is caught, and a
  version slower than the per-pass timeout is marked as timed out there (and at bigger sizes);
* the number of passes per sample is calibrated per version (a sample lasts a few ms);
* then ``repeats`` rounds, each timing every version once in a rotated order (interleaving:
  a burst of noise hits all versions alike), and the median per version is kept. Ratios are
  taken per round (original / version in the same round, so slow drifts in machine load
  cancel), and their median is the speedup; their lower quartile says how sure it is.

A group marked ``superlinear_only`` (judge.input_groups adds one at 10x the biggest size) is
timed only when the original's cost grew faster than its input to the power 1.4 over the two
sizes before it (quadratic code), and the trend predicts a pass under a tenth of the timeout:
a rewrite that removes a quadratic step is then judged where the step dominates, while linear
code costs no extra time.

Arguments are deep-copied before each pass (untimed) when a version mutates them.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.sandbox.sandbox import Limits, run_python

RESULTS_FILE = "__codex_timing__.json"
SUPERLINEAR_SKIP = "the original's cost does not grow faster than its input"

HARNESS = r'''
SUPERLINEAR_SKIP = "the original's cost does not grow faster than its input"
import copy, importlib, json, math, signal, statistics, sys, time
sys.setrecursionlimit(3000)
RESULTS, SPEC = sys.argv[1], json.loads(open(sys.argv[2]).read())
QUALNAME, REPEATS, PASS_TIMEOUT, BUDGET = SPEC["qualname"], SPEC["repeats"], SPEC["pass_timeout"], SPEC["budget"]
START = time.perf_counter()

class Timeout(BaseException):
    pass
def on_alarm(signum, frame):
    raise Timeout()
signal.signal(signal.SIGALRM, on_alarm)

def resolve(module):
    obj = module
    parts = QUALNAME.split(".")
    for i, part in enumerate(parts):
        obj = getattr(obj, part)
        if isinstance(obj, type) and i < len(parts) - 1:
            if not isinstance(obj.__dict__.get(parts[i + 1]), (staticmethod, classmethod)):
                obj = obj()
    return obj

out = {"sizes": [], "error": None}
def save():
    with open(RESULTS, "w") as fh:
        json.dump(out, fh)

try:
    funcs = [resolve(importlib.import_module(name)) for name in SPEC["modules"]]
    namespace = vars(importlib.import_module(SPEC["modules"][0]))
except BaseException as exc:
    out["error"] = "cannot load the versions: " + type(exc).__name__ + ": " + str(exc)[:300]
    save()
    sys.exit(0)

def one_pass(func, calls, mutate):
    """Seconds for calling func once on every case; outcome names per call."""
    if mutate:
        calls = copy.deepcopy(calls)
    outcomes = []
    t0 = time.perf_counter()
    for args, kwargs in calls:
        try:
            func(*args, **kwargs)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
    return time.perf_counter() - t0, outcomes

def timed(func, calls, mutate, passes, limit):
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        total, outcomes = 0.0, None
        for _ in range(passes):
            seconds, outcomes = one_pass(func, calls, mutate)
            total += seconds
        return total / passes, outcomes
    except Timeout:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)

timed_out = [False] * len(funcs)
costs = []  # (size, the original's median seconds per pass) of the sizes timed so far
for group in SPEC["groups"]:
    entry = {"label": group["label"], "medians": [None] * len(funcs), "timed_out": list(timed_out),
             "outcomes": [None] * len(funcs), "passes": 0, "mutates": False}
    if time.perf_counter() - START > BUDGET:
        entry["skipped"] = "time budget spent"
        out["sizes"].append(entry)
        save()
        continue
    if group.get("superlinear_only"):
        # Timed only where the original's cost grew faster than its input over the last two
        # sizes, and where the growth predicts a pass well inside the timeout.
        grows = None
        if len(costs) >= 2 and costs[-2][1] > 0:
            (n0, t0), (n1, t1) = costs[-2], costs[-1]
            power = math.log(max(t1 / t0, 1.0)) / math.log(n1 / n0)  # cost ~ size ** power
            grows = power > 1.4 and t1 * (group["size"] / n1) ** min(power, 2.0) < PASS_TIMEOUT / 10
        if not grows:
            entry["skipped"] = SUPERLINEAR_SKIP
            out["sizes"].append(entry)
            save()
            continue
    try:
        calls = [(eval(a, namespace), eval(k, namespace)) for a, k in group["cases"]]
    except BaseException as exc:
        entry["skipped"] = "cannot build the inputs: " + type(exc).__name__
        out["sizes"].append(entry)
        save()
        continue
    # Warm-up, and does anything mutate its arguments (then every pass gets fresh copies)?
    warm = [None] * len(funcs)
    for i, func in enumerate(funcs):
        if timed_out[i]:
            continue
        work = copy.deepcopy(calls)
        seconds, outcomes = timed(func, work, False, 1, PASS_TIMEOUT)
        if seconds is None:
            timed_out[i] = True
            continue
        entry["outcomes"][i] = outcomes
        warm[i] = seconds
        try:
            entry["mutates"] = entry["mutates"] or work != calls
        except Exception:
            entry["mutates"] = True
    entry["timed_out"] = list(timed_out)
    if timed_out[0]:
        out["sizes"].append(entry)
        save()
        continue
    # Passes per sample, per version, so that each sample lasts about sample_s: a slow version
    # is not run thousands of times because the original is quick.
    passes = [max(1, min(10000, int(SPEC["sample_s"] / max(w or 1e-9, 1e-9)))) for w in warm]
    entry["passes"] = passes[0]
    samples = [[] for _ in funcs]
    alive = [i for i in range(len(funcs)) if not timed_out[i]]
    for r in range(REPEATS):
        order = alive[r % len(alive):] + alive[:r % len(alive)]
        for i in order:
            if timed_out[i]:
                continue
            seconds, _ = timed(funcs[i], calls, entry["mutates"], passes[i], PASS_TIMEOUT * passes[i])
            if seconds is None:
                timed_out[i] = True
            else:
                samples[i].append(seconds)
    entry["timed_out"] = list(timed_out)
    entry["medians"] = [statistics.median(s) if s and not timed_out[i] else None for i, s in enumerate(samples)]
    entry["samples"] = [s if not timed_out[i] else [] for i, s in enumerate(samples)]
    if group.get("size") and entry["medians"][0]:
        costs.append((group["size"], entry["medians"][0]))
    out["sizes"].append(entry)
    save()
save()
'''


@dataclass(frozen=True)
class InputGroup:
    """The cases timed together at one input size (``label``: e.g. "n=1000", or "examples")."""

    label: str
    cases: tuple[InputCase, ...]
    size: int = 0
    superlinear_only: bool = False


@dataclass(frozen=True)
class SizeTiming:
    """Medians (seconds per pass over the group's cases) of every version at one input size."""

    label: str
    medians: tuple[float | None, ...]
    timed_out: tuple[bool, ...]
    outcomes: tuple[tuple[str, ...] | None, ...]
    passes: int = 0
    skipped: str | None = None
    samples: tuple[tuple[float, ...], ...] = ()

    def _paired(self, version: int) -> list[float]:
        if not self.samples or self.medians[0] is None or self.medians[version] is None:
            return []
        base, other = self.samples[0], self.samples[version]
        return sorted(b / o for b, o in zip(base, other) if o > 0)

    def ratio(self, version: int) -> float | None:
        """How many times faster ``version`` is than the original here: the median of the
        per-round ratios (None if not measured)."""
        paired = self._paired(version)
        return statistics.median(paired) if paired else None

    def ratio_low(self, version: int) -> float | None:
        """The lower quartile of the per-round ratios: a speedup most rounds reached."""
        paired = self._paired(version)
        return paired[(len(paired) - 1) // 4] if paired else None


@dataclass(frozen=True)
class Benchmark:
    """Timings per input size, smallest first, or why there are none."""

    sizes: tuple[SizeTiming, ...]
    error: str | None = None
    repeats: int = 0

    def speedup(self, version: int) -> float | None:
        """The ratio at the biggest size where both the original and ``version`` were timed."""
        return next((r for s in reversed(self.sizes) if (r := s.ratio(version)) is not None), None)

    def speedup_low(self, version: int) -> float | None:
        """The lower-quartile ratio at that same size (what acceptance is decided on)."""
        return next((s.ratio_low(version) for s in reversed(self.sizes) if s.ratio(version) is not None), None)

    def scaling(self, version: int) -> list[tuple[str, float | None]]:
        """(size label, ratio) for every size timed (not the extra size where the original's
        cost did not grow fast enough to be timed): how the speedup changes as inputs grow."""
        return [(s.label, s.ratio(version)) for s in self.sizes if s.skipped != SUPERLINEAR_SKIP]

    def problem(self, version: int) -> str | None:
        """Why ``version`` cannot be accepted on timing grounds alone: it timed out, or raised
        where the original did not (or vice versa) on inputs only the benchmark used."""
        for size in self.sizes:
            if size.skipped or size.timed_out[0]:
                continue
            if size.timed_out[version]:
                return f"timed out at {size.label} (the original did not)"
            base, other = size.outcomes[0], size.outcomes[version]
            if base is not None and other is not None and base != other:
                where = next(i for i, (a, b) in enumerate(zip(base, other)) if a != b)
                return (
                    f"at {size.label}, input #{where + 1}: the original gave {base[where]}, this version {other[where]}"
                )
        return None


def benchmark(
    modules: Sequence[str],
    qualname: str,
    groups: Sequence[InputGroup],
    *,
    repeats: int = 5,
    pass_timeout_s: float = 2.0,
    sample_s: float = 0.02,
    budget_s: float = 60.0,
    python: str | None = None,
    copy_from: Path | None = None,
) -> Benchmark:
    """Time ``qualname`` in each module source (``modules[0]`` is the original) on each group of
    inputs, in one sandboxed subprocess. Never raises for problems of the code under test."""
    names = [f"__codex_v{i}__" for i in range(len(modules))]
    spec = {
        "qualname": qualname,
        "repeats": repeats,
        "pass_timeout": pass_timeout_s,
        "budget": budget_s,
        "sample_s": sample_s,
        "modules": names,
        "groups": [
            {
                "label": g.label,
                "cases": [[c.args_src, c.kwargs_src] for c in g.cases],
                "size": g.size,
                "superlinear_only": g.superlinear_only,
            }
            for g in groups
        ],
    }
    files = {f"{name}.py": text for name, text in zip(names, modules)}
    files["__codex_timing_spec__.json"] = json.dumps(spec)
    # Worst case: every version times out in the warm-up and in one sample at every size.
    limit = budget_s + len(groups) * len(modules) * pass_timeout_s * 2 + 10
    result = run_python(
        HARNESS,
        python=python,
        files=files,
        copy_from=copy_from,
        limits=Limits(timeout_s=limit, memory_mb=2048),
        args=(RESULTS_FILE, "__codex_timing_spec__.json"),
        collect=(RESULTS_FILE,),
    )
    raw = result.files.get(RESULTS_FILE)
    try:
        data = json.loads(raw) if raw is not None else None
    except json.JSONDecodeError:
        data = None
    if data is None:
        return Benchmark((), f"the timing harness produced no results ({result.describe()})", repeats)
    sizes = tuple(
        SizeTiming(
            label=e["label"],
            medians=tuple(e["medians"]),
            timed_out=tuple(e["timed_out"]),
            outcomes=tuple(tuple(o) if o is not None else None for o in e["outcomes"]),
            passes=e.get("passes", 0),
            skipped=e.get("skipped"),
            samples=tuple(tuple(x) for x in e.get("samples", ())),
        )
        for e in data["sizes"]
    )
    return Benchmark(sizes, data.get("error"), repeats)
