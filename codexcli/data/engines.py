"""The engine registry of `codex data build`: one entry per engine (Ray imported only for ray)."""

from __future__ import annotations

from codexcli.data.engine_base import Engine
from codexcli.data.engine_local import LocalEngine
from codexcli.errors import UsageError


def make_engine(name: str, workers: int, address: str | None) -> Engine:
    """The engine registry: ``local`` or ``ray`` (Ray is imported only here, and only for ray)."""
    if name == "local":
        if address:
            raise UsageError("--address is for --engine ray")
        return LocalEngine(workers)
    if name == "ray":
        from codexcli.data.engine_ray import RayEngine

        return RayEngine(workers, address)
    raise UsageError(f"unknown engine {name!r}; choose local or ray")
