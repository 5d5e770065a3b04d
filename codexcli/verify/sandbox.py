"""Run generated code in a sandbox: a subprocess in a temporary folder, with a timeout and
resource limits, never inside the codex process.

Layers, each cheap and each catching a different failure of model-written code:

* a fresh temporary working folder (deleted afterwards) and a minimal environment;
* a new session / process group, killed as a whole on timeout (loops, forks, sleeps);
* rlimits: address space (memory bombs), CPU seconds, file size, process count;
* when codex runs as root (CI, containers), the child drops to the ``nobody`` user, so it
  cannot signal or overwrite the codex process or the user's files;
* a prelude that disables ``os.kill``/``os.killpg`` towards other processes, and turns
  ``os._exit``/``sys.exit`` into ordinary exits the harness can tell from success.

This is a guard against accidents of a small model, not a security boundary against a
determined attacker; ``--python`` lets users point it at a container's interpreter if they want one.
"""

from __future__ import annotations

import os
import pwd
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

# Installed before any generated code runs (written as sitecustomize.py in the sandbox folder).
PRELUDE = '''
import os as _os, signal as _signal
_own_pid = _os.getpid()
_real_kill, _real_killpg = _os.kill, _os.killpg
def _guarded_kill(pid, sig):
    if pid in (0, _os.getpid()) or pid == _own_pid:
        return _real_kill(pid, sig)
    raise PermissionError("codex sandbox: os.kill of another process is disabled")
def _guarded_killpg(pgid, sig):
    raise PermissionError("codex sandbox: os.killpg is disabled")
_os.kill, _os.killpg = _guarded_kill, _guarded_killpg
'''


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed run."""

    timeout_s: float = 10.0
    memory_mb: int = 1024
    cpu_s: int | None = None  # defaults to the timeout, rounded up
    file_size_mb: int = 64
    processes: int = 64
    output_bytes: int = 2_000_000


@dataclass(frozen=True)
class SandboxResult:
    """What happened to a sandboxed process."""

    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False
    signal: int | None = None
    files: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    @property
    def memory_exceeded(self) -> bool:
        return "MemoryError" in self.stderr or self.signal == signal.SIGKILL and not self.timed_out

    def describe(self) -> str:
        """One line for people: why the run failed (or 'ok')."""
        if self.timed_out:
            return "timed out"
        if self.ok:
            return "ok"
        if self.signal is not None:
            return f"killed by signal {signal.Signals(self.signal).name}"
        last = next((ln for ln in reversed(self.stderr.splitlines()) if ln.strip()), "")
        return f"exit code {self.returncode}" + (f": {last.strip()}" if last else "")


def _world_usable(executable: str) -> bool:
    """Whether another user could run ``executable``: o+x on it and on every folder above it,
    and on the folders of the interpreter's standard library (pyenv under /root often is not)."""
    resolved = shutil.which(executable) or executable
    paths = [Path(os.path.realpath(resolved))]
    if Path(resolved).name.startswith("python"):
        paths.append(Path(os.path.realpath(sys.base_prefix)) / "lib")
    for path in paths:
        for part in [path, *path.parents]:
            try:
                if not part.stat().st_mode & 0o001:
                    return False
            except OSError:
                return False
    return True


def _nobody(executable: str) -> tuple[int, int] | None:
    """The uid/gid to drop to when running as root, or None to keep the current user."""
    if os.geteuid() != 0 or os.environ.get("CODEX_SANDBOX_KEEP_USER") or not _world_usable(executable):
        return None
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def _preexec(limits: Limits, user: tuple[int, int] | None):
    memory = limits.memory_mb * 1024 * 1024
    cpu = limits.cpu_s or int(limits.timeout_s) + 1
    fsize = limits.file_size_mb * 1024 * 1024

    def apply() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if user is not None:
            os.setgroups([])
            os.setgid(user[1])
            os.setuid(user[0])
            # NPROC counts the user's processes: only meaningful once we are not root.
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))

    return apply


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run(
    argv: Sequence[str],
    *,
    files: Mapping[str, str] | None = None,
    copy_from: Path | None = None,
    limits: Limits = Limits(),
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    collect: Sequence[str] = (),
) -> SandboxResult:
    """Run ``argv`` in a fresh temporary folder holding ``files`` (relative path -> text) and,
    if given, a copy of ``copy_from``. ``collect`` names files to read back after the run.
    ``{sandbox}`` in argv is replaced by the folder's path."""
    user = _nobody(argv[0])
    with tempfile.TemporaryDirectory(prefix="codex-sandbox-") as tmp:
        root = Path(tmp)
        if copy_from is not None:
            shutil.copytree(copy_from, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git", "__pycache__", ".venv", "*.pyc"))
        (root / "sitecustomize.py").write_text(PRELUDE, encoding="utf-8")
        for rel, text in (files or {}).items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if user is not None:
            for path in [root, *root.rglob("*")]:
                os.chown(path, *user)
        base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(root),
            "TMPDIR": str(root),
            "LANG": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
            "PYTHONPATH": str(root),
        }
        base_env.update(env or {})
        args = [a.replace("{sandbox}", str(root)) for a in argv]
        start = time.perf_counter()
        proc = subprocess.Popen(
            args,
            cwd=root,
            env=base_env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_preexec(limits, user),
        )
        timed_out = False
        try:
            out, err = proc.communicate(stdin.encode() if stdin is not None else None, timeout=limits.timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            out, err = proc.communicate()
        finally:
            _kill_group(proc)  # stray children of a finished process
        seconds = time.perf_counter() - start
        collected = {}
        for rel in collect:
            path = root / rel
            if path.is_file():
                collected[rel] = path.read_text(encoding="utf-8", errors="replace")
    code = proc.returncode
    return SandboxResult(
        returncode=None if timed_out else code,
        stdout=out[: limits.output_bytes].decode("utf-8", errors="replace"),
        stderr=err[: limits.output_bytes].decode("utf-8", errors="replace"),
        seconds=seconds,
        timed_out=timed_out,
        signal=-code if code is not None and code < 0 else None,
        files=collected,
    )


def run_python(
    script: str,
    *,
    python: str | None = None,
    files: Mapping[str, str] | None = None,
    copy_from: Path | None = None,
    limits: Limits = Limits(),
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    stdin: str | None = None,
    collect: Sequence[str] = (),
) -> SandboxResult:
    """Run a Python ``script`` (saved as ``__codex_main__.py``) in the sandbox."""
    all_files = dict(files or {})
    all_files["__codex_main__.py"] = script
    return run(
        [python or sys.executable, "__codex_main__.py", *args],
        files=all_files,
        copy_from=copy_from,
        limits=limits,
        env=env,
        stdin=stdin,
        collect=collect,
    )
