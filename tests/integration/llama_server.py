"""Start llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server``) for tests
and benchmarks: on a free port, with the embedded model, waiting until ``/v1/models`` answers,
always stopped afterwards.

The server runs through ``python -m tests.integration.llama_server ARGS``, which applies codex's
extra-buffer rule (backends/cpu.py) to the server's own model load: llama.cpp's AMX path crashes
on the first batched prompt, and the server has no option to avoid it.
"""

from __future__ import annotations

import contextlib
import json
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

STARTUP_TIMEOUT_S = 180.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/models", timeout=2) as response:
            return bool(json.load(response).get("data"))
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def running_server(
    model: Path, log: Path, *, threads: int = 1, n_ctx: int = 4096, python: str = sys.executable
) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT/v1``) of a started server; stop it on exit."""
    port = free_port()
    argv = [python, "-m", "tests.integration.llama_server", "--model", str(model), "--port", str(port)]
    argv += ["--host", "127.0.0.1", "--n_threads", str(threads), "--n_threads_batch", str(threads)]
    argv += ["--n_ctx", str(n_ctx)]
    root = Path(__file__).resolve().parents[2]
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _ready(url):
            if proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}: {log.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"llama_cpp.server not ready after {STARTUP_TIMEOUT_S:g} s: {log.read_text()[-2000:]}"
                )
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    """Run llama_cpp.server with the extra-buffer rule applied to its model load."""
    from codexcli.backends.llamacpp import _model_defaults, extra_buffers_for

    with _model_defaults(extra_buffers_for("auto").enabled):
        sys.argv = ["llama_cpp.server", *sys.argv[1:]]
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
