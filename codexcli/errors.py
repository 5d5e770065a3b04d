"""Typed errors: each carries the exit code and a one-line message meant for people.

Exit codes follow the project's contract: usage and model/config problems 2, a task that ran but
failed 1, a bug in codex 3 (as pre-commit does, so scripts can tell "codex broke" from "the
task did not verify"), Ctrl-C 130. The CLI's error boundary is the only place that turns these into output.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_TASK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class CodexError(Exception):
    """Base class for errors codex reports as one clear line (no traceback)."""

    exit_code = EXIT_TASK_FAILED
    kind = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(CodexError):
    """The command line asks for something impossible (bad flag combination, file exists...)."""

    exit_code = EXIT_USAGE
    kind = "usage"


class ConfigError(CodexError):
    """A configuration file or environment variable is invalid."""

    exit_code = EXIT_USAGE
    kind = "config"


class ModelError(CodexError):
    """The model file is missing, not GGUF, truncated, or cannot be loaded."""

    exit_code = EXIT_USAGE
    kind = "model"


class SourceError(CodexError):
    """A user's source file cannot be read safely (missing, not UTF-8, syntax error)."""

    exit_code = EXIT_USAGE
    kind = "source"


class PromptTooLongError(CodexError):
    """The rendered prompt does not fit in the model's context window."""

    exit_code = EXIT_USAGE
    kind = "prompt-too-long"


class BackendError(CodexError):
    """The inference backend failed while generating."""

    exit_code = EXIT_TASK_FAILED
    kind = "backend"


class TaskFailed(CodexError):
    """The task ran but produced nothing that passed verification."""

    exit_code = EXIT_TASK_FAILED
    kind = "task-failed"


class ServerError(CodexError):
    """A model server (the openai backend) cannot be reached or refused the request."""

    exit_code = EXIT_USAGE
    kind = "server"
