"""`codex learn` from end to end: pairs -> split -> examples -> LoRA -> GGUF adapter -> check.

The adapter is written to a temporary file next to its destination, loaded by llama.cpp with the
base model, and compared with the trained PEFT model on a few training prompts (greedy answers);
only an adapter that loads and agrees is moved into place, with what was measured in its header.
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from codexcli.backends.llamacpp import LlamaCppBackend
from codexcli.config import Settings
from codexcli.data.pairs import Pair, extract_pairs
from codexcli.errors import TaskFailed, UsageError
from codexcli.learn import env
from codexcli.learn.format import TrainingExample, format_pairs, split_by_file
from codexcli.learn.train import StepInfo, TrainConfig, TrainReport
from codexcli.model.adapter import model_digest
from codexcli.prompts import load_prompt

CHECK_PROMPTS = 3  # training prompts whose greedy answers llama.cpp and PEFT must agree on
CHECK_TOKENS = 32


@dataclass(frozen=True)
class LearnOptions:
    """What the user asked of `codex learn`."""

    path: Path
    out: Path
    train: TrainConfig
    held_out: float = 0.2
    max_tokens: int = 768  # longest example (prompt + answer) trained on
    max_pairs: int | None = None
    resume: bool = False
    kinds: str = "SD"  # which pairs: S (docstring -> body), D (body -> docstring), or both


@dataclass(frozen=True)
class Agreement:
    """llama.cpp with the adapter vs the PEFT model, greedy, on the same prompts."""

    prompts: int
    identical: int
    base_identical: int  # the same comparison without the adapter (quantization alone)
    examples: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (llama.cpp, peft)


@dataclass(frozen=True)
class LearnResult:
    """The run's figures; also recorded in the adapter's header."""

    adapter: Path
    base: Path
    pairs: int
    train_pairs: int
    held_out_pairs: int
    dropped: int
    train_tokens: int
    report: TrainReport
    held_out_loss_base: float | None
    held_out_loss_adapter: float | None
    agreement: Agreement
    trainable: int


def python_files(root: Path) -> Iterable[Path]:
    """The .py files of a repository or folder (hidden folders, virtualenvs and builds skipped)."""
    if root.is_file():
        yield root
        return
    skip = {"node_modules", "build", "dist", "site-packages", "__pycache__"}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if any(p.startswith(".") or p in skip for p in rel[:-1]):
            continue
        yield path


def collect_pairs(root: Path) -> list[Pair]:
    """Every S and D pair of the Python files under ``root`` (paths relative to it)."""
    if not root.exists():
        raise UsageError(f"no such file or folder: {root}")
    base = root if root.is_dir() else root.parent
    pairs: list[Pair] = []
    for path in python_files(root):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        pairs.extend(extract_pairs(source, path.relative_to(base).as_posix()))
    return pairs


def _limit(pairs: list[Pair], count: int | None) -> list[Pair]:
    if count is None or len(pairs) <= count:
        return pairs
    # A stable, spread-out subset: by id, which is a content hash.
    return sorted(pairs, key=lambda p: p.id)[:count]


def prepare(
    options: LearnOptions, settings: Settings, backend: LlamaCppBackend
) -> tuple[list[TrainingExample], list[TrainingExample], int, int]:
    """(train examples, held-out examples, pairs found, pairs dropped); UsageError when too few."""
    pairs = [p for p in collect_pairs(options.path) if p.kind in options.kinds]
    train_pairs, held_pairs = split_by_file(pairs, options.held_out)
    train_pairs = _limit(train_pairs, options.max_pairs)
    if options.max_pairs:
        held_pairs = _limit(held_pairs, max(env.MIN_HELD_OUT_PAIRS, options.max_pairs // 4))
    prompts = {"S": load_prompt("fill", settings.prompts_dir), "D": load_prompt("comment", settings.prompts_dir)}
    train, dropped_t = format_pairs(train_pairs, backend, prompts, settings, options.max_tokens)
    held, dropped_h = format_pairs(held_pairs, backend, prompts, settings, options.max_tokens)
    if len(train) < env.MIN_TRAIN_PAIRS:
        raise UsageError(
            f"{options.path}: {len(train)} usable training pairs; codex learn needs at least "
            f"{env.MIN_TRAIN_PAIRS} (found {len(pairs)} pairs in documented functions, "
            f"{len(held_pairs)} held out, {dropped_t + dropped_h} longer than {options.max_tokens} tokens or unusable)",
            hint="point it at a folder with more documented functions, or raise --max-tokens",
        )
    return train, held, len(pairs), dropped_t + dropped_h


def _cut(text: str, stops: tuple[str, ...]) -> str:
    cuts = [text.find(s) for s in stops if s in text]
    return text[: min(cuts)] if cuts else text


def check_adapter_agrees(
    path: Path, backend: LlamaCppBackend, peft_model: Any, examples: list[TrainingExample], device: str
) -> Agreement:
    """Load the adapter in llama.cpp and compare greedy answers with the PEFT model's (and, as the
    yardstick, the base model's in both), on a few training prompts."""
    from codexcli.learn.train import greedy_ids

    chosen = sorted(examples, key=lambda e: e.tokens)[:CHECK_PROMPTS]
    adapted = LlamaCppBackend(
        backend.model_path, backend.info, threads=backend.threads, n_gpu_layers=backend.n_gpu_layers, adapter=path
    )
    eos = backend.eos_token()
    identical = base_identical = 0
    shown: list[tuple[str, str]] = []
    try:
        for example in chosen:
            request = dataclasses.replace(example.request, max_tokens=CHECK_TOKENS, temperature=0.0)
            ours = adapted.complete(request).text
            theirs = _cut(
                backend.detokenize(greedy_ids(peft_model, example.prompt_ids, CHECK_TOKENS, eos, device)), request.stop
            )
            identical += ours == theirs
            shown.append((ours, theirs))
            with peft_model.disable_adapter():
                base_theirs = greedy_ids(peft_model, example.prompt_ids, CHECK_TOKENS, eos, device)
            base_identical += backend.complete(request).text == _cut(backend.detokenize(base_theirs), request.stop)
    except Exception as exc:
        raise TaskFailed(f"llama.cpp cannot use the adapter it was given: {exc}") from None
    finally:
        adapted.close()
    return Agreement(len(chosen), identical, base_identical, tuple(shown))


