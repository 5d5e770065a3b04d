"""Continuous batching across problems (issue 30): CPU seconds and the cost of a step per row,
one problem's samples at a time (``complete_many``) against ``decode_requests`` on S slots.

    CODEX_THREADS=1 PYTHONPATH=. python benchmarks/profile_cross.py --problems 8 --max-tokens 128 --modes one,10,20,40

Each mode decodes the fill requests of HumanEval/0..P-1 (10 samples each, seeds as `codex eval
--strategy sample` draws them) on the batch weights; ``llama_decode`` steps are timed by
wrapping ``BatchDecoder.step`` (CPU time of this process).
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    from codexcli.backends import llamacpp_batch
    from codexcli.backends.llamacpp import LlamaCppBackend
    from codexcli.backends.llamacpp_multi import decode_requests
    from codexcli.config import load_settings
    from codexcli.data.problems import load_problems
    from codexcli.prompts import load_prompt
    from codexcli.tasks.eval.evaluate import _stub, problem_path
    from codexcli.tasks.generate.fill import fill_request
    from codexcli.tasks.select import candidate_request

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--problems", type=int, default=8)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--modes", default="one,10,20,40", help="'one' (complete_many per problem) or a slot count")
    args = parser.parse_args()
    settings = dataclasses.replace(load_settings(), max_tokens=args.max_tokens)
    backend = LlamaCppBackend.from_settings(settings)
    prompt = load_prompt("fill", None)
    requests = []
    for problem in load_problems(None)[: args.problems]:
        found = _stub(problem)
        if isinstance(found, str):
            continue
        source, target = found
        requests.append(
            candidate_request(backend, fill_request(prompt, backend, source, problem_path(problem), target, settings))
        )
    backend.complete_many(requests[0], 2)  # load the weights (and make the batch copy) outside the timing
    steps = [0, 0.0, 0]  # calls, CPU seconds, rows
    original = llamacpp_batch.BatchDecoder.step

    def timed(self, raw, batch, rows):  # type: ignore[no-untyped-def]
        began = time.process_time()
        original(self, raw, batch, rows)
        steps[0], steps[1], steps[2] = steps[0] + 1, steps[1] + time.process_time() - began, steps[2] + len(rows)

    llamacpp_batch.BatchDecoder.step = timed  # type: ignore[method-assign]
    for mode in args.modes.split(","):
        steps[:] = [0, 0.0, 0]
        began, tokens = cpu(), 0
        if mode == "one":
            for request in requests:
                tokens += sum(c.completion_tokens for c in backend.complete_many(request, args.samples))
        else:
            prepared = [backend._prompt(request, batch=True) for request in requests]
            done: list = []
            decoder = backend._decoder(prepared[0][0])
            prompts = [p[1:] for p in prepared]
            decode_requests(decoder, requests, prompts, args.samples, lambda _i, out: done.extend(out), slots=int(mode))
            tokens = sum(c.completion_tokens for c in done)
        spent = cpu() - began
        rows = steps[2] / max(1, steps[0])
        per_row = 1000 * steps[1] / max(1, steps[2])
        print(
            f"{mode:>4}: tokens={tokens} cpu={spent:.1f}s tokens/cpu-s={tokens / spent:.1f} "
            f"rows/step={rows:.1f} ms/row={per_row:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
