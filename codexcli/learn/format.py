"""Training examples from Codex-S/D pairs, worded exactly as codex's own commands ask (no torch).

An S pair becomes the request `codex generate --fill` builds for the same function as a stub
(prompts/fill.toml, the stub as its file), and the answer it accepts: the complete function in the
prompt's code fence. A D pair becomes the request `codex comment` builds for the function without
its docstring (prompts/comment.toml, in the docstring's own style), and the docstring between
triple quotes. Both go through the backend's renderer, i.e. the GGUF's chat template and the
prompt's prefill, and its tokenizer, so the tokens trained on are the tokens inference sees.

Held-out files are chosen by a hash of their path, so the split is the same on every run and a
resumed run never trains on what it held out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

from codexcli.backends.base import CompletionRequest
from codexcli.config import Settings
from codexcli.data.pairs import Pair
from codexcli.prompts import PromptTemplate
from codexcli.splice.body import find_stubs
from codexcli.splice.docstring import find_targets
from codexcli.tasks.comment.docstyle import DEFAULT_STYLE, detect_style
from codexcli.tasks.comment.request import comment_request
from codexcli.tasks.generate.fill import fill_request


class ChatTokenizer(Protocol):
    """What formatting needs from a backend (LlamaCppBackend provides it)."""

    def context_length(self) -> int: ...
    def count_prompt_tokens(self, request: CompletionRequest) -> int: ...
    def render(self, request: CompletionRequest) -> str: ...
    def tokenize_prompt(self, request: CompletionRequest) -> list[int]: ...
    def tokenize_text(self, text: str) -> list[int]: ...
    def eos_token(self) -> int: ...


@dataclass(frozen=True)
class TrainingExample:
    """One pair as the model sees it: the rendered prompt and the answer it should write."""

    pair_id: str
    kind: str
    path: str
    request: CompletionRequest
    prompt: str  # the exact text (chat template + prefill) before the answer
    answer: str  # the answer after the prefill, ending with the prompt's stop sequence
    prompt_ids: tuple[int, ...]
    answer_ids: tuple[int, ...]  # the answer's tokens and the end-of-generation token

    @property
    def tokens(self) -> int:
        return len(self.prompt_ids) + len(self.answer_ids)


def _body_indent(body: str) -> str:
    for line in body.splitlines():
        if line.strip():
            return line[: len(line) - len(line.lstrip())]
    return "    "


def fill_example(pair: Pair) -> tuple[str, object, str] | None:
    """(stub file, its StubTarget, expected answer) of an S pair; None when it is no stub."""
    stub = pair.prompt + _body_indent(pair.completion) + "...\n"
    try:
        stubs = find_stubs(stub)
    except Exception:  # libcst refuses some sources that ast accepts (rare syntax)
        return None
    if not stubs:
        return None
    return stub, stubs[0], (pair.prompt + pair.completion).rstrip("\n")


def comment_example(pair: Pair) -> tuple[str, object, str, str] | None:
    """(source without the docstring, its DocTarget, style, expected docstring) of a D pair."""
    try:
        targets = [t for t in find_targets(pair.prompt) if t.kind in ("function", "method")]
    except Exception:  # libcst refuses some sources that ast accepts (rare syntax)
        return None
    if not targets:
        return None
    style = detect_style([pair.completion]) or DEFAULT_STYLE
    return pair.prompt, targets[0], style, pair.completion


def format_pair(
    pair: Pair, backend: ChatTokenizer, prompts: dict[str, PromptTemplate], settings: Settings
) -> TrainingExample | None:
    """The training example of a pair, or None when its function cannot be posed as a task."""
    if pair.kind == "S":
        made = fill_example(pair)
        if made is None:
            return None
        source, target, answer = made
        prompt = prompts["S"]
        request = fill_request(prompt, backend, source, pair.path, target, settings)  # type: ignore[arg-type]
    else:
        made_d = comment_example(pair)
        if made_d is None:
            return None
        source, target, style, answer = made_d
        prompt = prompts["D"]
        request = comment_request(prompt, backend, source, pair.path, target, style, settings)  # type: ignore[arg-type]
    answer += prompt.stop[0] if prompt.stop else ""
    prompt_ids = backend.tokenize_prompt(request)
    answer_ids = [*backend.tokenize_text(answer), backend.eos_token()]
    return TrainingExample(
        pair.id, pair.kind, pair.path, request, backend.render(request), answer, tuple(prompt_ids), tuple(answer_ids)
    )


def format_pairs(
    pairs: Iterable[Pair],
    backend: ChatTokenizer,
    prompts: dict[str, PromptTemplate],
    settings: Settings,
    max_tokens: int,
) -> tuple[list[TrainingExample], int]:
    """(examples that fit in ``max_tokens``, how many pairs were dropped as too long or unposable)."""
    kept: list[TrainingExample] = []
    dropped = 0
    for pair in pairs:
        try:
            example = format_pair(pair, backend, prompts, settings)
        except Exception:  # a pair whose prompt does not fit the model's context at all
            example = None
        if example is None or example.tokens > max_tokens:
            dropped += 1
            continue
        kept.append(example)
    return kept, dropped


def split_by_file(pairs: Sequence[Pair], held_out: float) -> tuple[list[Pair], list[Pair]]:
    """(train, held-out) pairs; whole files are held out, chosen by a hash of their path, so a
    function and its docstring never end up on both sides. At least one file is held out when
    there are two or more and ``held_out`` > 0."""
    files = sorted({p.path for p in pairs}, key=lambda path: hashlib.sha256(path.encode()).hexdigest())
    count = round(len(files) * held_out)
    if held_out > 0 and len(files) > 1:
        count = max(1, min(count, len(files) - 1))
    chosen = set(files[:count])
    return [p for p in pairs if p.path not in chosen], [p for p in pairs if p.path in chosen]
