"""How good is verified selection compared with what the samples allow? For each HumanEval
problem, draw N candidates exactly as `codex eval --strategy verified` does (candidate 1 the
greedy answer, the rest sampled), judge EVERY candidate against the problem's hidden tests, and
save them all; then rank them with codex's selection and report, over the same candidates:

* greedy: candidate 1 (what codex writes without --samples, before retries);
* logprob: the best mean log-probability (the Codex paper's heuristic);
* verified: codex's verified selection (tasks/select.py), which never sees the hidden tests;
* oracle: any candidate passes (the ceiling for any selection among these candidates).

    python benchmarks/selection_study.py draw --out build/study/t05.jsonl        # slow: the model
    python benchmarks/selection_study.py draw --sample-temperature 0.8 --out build/study/t08.jsonl
    python benchmarks/selection_study.py rank build/study/t05.jsonl --limit 120  # fast: sandbox only
    python benchmarks/selection_study.py rank build/study/t05.jsonl --first 5    # as if n were 5
    python benchmarks/selection_study.py examples     # problems whose docstring gives no example

`draw` appends one JSON line per problem and skips problems already in the file, so an
interrupted run resumes. Set CODEX_THREADS=1 when other work shares the cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _target(problem):
    """The stub `codex generate --fill` fills for ``problem`` (as `codex eval` finds it), or None."""
    from codexcli.splice.body import find_stubs
    from codexcli.tasks.eval.humaneval import stub_source

    source = stub_source(problem)
    targets = [t for t in find_stubs(source) if t.name == problem.entry_point]
    return (source, targets[-1]) if targets else (source, None)


def draw(args: argparse.Namespace) -> None:
    import codexcli.tasks.select as select
    from codexcli.backends import create_backend
    from codexcli.config import load_settings
    from codexcli.data.problems import load_problems
    from codexcli.prompts import load_prompt
    from codexcli.tasks.eval.evaluate import problem_path
    from codexcli.tasks.eval.humaneval import check_completion, completion_from
    from codexcli.tasks.generate.fill import fill_parser, fill_request
    from codexcli.tasks.generate.selection import splice_body
    from codexcli.verify.sandbox.sandbox import Limits

    settings = load_settings(Path.cwd())
    if args.sample_temperature is not None:
        # The temperature candidates 2..N are drawn at (candidate 1 stays the greedy answer).
        select.SAMPLE_TEMPERATURE = args.sample_temperature
    problems = load_problems(None)[args.offset : args.offset + args.limit if args.limit else None]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = {json.loads(line)["task_id"] for line in out.read_text().splitlines()} if out.exists() else set()
    prompt = load_prompt("fill", settings.prompts_dir)
    backend = create_backend(settings)
    began = time.perf_counter()
    try:
        for problem in problems:
            if problem.task_id in done:
                continue
            source, target = _target(problem)
            start = time.perf_counter()
            rows = []
            if target is not None:  # else codex finds no stub to fill: no candidates
                request = fill_request(prompt, backend, source, problem_path(problem), target, settings)
                parse = fill_parser(source, target)
                for c in select.draw_candidates(backend, request, parse, args.samples, greedy_first=True):
                    filled = splice_body(source, target.index, c.value) if c.value else ""
                    completion = completion_from(problem, filled, c.value) if c.value else ""
                    verdict = check_completion(problem, completion, Limits(timeout_s=5.0))
                    rows.append(
                        {
                            "number": c.number,
                            "seed": c.seed,
                            "output": c.output,
                            "body": c.value,
                            "error": c.error,
                            "mean_logprob": c.mean_logprob,
                            "tokens": c.completion_tokens,
                            "completion": completion,
                            "passed": verdict.passed,
                            "result": verdict.result,
                        }
                    )
            line = {
                "task_id": problem.task_id,
                "seconds": round(time.perf_counter() - start, 2),
                "temperature": select.SAMPLE_TEMPERATURE,
                "candidates": rows,
            }
            with out.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line) + "\n")
            print(
                f"{problem.task_id}: {sum(r['passed'] for r in rows)}/{len(rows)} pass, "
                f"{line['seconds']}s (total {time.perf_counter() - began:.0f}s)",
                flush=True,
            )
    finally:
        backend.close()


def rank_dump(args: argparse.Namespace) -> None:
    from codexcli.data.problems import load_problems
    from codexcli.tasks.generate.selection import splice_body, stub_evidence
    from codexcli.tasks.select import Candidate, rank

    problems = {p.task_id: p for p in load_problems(None)}
    rows = [json.loads(line) for path in args.dump for line in Path(path).read_text().splitlines()]
    rows = rows[: args.limit] if args.limit else rows
    totals = {"greedy": 0, "logprob": 0, "verified": 0, "oracle": 0}
    dropped = total = 0
    lines = []
    for row in rows:
        cands_raw = row["candidates"][: args.first] if args.first else row["candidates"]
        total += len(cands_raw)
        dropped += sum(1 for c in cands_raw if c["error"])
        source, target = _target(problems[row["task_id"]])
        if not cands_raw or target is None:
            lines.append(f"{row['task_id']:>14}: no candidates (no stub to fill)")
            continue
        passed = {c["number"]: c["passed"] for c in cands_raw}
        cands = [Candidate(c["number"], c["seed"], "", c["body"], c["error"], c["mean_logprob"]) for c in cands_raw]
        examples, inputs = stub_evidence(target)
        picks, reason = {"greedy": 1}, ""
        for strategy in ("logprob", "verified"):
            sel = rank(
                cands,
                module_of=lambda body: splice_body(source, target.index, body),
                name=target.name,
                examples=examples,
                inputs=inputs,
                strategy=strategy,
                workers=2,
            )
            picks[strategy] = sel.chosen.candidate.number if sel.chosen else None
            reason = sel.reason
        result = {k: bool(picks[k] and passed.get(picks[k])) for k in ("greedy", "logprob", "verified")}
        result["oracle"] = any(passed.values())
        for k, v in result.items():
            totals[k] += v
        if result["oracle"] or args.verbose:
            lines.append(
                f"{row['task_id']:>14}: pass {sum(passed.values())}/{len(passed)} "
                + " ".join(f"{k}={'Y' if v else '.'}" for k, v in result.items())
                + f"  [{reason}]"
            )
    print("\n".join(lines))
    n = len(rows)
    print(
        f"problems {n}: "
        + ", ".join(f"{k} {v} ({100 * v / n:.1f}%)" for k, v in totals.items())
        + f"; candidates dropped unparsed {dropped}/{total} ({100 * dropped / max(total, 1):.0f}%)"
    )


def examples(args: argparse.Namespace) -> None:
    """How many HumanEval stubs give verified selection no docstring example to run."""
    from codexcli.data.problems import load_problems
    from codexcli.tasks.generate.selection import stub_evidence

    without = []
    for problem in load_problems(None):
        _, target = _target(problem)
        if target is None or not stub_evidence(target)[0]:
            without.append(problem.task_id)
    print(f"{len(without)} of 164 problems without a usable docstring example: {', '.join(without)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--samples", type=int, default=10)
    d.add_argument(
        "--sample-temperature",
        type=float,
        default=None,
        help="temperature of candidates 2..N (default: codex's, tasks/select.SAMPLE_TEMPERATURE)",
    )
    d.add_argument("--offset", type=int, default=0)
    d.add_argument("--limit", type=int, default=None)
    d.add_argument("--out", required=True)
    r = sub.add_parser("rank")
    r.add_argument("dump", nargs="+")
    r.add_argument("--first", type=int, default=None, help="use only the first N candidates of each problem")
    r.add_argument("--limit", type=int, default=None, help="only the first N problems of the dump")
    r.add_argument("--verbose", action="store_true")
    sub.add_parser("examples")
    args = parser.parse_args()
    {"draw": draw, "rank": rank_dump, "examples": examples}[args.cmd](args)


if __name__ == "__main__":
    main()
