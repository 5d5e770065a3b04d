"""Language conventions for `codex translate`: names, file names, imports, wrappers, comments.

Pure functions on text, driven by each language's ``translate`` rules in codexcli/languages.py
(the one registry: adding a language is one entry there). A translation is made per top-level
definition; each piece's import lines are split off, merged (without duplicates) and put at the
top, and the bodies are wrapped the way the target expects: Java and C# methods inside a class
named after the file, Go under a package clause, JavaScript with ``module.exports``, TypeScript
with ``export { ... }``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from codexcli import languages
from codexcli.errors import UsageError
from codexcli.languages import TranslateRules


def rules(language: str) -> TranslateRules:
    """The translate rules of a language codex translates to (see languages.LANGUAGES)."""
    found = languages.get(language).translate
    if found is None:
        raise KeyError(f"{language} has no translate rules")
    return found


def resolve_target(name: str) -> str:
    """Canonical name of a language codex translates between, or UsageError listing them."""
    return languages.resolve(name, languages.translatable()).name


def detect_source(path: Path, given: str | None) -> str:
    """The source language: ``--from`` if given, else from the file's extension."""
    if given:
        return resolve_target(given)
    found = languages.by_suffix(path.suffix)
    if found is None or not found.translatable:
        names = ", ".join(language.name for language in languages.translatable())
        raise UsageError(
            f"cannot tell the language of {path} from its extension; pass --from LANG (supported: {names})"
        )
    return found.name


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def pascal_case(name: str) -> str:
    out = "".join(w[:1].upper() + w[1:] for w in _words(name))
    return out if out and not out[0].isdigit() else "Main" + out


def camel_case(name: str) -> str:
    p = pascal_case(name)
    return p[:1].lower() + p[1:]


def snake_case(name: str) -> str:
    out = "_".join(w.lower() for w in _words(name))
    return out if out and not out[0].isdigit() else "m_" + out


def function_name(name: str, language: str) -> str:
    """What a function called ``name`` is called in ``language`` by its conventions."""
    case = {"camel": camel_case, "pascal": pascal_case, "snake": snake_case}.get(rules(language).naming)
    return case(name) if case is not None else name


# Classes every Java file sees (java.lang) or C# file commonly does (System): a translated class
# with one of these names shadows it, and the file (and codex's harness, which uses System.out)
# no longer compiles. Such a name gets a "Module" suffix.
_RESERVED_CLASSES = frozenset(
    "Object String System Class Math Integer Long Double Float Boolean Character Byte Short Number "
    "Thread Runtime Process Exception Error Throwable RuntimeException Iterable Comparable Record "
    "Enum Void StringBuilder Override Deprecated Module Package Console Convert Array Action Func "
    "Tuple Type Attribute Environment GC Random".split()
)


def safe_class_name(name: str) -> str:
    """``name``, or ``name + "Module"`` when it would shadow a class of the target's runtime."""
    return name + "Module" if name in _RESERVED_CLASSES else name


def output_path(source: Path, language: str, out: Path | None) -> Path:
    """Where the translation goes: ``--out``, else next to the source with the target's file
    name convention (Java and C#: PascalCase, named like the class; Python, Rust: snake_case)."""
    if out is not None:
        return out
    stem, naming = source.stem, rules(language).file_naming
    if naming == "class":
        stem = safe_class_name(pascal_case(stem))
    elif naming == "snake":
        stem = snake_case(stem)
    return source.with_name(stem + languages.get(language).suffix)


def owner_class(path: Path) -> str:
    """The class a Java or C# file must declare (named after the file)."""
    return safe_class_name(pascal_case(path.stem) if not re.fullmatch(r"[A-Za-z_]\w*", path.stem) else path.stem)


def go_package(path: Path) -> str:
    """A Go package name for a file: its stem, lower-case letters and digits only."""
    name = re.sub(r"[^a-z0-9]", "", path.stem.lower())
    return name if name and not name[0].isdigit() else "main"


def split_imports(code: str, language: str) -> tuple[list[str], str]:
    """The import lines of a piece (top level only) and the rest of it; package clauses and
    export statements that assembly writes itself are dropped."""
    imports: list[str] = []
    rest: list[str] = []
    rule = rules(language)
    pattern, drop = re.compile(rule.imports), re.compile(rule.drop) if rule.drop else None
    lines = code.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if rule.import_block and re.match(r"^import\s*\($", stripped):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == ")"), len(lines))
            imports += [f"import {ln.strip()}" for ln in lines[i + 1 : end] if ln.strip()]
            i = end + 1
            continue
        if line == stripped and pattern.match(stripped):
            imports.append(stripped)
        elif line == stripped and drop is not None and drop.match(stripped):
            pass
        else:
            if rule.strip_export and line.startswith("export "):
                line = re.sub(r"^export\s+(default\s+)?", "", line)
            rest.append(line)
        i += 1
    return imports, "\n".join(rest).strip("\n")


