"""`codex lsp` figures (issue 29), measured through a real LSP client (pytest-lsp) over stdio:

* start: process start to the ``initialize`` answer (median of 3 starts);
* code actions: the list's latency on a 2,000-line file, median and p95 over 60 requests, each
  after a didChange (a new buffer version: the outline is recomputed), and again on one version
  (cached); the goal is under 50 ms;
* memory: the server's resident set at idle, after initialize and didOpen, before any model;
* first progress: from resolving "fill in NAME" to the first progress report with tokens, with
  the fake backend, and with the embedded model (``--real``).

    .venv/bin/python benchmarks/bench_lsp.py [--real]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.lsp.conftest import Editor, editor  # noqa: E402

STUB = '''

def area_{i}(r: float) -> float:
    """Area of a circle of radius r.

    >>> round(area_{i}(1.0), 4)
    3.1416
    """
    ...
'''
PLAIN = '''

def scale_{i}(values: list[float], k: float) -> list[float]:
    """Each value times k."""
    out = []
    for v in values:
        out.append(v * k)
    return out
'''


def big_file(lines: int = 2000) -> str:
    """A module of about ``lines`` lines: functions, one stub in five."""
    parts, i = ["import math\n"], 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append((STUB if i % 5 == 0 else PLAIN).format(i=i))
        i += 1
    return "".join(parts)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def start_seconds(folder: Path) -> float:
    started = time.perf_counter()
    async with editor(folder):
        return time.perf_counter() - started


async def action_latency(ed: Editor, uri: str, text: str, change: bool) -> list[float]:
    lines = text.count("\n")
    out = []
    for n in range(60):
        if change:
            ed.type_text(uri, text + f"# edit {n}\n")
        started = time.perf_counter()
        await ed.actions(uri, (n * 37) % lines)
        out.append((time.perf_counter() - started) * 1000)
    return out


async def first_progress(ed: Editor, uri: str) -> float:
    [fill] = [a for a in await ed.actions(uri, 9) if a.title.startswith("codex: fill in")]
    started = time.perf_counter()
    pending = asyncio.ensure_future(ed.client.code_action_resolve_async(fill))
    reports = ed.client.progress_reports
    while not any("tokens" in (getattr(v, "message", "") or "") for vs in reports.values() for v in vs):
        await asyncio.sleep(0.01)
        if pending.done():
            break
    seconds = time.perf_counter() - started
    await pending
    return seconds


async def main(real: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-lsp-"))
    starts = [await start_seconds(folder) for _ in range(3)]
    print(f"start to initialize answered: median {statistics.median(starts) * 1000:.0f} ms ({len(starts)} starts)")
    text = big_file()
    async with editor(folder, default="    return math.pi * r * r\n") as ed:
        uri = ed.open("big.py", text)
        await ed.actions(uri, 0)
        await asyncio.sleep(1.0)
        assert ed.client._server is not None
        print(f"memory at idle (before any model): {rss_mb(ed.client._server.pid):.0f} MB RSS")
        for change, label in ((True, "new version each time"), (False, "same version")):
            ms = await action_latency(ed, uri, text, change)
            print(
                f"code actions, {text.count(chr(10))}-line file, {label}: "
                f"median {statistics.median(ms):.1f} ms, p95 {p95(ms):.1f} ms"
            )
        ed.type_text(uri, text)
        print(f"first progress of a fill (fake backend): {await first_progress(ed, uri) * 1000:.0f} ms")
    if real:
        async with editor(folder, options={"backend": "llamacpp"}) as ed:
            uri = ed.open("real.py", "import math\n" + STUB.format(i=0))
            seconds = await first_progress(ed, uri)
            print(f"first progress of a fill (embedded model, loaded on first use): {seconds:.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="also time the first progress with the embedded model")
    asyncio.run(main(parser.parse_args().real))
