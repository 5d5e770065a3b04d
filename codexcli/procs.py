"""Saying how a child process ended, in words: a model process that dies from a signal must be
reported as "llama.cpp crashed with SIGSEGV while ...", never as a bare return code."""

from __future__ import annotations

import signal


def signal_name(returncode: int | None) -> str | None:
    """The signal's name (``SIGSEGV``) when ``returncode`` says a process died from one.

    subprocess reports death by signal N as -N. (A shell's 128+N is not read as a signal:
    codex itself exits 130 on Ctrl-C on purpose.)
    """
    if returncode is None or returncode >= 0:
        return None
    number = -returncode
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def describe_end(returncode: int | None, doing: str, *, what: str = "the process") -> str:
    """One line for people: ``what`` ended how, while ``doing``."""
    if returncode is None:
        return f"{what} did not finish while {doing}"
    name = signal_name(returncode)
    if name is not None:
        return f"{what} crashed with {name} while {doing}"
    if returncode == 0:
        return f"{what} finished {doing}"
    return f"{what} failed (exit code {returncode}) while {doing}"
