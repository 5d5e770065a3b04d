"""What every subcommand shares: global options, settings, and the error boundary.

The boundary (``command``) decides the run's output mode once (cli/output.py's ``Output``) and
hands it to the command as ``ui``. When stdout cannot take the results (closed with ``>&-``, or
a pipe whose reader left, as ``| head -c1`` does) the command ends with exit 3 and one line on
stderr, never a traceback.
"""

from __future__ import annotations

import errno
import functools
import inspect
import os
import select
import signal
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Callable, Iterator, TypeVar

import typer
from rich.console import Console

from codexcli.cli.output import Output, emit_json
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
    interactive: bool = False
    verbose: bool = False
    convert: str | None = None


STATE = GlobalOptions()

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object summarising the run on stdout.")]


def reset_state(**values: Any) -> None:
    """Set the global options for this invocation (the CLI may run many times in one process).
    Updated in place: modules hold a reference to STATE."""
    fresh = GlobalOptions(**values)
    for name in vars(fresh):
        setattr(STATE, name, getattr(fresh, name))


def current_output(json_flag: bool = False) -> Output:
    """This run's output mode: the global options, with the subcommand's own ``--json``."""
    return Output(json=STATE.json or json_flag, quiet=STATE.quiet, interactive=STATE.interactive, verbose=STATE.verbose)


def debug_enabled() -> bool:
    return STATE.debug or bool(os.environ.get("CODEX_DEBUG"))


def err_console() -> Console:
    """Console for status on stderr outside a command (help, --version, the boundary itself);
    a command prints through its ``ui`` instead."""
    return current_output().err()


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
        "convert": STATE.convert,
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

    A function with a ``ui`` parameter receives the run's ``Output`` there, and Typer sees the
    subcommand's ``--json`` option in its place (declared once, here: ``codex X --json`` is
    ``codex --json X``). The wrapper is long because it is the whole boundary, one branch per
    kind of ending.
    """

    def decorate(fn: F) -> F:
        shown = _json_signature(fn)
        takes_ui = shown is not None

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from codexcli import workspace
            from codexcli.verify.sandbox import sandbox as _sandbox

            ui = current_output(bool(kwargs.pop("json_output", False) if takes_ui else kwargs.get("json_output")))
            if takes_ui:
                kwargs["ui"] = ui
            console = ui.errors()
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
                error = {"kind": exc.kind, "message": exc.message, "hint": exc.hint}
                _failed_json(ui, name, exc.exit_code, error)
                raise typer.Exit(exc.exit_code) from None
            except KeyboardInterrupt as exc:
                _sandbox.terminate_all()
                console.print(_interrupted_line(name, exc), markup=False)
                code = EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
                written = [str(p) for p in workspace.written_files()]
                _failed_json(ui, name, code, {"kind": "interrupted", "written": written})
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
                error = {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"}
                _failed_json(ui, name, EXIT_INTERNAL, error)
                raise typer.Exit(EXIT_INTERNAL) from None
            finally:
                _finish(name, ui, previous)
            raise typer.Exit(code or 0)

        if shown is not None:
            wrapper.__signature__ = shown  # type: ignore[attr-defined]
            wrapper.__annotations__ = _annotations(shown)
        return wrapper  # type: ignore[return-value]

    return decorate


def _json_signature(fn: Callable[..., Any]) -> inspect.Signature | None:
    """When ``fn`` takes ``ui``: the signature Typer is to see, ``--json`` where ``ui`` is
    (annotations evaluated, as Typer would); else None."""
    signature = inspect.signature(fn, eval_str=True)
    if "ui" not in signature.parameters:
        return None
    params = [
        p.replace(name="json_output", annotation=JsonOpt, default=False) if p.name == "ui" else p
        for p in signature.parameters.values()
    ]
    return signature.replace(parameters=params)


def _annotations(signature: inspect.Signature) -> dict[str, Any]:
    """The annotations of ``signature`` (evaluated), as Typer's get_type_hints reads them."""
    found = {p.name: p.annotation for p in signature.parameters.values()}
    if signature.return_annotation is not inspect.Signature.empty:
        found["return"] = signature.return_annotation
    return found


def _finish(name: str, ui: Output, previous: Any) -> None:
    """The end of every command: keep its journal, put back the SIGTERM handler (``previous``),
    and let the sandbox start processes again (worker threads are done: their pools were exited
    on the way out)."""
    from codexcli.verify.sandbox import sandbox

    _record_journal(name, ui)
    _enforce_cap()
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)
    sandbox.reset_stopping()


def _enforce_cap() -> None:
    """Keep the files under the cache folder within ``cache_max_mb`` (cache.enforce_cap)."""
    from codexcli.cache import enforce_cap
    from codexcli.config import load_settings

    try:
        enforce_cap(load_settings(Path.cwd()).cache_max_mb)
    except (OSError, CodexError):
        pass  # a broken config is reported by the command that reads it; a cap is no reason to fail


def _record_journal(name: str, ui: Output) -> None:
    """Keep what this command wrote for `codex undo` (codexcli/journal.py); never fails the run."""
    from codexcli import journal, workspace

    if replaced := workspace.replaced_files():
        try:
            journal.record(name, replaced)
        except (OSError, CodexError) as exc:
            ui.say(f"codex {name}: warning: cannot keep the journal for `codex undo`: {exc}")


def _failed_json(ui: Output, name: str, code: int, error: dict[str, Any]) -> None:
    """With --json, the JSON object of a command that failed (``error`` says how)."""
    if ui.json:
        _emit_json_if_possible({"command": name, "ok": False, "exit_code": code, "error": error})


def iter_paths(paths: list[Path], suffixes: tuple[str, ...] = (".py",)) -> Iterator[Path]:
    """Files named directly, and .py files (or files with one of ``suffixes``) under directories
    (sorted, hidden folders and node_modules skipped)."""
    for path in paths:
        if path.is_dir():
            found = sorted(c for c in path.rglob("*") if c.suffix.lower() in suffixes and c.is_file())
            for child in found:
                parts = child.relative_to(path).parts
                if not any(part.startswith(".") or part == "node_modules" for part in parts):
                    yield child
        else:
            yield path


def read_each(name: str, ui: Output, paths: list[Path]) -> tuple[list[Any], list[CodexError]]:
    """Read each of ``paths`` as Python source (workspace.read_python): the files read, and the
    errors of those that could not be (missing, unreadable, not Python, a syntax error), each
    already reported in one line (``codex NAME: error: ...``, never silenced by --quiet). A run
    over many files goes on past a bad one; its exit code says the worst."""
    from codexcli.workspace import read_python

    read: list[Any] = []
    errors: list[CodexError] = []
    for path in paths:
        try:
            read.append(read_python(path))
        except CodexError as exc:
            ui.errors().print(f"codex {name}: error: {exc.message}", markup=False)
            errors.append(exc)
    return read, errors
