"""What every subcommand shares: global options, consoles, settings, and the error boundary.

stdout carries results (code, diffs, one JSON object with --json); stderr carries progress and
status through a Rich console, plain when it is not a terminal. When stdout cannot take the
results (closed with ``>&-``, or a pipe whose reader left, as ``| head -c1`` does) the command
ends with exit 3 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import select
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, TypeVar

import typer
from rich.console import Console

from codexcli.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, CodexError

EXIT_TERMINATED = 143  # 128 + SIGTERM, as shells report it

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class GlobalOptions:
    """Options given before the subcommand (``codex --json generate ...``)."""

    json: bool = False
    model: str | None = None
    backend: str | None = None
    base_url: str | None = None
    concurrency: int | None = None
    debug: bool = False
    quiet: bool = False
    unsafe_exec: bool = False
    adapter: str | None = None


STATE = GlobalOptions()

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object summarising the run on stdout.")]


def reset_state(**values: Any) -> None:
    """Set the global options for this invocation (the CLI may run many times in one process).
    Updated in place: modules hold a reference to STATE."""
    fresh = GlobalOptions(**values)
    for name in vars(fresh):
        setattr(STATE, name, getattr(fresh, name))


def debug_enabled() -> bool:
    return STATE.debug or bool(os.environ.get("CODEX_DEBUG"))


def err_console() -> Console:
    """Console for progress and status (stderr)."""
    return Console(stderr=True, highlight=False, soft_wrap=True, quiet=STATE.quiet)


def out_console() -> Console:
    """Console for results (stdout)."""
    return Console(highlight=False, soft_wrap=True)


def emit_json(payload: dict[str, Any]) -> None:
    """Write the run's JSON summary: exactly one object, one line, on stdout."""
    sys.stdout.write(json.dumps(payload, default=str) + "\n")
    sys.stdout.flush()


class StdoutClosed(OSError):
    """A write to a stdout that was closed before codex started."""


class _ClosedStdout:
    """``sys.stdout`` when descriptor 1 was closed before codex started (Python leaves it None):
    a write fails with StdoutClosed, which the error boundary reports; a flush with nothing
    written succeeds, so a command that prints nothing on stdout still runs."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        raise StdoutClosed(errno.EBADF, "stdout is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise StdoutClosed(errno.EBADF, "stdout is closed")


def guard_stdout() -> None:
    """At start-up: a closed stdout becomes _ClosedStdout, and descriptor 1 is taken by
    /dev/null so that no file codex opens (or a child inherits) lands on it."""
    if sys.stdout is not None:
        return
    sys.stdout = _ClosedStdout()
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        if fd != 1:
            os.dup2(fd, 1)
            os.close(fd)
    except OSError:
        pass


def _stdout_reader_gone() -> bool:
    """True when stdout is a pipe (or socket) nobody reads any more: poll reports an error on
    its write end."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no descriptor (a test's capture), no poll
        return False


def stdout_failure(exc: BaseException) -> str | None:
    """Why ``exc`` means stdout cannot take the results, or None when it is something else: a
    write to a closed stdout, or a broken pipe whose broken end is stdout's."""
    if isinstance(exc, StdoutClosed):
        return "stdout is closed"
    if isinstance(exc, BrokenPipeError) and _stdout_reader_gone():
        return "stdout was closed by its reader (broken pipe)"
    if isinstance(exc, ValueError) and getattr(sys.stdout, "closed", False):
        return "stdout is closed"
    return None


def silence_stdout() -> None:
    """Send what is left for stdout to /dev/null, so that exiting does not fail on it again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.close(fd)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")


def _emit_json_if_possible(payload: dict[str, Any]) -> None:
    """emit_json on the way out of a failed command: a stdout that cannot take it is silenced
    (the error is already on stderr)."""
    try:
        emit_json(payload)
    except (OSError, ValueError) as exc:
        if stdout_failure(exc) is None:
            raise
        silence_stdout()


def load_settings_for(**flags: Any) -> Any:
    """Settings from files and environment, with the global and per-command flags on top."""
    from codexcli.config import load_settings

    merged = {
        "model": STATE.model,
        "backend": STATE.backend,
        "adapter": STATE.adapter,
        "base_url": STATE.base_url,
        "concurrency": STATE.concurrency,
        **flags,
    }
    return load_settings(Path.cwd(), flags=merged)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so every ``finally`` and temp folder is cleaned up."""


def _on_sigterm(signum: int, frame: Any) -> None:
    from codexcli.verify.sandbox import sandbox

    sandbox.terminate_all()
    raise Terminated()


def _interrupted_line(name: str, exc: KeyboardInterrupt) -> str:
    from codexcli import workspace

    what = "terminated" if isinstance(exc, Terminated) else "interrupted"
    written = workspace.written_files()
    if not written:
        return f"codex {name}: {what}; no file was changed"
    return f"codex {name}: {what}; written before that: " + ", ".join(str(p) for p in written)


def _apply_unsafe_exec() -> None:
    """--unsafe-exec, or ``unsafe_exec = true`` in the config, lets generated code run without
    OS isolation where none works (CODEX_UNSAFE_EXEC=1 is read by the sandbox itself)."""
    from codexcli.config import load_settings
    from codexcli.verify.sandbox import isolation

    allowed = STATE.unsafe_exec
    if not allowed:
        try:
            allowed = bool(load_settings(Path.cwd()).unsafe_exec)
        except CodexError:
            allowed = False  # a broken config is reported by the command that reads it
    isolation.allow_unsafe(allowed)


