"""Run generated code in a sandbox, never inside the codex process.

Layers, each catching a different failure (or malice) of model-written code:

* OS isolation (verify/sandbox/isolation.py): bubblewrap gives the run a read-only view of the file
  system except its own folder on a size-capped /tmp (``Limits.disk_mb``; runfolder.py), home
  folders hidden but for the toolchains in them (fsview.py), no network, no Unix sockets
  (seccomp.py), and its own PID namespace, so every process it starts dies with it and codex
  cannot be signalled.
  Without a working bubblewrap codex refuses to run generated code unless the user opted in
  (--unsafe-exec); then it falls back to the plain subprocess below.
* a fresh temporary working folder (deleted afterwards) and a minimal environment;
* a timeout that always holds: output goes to files, not pipes, so waiting is on the sandbox's
  process only, and killing it tears down the whole PID namespace;
* rlimits: address space (memory bombs), CPU seconds, file size (also caps output), process
  count (counted for ``nobody``: as root the launcher drops to it inside the sandbox);
* a prelude that disables ``os.kill``/``os.killpg`` towards other processes (defence in depth);
* a verdict channel (``verdict=True``): a file descriptor on a file outside the sandbox, for
  harnesses that report from a process the candidate never runs in.

docs/sandbox.md describes the threat model and what is not covered.
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
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from codexcli.verify.sandbox import isolation, runfolder, seccomp

# Installed before any generated code runs (written as sitecustomize.py in the sandbox folder).
PRELUDE = """
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
"""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandboxed run."""

    timeout_s: float = 10.0
    memory_mb: int = 1024
    cpu_s: int | None = None  # defaults to the timeout, rounded up
    file_size_mb: int = 64
    processes: int = 64
    output_bytes: int = 2_000_000
    # What a run may write in all (its folder and /tmp: one tmpfs, on top of its inputs). Only
    # with isolation: without it the folder is an ordinary host folder (file_size_mb per file).
    disk_mb: int = 256


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
    verdict: str | None = None  # what the harness wrote on CODEX_VERDICT_FD (run(verdict=True))

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
        _die_with_codex()
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


def _die_with_codex() -> None:
    """PR_SET_PDEATHSIG: the sandbox gets SIGKILL when the codex thread that started it dies
    (codex killed by signal 9 leaves nothing behind)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except Exception:  # not Linux / no libc: the timeout and the PID namespace still hold
        pass


# Sandboxes running now: key -> [process or None, its folders, its descriptors], so an interrupt
# can end them all.
_LIVE: dict[int, list] = {}
_LIVE_LOCK = threading.Lock()
_STOPPING = threading.Event()


def terminate_all() -> None:
    """Kill every running sandbox and delete its folders (SIGINT/SIGTERM in the CLI); sandboxes
    that other threads would start from now on are refused."""
    _STOPPING.set()
    with _LIVE_LOCK:
        live = list(_LIVE.values())
    for proc, dirs, _ in live:
        if proc is not None:
            try:
                proc.kill()
            except OSError:
                pass
            _kill_group(proc)
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)


def reset_stopping() -> None:
    """Allow sandboxes again (the CLI may run many commands in one process, as the tests do)."""
    _STOPPING.clear()


def _read_capped(path: Path, limit: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError:
        return b""


def run(
    argv: Sequence[str],
    *,
    files: Mapping[str, str] | None = None,
    copy_from: Path | None = None,
    limits: Limits = Limits(),
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    collect: Sequence[str] = (),
    verdict: bool = False,
) -> SandboxResult:
    """Run ``argv`` in a fresh temporary folder holding ``files`` (relative path -> text) and,
    if given, a copy of ``copy_from``. ``collect`` names files to read back after the run.
    ``{sandbox}`` in argv is replaced by the folder's path.

    With ``verdict``, the program gets a write-only file descriptor (its number in
    ``CODEX_VERDICT_FD``) on a file outside the sandbox; what it writes there comes back as
    ``SandboxResult.verdict``. A harness reports through it from a process that never runs the
    candidate (see docs/sandbox.md). Raises SandboxUnavailable when there is no isolation and
    the user has not opted in to running without it."""
    iso = isolation.require()
    isolated = iso.kind == "bwrap"
    user = _nobody(argv[0]) if not isolated else ((isolation.NOBODY, isolation.NOBODY) if os.geteuid() == 0 else None)
    if _STOPPING.is_set():
        raise KeyboardInterrupt("codex is stopping")
    key = id(threading.current_thread()) ^ time.perf_counter_ns()
    entry: list = [None, [], []]  # process, folders, descriptors to close
    with _LIVE_LOCK:
        _LIVE[key] = entry
    root = Path(tempfile.mkdtemp(prefix="codex-sandbox-"))
    entry[1].append(str(root))
    private = Path(tempfile.mkdtemp(prefix="codex-run-"))  # output files: never inside the sandbox
    entry[1].append(str(private))
    try:
        runfolder.fill(root, {"sitecustomize.py": PRELUDE, **(files or {})}, copy_from, owner=user)
        # The folder as the program sees it: bubblewrap mounts it at /tmp/<name>.
        seen = Path(isolation.inside_path(str(root))) if isolated else root
        base_env = _base_env(seen, env)
        args = [a.replace("{sandbox}", str(seen)) for a in argv]
        pass_fds: tuple[int, ...] = ()
        if isolated:
            args, pass_fds = _isolate(iso, root, private, args, user, limits, collect, entry)
        proc, timed_out, seconds = _launch_and_wait(
            args, root, private, base_env, stdin, pass_fds, limits, None if isolated else user, verdict, entry
        )
        out = _read_capped(private / "stdout", limits.output_bytes)
        err = _read_capped(private / "stderr", limits.output_bytes)
        verdict_text = (
            _read_capped(private / "verdict", limits.output_bytes).decode("utf-8", "replace") if verdict else None
        )
        collected = _collected(root, private, collect, isolated)
    finally:
        with _LIVE_LOCK:
            _LIVE.pop(key, None)
        for fd in entry[2]:
            os.close(fd)
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)
    code = proc.returncode
    if isolated and code is not None and code > 128 and not timed_out:
        code = 128 - code  # bwrap reports a signal-killed child as 128+N: keep "killed by signal"
    return SandboxResult(
        returncode=None if timed_out else code,
        stdout=out.decode("utf-8", errors="replace"),
        stderr=err.decode("utf-8", errors="replace"),
        seconds=seconds,
        timed_out=timed_out,
        signal=-code if code is not None and code < 0 else None,
        files=collected,
        verdict=verdict_text,
    )


def _base_env(seen: Path, env: Mapping[str, str] | None) -> dict[str, str]:
    """The program's whole environment: a minimal one rooted at its folder, then ``env``."""
    base_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(seen),
        "TMPDIR": str(seen),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": str(seen),
    }
    base_env.update(env or {})
    return base_env


