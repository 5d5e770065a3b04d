"""The run folder of a bubblewrap sandbox: a size-capped tmpfs, filled from the host, read back.

A bind-mounted host folder would let a candidate write as much as the host disk holds. So the
folder codex fills (sources, the harness, a copy of the project) is bound read-only at
:data:`INPUT`; inside, a small shell script (:data:`WRAPPER`, about 1 ms), already running as the
sandbox's user, copies it to /tmp/<name> on the sandbox's /tmp, a tmpfs whose size is the
inputs plus ``Limits.disk_mb``; runs the program there; then writes the files codex asked to
``collect`` to :data:`OUTPUT`, one host file bound writable, as ``name\\nsize\\nbytes`` records.

The program can write that file too (it is the same user), within ``RLIMIT_FSIZE``: the worst it
can do is misreport its own results, as it could by writing them. When the run is killed at its
timeout nothing is collected (the tmpfs dies with the sandbox).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Mapping, Sequence

INPUT = "/tmp/.codex-input"
OUTPUT = "/tmp/.codex-collected"
PAGE = 4096

# $1: the input folder, $2: the run folder to create, $3: the names to collect (one a line);
# then the program's argv. POSIX sh, cp, wc and head only (coreutils or busybox).
WRAPPER = r"""
src=$1 box=$2 want=$3
shift 3
cp -a -- "$src" "$box" || exit 125
cd -- "$box" || exit 125
[ -z "$want" ] && exec "$@"
"$@"
rc=$?
set -f
IFS='
'
for f in $want; do
    if [ -f "$f" ] && [ ! -h "$f" ]; then
        n=$(wc -c < "$f")
        printf '%s\n%s\n' "$f" $n
        head -c $n -- "$f"
    fi
done > __OUTPUT__
exit $rc
""".replace("__OUTPUT__", OUTPUT)


def wrapper_argv(inside: str, collect: Sequence[str]) -> list[str]:
    """The wrapper's command line, before the program's argv: copy in, run in ``inside``,
    collect. Names with a newline cannot be collected (codex's own names never have one)."""
    want = "\n".join(name for name in collect if "\n" not in name)
    return ["/bin/sh", "-c", WRAPPER, "codex-sandbox", INPUT, inside, want]


def input_bytes(root: Path) -> int:
    """What the copied inputs take on a tmpfs (whole pages, plus one per entry for slack)."""
    total = 0
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            try:
                size = os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
            total += -(-size // PAGE) * PAGE + PAGE
    return total


def parse_collected(raw: bytes, collect: Sequence[str]) -> Mapping[str, str]:
    """The collected files written by :data:`WRAPPER` (names not asked for are dropped; a
    damaged record ends the reading)."""
    out: dict[str, str] = {}
    wanted = set(collect)
    pos = 0
    while pos < len(raw):
        name_end = raw.find(b"\n", pos)
        size_end = raw.find(b"\n", name_end + 1) if name_end >= 0 else -1
        if size_end < 0:
            break
        name = raw[pos:name_end].decode("utf-8", "replace")
        try:
            size = int(raw[name_end + 1 : size_end])
        except ValueError:
            break
        body = raw[size_end + 1 : size_end + 1 + size]
        if len(body) < size or size < 0:
            break
        if name in wanted:
            out[name] = body.decode("utf-8", errors="replace")
        pos = size_end + 1 + size
    return out


def fill(root: Path, files: Mapping[str, str], copy_from: Path | None, owner: tuple[int, int] | None) -> None:
    """Put a copy of ``copy_from`` (without .git, .venv, caches) and ``files`` (relative path ->
    text) in ``root``; everything owned by ``owner`` (the sandbox's user) when given."""
    if copy_from is not None:
        shutil.copytree(
            copy_from,
            root,
            dirs_exist_ok=True,
            symlinks=True,
            ignore=shutil.ignore_patterns(".git", "__pycache__", ".venv", "*.pyc"),
        )
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_encode_source(rel, text))
    if owner is not None:
        for path in [root, *root.rglob("*")]:
            os.lchown(path, *owner)


_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def _encode_source(rel: str, text: str) -> bytes:
    """Python files in the encoding their coding line declares (PEP 263), others UTF-8."""
    if rel.endswith(".py"):
        for line in text.splitlines()[:2]:
            match = _CODING.match(line)
            if match:
                try:
                    return text.encode(match.group(1), errors="replace")
                except LookupError:
                    break
    return text.encode("utf-8")