def command(name: str) -> Callable[[F], F]:
    """The one error boundary of a subcommand.

    The wrapped function returns an exit code (or None for 0). CodexError becomes its exit code
    and one line on stderr (plus a JSON object with --json); Ctrl-C becomes 130; a stdout that
    cannot take the results (closed, broken pipe) exit 3 and one line; anything else (a bug)
    exit 3 and a short message, with the traceback under --debug or CODEX_DEBUG=1.
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from codexcli import workspace
            from codexcli.verify.sandbox import sandbox as _sandbox

            want_json = STATE.json or bool(kwargs.get("json_output"))
            console = err_console()
            workspace.reset_written()
            _sandbox.reset_stopping()
            previous = None
            try:
                if threading.current_thread() is threading.main_thread():
                    previous = signal.signal(signal.SIGTERM, _on_sigterm)
                _apply_unsafe_exec()
                code = fn(*args, **kwargs)
                if sys.stdout is not None:
                    sys.stdout.flush()  # a stdout that cannot take the results fails here, inside
            except typer.Exit:
                raise
            except CodexError as exc:
                console.print(f"codex {name}: error: {exc.message}", markup=False)
                if exc.hint:
                    console.print(f"hint: {exc.hint}", markup=False)
                if want_json:
                    _emit_json_if_possible(
                        {
                            "command": name,
                            "ok": False,
                            "exit_code": exc.exit_code,
                            "error": {"kind": exc.kind, "message": exc.message, "hint": exc.hint},
                        }
                    )
                raise typer.Exit(exc.exit_code) from None
            except KeyboardInterrupt as exc:
                _sandbox.terminate_all()
                console.print(_interrupted_line(name, exc), markup=False)
                code = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
                if want_json:
                    _emit_json_if_possible(
                        {
                            "command": name,
                            "ok": False,
                            "exit_code": code,
                            "error": {"kind": "interrupted", "written": [str(p) for p in workspace.written_files()]},
                        }
                    )
                raise typer.Exit(code) from None
            except Exception as exc:  # the boundary: never a raw traceback unless asked
                if (why := stdout_failure(exc)) is not None:
                    console.print(f"codex {name}: error: cannot write the results: {why}", markup=False)
                    silence_stdout()
                    raise typer.Exit(EXIT_INTERNAL) from None
                if debug_enabled():
                    console.print(traceback.format_exc(), markup=False)
                console.print(
                    f"codex {name}: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
                    markup=False,
                )
                if want_json:
                    _emit_json_if_possible(
                        {
                            "command": name,
                            "ok": False,
                            "exit_code": EXIT_INTERNAL,
                            "error": {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"},
                        }
                    )
                raise typer.Exit(EXIT_INTERNAL) from None
            finally:
                if previous is not None:
                    signal.signal(signal.SIGTERM, previous)
                # Worker threads are done by now (their pools were exited on the way out).
                _sandbox.reset_stopping()
            raise typer.Exit(code or 0)

        return wrapper  # type: ignore[return-value]

    return decorate


class Progress:
    """The one progress display on stderr (terminal only): a spinner with the current step and a
    token count, or with ``total`` a bar over that many targets as well.

    ``set(label)`` names the step; ``set(label, done=n)`` also moves the bar; ``token`` counts
    streamed tokens (the backends' on_token callback) and shows their rate since the step began:
    with batched sampling, the tokens per second across all the sequences decoding together.
    """

    def __init__(self, console: Console, enabled: bool, total: int | None = None) -> None:
        self.console = console
        self.enabled = enabled and console.is_terminal and not STATE.quiet
        self.total = total
        self.status: Any = None  # the spinner (rich Status) or the bar (rich Progress)
        self.task: Any = None
        self.label = ""
        self.tokens = 0
        self.began = time.monotonic()

    def __enter__(self) -> "Progress":
        if self.enabled and self.total is None:
            self.status = self.console.status("")
            self.status.__enter__()
        elif self.enabled:
            from rich import progress as bars

            self.status = bars.Progress(
                bars.SpinnerColumn(),
                bars.TextColumn("{task.description}"),
                bars.BarColumn(),
                bars.MofNCompleteColumn(),
                bars.TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.status.__enter__()
            self.task = self.status.add_task("starting", total=self.total)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.status is not None:
            self.status.__exit__(*exc)

    def set(self, label: str, done: int | None = None) -> None:
        self.label, self.tokens, self.began = label, 0, time.monotonic()
        self._show(done)

    def token(self, _text: str) -> None:
        self.tokens += 1
        if self.tokens % 4 == 0:
            self._show()

    def counted(self) -> str:
        """'N tokens, R tok/s' for the current step ('' before its first token)."""
        if not self.tokens:
            return ""
        elapsed = time.monotonic() - self.began
        rate = f", {self.tokens / elapsed:.0f} tok/s" if elapsed > 0.5 else ""
        return f"{self.tokens} tokens{rate}"

    def _show(self, done: int | None = None) -> None:
        if self.status is None:
            return
        counted = self.counted()
        if self.task is None:
            self.status.update(f"{self.label} [dim]({counted or '0 tokens'})[/dim]")
            return
        text = f"{self.label} ({counted})" if counted else self.label
        self.status.update(self.task, description=text, **({} if done is None else {"completed": done}))


def iter_paths(paths: list[Path]) -> Iterator[Path]:
    """Files named directly, and .py files under directories (sorted, hidden folders skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*.py")):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path
