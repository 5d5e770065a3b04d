"""The local engine: this process, or a pool of processes (the interface is in engine_base.py).

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
from typing import Any, Iterable, Iterator

from codexcli.data.engine_base import WINDOW_PER_WORKER, Fn
from codexcli.errors import UsageError

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
