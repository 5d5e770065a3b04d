"""A real editor: headless Neovim's built-in LSP client attached to `codex lsp` fills a stub and
writes the buffer; the file on disk then has the verified body. Skipped without `nvim` on PATH
(the Makefile's `tools` installs Debian's neovim where apt is available)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, dedent

pytest.importorskip("pygls")
NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="nvim is not on PATH")

STUB = dedent('''
    import math


    def area(r: float) -> float:
        """Area of a circle of radius r.

        >>> round(area(1.0), 4)
        3.1416
        """
        ...
''')


def fill_in_neovim(path: Path, env: dict[str, str], options: dict[str, object], timeout: float) -> None:
    assert NVIM is not None
    env = {
        **env,
        "CODEX_NVIM_FILE": str(path),
        "CODEX_NVIM_LINE": "9",
        "CODEX_NVIM_NAME": "area",
        "CODEX_NVIM_PYTHON": sys.executable,
        "CODEX_NVIM_OPTIONS": json.dumps(options),
        "XDG_STATE_HOME": str(path.parent / "nvim-state"),
    }
    script = REPO / "tests" / "lsp" / "neovim_fill.lua"
    done = subprocess.run(
        [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-c", f"luafile {script}"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_neovim_fills_a_stub_and_writes_the_verified_body(tmp_path: Path):
    path = tmp_path / "geometry.py"
    path.write_text(STUB, encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": [], "default": "    return math.pi * r * r\n"}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEX_") or k == "CODEX_UNSAFE_EXEC"}
    env.update(CODEX_BACKEND="fake", CODEX_FAKE_ANSWERS=str(answers), CODEXCLI_HOME=str(tmp_path / "home"))
    fill_in_neovim(path, env, {}, timeout=120)
    text = path.read_text(encoding="utf-8")
    assert "return math.pi * r * r" in text and text.count("...") == 0
    assert text.startswith(STUB.split("    ...")[0])  # nothing else changed


@pytest.mark.integration
def test_neovim_fills_a_stub_with_the_real_embedded_model(tmp_path: Path):
    path = tmp_path / "geometry.py"
    path.write_text(STUB, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEX_") or k == "CODEX_UNSAFE_EXEC"}
    env["CODEXCLI_HOME"] = str(tmp_path / "home")
    # A 135M model is often wrong: "form" writes a body that compiles, which is what the editor
    # path has to carry to the disk; the evidence bar itself is tested with the fake backend.
    fill_in_neovim(path, env, {"evidence": "form"}, timeout=900)
    text = path.read_text(encoding="utf-8")
    body = text.split('"""')[-1]
    assert "..." not in body and body.strip()
    compile(text, str(path), "exec")
