"""Compilers and runners for the languages codex translates to, used in the sandbox.

Each language's entry in codexcli.languages has a Toolchain: the executables it needs, how to
compile a whole file (the check a translation must pass before it is written), and how to build
and run a program made of several files (the behaviour harness). A toolchain whose executables
are not on PATH reports "not verified" (``SyntaxCheck.ok is None``), never success.

Compilers run through the sandbox too: a compiler is not the model's code, but a Java annotation
or a C++ template can still eat memory or time, and the sandbox bounds both.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from codexcli import languages
from codexcli.languages import Toolchain, resolve_tool
from codexcli.verify.sandbox.sandbox import Limits, run
from codexcli.verify.static.syntax import SyntaxCheck

COMPILE_LIMITS = Limits(timeout_s=60.0, memory_mb=1536, processes=128)


def toolchain_for(language: str) -> Toolchain:
    """The toolchain of a canonical language name (its entry in codexcli.languages), or its
    fallback when only the fallback's executables are there. KeyError for a language without one."""
    chain = languages.get(language).toolchain
    if chain is None:
        raise KeyError(language)
    if chain.fallback is not None and chain.missing() and not chain.fallback.missing():
        return chain.fallback
    return chain


def expand(template: tuple[str, ...], *, src: str = "", srcs: tuple[str, ...] = (), main: str = "") -> list[str]:
    """Fill an argument template; the first word becomes the tool's full path."""
    out: list[str] = []
    for i, arg in enumerate(template):
        if arg == "{srcs}":
            out += list(srcs)
            continue
        value = arg.replace("{src}", src).replace("{main}", main)
        if i == 0 and not value.startswith("./"):
            value = resolve_tool(value) or value
        out.append(value)
    return out


def compile_check(code: str, language: str, filename: str, *, limits: Limits = COMPILE_LIMITS) -> SyntaxCheck:
    """Compile ``code`` saved as ``filename`` with the language's toolchain, in the sandbox.

    ``ok`` is True when it compiles, False with the first error lines when it does not, and None
    when the toolchain is not installed (not verified)."""
    if language == "python":
        # compile() only compiles (what py_compile does), in-process, and reports the line.
        try:
            compile(code, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            where = f" ({filename}:{exc.lineno})" if isinstance(exc, SyntaxError) else ""
            return SyntaxCheck(False, "python compile", f"{getattr(exc, 'msg', exc)}{where}")
        return SyntaxCheck(True, "python compile")
    chain = toolchain_for(language)
    missing = chain.missing()
    if missing:
        return SyntaxCheck(None, chain.check[0], f"{', '.join(missing)} is not on PATH")
    argv = expand(chain.check, src=filename)
    result = run(argv, files={filename: code}, limits=limits, env=toolchain_env())
    checker = chain.label or chain.check[0]
    if result.timed_out:
        return SyntaxCheck(False, checker, f"{chain.check[0]} timed out")
    if result.returncode != 0:
        return SyntaxCheck(False, checker, compiler_errors(result.stderr or result.stdout))
    return SyntaxCheck(True, checker)


_SANDBOX_PATH = re.compile(r"/\S*codex-sandbox-[^/\s]+/")


def toolchain_env() -> dict[str, str]:
    """Variables compilers need in the sandbox's minimal environment (rustup finds its
    toolchains through RUSTUP_HOME, which defaults to ~/.rustup of the real HOME)."""
    env = {}
    home = Path(os.environ.get("HOME", str(Path.home())))
    for var, default in (("RUSTUP_HOME", home / ".rustup"), ("CARGO_HOME", home / ".cargo")):
        value = os.environ.get(var) or (str(default) if default.is_dir() else "")
        if value:
            env[var] = value
    for var in ("GOPATH", "GOROOT", "GOCACHE", "DOTNET_ROOT"):
        if os.environ.get(var):
            env[var] = os.environ[var]
    return env


def compiler_errors(output: str, max_lines: int = 6) -> str:
    """The first few meaningful lines of a compiler's output (what is fed back to the model)."""
    lines = [ln.rstrip() for ln in output.splitlines() if ln.strip()]
    lines = [_SANDBOX_PATH.sub("", ln) for ln in lines]
    errors = [ln for ln in lines if "error" in ln.lower() or ln.lstrip().startswith("-->")]
    chosen = errors[:max_lines] if errors else lines[:max_lines]
    # node puts the file:line of a syntax error on the first line, the message later.
    if errors and lines and lines[0] not in chosen and re.match(r"^\S+:\d+", lines[0]):
        chosen = [lines[0], *chosen[: max_lines - 1]]
    return "\n".join(chosen)[:1200] or "the compiler failed without a message"
