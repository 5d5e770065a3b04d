"""A verdict the code under test cannot forge: the checker and the candidate in two processes.

The checker process holds the verdict file descriptor (``CODEX_VERDICT_FD``, see
``sandbox.run(verdict=True)``), makes itself non-dumpable (so a process of the same user cannot
ptrace it or open ``/proc/<pid>/fd``), and starts the candidate in a child process that never
gets that descriptor. The checker calls the candidate through a proxy: arguments go over a pipe,
and only plain data comes back (None, bool, int, float, str, bytes, list, tuple, dict, set),
decoded by the checker without running any of the candidate's code: no object with a forged
``__eq__`` crosses. Every assertion, comparison and the verdict itself run in the checker.

A candidate that prints a success token, exits early, kills the checker or writes files gets
at worst no verdict, which is a failure.

Nothing the candidate writes is imported by the checker (issue 25): the two work in different
folders (the candidate in ``candidate/`` inside the sandbox folder), the checker starts with
``-s -P`` (no user site folder, no script folder on its path) and, before anything else, drops
from ``sys.path`` every relative entry and every entry inside the sandbox folder (PYTHONPATH
names it, for the sandbox's prelude). What is left (the standard library, site-packages) is
read-only in the sandbox. Not ``-I``: it also ignores PYTHONHASHSEED, and the probes compare
reprs of sets across candidates, which must not depend on a random seed per process.
sitecustomize, usercustomize and .pth files only run when an interpreter starts; the checker
starts before the candidate, and every interpreter started after it is the candidate's own.
"""

from __future__ import annotations

import sys
from typing import Mapping

from codexcli.verify.sandbox.sandbox import Limits, SandboxResult, run

# The candidate's working folder, inside the sandbox folder (the checker works in the latter).
CHILD_DIR = "candidate"

# First in the checker, before the candidate exists: its import path loses every folder the
# candidate's process can write (relative entries resolve against a folder the candidate can
# write; the sandbox folder is the script's folder and PYTHONPATH's entry).
_PATH_GUARD = r"""
import os, sys
_sandbox = os.path.realpath(os.getcwd())

def _candidate_writable(entry):
    if not entry or not os.path.isabs(entry):
        return True
    real = os.path.realpath(entry)
    return real == _sandbox or real.startswith(_sandbox + os.sep)

sys.path[:] = [p for p in sys.path if not _candidate_writable(p)]
"""

# Shared by both sides: the plain-data codec (JSON with tags for what JSON lacks).
CODEC = r"""
import json as _json, math as _math

class NotPlainData(TypeError):
    pass

def _enc(x, depth=0):
    if depth > 200:
        raise NotPlainData("nested too deeply")
    t = type(x)
    if x is None or t is bool or t is str:
        return x
    if t is int:
        return x if abs(x) < 2 ** 53 else {"i": str(x)}
    if t is float:
        return {"f": repr(x)}
    if t is bytes:
        return {"b": x.hex()}
    if t is complex:
        return {"c": [repr(x.real), repr(x.imag)]}
    if t in (list, tuple, set, frozenset):
        tag = {list: "l", tuple: "t", set: "s", frozenset: "z"}[t]
        return {tag: [_enc(v, depth + 1) for v in x]}
    if t is dict:
        return {"d": [[_enc(k, depth + 1), _enc(v, depth + 1)] for k, v in x.items()]}
    raise NotPlainData(f"returned a {t.__name__}, not plain data")

def _dec(x, depth=0):
    if depth > 200:
        raise ValueError("nested too deeply")
    if x is None or type(x) in (bool, int, str):
        return x
    if type(x) is not dict or len(x) != 1:
        raise ValueError("malformed reply")
    (tag, v), = x.items()
    if tag == "i":
        return int(v)
    if tag == "f":
        return float(v)
    if tag == "b":
        return bytes.fromhex(v)
    if tag == "c":
        return complex(float(v[0]), float(v[1]))
    if tag in ("l", "t", "s", "z"):
        items = [_dec(i, depth + 1) for i in v]
        return {"l": list, "t": tuple, "s": set, "z": frozenset}[tag](items)
    if tag == "d":
        return {_dec(k, depth + 1): _dec(w, depth + 1) for k, w in v}
    raise ValueError("malformed reply")
"""

