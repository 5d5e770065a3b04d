"""`codex doctor`: what this machine gives codex, starting with the sandbox's isolation."""

from __future__ import annotations

import typer

from codexcli.cli.common import STATE, JsonOpt, command, emit_json, out_console


@command("doctor")
def doctor_command(json_output: JsonOpt = False) -> int:
    """Report which isolation the sandbox uses for generated code (bubblewrap, or none), and
    whether codex would run generated code here. Exit 1 when it would refuse."""
    from codexcli.verify import isolation

    iso = isolation.detect()
    runs = iso.kind != "none" or isolation.unsafe_allowed()
    if STATE.json or json_output:
        emit_json({"command": "doctor", "ok": runs, "isolation": iso.kind, "bwrap": iso.bwrap,
                   "why": iso.why, "unsafe_exec": isolation.unsafe_allowed(), "runs_generated_code": runs})
    else:
        out = out_console()
        out.print(f"sandbox isolation: {iso.describe()}", markup=False)
        if iso.kind == "none":
            verdict = "yes, WITHOUT isolation (opted in)" if runs else "no (pass --unsafe-exec to allow it without isolation)"
        else:
            verdict = "yes, isolated"
        out.print(f"runs generated code: {verdict}", markup=False)
    return 0 if runs else 1
