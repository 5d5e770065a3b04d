"""Base model vs `codex learn` adapter on the held-out files of the repository it learned from.

    python benchmarks/bench_learn.py REPO ADAPTER.gguf [--limit N]

The held-out files are the ones `codex learn` held out (the same hash split, never trained on).
For each of their Codex-S pairs the function becomes a stub and goes through `generate --fill`'s
request and checker; for each Codex-D pair, through `comment`'s request and gates. Printed per
model: stubs filled (accepted by the checker), bodies equal to the original (same AST, i.e.
certainly the same behaviour), docstrings accepted by the gates, and generation tokens/s.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import sys
import time
from pathlib import Path

from codexcli.answers import ParseError
from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.config import Settings
from codexcli.learn.format import comment_example, fill_example, format_pair, split_by_file
from codexcli.learn.run import collect_pairs
from codexcli.prompts import load_prompt
from codexcli.tasks.comment.docstyle import clean_answer
from codexcli.tasks.comment.run import verify_docstring
from codexcli.tasks.generate.fill import fill_parser


def same_code(a: str, b: str) -> bool:
    try:
        return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    except SyntaxError:
        return False


def measure(backend: LlamaCppBackend, pairs: list, prompts: dict, settings: Settings) -> dict[str, float]:
    filled = equal = documented = s_total = d_total = 0
    tokens, seconds = 0, 0.0
    for pair in pairs:
        example = format_pair(pair, backend, prompts, settings)
        if example is None:
            continue
        request = dataclasses.replace(example.request, max_tokens=256 if pair.kind == "S" else 128, temperature=0.0)
        completion = backend.complete(request)
        tokens, seconds = tokens + completion.completion_tokens, seconds + completion.seconds
        if pair.kind == "S":
            s_total += 1
            stub, target, _ = fill_example(pair)
            body = fill_parser(stub, target)(completion.text)
            if not isinstance(body, ParseError):
                filled += 1
                equal += same_code(body, __import__("textwrap").dedent(pair.completion))
        else:
            d_total += 1
            source, target, style, _ = comment_example(pair)
            documented += not isinstance(
                verify_docstring(source, target, style, clean_answer(completion.text)), ParseError
            )
    return {
        "fill_total": s_total,
        "filled": filled,
        "same_as_original": equal,
        "doc_total": d_total,
        "documented": documented,
        "tokens_per_second": round(tokens / seconds, 1) if seconds else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("repo", type=Path)
    parser.add_argument("adapter", type=Path)
    parser.add_argument("--limit", type=int, default=20, help="held-out pairs of each kind")
    parser.add_argument("--held-out", type=float, default=0.2)
    args = parser.parse_args()
    _, held = split_by_file(collect_pairs(args.repo), args.held_out)
    chosen = [p for p in held if p.kind == "S"][: args.limit] + [p for p in held if p.kind == "D"][: args.limit]
    prompts = {"S": load_prompt("fill"), "D": load_prompt("comment")}
    settings = Settings()
    rows = {}
    for label, adapter in (("base", None), ("adapter", args.adapter)):
        backend = LlamaCppBackend.from_settings(Settings(adapter=str(adapter) if adapter else None))
        start = time.perf_counter()
        rows[label] = measure(backend, chosen, prompts, settings)
        rows[label]["seconds"] = round(time.perf_counter() - start, 1)
        backend.close()
        print(label, rows[label], file=sys.stderr, flush=True)
    print("| model | stubs filled | bodies = original | docstrings passing gates | gen tok/s |")
    print("|---|---|---|---|---|")
    for label, r in rows.items():
        print(
            f"| {label} | {r['filled']}/{r['fill_total']} | {r['same_as_original']}/{r['fill_total']} | "
            f"{r['documented']}/{r['doc_total']} | {r['tokens_per_second']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
