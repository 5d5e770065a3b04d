"""What a bubblewrap sandbox shows of the host's file system beyond ``--ro-bind / /``.

Some folders are hidden behind an empty tmpfs: home folders (/root, /home, $HOME: keys, tokens,
other projects), /tmp and /var/tmp (other users' files, X11 and other sockets), /run and a real
/var/run (daemon sockets). The sandboxed program still needs some paths inside them: its
interpreter, the venv's packages, the PATH entries, the compilers. Each of those is bound again,
read-only, as narrowly as works: the path itself, or the toolchain folder that holds it
(``~/.pyenv``, ``~/.rustup``, ``~/.cargo``, a virtualenv, a ``node_modules``), never a whole home
folder. Inside every home that gets anything bound, :data:`SECRETS` stay hidden even when a
bound folder holds them (``~/.cargo/credentials.toml``), and a needed path inside a secret is not
bound at all (``~/.config/tool/bin`` on PATH stays hidden: the secret wins).

Everything here reads ``os.environ``, ``~`` and the file system at call time; the caller
(isolation.bwrap_argv) turns a :class:`View` into bubblewrap flags.
"""

from __future__ import annotations

import functools
import glob
import os
import sys
import sysconfig
from dataclasses import dataclass
from typing import Iterable

from codexcli.langspec import local_tool_dirs

# Relative to a home folder: hidden even when a parent is bound (a folder -> empty read-only
# tmpfs, a file -> /dev/null). Credentials, keys, tokens, browser profiles.
SECRETS = (
    ".ssh",
    ".aws",
    ".azure",
    ".config",
    ".gnupg",
    ".docker",
    ".kube",
    ".netrc",
    ".pypirc",
    ".npmrc",
    ".git-credentials",
    ".vault-token",
    ".password-store",
    ".pki",
    ".terraform.d",
    ".m2/settings.xml",
    ".gradle/gradle.properties",
    ".cargo/credentials*",
    ".local/share/keyrings",
    ".mozilla",
    ".thunderbird",
    "snap/firefox",
    "snap/chromium",
    ".var/app",
)

# Relative to a home folder: folders that are one toolchain each, bound whole when anything
# needed lies inside (a pyenv shim needs pyenv's libexec, rustc's proxy needs ~/.rustup).
TOOLCHAIN_ROOTS = (
    ".pyenv",
    ".rustup",
    ".cargo",
    ".nvm",
    ".volta",
    ".fnm",
    ".bun",
    ".deno",
    ".sdkman",
    ".jdks",
    ".dotnet",
    ".ghcup",
    ".elan",
    ".asdf",
    ".rbenv",
    ".juliaup",
    ".conda",
    ".local/share/uv/python",
    ".local/share/mise",
    "go",
    ".go",
    "miniconda3",
    "anaconda3",
    "miniforge3",
    "mambaforge",
)


@dataclass(frozen=True)
class View:
    """Mounts on top of the read-only root: ``masked`` folders become empty (parents first),
    ``binds`` are shown again read-only in them, on empty ``parents`` (made 0755: bubblewrap
    would make them 0700, closing the path to ``nobody``), ``secret_dirs``/``secret_files`` are
    hidden again."""

    masked: tuple[str, ...]
    binds: tuple[str, ...]
    parents: tuple[str, ...]
    secret_dirs: tuple[str, ...]
    secret_files: tuple[str, ...]


def homes() -> list[str]:
    """Home folders: /root, /home and $HOME (real paths, existing folders only)."""
    out: list[str] = []
    for d in ("/root", "/home", os.path.expanduser("~")):
        real = os.path.realpath(d)
        if real not in ("/", "") and os.path.isdir(real) and real not in out:
            out.append(real)
    return out


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def masked_dirs() -> list[str]:
    """Every folder hidden behind an empty tmpfs, parents first, none inside another."""
    dirs = [*homes(), "/tmp", "/var/tmp", "/run"]
    if os.path.isdir("/var/run") and os.path.realpath("/var/run") != "/run":
        dirs.append("/var/run")  # a real folder, not the usual symlink to /run
    out: list[str] = []
    for d in sorted({d for d in dirs if os.path.isdir(d)}, key=len):
        if not any(_inside(d, parent) for parent in out):
            out.append(d)
    return out


@functools.lru_cache(maxsize=1)
def _interpreter_paths() -> tuple[str, ...]:
    """The running interpreter's own files: executable, standard library, site-packages, venv
    (fixed for the process; sysconfig takes a while to say)."""
    paths = [sys.executable, os.path.realpath(sys.executable), sys.prefix]
    found = sysconfig.get_paths()
    paths += [found.get(key, "") for key in ("stdlib", "platstdlib", "purelib", "platlib", "scripts")]
    paths.append(str(sysconfig.get_config_var("LIBDIR") or ""))  # libpython of a shared build
    return tuple(paths)


