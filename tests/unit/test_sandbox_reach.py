"""What generated code can reach from the bubblewrap sandbox (issue 25): homes and secrets,
Unix sockets on the host, and how much it can write. Each test runs hostile code through the
real sandbox and asserts on what it saw or left behind."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
import threading
import uuid
from pathlib import Path

import pytest

from codexcli.verify.sandbox import fsview, isolation
from codexcli.verify.sandbox.sandbox import Limits, run_python
from tests.conftest import isolation_available

needs_isolation = pytest.mark.skipif(not isolation_available(), reason="no OS isolation works on this machine")


@pytest.fixture
def open_folder():
    """A folder under /tmp that anyone may enter (pytest's tmp_path is 0700 root here, which
    would hide it from the sandbox's ``nobody`` for the wrong reason)."""
    folder = Path(tempfile.mkdtemp(prefix="codex-reach-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, mode)
    return path


# Homes and secrets ---------------------------------------------------------------------------

READER = """
import json, subprocess
seen = {}
for path in %r:
    try:
        seen[path] = open(path).read()
    except OSError as exc:
        seen[path] = type(exc).__name__
for tool in ("home-tool", "cargo-tool"):
    try:
        seen[tool] = subprocess.run([tool], capture_output=True, text=True).stdout.strip()
    except OSError as exc:
        seen[tool] = type(exc).__name__
print(json.dumps(seen))
"""


@needs_isolation
def test_a_home_with_tools_on_path_shows_the_tools_not_the_home(open_folder: Path, monkeypatch):
    """Issue 25, hole 1: ~/.local/bin on PATH used to show the whole home folder (.ssh
    included). As root the sandbox runs as nobody, so the fake home's files are readable by
    anyone here, as a user's own files are to a sandbox running as that user."""
    home = open_folder / "u"
    secrets = {
        "ssh key": _write(home / ".ssh" / "id_rsa", "PRIVATE KEY"),
        "aws": _write(home / ".aws" / "credentials", "aws_secret_access_key = s3cret"),
        "notes": _write(home / "projects" / "notes.txt", "private notes"),
        "cargo token": _write(home / ".cargo" / "credentials.toml", "token = 's3cret'"),
        "keyring": _write(home / ".local" / "share" / "keyrings" / "login.keyring", "s3cret"),
    }
    _write(home / ".local" / "bin" / "home-tool", "#!/bin/sh\necho home-tool-ok\n", 0o755)
    _write(home / ".cargo" / "bin" / "cargo-tool", "#!/bin/sh\necho cargo-tool-ok\n", 0o755)
    for folder in [home, *home.rglob("*")]:
        if folder.is_dir():
            os.chmod(folder, 0o755)
    monkeypatch.setenv("HOME", str(home))
    # ~/.local itself on PATH too: a bound folder that holds a secret (the keyring).
    path = [str(home / ".local" / "bin"), str(home / ".cargo" / "bin"), str(home / ".local")]
    monkeypatch.setenv("PATH", os.pathsep.join([*path, os.environ["PATH"]]))
    result = run_python(READER % ([str(p) for p in secrets.values()],))
    assert result.ok, result.stderr
    seen = json.loads(result.stdout)
    assert seen["home-tool"] == "home-tool-ok" and seen["cargo-tool"] == "cargo-tool-ok"  # tools still run
    for name, path in secrets.items():
        assert seen[str(path)] in ("", "FileNotFoundError", "PermissionError"), (name, seen[str(path)])


def test_the_view_never_binds_a_home_and_hides_secrets_under_what_it_binds(open_folder: Path, monkeypatch):
    home = open_folder / "u"
    _write(home / ".cargo" / "credentials", "token")
    (home / ".cargo" / "bin").mkdir(parents=True)
    (home / ".config" / "tool" / "bin").mkdir(parents=True)
    (home / ".local" / "share" / "keyrings").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    entries = [home, home / ".cargo" / "bin", home / ".config" / "tool" / "bin", home / ".local"]
    monkeypatch.setenv("PATH", os.pathsep.join(str(p) for p in entries))
    view = fsview.view()
    assert str(home) not in view.binds and str(open_folder) not in view.binds
    assert str(home / ".cargo") in view.binds and str(home / ".local") in view.binds
    assert not any(b.startswith(str(home / ".config")) for b in view.binds)  # inside a secret: not bound
    assert str(home / ".cargo" / "credentials") in view.secret_files
    assert str(home / ".local" / "share" / "keyrings") in view.secret_dirs


SHADOW = """
import os
for path in ("/etc/shadow", "/etc/gshadow"):
    try:
        print(path, len(open(path).read()) if os.path.exists(path) else "absent")
    except OSError as exc:
        print(path, type(exc).__name__)
"""


@needs_isolation
def test_shadow_files_cannot_be_read():
    """/dev/null is bound over them: on a nodev mount opening it fails, else it reads empty."""
    result = run_python(SHADOW)
    assert result.ok, result.stderr
    assert {line.split()[1] for line in result.stdout.splitlines()} <= {"0", "absent", "PermissionError"}, result.stdout


# Unix sockets --------------------------------------------------------------------------------


def _serve(server: socket.socket) -> None:
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        conn.sendall(b"host says hi")
        conn.close()


def _unix_server(address: str | bytes) -> socket.socket:
    server = socket.socket(socket.AF_UNIX)
    server.bind(address)
    if isinstance(address, str):
        os.chmod(address, 0o777)  # world-writable, like X11's and many daemons' sockets
    server.listen(5)
    threading.Thread(target=_serve, args=(server,), daemon=True).start()
    return server


CONNECT = """
import os, socket
address = %r
print(os.path.exists(address) if isinstance(address, str) else "abstract")
try:
    s = socket.socket(socket.AF_UNIX)
    s.connect(address)
    print("reply", s.recv(100))
except OSError as exc:
    print("blocked", type(exc).__name__)
"""


@needs_isolation
@pytest.mark.parametrize("where", ["a folder on PATH", "/run", "abstract"])
def test_host_unix_sockets_are_out_of_reach(where: str, open_folder: Path, monkeypatch):
    """Issue 25, hole 2: a socket in a folder the sandbox sees (a PATH entry: bound read-only,
    which does not stop connect) used to answer; /run is hidden; abstract sockets belong to the
    network namespace. The host's own client gets the reply each time, so the server works."""
    tag = uuid.uuid4().hex[:8]
    if where == "a folder on PATH":
        monkeypatch.setenv("PATH", f"{open_folder}{os.pathsep}{os.environ['PATH']}")
        address: str | bytes = str(open_folder / "s.sock")
    elif where == "/run":
        folder = Path("/run") / f"codex-reach-{tag}"
        folder.mkdir(mode=0o755)
        address = str(folder / "s.sock")
    else:
        address = f"\0codex-reach-{tag}".encode()
    server = _unix_server(address)
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(address)
            assert client.recv(100) == b"host says hi"
        result = run_python(CONNECT % (address,))
    finally:
        server.close()
        if where == "/run":
            shutil.rmtree(Path(str(address)).parent, ignore_errors=True)
    lines = result.stdout.splitlines()
    assert lines and lines[-1].startswith("blocked"), result.stdout + result.stderr
    if where == "a folder on PATH":
        assert lines[0] == "True"  # visible, and still unreachable


# Disk quota ----------------------------------------------------------------------------------

FILLER = """
import os
written, why = 0, "no error"
chunk = b"x" * (4 << 20)
try:
    for i in range(%d):
        folder = "." if i %% 2 == 0 else "/tmp"  # the run folder and /tmp share the cap
        with open(os.path.join(folder, f"fill{i}.bin"), "wb") as fh:
            fh.write(chunk)
        written += len(chunk)
except OSError as exc:
    why = exc.strerror
others = []
for place in ("/var/tmp", "/run", "/dev", "/home", "/root", "/usr"):
    try:
        open(os.path.join(place, "codex-fill"), "wb").write(b"x")
        others.append(place)
    except OSError:
        pass
print(written >> 20, why, others)
"""


@needs_isolation
def test_a_run_cannot_write_more_than_its_disk_cap():
    """Issue 25, hole 3: 4 MB files, in the run folder and /tmp in turn, up to 3x the cap; the
    run must stop near ``disk_mb``, and the other writable-looking places must refuse."""
    cap = 32
    result = run_python(FILLER % (3 * cap // 4,), limits=Limits(disk_mb=cap, timeout_s=30))
    assert result.ok, result.stderr
    written, _, rest = result.stdout.partition(" ")
    assert int(written) <= cap, result.stdout
    assert "No space left on device" in rest and rest.rstrip().endswith("[]"), result.stdout


@needs_isolation
def test_files_still_come_back_after_the_cap_is_hit():
    """The run folder is a tmpfs now; what codex collects must still come back, even from a run
    that filled it (here: fill, free one file, write the result)."""
    script = FILLER % (100,) + "os.remove('fill0.bin')\nopen('result.txt', 'w').write('still here')\n"
    result = run_python(script, limits=Limits(disk_mb=8, timeout_s=30), collect=("result.txt", "missing.txt"))
    assert result.ok, result.stderr
    assert result.files == {"result.txt": "still here"}


def test_the_seccomp_filter_is_in_use_where_it_exists():
    if not isolation_available():
        pytest.skip("no OS isolation works on this machine")
    from codexcli.verify.sandbox import seccomp

    assert isolation.detect().seccomp == (seccomp.unix_socket_filter() is not None)
