"""How good is verified selection compared with what the samples allow? For each HumanEval
problem, draw N candidates exactly as `codex eval --strategy verified` does (candidate 1 the
greedy answer, the rest sampled), judge EVERY candidate against the problem's hidden tests, and
save them all; then rank them with codex's selection and report, over the same candidates:

* greedy: candidate 1 (what codex writes without --samples, before retries);
* logprob: the best mean log-probability (the Codex paper's heuristic);
* verified: codex's verified selection (tasks/select.py), which never sees the hidden tests;
* oracle: any candidate passes (the ceiling for any selection among these candidates).

    python benchmarks/selection_study.py draw --samples 10 --out build/study/t08.jsonl   # slow: the model
    python benchmarks/selection_study.py rank build/study/t08.jsonl                       # fast: sandbox only
    python benchmarks/selection_study.py rank build/study/t08.jsonl --first 5             # as if n were 5

`draw` appends one JSON line per problem and skips problems already in the file, so an
interrupted run resumes. Set CODEX_THREADS=1 when other work shares the cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def draw(args: argparse.Namespace) -> None:
    from codexcli.backends import create_backend
    from codexcli.config import load_settings
    from codexcli.prompts import load_prompt
    from codexcli.splice.body import find_stubs
    from codexcli.tasks.evaluate import problem_path
    from codexcli.tasks.generate import fill_parser, fill_request
    from codexcli.tasks.humaneval import check_completion, completion_from, load_problems, stub_source
    from codexcli.tasks.select import draw_candidates
    from codexcli.tasks.select_fill import splice_body
    from codexcli.verify.sandbox import Limits

    import codexcli.tasks.select as select

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
            source = stub_source(problem)
            targets = [t for t in find_stubs(source) if t.name == problem.entry_point]
            if not targets:  # codex --fill finds no stub to fill (as `codex eval` reports it)
                with out.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"task_id": problem.task_id, "seconds": 0, "candidates": []}) + "\n")
                continue
            target = targets[-1]
            request = fill_request(prompt, backend, source, problem_path(problem), target, settings)
            start = time.perf_counter()
            cands = draw_candidates(backend, request, fill_parser(source, target), args.samples, greedy_first=True)
            rows = []
            for c in cands:
                completion = completion_from(problem, splice_body(source, target.index, c.value), c.value) if c.value else ""
                verdict = check_completion(problem, completion, Limits(timeout_s=5.0))
                rows.append({"number": c.number, "seed": c.seed, "output": c.output, "body": c.value, "error": c.error,
                             "mean_logprob": c.mean_logprob, "tokens": c.completion_tokens,
                             "completion": completion, "passed": verdict.passed, "result": verdict.result})
            line = {"task_id": problem.task_id, "seconds": round(time.perf_counter() - start, 2),
                    "temperature": select.SAMPLE_TEMPERATURE, "candidates": rows}
            with out.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line) + "\n")
            print(f"{problem.task_id}: {sum(r['passed'] for r in rows)}/{len(rows)} pass, "
                  f"{line['seconds']}s (total {time.perf_counter() - began:.0f}s)", flush=True)
    finally:
        backend.close()


def rank_dump(args: argparse.Namespace) -> None:
    from codexcli.splice.body import find_stubs
    from codexcli.tasks.humaneval import load_problems, stub_source
    from codexcli.tasks.select import Candidate, rank
    from codexcli.tasks.select_fill import splice_body
    from codexcli.verify.probes import docstring_examples, function_docstring, function_params, probe_inputs

    problems = {p.task_id: p for p in load_problems(None)}
    rows = [json.loads(line) for path in args.dump for line in Path(path).read_text().splitlines()]
    totals = {"greedy": 0, "logprob": 0, "verified": 0, "oracle": 0}
    lines = []
    for row in rows:
        problem = problems[row["task_id"]]
        cands_raw = row["candidates"][: args.first] if args.first else row["candidates"]
        passed = {c["number"]: c["passed"] for c in cands_raw}
        if not cands_raw:
            lines.append(f"{row['task_id']:>14}: no candidates (no stub to fill)")
            continue
        source = stub_source(problem)
        target = [t for t in find_stubs(source) if t.name == problem.entry_point][-1]
        cands = [Candidate(c["number"], c["seed"], "", c["body"], c["error"], c["mean_logprob"]) for c in cands_raw]
        examples = docstring_examples(function_docstring(target.header, target.name), target.name,
                                  function_params(target.header, target.name))
        inputs = probe_inputs(target.header, target.name, examples)
        picks = {}
        for strategy in ("logprob", "verified"):
            sel = rank(cands, module_of=lambda body: splice_body(source, target.index, body), name=target.name,
                       examples=examples, inputs=inputs, strategy=strategy, workers=2)
            picks[strategy] = sel.chosen.candidate.number if sel.chosen else None
            if strategy == "verified":
                reason = sel.reason
        picks["greedy"] = 1
        result = {k: bool(v and passed.get(v)) for k, v in picks.items()}
        result["oracle"] = any(passed.values())
        for k, v in result.items():
            totals[k] += v
        if result["oracle"] or args.verbose:
            lines.append(f"{row['task_id']:>14}: pass {sum(passed.values())}/{len(passed)} "
                         + " ".join(f"{k}={'Y' if v else '.'}" for k, v in result.items()) + f"  [{reason}]")
    print("\n".join(lines))
    n = len(rows)
    print(f"problems {n}: " + ", ".join(f"{k} {v} ({100 * v / n:.1f}%)" for k, v in totals.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--samples", type=int, default=10)
    d.add_argument("--sample-temperature", type=float, default=None,
                   help="temperature of candidates 2..N (default: codex's, tasks/select.SAMPLE_TEMPERATURE)")
    d.add_argument("--offset", type=int, default=0)
    d.add_argument("--limit", type=int, default=None)
    d.add_argument("--out", required=True)
    r = sub.add_parser("rank")
    r.add_argument("dump", nargs="+")
    r.add_argument("--first", type=int, default=None, help="use only the first N candidates of each problem")
    r.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    draw(args) if args.cmd == "draw" else rank_dump(args)


if __name__ == "__main__":
    main()