def _wanted(extra: Iterable[str]) -> list[str]:
    """Every path the sandboxed program may need, before mapping to what gets bound."""
    paths = list(_interpreter_paths())
    for p in extra:
        paths += [p, os.path.realpath(p)]
        if os.path.basename(p).startswith("python"):  # another interpreter: its prefix's lib
            paths.append(os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(p))), "lib"))
    paths += os.environ.get("PATH", "").split(os.pathsep)
    for var in ("RUSTUP_HOME", "CARGO_HOME", "GOPATH", "GOROOT", "DOTNET_ROOT"):
        paths.append(os.environ.get(var, ""))
    home = os.path.expanduser("~")
    paths += [os.path.join(home, ".rustup"), os.path.join(home, ".cargo")]
    # Tools codex finds outside PATH (TypeScript's tsc in a checkout's node_modules): a harness
    # inside the sandbox runs them by the path resolve_tool gave.
    paths += [str(folder) for folder in local_tool_dirs()]
    return [p for p in paths if p and os.path.isabs(p)]


def _bind_root(path: str, under: str, home: str | None) -> str:
    """What to bind for ``path`` (inside the masked folder ``under``): the toolchain folder of
    the home that holds it, the outermost node_modules or virtualenv above it, or the path."""
    if home is not None:
        rel = os.path.relpath(path, home)
        for root in TOOLCHAIN_ROOTS:
            if rel == root or rel.startswith(root + "/"):
                return os.path.join(home, root)
    parts = os.path.relpath(path, under).split(os.sep)
    for i in range(1, len(parts)):
        folder = os.path.join(under, *parts[:i])
        if parts[i - 1] == "node_modules" or os.path.isfile(os.path.join(folder, "pyvenv.cfg")):
            return folder
    return path


def _home_of(path: str, all_homes: list[str]) -> str | None:
    """The home folder holding ``path``: $HOME or /root, or /home/<user>."""
    for h in sorted(all_homes, key=len, reverse=True):
        if h == "/home":
            continue
        if _inside(path, h) and path != h:
            return h
    if _inside(path, "/home/") and path.count("/") >= 3:
        return "/home/" + path.split("/")[2]
    return None


def _parents(path: str, top: str) -> list[str]:
    """The folders strictly between ``top`` and ``path``."""
    out = []
    folder = os.path.dirname(path)
    while folder != top and _inside(folder, top):
        out.append(folder)
        folder = os.path.dirname(folder)
    return out


def view(extra: Iterable[str] = ()) -> View:
    """The mounts for a sandbox whose program also needs ``extra`` (its argv[0])."""
    masked = masked_dirs()
    all_homes = homes()
    binds: list[str] = []
    for wanted in _wanted(extra):
        for path in {os.path.abspath(wanted), os.path.realpath(wanted)}:
            under = next((m for m in masked if _inside(path, m) and path != m), None)
            if under is None or not os.path.exists(path):
                continue
            bind = _bind_root(path, under, _home_of(path, all_homes))
            # Never a home itself, nor a folder holding one (a PATH entry of "/home/u").
            if any(_inside(h, bind) for h in all_homes) or bind in masked:
                continue
            if bind not in binds:
                binds.append(bind)
    binds = [b for b in binds if not any(_inside(b, o) and b != o for o in binds)]
    touched = sorted({h for b in binds if (h := _home_of(b, all_homes)) is not None})
    secrets = sorted({m for h in touched for pattern in SECRETS for m in glob.glob(os.path.join(h, pattern))})
    binds = sorted(b for b in binds if not any(_inside(b, s) for s in secrets))
    # Hide where a secret really is (a symlinked ~/.ssh), if the sandbox would see it there.
    shown = sorted(
        {
            real
            for real in map(os.path.realpath, secrets)
            if any(_inside(real, b) for b in binds) or not any(_inside(real, m) for m in masked)
        }
    )
    parents = {p for b in binds for m in masked if _inside(b, m) for p in _parents(b, m)}
    return View(
        masked=tuple(masked),
        binds=tuple(binds),
        parents=tuple(sorted(parents, key=lambda p: (p.count("/"), p))),
        secret_dirs=tuple(s for s in shown if os.path.isdir(s)),
        secret_files=tuple(s for s in shown if not os.path.isdir(s)),
    )