def unwrap_class(body: str, keep: str | None) -> str:
    """A Java/C# piece wrapped in a class of its own (``public class Main { ... }``): its inside.
    ``keep`` is the name of a class the piece is meant to define, which stays whole."""
    m = re.match(r"^\s*(?:public\s+|static\s+|final\s+|internal\s+)*class\s+(\w+)[^{]*\{", body)
    if m is None or m.group(1) == keep or not body.rstrip().endswith("}"):
        return body
    inner = body[m.end() : body.rstrip().rfind("}")]
    return _dedent_block(inner)


def _dedent_block(text: str) -> str:
    import textwrap

    return textwrap.dedent(text.strip("\n")).strip("\n")


def drop_main(code: str, language: str) -> str:
    """The piece without a ``main`` the model added to show usage (the translation is a library
    of the source's definitions; a second main would also clash with the next piece's)."""
    main = rules(language).main
    m = re.search(main, code, re.MULTILINE) if main else None
    if m is None:
        return code
    open_at = code.find("{", m.end())
    if open_at == -1:
        return code
    depth = 0
    for i in range(open_at, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return (code[: m.start()] + code[i + 1 :]).strip("\n")
    return code


def defines(code: str, name: str, language: str, kind: str) -> bool:
    """Whether ``code`` defines a function (or class) called ``name``."""
    n = re.escape(name)
    if kind == "class":
        return re.search(rf"\b(class|struct|interface|type)\s+{n}\b", code) is not None
    return re.search(rules(language).defines.replace("{name}", n), code, re.MULTILINE) is not None


@dataclass(frozen=True)
class Piece:
    """One translated definition, ready to assemble: its imports, its code, and an optional
    comment (e.g. why it is unverified) written above it."""

    imports: tuple[str, ...]
    body: str
    comment: str = ""


def assemble(language: str, path: Path, pieces: list[Piece], exports: list[str], header: str = "") -> str:
    """One file from translated pieces: merged imports, then the pieces in order, in the wrapper
    the target needs. ``exports`` are the names JavaScript/TypeScript export; ``header`` is a
    comment for the top of the file."""
    imports: list[str] = []
    for piece in pieces:
        imports += [i for i in piece.imports if i not in imports]
    prefix, rule = languages.get(language).comment, rules(language)
    bodies = []
    for piece in pieces:
        note = "".join(f"{prefix} {line}\n" for line in piece.comment.splitlines()) if piece.comment else ""
        bodies.append(note + piece.body.strip("\n"))
    gap = rule.gap
    top = "".join(f"{prefix} {line}\n" for line in header.splitlines())
    if rule.wrapper:
        name = owner_class(path)
        inner = "\n\n".join(_indent(b) for b in bodies)
        head = "\n".join(sorted(imports))
        return top + (head + "\n\n" if head else "") + f"{rule.wrapper} {name} {{\n{inner}\n}}\n"
    if rule.package:
        paths = sorted({re.sub(r"^import\s+", "", i) for i in imports})
        block = ("import (\n" + "".join(f"\t{p}\n" for p in paths) + ")\n\n") if paths else ""
        return top + f"package {go_package(path)}\n\n" + block + gap.join(bodies) + "\n"
    head = "\n".join(imports)
    text = top + (head + "\n\n" if head else "") + gap.join(bodies) + "\n"
    if rule.exports and exports:
        text += "\n" + rule.exports.replace("{names}", ", ".join(exports)) + "\n"
    return text


def _indent(text: str) -> str:
    return "\n".join(("    " + ln) if ln.strip() else "" for ln in text.splitlines())


def brace_chunks(source: str, max_chars: int) -> list[str]:
    """Split a C-like source file at top-level closing braces into chunks of at most about
    ``max_chars`` (a definition longer than that stays whole). A file that is one big block (a
    Java or C# class) is split between its members instead."""
    chunks = _split_at_depth(source, max_chars, 0)
    if any(len(c) > max_chars for c in chunks):
        chunks = [part for c in chunks for part in (_split_at_depth(c, max_chars, 1) if len(c) > max_chars else [c])]
    merged: list[str] = []
    for chunk in chunks:
        if merged and len(merged[-1]) + len(chunk) <= max_chars:
            merged[-1] += chunk
        else:
            merged.append(chunk)
    return merged


def _split_at_depth(source: str, max_chars: int, level: int) -> list[str]:
    chunks: list[str] = []
    current: list[str] = []
    depth = 0
    size = 0
    for line in source.splitlines(keepends=True):
        current.append(line)
        size += len(line)
        depth += line.count("{") - line.count("}")
        if depth <= level and size >= max_chars // 2 and line.strip().endswith("}"):
            chunks.append("".join(current))
            current, size = [], 0
    if "".join(current).strip():
        chunks.append("".join(current))
    return chunks
