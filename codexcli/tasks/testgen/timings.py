"""Where a task's time goes: seconds per phase (model, sandboxed runs, mutants, coverage...).

``--json`` reports the split so the slow part of a run is visible. A ``Timings`` is a mutable
accumulator owned by one run; ``phase`` is a context manager; nested phases are not subtracted
from their parent (name phases that do not nest).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator


class Timings:
    """Seconds spent per named phase, accumulated over a run."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}
        self._cpu: dict[str, float] = {}
        self._start = time.perf_counter()
        self._start_cpu = time.process_time()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the ``with`` block and add it to ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        """Add ``seconds`` to ``name`` (for time measured elsewhere, e.g. a model call's own)."""
        self._seconds[name] = self._seconds.get(name, 0.0) + seconds

    def add_cpu(self, name: str, seconds: float) -> None:
        """Record CPU seconds spent outside this process (e.g. by sandboxed runs) as ``name``."""
        self._cpu[name] = self._cpu.get(name, 0.0) + seconds

    def as_dict(self) -> dict[str, float]:
        """Seconds per phase (rounded to ms), plus "other" (the rest of the wall time so far)
        and "total"; then CPU seconds, not part of the wall-time split: "cpu codex" (this
        process, the model included) and each ``add_cpu`` name."""
        total = time.perf_counter() - self._start
        out = {k: round(v, 3) for k, v in self._seconds.items()}
        out["other"] = round(max(0.0, total - sum(self._seconds.values())), 3)
        out["total"] = round(total, 3)
        out["cpu codex"] = round(time.process_time() - self._start_cpu, 3)
        out.update({k: round(v, 3) for k, v in self._cpu.items()})
        return out
