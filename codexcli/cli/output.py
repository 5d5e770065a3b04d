"""How one run prints: the output mode, decided once and passed down.

The error boundary (``common.command``) makes one ``Output`` per run from the global options
(``codex --json --quiet ...``) and the subcommand's own ``--json``, and hands it to the command
as its ``ui`` parameter; the command passes it on to whatever prints. Like httpie's
``Environment``: nothing below the command reads a global to learn whether this is a JSON run.

stdout carries results (code, diffs, one JSON object with --json); stderr carries progress and
status through a Rich console, plain when it is not a terminal.
"""

from __future__ import annotations

import json as jsonlib
import sys
import time
from dataclasses import dataclass
from typing import Any

from rich.console import Console


@dataclass(frozen=True)
class Output:
    """The output mode of one run: ``json`` (one JSON object on stdout, no progress) and
    ``quiet`` (nothing on stderr). The streams are looked up when written to, so a test runner
    that swaps ``sys.stdout`` between runs sees each run's output."""

    json: bool = False
    quiet: bool = False
    interactive: bool = False
    verbose: bool = False  # log every prompt and answer (cli/session.py's verbose_log)

    # emoji=False everywhere: Rich would turn the ":clamp:" of "clampmod.py:clamp:" (a file and a
    # function name, user text) into an emoji, markup or not.
    def err(self) -> Console:
        """Console for progress and status (stderr); silent with ``quiet``."""
        return Console(stderr=True, highlight=False, soft_wrap=True, quiet=self.quiet, emoji=False)

    def errors(self) -> Console:
        """Console for errors (stderr): ``quiet`` silences progress, never an error."""
        return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

    def out(self) -> Console:
        """Console for results (stdout), for tables and highlighted code on a terminal."""
        return Console(highlight=False, soft_wrap=True, emoji=False)

    @property
    def colour(self) -> bool:
        """Whether results on stdout may be styled: stdout is a terminal."""
        return sys.stdout.isatty()

    def write(self, text: str) -> None:
        """Results as plain text on stdout."""
        sys.stdout.write(text)

    def say(self, line: str) -> None:
        """One status line on stderr, printed as is (no markup)."""
        self.err().print(line, markup=False)

    def emit_json(self, payload: dict[str, Any]) -> None:
        """The run's JSON summary: exactly one object, one line, on stdout."""
        emit_json(payload)

    def progress(self, total: int | None = None) -> "Progress":
        """The progress display of a step: on a terminal, and not in a JSON or quiet run."""
        # An --interactive run asks questions on the terminal: no live display to overwrite them.
        return Progress(self.err(), enabled=not self.json and not self.interactive, total=total)

    def write_diff(self, text: str) -> None:
        """A unified diff on stdout, coloured when stdout is a terminal."""
        self.write(colour_diff(text) if self.colour else text)

    def confirm_edit(self, path: object, diff: str, evidence: list[str]) -> bool:
        """--interactive: show one file's change (its diff, coloured on a terminal, and each
        target's evidence) on stderr and ask whether to write it; no answer (end of input) is no."""
        import typer

        console = self.errors()
        console.file.write(colour_diff(diff) if console.is_terminal else diff)
        for line in evidence:
            console.print(line, markup=False)
        try:
            return bool(typer.confirm(f"write {path}?", default=False, err=True))
        except (typer.Abort, EOFError):
            return False


_DIFF_COLOURS = (("+++", "1"), ("---", "1"), ("@@", "36"), ("+", "32"), ("-", "31"))


def colour_diff(text: str) -> str:
    """A unified diff with ANSI colours as git shows them: headers bold, hunks cyan, added
    lines green, removed lines red."""
    out = []
    for line in text.splitlines(keepends=True):
        code = next((c for prefix, c in _DIFF_COLOURS if line.startswith(prefix)), None)
        body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        out.append(f"\x1b[{code}m{body}\x1b[0m{end}" if code else line)
    return "".join(out)


def emit_json(payload: dict[str, Any]) -> None:
    """Write the run's JSON summary: exactly one object, one line, on stdout."""
    sys.stdout.write(jsonlib.dumps(payload, default=str) + "\n")
    sys.stdout.flush()


class Progress:
    """The one progress display on stderr (terminal only, never on a quiet console): a spinner
    with the current step and a token count, or with ``total`` a bar over that many targets as
    well.

    ``set(label)`` names the step; ``set(label, done=n)`` also moves the bar; ``token`` counts
    streamed tokens (the backends' on_token callback) and shows their rate since the step began:
    with batched sampling, the tokens per second across all the sequences decoding together.
    """

    def __init__(self, console: Console, enabled: bool, total: int | None = None) -> None:
        self.console = console
        self.enabled = enabled and console.is_terminal and not console.quiet
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
