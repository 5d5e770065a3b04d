"""The languages codex knows: one entry each, and the one way to resolve a name to an entry.

An entry says how the language is named (to users, to the model, on code fences), which files
hold it, how it comments, and which checks exist for it: a quick syntax check (``codex
generate``), a toolchain that compiles, builds and runs it (``codex translate`` targets exactly the
languages that have one), a behaviour harness (verify/compare/harness.py) that runs a translated
function on the original's inputs, and the rules `codex translate` writes it by (naming, imports,
wrappers, what the model is told: langspec.TranslateRules). Adding a language is adding an entry
to LANGUAGES; the checkers and translate read the entry and need no table of their own.

Pure data and lookups: nothing here runs a tool (``Toolchain.missing`` only looks one up).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from codexcli.errors import UsageError
from codexcli.langspec import JAVA_FLAGS, JAVAC_FLAGS, Toolchain, TranslateRules, resolve_tool

__all__ = ["LANGUAGES", "Language", "Toolchain", "TranslateRules", "resolve_tool"]

# A Java, C# or C++ function definition: a return type, the name, then the parameter list.
_TYPED_DEF = r"[\w>\]&*?]\s+{name}\s*(<[^>]*>)?\s*\("


@dataclass(frozen=True)
class Language:
    """Everything codex knows about one language.

    ``name`` is canonical (what every other module passes around); ``aliases`` are the other
    names and code-fence tags people and models use for it; ``fence`` is the tag codex writes.
    ``suffixes`` are the file suffixes that mean this language, the first being the one codex
    writes. ``syntax`` is the argv (the file is appended) of a syntax-only check, empty where
    codex has none; Python is parsed in-process instead (parsing runs nothing). ``harness`` names
    the behaviour-harness style of verify/compare/harness.py, None where there is none."""

    name: str
    display: str
    fence: str
    aliases: tuple[str, ...]
    suffixes: tuple[str, ...]
    comment: str
    syntax: tuple[str, ...] = ()
    toolchain: Toolchain | None = None
    harness: str | None = None
    translate: TranslateRules | None = None  # how `codex translate` writes it (with a toolchain)

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
        translate=TranslateRules(
            "snake",
            r"^(import\s+\S|from\s+\S+\s+import\s)",
            r"^\s*(async\s+)?def\s+{name}\s*\(",
            "a Python 3 function named `{name}`",
            file_naming="snake",
            gap="\n\n\n",
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
        translate=TranslateRules(
            "camel",
            r"^import\s+[\w.*\s]+;\s*$",
            _TYPED_DEF,
            "a `public static` method named `{name}` (it goes inside `public class {owner}`); no class around it, no main method",
            file_naming="class",
            drop=r"^package\s+[\w.]+;\s*$",
            main=r"^[ \t]*(public\s+)?static\s+void\s+main\s*\(",
            wrapper="public class",
            class_prompt="a `public static class {name}` (it goes inside `public class {owner}`)",
            constants_prompt="`static final` fields (they go inside `public class {owner}`)",
            import_hint=False,
            writes="java",
        ),
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
        translate=TranslateRules(
            "camel",
            r"^(import\s.*from\s.*;?|import\s+['\"].*|(const|let|var)\s+.*=\s*require\(.*\);?)\s*$",
            r"\bfunction\s*\*?\s*{name}\s*[<(]|\b(const|let|var)\s+{name}\s*[:=]",
            # SmolLM2 wrote TypeScript annotations into JavaScript until told (measured on examples/).
            "a plain JavaScript function named `{name}` (no type annotations); no exports, no example usage",
            drop=r"^(module\.)?exports(\.\w+)?\s*=.*$|^['\"]use strict['\"];?\s*$",
            strip_export=True,
            exports="module.exports = { {names} };",
        ),
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
        translate=TranslateRules(
            "camel",
            r"^(import\s.*from\s.*;?|import\s+['\"].*)\s*$",
            r"\bfunction\s*\*?\s*{name}\s*[<(]|\b(const|let|var)\s+{name}\s*[:=]",
            "a function named `{name}` with type annotations; no exports, no example usage",
            drop=r"^export\s*\{.*\}\s*;?\s*$",
            strip_export=True,
            exports="export { {names} };",
        ),
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
        translate=TranslateRules(
            "",
            r"^(#include\s*[<\"].*|using\s+namespace\s+\w+\s*;)\s*$",
            _TYPED_DEF,
            "a C++17 function named `{name}` (long long for integers, std::string, std::vector, std::map); no main function",
            main=r"^[ \t]*int\s+main\s*\(",
        ),
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
        translate=TranslateRules(
            "camel",
            r"^import\s+(\w+\s+)?\".*\"\s*$",
            r"\bfunc\s+{name}\s*[\[(]",
            "a Go function named `{name}`; no package clause, no main function",
            file_naming="snake",
            drop=r"^package\s+\w+\s*$",
            main=r"^func\s+main\s*\(",
            import_block=True,
            package=True,
            class_prompt="a struct type `{name}` with its methods; no package clause",
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
        translate=TranslateRules(
            "snake",
            r"^use\s+[\w:{}, *]+;\s*$",
            r"\bfn\s+{name}\s*[<(]",
            "a function `pub fn {name}` (i64 for integers, String, Vec, HashMap); no main function",
            file_naming="snake",
            main=r"^[ \t]*fn\s+main\s*\(",
            class_prompt="a `pub struct {name}` with an `impl` block",
        ),
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
        translate=TranslateRules(
            "pascal",
            r"^using\s+[\w.]+\s*;\s*$",
            _TYPED_DEF,
            "a `public static` method named `{name}` (it goes inside `public static class {owner}`); no class around it, no Main method",
            file_naming="class",
            drop=r"^namespace\s+[\w.]+\s*;\s*$",
            main=r"^[ \t]*(public\s+|private\s+)?static\s+(void|int)\s+Main\s*\(",
            wrapper="public static class",
            class_prompt="a `public class {name}` (it goes inside `public static class {owner}`)",
            constants_prompt="`const` or `static readonly` fields (they go inside `public static class {owner}`)",
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
