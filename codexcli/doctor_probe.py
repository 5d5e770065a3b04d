"""The child process of `codex doctor`: load the model the way codex does and decode a prompt
longer than one batch. It prints one JSON line; if llama.cpp crashes, the parent sees the signal.

    python -m codexcli.doctor_probe --model PATH --extra-buffers on|off [--prompt-tokens 600]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from codexcli.backends.base import CompletionRequest, Message


def long_request(count_tokens, target: int, max_tokens: int) -> CompletionRequest:
    """A code-reading request whose prompt is at least ``target`` tokens long."""
    functions: list[str] = []

    def request() -> CompletionRequest:
        code = "\n".join(functions)
        return CompletionRequest(
            messages=(
                Message("system", "You are an expert Python programmer."),
                Message("user", f"Here is a module:\n\n{code}\n\nWrite one more function in the same style."),
            ),
            max_tokens=max_tokens,
            temperature=0.0,
        )

    while True:
        n = len(functions)
        functions.append(f"def scale_{n}(values, factor={n + 1}):\n    return [v * factor + {n} for v in values]\n")
        if len(functions) % 8 == 0 and count_tokens(request()) >= target:
            return request()


def main(argv: list[str] | None = None) -> None:
    from codexcli.backends.llamacpp import LlamaCppBackend
    from codexcli.model.find import inspect_model

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--extra-buffers", choices=("on", "off"), required=True)
    parser.add_argument("--prompt-tokens", type=int, default=600)
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--gpu-layers", type=int, default=None)
    args = parser.parse_args(argv)

    path = Path(args.model)
    backend = LlamaCppBackend(
        path, inspect_model(path), threads=args.threads, n_gpu_layers=args.gpu_layers, extra_buffers=args.extra_buffers
    )
    request = long_request(backend.count_prompt_tokens, args.prompt_tokens, args.max_tokens)
    completion = backend.complete(request)
    backend.close()
    print(
        json.dumps(
            {
                "prompt_tokens": completion.prompt_tokens,
                "completion_tokens": completion.completion_tokens,
                "prompt_seconds": completion.prompt_seconds,
                "seconds": completion.seconds,
                "text": completion.text,
                "extra_buffers": args.extra_buffers,
            }
        )
    )


if __name__ == "__main__":
    main()
