"""`codex models`: which model codex will use, and what its file says about itself."""

from __future__ import annotations

from typing import Any

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.output import Output


@command("models")
def models_command(*, ui: Output) -> int:
    """Show the resolved model: path, size, architecture, quantization, context, chat template."""
    from codexcli.model.find import inspect_model, resolve_model

    settings = load_settings_for()
    if settings.backend == "openai":
        return _server_models(settings, ui)
    resolved = resolve_model(settings)
    info = inspect_model(resolved.path)
    batches = _batches(settings, resolved)
    facts = {
        "path": str(resolved.path),
        "source": resolved.source,
        "size_bytes": info.file_size,
        "name": info.name,
        "architecture": info.architecture,
        "quantization": info.quantization,
        "context_length": info.context_length,
        "chat_template": info.chat_template is not None,
        "gguf_version": info.version,
        "tensors": info.tensor_count,
        "adapter": _adapter(settings, resolved.path, info),
        "batches": batches,
    }
    if ui.json:
        ui.emit_json({"command": "models", "ok": True, "model": facts})
        return 0
    rows = [
        ("path", str(resolved.path)),
        ("chosen by", resolved.source),
        ("size", f"{info.file_size / 1e6:.1f} MB ({info.file_size:,} bytes)"),
        ("name", str(info.name or "-")),
        ("architecture", info.architecture),
        ("quantization", info.quantization),
        ("trained context", f"{info.context_length:,} tokens" if info.context_length else "unknown"),
        ("chat template", "yes (chat prompts)" if info.chat_template else "no (plain completion prompts)"),
    ]
    adapter = facts["adapter"]
    if isinstance(adapter, dict):
        rows.append(("adapter", f"{adapter['path']} ({adapter['pairs']} pairs, rank {adapter['rank']})"))
    from codexcli.model.convert import summary

    rows.append(("batches run on", summary(batches)))
    console = ui.out()
    if not console.is_terminal:  # piped: "key: value" lines, never wrapped
        ui.write("".join(f"{key}: {value}\n" for key, value in rows))
        return 0
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)
    return 0


def _server_models(settings: Any, ui: Output) -> int:
    """The openai backend: the server's models, and the one codex will use."""
    from codexcli.backends.openai import OpenAIBackend

    backend = OpenAIBackend.from_settings(settings)
    try:
        info = backend.info()
        context = backend.context_length()
    finally:
        backend.close()
    url = backend.client.shown_url  # user:password masked
    if ui.json:
        ui.emit_json(
            {
                "command": "models",
                "ok": True,
                "server": {"base_url": url, "models": list(info.models), "model": info.model, "context": context},
            }
        )
        return 0
    console = ui.out()
    console.print(f"server: {url}", markup=False)
    for model_id in info.models:
        console.print(f"{'*' if model_id == info.model else ' '} {model_id}", markup=False)
    how = "chat template known" if info.template else "chat template unknown: prefills go into the instruction"
    console.print(f"codex uses: {info.model} (context {context:,} tokens; {how})", markup=False)
    return 0


def _adapter(settings: Any, model: Any, info: Any) -> dict[str, Any] | None:
    """The configured adapter, checked against the model (refused when made for another one)."""
    if not settings.adapter:
        return None
    from pathlib import Path

    from codexcli.model.adapter import check_adapter

    adapter = check_adapter(Path(settings.adapter), model, info)
    return {
        "path": str(adapter.path),
        "base": adapter.base_label,
        "pairs": adapter.facts.get("pairs"),
        "rank": adapter.facts.get("lora.rank"),
        "held_out_loss_base": adapter.facts.get("held_out.loss_base"),
        "held_out_loss_adapter": adapter.facts.get("held_out.loss_adapter"),
    }


def _batches(settings: Any, resolved: Any) -> dict[str, object]:
    """Which weights batches (--samples) run on: model/convert.py's plan and its copy."""
    from codexcli.model import convert

    system = ""
    if settings.convert == "auto" and resolved.embedded:
        from codexcli.backends.llamacpp_load import system_info

        system = system_info()
    return convert.status(
        convert.plan(settings.convert, resolved.embedded, system), resolved.path, convert.models_dir()
    )
