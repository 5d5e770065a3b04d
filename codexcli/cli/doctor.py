"""`codex doctor`: run when something is wrong. Prints what llama.cpp sees and whether a real
decode works; a native crash in the decode is reported as one line, not a dead command."""

from __future__ import annotations

from typing import Annotated

import typer

from codexcli.cli.common import command, load_settings_for
from codexcli.cli.output import Output

_MARK = {"ok": "ok", "warn": "warning", "fail": "FAILED"}


@command("doctor")
def doctor_command(
    ui: Output,
    no_decode: Annotated[
        bool, typer.Option("--no-decode", help="Skip the test decode (seconds on the embedded model).")
    ] = False,
) -> int:
    """Check this machine: CPU features, llama.cpp build, GPU offload, model, and a real decode
    of a 600-token prompt in a child process. Exit 1 if any check failed."""
    from codexcli.doctor import diagnose

    settings = load_settings_for()
    if not no_decode and settings.backend == "llamacpp" and not ui.json:
        ui.say("decoding a 600-token prompt in a child process...")
    report = diagnose(settings, decode=not no_decode)
    if ui.json:
        ui.emit_json(report.as_json())
    else:
        console = ui.out()
        width = max(len(c.name) for c in report.checks)
        for check in report.checks:
            console.print(f"{check.name:<{width}}  {_MARK[check.status]:<7}  {check.detail}", markup=False)
            if check.hint:
                console.print(f"{'':<{width}}  {'':<7}  hint: {check.hint}", markup=False)
    return 0 if report.ok else 1
