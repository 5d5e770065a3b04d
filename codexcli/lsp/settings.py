"""The server's options: what the editor sends (``initializationOptions``, then the ``codex``
section of ``workspace/configuration``) over the settings every codex command reads (the user
config, ``[tool.codex]`` of the nearest pyproject.toml, ``CODEX_*``), as the command line's
flags are.

Keys may be camelCase (as editors write them) or snake_case::

    {"model": "path.gguf", "backend": "openai", "baseUrl": "http://localhost:8080/v1",
     "samples": 5, "evidence": "consensus", "diagnostics": true, "translateTo": ["javascript"]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from codexcli.config import Settings, load_settings
from codexcli.errors import ConfigError
from codexcli.evidence import LEVELS

# The languages "translate this file to ..." offers unless the editor names others.
DEFAULT_TRANSLATE_TO = ("javascript", "java")
_SETTING_KEYS = ("model", "backend", "base_url", "evidence", "temperature", "max_tokens", "retries", "context")


@dataclass(frozen=True)
class ServerOptions:
    """What the editor asked for; None means "as the config says"."""

    overrides: Mapping[str, Any]  # Settings fields (model, backend, base_url, evidence, ...)
    samples: int | None = None
    diagnostics: bool = False  # undocumented public functions as hints with a quick fix
    translate_to: tuple[str, ...] = DEFAULT_TRANSLATE_TO


def _snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


def parse_options(raw: Any) -> ServerOptions:
    """ServerOptions from the editor's JSON object (None or not an object: all defaults). An
    unknown evidence level or a samples value below 1 is a ConfigError."""
    data = {_snake(str(k)): v for k, v in raw.items()} if isinstance(raw, Mapping) else {}
    if isinstance(data.get("codex"), Mapping):  # {"codex": {...}}, as some clients nest it
        data = {_snake(str(k)): v for k, v in data["codex"].items()}
    overrides = {k: data[k] for k in _SETTING_KEYS if data.get(k) is not None}
    if "evidence" in overrides and overrides["evidence"] not in LEVELS:
        raise ConfigError(f"evidence {overrides['evidence']!r}: one of {', '.join(LEVELS)}")
    samples = data.get("samples")
    if samples is not None and (not isinstance(samples, int) or samples < 1):
        raise ConfigError(f"samples {samples!r}: a whole number of at least 1")
    languages = data.get("translate_to")
    return ServerOptions(
        overrides,
        samples=samples,
        diagnostics=bool(data.get("diagnostics", False)),
        translate_to=tuple(str(x) for x in languages) if isinstance(languages, list) else DEFAULT_TRANSLATE_TO,
    )


def merge(first: ServerOptions, later: ServerOptions | None) -> ServerOptions:
    """``later`` (workspace/configuration) over ``first`` (initializationOptions)."""
    if later is None:
        return first
    return ServerOptions(
        {**first.overrides, **later.overrides},
        samples=later.samples if later.samples is not None else first.samples,
        diagnostics=later.diagnostics or first.diagnostics,
        translate_to=later.translate_to if later.translate_to != DEFAULT_TRANSLATE_TO else first.translate_to,
    )


def settings_for(path: Path | None, options: ServerOptions) -> Settings:
    """The settings of a task on ``path``: its project's config, with the editor's options on
    top (as flags are on the command line)."""
    folder = None if path is None else (path if path.is_dir() else path.parent)
    return load_settings(folder if folder is not None and folder.is_dir() else None, flags=dict(options.overrides))
