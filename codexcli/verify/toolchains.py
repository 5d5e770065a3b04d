"""Compilers and runners for the languages codex translates to, used in the sandbox.

Each language has a Toolchain: the executables it needs, how to compile a whole file (the check a
translation must pass before it is written), and how to build and run a program made of several
files (the behaviour harness). A toolchain whose executables are not on PATH reports "not
verified" (``SyntaxCheck.ok is None``), never success.

Compilers run through the sandbox too: a compiler is not the model's code, but a Java annotation
or a C++ template can still eat memory or time, and the sandbox bounds both.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from codexcli.verify.sandbox import Limits, run
from codexcli.verify.syntax import SyntaxCheck

COMPILE_LIMITS = Limits(timeout_s=60.0, memory_mb=1536, processes=128)

# The JVM reserves far more address space than it uses; these keep javac/java inside the
# sandbox's RLIMIT_AS (measured: plain javac fails under a 1 GiB limit, these flags pass).
JAVAC_FLAGS = ("-J-Xmx256m", "-J-XX:ReservedCodeCacheSize=64m", "-J-XX:-UseCompressedClassPointers", "-J-XX:+UseSerialGC")
JAVA_FLAGS = ("-Xmx256m", "-XX:ReservedCodeCacheSize=32m", "-XX:-UseCompressedClassPointers", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss8m")


@dataclass(frozen=True)
class Toolchain:
    """How to check, build and run one language. Argument templates use ``{src}`` (the main
    source file), ``{srcs}`` (every source file, split into separate arguments), ``{main}`` (the
    harness entry: a class or file name) and ``{exe}`` (a built program)."""

    language: str
    suffix: str
    check: tuple[str, ...]
    build: tuple[tuple[str, ...], ...] = ()
    run: tuple[str, ...] = ()
    needs: tuple[str, ...] = field(default=())
    label: str = ""  # how reports name the check, e.g. "javac"

    def missing(self) -> list[str]:
        """Executables this toolchain needs that are not available."""
        return [exe for exe in self.needs if resolve_tool(exe) is None]


def resolve_tool(exe: str) -> str | None:
    """Full path of a toolchain executable: ``CODEX_<EXE>`` in the environment (e.g. CODEX_TSC),
    then PATH, then node_modules/.bin of the current folder or codex's own checkout (where
    ``make setup`` installs TypeScript)."""
    override = os.environ.get(f"CODEX_{exe.upper().replace('-', '_')}")
    if override:
        return override if Path(override).is_file() else None
    if exe == "python":
        return sys.executable
    found = shutil.which(exe)
    if found:
        return found
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        local = base / "node_modules" / ".bin" / exe
        if local.is_file():
            return str(local)
    return None


TOOLCHAINS: dict[str, Toolchain] = {
    "python": Toolchain(
        "python", ".py", ("python", "-m", "py_compile", "{src}"),
        run=("python", "{main}"), needs=("python",), label="python -m py_compile",
    ),
    "java": Toolchain(
        "java", ".java", ("javac", *JAVAC_FLAGS, "-d", "{sandbox}/__classes__", "{src}"),
        build=(("javac", *JAVAC_FLAGS, "-d", ".", "{srcs}"),),
        run=("java", *JAVA_FLAGS, "-cp", ".", "{main}"), needs=("javac", "java"), label="javac",
    ),
    "javascript": Toolchain(
        "javascript", ".js", ("node", "--check", "{src}"),
        run=("node", "{main}"), needs=("node",), label="node --check",
    ),
    "typescript": Toolchain(
        "typescript", ".ts",
        ("tsc", "--noEmit", "--target", "es2020", "--lib", "es2020,dom", "--module", "commonjs", "{src}"),
        build=(("tsc", "--target", "es2020", "--lib", "es2020,dom", "--module", "commonjs", "--outDir", "out", "{srcs}"),),
        run=("node", "out/{main}"), needs=("tsc", "node"), label="tsc --noEmit",
    ),
    "cpp": Toolchain(
        "cpp", ".cpp", ("g++", "-std=c++17", "-fsyntax-only", "{src}"),
        build=(("g++", "-std=c++17", "-O1", "-o", "prog", "{src}"),),
        run=("./prog",), needs=("g++",), label="g++ -fsyntax-only",
    ),
    "go": Toolchain(
        "go", ".go", ("go", "vet", "{src}"),
        build=(("go", "build", "-o", "prog", "{srcs}"),),
        run=("./prog",), needs=("go",), label="go vet",
    ),
    "rust": Toolchain(
        "rust", ".rs", ("rustc", "--edition", "2021", "--crate-type", "lib", "--emit=metadata", "-o", "{sandbox}/lib.rmeta", "{src}"),
        build=(("rustc", "--edition", "2021", "-O", "-o", "prog", "{src}"),),
        run=("./prog",), needs=("rustc",), label="rustc",
    ),
    # No .NET SDK is assumed: csc (Roslyn) or mcs (Mono) compile a single file to a library.
    "csharp": Toolchain(
        "csharp", ".cs", ("csc", "-nologo", "-t:library", "-out:{sandbox}/lib.dll", "{src}"),
        needs=("csc",), label="csc",
    ),
}


def toolchain_for(language: str) -> Toolchain:
    """The toolchain of a canonical language name (KeyError for an unknown one)."""
    chain = TOOLCHAINS[language]
    if language == "csharp" and resolve_tool("csc") is None and resolve_tool("mcs") is not None:
        return Toolchain("csharp", ".cs", ("mcs", "-t:library", "-out:{sandbox}/lib.dll", "{src}"), needs=("mcs",), label="mcs")
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
