"""LoRA training against the very base model llama.cpp runs (torch, transformers and peft are
imported here only, by `codex learn`).

transformers reads the GGUF and dequantizes it to float32; peft puts rank-r adapters on the
attention and MLP projections (the tied embedding / LM head stays frozen, so the adapter needs no
tensor llama.cpp could not take). The loss is the answer's tokens only: the prompt is what codex
sends, the answer what it should get back. Examples are batched by length so padding stays small.

A checkpoint (adapter weights, optimizer, position in the schedule) is written every few steps
and on Ctrl-C; ``resume`` continues from it with the same order of examples.
"""

from __future__ import annotations

import math
import random
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from codexcli.learn.format import TrainingExample

TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class TrainConfig:
    """What a training run does."""

    rank: int = 8
    alpha: float = 16.0
    learning_rate: float = 2e-4
    epochs: float = 1.0
    max_minutes: float | None = None
    batch_tokens: int = 1024  # tokens per optimizer step (padded batch size x length)
    seed: int = 1234
    checkpoint_every: int = 20  # steps
    device: str = "cpu"


@dataclass(frozen=True)
class StepInfo:
    """Progress of one optimizer step, for the progress bar."""

    step: int
    total_steps: int
    epoch: int
    loss: float
    tokens_per_second: float
    eta_seconds: float


@dataclass(frozen=True)
class TrainReport:
    """What the run did and cost."""

    steps: int
    total_steps: int
    tokens: int
    seconds: float
    final_loss: float | None
    stopped_by: str  # "epochs" | "time"
    peak_memory_mb: float
    resumed_from: int


def pick_device(wanted: str | None) -> str:
    """CUDA when there is a GPU (unless told otherwise), else the CPU."""
    import torch

    if wanted:
        return wanted
    return "cuda" if torch.cuda.is_available() else "cpu"


def set_threads(threads: int | None) -> None:
    """torch's CPU threads, as the ``threads`` setting says (None: torch's default)."""
    import torch

    if threads:
        torch.set_num_threads(threads)


def load_base(model_path: Path, device: str) -> Any:
    """The GGUF model as a float32 transformers model (dequantized), in eval mode."""
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()  # codex's own progress line is the one on stderr
    model: Any = AutoModelForCausalLM.from_pretrained(
        str(model_path.parent), gguf_file=model_path.name, dtype=torch.float32
    )
    return model.to(device).eval()


def attach_lora(model: Any, rank: int, alpha: float, seed: int) -> Any:
    """The model with fresh LoRA adapters on every attention and MLP projection."""
    import torch
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(seed)
    config = LoraConfig(
        r=rank,
        lora_alpha=round(alpha),
        target_modules=list(TARGET_MODULES),
        lora_dropout=0.0,
        bias="none",
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, config)


def trainable_parameters(model: Any) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def batches(examples: Sequence[TrainingExample], batch_tokens: int, seed: int, epoch: int) -> list[list[int]]:
    """Index batches for one epoch: similar lengths together, batches in a seeded random order."""
    order = sorted(range(len(examples)), key=lambda i: examples[i].tokens)
    out: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = max([examples[j].tokens for j in current] + [examples[i].tokens])
        if current and longest * (len(current) + 1) > batch_tokens:
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    random.Random(seed * 1000 + epoch).shuffle(out)
    return out


def collate(examples: Sequence[TrainingExample], device: str) -> tuple[Any, Any, Any]:
    """(input ids, attention mask, labels): right-padded; labels -100 outside the answers."""
    import torch

    width = max(e.tokens for e in examples)
    ids = torch.zeros((len(examples), width), dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    labels = torch.full((len(examples), width), -100, dtype=torch.long)
    for row, e in enumerate(examples):
        seq = list(e.prompt_ids) + list(e.answer_ids)
        ids[row, : len(seq)] = torch.tensor(seq)
        mask[row, : len(seq)] = 1
        labels[row, len(e.prompt_ids) : len(seq)] = torch.tensor(e.answer_ids)
    return ids.to(device), mask.to(device), labels.to(device)


def answer_loss(model: Any, examples: Sequence[TrainingExample], device: str, batch_tokens: int = 2048) -> float:
    """Mean loss per answer token over ``examples`` (no gradients): the held-out figure."""
    import torch

    total, count = 0.0, 0
    with torch.no_grad():
        for batch in batches(examples, batch_tokens, 0, 0):
            ids, mask, labels = collate([examples[i] for i in batch], device)
            logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
            target = labels[:, 1:]
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=-100, reduction="sum"
            )
            total += float(loss)
            count += int((target != -100).sum())
    return total / max(count, 1)