# The candidate's process: loads the program, then answers calls until its input ends.
SERVER = (
    CODEC
    + r"""
import io, os, pickle, struct, sys
_reply = os.fdopen(os.dup(1), "wb")
_null = os.open(os.devnull, os.O_WRONLY)
os.dup2(_null, 1)
_requests = os.fdopen(os.dup(0), "rb")
os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
sys.stdout = sys.stderr = io.StringIO()
sys.stdin = io.StringIO()

def _send(obj):
    data = _json.dumps(obj).encode()
    _reply.write(struct.pack(">I", len(data)) + data)
    _reply.flush()

def _recv():
    head = _requests.read(4)
    if len(head) < 4:
        return None
    return pickle.loads(_requests.read(struct.unpack(">I", head)[0]))

_ns = {"__name__": sys.argv[3] if len(sys.argv) > 3 else "__main__"}
_entry = sys.argv[1]
try:
    with open(sys.argv[2], encoding="utf-8") as _fh:
        _code = compile(_fh.read(), "program.py", "exec")
    exec(_code, _ns)
    _fn = _ns[_entry]
    _send({"loaded": True})
except BaseException as _exc:
    _send({"err": type(_exc).__name__, "msg": str(_exc)[:300]})
    raise SystemExit(1)
while True:
    _req = _recv()
    if _req is None:
        break
    try:
        _value = _fn(*_req[0], **_req[1])
        try:
            _send({"ok": _enc(_value)})
        except NotPlainData:
            # Not plain data: only its repr crosses, as text; it never equals a real value.
            _send({"opaque": repr(_value)[:2000]})
    except BaseException as _exc:
        try:
            _send({"err": type(_exc).__name__, "msg": str(_exc)[:300]})
        except BaseException:
            _send({"err": "Exception", "msg": "unprintable"})
"""
)

# The checker's side: start the server (in CHILD_DIR), and a proxy that calls it.
CHECKER = (
    _PATH_GUARD
    + CODEC
    + f"_CHILD_DIR = {CHILD_DIR!r}\n"
    + r'''
import ctypes, os, pickle, select, struct, subprocess, sys, time
try:  # PR_SET_DUMPABLE = 0: the candidate cannot ptrace this process or read its descriptors
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
except Exception:
    pass
_vfd = int(os.environ.pop("CODEX_VERDICT_FD"))
os.set_inheritable(_vfd, False)

def _verdict(passed, why):
    os.write(_vfd, _json.dumps({"passed": passed, "why": why[:400]}).encode())
    os.close(_vfd)

class CandidateFailed(Exception):
    pass

class CandidateRaised(CandidateFailed):
    def __init__(self, kind, msg):
        super().__init__(kind + ": " + msg)
        self.kind = kind

class Opaque:
    """A result that is not plain data: its repr, as text. Equal to nothing but itself."""
    def __init__(self, text):
        self.text = text
    def __repr__(self):
        return self.text

class Candidate:
    def __init__(self, program_file, entry, deadline, module_name="__main__", call_timeout=None):
        self.deadline = deadline
        self.call_timeout = call_timeout
        self.call_deadline = deadline
        self.proc = subprocess.Popen(
            [sys.executable, "__codex_server__.py", entry, program_file, module_name], cwd=_CHILD_DIR,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True)
        hello = self._read()
        if "err" in hello:
            raise CandidateFailed(hello["err"] + ": " + hello["msg"])

    def _read(self):
        fd = self.proc.stdout.fileno()
        buf = b""
        need = 4
        size = None
        while len(buf) < need:
            left = min(self.deadline, self.call_deadline) - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise CandidateFailed("timed out")
            chunk = os.read(fd, max(need - len(buf), 65536) if size is not None else need - len(buf))
            if not chunk:
                raise CandidateFailed("the completion's process exited before the tests finished")
            buf += chunk
            if size is None and len(buf) >= 4:
                size = struct.unpack(">I", buf[:4])[0]
                if size > 50_000_000:
                    raise CandidateFailed("reply too large")
                need = 4 + size
        return _json.loads(buf[4:need].decode())

    def kill(self):
        try:
            self.proc.kill()
            self.proc.wait()
        except OSError:
            pass

    def __call__(self, *args, **kwargs):
        self.call_deadline = time.monotonic() + self.call_timeout if self.call_timeout else self.deadline
        data = pickle.dumps((args, kwargs))
        try:
            self.proc.stdin.write(struct.pack(">I", len(data)) + data)
            self.proc.stdin.flush()
        except OSError:
            raise CandidateFailed("the candidate's process exited") from None
        reply = self._read()
        if "ok" in reply:
            return _dec(reply["ok"])
        if "opaque" in reply:
            return Opaque(str(reply["opaque"]))
        raise CandidateRaised(str(reply.get("err", "Exception")), str(reply.get("msg", "")))
'''
)


def run_checker(
    script: str, *, files: Mapping[str, str], candidate_files: Mapping[str, str], limits: Limits
) -> SandboxResult:
    """Run a checker ``script`` (which starts with CHECKER) in the sandbox with a verdict
    descriptor: ``files`` in its folder, ``candidate_files`` and the server in CHILD_DIR."""
    all_files = dict(files)
    all_files["__codex_main__.py"] = script
    for rel, text in {**candidate_files, "__codex_server__.py": SERVER}.items():
        all_files[f"{CHILD_DIR}/{rel}"] = text
    return run([sys.executable, "-s", "-P", "__codex_main__.py"], files=all_files, limits=limits, verdict=True)
