"""Typed settings merged from every place a user may put them.

Precedence, lowest first: built-in defaults, the user config file (``$CODEX_CONFIG``, which
must exist, or ``$XDG_CONFIG_HOME/codexcli/config.toml`` when there is one), ``[tool.codex]`` in
the nearest pyproject.toml (the project knows best about itself, as with git's local over global
config), ``CODEX_*`` environment variables, then command-line flags.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, cast

from codexcli.errors import ConfigError
from codexcli.evidence import LEVELS


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know that is not a per-command argument."""

    model: str | None = None
    backend: str = "llamacpp"
    threads: int | None = None
    temperature: float = 0.0
    max_tokens: int = 512
    seed: int = 1234
    prompts_dir: str | None = None
    n_gpu_layers: int | None = None  # None: offload everything when the build supports it
    context_limit: int | None = None  # cap below the model's trained context, if set
    retries: int = 2
    unsafe_exec: bool = False  # run generated code without OS isolation where none works
    # llama.cpp's extra weight buffers (AMX, repacking): "auto" | "on" | "off"; see backends/cpu.py.
    extra_buffers: str = "auto"
    # Batches on a converted copy of the weights: "auto" | "off" | bf16 | f16 | q8_0 | q4_0; see model/convert.py.
    convert: str = "auto"
    # The openai backend: the server's URL (ending in /v1), parallel requests, seconds per request.
    base_url: str | None = None
    concurrency: int = 4
    request_timeout: float = 600.0
    # Repository context (codexcli/index/context.py): show the model up to context_k related
    # definitions of the repository, within context_tokens prompt tokens; `--no-context` or
    # context = false turns it off.
    context: bool = True
    context_k: int = 3
    context_tokens: int = 512
    # An embedding GGUF: `codex search` adds dense search, fused with BM25 (index/dense.py).
    embed_model: str | None = None
    # `codex data build`: engine (local | ray), workers (None: the CPU count), near-dedup threshold.
    data_engine: str = "local"
    data_workers: int | None = None
    data_threshold: float = 0.85
    adapter: str | None = None  # a GGUF LoRA adapter (`codex learn`) loaded with the model
    # The write threshold (codexcli/evidence.py): None is each task's own default.
    evidence: str | None = None
    # The most the files under the cache folder may take (results, indexes, logs, journal); the
    # oldest are removed past it (codexcli/cache_files.py). 0: no cap.
    cache_max_mb: int = 2048
    # Where each value came from, for `codex config` style reporting and error messages.
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def with_overrides(self, source: str, **values: Any) -> "Settings":
        """Return a copy with the non-None values applied, remembering where they came from."""
        clean = {k: v for k, v in values.items() if v is not None}
        if not clean:
            return self
        merged_sources = dict(self.sources)
        merged_sources.update({k: source for k in clean})
        return dataclasses.replace(self, **clean, sources=merged_sources)


_FIELD_TYPES: dict[str, type] = {
    "model": str,
    "backend": str,
    "threads": int,
    "temperature": float,
    "max_tokens": int,
    "seed": int,
    "prompts_dir": str,
    "n_gpu_layers": int,
    "context_limit": int,
    "retries": int,
    "unsafe_exec": bool,
    "extra_buffers": str,
    "convert": str,
    "base_url": str,
    "concurrency": int,
    "request_timeout": float,
    "context": bool,
    "context_k": int,
    "context_tokens": int,
    "embed_model": str,
    "data_engine": str,
    "data_workers": int,
    "data_threshold": float,
    "adapter": str,
    "evidence": str,
    "cache_max_mb": int,
}
# Settings that take one of a few words (checked wherever the value comes from).
_CHOICES: dict[str, tuple[str, ...]] = {
    "extra_buffers": ("auto", "on", "off"),
    "convert": ("auto", "off", "bf16", "f16", "q8_0", "q4_0"),  # model/convert.py's SETTINGS
    "data_engine": ("local", "ray"),
    "evidence": LEVELS,
}
_PATH_FIELDS = {"model", "prompts_dir", "embed_model", "adapter"}


