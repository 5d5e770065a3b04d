"""What every `codex data` engine is: a map of tasks to results, in order (local processes, Ray)."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator, Protocol

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
