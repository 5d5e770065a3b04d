"""The languages codex knows: one entry each, and the one way to resolve a name to an entry.

An entry says how the language is named (to users, to the model, on code fences), which files
hold it, how it comments, and which checks exist for it: a quick syntax check (``codex
generate``), a toolchain that compiles, builds and runs it (``codex translate`` targets exactly the
languages that have one), a behaviour harness that runs a translated function on the original's
inputs, the rules `codex translate` writes it by (naming, imports, wrappers, the functions an
answer defines, what the model is told, the writer of what codex writes itself:
langspec.TranslateRules), and how `codex index` reads its definitions (langspec.TreeSitter).
Adding a language is adding an entry (a langspec.Language) to LANGUAGES: the index, the checkers,
translate and the harness read the entry and keep no table of their own. Every table derived from the registry
(``derived``) follows LANGUAGES, so a test that swaps in a longer tuple sees each consumer follow.

Why some facts are data and two are references. This is a low layer (tasks/, verify/ and index/
import it; it imports none of them, not even inside a function, so the import graph stays
acyclic). A tree-sitter spec, a definition pattern and translate rules are plain data, so the
entry holds them whole. A harness builder and a signature writer are code of a higher layer, so
the entry names them by a string that the consumer resolves where it runs them: a name defined
in the consumer's module (``harness="java_program"``: verify/compare/harness.py; ``writes=
"JAVA_WRITER"``: tasks/translate/sig.py), or ``"module:name"`` for one defined anywhere else,
so a new language's builder can live in a module of its own. Names, not dotted paths, for the
built-in ones: they survive their module moving. tests/unit/test_languages.py resolves every
reference of every entry.

Pure data and lookups: nothing here runs a tool (``Toolchain.missing`` only looks one up).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, TypeVar

from codexcli.errors import UsageError
from codexcli.langspec import (
    JAVA_FLAGS,
    JAVAC_FLAGS,
    JAVADOC,
    JS_TESTS,
    JSDOC,
    JUNIT_TESTS,
    TS_TESTS,
    Language,
    TestRules,
    Toolchain,
    TranslateRules,
    TreeSitter,
    resolve_tool,
)

__all__ = ["LANGUAGES", "Language", "TestRules", "Toolchain", "TranslateRules", "TreeSitter", "resolve_tool"]

T = TypeVar("T")

# A Java, C# or C++ function definition: a return type, the name, then the parameter list.
_TYPED_DEF = r"[\w>\]&*?]\s+{name}\s*(<[^>]*>)?\s*\("
# Node types shared by the grammars of JavaScript and TypeScript (and TSX, one of TypeScript's).
_JS_FUNCS = frozenset({"function_declaration", "generator_function_declaration", "method_definition"})
_JS_WRAP = frozenset({"export_statement", "lexical_declaration", "variable_declaration"})
_TS_CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "interface_declaration"})
# Functions a JavaScript or TypeScript answer defines: `function f(`, or `const f =` an arrow
# function or function expression (the conditional group picks the tail that fits the head).
_JS_DEFINITIONS = (
    r"\b(?:function\s*\*?\s*|(?P<bound>const|let|var)\s+)(?P<name>\w+)"
    r"(?(bound)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|\w+\s*=>)|\s*[<(])"
)


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
            definitions=r"^(?:async\s+)?def\s+(?P<name>\w+)\s*\(",
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
        harness="java_program",
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
            writes="JAVA_WRITER",
        ),
        tree_sitter=TreeSitter(
            "tree_sitter_java",
            "language",
            frozenset({"method_declaration", "constructor_declaration"}),
            frozenset({"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"}),
        ),
        tests=JUNIT_TESTS,
        doc_comment=JAVADOC,
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
        harness="node_program",
        translate=TranslateRules(
            "camel",
            r"^(import\s.*from\s.*;?|import\s+['\"].*|(const|let|var)\s+.*=\s*require\(.*\);?)\s*$",
            r"\bfunction\s*\*?\s*{name}\s*[<(]|\b(const|let|var)\s+{name}\s*[:=]",
            # SmolLM2 wrote TypeScript annotations into JavaScript until told (measured on examples/).
            "a plain JavaScript function named `{name}` (no type annotations); no exports, no example usage",
            drop=r"^(module\.)?exports(\.\w+)?\s*=.*$|^['\"]use strict['\"];?\s*$",
            strip_export=True,
            exports="module.exports = { {names} };",
            definitions=_JS_DEFINITIONS,
        ),
        tree_sitter=TreeSitter(
            "tree_sitter_javascript",
            "language",
            _JS_FUNCS,
            frozenset({"class_declaration"}),
            wrappers=_JS_WRAP,
            extra=((".jsx", ""),),
        ),
        tests=JS_TESTS,
        doc_comment=JSDOC,
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
        harness="node_program",
        translate=TranslateRules(
            "camel",
            r"^(import\s.*from\s.*;?|import\s+['\"].*)\s*$",
            r"\bfunction\s*\*?\s*{name}\s*[<(]|\b(const|let|var)\s+{name}\s*[:=]",
            "a function named `{name}` with type annotations; no exports, no example usage",
            drop=r"^export\s*\{.*\}\s*;?\s*$",
            strip_export=True,
            exports="export { {names} };",
            definitions=_JS_DEFINITIONS,
            writes="codexcli.tasks.translate.sig_typed:TS_WRITER",
        ),
        tree_sitter=TreeSitter(
            "tree_sitter_typescript",
            "language_typescript",
            _JS_FUNCS,
            _TS_CLASSES,
            wrappers=_JS_WRAP,
            extra=((".tsx", "language_tsx"),),
        ),
        tests=TS_TESTS,
        doc_comment=JSDOC,
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
        harness="cpp_program",
        translate=TranslateRules(
            "",
            r"^(#include\s*[<\"].*|using\s+namespace\s+\w+\s*;)\s*$",
            _TYPED_DEF,
            "a C++17 function named `{name}` (long long for integers, std::string, std::vector, std::map); no main function",
            main=r"^[ \t]*int\s+main\s*\(",
            writes="codexcli.tasks.translate.sig_typed:CPP_WRITER",
        ),
        tree_sitter=TreeSitter(
            "tree_sitter_cpp",
            "language",
            frozenset({"function_definition"}),
            frozenset({"class_specifier", "struct_specifier"}),
            scopes=frozenset({"namespace_definition"}),
            wrappers=frozenset({"template_declaration"}),
            extra=((".hh", ""),),
        ),
    ),
    Language(
        "c",
        "C",
        "c",
        (),
        (".c",),
        "//",
        syntax=("gcc", "-fsyntax-only", "-x", "c"),
        tree_sitter=TreeSitter(
            "tree_sitter_c",
            "language",
            frozenset({"function_definition"}),
            frozenset({"struct_specifier"}),
            extra=((".h", ""),),
        ),
    ),
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
            definitions=r"\bfunc\s+(?:\([^)]*\)\s*)?(?P<name>\w+)\s*[\[(]",
        ),
        tree_sitter=TreeSitter(
            "tree_sitter_go",
            "language",
            frozenset({"function_declaration", "method_declaration"}),
            frozenset({"type_spec"}),
            wrappers=frozenset({"type_declaration"}),
            receivers=frozenset({"method_declaration"}),
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
                "-A",
                "warnings",
                "-o",
                "{sandbox}/lib.rmeta",
                "{src}",
            ),
            build=(("rustc", "--edition", "2021", "-O", "-o", "prog", "{src}"),),
            run=("./prog",),
            needs=("rustc",),
            label="rustc",
        ),
        harness="rust_program",
        translate=TranslateRules(
            "snake",
            r"^use\s+[\w:{}, *]+;\s*$",
            r"\bfn\s+{name}\s*[<(]",
            "a function `pub fn {name}` (i64 for integers, String, Vec, HashMap); no main function",
            file_naming="snake",
            main=r"^[ \t]*fn\s+main\s*\(",
            class_prompt="a `pub struct {name}` with an `impl` block",
            definitions=r"\bfn\s+(?P<name>\w+)\s*[<(]",
            writes="codexcli.tasks.translate.sig_rust:RUST_WRITER",
        ),
        tree_sitter=TreeSitter(
            "tree_sitter_rust",
            "language",
            frozenset({"function_item"}),
            frozenset({"struct_item", "enum_item", "trait_item"}),
            scopes=frozenset({"impl_item", "mod_item"}),
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
        tree_sitter=TreeSitter(
            "tree_sitter_c_sharp",
            "language",
            frozenset({"method_declaration", "constructor_declaration"}),
            frozenset(
                {
                    "class_declaration",
                    "struct_declaration",
                    "interface_declaration",
                    "record_declaration",
                    "enum_declaration",
                }
            ),
            scopes=frozenset({"namespace_declaration"}),
        ),
    ),
)

_DERIVED: dict[Callable[..., Any], tuple[tuple[Language, ...], Any]] = {}


def derived(build: Callable[[tuple[Language, ...]], T]) -> T:
    """``build(LANGUAGES)``, built once per registry: the lookup tables here and a consumer's
    own (the index's suffixes). A registry swapped for another tuple is seen on the next call."""
    found = _DERIVED.get(build)
    if found is None or found[0] is not LANGUAGES:
        found = _DERIVED[build] = (LANGUAGES, build(LANGUAGES))
    result: T = found[1]
    return result


def _by_name(registry: tuple[Language, ...]) -> dict[str, Language]:
    return {language.name: language for language in registry}


def _by_tag(registry: tuple[Language, ...]) -> dict[str, Language]:
    return {tag.lower(): language for language in registry for tag in language.tags}


def _by_suffix(registry: tuple[Language, ...]) -> dict[str, Language]:
    return {suffix.lower(): language for language in registry for suffix in language.suffixes}


def get(name: str) -> Language:
    """The entry of a canonical language name (KeyError for an unknown one)."""
    return derived(_by_name)[name]


def lookup(name: str) -> Language | None:
    """The language a name, alias or code-fence tag means (case-insensitive), or None."""
    return derived(_by_tag).get(name.strip().lower())


def by_suffix(suffix: str) -> Language | None:
    """The language of a file suffix such as ``.py`` (case-insensitive), or None."""
    return derived(_by_suffix).get(suffix.lower())


def translatable() -> tuple[Language, ...]:
    """The languages `codex translate` reads and writes, in registry order."""
    return tuple(language for language in LANGUAGES if language.translatable)


def resolve(name: str, supported: Iterable[Language] | None = None, *, listed: Iterable[str] | None = None) -> Language:
    """The entry ``name`` means, when it is one of ``supported`` (default: all); else UsageError
    listing them (in ``listed`` order when given, else in ``supported`` order)."""
    pool = tuple(LANGUAGES if supported is None else supported)
    found = lookup(name)
    if found is None or found not in pool:
        names = listed if listed is not None else [language.name for language in pool]
        raise UsageError(f"unknown language {name!r}; supported: {', '.join(names)}")
    return found
