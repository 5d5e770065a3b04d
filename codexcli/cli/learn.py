"""`codex learn`: train a LoRA adapter on a repository's functions; `codex learn status`: list them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.output import Output, Progress
from codexcli.errors import UsageError

DEFAULT_OUT = Path(".codexcli") / "adapter.gguf"


@command("learn")
def learn_command(
    path: Annotated[
        str, typer.Argument(help="Repository, folder or file to learn from; `status` lists adapters instead.")
    ] = ".",
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", help="Adapter file to write (default: PATH/.codexcli/adapter.gguf)."),
    ] = None,
    epochs: Annotated[float, typer.Option("--epochs", help="Passes over the training pairs.", min=0.01)] = 1.0,
    max_minutes: Annotated[
        Optional[float], typer.Option("--max-minutes", help="Stop training after this long (then checked and written).")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue from the checkpoint an interrupted run left.")
    ] = False,
    rank: Annotated[int, typer.Option("--rank", "-r", help="LoRA rank.", min=1, max=256)] = 8,
    learning_rate: Annotated[float, typer.Option("--lr", help="Peak learning rate.", min=0.0)] = 2e-4,
    held_out: Annotated[
        float,
        typer.Option(
            "--held-out", help="Fraction of files never trained on (for the measured effect).", min=0.0, max=0.9
        ),
    ] = 0.2,
    max_pairs: Annotated[
        Optional[int], typer.Option("--max-pairs", help="Train on at most this many pairs.", min=1)
    ] = None,
    max_tokens: Annotated[
        int,
        typer.Option(
            "--max-example-tokens",
            "--max-tokens",  # the old name; elsewhere --max-tokens is the length of an answer
            help="Longest example trained on (prompt + answer).",
            min=64,
        ),
    ] = 768,
    batch_tokens: Annotated[int, typer.Option("--batch-tokens", help="Tokens per optimizer step.", min=64)] = 1024,
    device: Annotated[
        Optional[str], typer.Option("--device", help="torch device (default: cuda when present, else cpu).")
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="Pairs to train on: S (docstring -> body), D (body -> docstring) or SD.")
    ] = "SD",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count pairs and tokens; train and write nothing.")
    ] = False,
    *,
    ui: Output,
) -> int:
    """Train a LoRA adapter on PATH's Codex-S (docstring -> body) and Codex-D (body -> docstring)
    pairs, write it as a GGUF adapter llama.cpp loads, and check that it does."""
    settings = load_settings_for()
    if path == "status":
        return _status(settings, ui)
    from codexcli.learn.run import LearnOptions
    from codexcli.learn.train import TrainConfig

    root = Path(path)
    target = out or (root if root.is_dir() else root.parent) / DEFAULT_OUT
    config = TrainConfig(
        rank=rank,
        alpha=2.0 * rank,
        learning_rate=learning_rate,
        epochs=epochs,
        max_minutes=max_minutes,
        batch_tokens=batch_tokens,
        seed=settings.seed,
        device=device or "cpu",
    )
    if not kind or set(kind.upper()) - {"S", "D"}:
        raise UsageError(f"--kind must be S, D or SD, not {kind!r}")
    options = LearnOptions(root, target, config, held_out, max_tokens, max_pairs, resume, kind.upper())
    if dry_run:
        return _dry_run(options, settings, ui)
    return _train(options, settings, ui)


def _dry_run(options: Any, settings: Any, ui: Output) -> int:
    from codexcli.backends.llamacpp import LlamaCppBackend
    from codexcli.learn.run import prepare

    backend = LlamaCppBackend.from_settings(settings)
    train, held, found, dropped = prepare(options, settings, backend)
    facts = {
        "pairs": found,
        "train_pairs": len(train),
        "held_out_pairs": len(held),
        "dropped": dropped,
        "train_tokens": sum(e.tokens for e in train),
        "out": str(options.out),
    }
    if ui.json:
        ui.emit_json({"command": "learn", "ok": True, "dry_run": True, **facts})
    else:
        ui.write("".join(f"{k}: {v}\n" for k, v in facts.items()))
    return 0


def _train(options: Any, settings: Any, ui: Output) -> int:
    from codexcli.learn.run import learn

    console = ui.err()
    with Progress(console, enabled=True) as progress:  # a long training run shows progress even with --json

        def on_step(info: Any) -> None:
            minutes, seconds = divmod(int(info.eta_seconds), 60)
            line = (
                f"step {info.step}/{info.total_steps} epoch {info.epoch} loss {info.loss:.3f} "
                f"{info.tokens_per_second:.0f} tok/s ETA {minutes}m{seconds:02d}s"
            )
            if progress.enabled:
                progress.set(line)
            elif not ui.quiet:
                console.print(line, markup=False)

        def on_status(message: str) -> None:
            if progress.enabled:
                progress.set(message)
            elif not ui.quiet:
                console.print(message, markup=False)

        result = learn(options, settings, on_status=on_status, on_step=on_step)
    r, a = result.report, result.agreement
    facts = {
        "adapter": str(result.adapter),
        "base": str(result.base),
        "pairs": result.pairs,
        "train_pairs": result.train_pairs,
        "held_out_pairs": result.held_out_pairs,
        "dropped": result.dropped,
        "train_tokens": result.train_tokens,
        "steps": r.steps + r.resumed_from,
        "total_steps": r.total_steps,
        "stopped_by": r.stopped_by,
        "minutes": round(r.seconds / 60, 2),
        "tokens_per_second": round(r.tokens / r.seconds, 1) if r.seconds else None,
        "peak_memory_mb": round(r.peak_memory_mb),
        "final_loss": r.final_loss,
        "held_out_loss_base": result.held_out_loss_base,
        "held_out_loss_adapter": result.held_out_loss_adapter,
        "check": f"{a.identical}/{a.prompts} greedy answers identical in llama.cpp and PEFT (base: {a.base_identical}/{a.prompts})",
        "trainable_parameters": result.trainable,
    }
    if ui.json:
        ui.emit_json({"command": "learn", "ok": True, **facts})
    else:
        ui.write("".join(f"{k}: {v}\n" for k, v in facts.items()))
        if r.stopped_by == "time":
            console.print(
                "stopped by --max-minutes; `codex learn --resume` continues from the checkpoint", markup=False
            )
    return 0


def _status(settings: Any, ui: Output) -> int:
    """Adapters in the project's .codexcli/ folder and the configured one, with what they record."""
    from codexcli.config import find_pyproject
    from codexcli.model.adapter import read_adapter

    pyproject = find_pyproject(Path.cwd())
    root = pyproject.parent if pyproject else Path.cwd()
    paths = sorted((root / ".codexcli").glob("*.gguf")) if (root / ".codexcli").is_dir() else []
    if settings.adapter and Path(settings.adapter).resolve() not in [p.resolve() for p in paths]:
        paths.append(Path(settings.adapter))
    rows = []
    for p in paths:
        info = read_adapter(p)
        f = info.facts
        rows.append(
            {
                "path": str(p),
                "active": bool(settings.adapter) and Path(settings.adapter).resolve() == p.resolve(),
                "base": info.base_label,
                "pairs": f.get("pairs"),
                "train_pairs": f.get("pairs.train"),
                "held_out_pairs": f.get("pairs.held_out"),
                "held_out_loss_base": f.get("held_out.loss_base"),
                "held_out_loss_adapter": f.get("held_out.loss_adapter"),
                "check": f"{f.get('check.identical')}/{f.get('check.prompts')}",
                "created": f.get("created"),
            }
        )
    if ui.json:
        ui.emit_json({"command": "learn", "ok": True, "adapters": rows})
        return 0
    if not rows:
        ui.write("no adapters (train one with `codex learn PATH`)\n")
    for row in rows:
        loss = "-"
        if row["held_out_loss_base"] is not None and row["held_out_loss_adapter"] is not None:
            loss = f"{row['held_out_loss_base']:.3f} -> {row['held_out_loss_adapter']:.3f}"
        mark = " (active)" if row["active"] else ""
        ui.write(
            f"{row['path']}{mark}\n  base: {row['base']}\n  pairs: {row['pairs']} "
            f"(train {row['train_pairs']}, held out {row['held_out_pairs']})\n"
            f"  held-out loss base -> adapter: {loss}\n  llama.cpp check: {row['check']} identical\n"
        )
    return 0
