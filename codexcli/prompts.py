"""Load task prompts from prompts/<task>.toml and render them into chat messages.

A prompt file holds ``system`` and ``user`` templates, optional ``prefill`` (the start of the
model's answer, e.g. an opening code fence: small models follow a format far better when it is
already begun), ``stop`` sequences, few-shot ``[[examples]]`` (user/assistant pairs), and
``feedback``: the user turn that tells the model why its last answer was rejected ($reason).
Templates use ``$name`` placeholders (string.Template), because code is full of braces.

Lookup: the user's prompts directory (``prompts_dir`` setting) first, then the prompts shipped
with codex (inside the wheel, or the repository's prompts/ folder in a development install).
"""

from __future__ import annotations

import hashlib
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from codexcli.backends.base import Message
from codexcli.errors import ConfigError

# Used by prompt files that do not say how to ask again.
DEFAULT_FEEDBACK = "That answer was rejected: $reason. Try again. Answer with only the code, in one code block."


@dataclass(frozen=True)
class Example:
    """A few-shot example: what the user asked and what a good answer looks like."""

    user: str
    assistant: str


@dataclass(frozen=True)
class PromptTemplate:
    """One task prompt, as data."""

    name: str
    system: str
    user: str
    prefill: str = ""
    stop: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    version: int = 1
    source: str = ""
    digest: str = ""  # hash of the file's bytes: part of result-cache keys
    feedback: str = DEFAULT_FEEDBACK

    def retry(self, reason: str, **values: str) -> str:
        """The feedback turn for a rejected answer (``$reason`` plus the task's placeholders)."""
        return _substitute(self.feedback, {**values, "reason": reason}, self, "feedback")

    def render(self, **values: str) -> tuple[tuple[Message, ...], str]:
        """Fill the templates; return the messages and the rendered prefill."""
        messages: list[Message] = []
        system = _substitute(self.system, values, self, "system")
        if system.strip():
            messages.append(Message("system", system))
        for ex in self.examples:
            messages.append(Message("user", _substitute(ex.user, values, self, "examples.user")))
            messages.append(Message("assistant", _substitute(ex.assistant, values, self, "examples.assistant")))
        messages.append(Message("user", _substitute(self.user, values, self, "user")))
        return tuple(messages), _substitute(self.prefill, values, self, "prefill")


def _substitute(template: str, values: Mapping[str, str], prompt: PromptTemplate, part: str) -> str:
    try:
        return string.Template(template).substitute(values)
    except KeyError as exc:
        raise ConfigError(
            f"prompt {prompt.name} ({prompt.source}): {part} uses ${exc.args[0]}, which this task "
            f"does not provide (available: {', '.join(sorted(values))})"
        ) from None
    except ValueError as exc:
        raise ConfigError(
            f"prompt {prompt.name} ({prompt.source}): {part}: {exc} (write $$ for a dollar sign)"
        ) from None


def builtin_prompts_dir() -> Path:
    """Prompts shipped with codex: codexcli/prompts in a wheel, else the repository's prompts/."""
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "prompts", package_dir.parent / "prompts"):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"codex installation is missing its prompts folder (looked in {package_dir})")


def parse_prompt(name: str, text: str, source: str) -> PromptTemplate:
    """Build a PromptTemplate from TOML text; ConfigError naming the file when it is malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}") from None
    for key in ("system", "user"):
        if not isinstance(data.get(key), str):
            raise ConfigError(f"{source}: missing text field {key!r}")
    feedback = data.get("feedback", DEFAULT_FEEDBACK)
    if not isinstance(feedback, str) or "$reason" not in feedback:
        raise ConfigError(f"{source}: 'feedback' must be text that uses $reason")
    stop = data.get("stop", [])
    if not isinstance(stop, list) or not all(isinstance(s, str) and s for s in stop):
        raise ConfigError(f"{source}: 'stop' must be a list of non-empty strings")
    examples = []
    for i, ex in enumerate(data.get("examples", [])):
        if not (isinstance(ex, dict) and isinstance(ex.get("user"), str) and isinstance(ex.get("assistant"), str)):
            raise ConfigError(f"{source}: examples[{i}] needs text fields 'user' and 'assistant'")
        examples.append(Example(ex["user"], ex["assistant"]))
    return PromptTemplate(
        name=name,
        system=data["system"],
        user=data["user"],
        prefill=str(data.get("prefill", "")),
        stop=tuple(stop),
        examples=tuple(examples),
        version=int(data.get("version", 1)),
        source=source,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
        feedback=feedback,
    )


def load_prompt(name: str, prompts_dir: str | Path | None = None) -> PromptTemplate:
    """Load prompts/<name>.toml, preferring the user's prompts directory."""
    folders = []
    if prompts_dir:
        folders.append(Path(prompts_dir).expanduser())
    folders.append(builtin_prompts_dir())
    for folder in folders:
        path = folder / f"{name}.toml"
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read prompt: {exc}") from None
            return parse_prompt(name, text, str(path))
    raise ConfigError(f"no prompt named {name!r} (looked in {', '.join(str(f) for f in folders)})")