def _isolate(
    iso: isolation.Isolation,
    root: Path,
    private: Path,
    args: list[str],
    user: tuple[int, int] | None,
    limits: Limits,
    collect: Sequence[str],
    entry: list,
) -> tuple[list[str], tuple[int, ...]]:
    """``args`` wrapped in bubblewrap, and the descriptors it must inherit (the seccomp filter,
    registered in ``entry`` to be closed). The wrapper sends the collected files to
    ``private/collected``."""
    assert iso.bwrap is not None  # kind "bwrap" always carries the binary's path
    collected_path = private / "collected"
    collected_path.touch()
    if user is not None:
        os.chown(collected_path, *user)
    pass_fds: tuple[int, ...] = ()
    filter_fd = seccomp.filter_fd() if iso.seccomp else None
    if filter_fd is not None:
        entry[2].append(filter_fd)
        pass_fds = (filter_fd,)
    args = isolation.sandboxed_argv(
        iso.bwrap,
        str(root),
        args,
        output=str(collected_path),
        processes=limits.processes,
        tmp_bytes=runfolder.input_bytes(root) + (limits.disk_mb << 20),
        collect=collect,
        seccomp_fd=filter_fd,
    )
    return args, pass_fds


def _launch_and_wait(
    args: list[str],
    root: Path,
    private: Path,
    base_env: dict[str, str],
    stdin: str | None,
    pass_fds: tuple[int, ...],
    limits: Limits,
    user: tuple[int, int] | None,
    verdict: bool,
    entry: list,
) -> tuple[subprocess.Popen, bool, float]:
    """Start the program (output to files in ``private``), feed it ``stdin``, wait at most the
    timeout, then kill whatever is left: (the ended process, whether it timed out, seconds)."""
    with (
        open(private / "stdout", "wb") as out_fh,
        open(private / "stderr", "wb") as err_fh,
        open(private / "verdict", "wb") as verdict_fh,
    ):
        if verdict:
            base_env["CODEX_VERDICT_FD"] = str(verdict_fh.fileno())
            pass_fds += (verdict_fh.fileno(),)
        start = time.perf_counter()
        proc = subprocess.Popen(
            args,
            cwd=root,
            env=base_env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out_fh,
            stderr=err_fh,
            pass_fds=pass_fds,
            start_new_session=True,
            preexec_fn=_preexec(limits, user),
        )
        entry[0] = proc
        timed_out = False
        try:
            if stdin is not None:
                try:
                    assert proc.stdin is not None  # stdin=PIPE above
                    proc.stdin.write(stdin.encode())
                    proc.stdin.close()
                except (BrokenPipeError, OSError):
                    pass
            # Output goes to files, so waiting is on the process only: a child that kept
            # the pipes open can no longer hold codex past the timeout.
            proc.wait(timeout=limits.timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            # bwrap dies -> its PID namespace dies with every process in it. Without
            # isolation, the process group is the best there is.
            try:
                proc.kill()
            except OSError:
                pass
            _kill_group(proc)
            proc.wait()
        seconds = time.perf_counter() - start
    return proc, timed_out, seconds


def _collected(root: Path, private: Path, collect: Sequence[str], isolated: bool) -> Mapping[str, str]:
    """The files named in ``collect`` that the run left, relative path -> text."""
    if isolated:  # the run folder was a tmpfs inside the sandbox: the wrapper sent them
        return runfolder.parse_collected((private / "collected").read_bytes(), collect)
    return {
        rel: (root / rel).read_text(encoding="utf-8", errors="replace")
        for rel in collect
        if (root / rel).is_file() and not (root / rel).is_symlink()
    }


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
    verdict: bool = False,
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
        verdict=verdict,
    )
