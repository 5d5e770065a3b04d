"""The Ray engine: the same pure tasks as the local engine, run as Ray tasks.

Ray is an optional extra (``pip install 'codexcli[ray]'``) imported only when this engine is
chosen. Without ``--address`` a local Ray runtime is started with ``workers`` CPUs and shut
down at the end; with ``--address auto`` or ``ray://host:port`` an existing cluster is joined
(and left running). Tasks take their input from the driver and return their output to it, so
workers never need the driver's files or a shared filesystem.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable, Iterator

from codexcli.data.engine_base import WINDOW_PER_WORKER, Fn
from codexcli.errors import UsageError


def _run(fn: Fn, shared: Any, task: Any) -> Any:
    return fn(shared, task)


class RayEngine:
    """Maps tasks over a Ray runtime, results in task order."""

    name = "ray"

    def __init__(self, workers: int, address: str | None) -> None:
        try:
            import ray
        except ImportError:
            raise UsageError(
                "--engine ray needs Ray, which is not installed", hint="pip install 'codexcli[ray]'"
            ) from None
        self.ray = ray
        self.started = not ray.is_initialized()
        if self.started:
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        self.workers = max(1, int(ray.cluster_resources().get("CPU", workers)))
        self._remote = ray.remote(_run)

    def map(self, fn: Fn, tasks: Iterable[Any], shared: Any) -> Iterator[Any]:
        shared_ref = self.ray.put(shared)
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(self._remote.remote(fn, shared_ref, task))
            if len(pending) >= self.workers * WINDOW_PER_WORKER:
                yield self.ray.get(pending.popleft())
        while pending:
            yield self.ray.get(pending.popleft())

    def close(self) -> None:
        if self.started and self.ray.is_initialized():
            self.ray.shutdown()
