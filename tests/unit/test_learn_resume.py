"""`codex learn --resume`: a run interrupted by Ctrl-C and resumed from its checkpoint ends with
the same LoRA weights as the run that was never interrupted (same batches, same optimizer state).
A tiny randomly initialised Llama (no weights downloaded), a few steps on CPU."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexcli.backends.base import CompletionRequest
from codexcli.learn.format import TrainingExample

torch = pytest.importorskip("torch")
pytest.importorskip("peft")
transformers = pytest.importorskip("transformers")

from codexcli.learn.train import TrainConfig, attach_lora, train  # noqa: E402


def tiny_model():
    torch.manual_seed(0)
    config = transformers.LlamaConfig(
        vocab_size=64,
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=64,
        tie_word_embeddings=True,
    )
    return attach_lora(transformers.LlamaForCausalLM(config), rank=2, alpha=4.0, seed=1)


def examples(count: int = 12) -> list[TrainingExample]:
    out = []
    for i in range(count):
        prompt = tuple(range(1 + i % 5, 6 + i % 5))
        answer = tuple((7 * i + k) % 60 + 2 for k in range(3 + i % 4))
        out.append(TrainingExample(f"p{i}", "S", "a.py", CompletionRequest(messages=()), "x", "y", prompt, answer))
    return out


def lora_weights(model) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items() if "lora_" in k}


class Interrupt:
    """A progress callback that presses Ctrl-C after ``at`` optimizer steps."""

    def __init__(self, at: int) -> None:
        self.at = at

    def __call__(self, info) -> None:
        if info.step == self.at:
            raise KeyboardInterrupt


def test_an_interrupted_run_resumed_ends_where_the_uninterrupted_one_does(tmp_path: Path):
    config = TrainConfig(rank=2, alpha=4.0, learning_rate=5e-2, epochs=2, batch_tokens=24, checkpoint_every=100)
    data = examples()

    whole = tiny_model()
    full = train(whole, data, config, tmp_path / "whole.ckpt")
    assert full.steps == full.total_steps >= 6 and full.resumed_from == 0

    checkpoint = tmp_path / "cut.ckpt"
    first = tiny_model()
    with pytest.raises(KeyboardInterrupt):
        train(first, data, config, checkpoint, on_step=Interrupt(3))
    assert checkpoint.is_file()

    second = tiny_model()  # a new process: fresh LoRA weights, everything else from the checkpoint
    resumed = train(second, data, config, checkpoint, resume=True)
    assert resumed.resumed_from == 3
    assert resumed.steps == full.total_steps - 3

    expected, got = lora_weights(whole), lora_weights(second)
    assert expected.keys() == got.keys() and expected
    for key in expected:
        assert torch.allclose(expected[key], got[key], atol=1e-6), key
    untrained = lora_weights(tiny_model())
    assert any(not torch.allclose(untrained[k], got[k]) for k in got)  # it did train


def test_resume_without_a_checkpoint_starts_from_the_beginning(tmp_path: Path):
    config = TrainConfig(rank=2, alpha=4.0, epochs=1, batch_tokens=24)
    report = train(tiny_model(), examples(4), config, tmp_path / "none.ckpt", resume=True)
    assert report.resumed_from == 0 and report.steps == report.total_steps


def test_a_checkpoint_of_another_rank_is_refused(tmp_path: Path):
    checkpoint = tmp_path / "cut.ckpt"
    config = TrainConfig(rank=2, alpha=4.0, epochs=2, batch_tokens=24)
    with pytest.raises(KeyboardInterrupt):
        train(tiny_model(), examples(), config, checkpoint, on_step=Interrupt(1))
    other = TrainConfig(rank=4, alpha=4.0, epochs=2, batch_tokens=24)
    with pytest.raises(ValueError, match="another rank or seed"):
        train(tiny_model(), examples(), other, checkpoint, resume=True)
