"""Generation speed: codex's llama.cpp backend vs a bare llama-cpp-python loop, with llama.cpp's
extra buffer types (weight repacking; AMX where built) on and off.

Same model file, same rendered prompt, same context size, threads and greedy sampling, so both
sides produce the same tokens; within a round every (setting, side) pair runs back to back in
alternating order, so machine noise hits all alike. Prints, per extra-buffer setting:
generation tokens/s of codex and of the bare loop (median over rounds), codex/bare as the median
of per-round ratios, and prompt evaluation tokens/s on a 600-token prompt (more than one batch,
where repacked kernels matter). `--quantize q4_0` first requantizes the model to Q4_0, the type
llama.cpp repacks on AVX2 CPUs (the embedded Q4_1 is not repacked there). Also prints
`codex --help` start-up time.

    .venv/bin/python benchmarks/bench_generate.py [--rounds 6] [--max-tokens 256] [--model PATH]
        [--extra-buffers on,off] [--quantize q4_0]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from codexcli.backends.base import CompletionRequest, Message
from codexcli.backends.cpu import read_cpu_flags
from codexcli.backends.llamacpp import LlamaCppBackend, quiet_stderr, system_info
from codexcli.config import Settings
from codexcli.doctor_probe import long_request
from codexcli.model.find import inspect_model, resolve_model

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


def requantize(source: Path, kind: str) -> Path:
    """The model requantized to ``kind`` (q4_0) under build/bench/, made once."""
    import llama_cpp

    out = Path("build/bench") / f"{source.stem}.{kind}.gguf"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        params = llama_cpp.llama_model_quantize_default_params()
        params.ftype = {"q4_0": llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_0, "q8_0": llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0}[kind]
        params.allow_requantize = True
        with quiet_stderr():  # llama.cpp prints a line per tensor
            failed = llama_cpp.llama_model_quantize(str(source).encode(), str(out).encode(), params)
        if failed:
            raise SystemExit(f"quantizing {source} to {kind} failed")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--model", default=None)
    parser.add_argument("--extra-buffers", default="on,off", help="comma-separated settings to compare")
    parser.add_argument("--quantize", choices=("q4_0", "q8_0"), default=None)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()

    path = resolve_model(Settings(model=args.model)).path
    if args.quantize:
        path = requantize(path, args.quantize)
    info = inspect_model(path)
    settings = args.extra_buffers.split(",")
    backends = {s: LlamaCppBackend(path, info, threads=args.threads, extra_buffers=s) for s in settings}
    request = CompletionRequest(messages=PROMPT, max_tokens=args.max_tokens, temperature=0.0)
    first = backends[settings[0]]
    tokens = first.tokenize_prompt(request)
    long = long_request(first.count_prompt_tokens, 600, 1)
    for backend in backends.values():
        backend.complete(request)  # load the model, warm caches

    gen = {(s, side): [] for s in settings for side in ("codex", "bare")}
    ratios = {s: [] for s in settings}
    prompt_rates = {s: [] for s in settings}
    answer_tokens = 0
    for round_number in range(args.rounds):
        # Alternate the order each round (ABBA), and compare within each round: the ratio of two
        # back-to-back runs is far steadier on a shared machine than either rate alone.
        order = [(s, side) for s in settings for side in ("codex", "bare")]
        if round_number % 2:
            order.reverse()
        rates = {}
        for setting, side in order:
            backend = backends[setting]
            llm = backend._llama  # the bare loop uses the very same Llama object and context
            llm.reset()  # no KV-cache reuse between runs, for either side
            if side == "codex":
                completion = backend.complete(request)
                answer_tokens = completion.completion_tokens
                rates[setting, side] = completion.completion_tokens / completion.seconds
                llm.reset()
                prompt = backend.complete(long)
                prompt_rates[setting].append(prompt.prompt_tokens / prompt.prompt_seconds)
            else:
                n, seconds = bare_loop(llm, tokens, args.max_tokens)
                rates[setting, side] = n / seconds
        for key, rate in rates.items():
            gen[key].append(rate)
        for s in settings:
            ratios[s].append(rates[s, "codex"] / rates[s, "bare"])

    flags = read_cpu_flags()
    print(f"model            {path.name} ({info.quantization}), threads={first.threads}")
    print(
        f"cpu              avx2={'avx2' in flags} avx512f={'avx512f' in flags} amx={any(f.startswith('amx') for f in flags)}"
    )
    print(f"llama.cpp        {system_info()}")
    print(
        f"prompt tokens    {len(tokens)} (generation) and {first.count_prompt_tokens(long)} (prompt evaluation); "
        f"answer tokens {answer_tokens}; rounds {args.rounds}"
    )
    for s in settings:
        med = statistics.median
        print(
            f"extra buffers {s:<3}: bare {med(gen[s, 'bare']):7.1f} tok/s | codex {med(gen[s, 'codex']):7.1f} tok/s | "
            f"codex/bare {med(ratios[s]):.3f} (spread {min(ratios[s]):.3f}..{max(ratios[s]):.3f}) | "
            f"prompt eval {med(prompt_rates[s]):7.0f} tok/s"
        )
    if len(settings) == 2:
        a, b = settings
        print(
            f"{a}/{b} (codex generation) {statistics.median(gen[a, 'codex']) / statistics.median(gen[b, 'codex']):.3f}; "
            f"{a}/{b} (prompt eval) {statistics.median(prompt_rates[a]) / statistics.median(prompt_rates[b]):.3f}"
        )

    starts = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "codexcli", "--help"], capture_output=True, check=True)
        starts.append(time.perf_counter() - t)
    print(f"codex --help     {statistics.median(starts) * 1000:8.0f} ms (median of 5, python -m codexcli)")
    for backend in backends.values():
        backend.close()


if __name__ == "__main__":
    main()
