"""The languages codex knows: one entry each, and the one way to resolve a name to an entry.

An entry says how the language is named (to users, to the model, on code fences), which files
hold it, how it comments, and which checks exist for it: a quick syntax check (``codex
generate``), a toolchain that compiles, builds and runs it (``codex translate`` targets exactly the
languages that have one), and a behaviour harness (verify/harness.py) that runs a translated
function on the original's inputs. Adding a language is adding an entry to LANGUAGES; the
checkers read the entry and need no table of their own.

Pure data and lookups: nothing here runs a tool (``Toolchain.missing`` only looks one up).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from codexcli.errors import UsageError

# The JVM reserves far more address space than it uses; these keep javac/java inside the
# sandbox's RLIMIT_AS (measured: plain javac fails under a 1 GiB limit, these flags pass).
JAVAC_FLAGS = (
    "-J-Xmx256m",
    "-J-XX:ReservedCodeCacheSize=64m",
    "-J-XX:-UseCompressedClassPointers",
    "-J-XX:+UseSerialGC",
)
JAVA_FLAGS = (
    "-Xmx256m",
    "-XX:ReservedCodeCacheSize=32m",
    "-XX:-UseCompressedClassPointers",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Xss8m",
)


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
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        local = base / "node_modules" / ".bin" / exe
        if local.is_file():
            return str(local)
    return None


@dataclass(frozen=True)
class Toolchain:
    """How to check, build and run one language (verify/toolchains.py runs it in the sandbox).
    Argument templates use ``{src}`` (the main source file), ``{srcs}`` (every source file, split
    into separate arguments), ``{main}`` (the harness entry: a class or file name), ``{exe}`` (a
    built program) and ``{sandbox}`` (the sandbox folder). ``fallback`` is used instead when this
    toolchain's executables are missing and the fallback's are not."""

    check: tuple[str, ...]
    build: tuple[tuple[str, ...], ...] = ()
    run: tuple[str, ...] = ()
    needs: tuple[str, ...] = field(default=())
    label: str = ""  # how reports name the check, e.g. "javac"
    fallback: Toolchain | None = None

    def missing(self) -> list[str]:
        """Executables this toolchain needs that are not available."""
        return [exe for exe in self.needs if resolve_tool(exe) is None]


@dataclass(frozen=True)
class Language:
    """Everything codex knows about one language.

    ``name`` is canonical (what every other module passes around); ``aliases`` are the other
    names and code-fence tags people and models use for it; ``fence`` is the tag codex writes.
    ``suffixes`` are the file suffixes that mean this language, the first being the one codex
    writes. ``syntax`` is the argv (the file is appended) of a syntax-only check, empty where
    codex has none; Python is parsed in-process instead (parsing runs nothing). ``harness`` names
    the behaviour-harness style of verify/harness.py, None where there is none."""

    name: str
    display: str
    fence: str
    aliases: tuple[str, ...]
    suffixes: tuple[str, ...]
    comment: str
    syntax: tuple[str, ...] = ()
    toolchain: Toolchain | None = None
    harness: str | None = None

    @property
    def suffix(self) -> str:
        """The suffix of files codex writes in this language."""
        return self.suffixes[0]

    @property
    def tags(self) -> tuple[str, ...]:
        """Every lower-case name that means this language: its name, fence tag and aliases."""
        return tuple(dict.fromkeys((self.name, self.fence, *self.aliases)))

    @property
    def translatable(self) -> bool:
        """``codex translate`` reads and writes the languages it can compile."""
        return self.toolchain is not None


# Order matters only for messages: `codex translate` lists its languages in this order.
LANGUAGES: tuple[Language, ...] = (
    Language(
        "python",
        "Python",
        "python",
        ("py", "python3"),
        (".py",),
        "#",
        toolchain=Toolchain(
            ("python", "-m", "py_compile", "{src}"),
            run=("python", "{main}"),
            needs=("python",),
            label="python -m py_compile",
        ),
    ),
    Language(
        "java",
        "Java",
        "java",
        (),
        (".java",),
        "//",
        toolchain=Toolchain(
            ("javac", *JAVAC_FLAGS, "-d", "{sandbox}/__classes__", "{src}"),
            build=(("javac", *JAVAC_FLAGS, "-d", ".", "{srcs}"),),
            run=("java", *JAVA_FLAGS, "-cp", ".", "{main}"),
            needs=("javac", "java"),
            label="javac",
        ),
        harness="java",
    ),
    Language(
        "javascript",
        "JavaScript",
        "javascript",
        ("js", "node", "mjs"),
        (".js", ".mjs", ".cjs"),
        "//",
        syntax=("node", "--check"),
        toolchain=Toolchain(
            ("node", "--check", "{src}"), run=("node", "{main}"), needs=("node",), label="node --check"
        ),
        harness="node",
    ),
    Language(
        "typescript",
        "TypeScript",
        "typescript",
        ("ts",),
        (".ts",),
        "//",
        toolchain=Toolchain(
            ("tsc", "--noEmit", "--target", "es2020", "--lib", "es2020,dom", "--module", "commonjs", "{src}"),
            build=(
                (
                    "tsc",
                    "--target",
                    "es2020",
                    "--lib",
                    "es2020,dom",
                    "--module",
                    "commonjs",
                    "--outDir",
                    "out",
                    "{srcs}",
                ),
            ),
            run=("node", "out/{main}"),
            needs=("tsc", "node"),
            label="tsc --noEmit",
        ),
        harness="node",
    ),
    Language(
        "cpp",
        "C++",
        "cpp",
        ("c++", "cxx", "cc"),
        (".cpp", ".cc", ".cxx", ".hpp"),
        "//",
        syntax=("g++", "-fsyntax-only", "-std=c++17", "-x", "c++"),
        toolchain=Toolchain(
            ("g++", "-std=c++17", "-fsyntax-only", "{src}"),
            build=(("g++", "-std=c++17", "-O1", "-o", "prog", "{src}"),),
            run=("./prog",),
            needs=("g++",),
            label="g++ -fsyntax-only",
        ),
        harness="cpp",
    ),
    Language("c", "C", "c", (), (".c",), "//", syntax=("gcc", "-fsyntax-only", "-x", "c")),
    Language(
        "go",
        "Go",
        "go",
        ("golang",),
        (".go",),
        "//",
        syntax=("gofmt", "-e"),
        toolchain=Toolchain(
            ("go", "vet", "{src}"),
            build=(("go", "build", "-o", "prog", "{srcs}"),),
            run=("./prog",),
            needs=("go",),
            label="go vet",
        ),
    ),
    Language(
        "rust",
        "Rust",
        "rust",
        ("rs",),
        (".rs",),
        "//",
        toolchain=Toolchain(
            (
                "rustc",
                "--edition",
                "2021",
                "--crate-type",
                "lib",
                "--emit=metadata",
                "-o",
                "{sandbox}/lib.rmeta",
                "{src}",
            ),
            build=(("rustc", "--edition", "2021", "-O", "-o", "prog", "{src}"),),
            run=("./prog",),
            needs=("rustc",),
            label="rustc",
        ),
        harness="rust",
    ),
    Language(
        "csharp",
        "C#",
        "csharp",
        ("cs", "c#"),
        (".cs",),
        "//",
        # No .NET SDK is assumed: csc (Roslyn) or mcs (Mono) compile a single file to a library.
        toolchain=Toolchain(
            ("csc", "-nologo", "-t:library", "-out:{sandbox}/lib.dll", "{src}"),
            needs=("csc",),
            label="csc",
            fallback=Toolchain(("mcs", "-t:library", "-out:{sandbox}/lib.dll", "{src}"), needs=("mcs",), label="mcs"),
        ),
    ),
)

_BY_NAME = {language.name: language for language in LANGUAGES}
_BY_TAG = {tag.lower(): language for language in LANGUAGES for tag in language.tags}
_BY_SUFFIX = {suffix.lower(): language for language in LANGUAGES for suffix in language.suffixes}


def get(name: str) -> Language:
    """The entry of a canonical language name (KeyError for an unknown one)."""
    return _BY_NAME[name]


def lookup(name: str) -> Language | None:
    """The language a name, alias or code-fence tag means (case-insensitive), or None."""
    return _BY_TAG.get(name.strip().lower())


def by_suffix(suffix: str) -> Language | None:
    """The language of a file suffix such as ``.py`` (case-insensitive), or None."""
    return _BY_SUFFIX.get(suffix.lower())


def translatable() -> tuple[Language, ...]:
    """The languages `codex translate` reads and writes, in registry order."""
    return tuple(language for language in LANGUAGES if language.translatable)


def resolve(name: str, supported: Iterable[Language] = LANGUAGES, *, listed: Iterable[str] | None = None) -> Language:
    """The entry ``name`` means, when it is one of ``supported``; else UsageError listing them
    (in ``listed`` order when given, else in ``supported`` order)."""
    pool = tuple(supported)
    found = lookup(name)
    if found is None or found not in pool:
        names = listed if listed is not None else [language.name for language in pool]
        raise UsageError(f"unknown language {name!r}; supported: {', '.join(names)}")
    return found