def _coerce(key: str, value: Any, origin: str) -> Any:
    """Check one setting's type, converting strings from the environment."""
    want = _FIELD_TYPES[key]
    if want is bool:
        if isinstance(value, str) and value.strip().lower() in (
            "1",
            "true",
            "yes",
            "on",
            "0",
            "false",
            "no",
            "off",
            "",
        ):
            return value.strip().lower() in ("1", "true", "yes", "on")
        if not isinstance(value, bool):
            raise ConfigError(f"{origin}: {key} must be true or false, got {value!r}")
        return value
    if key in _CHOICES:
        word = value.strip().lower() if isinstance(value, str) else value
        if word not in _CHOICES[key]:
            raise ConfigError(f"{origin}: {key} must be one of {', '.join(_CHOICES[key])}, got {value!r}")
        return word
    if isinstance(value, str) and want is not str:
        try:
            return want(value)
        except ValueError:
            raise ConfigError(f"{origin}: {key} must be {want.__name__}, got {value!r}") from None
    if want is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, want) or isinstance(value, bool):
        raise ConfigError(f"{origin}: {key} must be {want.__name__}, got {value!r}")
    # isinstance(value, want) above: value is an int or a float here.
    if want in (int, float) and key != "n_gpu_layers" and cast(float, value) < 0:
        raise ConfigError(f"{origin}: {key} must not be negative, got {value!r}")
    return value


def _is_path(key: str, value: str) -> bool:
    """``model`` is a file only when it looks like one; otherwise it is a server's model id
    (the openai backend's ``qwen2.5-coder:7b``), kept as written."""
    return key != "model" or value.endswith(".gguf") or value.startswith((".", "~", "/"))


def _from_table(table: Mapping[str, Any], origin: str, base_dir: Path | None) -> dict[str, Any]:
    """Validate a TOML table of settings; relative paths resolve against the file's folder."""
    out: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in _FIELD_TYPES:
            known = ", ".join(sorted(_FIELD_TYPES))
            raise ConfigError(f"{origin}: unknown setting {raw_key!r} (known: {known})")
        value = _coerce(key, value, origin)
        if key in _PATH_FIELDS and base_dir is not None and _is_path(key, value):
            value = str((base_dir / Path(value).expanduser()).resolve())
        out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def user_config_path(env: Mapping[str, str] | None = None) -> Path:
    """The user config file: $CODEX_CONFIG, else $XDG_CONFIG_HOME/codexcli/config.toml."""
    env = os.environ if env is None else env
    if env.get("CODEX_CONFIG"):
        return Path(env["CODEX_CONFIG"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "codexcli" / "config.toml"


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start``."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge defaults, user file, project file, environment and flags into one Settings."""
    env = os.environ if env is None else env
    settings = Settings()

    user_file = user_config_path(env)
    if env.get("CODEX_CONFIG") and not user_file.is_file():
        # A file named on purpose that is not there is a mistake (a typo, a moved file), not "no
        # settings": ignoring it would run with settings the user did not choose.
        why = "is a directory, not a file" if user_file.is_dir() else "no such file"
        raise ConfigError(f"{user_file}: {why} (named by CODEX_CONFIG)")
    if user_file.is_file():
        data = _read_toml(user_file)
        table = data.get("codex", data)  # allow a bare file or a [codex] table
        settings = settings.with_overrides(str(user_file), **_from_table(table, str(user_file), user_file.parent))

    pyproject = find_pyproject(cwd or Path.cwd())
    if pyproject is not None:
        table = _read_toml(pyproject).get("tool", {}).get("codex")
        if table and any(k.replace("-", "_") == "unsafe_exec" for k in table):
            # A repository must not switch off the sandbox for the code codex generates in it.
            raise ConfigError(
                f"{pyproject}: unsafe_exec can only be set in your user config, CODEX_UNSAFE_EXEC or --unsafe-exec"
            )
        if table:
            settings = settings.with_overrides(
                f"{pyproject} [tool.codex]", **_from_table(table, str(pyproject), pyproject.parent)
            )

    for key in _FIELD_TYPES:  # each value remembers its variable: `codex config` names it
        name = f"CODEX_{key.upper()}"
        if env.get(name):
            settings = settings.with_overrides(f"environment ({name})", **{key: _coerce(key, env[name], name)})

    if flags:
        known = {k: v for k, v in flags.items() if k in _FIELD_TYPES}
        if known.get("convert") is not None:  # --convert is checked as the config's convert is
            known["convert"] = _coerce("convert", known["convert"], "--convert")
        settings = settings.with_overrides("command line", **known)
    return settings


def default_workers() -> int:
    """The cores this process may use: how many sandboxes run in parallel unless told otherwise,
    and how many threads llama.cpp computes with (its own default is half the cores)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
