"""`codex lsp`: the language server an editor starts (codexcli/lsp/; pygls is imported only here)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from codexcli.cli.common import STATE, command, debug_enabled
from codexcli.errors import UsageError


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--tcp {value}: give HOST:PORT, e.g. 127.0.0.1:2087")
    return host, int(port)


@command("lsp")
def lsp_command(
    tcp: Annotated[
        Optional[str],
        typer.Option("--tcp", help="Listen on HOST:PORT instead of stdio (for debugging).", metavar="HOST:PORT"),
    ] = None,
) -> int:
    """Run codex as a language server (stdio): code actions that fill stubs, write docstrings and
    tests, optimize and translate with the same verification as the commands, and inline
    completions for stub bodies. The editor's settings (initializationOptions, or the "codex"
    section of workspace/configuration) go over the config files; see docs/lsp.md.
    """
    address = _address(tcp) if tcp is not None else None
    try:
        from codexcli.lsp.features import serve
    except ImportError as exc:
        raise UsageError(f"codex lsp needs pygls ({exc.name} is missing)", hint="pip install 'codexcli[lsp]'") from None
    import logging
    import sys

    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if debug_enabled() else logging.WARNING)
    defaults = {"model": STATE.model, "backend": STATE.backend, "base_url": STATE.base_url, "adapter": STATE.adapter}
    serve(address, {k: v for k, v in defaults.items() if v is not None})
    return 0
