"""The engine interface and the local engine (this process, or a pool of processes).

An engine maps a pure function ``fn(shared, task)`` over tasks and yields the results in task
order. ``shared`` (configuration, the decontamination index) goes to each worker once, not
with every task. At most a few tasks per worker are in flight, so the driver never holds more
than a window of the corpus, however large the input.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator, Protocol

from codexcli.errors import UsageError

Fn = Callable[[Any, Any], Any]
WINDOW_PER_WORKER = 3


class Engine(Protocol):
    """Maps tasks to results, in order."""

    name: str
    workers: int

    def map(self, fn: Fn, tasks: Iterable[Any], shared: Any) -> Iterator[Any]:
        """``fn(shared, task)`` for each task, results in task order."""
        ...

    def close(self) -> None:
        """Release workers (and a Ray runtime this engine started)."""
        ...


_SHARED: dict[int, Any] = {}


def _init(token: int, shared: Any) -> None:
    _SHARED[token] = shared


def _call(fn: Fn, token: int, task: Any) -> Any:
    return fn(_SHARED[token], task)


class LocalEngine:
    """``workers == 1`` runs in this process; more use a pool of spawned processes (spawn, not
    fork: the driver may hold threads, and a forked lock can deadlock a worker)."""

    name = "local"

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise UsageError("--workers must be at least 1")
        self.workers = workers
        self._token = 0

    def map(self, fn: Fn, tasks: Iterable[Any], shared: Any) -> Iterator[Any]:
        it = iter(tasks)
        head = list(itertools.islice(it, 2))
        if self.workers == 1 or len(head) < 2:  # one task: starting processes costs more than it saves
            for task in itertools.chain(head, it):
                yield fn(shared, task)
            return
        tasks = itertools.chain(head, it)
        self._token += 1
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            self.workers, mp_context=ctx, initializer=_init, initargs=(self._token, shared)
        ) as pool:
            pending: deque[Future[Any]] = deque()
            for task in tasks:
                pending.append(pool.submit(_call, fn, self._token, task))
                if len(pending) >= self.workers * WINDOW_PER_WORKER:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def close(self) -> None:
        return None


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