def _save_checkpoint(path: Path, model: Any, optimizer: Any, step: int, config: TrainConfig) -> None:
    import torch

    state = {k: v for k, v in model.state_dict().items() if "lora_" in k}
    tmp = path.with_name(path.name + ".tmp")
    torch.save(
        {"lora": state, "optimizer": optimizer.state_dict(), "step": step, "rank": config.rank, "seed": config.seed},
        tmp,
    )
    tmp.replace(path)


def _resume(checkpoint: Path, model: Any, optimizer: Any, config: TrainConfig) -> int:
    """Load the LoRA weights and optimizer state saved in ``checkpoint`` (if there is one) into
    ``model`` and ``optimizer``; the step to go on from (0 without a checkpoint)."""
    import torch

    if not checkpoint.is_file():
        return 0
    saved = torch.load(checkpoint, map_location=config.device, weights_only=True)
    if saved.get("rank") != config.rank or saved.get("seed") != config.seed:
        raise ValueError(f"the checkpoint {checkpoint} is for another rank or seed")
    model.load_state_dict(saved["lora"], strict=False)
    optimizer.load_state_dict(saved["optimizer"])
    return int(saved["step"])


def _learning_rate(step: int, total_steps: int, config: TrainConfig) -> float:
    """Linear warm-up, then cosine to a tenth."""
    warmup = max(1, min(10, total_steps // 10))
    if step < warmup:
        return config.learning_rate * (step + 1) / warmup
    progress = (step - warmup) / max(1, total_steps - warmup)
    return config.learning_rate * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def train(
    model: Any,
    examples: Sequence[TrainingExample],
    config: TrainConfig,
    checkpoint: Path,
    *,
    resume: bool = False,
    on_step: Callable[[StepInfo], None] | None = None,
) -> TrainReport:
    """Train the LoRA weights of ``model`` on ``examples``; returns what the run did."""
    import torch

    torch.manual_seed(config.seed)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=0.0)
    epochs = max(1, math.ceil(config.epochs))
    plan = [(epoch, b) for epoch in range(epochs) for b in batches(examples, config.batch_tokens, config.seed, epoch)]
    total_steps = max(1, round(len(plan) * config.epochs / epochs))
    start_step = _resume(checkpoint, model, optimizer, config) if resume else 0
    model.train()
    began = time.perf_counter()
    deadline = began + config.max_minutes * 60 if config.max_minutes else None
    # ``done`` counts finished optimizer steps: a checkpoint taken on Ctrl-C between steps (or in
    # the progress callback) resumes at the next batch, neither repeating nor skipping one.
    tokens, loss_value, stopped_by, done = 0, None, "epochs", start_step
    try:
        for step in range(start_step, total_steps):
            if deadline is not None and time.perf_counter() >= deadline:
                stopped_by = "time"
                break
            epoch, batch = plan[step]
            ids, mask, labels = collate([examples[i] for i in batch], config.device)
            for group in optimizer.param_groups:
                group["lr"] = _learning_rate(step, total_steps, config)
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            done = step + 1
            loss_value = float(loss.detach())
            tokens += int(mask.sum())
            if done % config.checkpoint_every == 0:
                _save_checkpoint(checkpoint, model, optimizer, done, config)
            if on_step is not None:
                elapsed = time.perf_counter() - began
                eta = elapsed / (done - start_step) * (total_steps - done)
                on_step(StepInfo(done, total_steps, epoch + 1, loss_value, tokens / elapsed if elapsed else 0.0, eta))
    except KeyboardInterrupt:
        _save_checkpoint(checkpoint, model, optimizer, done, config)
        raise
    if stopped_by == "time":
        _save_checkpoint(checkpoint, model, optimizer, done, config)
    model.eval()
    return TrainReport(
        steps=done - start_step,
        total_steps=total_steps,
        tokens=tokens,
        seconds=time.perf_counter() - began,
        final_loss=loss_value,
        stopped_by=stopped_by,
        peak_memory_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        resumed_from=start_step,
    )


def greedy_ids(model: Any, prompt_ids: Sequence[int], max_new: int, eos: int, device: str) -> list[int]:
    """The model's greedy continuation of ``prompt_ids`` (what llama.cpp at temperature 0 gives)."""
    import torch

    ids = torch.tensor([list(prompt_ids)], device=device)
    with torch.no_grad():
        out = model.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=max_new,
            do_sample=False,
            eos_token_id=eos,
            pad_token_id=eos,
        )
    new = out[0, len(prompt_ids) :].tolist()
    return new[: new.index(eos)] if eos in new else new
