"""Input types found by running the original (verify/cases/probe_types.py), on a set's functions:
per function, the statically inferred types and the probed ones, and on how many of the cases
the original returns or raises with each.

    PYTHONPATH=. .venv/bin/python benchmarks/probe_types_dev.py [--set dev] [--limit 12]

The last line counts the functions with at least one case on which the original returns a value,
before (verify.cases.cases.collect_cases) and after (probe_types.original_cases). Dev set only:
the held-out sets are not for tuning."""

from __future__ import annotations

import argparse
import time
import tomllib

from benchmarks.make_heldout_sets import SETS_DIR, stored_source, without_docstrings
from codexcli.verify.cases import probe_types
from codexcli.verify.cases.cases import collect_cases, static_inferred
from codexcli.verify.cases.infer_types import Inferred
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.cases.probe_types import probe_params
from codexcli.verify.compare.behaviour import observe

RUNS: list[float] = []  # seconds of each sandbox run the probe made


def counted(*args, **kwargs):
    began = time.perf_counter()
    try:
        return observe(*args, **kwargs)
    finally:
        RUNS.append(time.perf_counter() - began)


def outcome(source: str, name: str, cases: list[InputCase]) -> tuple[int, int, str]:
    """(cases returning, cases raising, the first raised types) of ``name`` on ``cases``."""
    if not cases:
        return 0, 0, "no cases"
    seen = observe(source, name, cases, per_case_timeout_s=1.0).observations
    raised = [o.raised or o.kind for o in seen if o.kind != "value"]
    return sum(o.kind == "value" for o in seen), len(raised), ",".join(dict.fromkeys(raised)) or "-"


def hints(inferred: list[Inferred] | None) -> str:
    return "static" if inferred is None else " ".join(f"{i.name}:{i.hint}" for i in inferred)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="dev")
    parser.add_argument("--limit", type=int, default=12)
    args = parser.parse_args()
    manifest = tomllib.loads((SETS_DIR / "sets.toml").read_text())[args.set]
    before = after = total = 0
    all_runs: list[int] = []
    all_seconds: list[float] = []
    probe_types.observe = counted  # type: ignore[assignment]  # counts the probe's runs
    for file, entry in manifest.items():
        chosen = tuple(entry["functions"])
        source = without_docstrings(stored_source(args.set, file), chosen)
        for name in chosen:
            total += 1
            found = static_inferred(source, name)
            RUNS.clear()
            probed = probe_params(source, name, *found) if found is not None else None
            runs, spent = len(RUNS), sum(RUNS)
            old = outcome(source, name, collect_cases(source, name, limit=args.limit))
            new = outcome(source, name, collect_cases(source, name, limit=args.limit, inferred=probed))
            before += old[0] > 0
            after += new[0] > 0
            was = hints(found[1]) if found is not None else "hints or examples"
            print(
                f"{file}:{name}  ({runs} probe runs, {spent:.1f} s)\n  before {was}: returns {old[0]}, raises {old[1]} ({old[2]})"
            )
            all_runs.append(runs)
            all_seconds.append(spent)
            if probed is not None:
                print(f"  after  {hints(probed)}: returns {new[0]}, raises {new[1]} ({new[2]})")
    print(f"functions with a case that returns: {before} of {total} before, {after} of {total} after")
    print(f"probe: {sum(all_runs)} sandbox runs, {sum(all_seconds):.1f} s, at most {max(all_runs)} for one function")


if __name__ == "__main__":
    main()