def facts_of(result: LearnResult, base_name: str | None) -> dict[str, Any]:
    """The codex.* keys of the adapter's header (what `codex learn status` shows)."""
    r = result.report
    return {
        "base.name": base_name,
        "base.file": result.base.name,
        "base.digest": model_digest(result.base),
        "pairs": result.pairs,
        "pairs.train": result.train_pairs,
        "pairs.held_out": result.held_out_pairs,
        "pairs.dropped": result.dropped,
        "train.tokens": result.train_tokens,
        "train.steps": r.steps + r.resumed_from,
        "train.total_steps": r.total_steps,
        "train.seconds": round(r.seconds, 1),
        "train.peak_memory_mb": round(r.peak_memory_mb, 1),
        "train.stopped_by": r.stopped_by,
        "held_out.loss_base": result.held_out_loss_base,
        "held_out.loss_adapter": result.held_out_loss_adapter,
        "check.prompts": result.agreement.prompts,
        "check.identical": result.agreement.identical,
        "check.base_identical": result.agreement.base_identical,
        "trainable_parameters": result.trainable,
    }


def learn(
    options: LearnOptions,
    settings: Settings,
    *,
    on_status: Callable[[str], None] = lambda _m: None,
    on_step: Callable[[StepInfo], None] | None = None,
) -> LearnResult:
    """Train an adapter for the configured model on ``options.path`` and write it, checked."""
    from codexcli.learn import export, train

    env.require_learn_extra()
    backend = LlamaCppBackend.from_settings(dataclasses.replace(settings, adapter=None))
    info = backend.info
    env.require_architecture(info.architecture, backend.model_path)
    meta = info.metadata
    arch = info.architecture
    hidden = int(meta.get(f"{arch}.embedding_length", 4096))
    layers = int(meta.get(f"{arch}.block_count", 32))
    ffn = int(meta.get(f"{arch}.feed_forward_length", hidden * 4))
    parameters = layers * (4 * hidden * hidden + 3 * hidden * ffn) + 50_000 * hidden
    env.require_resources(parameters, options.train.batch_tokens, hidden, layers, options.out)
    on_status("formatting pairs")
    train_ex, held_ex, found, dropped = prepare(options, settings, backend)
    on_status(f"loading {backend.model_path.name} into transformers (dequantizing)")
    train.set_threads(settings.threads)
    device = train.pick_device(options.train.device if options.train.device != "cpu" else None)
    config = dataclasses.replace(options.train, device=device)
    model = train.attach_lora(train.load_base(backend.model_path, device), config.rank, config.alpha, config.seed)
    held_base = None
    if held_ex:
        with model.disable_adapter():
            held_base = train.answer_loss(model, held_ex, device)
    on_status(f"training on {len(train_ex)} pairs ({device})")
    checkpoint = options.out.with_name(options.out.name + ".ckpt")
    report = train.train(model, train_ex, config, checkpoint, resume=options.resume, on_step=on_step)
    held_adapter = train.answer_loss(model, held_ex, device) if held_ex else None
    on_status("writing the adapter and checking it in llama.cpp")
    tensors = export.gguf_lora_tensors(
        model.state_dict(),
        arch,
        int(meta[f"{arch}.attention.head_count"]),
        int(meta.get(f"{arch}.attention.head_count_kv", meta[f"{arch}.attention.head_count"])),
    )
    options.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = options.out.with_name(f".{options.out.name}.{os.getpid()}.tmp")
    try:
        export.write_adapter(tmp, tensors, arch, config.alpha, {"base.digest": model_digest(backend.model_path)})
        agreement = check_adapter_agrees(tmp, backend, model, train_ex, device)
        result = LearnResult(
            options.out,
            backend.model_path,
            found,
            len(train_ex),
            len(held_ex),
            dropped,
            sum(e.tokens for e in train_ex),
            report,
            held_base,
            held_adapter,
            agreement,
            train.trainable_parameters(model),
        )
        if agreement.identical < min(agreement.base_identical, (agreement.prompts + 1) // 2):
            raise TaskFailed(
                f"llama.cpp with the adapter agrees with the trained model on {agreement.identical} of "
                f"{agreement.prompts} prompts (the base models agree on {agreement.base_identical}); not writing it"
            )
        facts = facts_of(result, info.name)
        facts["lora.rank"] = config.rank
        facts["created"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        facts["source"] = str(options.path.resolve())
        export.write_adapter(tmp, tensors, arch, config.alpha, facts)
        tmp.replace(options.out)
    finally:
        tmp.unlink(missing_ok=True)
    if report.stopped_by == "epochs":
        checkpoint.unlink(missing_ok=True)
    backend.close()
    return result
