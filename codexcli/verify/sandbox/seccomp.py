"""A seccomp filter for the bubblewrap sandbox: no Unix-domain sockets, no io_uring.

A socket file is reachable through any folder the sandbox can see (a read-only mount does not
stop ``connect``): a database's socket under /var/lib, an X server's, a docker socket somewhere
odd. Hiding every such folder is a guessing game, so the sandboxed program cannot create an
``AF_UNIX`` socket at all: ``socket(AF_UNIX, ...)`` fails with EACCES. ``socketpair`` still works
(asyncio and multiprocessing pipes use it; a pair connects to nothing outside). io_uring could
create and connect sockets without the ``socket`` system call, so ``io_uring_setup`` fails with
ENOSYS (programs fall back to ordinary calls). Abstract-namespace sockets belong to the network
namespace, which ``--unshare-net`` already makes the sandbox's own.

The filter is classic BPF, written out here because it is a dozen instructions; bwrap reads it from
a file descriptor (``--seccomp FD``) and installs it after setting ``PR_SET_NO_NEW_PRIVS``.
"""

from __future__ import annotations

import os
import platform
import struct

# <linux/audit.h> architecture tokens and the two system call numbers, per machine.
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425),  # AUDIT_ARCH_X86_64, __NR_socket, __NR_io_uring_setup
    "aarch64": (0xC00000B7, 198, 425),  # AUDIT_ARCH_AARCH64
}
_X32_BIT = 0x40000000  # x86_64's x32 ABI: the same calls under other numbers

_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, JGE, BPF_RET|K
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_EACCES, _ENOSYS = 13, 38
_AF_UNIX = 1
# struct seccomp_data: nr at 0, arch at 4, args[0] at 16 (its low half first: little endian).
_NR, _ARCH, _ARG0 = 0, 4, 16


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def unix_socket_filter(machine: str | None = None) -> bytes | None:
    """The filter for this machine, or None where it is not written yet (other architectures)."""
    entry = _ARCHES.get(machine or platform.machine())
    if entry is None:
        return None
    arch, nr_socket, nr_io_uring = entry
    # Jump offsets count the instructions skipped (BPF only jumps forward).
    program = [
        _op(_LD_ABS, _ARCH),
        _op(_JEQ, arch, jt=1, jf=0),
        _op(_RET, _ERRNO | _ENOSYS),  # another ABI (32-bit x86 on a 64-bit kernel): nothing runs
        _op(_LD_ABS, _NR),
        _op(_JGE, _X32_BIT, jt=6, jf=0),
        _op(_JEQ, nr_io_uring, jt=5, jf=0),
        _op(_JEQ, nr_socket, jt=0, jf=2),
        _op(_LD_ABS, _ARG0),
        _op(_JEQ, _AF_UNIX, jt=1, jf=0),
        _op(_RET, _ALLOW),
        _op(_RET, _ERRNO | _EACCES),
        _op(_RET, _ERRNO | _ENOSYS),
    ]
    return b"".join(program)


def filter_fd() -> int | None:
    """A fresh read-only descriptor holding the filter (bwrap reads it once, from its start), or
    None where there is no filter for this machine. The caller passes it to bwrap and closes it."""
    program = unix_socket_filter()
    if program is None or not hasattr(os, "memfd_create"):
        return None
    fd = os.memfd_create("codex-seccomp")  # close-on-exec; pass_fds hands it to bwrap only
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
