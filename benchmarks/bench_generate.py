"""Generation speed: codex's llama.cpp backend vs a bare llama-cpp-python loop.

Same model file, same rendered prompt, same context size, threads and greedy sampling, so both
produce the same tokens; rounds alternate between the two so machine noise hits both alike.
Prints tokens/s for each (median over rounds) and codex's overhead as a ratio measured in this
run. Also prints `codex --help` start-up time.

    .venv/bin/python benchmarks/bench_generate.py [--rounds 8] [--max-tokens 256] [--model PATH]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from codexcli.backends.base import CompletionRequest, Message
from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.config import Settings

PROMPT = (
    Message("system", "You are an expert Python programmer."),
    Message("user", "Write a Python module with a function that merges two sorted lists, with tests."),
)


def bare_loop(llm, tokens: list[int], max_tokens: int) -> tuple[int, float]:
    """The plain llama-cpp-python way: generate() until EOS or max_tokens, detokenizing."""
    import llama_cpp

    start = time.perf_counter()
    n = 0
    text = b""
    for token in llm.generate(tokens, temp=0.0, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.0):
        if llama_cpp.llama_vocab_is_eog(llm._model.vocab, token):
            break
        text += llm.detokenize([token])
        n += 1
        if n >= max_tokens:
            break
    return n, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    settings = Settings(model=args.model)
    backend = LlamaCppBackend.from_settings(settings)
    request = CompletionRequest(messages=PROMPT, max_tokens=args.max_tokens, temperature=0.0)
    tokens = backend.tokenize_prompt(request)
    backend.complete(request)  # load the model, warm caches
    llm = backend._llama  # the bare loop uses the very same Llama object and context

    codex_rates, bare_rates, ratios = [], [], []
    for round_number in range(args.rounds):
        # Alternate which side goes first (ABBA), and compare within each round: the ratio of
        # two back-to-back runs is far steadier on a shared machine than either rate alone.
        rates = {}
        for side in (("codex", "bare") if round_number % 2 == 0 else ("bare", "codex")):
            llm.reset()  # no KV-cache reuse between runs, for either side
            if side == "codex":
                completion = backend.complete(request)
                rates[side] = completion.completion_tokens / completion.seconds
            else:
                n, seconds = bare_loop(llm, tokens, args.max_tokens)
                rates[side] = n / seconds
        codex_rates.append(rates["codex"])
        bare_rates.append(rates["bare"])
        ratios.append(rates["codex"] / rates["bare"])

    codex_tps = statistics.median(codex_rates)
    bare_tps = statistics.median(bare_rates)
    ratio = statistics.median(ratios)
    print(f"model            {backend.model_path.name} ({backend.info.quantization}), threads={backend.threads}")
    print(f"prompt tokens    {len(tokens)}; answer tokens {completion.completion_tokens}; rounds {args.rounds}")
    print(f"bare loop        {bare_tps:8.1f} tokens/s (median; prompt + generation)")
    print(f"codex backend    {codex_tps:8.1f} tokens/s (median; prompt + generation, stop checks, streaming)")
    print(f"codex / bare     {ratio:8.3f}  (median of per-round ratios; overhead {100 * (1 - ratio):+.1f}%)")
    print(f"ratio spread     {min(ratios):.3f} .. {max(ratios):.3f}")

    starts = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "codexcli", "--help"], capture_output=True, check=True)
        starts.append(time.perf_counter() - t)
    print(f"codex --help     {statistics.median(starts) * 1000:8.0f} ms (median of 5, python -m codexcli)")
    backend.close()


if __name__ == "__main__":
    main()
